"""The fixture archive the web tests run over, and checks that it is sound.

Built through the real store and index writer from hand-written Articles
for the five bundled samples (metadata and a few entities read off each
text by a person), plus one hostile article whose title, outlet, body and
entity names carry HTML, to prove the pages escape them. Hand-written
metadata keeps the web tests independent of extraction, which is tested
elsewhere; expected values in the web tests are computed from `ARTICLES`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from archive.document import Article, Entity, content_hash
from archive.ids import article_id, article_slug, outlet_slug
from archive.paths import SAMPLES_DIR, DataDir
from archive.store import FileState, Store
from index.writer import rebuild

HOSTILE_BODY = (
    "This story quotes markup: <script>alert('owned')</script> and <b>bold</b> & more.\n\n"
    "It also mentions the airstrike near Deir ez-Zor once more, in March."
)


@dataclass(frozen=True)
class Spec:
    """What a person read off one text: its metadata and a few entities."""

    file: str
    title: str
    outlet: str | None
    date: dt.date | None
    news_id: str | None
    entities: tuple[tuple[str, str, int, tuple[str, ...]], ...]  # (type, name, count, variants)
    inferred: tuple[str, ...] = ()
    text: str | None = None          # for a fixture not read from the samples


ARTICLES = (
    Spec("000_033e566f6da3e044.txt", "ISIL Terrorist Has American Weapon", "Rasa",
         dt.date(2016, 9, 20), "423733",
         (("person", "Bashar Assad", 2, ("President Assad",)), ("org", "ISIL", 5, ()),
          ("place", "Deir ez-Zor", 2, ("Deir Ezzur",)), ("place", "Syria", 4, ())),
         inferred=("outlet", "date")),
    Spec("001_f40835fafc506217.txt",
         "Audio of ISIS, US Military Radio Communication before Deir Ezzur Strike Available: Syrian Official",
         None, dt.date(2016, 9, 27), None,
         (("person", "Hadiya Khalaf Abbas", 1, ()), ("org", "ISIL", 4, ("ISIS",)),
          ("place", "Deir ez-Zor", 3, ("Deir Ezzur",))),
         inferred=("date",)),
    Spec("002_c9631d2d550c0fb6.txt",
         "US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor", "Before It's News",
         dt.date(2016, 9, 17), None,
         (("person", "Igor Konashenkov", 1, ("Major-General Igor Konashenkov",)),
          ("org", "SANA", 1, ()), ("place", "Deir ez-Zor", 2, ()), ("place", "Washington", 1, ()))),
    Spec("003_e708c6bec30fd41c.txt",
         "Damascus has recording of US military talking to Islamic State before airstrike", "RT",
         dt.date(2016, 9, 27), None,
         (("person", "Hadiya Khalaf Abbas", 1, ()), ("person", "Walid Muallem", 2, ("Muallem",)),
          ("place", "Deir ez-Zor", 2, ()), ("place", "Damascus", 2, ())),
         inferred=("outlet",)),
    Spec("004_4b30b7630e901a3c.txt",
         "US admits coalition airstrikes hit Syrian government forces", "Global Research",
         dt.date(2016, 9, 18), None,
         (("person", "Mark Toner", 2, ("Toner",)), ("org", "Central Command", 3, ()),
          ("org", "SANA", 2, ()), ("place", "Deir ez-Zor", 2, ()), ("place", "Syria", 3, ()))),
    Spec("hostile.txt", "<script>alert('title')</script> Markup in a headline", "Evil <b>Outlet</b>",
         dt.date(2017, 3, 2), "X<1>",
         (("person", "<img src=x onerror=alert(1)>", 1, ()), ("place", "Deir ez-Zor", 1, ())),
         text=HOSTILE_BODY),
)


def _entity(etype: str, name: str, count: int, variants: tuple[str, ...]) -> Entity:
    from slugify import slugify
    return Entity(slug=slugify(name) or "entity", name=name, type=etype, count=count, variants=variants)


def make_article(spec: Spec) -> Article:
    """The Article a careful extraction would have made of `spec`'s text."""
    text = spec.text if spec.text is not None else (SAMPLES_DIR / spec.file).read_text(encoding="utf-8")
    body = text.strip()
    oslug = outlet_slug(spec.outlet)
    chash = content_hash(spec.title, body)
    origins = {name: ("inferred:by-hand" if name in spec.inferred else "explicit")
               for name in ("outlet", "date") if getattr(spec, name)}
    return Article(
        id=article_id(spec.title, chash, oslug, spec.news_id), slug=article_slug(spec.title),
        title=spec.title, body=body, source_path=f"samples/{spec.file}", record=None, fmt="txt",
        original=text, outlet=spec.outlet, outlet_slug=oslug, date=spec.date, news_id=spec.news_id,
        url=None, lang="en", origins=origins,
        entities=tuple(_entity(*e) for e in spec.entities))


#: Only the bundled samples, without the hostile article (for the browser and its screenshot).
SAMPLES_ONLY = tuple(spec for spec in ARTICLES if spec.text is None)


def build_web_archive(root: Path, specs: tuple[Spec, ...] = ARTICLES) -> tuple[DataDir, dict[str, Article]]:
    """Store and index the fixture articles under `root`; the articles by file."""
    data = DataDir(root)
    articles = {spec.file: make_article(spec) for spec in specs}
    with Store(data.store_path) as store:
        for name, article in articles.items():
            digest = hashlib.sha256(article.original.encode()).hexdigest()
            store.store_file(FileState(article.source_path, len(article.original), 0, digest, 1), [article])
        rebuild(store, data.index_root)
    return data, articles


def test_fixture_archive_stores_and_indexes_every_article(tmp_path):
    data, articles = build_web_archive(tmp_path)
    with Store(data.store_path) as store:
        assert sorted(store.ids()) == sorted(a.id for a in articles.values())
        assert store.pending_ids() == []


def test_fixture_articles_have_distinct_ids_and_the_samples_text():
    articles = [make_article(spec) for spec in ARTICLES]
    assert len({a.id for a in articles}) == len(ARTICLES)
    first = articles[0]
    assert first.original == (SAMPLES_DIR / ARTICLES[0].file).read_text(encoding="utf-8")
