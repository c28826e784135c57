"""A small deterministic corpus for the search tests, built through Store + rebuild.

The five bundled samples with hand-assigned metadata and entities, plus
synthetic articles spread over outlets, months, days and languages whose
bodies are drawn (with a fixed seed) from a vocabulary of words that no
sample uses, so tests can compute expected matches with plain Python.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from archive.document import Article, Entity
from archive.ids import outlet_slug
from archive.paths import SAMPLES_DIR
from archive.store import FileState, Store

VOCABULARY = ("harbour", "glacier", "tariff", "vaccine", "orchard", "lighthouse", "turbine", "quarry",
              "meadow", "falcon", "copper", "lantern")
OUTLETS = ("RT News", "Sputnik", "TASS", "Reuters")
LANGS = ("en", "en", "ru", "fr")
PEOPLE = (("vladimir-putin", "Vladimir Putin", ("Putin",)), ("john-kerry", "John Kerry", ("Kerry",)),
          ("sergey-lavrov", "Sergey Lavrov", ("Sergei Lavrov", "Lavrov")))
PLACES = (("aleppo", "Aleppo", ("Halab",)), ("geneva", "Geneva", ()), ("moscow", "Moscow", ()))
ORGS = (("united-nations", "United Nations", ("UN",)), ("nato", "NATO", ()))


def _entity(slug, name, type_, variants=()):
    return Entity(slug=slug, name=name, type=type_, count=1 + len(variants), variants=tuple(variants))


DEIR = ("deir-ez-zor", "Deir ez-Zor", "place")
SAMPLE_META = {
    "000": dict(title="ISIL Terrorist Has American Weapon", outlet="Rasa News Agency", date="2016-09-20",
                news_id="423733", entities=[(*DEIR, ("Deir Ezzur",)), ("isil", "ISIL", "org", ()),
                                            ("bashar-al-assad", "Bashar al-Assad", "person", ("Bashar Assad",))]),
    "001": dict(title="Audio of ISIS, US Military Radio Communication before Deir Ezzur Strike Available",
                outlet="Fars News Agency", date="2016-09-27",
                entities=[(*DEIR, ("Deir Ezzur",)), ("isil", "ISIL", "org", ("ISIS",)),
                          ("hadiya-khalaf-abbas", "Hadiya Khalaf Abbas", "person", ())]),
    "002": dict(title="US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor", outlet="Before It's News",
                date="2016-09-17",
                entities=[(*DEIR, ()), ("igor-konashenkov", "Igor Konashenkov", "person", ("Konashenkov",)),
                          ("sana", "SANA", "org", ())]),
    "003": dict(title="Damascus has a recording of US talks with Islamic State before the airstrike",
                outlet="Sputnik", date="2016-09-27",
                entities=[(*DEIR, ()), ("hadiya-khalaf-abbas", "Hadiya Khalaf Abbas", "person", ())]),
    "004": dict(title="US admits coalition airstrikes hit Syrian government forces", outlet="Reuters",
                date="2016-09-18",
                entities=[(*DEIR, ()), ("central-command", "Central Command", "org", ()),
                          ("sana", "SANA", "org", ())]),
}


def sample_articles() -> list[Article]:
    out = []
    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        meta = SAMPLE_META[path.name[:3]]
        text = path.read_text(encoding="utf-8")
        out.append(Article(
            id=f"sample-{path.name[:3]}", slug=f"sample-{path.name[:3]}", title=meta["title"], body=text,
            source_path=str(path), record=None, fmt="txt", original=text, outlet=meta["outlet"],
            outlet_slug=outlet_slug(meta["outlet"]), date=dt.date.fromisoformat(meta["date"]),
            news_id=meta.get("news_id"), lang="en",
            entities=tuple(_entity(*e) for e in meta["entities"])))
    return out


def synthetic_articles(n: int = 60, seed: int = 4) -> list[Article]:
    rng = random.Random(seed)
    out = []
    start = dt.date(2016, 7, 1)
    for i in range(n):
        words = rng.sample(VOCABULARY, 3)
        outlet = OUTLETS[i % len(OUTLETS)]
        date = None if i % 17 == 16 else start + dt.timedelta(days=(i * 5) % 150)
        people = [p for j, p in enumerate(PEOPLE) if (i >> j) & 1]
        places = [PLACES[i % len(PLACES)]] if i % 2 == 0 else []
        orgs = [ORGS[i % 2]] if i % 3 == 0 else []
        ents = ([_entity(s, nm, "person", v) for s, nm, v in people]
                + [_entity(s, nm, "place", v) for s, nm, v in places]
                + [_entity(s, nm, "org", v) for s, nm, v in orgs])
        body = (f"Report {i} on the {words[0]} and the {words[1]}. " * 3
                + f"Later the {words[2]} was mentioned once.")
        out.append(Article(
            id=f"syn-{i:03d}", slug=f"syn-{i:03d}", title=f"Bulletin {i}: {words[0]} news",
            body=body, source_path="/fixture/synthetic.jsonl", record=i + 1, fmt="jsonl", original=body,
            outlet=outlet, outlet_slug=outlet_slug(outlet), date=date, lang=LANGS[i % len(LANGS)],
            entities=tuple(ents)))
    return out


def special_articles() -> list[Article]:
    """Articles for escaping, ties, accents and one-off words."""
    html_body = ("Officials said <script>alert('x')</script> & other tags were harmless; "
                 "the lighthouse keeper disagreed.")
    twins = [Article(id=f"twin-{c}", slug=f"twin-{c}", title="Identical twin report",
                     body="The zeppelin landed at dawn.", source_path="/fixture/special.jsonl",
                     record=n, fmt="jsonl", original="", outlet="TASS", outlet_slug="tass",
                     date=dt.date(2016, 8, 8), lang="en") for n, c in enumerate("dcba", 2)]
    accents_body = "Erdoğan met the ministers at a café in Zürich before the Straße was closed."
    accents = Article(id="accents", slug="accents", title="Café talks in Zürich", body=accents_body,
                      source_path="/fixture/special.jsonl", record=6, fmt="jsonl", original=accents_body,
                      outlet="TASS", outlet_slug="tass", date=dt.date(2016, 8, 20), lang="en")
    return [Article(id="html-escape", slug="html-escape", title="Tags <b>bold</b> & more", body=html_body,
                    source_path="/fixture/special.jsonl", record=1, fmt="jsonl", original=html_body,
                    outlet="RT News", outlet_slug="rt-news", date=dt.date(2016, 9, 1), lang="en"),
            *twins, accents]


def all_articles() -> list[Article]:
    return sample_articles() + synthetic_articles() + special_articles()


def build(root: Path, articles: list[Article] | None = None) -> Path:
    """Store the fixture articles (default: all) under `root` and build the index; the index root."""
    articles = all_articles() if articles is None else articles
    by_source: dict[str, list[Article]] = {}
    for a in articles:
        by_source.setdefault(a.source_path, []).append(a)
    with Store(root / "archive.sqlite3") as store:
        for n, (path, group) in enumerate(sorted(by_source.items())):
            store.store_file(FileState(path, 1, 1, f"d{n}"), group)
        from index.writer import rebuild
        rebuild(store, root / "index")
    return root / "index"


def words_of(article: Article) -> set[str]:
    return set(re.findall(r"\w+", f"{article.title} {article.body}".lower()))
