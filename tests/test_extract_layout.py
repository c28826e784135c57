"""Copied pages: the article found among menus, captions and footers by general rules.

The pages here are written for the tests, in the shape a browser copy has
(w3m-style: bullets for menus, [placeholders] for images and inputs, text
hard-wrapped at the window's width); none is taken from a corpus.
"""
from __future__ import annotations

import textwrap

from archive.document import RawDocument
from archive.extract import extract, extract_many
from archive.extract.clean import comment_section_start, text_lines
from archive.extract.furniture import FurnitureModel
from archive.extract.layout import analyse, page_units

ARTICLE = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
    "after engineers warned that the structure could no longer carry heavy traffic safely.",
    "The decision followed a report that found corrosion in most of the steel supports and "
    "recommended that the bridge be rebuilt within five years at a cost the city cannot yet meet.",
    "Buses will be rerouted.",
    "Residents of the harbour district said they had not been told about the plan before the vote "
    "and asked the council to publish the engineers' report in full before any work begins.",
    "The mayor said the report would be published next week and that a public meeting would be "
    "held in the harbour district before the end of the month.",
]
MENU = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture", "  • Weather"]
FOOTER = ["  • About us", "  • Contact", "  • Careers", "Follow us on social media"]


def wrapped(paragraph: str, width: int = 80) -> str:
    return "\n".join(textwrap.wrap(paragraph, width))


def page(*, headline="Harbour bridge to close to cars next spring", kicker=None, caption=True,
         extra_menu=(), footer=FOOTER) -> str:
    head = [*MENU, *extra_menu, "", "[site-logo]", ""]
    if kicker:
        head += [kicker, headline]
    else:
        head += [headline]
    head += ["", "By Jane Example", "", "[harbour-bridge.jpg]", ""]
    if caption:
        head += ["The old harbour bridge at dusk. (Photo: City Archive)", ""]
    body = []
    for i, paragraph in enumerate(ARTICLE):
        body += [wrapped(paragraph), ""]
        if i == 1:
            body += ["[advertisement]", ""]
    return "\n".join(head + body + ["Related stories", "", *footer, "", "[ ] [Subscribe]"]) + "\n"


def raw(text: str, path: str = "copies/page.txt") -> RawDocument:
    return RawDocument(path=path, record=None, fmt="txt", text=text)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_paragraph_wrapped_at_the_window_width_is_one_paragraph():
    lines = text_lines(wrapped(ARTICLE[0], 60) + "\n")
    units = page_units(lines)
    assert len(units) == 1 and flat(units[0].text) == ARTICLE[0]


def test_menu_items_on_lines_of_their_own_are_separate_paragraphs():
    units = page_units(text_lines("\n".join(MENU) + "\n"))
    assert [u.text for u in units] == [m.strip() for m in MENU]


def test_every_sentence_of_the_article_stays_and_the_furniture_goes():
    article = extract(raw(page()))
    body = flat(article.body)
    for paragraph in ARTICLE:
        assert paragraph in body
    for furniture in ("Home", "Careers", "Follow us", "[advertisement]", "Subscribe", "Related stories"):
        assert furniture not in body, furniture


def test_a_short_sentence_between_two_paragraphs_of_the_article_stays():
    layout = analyse(text_lines(page()), "en")
    kept = [u for u in layout.units if u.class_type == "good"]
    assert "Buses will be rerouted." in [flat(u.text) for u in kept]


def test_an_image_placeholder_does_not_part_the_article():
    # the advertisement placeholder stands between paragraphs 2 and 3; paragraph 3 is short
    article = extract(raw(page()))
    assert "Buses will be rerouted." in article.body


def test_the_headline_is_the_line_above_the_byline_not_the_caption_or_a_menu_item():
    article = extract(raw(page()))
    assert article.title == "Harbour bridge to close to cars next spring"
    assert article.origins["title"] == "inferred:headline"
    assert "Harbour bridge to close" not in article.body


