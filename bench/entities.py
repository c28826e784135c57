"""Entity extraction on Reuters-21578: throughput, and how right the entities are.

Throughput (the default): articles/s, words/s and CPU seconds per 1,000
words, 1 and 2 processes, on Reuters-21578 (../shared/corpora, JSON Lines)
beside two baselines measured in the same run: a plain word count (the floor
of any pass over the text) and extraction without entities
(`archive.extract.extract`: what an ingest costs per article before NER).
With `--before REV`, revision REV's extractor is measured in the same run,
the two trees in turn (`--rounds`), and the bench says whether every setting
and both trees found the same entity lists. On a machine others load, the
CPU seconds are the figure to compare; wall-clock rates follow the load.

Evaluation (`--evaluate`): recall of the
hand-assigned PEOPLE and ORGS, precision over a hand-labelled fixture, the
spelling key's false-merge rate, and the junk values, for this checkout and,
with `--before REV`, for another revision in the same run. Usage:

    .venv/bin/python bench/entities.py [--articles 2000] [--batch-sizes 32,64,128] [--before REV] [--rounds 2]
    .venv/bin/python bench/entities.py --evaluate [--sample 1000] [--before REV]
    .venv/bin/python bench/entities.py --merge-rate [--all-articles N] [--cached]

`--merge-rate` extracts every Reuters article once (cached, resumably, under
~/.cache/news-archive-bench/; `--cached` reads what is there so far), counts
the issue's junk values among all their entities and cited sources, adds
the SGML's hand-assigned PEOPLE/ORGS/PLACES lists, and counts the pairs of
distinct spellings that the old rule (equal loose transliteration key) and
the new one (`translit.same_name`) join, each beside its false merges from
the labelled pairs in `tests/fixtures/entity_key_pair_labels.tsv` (every
pair the new rule joins is labelled; the old rule's from a fixed draw).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if "--child" not in sys.argv and "--throughput-child" not in sys.argv:  # a child runs its tree's code
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
WORD = re.compile(r"\w+")


def load(n: int):
    from archive.document import Article, RawDocument

    raws, articles = [], []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for record, line in enumerate(fh, start=1):
            d = json.loads(line)
            if not d.get("body"):
                continue
            title, body = d.get("title") or "", d["body"]
            raws.append(RawDocument(str(CORPUS), record, "jsonl", text=body, hints={"title": title}))
            articles.append(Article(id=d["id"], slug=d["id"], title=title, body=body,
                                    source_path=str(CORPUS), record=record, fmt="jsonl", original=body,
                                    lang="en"))
            if len(articles) >= n:
                break
    return raws, articles


def timed(label: str, fn, n_articles: int, n_words: int) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s {n_articles / seconds:10.1f} art/s {n_words / seconds:12.0f} words/s",
          flush=True)
    return seconds


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the extractor's workers, once closed)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def throughput_child(spec_path: Path, out_path: Path) -> None:
    """Extract the first N articles with the code of the current directory's tree, once per setting.

    Each setting gets a fresh extractor (the model loaded once, beforehand)
    and is closed before the clock stops, so that its workers' CPU time is
    counted. Writes the timings and every article's entities.
    """
    import os

    sys.path.insert(0, str(Path.cwd()))
    from archive.entities import EntityExtractor

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    _, articles = load(spec["articles"])
    warm = EntityExtractor()
    warm.extract(articles[:1])
    runs = []
    for n_process, batch_size in spec["settings"]:
        extractor = EntityExtractor(n_process=n_process, batch_size=batch_size)
        extractor._nlp = warm._nlp  # measure extraction, not loading
        cpu, wall = _cpu_seconds(), time.perf_counter()
        result = extractor.extract(articles)
        extractor.close()
        runs.append({"n_process": n_process, "batch_size": batch_size, "wall": time.perf_counter() - wall,
                     "cpu": _cpu_seconds() - cpu, "load": os.getloadavg()[0],
                     "entities": [[e.to_dict() for e in ents] for ents in result]})
    out_path.write_text(json.dumps(runs), encoding="utf-8")


def throughput(args) -> None:
    """Words/s, articles/s and CPU s per 1,000 words, for this tree and (`--before`) another, in one run."""
    import os
    import subprocess
    import tempfile

    from archive.extract import extract

    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    raws, articles = load(args.articles)
    words = sum(len(WORD.findall(a.title)) + len(WORD.findall(a.body)) for a in articles)
    print(f"{len(articles)} Reuters articles, {words} words "
          f"({sum(len(a.body) for a in articles)} body chars); {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    timed("baseline: word count", lambda: [WORD.findall(a.body) for a in articles], len(articles), words)
    timed("baseline: extraction without entities", lambda: [extract(r) for r in raws], len(articles), words)
    settings = [[int(p), int(b)] for p in args.processes.split(",") for b in args.batch_sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-entities-") as tmp:
        tmp = Path(tmp)
        spec = tmp / "spec.json"
        spec.write_text(json.dumps({"articles": args.articles, "settings": settings}), encoding="utf-8")
        trees = [("now", ROOT)]
        if args.before:
            tree = tmp / "before"
            tree.mkdir()
            archive = subprocess.run(["git", "archive", args.before, "archive"], cwd=ROOT, check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
            trees.insert(0, (f"as of {args.before}", tree))
        results = {}
        for _ in range(args.rounds):  # trees taken in turn, so that both meet the same load
            for name, tree in trees:
                out = tmp / "out.json"
                subprocess.run([sys.executable, str(Path(__file__).resolve()), "--throughput-child", str(spec),
                                str(out)], check=True, cwd=tree)
                for run in json.loads(out.read_text(encoding="utf-8")):
                    results.setdefault((name, run["n_process"], run["batch_size"]), []).append(run)
    print(f"\n{'entities':<34} {'proc':>4} {'batch':>5} {'wall s':>8} {'art/s':>8} {'words/s':>8} "
          f"{'CPU s':>7} {'CPU s/1k words':>14} {'load':>5}")
    reference = None
    for (name, n_process, batch_size), runs in results.items():
        best = min(runs, key=lambda r: r["cpu"])  # the least disturbed of the rounds
        print(f"{name:<34} {n_process:4d} {batch_size:5d} {best['wall']:8.2f} {len(articles) / best['wall']:8.1f} "
              f"{words / best['wall']:8.0f} {best['cpu']:7.2f} {1000 * best['cpu'] / words:14.4f} {best['load']:5.2f}")
        if reference is None:
            reference = best["entities"]
        differing = sum(a != b for r in runs for a, b in zip(r["entities"], reference))
        if differing:
            print(f"    !! {differing} articles' entities differ from the first setting's")
    total = sum(len(ents) for ents in reference or [])
    print(f"\nentities per article: {total / len(articles):.1f}; every setting and tree found the same entity "
          f"lists" if all(r["entities"] == reference for rs in results.values() for r in rs) else
          "\nENTITY LISTS DIFFER between settings or trees (see !! above)")


# --- evaluation ------------------------------------------------------------------------

SGML_FILES = "reut2-*.sgm.gz"
FIXTURES = ROOT / "tests" / "fixtures"
PRECISION_LABELS = FIXTURES / "entity_precision_labels.tsv"
MERGE_LABELS = FIXTURES / "entity_merge_labels.tsv"
PRECISION_SAMPLE = 150
SEED = "reuters-entities-1"
#: Values issue 15 found on Reuters; none may be a facet value or a cited source.
JUNK = ("U.S. Dlrs", "N.Z. Dlrs", "H.K. Dlrs", "Quoting", "Inc", "Co", "Ltd", "Corp", "Co Inc",
        "Department", "Poor's Corp")
_DOC = re.compile(r"<REUTERS\b(?P<attrs>[^>]*)>(?P<doc>.*?)</REUTERS>", re.S)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "BODY", "PEOPLE", "ORGS")}
_D = re.compile(r"<D>(.*?)</D>")
_REF = re.compile(r"&(?:#(\d+)|lt|gt|amp);")
_SMALL = frozenset({"of", "the", "and", "for", "de", "la", "des", "du", "&"})


def _unescape(text: str) -> str:
    table = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}
    return _REF.sub(lambda m: table.get(m.group(0)) or ("" if int(m.group(1)) < 32 and m.group(1) not in ("9", "10")
                                                         else chr(int(m.group(1)))), text)


def reuters_sgml(corpus_dir: Path):
    """Every article of the SGML files: id, title, body and the hand-assigned PEOPLE and ORGS."""
    for path in sorted(corpus_dir.glob(SGML_FILES)):
        with gzip.open(path, "rt", encoding="latin-1") as fh:
            text = fh.read()
        for m in _DOC.finditer(text):
            doc = m.group("doc")
            newid = re.search(r'NEWID="(\d+)"', m.group("attrs")).group(1)
            fields = {k: (p.search(doc).group(1) if p.search(doc) else "") for k, p in _FIELD.items()}
            yield {"id": f"reuters-{newid}", "title": _unescape(fields["TITLE"]).strip(),
                   "body": _unescape(fields["BODY"]).strip(),
                   "people": _D.findall(fields["PEOPLE"]), "orgs": _D.findall(fields["ORGS"])}


def labelled_sample(n: int) -> list[dict]:
    """`n` articles with a body and hand-assigned people or organisations, a fixed pseudo-random draw."""
    import hashlib

    pool = [d for d in reuters_sgml(CORPUS.parent) if d["body"] and (d["people"] or d["orgs"])]
    pool.sort(key=lambda d: hashlib.sha1(f"{SEED}:{d['id']}".encode()).hexdigest())
    return pool[:n]


def evaluation_child(sample_path: Path, out_path: Path) -> None:
    """Extract the sample with the code of the current directory's tree (see `run_tree`)."""
    import dataclasses

    sys.path.insert(0, str(Path.cwd()))
    from archive.coverage.attribution import article_citations
    from archive.document import RawDocument
    from archive.entities import EntityExtractor, variant_key
    from archive.extract import extract

    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    raws = [RawDocument(str(sample_path), n, "jsonl", text=d["body"], hints={"title": d["title"], "outlet": "Reuters"})
            for n, d in enumerate(sample)]
    articles = [extract(raw) for raw in raws]
    extractor = EntityExtractor()
    extractor.extract(articles[:1])  # load the model outside the timing
    start = time.perf_counter()
    per_article = extractor.extract(articles)
    seconds = time.perf_counter() - start
    rows, keys = [], {}
    for d, article, entities in zip(sample, articles, per_article):
        cited = [c.source_name for c in article_citations(dataclasses.replace(article, entities=entities))]
        rows.append({"id": d["id"], "lang": article.lang, "cited": cited,
                     "entities": [{"name": e.name, "type": e.type, "slug": e.slug, "variants": list(e.variants)}
                                  for e in entities]})
        for e in entities:
            for spelling in (e.name, *e.variants):
                keys.setdefault(" ".join(spelling.split()), variant_key(spelling))
    try:  # the tree's own joining rule, where it has one beyond the loose key
        from archive.entities.translit import same_name
    except ImportError:
        same_name = None
    from collections import Counter

    from archive.extract.language import detect_language
    langs = Counter(detect_language(d["title"], d["body"]) or "unknown" for d in reuters_sgml(CORPUS.parent)
                    if d["body"])
    joined = None
    if same_name is not None:
        groups: dict[str, list[str]] = {}
        for spelling, key in keys.items():
            groups.setdefault(key, []).append(spelling)
        joined = [[a, b] for g in groups.values() for i, a in enumerate(g) for b in g[i + 1:]
                  if a.casefold() != b.casefold() and same_name(a, b)]
    out_path.write_text(json.dumps({"articles": rows, "keys": keys, "joined": joined, "ner_seconds": seconds,
                                    "corpus_languages": dict(langs)}), encoding="utf-8")


