"""The index never disagrees with the store, whatever the sequence of runs.

A hypothesis state machine drives random sequences of the command line over
a small folder of text files: `add` (files new, changed and removed, with
and without coverage), `add --prune`, `reindex`, `reextract` (with an
extractor whose output changes), `coverage` and schema-version bumps. After
every step the index's ids, outlets, dates, entity, story and cites fields
must equal what the store says, computed straight from the store's rows and
coverage tables. Entities come from a stand-in for spaCy (no model loads).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import hypothesis.strategies as st
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import index.writer as writer
import ingest
from archive.coverage.store import index_extras
from archive.document import ENTITY_TYPES, Entity
from archive.paths import DataDir
from archive.store import Store

SLOTS = 3

#: Story texts: files made from the same one share most of their words (a story group).
STORIES = (
    "The coalition aircraft struck positions of the army near the airport on Saturday evening, "
    "killing dozens of soldiers, the ministry said in a statement issued in the capital. The "
    "strikes lasted for nearly an hour and hit four positions on the hills above the city, where "
    "the army had been fighting militants for months. Officials called the raid a flagrant "
    "aggression and demanded an urgent meeting of the council.",
    "Prices of crude oil rose sharply on Monday after producers agreed to limit output for six "
    "months, traders in London and New York said. The agreement, reached after two days of talks, "
    "surprised analysts who had expected the meeting to end without a deal, and shares of energy "
    "companies climbed on every major exchange by the close of trading.",
    "Heavy rain flooded the lower districts of the port town overnight, forcing hundreds of "
    "families from their homes and closing the main road to the north, local officials said. "
    "Rescue teams worked through the night with boats and lorries, and the weather service warned "
    "that more rain was expected before the end of the week across the whole coast.",
)
ENDINGS = ("", "According to SANA, the toll is expected to rise.", "Lavrov told Reuters the talks would go on.",
           "Damascus said the UN had been informed.")
TITLES = ("Strike near the airport", "Oil prices climb", "Floods in the port town", "Talks go on")
DATES = ("20 September 2016", "3 March 2017", "")


class StandInExtractor:
    """Tags a few names; `mode` 1 also tags 'Reuters', so re-extraction changes entities."""

    names = {"Lavrov": "person", "Damascus": "place", "UN": "org", "SANA": "org"}

    def __init__(self, mode: int = 0):
        self.mode = mode
        self.version = f"stand-in-{mode}"

    def extract(self, articles):
        names = dict(self.names, **({"Reuters": "org"} if self.mode else {}))
        out = []
        for article in articles:
            found = [Entity(name.lower(), name, etype, article.body.count(name))
                     for name, etype in names.items() if name in article.body]
            out.append(tuple(found))
        return out


def expected_fields(store: Store) -> dict[str, dict]:
    """What the index should hold for each article, from the store alone."""
    articles = list(store.iter_articles())
    extras = index_extras(store, [a.id for a in articles])
    out = {}
    for a in articles:
        fields = {"outlet": a.outlet_slug or "", "date": a.date, "story": extras[a.id].story,
                  "cites": ",".join(slug for slug, _ in extras[a.id].cites)}
        for etype in ENTITY_TYPES:
            fields[etype] = ",".join(e.slug for e in a.entities_of(etype))
        out[a.id] = fields
    return out


def indexed_fields(root: Path) -> list[tuple[str, dict]]:
    """(id, fields) of every live document of the live index."""
    ix = writer.open_current(root)
    try:
        with ix.searcher() as searcher:
            out = []
            for stored in searcher.all_stored_fields():
                date = stored.get("date")
                fields = {"outlet": stored.get("outlet", ""),
                          "date": date.date() if isinstance(date, dt.datetime) else date,
                          "story": stored.get("story", ""), "cites": stored.get("cites", "")}
                for etype in ENTITY_TYPES:
                    fields[etype] = stored.get(etype, "")
                out.append((stored["id"], fields))
            return out
    finally:
        ix.close()


class ArchiveRuns(RuleBasedStateMachine):
    """Random runs of the command line over one small folder of files."""

    @initialize()
    def start(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="agree-"))
        self.files = self.tmp / "articles"
        self.files.mkdir()
        self.data = DataDir(self.tmp / "data")
        self.extractor = StandInExtractor()
        self.saved = (ingest._entity_extractor, writer.SCHEMA_VERSION)
        ingest._entity_extractor = lambda enabled, processes: self.extractor if enabled else None
        self.bumps = 0
        self.clock = 1_600_000_000 * 10**9
        self.runner = CliRunner()
        self.indexed_once = False

    def teardown(self):
        if hasattr(self, "saved"):
            ingest._entity_extractor, writer.SCHEMA_VERSION = self.saved
            shutil.rmtree(self.tmp, ignore_errors=True)

    def cli(self, *args: str) -> None:
        result = self.runner.invoke(ingest.cli, [*args, "--data", str(self.data.root)])
        assert result.exit_code == 0, (args, result.output, result.exception)

    # -- the files ----------------------------------------------------------------
    @rule(slot=st.integers(0, SLOTS - 1), story=st.integers(0, len(STORIES) - 1),
          title=st.integers(0, len(TITLES) - 1), ending=st.integers(0, len(ENDINGS) - 1),
          date=st.integers(0, len(DATES) - 1), twice=st.booleans())
    def write_file(self, slot, story, title, ending, date, twice):
        """A new file, or a changed one (some files hold two articles as CSV)."""
        path = self.files / f"f{slot}.txt"
        for other in self.files.glob(f"f{slot}.*"):
            other.unlink()
        lines = [TITLES[title], DATES[date], "", STORIES[story], ENDINGS[ending]]
        if twice:
            path = path.with_suffix(".csv")
            body = (STORIES[story] + " " + ENDINGS[ending]).replace('"', "")
            other = STORIES[(story + 1) % len(STORIES)]
            path.write_text("title,text,date\n"
                            f'"{TITLES[title]}","{body}",2016-09-{10 + slot}\n'
                            f'"{TITLES[(title + 1) % len(TITLES)]}","{other}",2016-10-01\n')
        else:
            path.write_text("\n".join(lines) + "\n")
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))

    @rule(slot=st.integers(0, SLOTS - 1))
    def remove_file(self, slot):
        for path in self.files.glob(f"f{slot}.*"):
            path.unlink()

    # -- the commands -------------------------------------------------------------
    @rule(prune=st.booleans(), coverage=st.booleans())
    def add(self, prune, coverage):
        self.cli("add", str(self.files), *(["--prune"] if prune else []),
                 *([] if coverage else ["--no-coverage"]))
        self.indexed_once = True

    @rule()
    def reindex(self):
        self.cli("reindex")
        self.indexed_once = True

    @rule()
    def reextract(self):
        self.extractor = StandInExtractor(1 - self.extractor.mode)
        self.cli("reextract")
        self.indexed_once = True

    @rule()
    def coverage(self):
        self.cli("coverage")
        self.indexed_once = True

    @rule()
    def bump_schema(self):
        self.bumps += 1
        writer.SCHEMA_VERSION = f"{self.saved[1]}-test{self.bumps}"

    # -- what must always hold ----------------------------------------------------------
    @invariant()
    def index_equals_store(self):
        if not getattr(self, "indexed_once", False):
            return
        with Store(self.data.store_path) as store:
            expected = expected_fields(store)
        found = indexed_fields(self.data.index_root)
        ids = [i for i, _ in found]
        assert len(ids) == len(set(ids)), f"ids indexed twice: {sorted({i for i in ids if ids.count(i) > 1})}"
        assert sorted(ids) == sorted(expected), "index ids differ from the store's"
        for aid, fields in found:
            assert fields == expected[aid], f"{aid}: index {fields} != store {expected[aid]}"


ArchiveRuns.TestCase.settings = settings(
    max_examples=30, stateful_step_count=10, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_the_index_equals_the_store_after_every_run = ArchiveRuns.TestCase


# -- the two reproductions from issue 13, as fixed sequences of the same runs -------------

def _run(*steps):
    machine = ArchiveRuns()
    try:
        machine.start()
        for name, kwargs in steps:
            getattr(machine, name)(**kwargs)
            machine.index_equals_store()
    finally:
        machine.teardown()


FILE = dict(story=0, title=0, ending=1, date=0, twice=False)


def test_a_schema_bump_in_a_run_that_changes_and_removes_files_leaves_no_old_copy_searchable():
    _run(("write_file", dict(FILE, slot=0)), ("write_file", dict(FILE, slot=1, story=1)),
         ("add", dict(prune=False, coverage=True)),
         ("write_file", dict(FILE, slot=0, story=2, title=2)), ("remove_file", dict(slot=1)),
         ("bump_schema", {}), ("add", dict(prune=True, coverage=True)))


def test_coverage_after_an_add_without_coverage_fills_the_cites_field():
    _run(("write_file", dict(FILE, slot=0)), ("add", dict(prune=False, coverage=False)),
         ("coverage", {}))


def test_reextract_that_changes_citations_reindexes_them():
    _run(("write_file", dict(FILE, slot=0, ending=2)), ("add", dict(prune=False, coverage=True)),
         ("reextract", {}), ("reextract", {}))
