"""Language detection on a prefix, and language hints normalised."""
from __future__ import annotations

import pytest

from archive.extract.language import detect_language, normalise_language


@pytest.mark.parametrize("title, body, expected", [
    ("Talks to resume", "The ministry said on Monday that the talks would resume next week in Geneva.", "en"),
    ("Reprise des pourparlers", "Le ministère a déclaré lundi que les négociations reprendraient la "
                                "semaine prochaine à Genève.", "fr"),
    ("Gespräche", "Das Ministerium erklärte am Montag, dass die Gespräche nächste Woche in Genf "
                  "wieder aufgenommen werden.", "de"),
    ("", "Министерство заявило в понедельник, что переговоры возобновятся на следующей неделе.", "ru"),
    ("", "وقالت الوزارة يوم الاثنين إن المحادثات ستستأنف الأسبوع المقبل في جنيف", "ar"),
])
def test_common_news_languages_are_detected(title, body, expected):
    assert detect_language(title, body) == expected


@pytest.mark.parametrize("title, body", [("", ""), ("Hi", "ok"), ("", "12 345 678 -- 2016/09/17")])
def test_too_little_text_gives_no_language(title, body):
    assert detect_language(title, body) is None


def test_only_the_opening_of_a_long_body_decides():
    english = "The ministry said on Monday that the talks would resume next week. " * 10
    assert detect_language("", english + "Das Ministerium erklärte am Montag. " * 200) == "en"


@pytest.mark.parametrize("value, expected", [("en", "en"), ("en-US", "en"), ("EN_gb", "en"),
                                             ("", None), (None, None), ("english language", None)])
def test_language_hints_become_primary_tags(value, expected):
    assert normalise_language(value) == expected