def run_tree(tree: Path, sample_path: Path, out_path: Path) -> dict:
    """This file's child mode, run with `tree`'s code (`tree` is the working directory)."""
    import subprocess

    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(sample_path), str(out_path)],
                   check=True, cwd=tree)
    return json.loads(out_path.read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return re.findall(r"[a-z0-9]+", folded.replace("'s", "").replace("’s", ""))


def _forms(entity: dict, registry) -> set[str]:
    """The entity's written forms, and its registry spellings."""
    forms = {entity["name"], *entity["variants"]}
    entry = registry.lookup(entity["name"])
    if entry is not None:
        forms.update(entry.spellings)
    return forms


def label_matches(label: str, forms: set[str]) -> bool:
    """Whether a Reuters slug ("james-baker", "volcker", "ec", "adb-asia", "worldbank") names one of `forms`.

    Loosely, as the labels are slugs: the whole slug, the surname (the slug's
    last word is a form's last word), or the acronym (the slug's first part
    spells the initials of a form's significant words, or is the form).
    """
    parts = label.split("-")
    for form in forms:
        words = _words(form)
        if not words:
            continue
        if "".join(words) in (label.replace("-", ""), parts[0]) or "-".join(words) == label:
            return True
        if words[-1] == parts[-1]:
            return True
        initials = "".join(w[0] for w in words if w not in _SMALL)
        if len(words) >= 2 and initials in (parts[0], label.replace("-", "")):
            return True
    return False


def recall(sample: list[dict], result: dict, registry) -> dict[str, tuple[int, int]]:
    by_id = {row["id"]: row for row in result["articles"]}
    found = {"people": [0, 0], "orgs": [0, 0]}
    for d in sample:
        forms = [_forms(e, registry) for e in by_id[d["id"]]["entities"]]
        for kind in ("people", "orgs"):
            for label in d[kind]:
                found[kind][1] += 1
                found[kind][0] += any(label_matches(label, f) for f in forms)
    return {k: (v[0], v[1]) for k, v in found.items()}


def _tsv(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def precision_sample(result: dict) -> list[tuple[str, str, str]]:
    """PRECISION_SAMPLE facet values (article, type, name), the same draw for every revision."""
    import hashlib

    values = {(row["id"], e["type"], " ".join(e["name"].split())) for row in result["articles"] for e in row["entities"]}
    return sorted(values, key=lambda v: hashlib.sha1(f"{SEED}:{v[0]}:{v[1]}:{v[2]}".encode()).hexdigest()
                  )[:PRECISION_SAMPLE]


def precision(result: dict) -> tuple[int, int, list]:
    labels = {(r[0], r[1], r[2]): r[3] for r in _tsv(PRECISION_LABELS)}
    drawn = precision_sample(result)
    judged = [labels[v] for v in drawn if v in labels]
    return sum(v == "right" for v in judged), len(judged), [v for v in drawn if v not in labels]


def merged_pairs(result: dict) -> tuple[int, list[tuple[str, str]]]:
    """Distinct spellings in the sample, and the pairs of them the tree's rule puts together.

    The loose key's pairs, narrowed to those `translit.same_name` joins when
    the tree evaluated has that rule (the child records them as "joined").
    """
    from collections import defaultdict
    from itertools import combinations

    by_fold: dict[str, str] = {}
    for spelling, key in result["keys"].items():
        by_fold.setdefault(spelling.casefold(), spelling)
    groups: dict[str, list[str]] = defaultdict(list)
    for fold, spelling in sorted(by_fold.items()):
        groups[result["keys"][spelling]].append(spelling)
    pairs = {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}
    if result.get("joined") is not None:  # the tree joins fewer than the loose key: its own pairs
        pairs &= {tuple(sorted((by_fold[a.casefold()], by_fold[b.casefold()]))) for a, b in result["joined"]}
    return len(by_fold), sorted(pairs)


def false_merges(result: dict) -> tuple[int, int, int, list]:
    labels = {tuple(sorted(r[:2])): r[2] for r in _tsv(MERGE_LABELS)}
    n, pairs = merged_pairs(result)
    wrong = sum(labels.get(p) == "different" for p in pairs)
    return wrong, len(pairs), n * (n - 1) // 2, [p for p in pairs if p not in labels]


def junk_found(result: dict) -> list[str]:
    junk = {j.casefold() for j in JUNK}
    seen = set()
    for row in result["articles"]:
        for e in row["entities"]:
            if e["name"].casefold() in junk or (e["name"] == "Cuba" and e["type"] != "place"):
                seen.add(f"{e['type']} {e['name']!r}")
        seen.update(f"cited {c!r}" for c in row["cited"] if c.casefold() in junk)
    return sorted(seen)


def evaluate(args) -> None:
    import tempfile
    from collections import Counter

    from archive.entities import Registry

    sample = labelled_sample(args.sample)
    registry = Registry.load()  # today's registry matches labels for both revisions alike
    with tempfile.TemporaryDirectory(prefix="bench-entities-") as tmp:
        tmp = Path(tmp)
        sample_path = tmp / "sample.json"
        sample_path.write_text(json.dumps(sample), encoding="utf-8")
        runs = []
        if args.before:
            import subprocess

            tree = tmp / "tree"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), args.before],
                           check=True, cwd=ROOT)
            try:
                runs.append((f"as of {args.before}", run_tree(tree, sample_path, tmp / "before.json")))
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
        runs.append(("now", run_tree(ROOT, sample_path, tmp / "now.json")))
    people = sum(len(d["people"]) for d in sample)
    orgs = sum(len(d["orgs"]) for d in sample)
    print(f"{len(sample)} Reuters articles with hand-assigned people or orgs ({people} people, {orgs} orgs)\n")
    header = f"{'':34s}" + "".join(f"{name:>22s}" for name, _ in runs)
    print(header)
    table: dict[str, list[str]] = {}
    unlabelled: list = []
    for _, result in runs:
        rec = recall(sample, result, registry)
        right, judged, missing = precision(result)
        wrong, merged, pairs, unjudged = false_merges(result)
        unlabelled += [("value", *v) for v in missing] + [("pair", *p) for p in unjudged]
        langs = Counter(row["lang"] for row in result["articles"])
        cells = {
            "recall, people": f"{rec['people'][0]}/{rec['people'][1]} {rec['people'][0] / rec['people'][1]:.1%}",
            "recall, orgs": f"{rec['orgs'][0]}/{rec['orgs'][1]} {rec['orgs'][0] / rec['orgs'][1]:.1%}",
            f"precision ({PRECISION_SAMPLE} values)": f"{right}/{judged} {right / max(judged, 1):.1%}"
                                                        + (f" ({len(missing)}?)" if missing else ""),
            "key-merged pairs, wrong/merged": f"{wrong}/{merged}" + (f" ({len(unjudged)}?)" if unjudged else ""),
            "false-merge rate, of all pairs": f"{wrong / max(pairs, 1):.2e} of {pairs}",
            "entities per article": f"{sum(len(r['entities']) for r in result['articles']) / len(sample):.2f}",
            "sample language not en": f"{sum(v for k, v in langs.items() if k != 'en')}",
            "all bodies: unknown / vo / da": "{unknown} / {vo} / {da}".format(
                **{k: result.get("corpus_languages", {}).get(k, 0) for k in ("unknown", "vo", "da")}),
            "all bodies: other not en": str(sum(v for k, v in result.get("corpus_languages", {}).items()
                                                if k not in ("en", "unknown", "vo", "da"))),
            "junk values (issue 15)": str(len(junk_found(result))),
            "NER articles/s": f"{len(sample) / result['ner_seconds']:.0f}",
        }
        for row, cell in cells.items():
            table.setdefault(row, []).append(cell)
    for row, cells in table.items():
        print(f"{row:34s}" + "".join(f"{c:>22s}" for c in cells))
    for name, result in runs:
        found = junk_found(result)
        if found:
            print(f"\njunk {name}: {', '.join(found)}")
    if unlabelled:
        print(f"\n{len(set(unlabelled))} sampled values or merged pairs have no label in {FIXTURES.name}/ "
              f"(shown with --show-unlabelled); the figures above count the labelled ones.")
        if args.show_unlabelled:
            for item in sorted(set(unlabelled)):
                print("\t".join(item[1:]) if item[0] == "value" else "\t".join(("PAIR",) + item[1:]))


