"""The report site's pages, one module each; ``reports/app.py`` wires them with ``st.navigation``."""
