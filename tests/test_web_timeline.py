"""The timeline over a fixture archive: zoomed by the date filter, its data as CSV."""
from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from web import create_app

from test_web_fixture import build_web_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_web_archive(tmp_path_factory.mktemp("timeline-archive"))


@pytest.fixture(scope="module")
def client(archive):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(archive[0].root)})
    yield app.test_client()
    app.extensions["search"].close()


def test_a_chosen_month_zooms_the_timeline_to_its_days_and_marks_them_selected(client, archive):
    articles = archive[1].values()
    data = client.get("/api/search?month=2016-09").get_json()["histogram"]
    september = sorted(a.date.isoformat() for a in articles if a.month == "2016-09")
    assert data["unit"] == "day"
    assert [b["start"] for b in data["bars"]][0] == september[0]
    assert [b["end"] for b in data["bars"]][-1] == september[-1]
    assert all(b["start"].startswith("2016-09") and b["selected"] for b in data["bars"])
    assert {b["key"]: b["count"] for b in data["bars"] if b["count"]} == dict(Counter(september))


def test_without_a_date_filter_no_bar_is_selected_and_the_bars_add_up_to_the_dated_articles(client, archive):
    bars = client.get("/api/search").get_json()["histogram"]["bars"]
    assert not any(b["selected"] for b in bars)
    assert sum(b["count"] for b in bars) == sum(1 for a in archive[1].values() if a.date)
    assert len(bars) <= 120


def test_the_timeline_csv_has_one_row_per_bar_and_a_descriptive_name(client, archive):
    response = client.get("/export.timeline.csv?q=airstrike&month=2016-09")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    api = client.get("/api/search?q=airstrike&month=2016-09").get_json()["histogram"]["bars"]
    assert [(r["start"], int(r["count"])) for r in rows] == [(b["start"], b["count"]) for b in api]
    disposition = response.headers["Content-Disposition"]
    assert "archive-timeline-airstrike-month-2016-09-" in disposition and disposition.endswith('.csv"')


def test_the_search_page_draws_a_count_axis_and_says_each_bars_count(client):
    page = client.get("/search?month=2016-09").get_data(as_text=True)
    chart = page[page.index("<svg"):page.index("</svg>")]
    assert 'class="axis-title"' in chart and ">Articles<" in chart
    assert '<text class="tick count"' in chart
    assert "<title>20 Sep 2016: 1 article</title>" in chart
    assert 'aria-label="20 Sep 2016: 1 article (selected)"' in chart
    assert "Show all dates" in page and "Chart data (CSV)" in page


def test_one_line_per_selected_outlet_adds_up_to_its_articles(client, archive):
    articles = archive[1].values()
    data = client.get("/api/search?outlet=rt&outlet=rasa&timeline=outlets").get_json()["histogram"]
    lines = {s["key"]: s for s in data["series"]}
    assert set(lines) == {"rt", "rasa"}
    for slug, line in lines.items():
        assert len(line["values"]) == len(data["bars"])
        mine = [a for a in articles if a.outlet_slug == slug and a.date]
        assert sum(line["values"]) == len(mine)
        for bar, value in zip(data["bars"], line["values"]):
            assert value == sum(1 for a in mine if bar["start"] <= a.date.isoformat() <= bar["end"])


def test_shares_are_each_outlets_matching_articles_over_its_output_in_the_period(client, archive):
    articles = [a for a in archive[1].values() if a.date]
    data = client.get("/api/search?q=deir&timeline=shares").get_json()["histogram"]
    assert data["series"], "without a selected outlet, the top outlets get a line"
    for line in data["series"]:
        for bar, value in zip(data["bars"], line["values"]):
            inside = [a for a in articles if (a.outlet_slug or "_none") == line["key"]
                      and bar["start"] <= a.date.isoformat() <= bar["end"]]
            matching = [a for a in inside if "deir" in (a.title + a.body).lower()]
            assert value == pytest.approx(len(matching) / len(inside) if inside else 0.0, abs=1e-4)
    assert client.get("/api/search?timeline=sideways").status_code == 400


def test_the_timeline_csv_carries_a_column_per_outlet_line(client):
    rows = list(csv.reader(io.StringIO(client.get("/export.timeline.csv?outlet=rt&outlet=rasa&timeline=outlets")
                                       .get_data(as_text=True))))
    assert rows[0][-2:] == ["Rasa (count)", "RT (count)"] or rows[0][-2:] == ["RT (count)", "Rasa (count)"]
    assert sum(int(r[-1]) + int(r[-2]) for r in rows[1:]) == sum(int(r[3]) for r in rows[1:])


def test_an_excluded_outlet_gets_no_line(client):
    data = client.get("/api/search?not_outlet=rt&timeline=outlets").get_json()["histogram"]
    assert data["series"] and "rt" not in {s["key"] for s in data["series"]}