ENTITY_PAIR_LABELS = FIXTURES / "entity_key_pair_labels.tsv"
#: Key-sharing pairs of distinct canonical entities drawn for labelling.
PAIR_SAMPLE = 80


CACHE_DIR = Path.home() / ".cache" / "news-archive-bench"
#: Articles extracted per cached chunk (a stopped run resumes at its last whole chunk).
CHUNK = 500


def all_entities(out_path: Path, limit: int | None, processes: int) -> dict:
    """Canonical entities of every Reuters article: slug -> name, type, spellings, articles, ids.

    Extraction over all 21,578 articles takes most of an hour on two busy
    cores, so each chunk of `CHUNK` articles is kept in `out_path` as it is
    done and a stopped run resumes where it stopped. `ids` lists, per
    spelling (casefolded), a few articles that write it, for the person
    labelling a pair. The key is not part of what is cached: pairs are keyed
    afresh from the spellings by whichever `variant_key` runs. `cited` holds
    every cited source's name (`article_citations`, as `/sources` counts
    them) with the articles citing it, for the junk-value count.
    """
    data = json.loads(out_path.read_text(encoding="utf-8")) if out_path.exists() else {"done": 0, "entities": {}}
    docs = [d for d in reuters_sgml(CORPUS.parent) if d["body"]][:limit]
    data["articles"] = len(docs)
    if data["done"] >= len(docs):
        return data
    from archive.document import RawDocument
    import dataclasses

    from archive.coverage.attribution import article_citations
    from archive.entities import EntityExtractor
    from archive.extract import extract

    out_path.parent.mkdir(parents=True, exist_ok=True)
    extractor = EntityExtractor(n_process=processes)
    found: dict[str, dict] = data["entities"]
    start = time.perf_counter()
    for first in range(data["done"], len(docs), CHUNK):
        chunk = docs[first:first + CHUNK]
        articles = [extract(RawDocument("reuters", n, "jsonl", text=d["body"],
                                        hints={"title": d["title"], "outlet": "Reuters"})) for n, d in enumerate(chunk)]
        for d, article, entities in zip(chunk, articles, extractor.extract(articles)):
            for name in {c.source_name for c in article_citations(dataclasses.replace(article, entities=entities))}:
                cited = data.setdefault("cited", {}).setdefault(name, {"articles": 0, "ids": []})
                cited["articles"] += 1
                if len(cited["ids"]) < 3:
                    cited["ids"].append(d["id"])
            for e in entities:
                entry = found.setdefault(e.slug, {"name": e.name, "type": e.type, "spellings": [], "articles": 0,
                                                  "ids": {}})
                entry["articles"] += 1
                entry["spellings"] = sorted(set(entry["spellings"]) | {e.name, *e.variants})
                for spelling in {e.name.casefold(), *(v.casefold() for v in e.variants)}:
                    ids = entry.setdefault("ids", {}).setdefault(spelling, [])
                    if len(ids) < 3:
                        ids.append(d["id"])
        data["done"] = first + len(chunk)
        tmp = out_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(out_path)
        print(f"  {data['done']}/{len(docs)} articles, {time.perf_counter() - start:.0f} s", flush=True)
    return data


