"""Headlines of copied pages in scripts written without spaces (Chinese, Japanese).

The page is written for the tests in the shape a browser copy has; none is
taken from a corpus.
"""
from __future__ import annotations

from archive.extract import _is_metadata_line
from archive.extract.clean import text_lines
from archive.extract.layout import analyse
from archive.extract.title import FEATURES, content_words, headline_features

HEADLINE = "港湾大橋 来春から車両通行止めへ"
ARTICLE = [
    "市議会は火曜日、港湾大橋を来年の春から車両通行止めにする案を可決した。技術者が橋の鋼材の腐食が進んでいると警告して"
    "おり、大型車両の通行はもう安全ではないと判断した。",
    "市によると、港湾大橋の架け替えには五年以上かかる見通しで、費用の見積もりはまだ出ていない。住民への説明会は来月、"
    "港湾地区の公民館で開かれる予定だという。",
    "港湾地区の住民からは、車両通行止めの前に技術者の報告書をすべて公開するよう求める声が上がっている。市長は来週にも"
    "報告書を公開すると述べた。",
]
MENU = ["  • ホーム", "  • ニュース", "  • スポーツ", "  • 経済", "  • 文化", "  • 天気"]


def page(head: list[str]) -> str:
    lines = [*MENU, "", "[site-logo]", "", *head, ""]
    for paragraph in ARTICLE:
        lines += [paragraph, ""]
    return "\n".join(lines + ["  • 会社概要", "  • お問い合わせ", "", "[ ] [購読]"]) + "\n"


def features_of(text: str) -> dict[str, dict[str, float]]:
    layout = analyse(text_lines(text), "ja")
    assert layout.classified
    return {" ".join(layout.units[k].text.split()): dict(zip(FEATURES, values))
            for k, values in headline_features(layout.units, _is_metadata_line)}


def test_a_run_of_ideographs_counts_as_its_pairs_of_characters():
    assert content_words("港湾大橋") == {"港湾", "湾大", "大橋"}
    assert content_words("車両が通行") == {"車両", "通行"}  # hiragana parts the runs
    assert content_words("Harbour bridge 港湾") == {"harbour", "bridge", "港湾"}


def test_a_japanese_headline_shares_its_words_with_the_lead():
    found = features_of(page([HEADLINE]))
    assert found[HEADLINE]["share"] >= 0.5


def test_a_counter_line_parted_by_full_width_bars_is_no_candidate():
    counters = "閲覧数 7［help］｜コメント 0［help］｜おすすめ 0"
    found = features_of(page([counters, "", HEADLINE]))
    assert HEADLINE in found and counters not in found
