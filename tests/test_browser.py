"""The search pages in a real Chromium, over the bundled samples.

The app runs in a thread on 127.0.0.1 (werkzeug's own server) and Playwright
drives Debian's chromium. Skipped when /usr/bin/chromium is not installed,
except in CI (CI=true), where a missing browser is a failure.
The README's screenshots are written by `make screenshots` (tests/screenshots.py), never by the tests.
"""
from __future__ import annotations

import os
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
    start, end = bar.get_attribute("data-start"), bar.get_attribute("data-end")
    bar.click()
    page.wait_for_url("**/search?*")
    expected = [a for a in articles.values() if a.date and start <= a.date.isoformat() <= end]
    expect(page.locator(".hit")).to_have_count(len(expected))
    expect(page.locator(".chip")).to_have_count(1)   # one chip for the range, not two


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


def test_shares_passages_with_leads_to_the_compare_page_and_who_had_it_first(page, base_url, archive):
    _, articles = archive
    repost = next(a for a in articles.values() if a.outlet == "Before It's News")
    unattributed = next(a for a in articles.values() if a.outlet is None)
    page.goto(f"{base_url}/article/{repost.id}")
    shares = page.locator("section.shares-passages")
    expect(shares.locator("h2")).to_have_text("Shares passages with")
    item = shares.locator(f'li[data-article="{unattributed.id}"]')
    expect(item.locator("q.shared-passage", has_text="al-Tharda Mountain")).to_have_count(1)
    expect(item.locator("q.shared-passage", has_text="entered Syrian airspace")).to_have_count(1)
    item.locator("a.compare-link").click()
    page.wait_for_url("**/compare?**")
    expect(page.locator("tr.compare-row.shared").filter(has_text="entered Syrian airspace")).to_have_count(1)
    graph = page.locator("section.reuse-graph")
    expect(graph.locator("svg circle")).not_to_have_count(0)
    first = graph.locator("ol.reuse-list li[data-first]")
    expect(first).to_have_count(1)
    expect(first).to_have_attribute("data-article", repost.id)  # the earliest dated article


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


# -- the timeline (issue 14, finding 1) ---------------------------------------------------------