def reuters_spellings(entities: dict, hand_assigned: bool = True) -> dict[str, tuple[str, str]]:
    """Every distinct spelling (casefolded) of the Reuters names: -> (as written, what names it).

    The extracted canonical entities' names and variants, and, with
    `hand_assigned`, the PEOPLE, ORGS and PLACES the SGML assigns by hand to
    all 21,578 articles (slugs such as "james-baker", written "James Baker").
    A spelling is kept as first written: case is part of what the rule reads
    (acronyms, a lower-case "al").
    """
    out: dict[str, tuple[str, str]] = {}
    for e in entities.values():
        for spelling in sorted(e["spellings"]):
            out.setdefault(" ".join(spelling.split()).casefold(), (spelling, f"{e['type']} {e['name']!r}"))
    if hand_assigned:
        for kind in ("people", "orgs", "places"):
            path = CORPUS.parent / f"all-{kind}-strings.lc.txt"
            for slug in path.read_text(encoding="latin-1").split() if path.exists() else ():
                name = " ".join(w.capitalize() for w in slug.split("-"))
                out.setdefault(name.casefold(), (name, f"hand-assigned {kind[:-1] if kind != 'people' else 'person'}"))
    return out


def joined_pairs(spellings: dict[str, tuple[str, str]]) -> tuple[dict, dict]:
    """Pairs of spellings the old rule (equal loose key) and the new one (`same_name`) join.

    Returns (before, after): casefolded pair -> what the two spellings name.
    Every pair `same_name` joins shares the loose key, so both are found
    inside the loose key's groups.
    """
    from collections import defaultdict

    from archive.entities.translit import same_name, variant_key

    by_key: dict[str, list[str]] = defaultdict(list)
    for fold, (written, _) in spellings.items():
        if variant_key(written):
            by_key[variant_key(written)].append(fold)
    before, after = {}, {}
    for folds in by_key.values():
        folds.sort()
        for i, a in enumerate(folds):
            for b in folds[i + 1:]:
                what = " / ".join(sorted({spellings[a][1], spellings[b][1]}))
                before[(a, b)] = what
                if same_name(spellings[a][0], spellings[b][0]):
                    after[(a, b)] = what
    return before, after


