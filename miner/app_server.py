"""Serve the app, getting it ready while Streamlit starts and the browser loads.

    python -m miner.app_server [STREAMLIT RUN OPTIONS] [-- --run RUN_DIR --workspace DIR]

The same as ``streamlit run miner/webapp/app.py [options] [-- app options]`` with
miner's server settings (:data:`SETTINGS`; what ``make app`` and ``miner app`` run),
except that it first imports what the pages use (pandas, Altair, miner's run,
insight and roadmap modules: 2 s on a quiet 2-core machine, 6 s on a busy one), and a
background thread loads the run the app opens first, masked, into the app's own cache
while Streamlit starts and the browser loads the page. Plain ``streamlit run`` does
all of that when the first browser asks for a page, so the first screen waited for it.
A run that cannot be read is left for the page to report.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The app ships in the package (miner/webapp), so an installed miner serves it.
APP = Path(__file__).resolve().parent / "webapp" / "app.py"


def settings() -> list[str]:
    """Streamlit's settings for the app, as ``streamlit run`` options (given first, so
    options on the command line win): no usage statistics, no browser opened by the
    server, uploads up to :data:`miner.workspace.MAX_UPLOAD_MB`, no watching of the
    source files (on every rerun the watcher walked every loaded module), the light
    theme. Options, not a ``.streamlit/config.toml``: Streamlit reads that file from
    the folder it is started in, which for an installed miner is any folder."""
    from miner.workspace import MAX_UPLOAD_MB

    values = {
        "browser.gatherUsageStats": "false",
        "server.headless": "true",
        "server.maxUploadSize": str(MAX_UPLOAD_MB),
        "server.fileWatcherType": "none",
        "theme.base": "light",
        "client.toolbarMode": "minimal",  # no "Deploy" button: the app runs here
    }
    return [part for name, value in values.items() for part in (f"--{name}", value)]


def preload() -> None:
    """Import what the pages use (in the main thread: imports racing in two threads
    break some libraries' lazy attributes)."""
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import streamlit.web.cli  # noqa: F401

    # Outside a running app, Streamlit's cache decorators warn that there is no runtime.
    with _quiet("streamlit.runtime.caching.cache_data_api"):
        import miner.app_state  # noqa: F401
        import miner.insights.views  # noqa: F401
        import miner.overview  # noqa: F401
        import miner.roadmap.stored  # noqa: F401


def warm(app_args: list[str]) -> None:
    """Load the run the app opens first, masked, into the app's cache."""
    from miner import schema
    from miner.app_state import _load, curation_stamp, run_digest, run_from_args
    from miner.errors import MinerError

    run_dir = run_from_args(app_args)
    if not (run_dir / schema.DOCUMENTS_FILE).exists():
        return
    try:
        _load(str(run_dir), run_digest(run_dir), curation_stamp(run_dir))
    except MinerError:
        pass  # the page shows the error when it opens the run


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not APP.exists():  # a damaged install
        print(
            f"miner: the app is missing from this install ({APP}); reinstall miner", file=sys.stderr
        )
        return 2
    app_args = args[args.index("--") + 1 :] if "--" in args else []
    # `--port N`, as `miner app` takes it, is Streamlit's --server.port (it had been
    # refused, naming a module that does not exist).
    own = args[: args.index("--")] if "--" in args else args
    args = [("--server.port" if a == "--port" else a) for a in own] + args[len(own) :]
    preload()
    threading.Thread(target=_quiet_warm, args=(app_args,), daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *settings(), *args]
    return cli.main()


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _quiet_warm(app_args: list[str]) -> None:
    # Outside a page, Streamlit's cache warns that there is no script context.
    with _quiet("streamlit.runtime.scriptrunner_utils.script_run_context"):
        warm(app_args)


if __name__ == "__main__":
    sys.exit(main())
