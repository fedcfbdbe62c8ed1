"""The Streamlit app (``app.py`` and one file per page in ``app_pages/``), shipped in
the package so an installed miner serves it: ``miner app`` or
``python -m miner.app_server``. Streamlit runs these files as scripts."""