def merge_rate(args) -> None:
    """False merges over all Reuters entity spellings, by the old rule and the new, in one run.

    Every pair the new rule joins is labelled (the fixture must hold them all);
    the old rule's other pairs are estimated from the labelled ones among
    them (a fixed draw of `PAIR_SAMPLE` and any labelled before), as their
    own stratum: they are mostly the different names the new rule keeps apart.
    """
    import hashlib

    cache = Path(args.cache) if args.cache else CACHE_DIR / f"reuters-entities-{args.all_articles or 'all'}.json"
    if args.cached:
        if not cache.exists():
            sys.exit(f"no cache yet: {cache} (run --merge-rate without --cached first)")
        data = json.loads(cache.read_text(encoding="utf-8"))
    else:
        data = all_entities(cache, args.all_articles, args.all_processes)
    spellings = reuters_spellings(data["entities"])
    n = len(spellings)
    total_pairs = n * (n - 1) // 2
    before, after = joined_pairs(spellings)
    labels = {(r[0], r[1]): r[2] for r in _tsv(ENTITY_PAIR_LABELS)}
    print(f"{data.get('done', data.get('articles'))} of {data.get('articles')} Reuters articles extracted "
          f"({cache}); {len(data['entities'])} canonical entities and the hand-assigned PEOPLE/ORGS/PLACES lists: "
          f"{n} distinct spellings (case aside), {total_pairs:,} pairs\n")
    drawn = sorted(before, key=lambda p: hashlib.sha1(f"{SEED}:{p[0]}:{p[1]}".encode()).hexdigest())[:PAIR_SAMPLE]
    print(f"{'rule':44s}{'joined':>8s}{'labelled':>10s}{'wrong':>7s}{'wrong share':>13s}{'false-merge rate':>18s}")
    # the old rule's pairs in two strata: those the new rule also joins (all labelled) and the rest
    # (labelled where drawn or labelled before), each stratum's wrong share applied to its own size
    rest = set(before) - set(after)
    strata = [(set(after), set(after)), (rest, (set(drawn) | set(labels)) & rest)]
    rows = [("before: equal loose key (variant_key)", strata), ("after: translit.same_name", strata[:1])]
    for name, parts in rows:
        joined = sum(len(pairs) for pairs, _ in parts)
        judged = [[p for p in sample if p in labels] for _, sample in parts]
        wrong = [sum(labels[p] == "different" for p in j) for j in judged]
        est = sum(w / max(len(j), 1) * len(pairs) for w, j, (pairs, _) in zip(wrong, judged, parts))
        exact = all(len(j) == len(pairs) for j, (pairs, _) in zip(judged, parts))
        print(f"{name:44s}{joined:8d}{sum(map(len, judged)):10d}{sum(wrong):7d}{est / max(joined, 1):13.1%}"
              f"{('' if exact else '~') + f'{est / max(total_pairs, 1):.2e}':>18s}")
    missing = sorted({p for p in drawn if p not in labels} | {p for p in after if p not in labels})
    if missing:
        print(f"\n{len(missing)} pairs to judge have no label in {ENTITY_PAIR_LABELS.name}:")
        for a, b in missing:
            print(f"{a}\t{b}\t?\t{before[(a, b)]}")
    wrong_after = sorted(p for p in after if labels.get(p) == "different")
    if wrong_after:
        print("\nwrong joins left: " + "; ".join(f"{a} / {b}" for a, b in wrong_after))
    junk = junk_entities(data["entities"])
    if "cited" in data:  # caches written before citations were kept have none
        folded = {j.casefold() for j in JUNK}
        junk += [f"cited {name!r} in {c['articles']} articles ({', '.join(c['ids'])})"
                 for name, c in sorted(data["cited"].items()) if name.casefold() in folded]
    print(f"\njunk values (issue 15) among the canonical entities{' and cited sources' * ('cited' in data)} "
          f"of all {data.get('done')} articles: "
          f"{len(junk)}" + "".join(f"\n  {j}" for j in junk))