def _spread_specs():
    """Articles over three decades: a busy March 1987, one a quarter 1987-1990, a few in 2016."""
    import datetime as dt

    from test_web_fixture import Spec
    days = ([dt.date(1987, 3, d) for d in (2, 2, 3, 5, 9, 9, 9, 16, 23, 30)]
            + [dt.date(y, m, 15) for y in (1987, 1988, 1989, 1990) for m in (1, 4, 7, 10)]
            + [dt.date(2016, 9, d) for d in (17, 18, 27)])
    return tuple(Spec(f"spread-{i:03d}.txt", f"Oil prices report number {i}", "Reuters", day, f"{1000 + i}", (),
                      text=f"Oil prices moved on {day.isoformat()}.\n\nReport number {i} on crude oil.")
                 for i, day in enumerate(days))


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    """A live app over `_spread_specs`: (its URL, the articles)."""
    from test_web_fixture import build_web_archive
    data, articles = build_web_archive(tmp_path_factory.mktemp("spread"), _spread_specs())
    app = create_app({"ARCHIVE_DATA": str(data.root)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", list(articles.values())
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["search"].close()


@pytest.mark.parametrize("query,unit", [
    ("q=oil", "year"),                               # 1987-2016: three decades, by year
    ("q=oil&from=1987-01-01&to=1990-12-31", "month"),  # four years, by month
    ("q=oil&month=1987-03", "day"),                  # one month, by day
])
def test_the_timeline_is_readable_at_every_span(page, spread, query, unit):
    url, articles = spread
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/search?{query}")
    slots = page.locator("figure.timeline [data-start]")
    assert 1 < slots.count() <= 120
    assert unit in page.locator("figure.timeline figcaption").inner_text()
    for box in (b.bounding_box() for b in page.locator("figure.timeline rect.bar").all()):
        assert box["width"] >= 4, "every bar is wide enough to see and to click"
        assert box["height"] >= 1.5
    counts = [int(t) for t in page.locator("text.tick.count").all_text_contents()]
    assert counts[0] == 0 and counts[-1] >= max(int(a or 0) for a in
                                                page.locator("[data-count]").evaluate_all(
                                                    "els => els.map(e => e.dataset.count)"))
    busiest = page.locator("a.bar-link").first
    assert busiest.locator("title").text_content().endswith(("article", "articles"))
    assert busiest.get_attribute("aria-label") == busiest.locator("title").text_content() + (
        " (selected)" if "selected" in busiest.get_attribute("class") else "")


def test_clicking_a_bar_zooms_the_timeline_to_its_period(page, spread):
    url, articles = spread
    page.goto(f"{url}/search?q=oil")
    page.locator('a.bar-link[data-key="1987"]').click()
    page.wait_for_url("**from=1987-01-01*")
    expect(page.locator(".hit")).to_have_count(min(10, sum(a.date.year == 1987 for a in articles)))
    starts = page.locator("figure.timeline [data-start]").evaluate_all("els => els.map(e => e.dataset.start)")
    assert starts and all(s.startswith("1987") for s in starts)
    assert page.locator("a.bar-link.selected").count() == page.locator("a.bar-link").count()
    page.locator("a.zoom-out").click()
    page.wait_for_url(lambda u: "from=" not in u)
    assert page.locator('a.bar-link[data-key="2016"]').count() == 1


def test_dragging_across_bars_selects_the_range_between_them(page, spread):
    url, articles = spread
    page.goto(f"{url}/search?q=oil&from=1987-01-01&to=1990-12-31")
    first, last = page.locator('a.bar-link[data-key="1987-04"]'), page.locator('a.bar-link[data-key="1988-07"]')
    a, b = first.locator("rect.slot").bounding_box(), last.locator("rect.slot").bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] - 5)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] - 5, steps=8)
    page.mouse.up()
    page.wait_for_url("**from=1987-04-01*")
    assert "to=1988-07-31" in page.url
    expected = sum(1 for a in articles if "1987-04-01" <= a.date.isoformat() <= "1988-07-31")
    assert f"{expected} result" in page.locator(".summary").inner_text()


def test_shift_click_then_click_selects_a_range(page, spread):
    url, _ = spread
    page.goto(f"{url}/search?q=oil&from=1987-01-01&to=1990-12-31")
    page.locator('a.bar-link[data-key="1988-01"]').click(modifiers=["Shift"])
    assert "1988-01-01" not in page.url   # the first click only marks the start
    page.locator('a.bar-link[data-key="1989-10"]').click()
    page.wait_for_url("**from=1988-01-01*")
    assert "to=1989-10-31" in page.url


def test_the_timeline_works_without_javascript(browser, spread):
    url, _ = spread
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{url}/search?q=oil")
        page.locator('a.bar-link[data-key="1987"]').click()
        page.wait_for_url("**from=1987-01-01*")
        assert page.locator("figure.timeline [data-start]").count() > 1
    finally:
        context.close()


# -- state that stays (finding 2) -------------------------------------------------------------

def test_the_article_back_link_restores_the_search_exactly(page, base_url, archive):
    _, articles = archive
    outlets = sorted({a.outlet_slug for a in articles.values() if a.outlet_slug})[:2]
    search = f"{base_url}/search?q=syria&outlet={outlets[0]}&outlet={outlets[1]}&sort=oldest&collapse=1"
    page.goto(search)
    titles = page.locator(".hit-title a").all_text_contents()
    assert titles, "the search finds articles to open"
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/article/**")
    page.locator("a[data-back]").click()
    page.wait_for_url("**/search?**")
    assert sorted(page.url.split("?")[1].split("&")) == sorted(search.split("?")[1].split("&"))
    assert page.locator(".hit-title a").all_text_contents() == titles
    assert page.locator("#sort").input_value() == "oldest"


def test_after_a_filter_only_browse_the_article_offers_a_way_back(page, base_url, archive):
    _, articles = archive
    slug = next(a.outlet_slug for a in articles.values() if a.outlet_slug)
    page.goto(f"{base_url}/search?outlet={slug}")
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/article/**")
    expect(page.locator("a[data-back]")).to_have_text("← Back to the results")
    page.locator("a[data-back]").click()
    page.wait_for_url(f"**/search?outlet={slug}")


