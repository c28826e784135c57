"""Request parameters -> a validated `SearchRequest`; query text -> a Whoosh query.

Both steps are pure (no index is opened), so the web front end, the CLI and
the tests can check them alone. `parse_request` rejects bad parameters with
`InvalidRequest`, whose message is fit to show a user. `compile_query` never
raises: text it cannot understand is searched as plain words, with a notice
saying so; queries that would be too expensive (too many clauses, too deep)
are cut down the same way. Prefix and fuzzy expansion are bounded later, by
the service, because they need the index's term list.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

from slugify import slugify
from whoosh import qparser
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS
from whoosh.fields import TEXT

from .model import (FACET_SORTS, FACETS, MAX_PER_PAGE, MAX_QUERY_LENGTH, MISSING, SORTS, TIMELINES,
                    SearchRequest)
from .provenance import KINDS as DATE_PROVENANCES
from .schema import TEXT_FIELDS, build_schema, exact_analyzer
from .stems import Inflections, stem

#: Fields a bare word is searched in (the title boost lives in the schema).
DEFAULT_FIELDS = TEXT_FIELDS
#: The parser's name for quoted text; it becomes phrases over DEFAULT_FIELDS.
PHRASE_FIELD = "exact"
#: Names a user may put before a colon, and the field each searches.
FIELD_ALIASES = {"person_name": ["person", "people"], "org_name": ["org", "organisation", "organization"],
                 "place_name": ["place"]}
#: Beyond these, a query is searched as its first plain words instead.
MAX_CLAUSES = 40
MAX_DEPTH = 8
#: Filter parameters that take several values (OR within one parameter).
MULTI_PARAMS = ("outlet", "person", "org", "place", "lang", "month", "date_provenance")

#: Filters whose values can also be excluded (`not_<param>=value`).
EXCLUDABLE = ("outlet", "person", "org", "place", "cites", "lang", "month", "date_provenance")
#: Characters of the text searched for among a facet's values.
MAX_FACET_FIND = 100

@dataclass(frozen=True)
class QueryForm:
    """One thing the query language understands: how it is written, what it finds, and an
    example whose {slots} the help page fills from the archive (see `web.help_examples`)."""

    name: str
    syntax: str
    explains: str
    example: str


#: The query language, as the help page shows it. Each form is one this parser handles;
#: `tests/test_web_help.py` checks that every example compiles without a notice.
QUERY_FORMS = (
    QueryForm("word", "word", "Articles with the word, in the title or the text; other forms of it count too "
              "(words are stemmed: strike finds strikes).", "{word}"),
    QueryForm("all", "word word", "Articles with all the words (AND is the default between words).", "{word} {word2}"),
    QueryForm("phrase", '"a phrase"', "The words side by side, as written (not stemmed).", '"{phrase}"'),
    QueryForm("or", "word OR word", "Articles with either word.", "{word} OR {word3}"),
    QueryForm("not", "word NOT word, word -word", "Leave out the articles with a word.", "{word} -{absent}"),
    QueryForm("brackets", "(… OR …) AND …", "Brackets group a part of the query.", "({word} OR {word3}) AND {word2}"),
    QueryForm("prefix", "wor*", "Any word starting with the letters.", "{prefix}*"),
    QueryForm("fuzzy", "word~", "The word or one spelled up to two letters differently (typos, transliterations).",
              "{typo}~"),
    QueryForm("title", "title:word", "The word in the title only.", "title:{title_word}"),
    QueryForm("person", "person:name", "Articles naming a person, however the name is spelled "
              "(org: and place: work the same way).", "person:{person}"),
    QueryForm("place", "place:name", "Articles naming a place.", "place:{place}"),
    QueryForm("outlet", "outlet:name", "Articles from one outlet (its name, or the name in the address).",
              "outlet:{outlet}"),
    QueryForm("lang", "lang:code", "Articles in a language, by its two-letter code.", "lang:{lang}"),
    QueryForm("news_id", "news_id:number", "The article with a wire service's story number.", "news_id:{news_id}"),
    QueryForm("date", "date:YYYY-MM", "Articles from a month (or date:YYYY, or date:YYYY-MM-DD for a day).",
              "date:{month}"),
    QueryForm("range", "date:[start TO end]", "Articles from a range of days, both ends included.",
              "date:[{day_from} TO {day_to}]"),
)


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")
_PHRASE = re.compile(r'"[^"]*"')
#: A leading minus means NOT; a hyphen inside a word ("ez-Zor") does not.
_MINUS = re.compile(r'(?<![^\s(])-(?=[\w"(])')
_PLUS = re.compile(r'(?<![^\s(])\+(?=[\w"(])')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}

log = logging.getLogger(__name__)


class InvalidRequest(ValueError):
    """A search parameter has a value the archive cannot use.

    `params` names the request parameters at fault, so a form can show the
    message beside them and search without them.
    """

    def __init__(self, message: str, params: tuple[str, ...] = ()):
        super().__init__(message)
        self.params = tuple(params)


@dataclass(frozen=True)
class CompiledQuery:
    """What the service runs for a query string.

    `query` is None in browse mode (no words: every article, newest first).
    `words` are the plain words typed, checked for "did you mean".
    """

    query: wq.Query | None
    notice: str | None = None
    words: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# request parameters
# --------------------------------------------------------------------------

def _getlist(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name) if params is not None else None
        values = [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in values if v is not None]


def _get(params: Any, name: str) -> str | None:
    values = [v.strip() for v in _getlist(params, name)]
    values = [v for v in values if v]
    return values[0] if values else None


def _values(params: Any, name: str) -> tuple[str, ...]:
    """Distinct non-empty values, sorted so equal requests compare equal."""
    return tuple(sorted({v.strip() for v in _getlist(params, name) if v.strip()}))


def _positive_int(text: str | None, name: str, default: int, upper: int | None = None) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise InvalidRequest(f"{name} must be a whole number, not {text[:40]!r}", (name,)) from None
    if value < 1 or (upper is not None and value > upper):
        bound = f"between 1 and {upper}" if upper else "1 or more"
        raise InvalidRequest(f"{name} must be {bound}, not {value}", (name,))
    return value


def parse_date(text: str | None, name: str, end: bool = False) -> dt.date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY; a partial date means its first (or last) day."""
    if text is None:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    try:
        if not m:
            raise ValueError
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else (12 if end else 1)
        if m.group(3):
            day = int(m.group(3))
        else:
            day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise InvalidRequest(f"{name} must be a date like 2016-09-17 (or 2016-09, or 2016), "
                             f"not {text[:40]!r}", (name,)) from None


