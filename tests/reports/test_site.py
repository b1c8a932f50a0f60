"""Every page of the Streamlit site renders (AppTest) on a small store and on an empty one, reads its
view from the URL query, and shows model outputs as text."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tunebench import reports
from tunebench.reports.app import PAGES  # noqa: F401 - importing checks the page wiring
from tests.reports.conftest import EVIL

APP = str(Path(reports.__file__).parent / "app.py")
VIEWS = ["overview", "leaderboard", "ab", "overfitting", "safety", "trends", "audit_trail", "review", "scorers"]


def _page(name: str):
    def script(view):
        import importlib

        importlib.import_module(f"tunebench.reports.views.{view}").page()

    return AppTest.from_function(script, args=(name,), default_timeout=120)


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_renders_a_store(view, report_store, monkeypatch):
    monkeypatch.setenv("TUNEBENCH_STORE", str(report_store.path))
    site = _page(view)
    site.run()
    assert not site.exception, site.exception
    assert site.title and site.title[0].value
    shown = " ".join(str(e.value) for e in [*site.markdown, *site.text, *site.code] if hasattr(e, "value"))
    assert "<script>" not in " ".join(str(m.value) for m in site.markdown)  # never as markdown
    if view in ("ab", "review"):
        assert EVIL in shown or any(EVIL in str(c.value) for c in site.code)  # shown as text


@pytest.mark.parametrize("view", VIEWS)
def test_every_page_explains_an_empty_store(view, tmp_path, monkeypatch):
    from tunebench.harness.core.store import Store

    monkeypatch.setenv("TUNEBENCH_STORE", str(Store(tmp_path / "empty.sqlite").path))
    site = _page(view)
    site.run()
    assert not site.exception and "No run" in " ".join(i.value for i in site.info)


def test_the_app_opens_on_the_decision_overview_and_the_url_picks_the_view(report_store, monkeypatch):
    monkeypatch.setenv("TUNEBENCH_STORE", str(report_store.path))
    site = AppTest.from_file(APP, default_timeout=120)
    site.run()
    assert not site.exception and site.title[0].value == "Decision overview"
    board = _page("leaderboard")
    board.query_params["metric"] = "safety.refusal_rate"
    board.query_params["split"] = "safety"
    board.run()
    assert [s.value for s in board.selectbox if s.label == "Metric"] == ["safety.refusal_rate"]


def test_a_review_is_stored_with_name_and_time(report_store, monkeypatch):
    from tunebench.harness.core.store import reviews

    monkeypatch.setenv("TUNEBENCH_STORE", str(report_store.path))
    site = _page("review")
    site.run()
    site.text_input[0].input("Grace")
    site.radio[0].set_value("right")
    site.text_area[0].input("looks fine")
    site.button[0].click()
    site.run()
    assert not site.exception
    stored = report_store.frame(reviews)
    mine = stored[stored.reviewer == "Grace"].iloc[0]
    assert mine.verdict == "right" and mine.comment == "looks fine" and mine.created_at


@pytest.mark.parametrize("settings, form, message", [
    ({}, True, None),                                                     # this machine only: a typed name
    ({"TUNEBENCH_READ_ONLY": "1"}, False, "read-only"),
    ({"TUNEBENCH_EXPOSED": "1"}, False, "without a trusted identity"),
    ({"TUNEBENCH_USER_HEADER": "X-Forwarded-User"}, False, "No authenticated user"),   # the proxy sent no user
])
def test_who_may_review(settings, form, message, report_store, monkeypatch):
    """Where identity is required, the Review page offers no name field to type into: no review can be
    filed under a name the site did not authenticate, and nothing is written."""
    from tunebench.harness.core.store import Store, reviews

    monkeypatch.setenv("TUNEBENCH_STORE", str(report_store.path))
    for name in ("TUNEBENCH_READ_ONLY", "TUNEBENCH_EXPOSED", "TUNEBENCH_USER_HEADER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    before = len(Store(report_store.path).frame(reviews))
    site = _page("review")
    site.run()
    assert not site.exception, site.exception
    assert bool(site.text_input) is form and bool(site.button) is form
    if message:
        shown = " ".join(str(m.value) for m in [*site.info, *site.error])
        assert message in shown
    assert len(Store(report_store.path).frame(reviews)) == before
