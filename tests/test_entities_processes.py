"""Entity extraction in worker processes gives what one process gives, in the same order."""
from __future__ import annotations

from archive.document import Article
from archive.entities import EntityExtractor

TEXTS = [
    ("Talks in Geneva", "Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday, the State Department said."),
    ("Oil", "Saudi Aramco and Exxon Mobil Corp said on Monday that prices in Houston would rise."),
    ("Airstrike", "The airstrike near Deir ez-Zor killed soldiers, the Syrian Observatory for Human Rights said."),
    ("Bank", "Deutsche Bank chief executive John Cryan said in Frankfurt that the bank would cut jobs."),
    ("Nothing", "prices rose and fell and rose again, traders said on the day."),
]


def _articles() -> list[Article]:
    return [Article(id=f"a{n}", slug=f"a{n}", title=title, body=body, source_path="t.jsonl", record=n,
                    fmt="jsonl", original=body, lang="en")
            for n, (title, body) in enumerate(TEXTS * 2)]


def test_two_worker_processes_find_the_same_entities_in_the_same_order_as_one():
    articles = _articles()
    one = EntityExtractor(n_process=1)
    alone = one.extract(articles)
    workers = EntityExtractor(n_process=2, worker_chunk=3)
    workers._nlp = one._nlp  # the model loaded once for both
    try:
        shared = workers.extract(articles)
        again = workers.extract(articles[::-1])  # the same workers serve a second batch
    finally:
        workers.close()
    assert shared == alone
    assert again == alone[::-1]
    assert any(alone) and not alone[4]
    names = {e.name for ents in alone for e in ents}
    assert {"Geneva", "Frankfurt"} <= names