# -- forms (finding 7) -----------------------------------------------------------------------------

def test_reversed_dates_give_an_inline_message_and_keep_the_query(page, base_url):
    page.goto(f"{base_url}/search?q=syria")
    form = page.locator("form.daterange")
    form.locator('input[name="from"]').fill("2016-09-30")
    form.locator('input[name="to"]').fill("2016-09-01")
    form.locator("button").click()
    page.wait_for_url("**from=2016-09-30*")
    expect(page.locator("[data-form-error]")).to_contain_text("after the end date")
    assert page.locator("[data-search-box]").input_value() == "syria"
    assert form.locator('input[name="from"]').get_attribute("aria-invalid") == "true"
    expect(page.locator(".hit").first).to_be_visible()
    form.locator('input[name="to"]').fill("2016-10-31")
    form.locator("button").click()
    page.wait_for_url("**to=2016-10-31*")
    expect(page.locator("[data-form-error]")).to_have_count(0)


# -- facets that count everything (findings 4, 5, 6, 9) ---------------------------------------------

def _summary_total(page) -> int:
    import re
    return int(re.search(r"([\d,]+) (?:articles?|results?|stor)", page.locator(".summary").inner_text()).group(1)
               .replace(",", ""))


def test_articles_without_an_outlet_are_counted_and_selectable(page, base_url, archive):
    from index.model import MISSING
    _, articles = archive
    page.goto(f"{base_url}/search")
    counts = page.locator('[data-facet="outlet"] .toggle .count').all_inner_texts()
    assert sum(int(c) for c in counts) == _summary_total(page) == len(articles)
    unknown = page.locator(f'[data-facet="outlet"] a[data-value="{MISSING}"]')
    expect(unknown).to_contain_text("(unknown outlet)")
    unknown.click()
    page.wait_for_url(f"**outlet={MISSING}*")
    expect(page.locator(".hit")).to_have_count(sum(1 for a in articles.values() if not a.outlet))
    expect(page.locator(".chip")).to_contain_text("(unknown outlet)")


def test_a_value_can_be_excluded_and_included_again(page, base_url, archive):
    _, articles = archive
    rt = next(a for a in articles.values() if a.outlet == "RT")
    page.goto(f"{base_url}/search")
    page.locator(f'[data-facet="outlet"] a[data-exclude="{rt.outlet_slug}"]').click()
    page.wait_for_url(f"**not_outlet={rt.outlet_slug}*")
    expect(page.locator(".hit")).to_have_count(len(articles) - 1)
    assert rt.title not in page.locator(".hits").inner_text()
    expect(page.locator(".chip")).to_contain_text("not RT")
    page.locator(f'[data-facet="outlet"] a[data-exclude="{rt.outlet_slug}"]').click()  # include it again
    page.wait_for_url(lambda url: "not_outlet" not in url)
    expect(page.locator(".hit")).to_have_count(len(articles))


def test_more_then_find_then_order_by_name_then_fewer(page, base_url, archive):
    _, articles = archive
    people = {e.slug: e.name for a in articles.values() for e in a.entities_of("person")}
    page.goto(f"{base_url}/search?more=person")
    facet = page.locator('[data-facet="person"]')
    shown = facet.locator(".toggle").evaluate_all("els => els.map(e => e.dataset.value)")
    assert set(shown) == set(people)
    facet.locator('a:has-text("by name")').click()
    page.wait_for_url("**more_sort=name*")
    assert facet.locator(".toggle").evaluate_all("els => els.map(e => e.dataset.value)") == sorted(people)
    slug = sorted(people)[0]
    facet.locator("input[name=more_q]").fill(people[slug].split()[-1])
    facet.locator("input[name=more_q]").press("Enter")
    page.wait_for_url("**more_q=*")
    found = facet.locator(".toggle").evaluate_all("els => els.map(e => e.dataset.value)")
    assert slug in found and len(found) < len(people) or len(people) == 1
    facet.locator("a.fewer").first.click()
    page.wait_for_url(lambda url: "more=" not in url)
    assert facet.locator(".toggle").count() <= 10


