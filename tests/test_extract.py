"""extract(): the bundled samples, unseen-style text, the HTML hints path, odd input."""
from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.document import HINT_KEYS, RawDocument
from archive.errors import BadRecord
from archive.extract import extract
from archive.paths import SAMPLES_DIR

D = dt.date

#: What a reader of each sample sees (read by eye from the files): its metadata,
#: and the beginnings of the lines that are not article text.
SAMPLES = {
    "000": dict(
        outlet="Rasa News Agency", date=D(2016, 9, 20), news_id="423733",
        title="ISIL Terrorist Has American Weapon",
        not_article=["20 September 2016 - 22:36", "News ID: 423733", "ISIL Terrorist Has American Weapon",
                     "Tags: US Syria ISIL", "Send comment", "Please type in your comments",
                     "The comments that contain insults"]),
    "001": dict(
        outlet="Fars News Agency", date=D(2016, 9, 27), news_id=None,
        title="Audio of ISIS, US Military Radio Communication before Deir Ezzur Strike Available: Syrian Official",
        not_article=["Audio of ISIS, US Military Radio Communication", "Tue Sep 27, 2016 10:02:22",
                     'string(1692) "[{']),
    "002": dict(
        outlet="Before It's News", date=D(2016, 9, 17), news_id=None,
        title="US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor ..”Serious And Blatant Aggression”",
        not_article=["Online:", "Visits:", "Stories:", "Profile image", "Story Views", "Now:", "Last Hour:",
                     "Last 24 Hours:", "Total:", "US Airstrike Kills 62 Syrian Soldiers",
                     "Saturday, September 17, 2016 12:58", "% of readers think this story is Fact",
                     "(Before It's News)", "Report abuse", "Comments", "Your Comments", "Question   Razz",
                     "Top Stories", "Recent Stories", "Register", "Newsletter", "Email this story",
                     "If you really want to ban this commenter", "If you really want to disable"]),
    "003": dict(
        outlet="RT", date=D(2016, 9, 27), news_id=None,
        lead="Damascus has a recording of conversations between the American military",
        not_article=["Source: RT News"], date_prefix=" date 2016-09-27 "),
    "004": dict(
        outlet=None, date=None, news_id=None,
        lead="United States officials have admitted in a statement issued by Central Command",
        not_article=["Skip to main content", "Scroll to Continue", "Recommended for You"]),
}

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+")


def sample_path(key: str) -> Path:
    return next(SAMPLES_DIR.glob(f"{key}_*.txt"))


def extract_sample(key: str):
    path = sample_path(key)
    return extract(RawDocument(path=str(path), record=None, fmt="txt", text=path.read_text(encoding="utf-8"),
                               hints={"folder": "samples"}))


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def article_lines(key: str) -> list[str]:
    """The sample's lines minus its non-article lines and its date prefix."""
    spec = SAMPLES[key]
    lines = sample_path(key).read_text(encoding="utf-8").splitlines()
    if spec.get("date_prefix"):
        assert lines[0].startswith(spec["date_prefix"])
        lines[0] = lines[0][len(spec["date_prefix"]):]
    return [line for line in lines
            if line.strip() and not any(line.strip().startswith(p) for p in spec["not_article"])]


def article_sentences(key: str) -> list[str]:
    return [s for line in article_lines(key) for s in SENTENCE_END.split(flat(line)) if s]


@pytest.fixture(scope="module")
def extracted():
    return {key: extract_sample(key) for key in SAMPLES}


@pytest.mark.parametrize("key", SAMPLES)
def test_each_sample_gets_its_outlet_date_and_news_id(extracted, key):
    article, spec = extracted[key], SAMPLES[key]
    assert (article.outlet, article.date, article.news_id) == (spec["outlet"], spec["date"], spec["news_id"])


def test_the_fars_sample_is_filed_under_the_registered_display_name_and_slug(extracted):
    assert (extracted["001"].outlet, extracted["001"].outlet_slug) == ("Fars News Agency", "fars-news-agency")


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_a_sample_with_a_headline_is_titled_by_it(extracted, key):
    assert extracted[key].title == SAMPLES[key]["title"]
    assert extracted[key].origins["title"] == "inferred:headline"


@pytest.mark.parametrize("key", ["003", "004"])
def test_a_sample_without_a_headline_is_titled_by_its_shortened_lead_sentence(extracted, key):
    title = extracted[key].title
    assert title.startswith(SAMPLES[key]["lead"])
    assert len(title) <= 121 and title.endswith("…")
    assert title[:-1] in flat(article_lines(key)[0])
    assert extracted[key].origins["title"] == "inferred:lead-sentence"