def parse_request(params: Any) -> SearchRequest:
    """Turn request parameters into a `SearchRequest`, or raise `InvalidRequest`."""
    q = (_get(params, "q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidRequest(f"the query is too long ({len(q)} characters; at most {MAX_QUERY_LENGTH})")
    if q in ("*", "*:*"):
        q = ""
    sort = (_get(params, "sort") or "").lower()
    if sort and sort not in SORTS:
        raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}, not {sort[:40]!r}", ("sort",))
    if not sort:
        sort = "relevance" if q else "newest"
    months = _values(params, "month")
    for month in months:
        if month != MISSING and not _MONTH.match(month):
            raise InvalidRequest(f"month must look like 2016-09, not {month[:40]!r}", ("month",))
    provenances = tuple(sorted({v.lower() for v in _values(params, "date_provenance")}))
    for value in provenances:
        if value not in DATE_PROVENANCES:
            raise InvalidRequest(f"the date source (date_provenance) must be one of "
                                 f"{', '.join(DATE_PROVENANCES)}, not {value[:40]!r}", ("date_provenance",))
    date_from = parse_date(_get(params, "from"), "from")
    date_to = parse_date(_get(params, "to"), "to", end=True)
    if date_from and date_to and date_from > date_to:
        raise InvalidRequest(f"the start date {date_from} is after the end date {date_to}", ("from", "to"))
    more = _get(params, "more")
    return SearchRequest(
        q=q,
        outlet=_outlets(_values(params, "outlet")),
        person=_values(params, "person"),
        org=_values(params, "org"),
        place=_values(params, "place"),
        lang=tuple(sorted({v.lower() for v in _values(params, "lang")})),
        cites=tuple(sorted(set(_values(params, "cites")) - {""})),
        shares=tuple(sorted(set(_values(params, "shares")) - {""})),
        month=months,
        date_provenance=provenances,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_positive_int(_get(params, "page"), "page", 1),
        per_page=_positive_int(_get(params, "per_page"), "per_page", SearchRequest.per_page, MAX_PER_PAGE),
        more=more if more in FACETS else None,
        collapse=(_get(params, "collapse") or "").lower() in ("1", "true", "on", "yes"),
        exclude=_excludes(params),
        more_q=(_get(params, "more_q") or "")[:MAX_FACET_FIND],
        more_sort=_choice(params, "more_sort", FACET_SORTS),
        timeline=_choice(params, "timeline", TIMELINES),
    )


def _outlets(values) -> tuple[str, ...]:
    """Outlet slugs (MISSING kept as it is: it is no outlet's name)."""
    return tuple(sorted({v if v == MISSING else slugify(v) for v in values} - {""}))


def _choice(params: Any, name: str, allowed: tuple[str, ...]) -> str:
    value = (_get(params, name) or allowed[0]).lower()
    if value not in allowed:
        raise InvalidRequest(f"{name} must be one of {', '.join(allowed)}, not {value[:40]!r}", (name,))
    return value


def _excludes(params: Any) -> tuple[tuple[str, str], ...]:
    """`not_outlet=rt` and the like: (param, value) pairs, normalised as the filters are."""
    pairs = set()
    for param in EXCLUDABLE:
        values = _values(params, "not_" + param)
        if param == "outlet":
            values = _outlets(values)
        elif param in ("lang", "date_provenance"):
            values = tuple(v.lower() for v in values)
        pairs.update((param, v) for v in values)
    return tuple(sorted(pairs))


# --------------------------------------------------------------------------
# query text
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _schema():
    """The index schema plus a parser-only field that marks quoted text."""
    schema = build_schema()
    schema.add(PHRASE_FIELD, TEXT(analyzer=exact_analyzer(), phrase=True))
    return schema


def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), _schema(), group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are part of words
    parser.remove_plugin_class(qparser.BoostPlugin)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