def test_facet_values_are_checkboxes_that_space_toggles_and_keep_the_focus(page, base_url, archive):
    _, articles = archive
    slug = sorted({a.outlet_slug for a in articles.values() if a.outlet_slug})[0]
    page.goto(f"{base_url}/search?q=syria")
    value = page.locator(f'[data-facet="outlet"] a[data-value="{slug}"]')
    assert value.get_attribute("role") == "checkbox" and value.get_attribute("aria-checked") == "false"
    value.focus()
    page.keyboard.press(" ")
    page.wait_for_url(f"**outlet={slug}*")
    value = page.locator(f'[data-facet="outlet"] a[data-value="{slug}"]')
    expect(value).to_have_attribute("aria-checked", "true")
    expect(value).to_be_focused()
    page.keyboard.press(" ")
    page.wait_for_url(lambda url: "outlet=" not in url)
    expect(page.locator(f'[data-facet="outlet"] a[data-value="{slug}"]')).to_be_focused()


def test_the_collapse_switch_answers_to_space(page, base_url):
    page.goto(f"{base_url}/search")
    switch = page.locator("[data-collapse-toggle]")
    switch.focus()
    page.keyboard.press(" ")
    page.wait_for_url("**collapse=1*")
    expect(page.locator("[data-collapse-toggle]")).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-collapse-toggle]")).to_be_focused()


# -- compare from anywhere (finding 3) -------------------------------------------------------------

def test_two_results_ticked_by_keyboard_are_compared_and_the_way_back_keeps_the_search(page, base_url):
    page.goto(f"{base_url}/search?q=syria&sort=oldest")
    button = page.locator("[data-compare-submit]")
    expect(button).to_be_disabled()
    picks = page.locator("[data-compare-pick]")
    titles = page.locator(".hit-title a").all_text_contents()[:2]
    for i in range(2):
        picks.nth(i).focus()
        page.keyboard.press(" ")
    expect(button).to_be_enabled()
    expect(button).to_have_text("Compare 2 selected")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare?**")
    expect(page.locator("table.compare thead th[data-column]")).to_have_count(2)
    assert [page.locator(f'th[data-column="{c}"] a').inner_text() for c in "AB"] == titles
    page.locator("a[data-back]").click()
    page.wait_for_url("**/search?**")
    assert "q=syria" in page.url and "sort=oldest" in page.url


def test_related_coverage_offers_compare(page, base_url):
    page.goto(f"{base_url}/search?q=syria")
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/article/**")
    link = page.locator(".related a.compare-link").first
    link.click()
    page.wait_for_url("**/compare?**")
    expect(page.locator("table.compare thead th[data-column]")).to_have_count(2)


# -- accessibility (finding 9): axe-core, pinned in package.json, injected into each page ----------------

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source():
    """axe-core's script, installed from the npm registry by `make test` (or here, when it is not yet)."""
    import subprocess
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, timeout=300)
    return AXE.read_text(encoding="utf-8")


def serious_violations(browser, url: str, axe_source: str, **context) -> list[str]:
    # the app's CSP forbids inline scripts, as it should: only this test context may inject axe
    ctx = browser.new_context(bypass_csp=True, **context)
    try:
        page = ctx.new_page()
        page.goto(url)
        page.add_script_tag(content=axe_source)
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in found if v["impact"] in ("serious", "critical")]
    finally:
        ctx.close()


def test_the_pages_have_no_serious_accessibility_violations(browser, base_url, archive, axe_source):
    _, articles = archive
    repost = next(a for a in articles.values() if a.outlet == "Before It's News")
    other = next(a for a in articles.values() if a.outlet is None)
    pages = [f"{base_url}/search?q=syria", f"{base_url}/search?more=person&outlet={repost.outlet_slug}",
             f"{base_url}/article/{repost.id}?q=syria", f"{base_url}/compare?id={repost.id}&id={other.id}",
             f"{base_url}/sources", f"{base_url}/help"]
    problems = {url: serious_violations(browser, url, axe_source) for url in pages}
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    problems[pages[0] + " (phone)"] = serious_violations(browser, pages[0], axe_source, **phone)
    dark = {"color_scheme": "dark"}
    problems[pages[0] + " (dark)"] = serious_violations(browser, pages[0], axe_source, **dark)
    assert not {u: p for u, p in problems.items() if p}


