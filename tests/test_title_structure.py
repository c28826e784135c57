"""Headlines of copied pages: the headline above its standfirst, the article's run below teasers.

The pages are written for the tests in the shape a browser copy has; none
is taken from a corpus. Scores are given by hand, so that the rules are
tested apart from the fitted weights.
"""
from __future__ import annotations

import textwrap

from archive.extract import _is_metadata_line
from archive.extract.clean import text_lines
from archive.extract.layout import Unit, analyse
from archive.extract.title import FEATURES, _headline_above, article_start, headline_features
from test_title_candidates import ARTICLE, HEADLINE, STANDFIRST

ARTICLE = ARTICLE[:3]  # the three-paragraph story test_title_candidates.py tells
MENU = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture", "  • Weather"]


def layout_of(head: list[str]):
    lines = [*MENU, "", "[site-logo]", "", *head, ""]
    for paragraph in ARTICLE:
        lines += [*textwrap.wrap(paragraph, 80), ""]
    lines += ["  • About us", "  • Contact", "", "[ ] [Subscribe]"]
    layout = analyse(text_lines("\n".join(lines) + "\n"), "en")
    assert layout.classified
    return layout


def index_of(layout, text: str) -> int:
    return next(k for k, u in enumerate(layout.units) if " ".join(u.text.split()) == text)


def test_a_standfirst_scoring_best_gives_way_to_the_headline_just_above_it():
    layout = layout_of([HEADLINE, "", STANDFIRST, "", "By Jane Example"])
    features = dict(headline_features(layout.units, _is_metadata_line))
    h, s = index_of(layout, HEADLINE), index_of(layout, STANDFIRST)
    assert _headline_above(layout.units, [(5.0, s), (4.5, h)], features) == (4.5, h)


def test_the_headline_above_must_score_nearly_as_well():
    layout = layout_of([HEADLINE, "", STANDFIRST, "", "By Jane Example"])
    features = dict(headline_features(layout.units, _is_metadata_line))
    h, s = index_of(layout, HEADLINE), index_of(layout, STANDFIRST)
    assert _headline_above(layout.units, [(5.0, s), (3.5, h)], features) is None


def test_a_credit_a_lower_case_line_or_a_breadcrumb_above_is_no_headline():
    for above in ("Harbour bridge seen from the quay (Photo Agency)", "and the harbour bridge closes to cars",
                  "City news » Harbour and bridges"):
        layout = layout_of([above, "", STANDFIRST, "", "By Jane Example"])
        features = dict(headline_features(layout.units, _is_metadata_line))
        a, s = index_of(layout, above), index_of(layout, STANDFIRST)
        assert a in features
        assert _headline_above(layout.units, [(5.0, s), (4.9, a)], features) is None
def _units(texts: list[str]) -> list[Unit]:
    return [Unit([i], t, cf_class="good" if len(t) > 70 else "neargood", class_type="good")
            for i, t in enumerate(texts)]


def test_the_article_run_wins_over_a_longer_run_of_teasers():
    # teasers: headlines (no sentence mark) and snippets cut short, 3 x (60 + 140) characters
    teasers = []
    for n in range(3):
        teasers += [f"Teaser headline number {n} about something else entirely here".ljust(60, "x"),
                    ("A snippet of another story that the page cuts short in the middle " * 3)[:139] + "…"]
    article = ["The council voted to close the bridge, after engineers warned it was unsafe for traffic.",
               "Residents said they had not been told about the plan before the vote was held on Tuesday."]
    units = _units(teasers + ["• Menu item"] * 8 + article)
    for u in units[6:14]:
        u.class_type = u.cf_class = "bad"
    assert sum(len(u.text) for u in units[:6]) > sum(len(u.text) for u in units[14:])
    assert article_start(units) == 14


def test_a_run_of_sentences_above_a_longer_one_still_loses_to_it():
    first = ["A short notice about cookies that ends as a sentence does."]
    article = ["The council voted to close the bridge, after engineers warned it was unsafe for traffic."] * 3
    units = _units(first + ["• Menu item"] * 8 + article)
    for u in units[1:9]:
        u.class_type = u.cf_class = "bad"
    assert article_start(units) == 9