_PARSER = _parser()


def _syntax_problem(text: str) -> str | None:
    if text.count('"') % 2:
        return "an unclosed quote"
    depth = 0
    for ch in _PHRASE.sub("", text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return "a closing bracket without an opening one"
    if depth:
        return "an unclosed bracket"
    if re.search(r"(^|\s)(AND|OR|NOT)\s*$|^\s*(AND|OR)\b", text):
        return "an operator with nothing after (or before) it"
    return None


def _rewrite(text: str) -> str:
    """Quoted phrases are marked (not stemmed); -word means NOT word."""
    spans = [m.span() for m in _PHRASE.finditer(text)]

    def outside(m: re.Match) -> bool:
        return not any(a <= m.start() < b for a, b in spans)

    text = _PLUS.sub(lambda m: "" if outside(m) else m.group(0), text)
    spans = [m.span() for m in _PHRASE.finditer(text)]
    text = _MINUS.sub(lambda m: "NOT " if outside(m) else m.group(0), text)
    return _PHRASE.sub(lambda m: m.group(0) if text[:m.start()].endswith(":")
                       else f"{PHRASE_FIELD}:" + m.group(0), text)


def plain_words(text: str) -> list[str]:
    """The words a person typed, without fields, operators and syntax."""
    text = re.sub(r"\b\w+:(\"[^\"]*\"|\[[^\]]*\]|\S+)", " ", text)
    return [w for w in _WORD.findall(text) if w not in _OPERATORS]


def _fold(text: str, analyzer) -> list[str]:
    return [t.text for t in analyzer(text)]


def is_stopword(term: str) -> bool:
    """Words too common to search alone ("the", "of"); phrases keep them."""
    return len(term) < 2 or term in STOP_WORDS


def word_query(field: str, term: str, boost: float = 1.0) -> wq.Query:
    """A bare (folded) word in a text field: every indexed word with its stem.

    Very common words match nothing alone, as when the index left them out;
    words with digits match as written.
    """
    if is_stopword(term):
        return wq.NullQuery
    if not term.isalpha():
        return wq.Term(field, term, boost=boost)
    return Inflections(field, stem(term), boost=boost)


def _words_query(words: Iterable[str]) -> wq.Query | None:
    """All the words, each in the title or the body."""
    analyzer = exact_analyzer()
    clauses = []
    for word in words:
        for term in _fold(word, analyzer):
            if not is_stopword(term):
                clauses.append(wq.Or([word_query(f, term) for f in DEFAULT_FIELDS]))
    return wq.And(clauses) if clauses else None


def _walk(q: wq.Query, depth: int = 0) -> Iterable[tuple[wq.Query, int]]:
    yield q, depth
    if q.is_leaf():
        return
    for child in q.children():
        yield from _walk(child, depth + 1)


def _normalise_leaf(q: wq.Query) -> wq.Query:
    """Slugs for outlet, lowercase codes for lang, folded text for prefix/fuzzy."""
    field = getattr(q, "fieldname", None)
    if field in DEFAULT_FIELDS and type(q) is wq.Term:
        return word_query(field, q.text, q.boost)
    if field == PHRASE_FIELD and isinstance(q, (wq.Term, wq.Phrase)):
        return _phrase_query(list(q.words) if isinstance(q, wq.Phrase) else [q.text])
    if field == "outlet" and isinstance(q, (wq.Term, wq.Phrase)):
        text = q.text if isinstance(q, wq.Term) else " ".join(q.words)
        return wq.Term("outlet", slugify(text) or text)
    if field in ("lang", "date_provenance") and isinstance(q, wq.Term):
        return wq.Term(field, q.text.lower())
    if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
        folded = "".join(_fold(q.text, exact_analyzer())) if isinstance(q, wq.Prefix) else None
        if folded is not None and folded != q.text:
            return wq.Prefix(q.fieldname, folded, boost=q.boost)
        if not isinstance(q, wq.Prefix):
            q = q.copy()
            q.text = q.text.lower()
    return q


def _entity_variants(phrase: str) -> list[str]:
    """Other known spellings of an entity, when archive.entities is there."""
    try:
        from archive.entities import query_variants  # optional: written separately
    except ImportError:
        return []
    try:
        variants = query_variants(phrase)
    except Exception:  # the search goes on with the spelling as typed; the fault is logged
        log.exception("spelling variants of %r could not be looked up; searching it as typed", phrase)
        _variant_failures.count = getattr(_variant_failures, "count", 0) + 1
        return []
    same = _fold(phrase, exact_analyzer())
    return [v for v in dict.fromkeys(variants or ())
            if isinstance(v, str) and v.strip() and _fold(v, exact_analyzer()) != same]


def warm_up() -> None:
    """Load the entity spelling tables now, so the first multi-word query does not wait for them."""
    _entity_variants("warm up")


def _phrase_query(words: list[str]) -> wq.Query:
    """The words as written, in a row, in the title or the body."""
    clauses = [wq.Term(f, words[0]) if len(words) == 1 else wq.Phrase(f, words) for f in DEFAULT_FIELDS]
    return wq.Or(clauses)


def _phrase_words(q: wq.Query) -> list[str] | None:
    """The words of an exact-phrase clause made by `_phrase_query`, else None."""
    if not isinstance(q, wq.Or) or len(q.subqueries) != len(DEFAULT_FIELDS):
        return None
    words = []
    for sub, field in zip(q.subqueries, DEFAULT_FIELDS):
        if type(sub) is wq.Term and sub.fieldname == field:
            words.append([sub.text])
        elif isinstance(sub, wq.Phrase) and sub.fieldname == field:
            words.append(list(sub.words))
        else:
            return None
    return words[0] if all(w == words[0] for w in words) else None


def _with_variants(q: wq.Query) -> wq.Query:
    """Exact phrases also match the other spellings of the entity they name."""
    words = _phrase_words(q)
    if words is not None:
        alternatives = [q]
        for variant in _entity_variants(" ".join(words)):
            folded = _fold(variant, exact_analyzer())
            if folded and folded != words:
                alternatives.append(_phrase_query(folded))
        return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
    if q.is_leaf():
        return q
    return q.apply(_with_variants)


def _transform(q: wq.Query) -> wq.Query:
    if q.is_leaf():
        return _normalise_leaf(q)
    return q.apply(_transform)


def _is_plain(text: str) -> bool:
    return not re.search(r'["():*~\[\]]|(^|\s)[-+]|\b(AND|OR|NOT)\b', text)


def _fallback(text: str, reason: str) -> CompiledQuery:
    words = plain_words(text)[:MAX_CLAUSES]
    q = _words_query(words)
    if q is None:
        return CompiledQuery(None, f"The query has {reason} and no searchable words; showing all articles.")
    return CompiledQuery(q, f"The query has {reason}, so its words were searched instead: "
                            f"{' '.join(words)}", tuple(words))


_COMPILED_CACHE_SIZE = 512
_compiled: "OrderedDict[str, CompiledQuery]" = OrderedDict()
_compiled_lock = threading.Lock()
_variant_failures = threading.local()


def compile_query(text: str) -> CompiledQuery:
    """The Whoosh query for a query string (see the module docstring). Never raises.

    Compilations are cached, except one whose spelling-variant lookup failed:
    that fault is logged, and the next search of the query tries again.
    """
    with _compiled_lock:
        found = _compiled.get(text)
        if found is not None:
            _compiled.move_to_end(text)
            return found
    failed_before = getattr(_variant_failures, "count", 0)
    found = _compile_query(text)
    if getattr(_variant_failures, "count", 0) == failed_before:
        with _compiled_lock:
            _compiled[text] = found
            while len(_compiled) > _COMPILED_CACHE_SIZE:
                _compiled.popitem(last=False)
    return found


def _clear_compiled() -> None:
    with _compiled_lock:
        _compiled.clear()


compile_query.cache_clear = _clear_compiled


def with_archive_spellings(q: wq.Query | None, text: str, reader) -> wq.Query | None:
    """`q` also matching every spelling this index's entities write of the names it holds
    (`index.spellings`): each exact phrase, and a whole plain query of a few words."""
    from . import spellings
    return spellings.with_spellings(q, text or "", reader, lambda t: _fold(t, exact_analyzer()),
                                    _phrase_query, _is_plain(text or ""))


def also_written_as(text: str, reader) -> tuple[str, ...]:
    """The other spellings of the query's names that this index holds ("also written as ...")."""
    from . import spellings
    return spellings.also_written(reader, text or "", lambda t: _fold(t, exact_analyzer()),
                                  _is_plain(text or ""))


def _compile_query(text: str) -> CompiledQuery:
    text = (text or "").strip()
    if not text or text in ("*", "*:*"):
        return CompiledQuery(None)
    problem = _syntax_problem(text)
    if problem:
        return _fallback(text, problem)
    try:
        parsed = _PARSER.parse(_rewrite(text))
    except Exception as exc:  # Whoosh raises plain Exception for unparseable dates
        return _fallback(text, f"a value that could not be read ({str(exc)[:60]})")
    nodes = list(_walk(parsed))
    if any(getattr(node, "error", None) for node, _ in nodes):
        return _fallback(text, "a value that could not be read")
    if len(nodes) > MAX_CLAUSES * 3 or max(d for _, d in nodes) > MAX_DEPTH:
        return _fallback(text, "too many parts to search at once")
    q = _with_variants(_transform(parsed)).normalize()
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return CompiledQuery(None, "The query has only very common words, which are searched only "
                                   "in \"exact phrases\"; showing all articles.")
    words = tuple(plain_words(text))
    if _is_plain(text) and len(words) > 1:
        alternatives = [_phrase_query(_fold(v, exact_analyzer())) for v in _entity_variants(text)
                        if _fold(v, exact_analyzer())]
        if alternatives:
            q = wq.Or([q, *alternatives])
    return CompiledQuery(q.normalize(), None, words)
