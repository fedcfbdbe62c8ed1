"""What the app pages share: which run is open, and loading it once per session."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from miner.ingest import SUPPORTED

DEFAULT_RUN = Path("runs/demo")
UPLOAD_TYPES = sorted({suffix.lstrip(".") for suffix in SUPPORTED})


def run_from_args(argv: list[str] | None = None) -> Path:
    """The run folder: ``--run`` (after ``streamlit run app.py --``), $MINER_RUN or runs/demo."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--run", default=None)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return Path(known.run or os.environ.get("MINER_RUN") or DEFAULT_RUN)


def upload_run_dir(name: str, data: bytes) -> Path:
    """A stable folder for the run of an uploaded file (same bytes, same folder)."""
    digest = hashlib.blake2b(data, digest_size=8).hexdigest()
    return Path(tempfile.gettempdir()) / "miner-uploads" / f"{Path(name).stem}-{digest}"
