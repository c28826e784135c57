"""The archive's command line: add articles, rebuild the index, inspect, search.

Each command opens the data folder, makes one library call and prints the
result; library errors become clean messages with a non-zero exit, while
per-file failures are reported and the run still exits 0 (it completed).
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from archive.errors import ArchiveError
from archive.lock import write_lock
from archive.paths import ENV_VAR, SAMPLES_DIR, DataDir
from archive.pipeline import BATCH_SIZE, STAGES, Failure, Ingest, IngestOptions, Progress
from archive.readers import ReadOptions
from archive.seal import seal
from archive.store import Store, StoreDamaged, is_damage
from index.errors import SearchError

data_option = click.option(
    "--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"Data folder holding the store and index (default: ${ENV_VAR}, else ./instance).")
#: Failures listed in a run's summary; `stats --json` has every one.
SUMMARY_FAILURES = 20

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def engine_options(command):
    """--engine and --opensearch-url (default: $ARCHIVE_ENGINE, $ARCHIVE_OPENSEARCH_URLS; see index.engines)."""
    command = click.option("--opensearch-url", "opensearch_urls", multiple=True, metavar="URL",
                           help="An OpenSearch/Elasticsearch node (repeatable or comma-separated; "
                                "default: $ARCHIVE_OPENSEARCH_URLS).")(command)
    return click.option("--engine", type=click.Choice(["whoosh", "opensearch"]), default=None,
                        help="Search engine holding the index (default: $ARCHIVE_ENGINE, else whoosh).")(command)


def open_engine(folder: DataDir, engine: str | None = None, urls: tuple[str, ...] = ()):
    """The search engine the options (or the environment) choose, for the data folder."""
    from index.engines import EngineConfigError, EngineOptions, make_engine, split_urls
    try:
        return make_engine(EngineOptions.from_env(engine=engine, urls=split_urls(urls)), folder.index_root)
    except EngineConfigError as exc:
        raise click.ClickException(str(exc))


@contextmanager
def open_store(data: Path | None, write: bool = False, wait: float = 0.0) -> Iterator[tuple[DataDir, Store]]:
    """The data folder and its store; with `write`, under the write lock."""
    folder = DataDir.resolve(data)
    try:
        folder.root.mkdir(parents=True, exist_ok=True)
        if write:
            probe = folder.root / ".write-test"
            probe.write_text("")
            probe.unlink()
    except OSError as exc:
        raise click.ClickException(f"data folder {folder.root} is not writable: {exc.strerror or exc}")
    try:
        if write:
            with write_lock(folder.lock_path, wait=wait):
                with Store(folder.store_path) as store:
                    store.check()
                    yield folder, store
                seal(folder.store_path)  # closed cleanly: the next writer need not check it all again
        else:
            with Store(folder.store_path) as store:
                yield folder, store
    except (ArchiveError, SearchError) as exc:
        raise click.ClickException(str(exc))
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            with Store(folder.store_path) as store:
                raise click.ClickException(str(StoreDamaged(folder.store_path, store.integrity())))
        raise click.ClickException(_write_failed(folder.store_path, str(exc)))
    except OSError as exc:
        raise click.ClickException(_write_failed(Path(exc.filename) if exc.filename else folder.root,
                                                 exc.strerror or str(exc)))


def _write_failed(path: Path, reason: str) -> str:
    return (f"could not write {path}: {reason} (the disk may be full, a file-size limit reached, or the "
            "folder read-only); nothing stored was lost, and running the command again finishes the job")


class TerminalProgress(Progress):
    """A tqdm bar on a terminal; a plain line every few seconds otherwise.

    During `add` the bar counts articles read (with rate and, when the files
    tell how many they hold, ETA) and shows how far the later stages have
    got and which one is working now, so it moves inside one big file and
    through the store, coverage and index commits of every batch.
    """

    #: Seconds between plain progress lines when not on a terminal.
    LINE_EVERY = 5.0

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.bar = None
        self.files_total = 0
        self.files = 0
        self.expected: int | None = None
        self.counts = {stage: 0 for stage in STAGES}
        self.articles = 0
        self.now = "read"
        self.started = time.monotonic()
        self._last_line = 0.0
        self._stage = "read"
        self.failures = 0

    def files_found(self, total: int, articles: int | None = None) -> None:
        self.files_total = total
        self.expected = articles
        self.started = time.monotonic()
        self._open("add", total=articles, unit="art")
        self._line(f"{total} file(s) to look at" + (f", {articles:,} article(s) expected" if articles else ""))

    def _open(self, desc: str, total: int | None, unit: str) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.tty:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True,
                            smoothing=0.05)

    def stage(self, name: str, total: int | None = None) -> None:
        """A command's own phase with its own count (reindex, re-extraction)."""
        if name == self._stage:
            return
        self._stage = name
        self.now = name
        self.articles = 0
        self.expected = total
        self.started = time.monotonic()
        if name == "index":
            self._open("indexing", total=total, unit="art")
            self._line("writing the index" if total is None else f"indexing {total} article(s)")
        elif name == "entities":
            self._open("entities", total=total, unit="art")
            self._line(f"entities: {total} article(s)")

    def working(self, stage: str) -> None:
        self.now = stage
        self._show()

    def through(self, stage: str, n: int) -> None:
        self.counts[stage] += n
        if stage == "read":
            self.advance(n)
        else:
            self._show()

    def advance(self, n: int) -> None:
        self.articles += n
        if self.bar is not None:
            self.bar.update(n)
        if n:
            self._show()

    def file_done(self, path: str, articles: int) -> None:
        self.files += 1
        self._show()

    def _status(self) -> str:
        later = ", ".join(f"{stage} {self.counts[stage]:,}" for stage in STAGES[2:] if self.counts[stage])
        return f"files {self.files}/{self.files_total}" + (f"; {later}" if later else "") + f"; now: {self.now}"

    def _show(self) -> None:
        now = time.monotonic()
        if now - self._last_line < (0.5 if self.bar is not None else self.LINE_EVERY):
            return
        self._last_line = now
        if self.bar is not None:
            self.bar.set_postfix_str(self._status())
            return
        elapsed = max(now - self.started, 1e-9)
        rate = self.articles / elapsed
        line = f"{self._stage}: {self.articles:,}"
        if self.expected:
            line += f" of {self.expected:,} articles ({100 * self.articles / self.expected:.0f}%)"
        else:
            line += " articles"
        line += f", {rate:,.0f}/s"
        if self.expected and rate > 0 and self.articles < self.expected:
            line += f", ETA {_duration((self.expected - self.articles) / rate)}"
        self._line(f"{line}; {self._status()}")

    #: Failures printed as they happen; the rest are counted (stats --json lists all).
    LIVE_FAILURES = 10

    def failure(self, failure: Failure) -> None:
        self.failures += 1
        if self.failures > self.LIVE_FAILURES:
            return
        message = f"failed: {failure}"
        if self.failures == self.LIVE_FAILURES:
            message += " (further failures are listed at the end)"
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream)

    def _line(self, text: str) -> None:
        if not self.tty:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _index_feed(engine):
    return lambda store, progress: engine.feed(store)


