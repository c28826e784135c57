"""Coverage of a stored batch is what covering its articles one at a time gives, in workers or not.

The expected tables come from `one_at_a_time` below: the per-article loop
coverage ran before batches (sign, link against the story index, look each
fingerprint up among the articles covered so far, verify the candidates,
keep the fingerprints), over plain Python dicts, with neither the batch
code, the worker processes nor the coverage tables. The fixture corpus is
written here: reports made of shared sentences (so articles share passages),
reposts and rewrites of one story (so they are linked), and attributions
("according to Reuters", "the ministry said") so they have citations.
"""
from __future__ import annotations

import json
import random
from dataclasses import replace

import numpy as np
import pytest

from archive.coverage import borrowed, work
from archive.coverage import store as coverage_store
from archive.coverage.attribution import article_citations
from archive.coverage.groups import StoryLinker
from archive.coverage.ingest import CoverageStep
from archive.coverage.signatures import signature
from archive.coverage.storyindex import StoryIndex
from archive import pipeline
from archive.document import Article, Entity
from archive.pipeline import Ingest
from archive.store import Store

SENTENCES = [
    "The central bank raised its benchmark interest rate by half a point on Tuesday, according to Reuters.",
    "Officials at the finance ministry said the decision had been expected by most economists for weeks.",
    "Oil prices fell sharply in early trading after the cartel failed to agree on new production limits.",
    "The ministry said in a statement that the talks would resume in Vienna early next month.",
    "Shares of the largest carmaker rose four percent after it reported record quarterly profits.",
    "Heavy rain flooded the northern provinces and forced thousands of families to leave their homes.",
    "The opposition leader told AFP that the election had been marred by widespread irregularities.",
    "Grain exports from the port resumed after a three week strike by dock workers ended on Friday.",
    "The company expects revenue to grow by at least ten percent in the coming financial year.",
    "Police arrested two men suspected of smuggling weapons across the border, state television reported.",
    "The airline cancelled dozens of flights as air traffic controllers walked out over pay and conditions.",
    "Analysts warned that the currency could weaken further if the trade deficit keeps widening.",
    "The health ministry said the number of new infections had fallen for the third week in a row.",
    "A spokesman for the United Nations said aid convoys had reached the besieged town on Sunday.",
    "Copper futures climbed to their highest level in two years on strong demand from factories.",
    "The government announced a new package of tax cuts aimed at small businesses and first time buyers.",
]


def corpus_records(n: int = 24, seed: int = 12) -> list[dict]:
    """Reports of 4-7 shared sentences; every fifth one a copy of an earlier one, or of it with a sentence swapped.

    Fewer reports than `borrowed.MAX_CANDIDATES` + 1, so no article has more
    candidates than it verifies: which pairs are found does not depend on
    the order articles came in.
    """
    assert n <= borrowed.MAX_CANDIDATES + 1
    rnd = random.Random(seed)
    records: list[dict] = []
    for i in range(n):
        if i % 5 == 4:  # a repost (same text) or a rewrite (one sentence swapped) of an earlier report
            source = records[rnd.randrange(len(records))]
            body = source["body"]
            if i % 10 == 9:
                parts = body.split("\n\n")
                parts[-1] = rnd.choice(SENTENCES)
                body = "\n\n".join(parts)
            date, title = source["date"], source["title"]
        else:
            body = "\n\n".join(f"Report {i} begins here with its own words. " + s if k == 0 else s
                               for k, s in enumerate(rnd.sample(SENTENCES, rnd.randint(4, 7))))
            date, title = f"2024-03-{1 + i % 20:02d}", f"Report number {i}"
        records.append({"title": title, "body": body, "outlet": f"Outlet {i % 6}", "lang": "en",
                        "date": date, "url": f"https://example.org/{i}"})
    return records


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def one_at_a_time(articles) -> dict[str, list]:
    """The coverage rows of `articles` covered in order, one at a time, kept in dicts (the old path)."""
    index = StoryIndex()
    known = {}
    linker = StoryLinker(index, lambda ids: {i: known[i] for i in ids if i in known})
    holders: dict[int, list[str]] = {}
    out = {"story_signatures": [], "story_links": [], "citations": [], "passage_fingerprints": [],
           "shared_passages": []}
    for article in articles:
        known[article.id] = article
        sig = signature(article)
        out["story_signatures"].append((article.id, sig.to_bytes()))
        out["story_links"] += [(p.a, p.b, p.kind, p.jaccard, p.a_in_b, p.b_in_a)
                               for p in linker.add(article.id, article, sig)]
        out["citations"] += [(article.id, c.source_slug, c.source_name, c.kind, c.phrase, c.sentence, c.start,
                              c.end, c.rule) for c in article_citations(article)]
        fps = borrowed.fingerprints(article.body)
        score: dict[str, int] = {}  # the followed fingerprints each earlier article shares
        for fp in fps:
            held = holders.get(fp, ())
            if len(held) <= borrowed.MAX_HOLDERS:
                for other in held:
                    score[other] = score.get(other, 0) + 1
        ids = sorted(score, key=lambda i: (-score[i], i))[:borrowed.MAX_CANDIDATES]
        for shared in borrowed.verify(article.id, article.body, {i: known[i].body for i in ids}):
            out["shared_passages"] += [(shared.a, shared.b, p.a_start, p.a_end, p.b_start, p.b_end, p.words)
                                       for p in shared.passages]
        for fp in fps:
            if len(holders.get(fp, ())) <= borrowed.MAX_HOLDERS:
                holders.setdefault(fp, []).append(article.id)
                out["passage_fingerprints"].append((fp, article.id))
    return {table: sorted(rows) for table, rows in out.items()}