def test_the_skip_link_reaches_the_first_result_in_two_tab_presses(page, base_url):
    page.goto(f"{base_url}/search?q=syria")
    page.locator("body").press("Tab")
    expect(page.locator("a.skip").first).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.results') !== null")
    assert focused, "after the skip link, Tab moves within the results"


def test_the_search_page_has_one_h1_and_headings_in_order(page, base_url):
    page.goto(f"{base_url}/search?q=syria")
    levels = page.locator("h1, h2, h3, h4").evaluate_all("els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_on_a_phone_the_filters_control_opens_the_facets_above_the_results(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/search?q=syria")
        control = page.locator("[data-filters-open]")
        expect(control).to_be_visible()
        facets_below = page.locator("#filters").bounding_box()["y"] > page.locator(".hit").first.bounding_box()["y"]
        assert facets_below
        control.click()
        expect(page.locator("#filters")).to_be_focused()
        assert page.locator("#filters").bounding_box()["y"] < page.locator(".hit").first.bounding_box()["y"]
        page.locator("[data-filters-close]").click()
        expect(page.locator("#results")).to_be_focused()
    finally:
        context.close()


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)")."""
    import re

    def luminance(colour: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", colour)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_timeline_bars_and_form_borders_stand_out_3_to_1(browser, base_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/search?q=syria")
        paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
        bar = page.locator("rect.bar").first.evaluate("e => getComputedStyle(e).fill")
        border = page.locator("input[type=search]").first.evaluate("e => getComputedStyle(e).borderTopColor")
        date_border = page.locator("input[type=date]").first.evaluate("e => getComputedStyle(e).borderTopColor")
        for what, colour in (("bar", bar), ("search box border", border), ("date field border", date_border)):
            assert _contrast(colour, paper) >= 3, f"{what} {colour} on {paper}"
    finally:
        context.close()


# -- help (finding 8) and smaller items (finding 11) -------------------------------------------------

