"""Facets that count everything: values for "no outlet" / "no date", exclusions, finding and ordering values."""
from __future__ import annotations

import pytest

from index.model import MISSING
from web import create_app

from test_web_fixture import build_web_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_web_archive(tmp_path_factory.mktemp("facet-archive"))


@pytest.fixture(scope="module")
def articles(archive):
    return list(archive[1].values())


@pytest.fixture(scope="module")
def client(archive):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(archive[0].root)})
    yield app.test_client()
    app.extensions["search"].close()


def facet(data: dict, name: str) -> dict[str, dict]:
    return {v["value"]: v for v in data["facets"][name]["values"]}


def test_the_outlet_facet_adds_up_to_the_total_with_an_unknown_outlet_value(client, articles):
    data = client.get("/api/search?per_page=50").get_json()
    outlets = facet(data, "outlet")
    assert sum(v["count"] for v in outlets.values()) == data["total"] == len(articles)
    unknown = outlets[MISSING]
    assert unknown["label"] == "(unknown outlet)" and unknown["missing"]
    assert unknown["count"] == sum(1 for a in articles if not a.outlet)


def test_the_unknown_outlet_value_selects_the_articles_without_one(client, articles):
    data = client.get(f"/api/search?outlet={MISSING}&per_page=50").get_json()
    assert {h["id"] for h in data["hits"]} == {a.id for a in articles if not a.outlet}
    both = client.get(f"/api/search?outlet={MISSING}&outlet=rt&per_page=50").get_json()
    assert {h["id"] for h in both["hits"]} == {a.id for a in articles if not a.outlet or a.outlet_slug == "rt"}


def test_excluding_a_value_leaves_it_out_and_keeps_it_listed(client, articles):
    data = client.get("/api/search?not_outlet=rt&per_page=50").get_json()
    assert {h["id"] for h in data["hits"]} == {a.id for a in articles if a.outlet_slug != "rt"}
    rt = facet(data, "outlet")["rt"]
    assert rt["excluded"] and not rt["selected"] and rt["count"] == 1
    people = client.get("/api/search?not_place=syria&per_page=50").get_json()
    assert {h["id"] for h in people["hits"]} == {
        a.id for a in articles if "syria" not in {e.slug for e in a.entities_of("place")}}


def test_a_facets_values_can_be_searched_and_sorted_by_name(client, articles):
    people = {e.slug for a in articles for e in a.entities_of("person")}
    data = client.get("/api/search?more=person&more_q=Abbas").get_json()
    assert set(facet(data, "person")) == {p for p in people if "abbas" in p}
    by_name = client.get("/api/search?more=person&more_sort=name").get_json()
    assert [v["value"] for v in by_name["facets"]["person"]["values"]] == sorted(people)
    months = client.get("/api/search?more=date&more_q=Sep").get_json()
    assert set(facet(months, "date")) == {"2016-09"}


def test_a_bad_facet_order_is_a_clear_error(client):
    response = client.get("/api/search?more_sort=sideways")
    assert response.status_code == 400 and "more_sort" in response.get_json()["error"]["message"].lower()