def stored_rows(store: Store) -> dict[str, list]:
    columns = {"story_signatures": "article_id, signature", "story_links": "a, b, kind, jaccard, a_in_b, b_in_a",
               "citations": 'article_id, source_slug, source_name, kind, phrase, sentence, "start", "end", rule',
               "passage_fingerprints": "fingerprint, article_id",
               "shared_passages": "a, b, a_start, a_end, b_start, b_end, words"}
    rows = {table: sorted(tuple(bytes(v) if isinstance(v, bytes) else v for v in row)
                          for row in store.db.execute(f"SELECT {cols} FROM {table}"))
            for table, cols in columns.items() if table != "passage_fingerprints"}
    rows["passage_fingerprints"] = sorted(coverage_store.fingerprint_rows(store))
    return rows


def unordered(rows: dict[str, list]) -> dict[str, set]:
    """Links and passages whichever article of a pair found the other (as a changed batch may)."""
    links = {(min(a, b), max(a, b), kind, round(j, 9)) for a, b, kind, j, _, _ in rows["story_links"]}
    passages = {(a, b, a0, a1, b0, b1, n) if a < b else (b, a, b0, b1, a0, a1, n)
                for a, b, a0, a1, b0, b1, n in rows["shared_passages"]}
    return {"links": links, "passages": passages, "citations": set(rows["citations"]),
            "signatures": set(rows["story_signatures"])}


@pytest.fixture(params=[1, 2], ids=["in-process", "two-workers"])
def processes(request, monkeypatch):
    if request.param > 1:  # the fixture's batches are small: make them go to the workers, in several chunks
        monkeypatch.setattr(work, "MIN_PARALLEL", 1)
        monkeypatch.setattr(work, "CHUNK", 4)
    return request.param


def ingest(store: Store, path, processes: int, batch_size: int) -> CoverageStep:
    step = CoverageStep(processes=processes)
    try:
        report = Ingest(store, coverage=step, batch_size=batch_size).run([path])
    finally:
        step.close()
    assert not report.failures, report.failures
    return step


def stored_in_order(store: Store):
    ids = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY rowid")]
    found = store.get_many(ids)
    return [found[i] for i in ids]


def covered_and_expected(tmp_path, processes: int, batch_size: int) -> tuple[dict, dict]:
    """The coverage rows an ingest of the fixture corpus stores, and those of covering its articles one at a time."""
    write_jsonl(tmp_path / "in.jsonl", corpus_records())
    with Store(tmp_path / "archive.sqlite3") as store:
        ingest(store, tmp_path / "in.jsonl", processes, batch_size=batch_size)
        return stored_rows(store), one_at_a_time(stored_in_order(store))


def test_batches_store_the_rows_covering_one_article_at_a_time_stores(tmp_path, processes):
    got, expected = covered_and_expected(tmp_path, processes, batch_size=8)  # three batches
    assert all(expected[t] for t in ("story_links", "citations", "shared_passages")), "the fixture covers nothing"
    assert len({k for _, _, k, *_ in expected["story_links"]} | {"duplicate"}) >= 2
    assert got == expected


