"""Boolean matching and BM25 ranking on numpy arrays, from postings read in bulk.

Whoosh finds a query's documents one at a time through Python matcher
objects and then scores the top hits in a second pass; at tens of thousands
of matches that loop is most of a request. Here each term's postings
(document numbers and term frequencies) are read a block at a time into
numpy arrays, once per index generation (LRU-bounded), and a query is
evaluated on them: words, OR, NOT, field terms and expanded prefix, fuzzy
and stem terms become boolean masks combined with `&`, `|` and `~`. A phrase
first ANDs its words' masks, then reads the word positions of just those
candidate documents from the same blocks and keeps the documents with the
words in a row; only ranges (and positions another codec stores) are left
to Whoosh's own matchers. Relevance is BM25 summed over the
query's positive terms per field (as Whoosh's BM25F does), with the title
boost from the schema, computed for every matching document at once from the
postings and the field-length columns.
"""
from __future__ import annotations

import io
import math
import pickle
import re
import struct
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain
from typing import Iterator

import numpy as np
from whoosh import formats
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from .stems import Inflections, inflections

K1 = 1.2
B = 0.75
#: Terms whose postings (and BM25 contributions) are kept per generation ...
TERM_CACHE_SIZE = 4096
#: ... and at most this many postings in all (16 bytes each), so common terms
#: of a large archive cannot fill the memory.
TERM_CACHE_POSTINGS = 8_000_000
#: A term in one block of fewer postings than this is read the Whoosh way (see `_read_blocks`).
FAST_BLOCK_MIN = 16
#: Word positions wanted from fewer blocks of a segment than this are unpickled, the Whoosh way:
#: `_fast_positions` costs about 0.3 ms more on one or two blocks and breaks even near ten
#: (0.3 ms against 0.1 for one block, 1.0 against 1.0 for ten, 4.6 against 7.6 for 88).
FAST_POSITIONS_BLOCKS = 8
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class TermScores:
    """One term's (or one stem's) documents and their BM25 contributions."""

    docs: np.ndarray      # sorted global document numbers
    tf: np.ndarray        # term frequency in each of those documents
    scores: np.ndarray    # BM25 contribution to each of those documents (title boost included)


_EMPTY = TermScores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32),
                    np.zeros(0, dtype=np.float32))


def _postings(leaf, field: str, btext: bytes):
    """A segment's matcher for the term, or None when the segment lacks it (one term lookup, not
    `in` and then `postings`, which look it up twice: per term and segment of a search)."""
    try:
        return leaf.postings(field, btext)
    except TermNotFound:
        return None