def test_a_kicker_set_right_above_the_headline_joins_it():
    article = extract(raw(page(kicker="After the Corrosion Report")))
    assert article.title == "After the Corrosion Report: Harbour bridge to close to cars next spring"


def test_a_section_label_repeated_in_the_menu_is_not_a_kicker():
    article = extract(raw(page(kicker="Culture News", extra_menu=["  • Culture News"])))
    assert article.title == "Harbour bridge to close to cars next spring"


def test_text_without_any_sign_of_furniture_is_left_to_the_line_rules():
    wire = "\n\n".join(ARTICLE) + "\n"
    layout = analyse(text_lines(wire), "en")
    assert not layout.classified
    assert flat(extract(raw(wire)).body) == flat(" ".join(ARTICLE))


# --- furniture learnt from repetition --------------------------------------------------------

SITE_LINES = ["Harbour Gazette Tonight", "Weekend Crossword Corner", "Letters to the Editor Desk"]
PLACES = ["Northgate", "Eastfield", "Southmoor", "Westbrook"]


def site_page(n: int) -> str:
    """A page of one site: its own menu words (in no list anywhere), then a story of its own."""
    place = PLACES[n]
    story = [p.replace("harbour bridge", f"{place} bridge").replace("harbour district", f"{place} district")
             for p in ARTICLE]
    story[2] = f"Buses to {place} will be rerouted."
    story[0] += f" The {place} crossing was opened in {1950 + n} and carries most of the traffic."
    return "\n".join([*SITE_LINES, "", f"{place} bridge to close to cars next spring", "",
                      *[wrapped(p) + "\n" for p in story], "Report abuse", "Send comment"]) + "\n"


def test_lines_a_folder_of_pages_repeats_are_learnt_as_furniture():
    model = FurnitureModel.learn(site_page(n) for n in range(4))
    assert all(model.is_furniture(line.casefold(), line) for line in SITE_LINES)
    assert not model.is_furniture(ARTICLE[2].casefold(), ARTICLE[2])


def test_a_folder_of_one_sites_pages_cleans_itself():
    raws = [raw(site_page(n), path=f"site/{n}.txt") for n in range(4)]
    articles = list(extract_many(raws))
    for n, article in enumerate(articles):
        assert not any(line in article.body for line in SITE_LINES)
        assert f"Buses to {PLACES[n]} will be rerouted." in article.body
        assert article.title == f"{PLACES[n]} bridge to close to cars next spring"


def test_a_sentence_two_copies_of_a_story_share_is_not_furniture():
    # syndicated text: the same paragraphs in two pages must survive in both
    model = FurnitureModel.learn([page(), page(headline="Harbour bridge closing to cars")])
    for paragraph in ARTICLE:
        assert not model.is_furniture(paragraph.casefold(), paragraph)


def test_an_exact_copy_of_a_page_counts_once():
    model = FurnitureModel.learn([page(), page()])
    assert model.pages == 1


def test_a_story_saved_several_times_in_one_folder_keeps_its_body_in_every_copy():
    copies = [page().replace("By Jane Example", f"By Jane Example, update {n}") for n in range(5)]
    articles = list(extract_many([raw(text, path=f"saved/{n}.txt") for n, text in enumerate(copies)]))
    for article in articles:
        for paragraph in ARTICLE:
            assert paragraph in flat(article.body)


STANDINGS = [("Anna Berg", 412, 5), ("Carl Dahl", 398, 3), ("Eva Falk", 377, 2), ("Gus Holm", 350, 1),
             ("Ida Jonsson", 322, 0), ("Karl Lund", 301, 0), ("Maja Nord", 287, 0), ("Olle Pihl", 260, 0)]


def table_lines(rows) -> list[str]:
    """Rows as a browser copies a table: cells parted by runs of spaces, a blank line between rows."""
    out = [f"{'Pos.':6}{'Driver':16}{'Points':>8}{'Wins':>6}", ""]
    for pos, (name, points, wins) in enumerate(rows, 1):
        out += [f"{pos:<6}{name:16}{points:>8}{wins:>6}", ""]
    return out


