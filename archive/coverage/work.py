"""Coverage's pure computation, done in worker processes when there are cores to spare.

Profiled on 5,000 synthetic articles (`add --no-entities`, py-spy and
cProfile), four fifths of coverage's time was computation that needs no
store: the signature (shingles, MinHash), the winnowed passage
fingerprints, the citation rules, and verifying a new article's passage
candidates on the texts. `sign` and `verify` are that computation, as
functions of their arguments only, so the main process can hand them to
forked workers (as the entity workers are) while it keeps every store
lookup and write, and the story index, to itself. The results are the same
whichever process computes them, and in the same order.
"""
from __future__ import annotations

import multiprocessing
import os
import weakref
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Mapping, NamedTuple, Sequence

from ..orphans import die_with_parent
from . import borrowed
from .attribution import Citation, article_citations
from .signatures import Signature, signed_words, signature_of_words
from .words import norm_words

#: Batches with fewer articles than this are computed in the main process:
#: forking and shipping would cost more than they save.
MIN_PARALLEL = 200
#: Articles per task sent to a worker.
CHUNK = 100


@dataclass(frozen=True)
class Signed:
    """What one article's text gives coverage before any other article is looked at."""

    signature: Signature
    fingerprints: tuple[int, ...]   # winnowed passage fingerprints of the body, ascending
    citations: tuple[Citation, ...]


def sign(article) -> Signed:
    """An article's signature, passage fingerprints and citations (the body cut into words once)."""
    body_words = norm_words(getattr(article, "body", "") or "")
    words = signed_words(getattr(article, "title", "") or "", body_words)
    return Signed(signature_of_words(words), tuple(sorted(borrowed.fingerprints_of(body_words))),
                  tuple(article_citations(article)))


class Signable(NamedTuple):
    """What `sign` reads of an article: all a worker is sent (not the original text, dates or
    provenance), and the key under which a signature computed ahead is found again, since
    the same fields always sign the same."""

    title: str
    body: str
    outlet: str | None
    entities: tuple

    @classmethod
    def of(cls, article) -> "Signable":
        return cls(getattr(article, "title", "") or "", getattr(article, "body", "") or "",
                   getattr(article, "outlet", None), tuple(getattr(article, "entities", ()) or ()))


def body_fingerprints(article) -> tuple[int, ...]:
    """The winnowed passage fingerprints of an article's body, ascending."""
    return tuple(sorted(borrowed.fingerprints_of(norm_words(getattr(article, "body", "") or ""))))


#: One passage check: (article id, its body, the ids of its candidates).
Check = tuple[str, str, Sequence[str]]


def verify(checks: Sequence[Check], bodies: Mapping[str, str],
           verifier: borrowed.Verifier | None = None) -> list[list[borrowed.SharedWith]]:
    """The passages each checked article shares with its candidates (`borrowed.Verifier.verify`)."""
    verifier = verifier or _process_verifier()
    return [verifier.verify(article_id, body, {i: bodies[i] for i in others})
            for article_id, body, others in checks]


_VERIFIER: list[borrowed.Verifier] = []


def _process_verifier() -> borrowed.Verifier:
    """One Verifier per process, so a worker keeps the candidates it numbered for the next task."""
    if not _VERIFIER:
        _VERIFIER.append(borrowed.Verifier())
    return _VERIFIER[0]


def _sign_chunk(articles: Sequence) -> list[Signed]:
    return [sign(a) for a in articles]


def _verify_chunk(checks: Sequence[Check], bodies: Mapping[str, str]) -> list[list[borrowed.Spans]]:
    """A worker's passages as `borrowed.Spans`: unpickling the dataclasses (with each passage's
    text, which the store does not keep) cost the main process about 0.1 ms per scale-corpus
    article, plain tuples a fifth of that."""
    return [[s.spans() for s in found] for found in verify(checks, bodies)]


def default_processes() -> int:
    """Every core; one means the main process does it all."""
    return os.cpu_count() or 1


