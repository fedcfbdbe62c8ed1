"""The app's pages, one script each (run by Streamlit, not imported)."""
