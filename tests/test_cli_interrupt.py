"""Ctrl-C during `miner score`: exit 130, and nothing that looks finished is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from miner.atomic import partial_name

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="sends SIGINT"),
]


@pytest.fixture(scope="module")
def big_feedback_csv(tmp_path_factory, demo_frames):
    """2,400 demo rows: scoring them 20 at a time without a model takes tens of seconds."""
    feedback, _ = demo_frames
    path = tmp_path_factory.mktemp("interrupt") / "feedback.csv"
    feedback.head(2400).to_csv(path, index=False)
    return path


def _default_sigint() -> None:
    # A child started from a shell's background job inherits SIGINT ignored,
    # and Python then never raises KeyboardInterrupt; a user's Ctrl-C is not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_scoring(proc: subprocess.Popen, out, timeout: float = 120.0) -> None:
    """Until the temporary output holds at least one scored chunk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"miner score ended early: {proc.communicate()}"
        partials = list(out.parent.glob(partial_name(out)))
        if partials and any(path.stat().st_size > 0 for path in partials if path.exists()):
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no scored chunk in {out.parent} after {timeout:.0f}s")


# An existing target left as it was on failure is tested without a subprocess in
# tests/test_atomic.py; here the real signal path, once.
# SIGTERM (timeout, systemd, Kubernetes) unwinds as Ctrl-C does: it had left the
# temporary output and a resume folder behind, with exit 143 and no word.
@pytest.mark.parametrize(
    ("existed", "sent", "code", "said"),
    [
        (False, signal.SIGINT, 130, "interrupted"),
        (False, signal.SIGTERM, 143, "terminated"),
    ],
    ids=["new-target", "sigterm"],
)
def test_sigint_during_score_exits_130_and_leaves_no_output(
    big_feedback_csv, tmp_path, existed, sent, code, said
):
    out = tmp_path / "scored.csv"
    previous = "row_id,comment\n0,the previous complete output\n"
    if existed:
        out.write_text(previous)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "miner.cli",
            "score",
            str(big_feedback_csv),
            "--out",
            str(out),
            "--chunk-rows",
            "20",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    try:
        _wait_until_scoring(proc, out)
        proc.send_signal(sent)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == said
    assert "Traceback" not in err
    assert "; wrote" not in err  # it really was interrupted before the end
    if existed:
        assert out.read_text() == previous
    else:
        assert not out.exists()
    assert list(tmp_path.glob(partial_name(out))) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == (["scored.csv"] if existed else [])