class Workers:
    """Runs `sign` and `verify` over a batch, in forked workers when it pays.

    The workers are forked on first use and kept for the step's life;
    `close` stops them. An executor, not a `multiprocessing.Pool`: a worker
    that dies fails the run (BrokenProcessPool) instead of hanging it.
    """

    def __init__(self, processes: int | None = None, verifier: borrowed.Verifier | None = None):
        self.processes = default_processes() if processes is None else max(1, int(processes))
        self.verifier = verifier or borrowed.Verifier()
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: dict[Signable, tuple[Future, int]] = {}

    def parallel(self, n: int) -> bool:
        return self.processes > 1 and n >= MIN_PARALLEL

    def start(self) -> None:
        """Fork the workers now (while the process is small), if there will be any."""
        if self.processes > 1 and self._pool is None:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                             initializer=die_with_parent)
            weakref.finalize(self, self._pool.shutdown, False)
            self._pool.submit(int).result()  # a forking executor starts all its workers with its first task

    def sign_ahead(self, articles: Sequence) -> None:
        """Start signing articles that a later `sign` will ask for, in the workers.

        The ingest reads and extracts a batch in the main process, and only
        then stores and covers it, so the workers sat idle while it read and
        the main process waited for them once it had read. Given each chunk
        of the batch as it is extracted, they sign while the main process
        goes on reading. With one process there is nothing to overlap.
        An article that turns out unchanged is signed for nothing: its
        result is dropped with `drop_ahead`.
        """
        if self.processes < 2 or not articles:
            return
        self.start()
        inputs = [Signable.of(a) for a in articles]
        future = self._pool.submit(_sign_chunk, inputs)
        for i, key in enumerate(inputs):
            self._ahead[key] = (future, i)

    def drop_ahead(self) -> None:
        """Forget signatures started ahead that no `sign` asked for (articles stored unchanged)."""
        self._ahead.clear()

    def sign(self, articles: Sequence) -> list[Signed]:
        """The articles' signatures, in order: those started ahead waited for, the rest computed now."""
        inputs = [Signable.of(a) for a in articles]
        found: list[Signed | None] = [None] * len(inputs)
        rest: list[int] = []
        for j, key in enumerate(inputs):
            ahead = self._ahead.pop(key, None)
            if ahead is None:
                rest.append(j)
            else:
                future, i = ahead
                found[j] = future.result()[i]
        for j, signed in zip(rest, self._sign_now([inputs[j] for j in rest])):
            found[j] = signed
        return found

    def _sign_now(self, inputs: Sequence[Signable]) -> list[Signed]:
        if not self.parallel(len(inputs)):
            return _sign_chunk(inputs)
        self.start()
        chunks = [inputs[i:i + CHUNK] for i in range(0, len(inputs), CHUNK)]
        return [s for part in self._pool.map(_sign_chunk, chunks) for s in part]

    def verify_soon(self, checks: Sequence[Check], bodies_of: Callable[[set[str]], Mapping[str, str]]
                    ) -> Callable[[], list]:
        """Start `verify`, reading candidates' bodies with `bodies_of` a chunk of checks at a time,
        and return what waits for its result (candidates without a body are left out).

        In workers, each chunk starts as soon as its bodies are read, so reading
        the next chunk's from the store overlaps the workers' verifying, and
        whatever the caller does before waiting overlaps the rest. The result
        is `borrowed.Spans` when workers found them (what crosses back), the
        `SharedWith` themselves when this process did (making tuples of them
        here cost more than it saves: 1.07 -> 1.30 ms/article of verifying,
        20k scale articles in one process, with the tuples' share of the
        collector's passes over the process's objects).
        """
        if not self.parallel(len(checks)):
            bodies = bodies_of({o for _, _, others in checks for o in others})
            found = verify([(i, body, [o for o in others if o in bodies]) for i, body, others in checks],
                           bodies, self.verifier)
            return lambda: found
        self.start()
        futures = []
        for i in range(0, len(checks), CHUNK):
            part = checks[i:i + CHUNK]
            bodies = bodies_of({o for _, _, others in part for o in others})
            part = [(a, body, [o for o in others if o in bodies]) for a, body, others in part]
            futures.append(self._pool.submit(_verify_chunk, part, bodies))
        return lambda: [found for f in futures for found in f.result()]

    def close(self) -> None:
        self._ahead.clear()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_pool"] = None
        state["_ahead"] = {}
        return state
