"""Coverage on the bundled samples: citations, no false groups, shared passages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.coverage import align, attributions, link, shared_passages
from archive.coverage.attribution import Citation
from archive.paths import SAMPLES_DIR

SAMPLES = sorted(Path(SAMPLES_DIR).glob("*.txt"))


def text(n: int) -> str:
    return SAMPLES[n].read_text(encoding="utf-8")


def slugs(citations: list[Citation]) -> set[str]:
    return {c.source_slug for c in citations}


def test_the_five_samples_are_bundled():
    assert len(SAMPLES) == 5


def test_sana_is_cited_by_several_articles_as_an_agency():
    citing = [n for n in range(5) if "sana" in slugs(attributions(text(n)))]
    assert len(citing) >= 2
    kinds = {c.kind for n in citing for c in attributions(text(n)) if c.source_slug == "sana"}
    assert kinds == {"agency"}


def test_the_russian_defence_ministry_is_one_official_source_however_spelled():
    citing = [n for n in range(5)
              if any(c.source_slug == "russian-defence-ministry" and c.kind == "official"
                     for c in attributions(text(n)))]
    assert len(citing) >= 3
    # "Russia's Defense Ministry" and "the Russian Defense Ministry" both count
    phrases = {c.phrase for n in citing for c in attributions(text(n)) if c.source_slug == "russian-defence-ministry"}
    assert any("Russia’s" in p for p in phrases) and any("Russian" in p for p in phrases)


def test_the_rt_article_cites_sputnik_arabic_with_its_phrase():
    found = [c for c in attributions(text(3), publisher="RT") if c.source_slug == "sputnik"]
    assert found and found[0].phrase == "as cited by Sputnik Arabic"
    assert text(3)[found[0].start:found[0].end] == found[0].phrase
    assert "Hadiya Khalaf Abbas" in found[0].sentence


def test_rossiya_24_is_an_outlet_told_by_an_official():
    cites = attributions(text(4))
    rossiya = [c for c in cites if c.source_slug == "rossiya-24"]
    assert rossiya and rossiya[0].kind == "outlet" and rossiya[0].phrase == "told Rossiya 24"
    zakharova = [c for c in cites if c.source_name == "Maria Zakharova"]
    assert zakharova and {c.kind for c in zakharova} == {"official"}
    # the bare surname later in the text is the same person
    assert any(c.phrase == "Zakharova added" for c in zakharova)


def test_zero_hedge_is_the_origin_of_the_before_its_news_repost():
    cites = attributions(text(2), publisher="Before It's News")
    origin = [c for c in cites if c.source_slug == "zero-hedge"]
    assert origin and origin[0].kind == "outlet" and origin[0].phrase == "| Zero Hedge"


def test_a_publishers_sign_off_is_not_a_citation_of_itself():
    # "..., FNA reported." closes the FNA article: a sign-off when FNA publishes it
    assert "fars-news-agency" not in slugs(attributions(text(1), publisher="FNA"))
    # ...but a citation when someone else publishes the same words
    assert "fars-news-agency" in slugs(attributions(text(1), publisher="Al-Alam"))
    assert "fars-news-agency" in slugs(attributions(text(1)))
    # "Source: RT News" closing the RT article
    assert "rt" not in slugs(attributions(text(3), publisher="RT"))
    assert "rt" in slugs(attributions(text(3), publisher=None))


def test_a_cited_outlet_mid_article_stays_cited_even_when_it_is_the_publisher():
    body = ("Troops advanced on the town.\n\nAs RT reported earlier, the talks failed and the "
            "ceasefire collapsed.\n\nFighting continued overnight.")
    assert "rt" in slugs(attributions(body, publisher="RT"))


def test_citation_spans_point_at_their_phrases():
    for n in range(5):
        for c in attributions(text(n)):
            assert text(n)[c.start:c.end] == c.phrase
            assert c.phrase in c.sentence or c.rule in {"headline pipe", "source line"}


@pytest.mark.parametrize("sentence, slug, kind", [
    ("The rebels withdrew, the Pentagon said on Monday.", "pentagon", "official"),
    ("Prices rose, according to Xinhua.", "xinhua", "agency"),
    ("BEIRUT, Oct 3 (Reuters) - Shelling resumed near the border.", "reuters", "agency"),
    ("The report was originally published on Sputnik International.", "sputnik", "outlet"),
    ("The agreement was announced in a statement published by the Turkish Foreign Ministry.",
     "turkish-foreign-ministry", "official"),
    ("Standard Oil Co said it plans a venture.", "standard-oil-co", "organisation"),
    ("The claim was first made by a blogger, as cited by Le Monde daily.", "le-monde-daily", "outlet"),
])
def test_unseen_wordings_are_attributed(sentence, slug, kind):
    found = {(c.source_slug, c.kind) for c in attributions(sentence)}
    assert (slug, kind) in found


def test_pronouns_and_plain_words_are_not_sources():
    assert attributions("He said the town fell. They told reporters nothing. It added that more would come.") == []


def test_bad_input_gives_no_citations_rather_than_an_error():
    assert attributions("") == []
    assert attributions(None) == []  # type: ignore[arg-type]


def test_no_two_samples_are_one_story():
    for a in range(5):
        for b in range(a + 1, 5):
            assert link(str(a), text(a), str(b), text(b)) is None


def _words(s: str) -> list[str]:
    return re.findall(r"[^\W_]+", s.casefold())


def test_the_repost_and_the_unattributed_article_share_the_sana_and_ministry_passages():
    a, b = text(2), text(4)
    found = shared_passages(a, b)
    joined = [" ".join(_words(p.text)) for p in found]
    assert any("the bombing took place on al tharda mountain" in j for j in joined)
    assert any("the aircraft which carried out the bombings had entered syrian airspace from the territory of iraq"
               in j for j in joined)
    for p in found:
        # same words at both positions, at least eight of them
        assert _words(a[p.a_start:p.a_end]) == _words(b[p.b_start:p.b_end])
        assert len(_words(p.text)) >= 8


def test_passages_ignore_quotes_case_line_breaks_and_punctuation():
    a = 'He said: "The ceasefire is over, and the talks have failed completely," adding more.'
    b = "Reports say the CEASEFIRE is over and\nthe talks have failed — completely. Nothing else."
    [p] = shared_passages(a, b)
    assert _words(p.text) == "the ceasefire is over and the talks have failed completely".split()
    assert b[p.b_start:p.b_end].startswith("the CEASEFIRE")


def test_runs_shorter_than_eight_words_are_not_passages():
    assert shared_passages("one two three four five six seven", "one two three four five six seven") == []


def test_the_compare_alignment_covers_every_text_and_marks_what_is_shared():
    texts = [text(2), text(4), text(3)]
    al = align(texts)
    for i, column in enumerate(al.columns):
        assert "".join(s.text for s in column) == texts[i]
    shared_in_0 = " ".join(s.text for s in al.columns[0] if 1 in s.shared_with)
    assert "al-Tharda Mountain" in shared_in_0
    # shared rows hold the same words in every filled cell
    shared_rows = [r for r in al.rows if r.kind == "shared"]
    assert shared_rows
    for row in shared_rows:
        filled = [" ".join(_words(s.text)) for cell in row.cells for s in cell]
        assert len(filled) >= 2
        assert all(f == filled[0] for f in filled)