@pytest.mark.parametrize("merge_min, share", [(1, 10**9), (6, 1)], ids=["every-batch", "as-it-doubles"])
def test_holders_merged_between_batches_store_the_rows_covering_one_article_at_a_time_stores(
        tmp_path, monkeypatch, merge_min, share):
    # recent holders moved into the merged table after every batch, or once the recent articles are
    # as many as the merged ones (and 6 at least), then a changed file: its articles forgotten from
    # whichever table holds their fingerprints
    monkeypatch.setattr(coverage_store, "HOLDERS_MERGE_MIN", merge_min)
    monkeypatch.setattr(coverage_store, "HOLDERS_MERGE_SHARE", share)
    records = corpus_records()
    write_jsonl(tmp_path / "in.jsonl", records)
    with Store(tmp_path / "archive.sqlite3") as store:
        ingest(store, tmp_path / "in.jsonl", 1, batch_size=4)
        got = stored_rows(store)
        expected = one_at_a_time(stored_in_order(store))
        merged, recent = (store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                          for t in coverage_store.HOLDER_TABLES)
        assert merged and (recent == 0) == (merge_min == 1)
        changed = [dict(r) for r in records if r["url"] != "https://example.org/7"]
        for r in changed[::9]:
            r["body"] = "\n\n".join(reversed(r["body"].split("\n\n"))) + "\n\nA closing line that is new."
        write_jsonl(tmp_path / "in.jsonl", changed)
        ingest(store, tmp_path / "in.jsonl", 1, batch_size=8)
        changed_rows = stored_rows(store)
    assert got == expected
    with Store(tmp_path / "fresh.sqlite3") as fresh:  # the same file (copies' ids name their file)
        ingest(fresh, tmp_path / "in.jsonl", 1, batch_size=1000)
        fresh_rows = stored_rows(fresh)
    assert unordered(changed_rows) == unordered(fresh_rows)
    assert changed_rows["passage_fingerprints"] == fresh_rows["passage_fingerprints"]


def crowded_by_count(store: Store) -> set[int]:
    """The stored fingerprints held by more than MAX_HOLDERS articles, counted from the holder rows."""
    counts: dict[int, int] = {}
    for fp, _ in coverage_store.fingerprint_rows(store):
        counts[fp] = counts.get(fp, 0) + 1
    return {fp for fp, n in counts.items() if n > borrowed.MAX_HOLDERS}


def remembered_crowded(store: Store) -> set[int]:
    return {fp for fp, in store.db.execute("SELECT fingerprint FROM passage_common")}


def test_crowded_fingerprints_are_remembered_and_their_holders_not_read_again(tmp_path, monkeypatch, processes):
    # so few holders allowed that the fixture's shared sentences crowd their fingerprints in the
    # first batches; the later ones find them remembered, and skip their holders
    monkeypatch.setattr(borrowed, "MAX_HOLDERS", 2)
    skipped = []
    remembered = coverage_store.crowded_fingerprints
    monkeypatch.setattr(coverage_store, "crowded_fingerprints",
                        lambda store, fps: skipped.append(len(found := remembered(store, fps))) or found)
    got, expected = covered_and_expected(tmp_path, processes, batch_size=4)
    assert got == expected and expected["shared_passages"]
    with Store(tmp_path / "archive.sqlite3") as store:
        assert remembered_crowded(store) == crowded_by_count(store) != set()
    assert skipped[0] == 0 and sum(skipped) > 0