def test_every_help_example_finds_articles_when_clicked(page, base_url):
    page.goto(f"{base_url}/help")
    examples = page.locator("table.examples td a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(examples) >= 12
    for href in examples:
        page.goto(base_url + href)
        assert page.locator(".hit").count() > 0, href
        assert page.locator("p.notice").count() == 0, href   # the parser read it as written


def test_small_things_read_right(page, base_url, archive):
    _, articles = archive
    page.goto(f'{base_url}/search?q="Deir ez-Zor"')
    summary = page.locator(".summary").inner_text()
    assert '“"' not in summary and '"”' not in summary and '"Deir ez-Zor"' in summary
    slug = next(a.outlet_slug for a in articles.values() if a.outlet == "RT")
    page.goto(f"{base_url}/search?outlet={slug}")
    assert page.title().startswith("Outlet: RT")
    page.reload()   # the second answer comes from the cache
    assert "(0 ms)" not in page.locator(".summary").inner_text()
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/article/**")
    source = page.locator(".metadata .row", has_text="Source file").locator("dd").inner_text()
    assert "/" not in source and source.strip()


def test_the_timeline_draws_one_line_per_outlet_and_their_shares(page, spread, axe_source, browser):
    url, articles = spread
    page.goto(f"{url}/search?q=oil")
    page.locator(".timeline-modes a", has_text="one line per outlet").click()
    page.wait_for_url("**timeline=outlets*")
    lines = page.locator("svg.timeline-lines g.series")
    expect(lines).to_have_count(1)                      # the spread archive has one outlet
    points = lines.first.locator("circle")
    assert points.count() == page.locator("figure.timeline svg:not(.timeline-lines) [data-start]").count()
    assert points.first.locator("title").text_content().startswith("Reuters, ")
    page.locator(".timeline-modes a", has_text="share of each outlet").click()
    page.wait_for_url("**timeline=shares*")
    assert page.locator("svg.timeline-lines text.tick.count").last.text_content().endswith("%")
    assert not serious_violations(browser, page.url, axe_source)


def test_a_query_found_through_another_spelling_suggests_nothing(page, base_url):
    page.goto(f"{base_url}/search?q=Deir+Ezzor")
    expect(page.locator(".hit").first).to_be_visible()
    expect(page.locator(".suggestion")).to_have_count(0)


# -- collapse with copies from one outlet (issue 14, finding 5) -----------------------------------

LIGHTHOUSE = """Harbour lighthouse keeper retires after forty years

{day}, March {n}, 2017 09:30

The keeper of the old harbour lighthouse retired on Friday after forty years of climbing its stairs every night.

Friends gathered on the quay to thank her, and the harbour board said the lamp would now be run from the town hall.

She told reporters that she would miss the storms most of all, and that the gulls had never once let her sleep late.

The lighthouse opened in 1874 and is the oldest working light on this stretch of the coast, the board said.
"""


def test_collapsed_copies_from_one_outlet_say_so_and_the_timeline_counts_the_story_once(page, tmp_path):
    from archive.coverage.groups import story_groups
    from archive.coverage.store import all_links
    from archive.paths import DataDir
    from conftest import build_archive

    # one outlet's story filed three times, on three days (a folder named after a registered outlet)
    folder = tmp_path / "corpus" / "Al Masdar News"
    folder.mkdir(parents=True)
    for n, day in ((6, "Monday"), (7, "Tuesday"), (8, "Wednesday")):
        (folder / f"lighthouse-{n}.txt").write_text(LIGHTHOUSE.format(day=day, n=n), encoding="utf-8")
    data = DataDir(tmp_path / "data")
    assert not build_archive(data, [folder], entities=False).failures
    with Store(data.store_path) as store:
        articles = list(store)
        groups = story_groups(all_links(store))
    assert len(articles) == 3 and len({a.outlet for a in articles}) == 1 and articles[0].outlet
    assert len(groups) == 1 and groups[0].size == 3
    earliest = min(a.date for a in articles).isoformat()

    app = create_app({"ARCHIVE_DATA": str(data.root)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def bar_counts():
        bars = page.locator("figure.timeline [data-count]")
        return {b.get_attribute("data-start"): int(b.get_attribute("data-count")) for b in bars.all()}

    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/search?q=lighthouse")
        expect(page.locator(".hit")).to_have_count(3)
        assert sum(bar_counts().values()) == 3            # every copy, each on its own day

        page.locator("[data-collapse-toggle]").click()
        page.wait_for_url("**collapse=1*")
        expect(page.locator(".hit")).to_have_count(1)
        expect(page.locator(".summary")).to_contain_text("1 story for")
        expect(page.locator("details.story-members summary")).to_have_text("+2 more copies from the same outlet")
        counted = {start: n for start, n in bar_counts().items() if n}
        assert sum(counted.values()) == page.locator(".hit").count() == 1, counted
        assert list(counted) == [earliest]                 # the story counts once, on its first day
    finally:
        page.goto("about:blank")  # no request of the page may outlive this server
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["search"].close()


def test_the_export_links_download_every_result_of_the_search_shown_with_its_columns(page, base_url, archive):
    # finding 10: exports carry the search, hold every hit, take fields= and have a descriptive name
    import csv
    import io
    import json
    _, articles = archive
    syria = sorted(a.id for a in articles.values() if "syria" in (a.title + " " + a.body).lower())
    page.goto(base_url + "/search?q=syria&sort=oldest")
    expect(page.locator(".result-summary, .summary").first).to_be_visible()
    with page.expect_download() as csv_download:
        page.locator(".exports a", has_text="CSV").click()
    download = csv_download.value
    assert download.suggested_filename.startswith("archive-syria") and download.suggested_filename.endswith(".csv")
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert sorted(row["id"] for row in table) == syria
    with page.expect_download() as jsonl_download:
        page.locator(".exports a", has_text="JSON Lines").click()
    records = [json.loads(line) for line in Path(jsonl_download.value.path()).read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == syria
    with page.expect_download() as chosen:
        page.locator(".exports .hint a").click()
    header = Path(chosen.value.path()).read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == ["id", "date", "title", "permalink", "snippet"]
