"""The tunebench report site: ``tunebench report [--store PATH]`` (or ``tunebench demo``) serves it.

Pages (``reports/views/``): decision overview, leaderboard, compare two variants, overfitting,
safety, trends, audit trail, review, scorers. Every page reads the store (the Review page also
records reviews in it); the view (page, run, suite, variants, filters) lives in the URL, so a link
reproduces it. Model outputs are shown as text, never rendered as HTML or markdown.
"""

from __future__ import annotations

import streamlit as st

from tunebench.reports.views import ab, audit_trail, leaderboard, overfitting, overview, review, safety, scorers, trends

PAGES = [
    st.Page(overview.page, title="Decision overview", url_path="overview", default=True),
    st.Page(leaderboard.page, title="Leaderboard", url_path="leaderboard"),
    st.Page(ab.page, title="Compare two variants", url_path="compare"),
    st.Page(overfitting.page, title="Overfitting", url_path="overfitting"),
    st.Page(safety.page, title="Safety", url_path="safety"),
    st.Page(trends.page, title="Trends", url_path="trends"),
    st.Page(audit_trail.page, title="Audit trail", url_path="audit"),
    st.Page(review.page, title="Review", url_path="review"),
    st.Page(scorers.page, title="Scorers", url_path="scorers"),
]

st.set_page_config(page_title="tunebench report", layout="wide")
st.navigation(PAGES).run()