def test_an_article_forgotten_takes_its_fingerprints_out_of_the_crowded_as_reading_every_holder_would(
        tmp_path, monkeypatch):
    # the same file ingested, changed (one article dropped, some rewritten) and ingested again, with
    # the crowded fingerprints remembered and with every holder read: the same rows
    monkeypatch.setattr(borrowed, "MAX_HOLDERS", 2)
    records = corpus_records()
    changed = [dict(r) for r in records if r["url"] != "https://example.org/7"]
    for r in changed[::5]:
        r["body"] = "A new opening line for the rewrite.\n\n" + r["body"].split("\n\n")[-1]

    def ingest_twice(name: str) -> tuple[dict, set, set]:
        write_jsonl(tmp_path / "in.jsonl", records)
        with Store(tmp_path / name) as store:
            ingest(store, tmp_path / "in.jsonl", 1, batch_size=4)
            before = remembered_crowded(store)
            write_jsonl(tmp_path / "in.jsonl", changed)
            ingest(store, tmp_path / "in.jsonl", 1, batch_size=4)
            assert remembered_crowded(store) <= crowded_by_count(store)
            return stored_rows(store), before, remembered_crowded(store)

    rows, before, after = ingest_twice("remembered.sqlite3")
    monkeypatch.setattr(coverage_store, "crowded_fingerprints", lambda store, fps: np.zeros(0, dtype=np.int64))
    every_holder_read, _, _ = ingest_twice("read.sqlite3")
    assert rows == every_holder_read
    assert before - after, "no crowded fingerprint lost a holder"


def test_a_changed_batch_leaves_the_coverage_a_fresh_archive_of_the_same_articles_has(tmp_path, monkeypatch):
    monkeypatch.setattr(work, "MIN_PARALLEL", 1)
    processes = 2
    records = corpus_records()
    write_jsonl(tmp_path / "in.jsonl", records)
    changed = [dict(r) for r in records if r["url"] != "https://example.org/7"]  # one article dropped
    for r in changed[::9]:  # and some rewritten: their passages and links change
        r["body"] = "\n\n".join(reversed(r["body"].split("\n\n"))) + "\n\nA closing line that is new."
    with Store(tmp_path / "archive.sqlite3") as store:
        ingest(store, tmp_path / "in.jsonl", processes, batch_size=8)
        write_jsonl(tmp_path / "in.jsonl", changed)
        ingest(store, tmp_path / "in.jsonl", processes, batch_size=8)
        got = unordered(stored_rows(store))
    with Store(tmp_path / "fresh.sqlite3") as fresh:  # the same file (copies' ids name their file)
        ingest(fresh, tmp_path / "in.jsonl", 1, batch_size=1000)
        expected = unordered(stored_rows(fresh))
    assert got == expected
    assert not any("example.org/7" in a for a, _ in got["signatures"])


def test_the_workers_sign_a_batch_as_it_is_read_and_the_rows_are_those_one_at_a_time_stores(tmp_path, monkeypatch):
    # every fourth extracted article goes to the workers at once: by the time a batch of 8 is
    # stored, all of it has been signed ahead, and nothing is left to sign then
    monkeypatch.setattr(work, "MIN_PARALLEL", 1)
    monkeypatch.setattr(pipeline, "AHEAD", 4)
    signed_late: list[int] = []
    sign_now = work.Workers._sign_now
    monkeypatch.setattr(work.Workers, "_sign_now",
                        lambda self, inputs: signed_late.append(len(inputs)) or sign_now(self, inputs))
    got, expected = covered_and_expected(tmp_path, 2, batch_size=8)
    assert got == expected
    assert signed_late and not any(signed_late)


def test_the_workers_verify_passages_while_the_batch_is_linked_and_its_bodies_are_read_a_chunk_at_a_time(
        tmp_path, monkeypatch):
    monkeypatch.setattr(work, "MIN_PARALLEL", 1)
    monkeypatch.setattr(work, "CHUNK", 4)
    events: list[str] = []
    verify_soon, record_many, bodies = work.Workers.verify_soon, coverage_store.record_many, coverage_store.bodies

    def logged_verify_soon(self, checks, bodies_of):
        events.append("verify started")
        wait = verify_soon(self, checks, bodies_of)
        return lambda: events.append("verify awaited") or wait()

    monkeypatch.setattr(work.Workers, "verify_soon", logged_verify_soon)
    monkeypatch.setattr(coverage_store, "record_many", lambda *a: events.append("links recorded") or record_many(*a))
    monkeypatch.setattr(coverage_store, "bodies", lambda *a: events.append("bodies read") or bodies(*a))
    got, expected = covered_and_expected(tmp_path, 2, batch_size=12)
    assert got == expected
    batches = " ".join(events).split("verify started")[1:]
    assert len(batches) == 2
    for batch in batches:  # 12 articles in chunks of 4: three reads of candidates' bodies, then the links
        assert batch.split() and batch.replace("bodies read", "").split() == "links recorded verify awaited".split()
        assert batch.count("bodies read") == 3