def _entity_extractor(enabled: bool, processes: int | None):
    if not enabled:
        return None
    from archive.entities import EntityExtractor
    return EntityExtractor(n_process=processes or os.cpu_count() or 1)


def _coverage_step(enabled: bool):
    if not enabled:
        return None
    from archive.coverage.ingest import CoverageStep
    return CoverageStep()


def _read_options(maps: tuple[str, ...]) -> ReadOptions:
    try:
        return ReadOptions.from_pairs(maps)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map")


@click.group()
def cli() -> None:
    """A searchable archive of news articles."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Map an article field to a CSV column or JSON key (repeatable).")
@click.option("--prune", is_flag=True, help="Remove articles whose source file is gone.")
@click.option("--entities/--no-entities", default=True, show_default=True,
              help="Extract named entities (cached by content).")
@click.option("--processes", type=click.IntRange(1, 16), default=None,
              help="Processes for entity extraction (default: one per core).")
@click.option("--coverage/--no-coverage", default=True, show_default=True,
              help="Link stories across outlets and find cited sources.")
@click.option("--batch-size", type=click.IntRange(1), default=BATCH_SIZE, show_default=True,
              help="Articles stored, signed and indexed together, then committed.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@engine_options
@json_option
def add(paths, data, maps, prune, entities, processes, coverage, batch_size, wait, engine, opensearch_urls,
        as_json) -> None:
    """Add files or folders (default: the bundled sample articles)."""
    paths = paths or (SAMPLES_DIR,)
    options = IngestOptions(read=_read_options(maps), prune=prune)
    with open_store(data, write=True, wait=wait) as (folder, store):
        progress = TerminalProgress()
        index = open_engine(folder, engine, opensearch_urls)
        try:
            report = Ingest(store, options, entities=_entity_extractor(entities, processes),
                            index=_index_feed(index), progress=progress,
                            coverage=_coverage_step(coverage), batch_size=batch_size).run(paths)
        finally:
            progress.close()
            index.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    click.echo(f"files: {report.files} ({report.files_unchanged} unchanged, {report.files_read} read)")
    click.echo(f"articles: {report.added} added, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.removed} removed, {len(report.failures)} failed")
    click.echo(f"index: {report.indexed} written, {report.index_deleted} deleted "
               f"in {report.seconds:.1f}s")
    for failure in report.failures[:SUMMARY_FAILURES]:
        click.echo(f"  failed: {failure}")
    if len(report.failures) > SUMMARY_FAILURES:
        click.echo(f"  ... and {len(report.failures) - SUMMARY_FAILURES} more failures: "
                   "`ingest.py stats --json` lists them all")


@cli.command()
@data_option
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@engine_options
def reindex(data, wait, engine, opensearch_urls) -> None:
    """Rebuild the index from the store and swap it in atomically."""
    from archive.coverage.ingest import ensure_passages
    with open_store(data, write=True, wait=wait) as (folder, store):
        index = open_engine(folder, engine, opensearch_urls)
        ensure_passages(store)  # borrowed passages stored by older rules (or none) are found again
        progress = TerminalProgress()
        progress.stage("index", store.count())
        try:
            n = index.rebuild(store, progress.advance)
            click.echo(f"reindexed {n} article(s); index generation {index.generation()}")
        finally:
            progress.close()
            index.close()


@cli.command()
@data_option
def check(data) -> None:
    """Check the whole store file with SQLite's integrity check (writers check only a file that
    changed since the last clean write)."""
    with open_store(data) as (folder, store):
        found = store.integrity()
    if found != "ok":
        raise click.ClickException(str(StoreDamaged(folder.store_path, found)))
    click.echo(f"{folder.store_path}: ok")


@cli.command()
@data_option
@json_option
def stats(data, as_json) -> None:
    """Articles by outlet and month, failures, index generation."""
    from index.provenance import counts as date_provenance_counts
    with open_store(data) as (folder, store):
        result = store.stats()
        result["date_provenance"] = date_provenance_counts(store.date_origins())
    index = open_engine(folder)
    try:
        result["index_generation"] = index.generation()
    except SearchError as exc:
        raise click.ClickException(str(exc))
    finally:
        index.close()
    result["entities"] = _entity_support(result["languages"])
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"articles: {result['articles']} from {result['files']} file(s); "
               f"index generation {result['index_generation']}")
    span = result["date_span"]
    if span["from"]:
        click.echo(f"dates: {span['from']} to {span['to']}")
    click.echo(_provenance_line(result["date_provenance"]))
    if result.get("last_ingest"):
        click.echo(_last_ingest_line(result["last_ingest"]))
    for title, key in (("outlets", "outlets"), ("months", "months"), ("languages", "languages")):
        click.echo(f"{title}:")
        for name, count in result[key].items():
            click.echo(f"  {count:7d}  {name}")
    unsupported = result["entities"]["no_model_for"]
    if unsupported:
        click.echo("no entity model for: " + ", ".join(f"{lang} ({n})" for lang, n in unsupported.items()))
    for problem in result["entities"]["registry_problems"]:
        click.echo(f"entity registry: {problem}")
    if result["failures"]:
        click.echo(f"failures: {len(result['failures'])}")
        for f in result["failures"]:
            click.echo(f"  {Failure(f['path'], f['record'], f['reason'])}")


def _last_ingest_line(run: dict) -> str:
    """How long the last `add` took and where the time went, stage by stage."""
    seconds = run["seconds"] or 1e-9
    stages = ", ".join(f"{stage} {spent:.1f}s ({100 * spent / seconds:.0f}%)"
                       for stage, spent in run["stages"].items() if spent >= 0.05)
    return (f"last add ({run['finished']}): {run['articles_read']} article(s) read in {run['seconds']:.1f}s "
            f"({_rate(run['articles_read'] / seconds)}/s, {run['batches']} batch(es)); {stages or 'no work'}")


def _rate(per_second: float) -> str:
    """Articles per second, with a decimal below 10 (one article in 3.2 s is 0.3/s, not 0/s)."""
    return f"{per_second:.0f}" if per_second >= 10 else f"{per_second:.1f}"


def _provenance_line(found: dict) -> str:
    rules = ", ".join(f"{rule} {n}" for rule, n in found["inferred_rules"].items())
    return (f"date source: {found['explicit']} stated by the source, {found['inferred']} inferred"
            + (f" ({rules})" if rules else "") + f", {found['missing']} with no date")


def _entity_support(languages: dict[str, int]) -> dict:
    """Which languages get no entities (no model installed), and registry problems."""
    from archive.entities import EntityExtractor
    extractor = EntityExtractor()
    return {
        "extractor": extractor.version,
        "no_model_for": {lang: n for lang, n in languages.items()
                         if not extractor.supports(None if lang == "(unknown)" else lang)},
        "registry_problems": [str(p) for p in extractor.problems],
    }


@cli.command()
@click.argument("query", nargs=-1)
@data_option
@click.option("--outlet", multiple=True, help="Only this outlet (slug; repeatable).")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Published on or after.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Published on or before.")
@click.option("--date-provenance", "date_provenance", multiple=True,
              type=click.Choice(["explicit", "inferred", "missing"], case_sensitive=False),
              help="Only dates the source stated (explicit), inferred ones, or undated articles (repeatable).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default=None)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1)
@engine_options
@json_option
def search(query, data, outlet, date_from, date_to, date_provenance, sort, limit, page, engine, opensearch_urls,
           as_json) -> None:
    """Search the archive (the web app's query language)."""
    from index.query import InvalidRequest, parse_request
    params = {"q": " ".join(query), "outlet": list(outlet), "date_provenance": list(date_provenance),
              "per_page": str(limit), "page": str(page)}
    for key, value in (("from", date_from), ("to", date_to), ("sort", sort)):
        if value:
            params[key] = value
    try:
        request = parse_request(params)
    except InvalidRequest as exc:
        raise click.ClickException(str(exc))
    from index.errors import SearchError
    service = open_engine(DataDir.resolve(data), engine, opensearch_urls)
    try:
        result = service.search(request)
    except SearchError as exc:
        raise click.ClickException(str(exc))
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    if result.notice:
        click.echo(f"note: {result.notice}")
    click.echo(f"{result.total} hit(s) in {result.took_ms:.0f} ms")
    for hit in result.hits:
        date = hit.date.isoformat() if hit.date else "undated"
        if hit.date and hit.date_provenance == "inferred":
            date += f" (inferred{': ' + hit.date_rule if hit.date_rule else ''})"
        click.echo(f"\n{hit.title}\n  {hit.outlet or 'unknown outlet'} · {date} · {hit.id}")
        for snippet in hit.snippets:
            click.echo("  … " + _plain(snippet))
    if result.suggestion:
        click.echo(f"\ndid you mean: {result.suggestion}")


def _plain(html: str) -> str:
    """A highlighted HTML snippet for a terminal: marks as [brackets]."""
    import html as html_lib
    import re
    text = re.sub(r"<mark[^>]*>", "[", html).replace("</mark>", "]")
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


@cli.command()
@data_option
@click.option("--type", "type_", type=click.Choice(["person", "org", "place"]), default=None)
@click.option("--top", type=click.IntRange(1), default=30, show_default=True)
@json_option
def entities(data, type_, top, as_json) -> None:
    """Canonical entities with counts and the spellings merged into each."""
    from archive.entities import summarise
    with open_store(data) as (_, store):
        rows = summarise((a.entities for a in store.iter_articles()), type_, top)
    if as_json:
        click.echo(json.dumps({"entities": [r.to_dict() for r in rows]}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        variants = ", ".join(f"{text} ({count})" for text, count in row.variants)
        click.echo(f"{row.articles:6d}  {row.type:6s}  {row.name}  [{row.slug}]  {variants}")


@cli.command()
@data_option
@click.option("--processes", type=click.IntRange(1, 16), default=None)
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
def reextract(data, processes, wait) -> None:
    """Re-run entity extraction (after the model or the registry changed).

    Citations name people and organisations through the entities, so the
    coverage tables are recomputed too when any article's entities changed.
    """
    from archive.coverage.ingest import ensure_passages, rebuild_coverage
    from archive.pipeline import reextract as run_reextract
    with open_store(data, write=True, wait=wait) as (folder, store):
        progress = TerminalProgress()
        index = open_engine(folder)
        try:
            changed = run_reextract(store, _entity_extractor(True, processes), progress)
            if changed:
                # coverage first: the index carries its story groups and citations
                rebuild_coverage(store)
                progress.stage("index", store.count())
                indexed = index.rebuild(store, progress.advance)
            else:  # passages stored by older rules are found again; the index holds none (index.partners)
                ensure_passages(store)
                indexed = index.sync(store, progress.advance)[0]
        finally:
            progress.close()
            index.close()
    click.echo(f"entities changed in {changed} article(s); {indexed} re-indexed")


@cli.command()
@data_option
@click.option("--min-outlets", type=click.IntRange(1), default=1, show_default=True,
              help="Only stories told by at least this many outlets.")
@json_option
def stories(data, min_outlets, as_json) -> None:
    """Story groups: articles that share most of their text."""
    from archive.coverage.store import ensure_schema, story_summaries
    with open_store(data) as (_, store):
        ensure_schema(store)
        groups = story_summaries(store, min_outlets)
    if as_json:
        click.echo(json.dumps({"stories": [g.to_dict() for g in groups]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(groups)} story group(s)")
    for g in groups:
        span = " to ".join(sorted({d.isoformat() for d in (g.first_date, g.last_date) if d})) or "undated"
        click.echo(f"\n{g.title}\n  {g.size} articles ({g.distinct_texts} distinct texts) · {span}"
                   f" · {', '.join(g.outlets)}")


@cli.command()
@data_option
@json_option
def cites(data, as_json) -> None:
    """Who cites whom: citing articles per publisher and cited source."""
    from archive.coverage.store import citation_counts, ensure_schema
    with open_store(data) as (_, store):
        ensure_schema(store)
        counts = citation_counts(store)
    if as_json:
        click.echo(json.dumps({"cites": [c.to_dict() for c in counts]}, indent=2, ensure_ascii=False))
        return
    for c in counts:
        click.echo(f"{c.articles:6d}  {c.outlet}  ->  {c.source_name}  ({c.kind})")


@cli.command()
@data_option
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
def coverage(data, wait) -> None:
    """Recompute story links and citations for every stored article, and the index with them."""
    from archive.coverage.ingest import rebuild_coverage
    with open_store(data, write=True, wait=wait) as (folder, store):
        step = rebuild_coverage(store)
        index = open_engine(folder)
        try:
            n = index.rebuild(store)
            generation = index.generation()
        finally:
            index.close()
    click.echo(f"coverage recomputed for {step.signed} article(s); "
               f"reindexed {n} article(s), index generation {generation}")


if __name__ == "__main__":
    cli()