def _segment_postings(leaf, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """One segment's (document, weight) pairs for a term, deletions included (the live mask drops
    them); None when the segment lacks the term. Read from the term's entry in the term list and its
    blocks: one lookup, no matcher (a matcher reads its first block's header and info on creation)."""
    terms = getattr(leaf, "_terms", None)
    postfile = getattr(terms, "_postfile", None)
    if postfile is not None and field in leaf.schema:
        try:
            info = terms.term_info(field, btext)
        except TermNotFound:
            return None
        blocks = None if info.is_inlined() else _blocks_at(postfile, *info.extent())
        if blocks is not None and len(blocks) == 1 and blocks[0][0] < FAST_BLOCK_MIN:
            found = _small_block(*blocks[0])
        else:
            found = None if blocks is None else _ids_weights(blocks)
        if found is not None:
            return found
    m = _postings(leaf, field, btext)
    return None if m is None else _read_matcher(m)


def field_postings(leaf, field: str) -> Iterator[tuple[bytes, np.ndarray]]:
    """Every term of one field in a segment, in order, with its live documents (as `leaf.postings`).

    One walk along the term list, each term's postings read from its blocks
    (most terms of an entity or citation field have a document or two). A matcher per term, as
    `leaf.postings` makes, cost some 80 us each: building the facet arrays
    of 100,000 scale-corpus articles (130,000 made-up cited names) took most
    of the 11 s a new index generation took to open.
    """
    terms = getattr(leaf, "_terms", None)
    postfile = getattr(terms, "_postfile", None)
    if postfile is None or not hasattr(terms, "items_from") or field not in leaf.indexed_field_names():
        for term in (leaf.lexicon(field) if field in leaf.indexed_field_names() else ()):
            yield term, np.fromiter(leaf.postings(field, term).all_ids(), dtype=np.int64)
        return
    live = None
    if leaf.has_deletions():  # the postings still list deleted documents; Whoosh's matchers skip them
        live = np.zeros(leaf.doc_count_all(), dtype=bool)
        live[np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
    for (name, btext), info in terms.items_from(field, b""):
        if name != field:
            return
        blocks = None if info.is_inlined() else _blocks_at(postfile, *info.extent())
        if blocks is not None and len(blocks) == 1 and blocks[0][0] < FAST_BLOCK_MIN:
            found = _small_block(*blocks[0])
        else:
            found = None if blocks is None else _ids_weights(blocks)
        if found is None:  # (postings inlined in the entry, or blocks in another form)
            yield btext, np.fromiter(leaf.postings(field, btext).all_ids(), dtype=np.int64)
        else:
            yield btext, found[0] if live is None else found[0][live[found[0]]]


def _small_block(n: int, last: int, compression: int, data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """A short block unpickled whole, as Whoosh does (cheaper than `_ids_weights`' numpy for a few postings)."""
    block = pickle.loads(zlib.decompress(data) if compression else data)
    if not (isinstance(block, tuple) and len(block) == 3 and len(block[0]) == n):
        return None
    ids = np.cumsum(np.asarray(block[0], dtype=np.int64))
    weights = block[1]
    if weights is None:
        tf = np.ones(n, dtype=np.float32)
    elif isinstance(weights, float):
        tf = np.full(n, weights, dtype=np.float32)
    else:
        tf = np.asarray(weights, dtype=np.float32)
    if len(tf) != n or ids[-1] != last:
        return None
    return ids, tf


def _unwrap(m):
    while isinstance(m, FilterMatcher):  # deletions are applied with the live mask instead
        m = m.child
    return m


def _length_column(leaf, field: str):
    """The byte-coded field lengths of one segment (Whoosh 3 codec), or None."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return None
    return perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)


# -- Whoosh 3 posting blocks, read without unpickling their values ----------------------
#
# A term's postings are blocks of up to 128: a 4-byte length (negative for the last
# block), a pickled info tuple (count, last id, max weight, compression, lengths), then
# the zlib-compressed protocol-2 pickle of (delta-coded ids, weights, values). Whoosh's
# `_read_ids` inflates and unpickles the whole tuple, values included; for a text field
# the values are every posting's word positions (about 85% of the bytes), each pickled
# as a call to `_codecs.encode`, which is most of a search's CPU. Only the ids and the
# weights are needed to match and score, and they come first: `_block_ids_weights`
# inflates just that prefix and reads the two tuples with a regular expression and
# numpy. Anything not in the expected form returns None and the term is read the
# Whoosh way instead (same arrays: tests/test_engine_blocks.py compares every term).

_BLOCK_MAGIC = b"W3Bl"
_BLOCK_LENGTH = struct.Struct("!i")
_INT_OPS = rb"(?:K.|M..|J....)"  # BININT1, BININT2, BININT
_MEMO = rb"(?:q.|r....)?"        # BINPUT / LONG_BINPUT after a tuple
#: Protocol 2, then the ids tuple: MARK items TUPLE, or 1-3 items and TUPLE1-3.
_IDS = re.compile(rb"\x80\x02(?:\((" + _INT_OPS + rb"*)t|(" + _INT_OPS + rb"{1,3})[\x85\x86\x87])" + _MEMO,
                  re.S)
#: The weights that follow are None (all 1), one BINFLOAT for all, or a tuple of BINFLOATs (a lone
#: float cannot be followed by TUPLE1-3: the values come next, then TUPLE3).
_BINFLOATS = np.dtype([("op", "u1"), ("value", ">f8")])


_INFO = re.compile(rb"\x80\x02\((" + _INT_OPS + rb")(" + _INT_OPS + rb")(?:G.{8}|N|" + _INT_OPS + rb")("
                   + _INT_OPS + rb")" + _INT_OPS + _INT_OPS + rb"t" + _MEMO + rb"\.", re.S)


def _int_op(op: bytes) -> int:
    """The value of one pickled BININT1/BININT2/BININT."""
    return int.from_bytes(op[1:], "little", signed=op[:1] == b"J")


def _blocks(m) -> list[tuple[int, int, int, bytes]] | None:
    """(posting count, last id, compression, data) of each block of a W3LeafMatcher's term; None if unreadable."""
    if m._byteids:
        return None
    return _blocks_at(m._postfile, m._startoffset, m._length)


def _blocks_at(postfile, start: int, length) -> list[tuple[int, int, int, bytes]] | None:
    """The blocks of the postings at `start` in a segment's postings file (see `_blocks`)."""
    length = length[0] if isinstance(length, tuple) else length
    if not isinstance(length, int) or not isinstance(start, int):
        return None
    buf = postfile.get(start, length)
    if buf[:4] != _BLOCK_MAGIC:
        return None
    out = []
    pos = 4
    while pos + 4 <= len(buf):
        size = _BLOCK_LENGTH.unpack_from(buf, pos)[0]
        end = pos + 4 + abs(size)
        info = _INFO.match(buf, pos + 4)
        if info is None or end > len(buf):
            return None
        out.append((_int_op(info.group(1)), _int_op(info.group(2)), _int_op(info.group(3)),
                    buf[info.end():end]))
        if size < 0:
            return out
        pos = end
    return None


def _read_blocks(m) -> tuple[np.ndarray, np.ndarray] | None:
    """All (document, weight) pairs of a W3LeafMatcher's term from its blocks' prefixes; None if unreadable."""
    blocks = _blocks(m)
    return None if blocks is None else _ids_weights(blocks)


def _ids_weights(blocks) -> tuple[np.ndarray, np.ndarray] | None:
    """The (document, weight) pairs of a term's blocks (`_blocks`).

    The ids of all blocks are unpickled as one tuple of deltas (each block's first is its
    absolute id, made relative to the previous block's last), and the ids where each block
    ends are checked against the last ids its info gives.
    """
    spans, weights = [], []
    all_floats = True
    for n, _, compression, data in blocks:
        head = zlib.decompressobj().decompress(data, 48 + 14 * n) if compression else data
        ids = _ids_span(head, n)
        if ids is None:
            return None
        span, end = ids
        spans.append(span)
        kind = head[end:end + 1]
        if kind == b"N":
            weights.append(np.ones(n, dtype=np.float32))
            all_floats = False
        elif kind == b"(" and n > 3 and head[end + 1 + 9 * n:end + 2 + 9 * n] == b"t":
            weights.append(head[end + 1:end + 1 + 9 * n])  # its BINFLOAT opcodes are checked below
        elif kind == b"G" and n <= 3 and head[end + 9 * n:end + 1 + 9 * n] == bytes((0x84 + n,)):
            weights.append(head[end:end + 9 * n])
        elif kind == b"G":
            weights.append(np.full(n, struct.unpack(">d", head[end + 1:end + 9])[0], dtype=np.float32))
            all_floats = False
        else:
            return None
    counts = np.array([b[0] for b in blocks], dtype=np.int64)
    last_ids = np.array([b[1] for b in blocks], dtype=np.int64)
    deltas = np.array(pickle.loads(b"\x80\x02(" + b"".join(spans) + b"t."), dtype=np.int64)
    if len(deltas) != int(counts.sum()):
        return None
    ends = np.cumsum(counts)
    deltas[ends[:-1]] -= last_ids[:-1]
    ids = np.cumsum(deltas)
    if not np.array_equal(ids[ends - 1], last_ids):
        return None
    if all_floats:
        floats = np.frombuffer(b"".join(weights), dtype=_BINFLOATS)
    else:
        floats = np.frombuffer(b"".join(w for w in weights if isinstance(w, bytes)), dtype=_BINFLOATS)
    if len(floats) and not (floats["op"] == ord("G")).all():
        return None
    if all_floats:
        tf = floats["value"].astype(np.float32)
    else:
        parts, k = [], 0
        for w, (n, *_) in zip(weights, blocks):
            if isinstance(w, bytes):
                parts.append(floats["value"][k:k + n].astype(np.float32))
                k += n
            else:
                parts.append(w)
        tf = np.concatenate(parts)
    if len(tf) != len(ids):
        return None
    return ids, tf


def _length_bytes(column, n: int) -> np.ndarray | None:
    """A segment's byte-coded field lengths read as one slice of its column file, not a Python call
    per document (200,000 of them for title and body at 100,000 articles: a third of a second on the
    first scored search of a generation); None for a column not stored as one byte per document."""
    if getattr(column, "_typecode", None) != "B" or getattr(column, "_fixedlen", None) != 1:
        return None
    stored = min(int(column._count), n)  # documents after the last stored one have the default
    out = np.full(n, column._default, dtype=np.uint8)
    out[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    return out


def _read_matcher(m) -> tuple[np.ndarray, np.ndarray]:
    """All (document, weight) pairs of a fresh leaf matcher, a block at a time."""
    m = _unwrap(m)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(m, W3LeafMatcher):
        # a short single block is quicker the Whoosh way (numpy's overhead per call dominates)
        found = _read_blocks(m) if not m._lastblock or m._blocklength >= FAST_BLOCK_MIN else None
        if found is not None:
            return found
        m.reset()
        while True:
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float32))
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    elif isinstance(m, ListMatcher) and m._i == 0:
        ids.append(np.asarray(m._ids, dtype=np.int64))
        if m._weights is not None:
            weights.append(np.asarray(m._weights, dtype=np.float32))
        else:
            weights.append(np.full(len(ids[-1]), m._all_weights or 1.0, dtype=np.float32))
    else:  # any other matcher: the slow, generic way
        pairs = []
        while m.is_active():
            pairs.append((m.id(), m.weight()))
            m.next()
        ids.append(np.array([p[0] for p in pairs], dtype=np.int64))
        weights.append(np.array([p[1] for p in pairs], dtype=np.float32))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


# -- word positions from the blocks' bytes -------------------------------------------------
#
# A phrase needs the word positions of its candidate documents. Unpickling a block builds
# every posting's value (one `_codecs.encode` call each) and then each wanted value is
# unpickled again; that was most of a phrase's CPU. The values are laid out predictably
# after the ids and weights (protocol 2, memo indices counted from the first value, E
# being `_codecs.encode`'s and L = E + 2 the string 'latin1''s):
#
#   first:  c_codecs\nencode\n qE  X<len><utf-8>  q(E+1) X\x06\0\0\0latin1 qL  \x86 q(E+3) R q(E+4)
#   others: hE X<len><utf-8>  put  hL \x86  put  R  put     (put: q<index>, or r<4 bytes> from 256)
#
# where <utf-8> is the value's bytes read as latin-1 text: 4-byte big-endian count, then
# the protocol-2 pickle of the list of position deltas. `hL\x86` cannot occur inside
# UTF-8 text (a byte 0x86 there follows 0xC2 or 0xC3), so one scan over all the inflated
# blocks of a term finds every value after the first; each one's length must then lead
# exactly to its `hL\x86`. The wanted values' bytes are decoded from UTF-8 with numpy and
# their delta lists read as one pickle of their int opcodes. Anything else (another
# layout, lists of over 1000 positions, a value pickled twice) returns None and the
# blocks are unpickled as Whoosh does.

_ENCODE_HEAD = re.compile(rb"c_codecs\nencode\nq(.)X", re.S)
_DELTAS_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)
_INT_OP_SIZE = {0x4B: 2, 0x4D: 3, 0x4A: 5}  # BININT1, BININT2, BININT with their arguments
_BININT1S = [b"K" * n for n in range(129)]
#: What follows the first value of a block whose `_codecs.encode` is memo index E (0..250).
_FIRST_VALUE_ENDS = [bytes((0x71, e + 1)) + b"X\x06\x00\x00\x00latin1" + bytes((0x71, e + 2, 0x86, 0x71, e + 3, 0x52, 0x71, e + 4))
                     for e in range(251)]
#: Python's pickler writes a list's items in batches of this many (MARK ... APPENDS each).
_PICKLE_BATCH = 1000


def _ids_span(raw: bytes, n: int) -> tuple[bytes, int] | None:
    """An inflated block's ids as their pickled int opcodes, and where the weights start; None
    for another layout. The usual block is sliced (its first id, of any size, then gaps below
    256, all BININT1); any other is matched by `_IDS`."""
    first = _INT_OP_SIZE.get(raw[3]) if n > 3 and len(raw) > 3 and raw[2] == 0x28 else None
    stop = None if first is None else 3 + first + 2 * (n - 1)
    if stop is not None and raw[stop:stop + 1] == b"t" and raw[3 + first:stop:2] == (
            _BININT1S[n - 1] if n < len(_BININT1S) else b"K" * (n - 1)):
        end = stop + 1
        return raw[3:stop], end + 2 if raw[end:end + 1] == b"q" else end
    found = _IDS.match(raw)
    if found is None:
        return None
    return (found.group(1) if found.group(1) is not None else found.group(2)), found.end()


def _block_layout(raw: bytes, n: int) -> tuple[bytes, int] | None:
    """An inflated block's ids (its pickled int opcodes) and where its first value starts (after
    the weights and the values' MARK); None for another layout."""
    ids = _ids_span(raw, n)
    if ids is None:
        return None
    span, end = ids
    kind = raw[end:end + 1]
    if kind == b"N":
        end += 1
    elif kind == b"(" and n > 3 and raw[end + 1 + 9 * n:end + 2 + 9 * n] == b"t":
        end += 2 + 9 * n
        if raw[end:end + 1] == b"q":
            end += 2
    elif kind == b"G" and n <= 3 and raw[end + 9 * n:end + 1 + 9 * n] == bytes((0x84 + n,)):
        end += 9 * n + 1
        if raw[end:end + 1] == b"q":
            end += 2
    elif kind == b"G":
        end += 9
    else:
        return None
    if n > 3:
        if raw[end:end + 1] != b"(":
            return None
        end += 1
    return span, end


def _gather(arr: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The bytes arr[starts[i]:starts[i] + lengths[i]] of every i, concatenated."""
    total = int(lengths.sum())
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return arr[shift + np.arange(total, dtype=np.int64)]


def _put_size(index: np.ndarray) -> np.ndarray:
    """Bytes of the BINPUT (index below 256) or LONG_BINPUT that memoizes object `index`."""
    return np.where(index < 256, 2, 5)


def _fast_positions(blocks: list[tuple[bytes, int, int]], offset: int, wanted: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """(document, position) pairs of the `wanted` documents of a segment's inflated blocks, given as
    (bytes, posting count, last id), its documents numbered from `offset`; None when a block is not
    in the expected form."""
    arr = np.frombuffer(b"".join(raw for raw, _, _ in blocks), dtype=np.uint8)
    counts_a = np.fromiter((n for _, n, _ in blocks), dtype=np.int64, count=len(blocks))
    last_ids = np.fromiter((last for _, _, last in blocks), dtype=np.int64, count=len(blocks))
    end_a = np.cumsum(np.fromiter((len(raw) for raw, _, _ in blocks), dtype=np.int64, count=len(blocks)))
    layout = _full_blocks_layout(arr, end_a, counts_a, last_ids)
    if layout is None:
        layout = _blocks_layout(blocks, last_ids)
    if layout is None:
        return None
    first_data, first_length, second_a, e_a, ids = layout
    ids += offset
    # every `h L \x86` after each block's first value
    hits = np.flatnonzero(arr == 0x86) - 2
    hits = hits[arr[hits] == 0x68]
    owner = np.searchsorted(end_a, hits, side="right")
    inside = owner < len(end_a)
    hits, owner = hits[inside], owner[inside]
    inside = (hits >= second_a[owner]) & (arr[hits + 1] == e_a[owner] + 2)
    hits, owner = hits[inside], owner[inside]
    if not np.array_equal(np.bincount(owner, minlength=len(counts_a)), counts_a - 1):
        return None
    # value j >= 1 of its block: memo puts E+5+3(j-1) .. +2; its header follows the previous anchor
    block_start = np.cumsum(counts_a - 1) - (counts_a - 1)
    j = np.arange(len(hits), dtype=np.int64) - np.repeat(block_start, counts_a - 1) + 1
    e_v = e_a[owner]
    put = e_v + 5 + 3 * (j - 1)
    p1, p2, p3 = _put_size(put), _put_size(put + 1), _put_size(put + 2)
    follows = hits + 3 + p2 + 1 + p3  # where the next value (or the tuple's end) starts
    header = np.empty(len(hits), dtype=np.int64)
    first_of_block = j == 1
    header[first_of_block] = second_a[owner[first_of_block]]
    header[~first_of_block] = follows[np.flatnonzero(~first_of_block) - 1]
    if len(hits):
        if int(header.max()) + 7 > len(arr):
            return None
        if not ((arr[header] == 0x68) & (arr[header + 1] == e_v) & (arr[header + 2] == 0x58)).all():
            return None
        length = (arr[header + 3].astype(np.int64) | arr[header + 4].astype(np.int64) << 8
                  | arr[header + 5].astype(np.int64) << 16 | arr[header + 6].astype(np.int64) << 24)
        stop = header + 7 + length
        if not (stop + p1 == hits).all():
            return None
        if int(follows.max()) > len(arr) or not (
                (arr[stop] == np.where(p1 == 2, 0x71, 0x72)) & (arr[hits + 3 + p2] == 0x52)).all():
            return None
    else:
        length = np.zeros(0, dtype=np.int64)
    # each block's values end with TUPLE (after a MARK) or TUPLE1-3
    last = np.where(counts_a > 1, 0, second_a)
    if len(hits):
        last_hit = np.cumsum(counts_a - 1) - 1
        many = counts_a > 1
        last[many] = follows[last_hit[many]]
    if (last >= len(arr)).any() or not (arr[last] == np.where(counts_a > 3, 0x74, 0x84 + counts_a)).all():
        return None
    # all values in document order (the blocks' order), so that the pairs come out sorted
    first = np.zeros(len(ids), dtype=bool)
    first[np.cumsum(counts_a) - counts_a] = True
    starts = np.empty(len(ids), dtype=np.int64)
    lengths = np.empty(len(ids), dtype=np.int64)
    starts[first] = first_data
    lengths[first] = first_length
    starts[~first] = header + 7
    lengths[~first] = length
    chosen = wanted[ids]
    return _decode_values(arr, starts[chosen], lengths[chosen], ids[chosen])


def _blocks_layout(blocks: list[tuple[bytes, int, int]], last_ids: np.ndarray):
    """Each block's first value (data start and length in the blocks' bytes joined), where its
    second value starts, its memo index of `_codecs.encode`, and the blocks' document numbers
    (from 0); None when a block is in another form. One block at a time (see `_full_blocks_layout`)."""
    firsts, seconds, encodes, spans = [], [], [], []
    base = 0
    for raw, n, _ in blocks:
        layout = _block_layout(raw, n)
        head = None if layout is None else _ENCODE_HEAD.match(raw, layout[1])
        if head is None:
            return None
        spans.append(layout[0])
        e = head.group(1)[0]
        if e > 250:
            return None
        length = int.from_bytes(raw[head.end():head.end() + 4], "little")
        data = head.end() + 4
        after = data + length
        rest = _FIRST_VALUE_ENDS[e]
        if raw[after:after + len(rest)] != rest:
            return None
        firsts.append((base + data, length))
        seconds.append(base + after + len(rest))
        encodes.append(e)
        base += len(raw)
    counts = np.fromiter((n for _, n, _ in blocks), dtype=np.int64, count=len(blocks))
    ids = _block_ids(spans, counts, last_ids)
    if ids is None:
        return None
    return (np.array([f[0] for f in firsts], dtype=np.int64), np.array([f[1] for f in firsts], dtype=np.int64),
            np.array(seconds, dtype=np.int64), np.array(encodes, dtype=np.int64), ids)


#: Opcode -> bytes with its argument, for BININT1, BININT2 and BININT (0: another opcode).
_INT_OP_BYTES = np.zeros(256, dtype=np.int64)
_INT_OP_BYTES[[0x4B, 0x4D, 0x4A]] = [2, 3, 5]
_ENCODE_PREFIX = np.frombuffer(b"(c_codecs\nencode\nq", dtype=np.uint8)
_FIRST_VALUE_ENDS_TABLE = np.array([np.frombuffer(e, dtype=np.uint8) for e in _FIRST_VALUE_ENDS])


def _full_blocks_layout(arr: np.ndarray, ends: np.ndarray, counts: np.ndarray, last_ids: np.ndarray):
    """What `_blocks_layout` finds, for all blocks at once with numpy, when every block is of more
    than 3 postings in the usual form: its first id of any size, then gaps below 256, weights None,
    one float or a tuple of them; None otherwise (and `_blocks_layout` reads them)."""
    if not len(counts) or (counts <= 3).any():
        return None
    size = len(arr)
    base = ends - np.diff(ends, prepend=0)

    def at(index):  # bytes at indices that may run past the end (then checks fail, not index)
        return arr[np.minimum(index, size - 1)]

    if not ((at(base) == 0x80) & (at(base + 1) == 0x02) & (at(base + 2) == 0x28)).all():
        return None
    first_op = _INT_OP_BYTES[at(base + 3)]
    if not first_op.all():
        return None
    gaps = counts - 1
    gap_ops = np.repeat(base + 3 + first_op, gaps) + 2 * (np.arange(int(gaps.sum())) - np.repeat(np.cumsum(gaps) - gaps, gaps))
    if len(gap_ops) and (int(gap_ops.max()) + 1 >= size or not (arr[gap_ops] == 0x4B).all()):
        return None
    stop = base + 3 + first_op + 2 * gaps
    if not ((at(stop) == 0x74) & (at(stop + 1) == 0x71)).all():
        return None
    weights = stop + 3
    kind = at(weights)
    floats_end = weights + 1 + 9 * counts
    as_tuple = (kind == 0x28) & (at(floats_end) == 0x74) & (at(floats_end + 1) == 0x71)
    values = np.where(kind == 0x4E, weights + 1, np.where(kind == 0x47, weights + 9, floats_end + 3))
    if not ((kind == 0x4E) | (kind == 0x47) | as_tuple).all():
        return None
    prefix = values[:, None] + np.arange(len(_ENCODE_PREFIX))
    if int(prefix.max()) + 6 >= size or not (arr[prefix] == _ENCODE_PREFIX).all():
        return None
    e = arr[values + 18].astype(np.int64)
    if (e > 250).any() or not (arr[values + 19] == 0x58).all():
        return None
    length = (arr[values + 20].astype(np.int64) | arr[values + 21].astype(np.int64) << 8
              | arr[values + 22].astype(np.int64) << 16 | arr[values + 23].astype(np.int64) << 24)
    data = values + 24
    tail = (data + length)[:, None] + np.arange(_FIRST_VALUE_ENDS_TABLE.shape[1])
    if int(tail.max()) >= size or not (arr[tail] == _FIRST_VALUE_ENDS_TABLE[e]).all():
        return None
    # ids: each block's first (absolute) from its opcode's argument, then the one-byte gaps
    first = arr[base + 4].astype(np.int64)
    two = first_op >= 3
    first[two] |= arr[base[two] + 5].astype(np.int64) << 8
    four = first_op == 5
    first[four] |= arr[base[four] + 6].astype(np.int64) << 16 | arr[base[four] + 7].astype(np.int64) << 24
    first[four] = first[four].astype(np.uint32).astype(np.int32)  # BININT is signed
    deltas = np.empty(int(counts.sum()), dtype=np.int64)
    starts = np.cumsum(counts) - counts
    deltas[starts] = first
    rest = np.ones(len(deltas), dtype=bool)
    rest[starts] = False
    deltas[rest] = arr[gap_ops + 1]
    ids = np.cumsum(deltas)
    ids -= np.repeat(ids[starts] - deltas[starts], counts)
    if not np.array_equal(ids[starts + counts - 1], last_ids):
        return None
    return data, length, data + length + _FIRST_VALUE_ENDS_TABLE.shape[1], e, ids


def _block_ids(spans: list[bytes], counts: np.ndarray, last_ids: np.ndarray) -> np.ndarray | None:
    """The segment's document numbers in blocks (not necessarily consecutive ones) from their
    delta-coded ids' opcodes (each block's first delta is its first id); None unless each block
    ends at the last id its info gives."""
    try:
        deltas = np.array(pickle.loads(b"\x80\x02(" + b"".join(spans) + b"t."), dtype=np.int64)
    except Exception:
        return None
    if len(deltas) != int(counts.sum()):
        return None
    ids = np.cumsum(deltas)
    ends = np.cumsum(counts)
    starts = ends - counts
    ids -= np.repeat(ids[starts] - deltas[starts], counts)
    if not np.array_equal(ids[ends - 1], last_ids):
        return None
    return ids


def _decode_values(arr: np.ndarray, starts: np.ndarray, lengths: np.ndarray, docs: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """(document, position) pairs from the UTF-8 texts of values (`Positions.encode`'s bytes read
    as latin-1) at `starts` in `arr`."""
    if not len(docs):
        return docs, docs.copy()
    if (lengths < 12).any():
        return None
    text = _gather(arr, starts, lengths)
    value = np.repeat(np.arange(len(docs)), lengths)
    lead = np.flatnonzero(text >= 0xC0)
    follow = (text & 0xC0) == 0x80
    if len(lead):  # two-byte sequences of U+0080..U+00FF only, each inside its value
        if lead[-1] + 1 >= len(text) or not ((text[lead] & 0xFE) == 0xC2).all():
            return None
        if not follow[lead + 1].all() or int(follow.sum()) != len(lead) or not (value[lead] == value[lead + 1]).all():
            return None
        text = text.copy()
        text[lead] = ((text[lead] & 0x03) << 6) | (text[lead + 1] & 0x3F)
        lengths = lengths - np.bincount(value[lead], minlength=len(docs))
        text = text[~follow]
    elif follow.any():
        return None
    at = np.cumsum(lengths) - lengths
    count = (text[at].astype(np.int64) << 24 | text[at + 1].astype(np.int64) << 16
             | text[at + 2].astype(np.int64) << 8 | text[at + 3].astype(np.int64))
    if (count < 1).any() or (count > _PICKLE_BATCH).any():
        return None
    for k, byte in enumerate(_DELTAS_HEAD):
        if not (text[at + 4 + k] == byte).all():
            return None
    many = count > 1
    end = at + lengths
    if not ((text[end - 1] == 0x2E) & (text[end - 2] == np.where(many, 0x65, 0x61))).all():
        return None
    if many.any() and not (text[at[many] + 9] == 0x28).all():
        return None
    op_start = at + 9 + many
    op_length = end - 2 - op_start
    ops = _gather(text, op_start, op_length)
    # values of BININT1s only (every gap below 256) are read from their bytes, the others unpickled
    # as one tuple each, so that each one's count is checked against its header
    offset_in_value = np.arange(len(ops)) - np.repeat(np.cumsum(op_length) - op_length, op_length)
    odd_ops = np.bincount(np.repeat(np.arange(len(docs)), op_length)[(offset_in_value % 2 == 0) & (ops != 0x4B)],
                          minlength=len(docs))
    plain = (odd_ops == 0) & (op_length == 2 * count)
    if plain.all():
        deltas = ops[1::2].astype(np.int64)
    else:
        mixed = ~plain
        in_plain = np.repeat(plain, op_length)
        others = _int_tuples(ops[~in_plain], op_length[mixed], count[mixed])
        if others is None:
            return None
        deltas = np.empty(int(count.sum()), dtype=np.int64)
        in_plain_delta = np.repeat(plain, count)
        deltas[in_plain_delta] = ops[in_plain][1::2]
        deltas[~in_plain_delta] = others
    positions = np.cumsum(deltas)
    before = np.cumsum(count) - count
    positions -= np.repeat(positions[before] - deltas[before], count)
    return np.repeat(docs, count), positions


def _int_tuples(ops: np.ndarray, lengths: np.ndarray, counts: np.ndarray) -> np.ndarray | None:
    """The ints pickled by the opcodes `ops` (each value's `lengths` bytes), one tuple per value
    unpickled at once; None unless each value holds `counts` ints and nothing else."""
    values = len(lengths)
    framed = np.empty(len(ops) + 2 * values, dtype=np.uint8)
    at = np.cumsum(lengths + 2) - (lengths + 2)
    framed[at] = 0x28                    # MARK
    framed[at + lengths + 1] = 0x74      # TUPLE
    framed[np.repeat(at + 1 - (np.cumsum(lengths) - lengths), lengths) + np.arange(len(ops))] = ops
    try:
        tuples = pickle.loads(b"\x80\x02(" + framed.tobytes() + b"t.")
        if len(tuples) != values:
            return None
        sizes = np.fromiter(map(len, tuples), dtype=np.int64, count=values)
        if not np.array_equal(sizes, counts):
            return None
        deltas = np.array(list(chain.from_iterable(tuples)))
    except Exception:
        return None
    if deltas.dtype.kind != "i" or len(deltas) != int(counts.sum()):
        return None
    return deltas.astype(np.int64)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """`keys` sorted without repeats; checked in one pass first, as the decoder's pairs come sorted."""
    return keys if len(keys) < 2 or bool((keys[1:] > keys[:-1]).all()) else np.unique(keys)


def _intersect_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The keys in both of two sorted arrays without repeats, by binary search of the shorter."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.searchsorted(b, a)
    return a[b[np.minimum(at, len(b) - 1)] == a]


def _holding(blocks: list[tuple[int, int, int, bytes]], offset: int, before: np.ndarray) -> list:
    """The blocks (`_blocks`) of a segment numbered from `offset` whose id range holds a wanted
    document (`before`: wanted documents below each number)."""
    high = np.fromiter((b[1] for b in blocks), dtype=np.int64, count=len(blocks)) + (offset + 1)
    np.minimum(high, len(before) - 1, out=high)
    low = np.concatenate(([offset], high[:-1]))
    return [blocks[i] for i in np.flatnonzero(before[high] > before[low]).tolist()]


def _unpickled_positions(blocks: list[tuple[bytes, int, int]], fmt, offset: int, wanted: np.ndarray,
                         out: dict[int, list[int]]) -> bool:
    """Positions of the `wanted` documents of inflated blocks (as `_fast_positions` takes them),
    unpickled the way Whoosh reads them; False for a block that is not a (ids, weights, values) tuple."""
    for raw, n, _ in blocks:
        block = pickle.loads(raw)
        if not (isinstance(block, tuple) and len(block) == 3 and len(block[0]) == n
                and isinstance(block[2], tuple) and len(block[2]) == n):
            return False
        ids = np.cumsum(np.asarray(block[0], dtype=np.int64)) + offset
        for i in np.flatnonzero(wanted[ids]):
            out[int(ids[i])] = fmt.decode_positions(block[2][i])
    return True


def _pairs(positions: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(document, position) pairs of per-document position lists."""
    docs = np.fromiter(positions, dtype=np.int64, count=len(positions))
    sizes = np.fromiter(map(len, positions.values()), dtype=np.int64, count=len(positions))
    return np.repeat(docs, sizes), np.fromiter(chain.from_iterable(positions.values()), dtype=np.int64)


class Postings:
    """Per-generation term arrays, field lengths and masks for one open searcher.

    Shared by every thread searching this generation. Whoosh reads postings
    through file objects that seek and then read (not thread-safe), so each
    read from the index files holds `io`, a lock of this generation alone;
    what was read is cached as arrays, and everything computed on them runs
    without it.
    """

    def __init__(self, searcher, live: np.ndarray, io: threading.RLock | None = None):
        self.searcher = searcher
        self.io = io or threading.RLock()
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.leaves = list(self.reader.leaf_readers())
        self.live = live
        self.size = len(live)
        self.doc_count = max(1, int(live.sum()))
        self._terms: OrderedDict[tuple, TermScores] = OrderedDict()
        self._cached_postings = 0
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._lock = threading.Lock()

    # -- field lengths -------------------------------------------------------------
    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Each document's length in `field`, and the average over live documents."""
        found = self._lengths.get(field)
        if found is not None:
            return found
        with self.io:
            return self._lengths.get(field) or self._read_lengths(field)

    def _read_lengths(self, field: str) -> tuple[np.ndarray, float]:
        out = np.zeros(self.size, dtype=np.float32)
        for leaf, offset in self.leaves:
            n = leaf.doc_count_all()
            column = _length_column(leaf, field)
            if column is not None:
                codes = _length_bytes(column, n)
                if codes is None:
                    codes = np.fromiter(column, dtype=np.uint8, count=n)
                out[offset:offset + n] = _LENGTH_OF_BYTE[codes]
            elif n:  # another codec: ask per document (slow, but correct)
                out[offset:offset + n] = [leaf.doc_field_length(d, field, 0) or 0 for d in range(n)]
        live_lengths = out[self.live]
        average = float(live_lengths.mean()) if len(live_lengths) and live_lengths.any() else 1.0
        found = self._lengths[field] = (out, average)
        return found

    # -- terms ------------------------------------------------------------------------
    def _cached(self, key: tuple, build) -> TermScores:
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = build()
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._cached_postings += len(found.docs)
            while len(self._terms) > 1 and (len(self._terms) > TERM_CACHE_SIZE
                                            or self._cached_postings > TERM_CACHE_POSTINGS):
                _, dropped = self._terms.popitem(last=False)
                self._cached_postings -= len(dropped.docs)
        return found

    def _raw(self, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        docs, tfs = [], []
        with self.io:
            for leaf, offset in self.leaves:
                found = _segment_postings(leaf, field, btext)
                if found is None:
                    continue
                docs.append(found[0] + offset)
                tfs.append(found[1])
        if not docs:
            return _EMPTY.docs, _EMPTY.tf
        return np.concatenate(docs), np.concatenate(tfs)

    def _score(self, field: str, docs: np.ndarray, tf: np.ndarray) -> TermScores:
        if not len(docs):
            return _EMPTY
        keep = self.live[docs]
        docs, tf = docs[keep], tf[keep]
        df = len(docs)
        idf = math.log(self.doc_count / (df + 1)) + 1.0
        boost = getattr(self.schema[field], "field_boost", 1.0) if field in self.schema else 1.0
        lengths, average = self.lengths(field)
        norm = K1 * ((1 - B) + B * lengths[docs] / average) if average else K1
        scores = (boost * idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        return TermScores(docs, tf, scores)

    def term(self, field: str, text) -> TermScores:
        """A single term's documents (live only) and scores."""
        if field not in self.schema:
            return _EMPTY
        try:
            btext = text if isinstance(text, bytes) else self.schema[field].to_bytes(text)
        except Exception:  # a value the field cannot hold matches nothing
            return _EMPTY
        return self._cached(("t", field, btext), lambda: self._score(field, *self._raw(field, btext)))

    def stem(self, field: str, stemmed: str) -> TermScores:
        """Every term of `field` with this stem, as one term (summed frequencies)."""
        def build():
            with self.io:
                terms = inflections(self.reader, field, stemmed)
            parts = [self._raw(field, t) for t in terms]
            parts = [p for p in parts if len(p[0])]
            if not parts:
                return _EMPTY
            if len(parts) == 1:
                return self._score(field, *parts[0])
            docs = np.concatenate([p[0] for p in parts])
            tf = np.concatenate([p[1] for p in parts])
            # per document, its terms' frequencies summed (in the order read, as np.unique's inverse did)
            summed = np.bincount(docs, weights=tf, minlength=self.size)
            unique = np.flatnonzero(np.bincount(docs, minlength=self.size))
            return self._score(field, unique, summed[unique].astype(np.float32))
        if field not in self.schema:
            return _EMPTY
        return self._cached(("s", field, stemmed), build)

    # -- masks --------------------------------------------------------------------------
    def mask_of(self, docs: np.ndarray) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[docs] = True
        return out

    def positions(self, field: str, text, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(document, position) pairs of a term in the `wanted` documents; None when they cannot be
        read in bulk."""
        fmt = self.schema[field].format if field in self.schema else None
        if fmt is None or not hasattr(fmt, "decode_positions"):
            return None
        btext = text if isinstance(text, bytes) else self.schema[field].to_bytes(text)
        with self.io:
            return self._positions(fmt, field, btext, wanted)

    def _positions(self, fmt, field: str, btext: bytes, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        pairs: list[tuple[np.ndarray, np.ndarray]] = []
        out: dict[int, list[int]] = {}
        before = None  # wanted documents below each document number
        for leaf, offset in self.leaves:
            m = _postings(leaf, field, btext)
            if m is None:
                continue
            m = _unwrap(m)
            if isinstance(m, W3LeafMatcher):
                if before is None:
                    before = np.concatenate(([0], np.cumsum(wanted, dtype=np.int64)))
                found = self._decoded_positions(m, fmt, offset, wanted, before)
                if found is not None:
                    pairs.append(found)
                    continue
                if self._block_positions(m, fmt, offset, wanted, before, out):
                    continue
            if isinstance(m, W3LeafMatcher):
                m.reset()
                while True:
                    m._read_ids()
                    ids = np.asarray(m._ids, dtype=np.int64) + offset
                    chosen = np.flatnonzero(wanted[ids])
                    if len(chosen):
                        m._read_values()
                        for i in chosen:
                            out[int(ids[i])] = fmt.decode_positions(m._values[i])
                    if m._lastblock:
                        break
                    m._goto(m._nextoffset)
            elif isinstance(m, ListMatcher) and m._values is not None:
                ids = np.asarray(m._ids, dtype=np.int64) + offset
                for i in np.flatnonzero(wanted[ids]):
                    out[int(ids[i])] = fmt.decode_positions(m._values[i])
            else:
                return None
        if out or not pairs:
            pairs.append(_pairs(out))
        return np.concatenate([d for d, _ in pairs]), np.concatenate([p for _, p in pairs])

    @staticmethod
    def _decoded_positions(m, fmt, offset: int, wanted: np.ndarray, before: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray] | None:
        """(document, position) pairs of the `wanted` documents of one segment's term, from the
        bytes of the blocks whose id range holds one (`_fast_positions`); None when they are not
        in the form Whoosh's `Positions` writes."""
        if type(fmt) is not formats.Positions:
            return None
        blocks = _blocks(m)
        if blocks is None:
            return None
        chosen = [(zlib.decompress(data) if compression else data, n, last)
                  for n, last, compression, data in _holding(blocks, offset, before)]
        if not chosen:
            return _pairs({})
        if len(chosen) >= FAST_POSITIONS_BLOCKS:
            found = _fast_positions(chosen, offset, wanted)
            if found is not None:
                return found
        out: dict[int, list[int]] = {}
        return _pairs(out) if _unpickled_positions(chosen, fmt, offset, wanted, out) else None

    @staticmethod
    def _block_positions(m, fmt, offset: int, wanted: np.ndarray, before: np.ndarray,
                         out: dict[int, list[int]]) -> bool:
        """Positions of the `wanted` documents of one segment's term, inflating only the blocks
        whose id range (from the blocks' info) holds one; False when the blocks cannot be read so."""
        fixed = fmt.fixed_value_size()
        if fixed is not None and fixed >= 0:
            return False
        blocks = _blocks(m)
        if blocks is None:
            return False
        chosen = []
        low = offset
        for n, last, compression, data in blocks:
            high = min(offset + last + 1, len(wanted))
            if before[high] > before[low]:
                chosen.append((zlib.decompress(data) if compression else data, n, last))
            low = high
        return _unpickled_positions(chosen, fmt, offset, wanted, out)

    def phrase_mask(self, q: wq.Phrase, candidates: np.ndarray) -> np.ndarray:
        """Documents among `candidates` with the phrase's words in a row (Whoosh's slop 1).

        Each word's (document, position - its place in the phrase) pairs, as one int64 key each,
        are intersected with the others'; the rarest word is read first and each word after it
        only in the documents still matching, so a common word is read in few of them.
        """
        if q.slop != 1 or q.fieldname not in self.schema:
            return self.whoosh_mask(q) & candidates
        field = q.fieldname
        order = sorted(range(len(q.words)), key=lambda k: len(self.term(field, q.words[k]).docs))
        wanted = candidates
        starts = None
        for k in order:
            found = self.positions(field, q.words[k], wanted)
            if found is None:
                return self.whoosh_mask(q) & candidates
            docs, positions = found
            keep = positions >= k
            keys = _sorted_unique((docs[keep] << 32) | (positions[keep] - k))
            starts = keys if starts is None else _intersect_sorted(starts, keys)
            if not len(starts):
                break
            wanted = self.mask_of(starts >> 32)
        out = np.zeros(self.size, dtype=bool)
        if starts is not None and len(starts):
            out[starts >> 32] = True
        return out & candidates

    def whoosh_mask(self, q: wq.Query) -> np.ndarray:
        """Documents of a query Whoosh has to match itself (phrases, ranges)."""
        out = np.zeros(self.size, dtype=bool)
        with self.io:
            ids = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        if len(ids):
            out[ids] = True
        return out & self.live


class Evaluation:
    """A query's matching documents as a mask, and the terms that score them."""

    def __init__(self, postings: Postings, q: wq.Query | None):
        self.postings = postings
        self.scoring: list[TermScores] = []
        self.mask = postings.live if q is None else self._eval(q, positive=True) & postings.live

    def _leaf_terms(self, q: wq.Query) -> TermScores | None:
        p = self.postings
        if isinstance(q, Inflections):
            return p.stem(q.fieldname, q.text)
        if type(q) is wq.Term:
            return p.term(q.fieldname, q.text)
        return None

    def _eval(self, q: wq.Query, positive: bool) -> np.ndarray:
        p = self.postings
        found = self._leaf_terms(q)
        if found is not None:
            if positive and len(found.docs):
                self.scoring.append(_boosted(found, q.boost))
            return p.mask_of(found.docs)
        if isinstance(q, wq.And):
            pos = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            neg = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            out = p.live.copy()
            for child in pos:
                out &= self._eval(child, positive)
                if not out.any():
                    break
            for child in neg:
                if not out.any():
                    break
                out &= ~self._eval(child, False)
            return out
        if isinstance(q, wq.Or):
            out = np.zeros(p.size, dtype=bool)
            for child in q.subqueries:
                out |= self._eval(child, positive)
            return out
        if isinstance(q, wq.Not):
            return p.live & ~self._eval(q.query, False)
        if isinstance(q, wq.AndNot):
            return self._eval(q.a, positive) & ~self._eval(q.b, False)
        if isinstance(q, wq.AndMaybe):
            self._eval(q.b, positive)  # scores only
            return self._eval(q.a, positive)
        if isinstance(q, wq.Require):
            return self._eval(q.a, positive) & self._eval(q.b, False)
        if isinstance(q, wq.Every):
            return p.live.copy()
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return np.zeros(p.size, dtype=bool)
        if isinstance(q, wq.Phrase):
            words = [p.term(q.fieldname, w) for w in q.words]
            candidates = p.live.copy()
            for w in words:
                candidates &= p.mask_of(w.docs)
            if not candidates.any():
                return candidates
            if positive:
                self.scoring.extend(_boosted(w, q.boost) for w in words)
            return p.phrase_mask(q, candidates)
        return p.whoosh_mask(q)  # ranges and anything else Whoosh knows

    # -- ranking ---------------------------------------------------------------------------
    def scores(self) -> np.ndarray:
        """BM25 of every document (zero outside the matches)."""
        out = np.zeros(self.postings.size, dtype=np.float64)
        for term in self.scoring:
            out[term.docs] += term.scores
        return out


def _boosted(term: TermScores, boost: float) -> TermScores:
    return term if boost == 1 else TermScores(term.docs, term.tf, term.scores * boost)


def top(docs: np.ndarray, scores: np.ndarray, tie_codes: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The best `count` of `docs` by their `scores`, ties broken by `tie_codes` (ascending)."""
    if not len(docs) or count <= 0:
        return []
    if len(docs) > count:
        kth = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((tie_codes[docs], -scores))[:count]
    return [(int(docs[i]), float(scores[i])) for i in order]


# -- the Whoosh internals read above ------------------------------------------------

#: Private names of Whoosh 2.7 (Whoosh-Reloaded 2.7.5) this module and `index.writer`
#: rely on: (where, attribute). `whoosh_internals_missing` checks them on a live index.
WHOOSH_INTERNALS = (
    ("W3LeafMatcher", "_read_ids"), ("W3LeafMatcher", "_read_weights"), ("W3LeafMatcher", "_read_values"),
    ("W3LeafMatcher", "_goto"), ("W3LeafMatcher", "_ids"), ("W3LeafMatcher", "_weights"),
    ("W3LeafMatcher", "_values"), ("W3LeafMatcher", "_lastblock"), ("W3LeafMatcher", "_nextoffset"),
    ("W3LeafMatcher", "_postfile"), ("W3LeafMatcher", "_startoffset"), ("W3LeafMatcher", "_length"),
    ("W3LeafMatcher", "_byteids"), ("W3LeafMatcher", "_blocklength"),
    ("ListMatcher", "_ids"), ("ListMatcher", "_weights"), ("ListMatcher", "_all_weights"),
    ("ListMatcher", "_i"), ("ListMatcher", "_values"),
    ("SegmentReader", "_perdoc"), ("W3PerDocReader", "_cached_reader"),
    ("SegmentReader", "_terms"), ("W3TermsReader", "_postfile"),
    ("NumericColumn.Reader", "_typecode"), ("NumericColumn.Reader", "_fixedlen"),
    ("NumericColumn.Reader", "_count"), ("NumericColumn.Reader", "_default"),
    ("NumericColumn.Reader", "_dbfile"), ("NumericColumn.Reader", "_basepos"),
    ("FilterMatcher", "child"), ("Prefix", "_btexts"),
    ("TOC", "_latest_generation"), ("whoosh.index", "_DEF_INDEX_NAME"),
)


def whoosh_internals_missing(searcher, field: str = "body") -> list[str]:
    """The private Whoosh names (as "Class.attribute") that this index's objects lack.

    Reads one real term's postings the way `_read_matcher` does, so a Whoosh
    upgrade that renames or drops any of them is named here instead of
    surfacing as a slow fallback.
    """
    from whoosh import index as windex

    missing = []

    def need(where: str, obj, name: str) -> None:
        if not hasattr(obj, name):
            missing.append(f"{where}.{name}")

    reader = searcher.reader()
    leaf = next((lf for lf, _ in reader.leaf_readers()), None)
    if leaf is None:
        return ["SegmentReader (the index has no segment to check)"]
    need("SegmentReader", leaf, "_perdoc")
    need("SegmentReader", leaf, "_terms")
    lengths = _length_column(leaf, field)
    for name in ("_typecode", "_fixedlen", "_count", "_default", "_dbfile", "_basepos"):
        need("NumericColumn.Reader", lengths, name)
    need("W3TermsReader", getattr(leaf, "_terms", None), "_postfile")
    need("W3PerDocReader", getattr(leaf, "_perdoc", None), "_cached_reader")
    term = next(iter(leaf.lexicon(field)), None)
    if term is None:
        missing.append(f"W3LeafMatcher (no term in {field!r} to check)")
    else:
        try:
            _check_leaf_matcher(leaf, field, term, need, missing)
        except AttributeError as exc:  # Whoosh itself needs what was taken away
            owner = type(exc.obj).__name__ if getattr(exc, "obj", None) is not None else "W3LeafMatcher"
            missing.append(f"{owner}.{exc.name}")
    lm = ListMatcher([1, 2], weights=[1.0, 1.0])
    for name in ("_ids", "_weights", "_all_weights", "_i", "_values"):
        need("ListMatcher", lm, name)
    need("FilterMatcher", FilterMatcher(lm, frozenset()), "child")
    need("Prefix", wq.Prefix(field, "a"), "_btexts")
    need("TOC", windex.TOC, "_latest_generation")
    need("whoosh.index", windex, "_DEF_INDEX_NAME")
    return missing


def _check_leaf_matcher(leaf, field: str, term: bytes, need, missing: list[str]) -> None:
    m = _unwrap(leaf.postings(field, term))
    if not isinstance(m, W3LeafMatcher):
        missing.append(f"W3LeafMatcher (postings are a {type(m).__name__})")
        return
    for name in ("_read_ids", "_read_weights", "_read_values", "_goto"):
        need("W3LeafMatcher", m, name)
    if missing:
        return
    m.reset()
    m._read_ids()
    m._read_weights()
    for name in ("_ids", "_weights", "_values", "_lastblock", "_nextoffset", "_postfile", "_startoffset",
                 "_length", "_byteids", "_blocklength"):
        need("W3LeafMatcher", m, name)