def test_a_signature_started_ahead_is_taken_only_for_the_same_title_body_outlet_and_entities():
    base = Article(id="a", slug="a", title="Rates rise", body=SENTENCES[0] + "\n\n" + SENTENCES[3],
                   source_path="x.jsonl", record=1, fmt="jsonl", original="", outlet="Outlet 1")
    told = Entity("reuters", "Reuters", "org", 1, ())
    variants = [replace(base, id="renamed", original="other raw text"), replace(base, outlet="Outlet 2"),
                replace(base, entities=(told,)), replace(base, body=base.body + " More.")]
    workers = work.Workers(processes=2)
    signed_now: list = []
    sign_now = workers._sign_now
    workers._sign_now = lambda inputs: signed_now.extend(inputs) or sign_now(inputs)
    try:
        workers.sign_ahead([base])
        got = workers.sign(variants)
        assert len(workers._ahead) == 0  # the one started was taken
        workers.sign_ahead([base])
        workers.drop_ahead()
        assert workers._ahead == {}
    finally:
        workers.close()
    assert [work.sign(v) for v in variants] == got
    # the renamed copy (other id and raw text) took the signature started for it; another
    # outlet, entities or body were signed on their own
    assert signed_now == [work.Signable.of(v) for v in variants[1:]]


def test_the_fingerprints_a_batch_looks_up_are_read_in_one_query_per_table(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", corpus_records())
    with Store(tmp_path / "archive.sqlite3") as store:
        ingest(store, tmp_path / "in.jsonl", 1, batch_size=1000)
        statements: list[str] = []
        store.db.set_trace_callback(statements.append)
        wanted = [fp for fp, _ in coverage_store.fingerprint_rows(store)]
        statements.clear()
        holders = coverage_store.fingerprint_holders(store, wanted)
        store.db.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        expected: dict[int, set[str]] = {}
        for fp, article_id in coverage_store.fingerprint_rows(store):
            expected.setdefault(fp, set()).add(article_id)
    assert len(selects) == len(coverage_store.HOLDER_TABLES)  # one per table, whatever the fingerprints
    assert {fp: set(ids) for fp, ids in holders.items()} == expected


def test_a_run_stops_the_coverage_workers_it_started(tmp_path, monkeypatch):
    monkeypatch.setattr(work, "MIN_PARALLEL", 1)
    started = []
    start = work.Workers.start

    def recording_start(self):
        start(self)
        started.extend(p for p in self._pool._processes.values() if p not in started)

    monkeypatch.setattr(work.Workers, "start", recording_start)
    write_jsonl(tmp_path / "in.jsonl", corpus_records(12))
    step = CoverageStep(processes=2)
    with Store(tmp_path / "archive.sqlite3") as store:
        Ingest(store, coverage=step, batch_size=6).run([tmp_path / "in.jsonl"])
        assert store.db.execute("SELECT COUNT(*) FROM story_signatures").fetchone()[0] == 12
    assert len(started) == 2
    for process in started:
        process.join(10)
    assert not any(p.is_alive() for p in started)


def test_signing_cuts_the_body_into_words_once_and_gives_what_each_part_gives_alone():
    from archive.document import Article
    records = corpus_records()
    texts = [(r["title"], r["body"]) for r in records]
    texts += [("Ärger in Köln: STRASSE gesperrt", "Die Straße bleibt gesperrt, sagte die Polizei am Montag."),
              ("", "A body without a title, as some wire notices come."),
              ("Title only", "")]
    for n, (title, body) in enumerate(texts):
        article = Article(id=f"a{n}", slug=f"a{n}", title=title, body=body, source_path="t", record=n,
                          fmt="jsonl", original=body)
        signed = work.sign(article)
        assert signed.signature == signature(article)  # title and body signed as one text
        assert signed.fingerprints == tuple(sorted(borrowed.fingerprints(body)))
        assert signed.citations == tuple(article_citations(article))


def test_word_hashes_are_the_same_remembered_or_not_and_bounded(monkeypatch):
    tokens = [w for r in corpus_records() for w in r["body"].lower().split()]
    borrowed._HASHED.clear()
    first = borrowed._word_hashes(tokens)
    again = borrowed._word_hashes(tokens)
    monkeypatch.setattr(borrowed, "HASHED_MAX", 10)
    bounded = borrowed._word_hashes(tokens[:8])
    assert len(borrowed._HASHED) <= 10
    import zlib
    expected = [(zlib.crc32(t.encode()) << 32) | zlib.adler32(t.encode()) for t in tokens]
    assert first.tolist() == again.tolist() == expected
    assert bounded.tolist() == expected[:8]


def test_fingerprints_at_either_end_of_the_64_bit_range_are_found_again(tmp_path):
    extremes = [-2**63, -2**63 + 1, -1, 0, 2**63 - 1]
    with Store(tmp_path / "archive.sqlite3") as store:
        coverage_store.ensure_schema(store)
        coverage_store.record_kept_passages(store, {"a": extremes, "b": [2**63 - 1]}, [])
        holders = coverage_store.fingerprint_holders(store, extremes + [5])
        held_fp, held_n = coverage_store.holder_arrays(store, extremes + [5])
        named = coverage_store.passage_articles_named(store, held_n.tolist())
    assert holders == {**{fp: ["a"] for fp in extremes[:-1]}, 2**63 - 1: ["a", "b"]}
    assert [(fp, named[n]) for fp, n in zip(held_fp.tolist(), held_n.tolist())] == [
        *((fp, "a") for fp in extremes), (2**63 - 1, "b")]


def _numbered(holders: dict[int, list[str]]):
    """Stored holders as `follow_batch` takes them: arrays of (fingerprint, number), and the numbers' ids."""
    names = {}
    pairs = []
    for fp in sorted(holders):
        for article_id in holders[fp]:
            n = names.setdefault(article_id, len(names) + 1)
            pairs.append((fp, n))
    pairs.sort()
    by_number = {n: i for i, n in names.items()}
    held_fp = np.array([fp for fp, _ in pairs], dtype=np.int64)
    held_n = np.array([n for _, n in pairs], dtype=np.int64)
    return held_fp, held_n, lambda ns: {n: by_number[n] for n in ns}


def test_a_batch_follows_its_fingerprints_as_its_articles_would_in_turn(monkeypatch):
    monkeypatch.setattr(borrowed, "MAX_HOLDERS", 2)
    monkeypatch.setattr(borrowed, "MAX_CANDIDATES", 2)
    held_fp, held_n, names = _numbered({1: ["s1", "s2"], 2: ["s1"]})
    ranked, kept = borrowed.follow_batch(["a", "b", "c"], [(1, 2), (1, 2, 3), (2, 3)], held_fp, held_n, names)
    # a: 1 has two holders (kept, both scored), 2 one. b: 1 has three with a (not followed), 2 two
    # (s1, a: a tie, by id), 3 none. c: 2 has three (s1, a, b), 3 has b.
    assert ranked == [["s1", "s2"], ["a", "s1"], ["b"]]
    assert [k.tolist() for k in kept] == [[1, 2], [2, 3], [3]]


@pytest.mark.parametrize("seed", range(12))
def test_a_batch_follows_crowded_fingerprints_and_tied_scores_as_one_at_a_time(monkeypatch, seed):
    rnd = random.Random(seed)
    monkeypatch.setattr(borrowed, "MAX_HOLDERS", rnd.randint(0, 5))
    monkeypatch.setattr(borrowed, "MAX_CANDIDATES", rnd.randint(1, 4))
    holders: dict[int, list[str]] = {}
    for n in range(rnd.randint(0, 30)):
        for fp in rnd.sample(range(-20, 20), 8):
            if len(holders.get(fp, [])) <= borrowed.MAX_HOLDERS:
                holders.setdefault(fp, []).append(f"stored-{rnd.randrange(1000):03d}-{n}")
    held_fp, held_n, names = _numbered(holders)
    ids = [f"new-{rnd.randrange(1000):03d}-{i}" for i in range(rnd.randint(1, 25))]
    fps = [tuple(sorted(rnd.sample(range(-20, 20), rnd.randint(0, 10)))) for _ in ids]
    # the crowded ones given by name only, without their holders, as the store gives them
    crowded = np.array(sorted(fp for fp, held in holders.items() if len(held) > borrowed.MAX_HOLDERS), dtype=np.int64)
    uncrowded = ~np.isin(held_fp, crowded)
    expected = [borrowed.follow(f, holders, i) for i, f in zip(ids, fps)]  # the holders grow as they go
    ranked, kept = borrowed.follow_batch(ids, fps, held_fp, held_n, names, chunk=3)
    assert ranked == [r for r, _ in expected]
    assert [k.tolist() for k in kept] == [k for _, k in expected]
    skipping, skipping_kept = borrowed.follow_batch(ids, fps, held_fp[uncrowded], held_n[uncrowded], names,
                                                    chunk=3, crowded=crowded)
    assert skipping == ranked and [k.tolist() for k in skipping_kept] == [k for _, k in expected]
    now_crowded = {fp for fp, held in holders.items() if len(held) > borrowed.MAX_HOLDERS}
    assert borrowed.crowded_after(held_fp, kept).tolist() == sorted(now_crowded)
    assert borrowed.crowded_after(held_fp[uncrowded], kept).tolist() == sorted(now_crowded - set(crowded.tolist()))


def test_the_holders_read_as_arrays_are_the_stored_ones(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", corpus_records())
    with Store(tmp_path / "archive.sqlite3") as store:
        ingest(store, tmp_path / "in.jsonl", 1, batch_size=1000)
        rows = store.db.execute("SELECT h.fingerprint, h.n, a.article_id FROM (SELECT * FROM passage_holders"
                                " UNION ALL SELECT * FROM passage_holders_new) AS h"
                                " JOIN passage_articles AS a ON a.n = h.n ORDER BY 1, 2").fetchall()
        wanted = sorted({fp for fp, _, _ in rows})[::2] + [12345]
        held_fp, held_n = coverage_store.holder_arrays(store, wanted)
        named = coverage_store.passage_articles_named(store, sorted(set(held_n.tolist())))
    expected = [(fp, n) for fp, n, _ in rows if fp in set(wanted)]
    assert list(zip(held_fp.tolist(), held_n.tolist())) == expected and expected
    assert named == {n: i for _, n, i in rows if n in named} and set(named) == {n for _, n in expected}


@pytest.mark.parametrize("huge_number", [False, True])
def test_the_holders_read_across_statements_keep_their_fingerprint_and_number(tmp_path, monkeypatch, huge_number):
    # few fingerprints per statement, so places restart at each; with an article numbered past what
    # the packed integers hold, the holders are read as pairs of numbers instead, the same
    monkeypatch.setattr(coverage_store, "HOLDER_CHUNK", 3)
    with Store(tmp_path / "archive.sqlite3") as store:
        coverage_store.ensure_schema(store)
        coverage_store.record_kept_passages(store, {"a": [-7, 1, 2, 3, 9], "b": [2, 3, 4], "c": [9, -2**63]}, [])
        if huge_number:
            big = (1 << coverage_store.HOLDER_SHIFT) + 5
            with store.transaction():
                store.db.execute("INSERT INTO passage_articles(n, article_id, fingerprints) VALUES (?, 'd', x'')",
                                 (big,))
                store.db.executemany("INSERT INTO passage_holders(fingerprint, n) VALUES (?, ?)",
                                     [(2, big), (4, big)])
        held_fp, held_n = coverage_store.holder_arrays(store, [9, 2, 4, -2**63, 1, 3, -7, 100, 2])
        named = coverage_store.passage_articles_named(store, sorted(set(held_n.tolist())))
    got = [(fp, named[n]) for fp, n in zip(held_fp.tolist(), held_n.tolist())]
    expected = [(-2**63, "c"), (-7, "a"), (1, "a"), (2, "a"), (2, "b"), (3, "a"), (3, "b"), (4, "b"),
                (9, "a"), (9, "c")]
    if huge_number:
        expected = sorted(expected[:5] + [(2, "d")]) + expected[5:8] + [(4, "d")] + expected[8:]
    assert got == expected


def test_coverage_works_on_the_store_with_its_own_page_cache_and_a_store_without_coverage_keeps_sqlites(tmp_path):
    from archive.coverage.ingest import STORE_CACHE_MB

    with Store(tmp_path / "c.sqlite3") as covered, Store(tmp_path / "p.sqlite3") as plain:
        step = CoverageStep(processes=1)
        try:
            step.load(covered)
        finally:
            step.close()
        # SQLite reads a negative cache_size as KiB; its default is 2,000 KiB
        assert covered.db.execute("PRAGMA cache_size").fetchone()[0] == -STORE_CACHE_MB * 1024
        assert plain.db.execute("PRAGMA cache_size").fetchone()[0] == -2000