def test_words_of_indic_scripts_keep_their_vowel_signs():
    from archive.extract.title import CONTENT_WORD
    assert CONTENT_WORD.findall("जिले में गेहूं की खरीद शुरू।") == ["जिले", "गेहूं", "खरीद", "शुरू"]
    assert CONTENT_WORD.findall("Wheat buying starts, naïve café 2020") == ["Wheat", "buying", "starts", "naïve", "café"]


def test_a_hindi_headline_shares_its_words_with_the_lead():
    headline = "जिले में बत्तीस क्रय केंद्रों पर गेहूं की खरीद शुरू"
    lead = ("वाराणसी। जनपद के बत्तीस क्रय केंद्रों पर बुधवार को समर्थन मूल्य पर गेहूं की खरीद शुरू हुई। "
            "इस बार किसानों को अपनी उपज बेचने के लिए पहले से पंजीकरण कराना होगा और केंद्रों पर भीड़ से बचना होगा। "
            "जिला अधिकारी ने कहा कि सभी केंद्रों पर तौल की व्यवस्था की गई है और भुगतान सीधे खातों में होगा।")
    more = ("किसान संगठनों ने कहा कि खरीद देर से शुरू हुई है और कई गांवों में अब भी केंद्र दूर हैं, "
            "इसलिए उन्होंने प्रशासन से मांग की है कि हर ब्लॉक में कम से कम दो केंद्र खोले जाएं और समय बढ़ाया जाए।")
    lines = [*MENU, "", "[site-logo]", "", headline, "", *textwrap.wrap(lead, 80), "", *textwrap.wrap(more, 80), "",
             "  • About us", "  • Contact", "", "[ ] [Subscribe]"]
    layout = analyse(text_lines("\n".join(lines) + "\n"), "hi")
    assert layout.classified
    features = {" ".join(layout.units[k].text.split()): dict(zip(FEATURES, v))
                for k, v in headline_features(layout.units, _is_metadata_line)}
    assert features[headline]["share"] > 0.5


def test_code_file_names_and_labelled_photo_credits_are_no_candidates():
    junk = ['"title":"City & states","title_hn":"\\u0936\\u0939\\u0930"', "010_Clymer-2010_Clymer-2 harbour",
            "Fotó: Koszticsák Szilárd / MTI", "Photo: Jane Example / Harbour Agency"]
    for line in junk:
        layout = layout_of([line, "", HEADLINE, "", "By Jane Example"])
        texts = {" ".join(layout.units[k].text.split()) for k, _ in headline_features(layout.units, _is_metadata_line)}
        assert HEADLINE in texts and line not in texts, line
    # a placeholder's name in brackets is no code: the headline beside it stays a candidate
    layout = layout_of([HEADLINE + " [poll_butt]", "", "By Jane Example"])
    texts = {" ".join(layout.units[k].text.split()) for k, _ in headline_features(layout.units, _is_metadata_line)}
    assert HEADLINE + " [poll_butt]" in texts


def test_a_site_name_after_a_dash_is_a_suffix_but_a_clause_is_not():
    from archive.extract.title import _site_suffixed
    assert _site_suffixed("Harbour bridge to close to cars next spring | The Harbour Times")
    assert _site_suffixed("Harbour bridge to close to cars - Harbour News")
    assert not _site_suffixed('Парламент Молдовы, "с подачи Додона" - ограничил полномочия Санду еще до ее инаугурации')
    assert not _site_suffixed("Harbour bridge to close - and the council says it may never reopen to traffic")
    assert not _site_suffixed("Harbour bridge to close to cars next spring")


def test_a_headline_ending_in_an_ellipsis_has_no_full_stop():
    trailing = "Harbour bridge to close to cars next spring…"
    stopped = "Harbour bridge to close to cars next spring."
    for line, expected in ((trailing, 0.0), (stopped, 1.0), ("Harbour bridge to close to cars next spring...", 0.0)):
        layout = layout_of([line, "", "By Jane Example"])
        found = {" ".join(layout.units[k].text.split()): dict(zip(FEATURES, v))
                 for k, v in headline_features(layout.units, _is_metadata_line)}
        assert found[line]["full_stop"] == expected, line
