"""The report in a real browser: Debian's chromium driven by playwright serves the Streamlit site
and opens the static export. Every page opens without an exception, one A/B filter and one review
are clicked, a model output holding <script> shows as text (no dialog ever opens), and screenshots
are saved under tunebench-out/browser-test/. Skipped, with the reason, where no browser exists."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.reports.conftest import EVIL, build_store
from tests.servers import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tunebench-out" / "browser-test"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PAGES = ["overview", "leaderboard", "compare", "overfitting", "safety", "trends", "audit", "review", "scorers"]


def _skip_reason() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (make test installs it with the test extras)"
    if CHROMIUM is None:
        return "no chromium on this machine (make test installs Debian's chromium where apt-get can run)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("browser") / "store.sqlite")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server([sys.executable, "-m", "streamlit", "run", str(ROOT / "reports" / "app.py"),
                         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                         "--browser.gatherUsageStats", "false", "--", "--store", str(store.path)],
                        url + "/_stcore/health", seconds=90, cwd=ROOT)
    yield url, store
    stop_server(proc, 20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    return page, dialogs


def _settle(page) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(500)


def test_every_page_of_the_site_opens(site, browser):
    url, _ = site
    for name in PAGES:
        page, dialogs = _open(browser, f"{url}/{name}")
        _settle(page)
        assert page.locator("[data-testid=stException]").count() == 0, name
        assert "Traceback" not in page.inner_text("body"), name
        page.screenshot(path=str(SHOTS / f"site-{name}.png"), full_page=True)
        assert not dialogs, f"{name}: a dialog opened: {dialogs}"
        page.close()


def test_ab_filter_and_script_output_shown_as_text(site, browser):
    url, _ = site
    page, dialogs = _open(browser, f"{url}/compare?a=zero-shot&b=lora")
    _settle(page)
    page.get_by_text("only differences").click()
    page.wait_for_function("() => location.search.includes('diff=1')", timeout=30_000)
    _settle(page)
    page.get_by_text("only differences").scroll_into_view_if_needed()
    body = page.inner_text("body")
    assert EVIL in body  # the drill-down shows the output as text
    assert page.locator("b:text-is('bold')").count() == 0  # the <b> in the output was not rendered
    page.screenshot(path=str(SHOTS / "site-compare-filtered.png"), full_page=True)
    assert not dialogs


def test_a_review_from_the_browser_lands_in_the_store(site, browser):
    from tunebench.harness.core.store import reviews

    url, store = site
    page, _ = _open(browser, f"{url}/review")
    _settle(page)
    page.get_by_label("Your name").fill("Linus")
    page.get_by_text("right", exact=True).click()
    page.get_by_label("Comment").fill("checked by hand")
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("Saved: Linus").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "site-review-saved.png"), full_page=True)
    stored = store.frame(reviews)
    assert (stored.reviewer == "Linus").any()


def test_the_static_export_opens_in_the_browser(site, browser, tmp_path):
    from tunebench.reports.export import PAGES as EXPORTED
    from tunebench.reports.export import export_html

    _, store = site
    export_html(store.path, tmp_path / "export")
    for name, title in EXPORTED:
        page, dialogs = _open(browser, (tmp_path / "export" / name).as_uri())
        assert page.locator("h1").inner_text() == title
        page.screenshot(path=str(SHOTS / f"export-{name.removesuffix('.html')}.png"), full_page=True)
        assert not dialogs
        if name == "compare.html":
            page.locator("details").first.evaluate("d => d.open = true")
            assert EVIL in page.inner_text("body")
        page.close()