@pytest.mark.parametrize("key", SAMPLES)
def test_no_boilerplate_line_of_a_sample_survives_in_its_body(extracted, key):
    body_lines = [line.strip() for line in extracted[key].body.splitlines()]
    for prefix in SAMPLES[key]["not_article"]:
        assert not [line for line in body_lines if line.startswith(prefix)], prefix


@pytest.mark.parametrize("key", SAMPLES)
def test_every_article_sentence_of_a_sample_survives_in_its_body(extracted, key):
    body = flat(extracted[key].body)
    sentences = article_sentences(key)
    assert len(sentences) > 5
    assert [s for s in sentences if s not in body] == []


def test_a_sentence_that_merely_mentions_comment_is_kept(extracted):
    assert "There was no immediate comment from Washington." in extracted["002"].body


@pytest.mark.parametrize("key", SAMPLES)
def test_a_sample_body_does_not_start_with_its_title_or_its_date(extracted, key):
    article = extracted[key]
    first_line = article.body.splitlines()[0]
    assert first_line != article.title
    assert not first_line.lstrip().startswith(("date 2016", "20 September 2016", "Tue Sep"))


def test_the_samples_record_how_each_field_was_found(extracted):
    assert extracted["000"].origins == {
        "news_id": "inferred:id-line", "date": "inferred:date-line", "title": "inferred:headline",
        "outlet": "inferred:dateline", "lang": "inferred:langid"}
    assert extracted["001"].origins["outlet"] == "inferred:sign-off"
    assert extracted["002"].origins["outlet"] == "inferred:byline"
    assert extracted["003"].origins["outlet"] == "inferred:source-line"
    assert extracted["003"].origins["date"] == "inferred:date-prefix"
    assert "outlet" not in extracted["004"].origins and "date" not in extracted["004"].origins


@pytest.mark.parametrize("key", SAMPLES)
def test_sample_articles_keep_provenance_original_text_and_language(extracted, key):
    article = extracted[key]
    path = sample_path(key)
    assert (article.source_path, article.record, article.fmt) == (str(path), None, "txt")
    assert article.original == path.read_text(encoding="utf-8")
    assert article.lang == "en"
    assert article.url is None


def test_an_outlet_and_news_id_make_a_stable_readable_id(extracted):
    assert extracted["000"].id == "rasa-news-agency-423733"
    assert extract_sample("000") == extracted["000"]


# --- text from other outlets, written for these tests -------------------------

def extract_text(text: str, **hints):
    return extract(RawDocument(path="mem.txt", record=None, fmt="txt", text=text, hints=hints))


def test_a_wire_story_with_a_reuters_dateline_and_an_iso_date_line():
    article = extract_text("2017-03-01\n\nOil Output Cut Extended\n\n"
                           "VIENNA (Reuters) - OPEC agreed on Wednesday to extend its output cut.\n\n"
                           "Ministers said the deal would hold until the end of the year.")
    assert (article.outlet, article.date, article.title) == ("Reuters", D(2017, 3, 1), "Oil Output Cut Extended")
    assert article.body.startswith("VIENNA (Reuters) - OPEC agreed")


def test_a_us_numeric_date_line_and_a_news_code_line():
    article = extract_text("4/5/2017\nNews Code: 83-2017-77\n\nTehran (FNA)- Iran's parliament "
                           "approved the budget on Sunday.\n\nThe vote was 180 to 40.")
    assert (article.date, article.news_id, article.outlet) == (D(2017, 4, 5), "83-2017-77", "Fars News Agency")
    assert "News Code" not in article.body and "4/5/2017" not in article.body


def test_outlets_only_quoted_in_a_story_leave_the_outlet_unknown():
    article = extract_text("Officials told RT on Monday that the convoy had been hit.\n\n"
                           "According to SANA, twelve trucks burned. The attack was confirmed, "
                           "as cited by Sputnik.\n\nThe UN suspended deliveries, as Reuters reported.")
    assert article.outlet is None and "outlet" not in article.origins


def test_a_closing_source_line_is_the_outlet_and_leaves_the_body():
    article = extract_text("Posted on March 3, 2017 by admin\n\nThe convoy was hit near Aleppo on "
                           "Monday.\n\nTwelve trucks burned.\n\nSource: Al Jazeera")
    assert (article.outlet, article.date) == ("Al Jazeera", D(2017, 3, 3))
    assert "Source:" not in article.body and "Posted on" not in article.body


def test_an_event_date_in_a_sentence_is_not_the_publication_date_but_a_dated_line_is():
    text = "The offensive began on September 30, 2015 when Russia launched its first airstrikes."
    assert extract_text(text).date is None
    later = "".join(f"\n\nStrike number {n} followed in October." for n in range(9))
    dated = extract_text(text + later + "\n\n11 October 2015")
    assert (dated.date, dated.origins["date"]) == (D(2015, 10, 11), "inferred:page-named")