def test_a_table_the_text_introduces_stays_with_every_row():
    text = "\n".join([*MENU, "", "[site-logo]", "", "Championship standings after the last race", "",
                      "This page always shows the current standings of the championship.", "",
                      "Final standings of the 2019 season after twelve races:", "",
                      *table_lines(STANDINGS), *FOOTER, ""])
    body = flat(extract(raw(text)).body)
    assert "Final standings of the 2019 season after twelve races:" in body
    for pos, (name, points, wins) in enumerate(STANDINGS, 1):
        assert f"{pos} {name} {points} {wins}" in body, name
    for furniture in ("Home", "Careers", "Follow us"):
        assert furniture not in body, furniture


def test_a_table_nobody_introduces_is_left_to_the_classifier():
    # a price box in the sidebar after the article: its rows are not the article's
    prices = [f"{'Model':14}{'Price':>10}{'Save':>8}", ""] + [
        line for n in range(6) for line in (f"{'Laptop ' + str(n + 1):14}{'$' + str(999 + 100 * n):>10}{'$50':>8}", "")]
    text = page().replace("Related stories", "\n".join(["Price guide", "", *prices, "Related stories"]))
    body = flat(extract(raw(text)).body)
    for paragraph in ARTICLE:
        assert paragraph in body
    assert "Laptop" not in body and "$999" not in body


COMMENTS = [("riverwatcher", "November 19, 2019 at 8:13 am",
             "I crossed that bridge every day for twenty years and nobody ever told us it was unsafe, "
             "which makes me wonder what else the council has not been telling the people who live here."),
            ("harbourmum", "November 19, 2019 at 8:32 am",
             "Buses will take twice as long and the council knows it, so they should at least run more of them "
             "during the morning rush instead of pretending that nothing changes for the families on our side."),
            ("old_engineer", "November 19, 2019 at 9:05 am",
             "Corrosion like that does not appear overnight; the inspections must have shown it years ago, and "
             "someone decided to wait until it became an emergency that could be blamed on the weather."),
            ("lena", "November 19, 2019 at 9:40 am",
             "Publish the report now, not next week, and let the engineers answer questions in public so that "
             "residents can judge the risk for themselves before the council spends money it does not have.")]


def thread_page() -> str:
    thread = ["Comments", ""]
    for n, (name, posted, words) in enumerate(COMMENTS, 1):
        thread += [f" {n}. {name} says:", f"    {posted}", "", wrapped(words), ""]
    return page(footer=[]).replace("Related stories", "\n".join([*thread, "Related stories"]))


def test_a_thread_of_comments_is_not_the_article():
    body = flat(extract(raw(thread_page())).body)
    for paragraph in ARTICLE:
        assert paragraph in body
    for name, _, words in COMMENTS:
        assert name not in body and words[:40] not in body, name


def test_a_thread_longer_than_the_article_starts_at_its_label_found_by_the_comment_headers():
    # "Comments" alone ends an article only with more text above it than below; the headers
    # ("riverwatcher says:" and the time it was posted) say it is a thread whatever its length
    lines = text_lines(thread_page().replace(wrapped(COMMENTS[0][2]), wrapped(COMMENTS[0][2] * 6)))
    assert comment_section_start(lines) == lines.index("Comments")


def test_an_article_quoting_someone_who_said_something_keeps_the_quotation():
    # "X said:" lines inside an article carry no time of posting: they are not comment headers
    quoted = ["The mayor said:", "", wrapped("We will publish the report in full and nobody will be surprised."),
              "", "A resident said:", "", wrapped("We want to see the numbers before anything is closed.")]
    text = page().replace(wrapped(ARTICLE[3]), "\n".join([wrapped(ARTICLE[3]), "", *quoted]))
    body = flat(extract(raw(text)).body)
    for paragraph in ARTICLE:
        assert paragraph in body
    assert "nobody will be surprised" in body and "see the numbers" in body
    lines = text_lines(text)
    assert comment_section_start(lines) == len(lines)
