"""Properties that must hold for any input, checked with hypothesis.

Extraction never raises on text it is given (a BadRecord, the archive's
own way of saying "no article here", is the one allowed refusal), and what
it returns can be stored and read back. Ids and slugs are deterministic,
URL-safe, and distinct for distinct articles across the whole of
Reuters-21578.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.document import HINT_KEYS, Article, RawDocument, content_hash
from archive.errors import BadRecord
from archive.extract import extract
from archive.ids import article_id, article_slug, disambiguate

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EXTRACTION = settings(max_examples=150, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])

#: Lines that look like what scraped articles hold, to be mixed at random.
NEWSY_LINES = st.sampled_from([
    "Source: RT News", "Report abuse", "Send comment", "News ID: 423733",
    "BEIRUT (Reuters) - The talks resumed on Monday.", "20 September 2016 - 22:36",
    "Tue Sep 27, 2016 10:02:22", " date 2016-09-27", "4/5/2017", "(Before It's News)",
    "FNA reported that the convoy arrived.", "{\"a\": [1, 2, {\"b\": null}]}",
    "Share this article", "Page 3 of 12", ":) :( :D", "Rasa - Clerics met in Qom.",
    "Saturday, September 17, 2016 12:58", "31/02/2016", "0000-00-00", "Date: 99/99/9999",
])
TEXT = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(NEWSY_LINES, st.text(max_size=120)), max_size=30).map("\n".join),
)
HINTS = st.dictionaries(st.sampled_from(HINT_KEYS + ("folder", "crawl_date")),
                        st.one_of(st.text(max_size=60), st.sampled_from(
                            ["2016-09-27", "not a date", "http://", "rt.com", "Reuters", "", " "])),
                        max_size=6)


def extracted_or_refused(raw: RawDocument) -> Article | None:
    try:
        return extract(raw)
    except BadRecord as bad:
        assert bad.reason.strip(), "a refusal must say why"
        return None


def assert_storable(article: Article) -> None:
    assert SLUG.match(article.id), article.id
    assert SLUG.match(article.slug), article.slug
    assert article.title.strip() and article.body.strip()
    encoded = json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert Article.from_dict(json.loads(encoded)) == article


@EXTRACTION
@given(text=TEXT, hints=HINTS, fmt=st.sampled_from(["txt", "csv", "json", "jsonl"]),
       record=st.one_of(st.none(), st.integers(1, 10**6)))
def test_extraction_never_raises_on_random_text(text, hints, fmt, record):
    article = extracted_or_refused(RawDocument(path="/in/feed", record=record, fmt=fmt,
                                               text=text, hints=hints))
    if article is not None:
        assert_storable(article)


@EXTRACTION
@given(text=TEXT, hints=HINTS)
def test_extraction_of_the_same_document_gives_the_same_article(text, hints):
    raw = RawDocument(path="/in/a.txt", record=None, fmt="txt", text=text, hints=hints)
    assert extracted_or_refused(raw) == extracted_or_refused(raw)


@given(title=st.text(max_size=300))
def test_a_title_slug_is_never_empty_and_always_url_safe(title):
    slug = article_slug(title)
    assert SLUG.match(slug) and len(slug) <= 60
    assert article_slug(title) == slug


@given(title=st.text(max_size=200), body=st.text(max_size=500),
       outlet=st.one_of(st.none(), st.text(max_size=30).map(article_slug)),
       news_id=st.one_of(st.none(), st.text(max_size=20)))
def test_an_article_id_is_deterministic_and_url_safe(title, body, outlet, news_id):
    chash = content_hash(title, body)
    aid = article_id(title, chash, outlet, news_id)
    assert aid == article_id(title, chash, outlet, news_id)
    assert SLUG.match(aid), aid


@given(title=st.text(max_size=100), first=st.text(max_size=300), second=st.text(max_size=300))
def test_different_texts_under_one_title_get_different_ids(title, first, second):
    h1, h2 = content_hash(title, first), content_hash(title, second)
    if h1[:10] != h2[:10]:  # a 40-bit prefix collision is the one accepted limit
        assert article_id(title, h1) != article_id(title, h2)


@given(aid=st.text(min_size=1, max_size=40).map(article_slug),
       where=st.text(max_size=80))
def test_a_disambiguated_id_is_deterministic_and_differs_from_the_original(aid, where):
    other = disambiguate(aid, where)
    assert other == disambiguate(aid, where) and other != aid and SLUG.match(other)


@pytest.fixture(scope="module")
def reuters(corpora) -> list[dict]:
    with gzip.open(corpora / "reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.corpus
def test_ids_from_title_and_content_hash_are_distinct_across_reuters(reuters):
    """Every distinct (title, body) of the 21,578 articles gets its own id."""
    ids = [article_id(r["title"], content_hash(r["title"], r["body"])) for r in reuters]
    distinct_texts = len({(r["title"], r["body"]) for r in reuters})
    assert len(set(ids)) == distinct_texts
    assert ids == [article_id(r["title"], content_hash(r["title"], r["body"])) for r in reuters]
    assert all(SLUG.match(i) for i in ids)


@pytest.mark.corpus
def test_ids_from_outlet_and_news_id_are_distinct_across_reuters(reuters):
    ids = [article_id(r["title"], content_hash(r["title"], r["body"]), "reuters", r["id"])
           for r in reuters]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert repeated == [] and len(ids) == len(reuters)


@pytest.mark.corpus
def test_slugs_of_every_reuters_title_are_url_safe_and_bounded(reuters):
    slugs = [article_slug(r["title"]) for r in reuters]
    assert all(SLUG.match(s) and len(s) <= 60 for s in slugs)
