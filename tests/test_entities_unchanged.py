"""Speed-ups of entity extraction change no entity.

`fixtures/entities_unchanged.jsonl` holds the entities (names, types, slugs,
variants and every mention's offsets) that the extractor of commit d0c1e26,
before the registry matcher, the repeated-name pass and the per-name caches
were rewritten for speed, found in:

- 27 short Reuters-21578 articles: drawn from the first 1,500 with a body, those
  where a registry name widened a tagged span, where the registry found a
  name the tagger missed, where a tagged name was found again untagged, and
  a few where none of these happened (one of them with no entity at all);
- the 29 spellings of Deir ez-Zor in `fixtures/spellings_deir_ez_zor.jsonl`
  (names found by transliteration key).

When a rule is changed on purpose, bump `RULES_VERSION` and record the file
again: `python tests/test_entities_unchanged.py --record`.
"""
from __future__ import annotations

import gzip
import itertools
import json
import random
import re
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "entities_unchanged.jsonl"
SPELLINGS = FIXTURES / "spellings_deir_ez_zor.jsonl"
REUTERS = Path("reuters21578") / "reuters21578.jsonl.gz"


def _articles(corpora: Path, wanted: list[dict]):
    from archive.document import Article

    reuters_ids = {row["id"] for row in wanted if row["from"] == "reuters21578"}
    texts: dict[str, tuple[str, str]] = {}
    with gzip.open(corpora / REUTERS, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["id"] in reuters_ids:
                texts[d["id"]] = (d.get("title") or "", d["body"])
                if len(texts) == len(reuters_ids):
                    break
    for line in SPELLINGS.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        texts[d["id"]] = (d["title"], d["body"])
    return [Article(id=row["id"], slug=row["id"], title=texts[row["id"]][0], body=texts[row["id"]][1],
                    source_path=row["from"], record=n, fmt="jsonl", original=texts[row["id"]][1], lang="en")
            for n, row in enumerate(wanted)]


@pytest.mark.corpus
def test_the_extractor_finds_exactly_the_entities_it_found_before_it_was_made_faster(corpora):
    from archive.entities import EntityExtractor

    expected = [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines()]
    articles = _articles(corpora, expected)
    found = EntityExtractor().extract(articles)
    assert sum(len(row["entities"]) for row in expected) > 150
    for row, entities in zip(expected, found):
        assert [e.to_dict() for e in entities] == row["entities"], row["id"]


def test_an_article_repeated_in_a_batch_is_tagged_once_and_gets_the_entities_it_gets_alone():
    from archive.document import Article
    from archive.entities import EntityExtractor

    def article(n: int, title: str, body: str, lang: str | None = "en") -> Article:
        return Article(id=f"a{n}", slug=f"a{n}", title=title, body=body, source_path="t.jsonl", record=n,
                       fmt="jsonl", original=body, lang=lang)

    wire = ("Talks", "Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday, the State Department said.")
    other = ("Oil", "Saudi Aramco said on Monday that prices in Houston would rise, Exxon Mobil Corp said.")
    batch = [article(0, *wire), article(1, *other), article(2, *wire), article(3, wire[0], wire[1] + " Reuter"),
             article(4, *wire, lang=None)]
    extractor = EntityExtractor()
    tagged: list[str] = []
    real_tag = extractor._tag
    extractor._tag = lambda lang, items, raw: (tagged.extend(a.id for _, a in items), real_tag(lang, items, raw))
    found = extractor.extract(batch)
    alone = [EntityExtractor().extract([a])[0] for a in batch]
    assert found == alone
    assert found[0] == found[2] and {"Sergei Lavrov", "Geneva"} <= {e.name for e in found[0]}
    assert sorted(tagged) == ["a0", "a1", "a3", "a4"]  # a2 is a0 again; a3 differs by a word, a4 by its language


def _reuters_texts(corpora: Path, n: int) -> list[str]:
    with gzip.open(corpora / REUTERS, "rt", encoding="utf-8") as fh:
        rows = (json.loads(line) for line in fh)
        return [f"{d.get('title') or ''}\n\n{d['body']}" for d in itertools.islice((d for d in rows if d.get("body")), n)]


#: Texts where the registry's spellings meet odd neighbours: curly apostrophes, capitals, hyphens,
#: line breaks inside a name, a non-ASCII letter before and inside one, a match cut by the window's end.
AWKWARD = [
    "The Islamic State’s fighters left Deir ez-Zor; ISLAMIC STATE said nothing.\nAl-Qaeda and al Qaeda-linked men.",
    "U.S.-backed forces met the United\nStates envoy in Deir Ezzor, near Raqqa, Syria's east, and US officers.",
    "Ürümqi, Köln and ÉTATS-UNIS; the european union's EU-wide rules; Syria-based and Syrian.",
    "America'S allies and the kremlin, Daesh-held towns, 'Daesh' and ’Daesh’ in quotes.",
]


@pytest.mark.corpus
def test_the_registry_finder_matches_where_the_one_pattern_of_every_spelling_matches(corpora):
    """`Registry.find`'s matcher is the alternation of every spelling, tried only where one can start."""
    from archive.entities.registry import Registry

    registry = Registry.load()
    whole = registry.finder()
    registry.find("")  # builds the matcher split by first letter
    finder = registry._finders
    draw = random.Random(12)
    texts = _reuters_texts(corpora, 80) + AWKWARD
    matched = 0
    for text in texts:
        windows = [(0, len(text))] + [tuple(sorted(draw.sample(range(len(text) + 1), 2))) for _ in range(3)]
        for start, end in windows:
            expected = [(m.start(), m.end()) for m in whole.finditer(text, start, end)]
            assert [(m.start(), m.end()) for m in finder.finditer(text, start, end)] == expected, (text[:60], start)
            matched += len(expected)
    assert matched > 150


@pytest.mark.corpus
def test_a_name_is_found_again_where_the_word_bounded_pattern_of_it_matches(corpora):
    """`mentions.written_again` finds what a pattern compiled for the name found."""
    from archive.entities.mentions import written_again

    texts = _reuters_texts(corpora, 80) + AWKWARD
    found = 0
    for text in texts:
        names = {m.group(0) for m in re.finditer(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?", text)}
        names.update(n for n in ("Daesh", "Deir ez-Zor", "U.S.", "Syria", "Qaeda", "Reuter", "the") if n in text)
        for name in sorted(names):
            expected = [m.span() for m in re.finditer(r"(?<![\w'’-])%s(?![\w'’]|-\w)" % re.escape(name), text)]
            assert list(written_again(text, name)) == expected, (name, text[:60])
            found += len(expected)
    assert found > 1000


def _record() -> None:
    """Write the fixture from the current code (only after a deliberate rule change)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from archive.entities import EntityExtractor

    corpora = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    rows = [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines()]
    found = EntityExtractor().extract(_articles(corpora, rows))
    EXPECTED.write_text("".join(json.dumps({"id": r["id"], "from": r["from"], "entities": [e.to_dict() for e in ents]},
                                           ensure_ascii=False) + "\n" for r, ents in zip(rows, found)),
                        encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    _record()