def test_a_future_date_line_is_refused():
    assert extract_text("1 January 2999\n\nThe convoy was hit near Aleppo on Monday.").date is None


# --- the HTML hints path --------------------------------------------------------

def test_html_hints_give_explicit_metadata_and_the_site_suffix_leaves_the_title():
    html = "<html><head><title>Syria has recording | RT World News</title></head><body>...</body></html>"
    raw = RawDocument(path="page.html", record=None, fmt="html", html=html,
                      text="Syria has recording | RT World News\n\nDamascus has a recording of the talks.",
                      hints={"title": "Syria has recording | RT World News", "site_name": "RT International",
                             "url": "https://www.rt.com/news/360383-syria-recording/",
                             "date": "2016-09-27T12:31:00+00:00", "lang": "en-GB", "crawl_date": "2020-01-01"})
    article = extract(raw)
    assert (article.title, article.outlet, article.outlet_slug) == ("Syria has recording", "RT", "rt")
    assert (article.date, article.url, article.lang) == (D(2016, 9, 27), raw.hints["url"], "en")
    assert article.origins == {"title": "explicit:title", "outlet": "explicit:site_name", "date": "explicit:date",
                               "url": "explicit:url", "lang": "explicit:lang"}
    assert article.original == html
    assert article.body == "Damascus has a recording of the talks."


def test_an_unregistered_page_is_filed_under_its_domain_and_dated_by_its_url():
    raw = RawDocument(path="page.html", record=None, fmt="html", html="<html></html>",
                      text="The storm flooded downtown streets on Saturday.",
                      hints={"url": "https://www.houstonpress.com/news/2016/09/17/storm-floods-downtown",
                             "crawl_date": "2020-05-05"})
    article = extract(raw)
    assert (article.outlet, article.origins["outlet"]) == ("houstonpress.com", "explicit:url")
    assert (article.date, article.origins["date"]) == (D(2016, 9, 17), "inferred:url-path")


# --- bad and random input -------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\n\t", "Skip to main content\nReport abuse\nRegister",
                                  "20 September 2016\nNews ID: 5"])
def test_a_record_without_article_text_is_a_bad_record_naming_file_and_record(text):
    with pytest.raises(BadRecord) as caught:
        extract(RawDocument(path="feed.jsonl", record=7, fmt="jsonl", text=text))
    assert (caught.value.path, caught.value.record) == ("feed.jsonl", 7)
    assert "no article text" in caught.value.reason


FRAGMENTS = ["Skip to main content", "News ID: 42", "20 September 2016 - 22:36", "(Reuters)", "Source: RT",
             "BEIRUT (Reuters) - ", "Tags: x", "Report abuse", "Comments", " date 2016-09-27 ", "4/5/2017",
             "..., FNA reported.", "Source: http://", "|", "—", "\n", "\n\n", "    ", "\xa0", "\u200b", "ID:"]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text()), max_size=12).map("".join)
HINTS = st.dictionaries(st.sampled_from(HINT_KEYS + ("folder", "crawl_date")),
                        st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)), max_size=5)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, hints=HINTS)
def test_random_text_and_hints_give_an_article_or_a_bad_record_never_another_error(text, hints):
    try:
        article = extract(RawDocument(path="x.txt", record=None, fmt="txt", text=text, hints=hints))
    except BadRecord:
        return
    assert article.title and article.body and article.id and article.slug
    assert article.date is None or dt.date(1900, 1, 1) <= article.date <= dt.date.today()
    assert set(article.origins) <= {"title", "outlet", "date", "news_id", "url", "lang"}
    assert all(v.startswith(("explicit:", "inferred:")) for v in article.origins.values())


# --- a real single-outlet corpus --------------------------------------------------

@pytest.mark.corpus
def test_reuters_records_keep_their_explicit_fields(corpora):
    path = corpora / "reuters21578" / "reuters21578.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, 300)]
    with_body = [r for r in records if (r.get("body") or "").strip()]
    for n, rec in enumerate(with_body, 1):
        article = extract(RawDocument(path=str(path), record=n, fmt="jsonl", text=rec["body"],
                                      hints={"title": rec["title"], "outlet": rec["outlet"],
                                             "date": rec["date"], "news_id": rec["id"]}))
        assert (article.outlet, article.news_id) == ("Reuters", rec["id"])
        assert article.title == " ".join(rec["title"].split())
        assert article.date == dt.date.fromisoformat(rec["date"][:10])
        assert article.id == rec["id"]  # "reuters-N" already starts with the outlet slug
        assert flat(article.body) == flat(rec["body"])
    langs = [extract(RawDocument(path=str(path), record=1, fmt="jsonl", text=r["body"],
                                 hints={"title": r["title"]})).lang for r in with_body]
    assert langs.count("en") >= 0.95 * len(langs)  # the rest are tables of figures
