"""tunebench reports: the Streamlit site and its static HTML export; both only read the store."""
