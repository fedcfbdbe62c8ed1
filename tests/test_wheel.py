"""The wheel ships the networks: built, installed elsewhere, it fits and scores on its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the package sources (no build files in ROOT)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "miner", source / "miner", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("miner-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_every_shipped_weight_and_the_typing_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    weights = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "miner" / "weights").rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert {
        "miner/weights/embed/model.onnx",
        "miner/weights/sentiment/model.onnx",
        "miner/weights/kind/coef.npy",
    } <= set(weights)
    assert set(weights) <= names, sorted(set(weights) - names)
    assert "miner/py.typed" in names
    assert "miner/roadmap/roadmap.schema.json" in names  # the roadmap feed's JSON Schema
    # The app and every page (a wheel had none: they sat beside the package).
    app = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "miner" / "webapp").rglob("*.py"))
        if "__pycache__" not in path.parts
    ]
    assert "miner/webapp/app.py" in app and len(app) >= 12
    assert set(app) <= names, sorted(set(app) - names)
    assert "miner/webapp/favicon.png" in names  # the page icon, never fetched


@pytest.mark.slow
def test_installed_wheel_fits_and_scores_from_another_folder(wheel, tmp_path, demo_frames):
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    feedback, _ = demo_frames
    feedback.head(300).to_csv(work / "demo300.csv", index=False)
    # The installed copy first, then the dependencies; never this checkout. The
    # session's embedding cache (conftest) is kept: the weights are what is tested.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]),
        "HF_HUB_OFFLINE": "1",
    }
    # One process runs `miner fit` then `miner score` (one cold start instead of two).
    script = (
        "import sys, miner\n"
        "print(miner.__file__)\n"
        "from miner.cli import run\n"
        "for args in (sys.argv[1:7], sys.argv[7:]):\n"
        "    code = run(args)\n"
        "    if code:\n"
        "        sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script]
        + ["fit", "demo300.csv", "--text-col", "comment", "--out", "run"]
        + ["score", "demo300.csv", "--model", "run/model", "--out", "scored.csv"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == str(target / "miner" / "__init__.py")
    scored = pd.read_csv(work / "scored.csv")
    assert len(scored) == 300
    assert set(scored["sentiment"].dropna()) <= {"negative", "neutral", "positive"}
    assert scored["kind"].notna().sum() > 250
    assert (scored["theme_id"] >= 0).sum() > 150
    # `miner app` serves the installed copy's app, not a checkout's.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from miner import app_server; print(app_server.APP.is_file(), app_server.APP)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["True", str(target / "miner" / "webapp" / "app.py")], done.stderr
