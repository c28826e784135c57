"""The search pages in a real Chromium, over the bundled samples.

The app runs in a thread on 127.0.0.1 (werkzeug's own server) and Playwright
drives Debian's chromium. Skipped when /usr/bin/chromium is not installed,
except in CI (CI=true), where a missing browser is a failure.
Also writes the README's screenshot of the search page.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} is not installed, and CI must run the browser tests")
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from web import create_app  # noqa: E402

from archive.store import Store  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
README_SCREENSHOT = Path(__file__).resolve().parents[1] / "web" / "static" / "screenshot-search.png"


@pytest.fixture(scope="module")
def archive(sample_data):
    """The bundled samples as `ingest.py add` stores them: real extraction and entities."""
    with Store(sample_data.store_path) as store:
        return sample_data, {Path(a.source_path).name: a for a in store}


@pytest.fixture(scope="module")
def base_url(archive):
    data, _ = archive
    app = create_app({"ARCHIVE_DATA": str(data.root)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["search"].close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    context.close()
    assert not problems, f"browser console errors (CSP violations show here): {problems}"


def search_for(page, base_url: str, words: str) -> None:
    page.goto(base_url + "/")
    box = page.locator("[data-search-box]")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/search?*q=*")


def test_typing_a_query_and_pressing_enter_shows_highlighted_hits(page, base_url, archive, tmp_path):
    _, articles = archive
    search_for(page, base_url, "airstrike")
    expected = sum("airstrike" in (a.title + a.body).lower() for a in articles.values())
    expect(page.locator(".hit")).to_have_count(expected)
    assert page.locator(".hit mark").count() >= expected
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    shutil.copyfile(shot, README_SCREENSHOT)


def test_slash_focuses_the_search_box(page, base_url):
    page.goto(base_url + "/help")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def test_an_outlet_facet_narrows_results_and_its_chip_removes_it(page, base_url, archive):
    _, articles = archive
    page.goto(base_url + "/search")
    expect(page.locator(".hit")).to_have_count(min(len(articles), 10))
    rt = next(a for a in articles.values() if a.outlet == "RT")
    page.locator(f'[data-facet="outlet"] a[data-value="{rt.outlet_slug}"]').click()
    page.wait_for_url(f"**outlet={rt.outlet_slug}*")
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit-title")).to_have_text(rt.title)
    page.locator(".chip .remove").click()
    expect(page.locator(".hit")).to_have_count(len(articles))
    assert "outlet=" not in page.url


def test_a_histogram_bar_filters_by_its_period(page, base_url, archive):
    _, articles = archive
    page.goto(base_url + "/search")
    bar = page.locator("svg a.bar-link").first
    key = bar.get_attribute("data-key")
    bar.click()
    page.wait_for_url("**/search?*")
    expected = [a for a in articles.values() if a.date and a.date.isoformat().startswith(key)]
    expect(page.locator(".hit")).to_have_count(len(expected))
    expect(page.locator(".chip")).not_to_have_count(0)


def test_the_article_page_shows_entities_and_related_coverage_and_back_returns(page, base_url, archive):
    search_for(page, base_url, "Konashenkov")
    results_url = page.url
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/article/**")
    expect(page.locator(".entities li").first).to_be_visible()
    expect(page.locator(".related li").first).to_be_visible()
    assert page.locator(".body mark").count() >= 1
    page.go_back()
    page.wait_for_url(results_url)
    expect(page.locator(".hit mark").first).to_be_visible()
    assert page.locator("[data-search-box]").input_value() == "Konashenkov"


def test_j_and_k_move_between_results(page, base_url, archive):
    page.goto(base_url + "/search")
    page.locator("body").click()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(".hit.current")).to_have_count(1)
    assert page.locator(".hit").nth(1).get_attribute("class").split().count("current") == 1
    page.keyboard.press("k")
    assert "current" in page.locator(".hit").nth(0).get_attribute("class")


def test_the_search_page_fits_a_phone_screen(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + "/search?q=syria")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1
    finally:
        context.close()


def test_the_compare_page_aligns_the_passages_two_articles_share(page, base_url, archive, tmp_path):
    _, articles = archive
    repost = next(a for a in articles.values() if a.outlet == "Before It's News")
    unattributed = next(a for a in articles.values() if a.outlet is None)
    page.goto(f"{base_url}/compare?id={repost.id}&id={unattributed.id}")
    statement = page.locator("tr.compare-row.shared").filter(has_text="entered Syrian airspace")
    expect(statement).to_have_count(1)  # the Defence Ministry's statement, side by side
    for column in ("A", "B"):
        expect(statement.locator(f'td[data-column="{column}"] mark.shared-passage')).to_contain_text(
            "territory of Iraq")
        # the SANA account comes in another order in each text: marked as shared in both columns
        expect(page.locator(f'td[data-column="{column}"] mark.shared-passage', has_text="al-Tharda")).not_to_have_count(0)
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)


def test_collapse_reposts_shows_one_hit_per_story_with_the_others_behind_more_outlets(page, tmp_path):
    from archive.coverage.groups import story_groups
    from archive.coverage.store import all_links
    from archive.paths import SAMPLES_DIR, DataDir
    from conftest import build_archive

    # the samples plus one of them re-published, lightly edited, under another outlet's folder
    original, edited = "the speaker of the People’s Council of Syria said", "the speaker of Syria’s People’s Council said"
    source = next(f for f in sorted(SAMPLES_DIR.glob("*.txt")) if original in f.read_text(encoding="utf-8"))
    folder = tmp_path / "corpus" / "Al Masdar News"
    folder.mkdir(parents=True)
    (folder / "repost.txt").write_text(source.read_text(encoding="utf-8").replace(original, edited, 1),
                                       encoding="utf-8")
    data = DataDir(tmp_path / "data")
    assert not build_archive(data, [SAMPLES_DIR, folder], entities=False).failures
    with Store(data.store_path) as store:
        articles = {a.id: a for a in store}
        groups = story_groups(all_links(store))
    assert len(groups) == 1 and groups[0].size == 2

    app = create_app({"ARCHIVE_DATA": str(data.root)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/search")
        expect(page.locator(".hit")).to_have_count(len(articles))
        page.locator("[data-collapse-toggle]").click()
        page.wait_for_url("**collapse=1*")
        expect(page.locator(".hit")).to_have_count(len(articles) - 1)
        more = page.locator("details.story-members")
        expect(more).to_have_count(1)
        expect(more.locator("summary")).to_have_text("+1 more outlet")
        member = more.locator("li a")
        expect(member).to_be_hidden()
        more.locator("summary").click()
        expect(member).to_be_visible()
        # the hit shows one member's outlet, the expanded list the other's
        leader = more.locator("xpath=ancestor::li[contains(@class, 'hit')]").locator(".meta .outlet")
        assert sorted([leader.inner_text(), member.inner_text()]) == sorted(
            articles[i].outlet for i in groups[0].members)
        assert page.locator("[data-collapse-toggle]").get_attribute("aria-checked") == "true"
        page.locator("[data-collapse-toggle]").click()
        expect(page.locator(".hit")).to_have_count(len(articles))
        assert "collapse=" not in page.url
    finally:
        page.goto("about:blank")  # no request of the page may outlive this server
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["search"].close()