#: Companies issue 15 found typed as people on Reuters.
JUNK_PEOPLE = ("Pizza Inn", "Petrobras")


def junk_entities(entities: dict) -> list[str]:
    """The issue's junk values among cached canonical entities (slug -> name, type, articles, ids)."""
    junk = {j.casefold() for j in JUNK}
    found = []
    for e in entities.values():
        name = e["name"]
        if (name.casefold() in junk or (name == "Cuba" and e["type"] != "place")
                or (e["type"] == "person" and name in JUNK_PEOPLE)):
            found.append(f"{e['type']} {name!r} in {e['articles']} articles ({', '.join(sorted(e['ids'].get(name.casefold(), []))[:3])})")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch-sizes", default="32")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--evaluate", action="store_true",
                        help="Recall, precision, false merges and junk values instead of throughput.")
    parser.add_argument("--sample", type=int, default=1000, help="Labelled articles evaluated.")
    parser.add_argument("--before", metavar="REV",
                        help="Also measure (throughput) or evaluate (--evaluate) git revision REV, in the same run.")
    parser.add_argument("--show-unlabelled", action="store_true",
                        help="List sampled values and merged pairs the fixtures do not label yet.")
    parser.add_argument("--merge-rate", action="store_true",
                        help="False merges over all Reuters entity pairs (extracts every article once, cached).")
    parser.add_argument("--all-articles", type=int, default=None, help="With --merge-rate: the first N articles only.")
    parser.add_argument("--all-processes", type=int, default=2)
    parser.add_argument("--cache", help="With --merge-rate: where the extracted entities are kept.")
    parser.add_argument("--cached", action="store_true",
                        help="With --merge-rate: use the articles the cache holds so far, extract nothing more.")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Throughput: measure each tree this many times, in turn; the least CPU is shown.")
    parser.add_argument("--child", nargs=2, metavar=("SAMPLE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--throughput-child", nargs=2, metavar=("SPEC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.throughput_child:
        throughput_child(Path(args.throughput_child[0]), Path(args.throughput_child[1]))
    elif args.child:
        evaluation_child(Path(args.child[0]), Path(args.child[1]))
    elif args.merge_rate:
        merge_rate(args)
    elif args.evaluate:
        evaluate(args)
    else:
        throughput(args)


if __name__ == "__main__":
    main()
