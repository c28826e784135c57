"""Extraction quality: title, outlet, date and body scored on pages nobody tuned for.

    .venv/bin/python bench/extraction.py [--pages DIR] [--html-root DIR] [--only text,html,samples]
                                         [--json OUT] [--show FIELD] [--limit N]

Sources scored, each through the same code path as `ingest.py add`:
- `text`: the dev pages as a browser copies them (`pages-dev/NNN.txt`), read
  together as one folder, so that furniture is learnt from repetition;
- `html`: the same pages as HTML (`html` in gold.jsonl, under --html-root);
- `samples`: the five bundled sample articles, against the facts they are
  known to carry (the end-to-end tests assert the same).

Per field a page is right, wrong or unknown (no answer). How each is judged:
- title: loosely against `title_silver` (machine-read: it may carry a site
  suffix, and 50 of 377 are mojibake, repaired here with ftfy and, where it leaves
  signs of damage, by re-encoding each character): right when the
  word-multiset F1 (each character a word in scripts written without spaces;
  letter pairs against a label whose repair lost characters) with the silver title, or with the silver title less its
  trailing " | Site" part, or with one of the page's <h1> headings (the
  headline a reader sees, where og:title differs), is at least TITLE_F1;
- outlet: right when the registry entry of the outlet lists the page's domain,
  or the outlet's name matches the domain (The Guardian ~ theguardian.com,
  ORF ~ orf.at); a different outlet is wrong, none is unknown;
- date: the gold date (mediacloud's) equal or not; none is unknown;
- body: word-level precision and recall over the multiset of lowercased \\w+
  tokens against scrapinghub's ground truth, averaged over pages (F1 of the
  two means, as that benchmark reports it).

Ceilings: how many pages as copied show their title at all (the silver title
or an <h1> is a line of the copy, or two lines, judged as titles are), name
their publisher at all (the domain's name or the registered outlet's name
appears in the text) or show their date
(the day, month and year written within a short span). A copied page whose
logo copied as nothing has no outlet to find; unknown is right there.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from ftfy import fix_encoding_and_explain
from ftfy.badness import is_bad

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
DEFAULT_PAGES = CORPORA / "pages-dev"
DEFAULT_HTML = CORPORA / "html"
SAMPLES = ROOT / "archive" / "samples"

#: Word-multiset F1 at which a title counts as the silver one.
TITLE_F1 = 0.8
WORDS = re.compile(r"\w+")
#: Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer), where \w+ finds
#: whole phrases: a title there is judged character by character.
UNSPACED = "\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: ftfy's steps that guess bytes the labelling script lost (a C1 control read as a space).
GUESSED_BYTES = frozenset({"restore_byte_a0", "replace_lossy_sequences", "decode_inconsistent_utf8"})
TITLE_UNITS = re.compile(rf"[{UNSPACED}]|[^\W{UNSPACED}]+")
#: Separators before a site name that a page's <title> may append.
SILVER_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::|·|»|/)\s+[^|–—»]{2,80}\Z|\s*[｜|]\s*[^｜|]{2,80}\Z")
SECOND_LEVEL = frozenset("co com net org gov edu ac ne or go gob nic mil".split())
DOMAIN_NAME = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}")
#: Host labels that name no outlet.
GENERIC_LABELS = frozenset(
    "www www2 m mobile amp en de fr es it news edition co com org net gov ac ne or go int info biz "
    "online web site blog blogs article articles story stories".split())

#: The samples' known facts: (file prefix, title prefix, outlet, date).
SAMPLE_FACTS = (
    ("000", "ISIL Terrorist Has American Weapon", "Rasa News Agency", "2016-09-20"),
    ("001", "Audio of ISIS, US Military Radio Communication", "Fars News Agency", "2016-09-27"),
    ("002", "US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor", "Before It's News", "2016-09-17"),
    ("003", None, "RT", "2016-09-27"),
    ("004", None, None, None),
)


def words(text: str | None) -> Counter:
    return Counter(w.casefold() for w in WORDS.findall(text or ""))


def overlap(predicted: Counter, gold: Counter) -> tuple[float, float]:
    """(precision, recall) of one word multiset against another."""
    common = sum((predicted & gold).values())
    p = common / sum(predicted.values()) if predicted else (1.0 if not gold else 0.0)
    r = common / sum(gold.values()) if gold else 1.0
    return p, r


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def repaired(silver: str) -> str:
    """The silver title with its mojibake undone (UTF-8 read as Latin-1 or Windows-1252 by the labelling script).

    ftfy first; what it leaves (a title cut inside a character, a mix of the
    two code pages) is re-encoded character by character and decoded with
    replacement, when that yields fewer mojibake signs than before.
    """
    return _repair(silver)[0]


@lru_cache(maxsize=4096)
def _repair(silver: str) -> tuple[str, bool]:
    """(repaired silver, whether characters were lost on the way: then only its character pairs are trusted)."""
    fixed, steps = fix_encoding_and_explain(silver)
    if not is_bad(fixed):
        return fixed, any(step.parameter in GUESSED_BYTES for step in steps or ())
    data = bytearray()
    for char in silver:
        try:
            data += char.encode("latin-1")
        except UnicodeEncodeError:
            data += char.encode("cp1252", errors="ignore")
    decoded = data.decode("utf-8", errors="replace").replace("\ufffd", "")
    return (decoded, True) if not is_bad(decoded) else (fixed, False)


def title_units(text: str | None, lossy: bool = False) -> Counter:
    """What two titles are compared by: words, characters in scripts without spaces, and, against a
    label that lost characters in its repair (a Persian م read back as ٠), pairs of adjacent
    letters, of which one damaged character spoils two rather than the whole word."""
    if lossy:
        letters = "".join(WORDS.findall((text or "").casefold()))
        return Counter(letters[i:i + 2] for i in range(len(letters) - 1))
    return Counter(w.casefold() for w in TITLE_UNITS.findall(text or ""))


def title_matches(title: str | None, silver: str | None) -> bool:
    if not title or not silver:
        return False
    silver, lossy = _repair(silver)
    predicted = title_units(title, lossy)
    for candidate in {silver, SILVER_SUFFIX.sub("", silver)}:
        if f1(*overlap(predicted, title_units(candidate, lossy))) >= TITLE_F1:
            return True
    return False


def compact(text: str) -> str:
    """Letters and digits only, transliterated to ASCII (ТАСС -> tass)."""
    from slugify import slugify
    return slugify(text, separator="")


def site_of(host: str) -> str:
    """The registered part of a host name: its last two labels, three under a generic
    second level (news.ltn.com.tw -> ltn.com.tw, oren.mk.ru -> mk.ru)."""
    labels = host.casefold().split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def skeleton(text: str) -> str:
    """The consonants of a transliteration: Arabic and Persian script writes few vowels."""
    return re.sub(r"[aeiouy]", "", text)


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def domain_labels(domain: str) -> list[str]:
    labels = domain.casefold().split(".")
    return [lab for lab in labels[:-1] if len(lab) >= 2 and lab not in GENERIC_LABELS] or labels[:1]


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    from archive.paths import data_lines
    return frozenset(w for w in data_lines("english_words.txt") if len(w) >= 3 or w in ("of", "on", "in", "at", "to", "a"))


@lru_cache(maxsize=4096)
def label_acronyms(label: str) -> frozenset[str]:
    """The initials of every way to read a domain label as English words, one of them perhaps a
    name the word list lacks (timesofindia -> times of india -> toi)."""
    vocabulary = _english_words()
    # ways[end][unknown]: initials of the readings of label[:end] with `unknown` chunks not in the list
    ways: list[list[set[str]]] = [[set(), set()] for _ in range(len(label) + 1)]
    ways[0][0].add("")
    for end in range(1, len(label) + 1):
        for start in range(max(0, end - 20), end):
            chunk = label[start:end]
            known = chunk in vocabulary
            for unknown in (0, 1):
                if not ways[start][unknown]:
                    continue
                after = unknown if known else unknown + 1
                if after > 1 or not known and (len(chunk) < 3 or not chunk.isalpha()):
                    continue
                ways[end][after] |= {a + label[start] for a in ways[start][unknown] if len(a) < 8}
    return frozenset(a for a in ways[len(label)][0] | ways[len(label)][1] if len(a) >= 2)


def outlet_matches(outlet_name: str | None, domain: str, registry) -> bool | None:
    """True right, False wrong, None unknown (no outlet)."""
    if not outlet_name:
        return None
    by_domain = registry.by_domain(domain)
    if by_domain is not None and registry.resolve(outlet_name) == by_domain:
        return True
    bare = re.sub(r"^(?:the|la|le|el|il|die|der|das)\s+", "", outlet_name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"(?:com|net|org)\Z", "", compact(bare)) if "." in bare else compact(bare)
    if not name:
        return False
    initials = "".join(compact(w)[:1] for w in re.split(r"[\s\-]+", bare) if compact(w))
    if name == compact(domain):
        return True
    shaped = outlet_name.strip().casefold()
    if DOMAIN_NAME.fullmatch(shaped) and site_of(shaped) == site_of(domain):
        return True  # MK.RU ~ oren.mk.ru, www.wday.ru ~ wday.ru; else judged as a brand (ZimEye.com ~ zimeye.net)
    whole = compact(outlet_name)  # with its article: The West Australian ~ thewest.com.au
    # a name in another script, transliterated: its vowels are a guess (ノート100YEN.com -> noto100yen)
    foreign = any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "LATIN") for ch in outlet_name)
    for label in domain_labels(domain):
        label = label.replace("-", "")
        if len(label) >= 2 and (label in name and len(label) >= min(3, len(name)) or
                                len(name) >= 3 and name in label or len(label) >= 5 and label in whole):
            return True
        if foreign and len(label) >= 4 and skeleton(label) == skeleton(name):
            return True  # a name transliterated without its vowels: البيان (lbyn) ~ albayan
        if len(label) >= 2 and label == initials:
            return True  # NZZ ~ Neue Zürcher Zeitung, oann ~ One America News Network
        if len(name) >= 3 and bare.isupper() and name in label_acronyms(label):
            return True  # an acronym of the domain's English words: TOI ~ timesofindia
        # initials and words: nypost ~ New York Post, ctpost ~ Connecticut Post
        if len(label) >= 4 and label[0] == name[0] and len(label) >= 0.3 * len(name) \
                and is_subsequence(label, name):
            return True
    return False


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    unknown: int = 0
    ceiling: int | None = None
    examples: list = field(default_factory=list)

    def add(self, verdict: bool | None, example=None) -> None:
        if verdict is None:
            self.unknown += 1
        elif verdict:
            self.right += 1
        else:
            self.wrong += 1
            if example is not None:
                self.examples.append(example)

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.unknown

    def row(self) -> dict:
        n = self.total or 1
        out = {"n": self.total, "right": self.right / n, "wrong": self.wrong / n,
               "unknown": self.unknown / n}
        if self.ceiling is not None:
            out["ceiling"] = self.ceiling
            out["right_of_ceiling"] = self.right / self.ceiling if self.ceiling else 1.0
        return out


@dataclass
class BodyScore:
    precisions: list = field(default_factory=list)
    recalls: list = field(default_factory=list)
    worst: list = field(default_factory=list)

    def add(self, body: str | None, gold: str, name: str) -> None:
        p, r = overlap(words(body), words(gold))
        self.precisions.append(p)
        self.recalls.append(r)
        self.worst.append((f1(p, r), p, r, name))

    def row(self) -> dict:
        n = len(self.precisions) or 1
        p, r = sum(self.precisions) / n, sum(self.recalls) / n
        return {"n": len(self.precisions), "precision": p, "recall": r, "f1": f1(p, r)}


def load_gold(pages: Path) -> list[dict]:
    with open(pages / "gold.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- ceilings: does the copied text carry the fact at all? -------------------------------

def _month_names() -> dict[int, set[str]]:
    """Month names in every language dateparser knows (for the date ceiling)."""
    names: dict[int, set[str]] = {m: {str(m), f"{m:02d}"} for m in range(1, 13)}
    try:
        from dateparser.languages.loader import default_loader
        keys = ["january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"]
        for locale in default_loader.get_locales():
            for m, key in enumerate(keys, 1):
                for name in locale.info.get(key, []) or []:
                    if len(name) >= 3:
                        names[m].add(name.casefold())
    except Exception:  # the ceiling is an estimate; fall back to numbers only
        pass
    return names


#: Not a shown date: a URL or file name, and a clock time (the 11 of "11:25 PM - 10 Jul").
NOT_SHOWN = re.compile(r"\S*(?:://|www\.)\S*|\S+\.(?:png|jpe?g|gif|webp|mp3|mp4|pdf)\b|"
                       r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)")


def date_shown(text: str, gold: dt.date, months: dict[int, set[str]]) -> bool:
    """Are the day, month and year written within 40 characters of each other?

    URLs, file names and clock times are blanked first: a date in a link or a
    screenshot's name is not shown to the reader, and an hour is not a day.
    """
    folded = NOT_SHOWN.sub(" ", text.casefold())
    years = {str(gold.year), f"{gold.year % 100:02d}"}
    for m in re.finditer(r"\d+", folded):
        if m.group(0) not in years:
            continue
        window = folded[max(0, m.start() - 40):m.end() + 40]
        tokens = set(re.findall(r"\d+|[^\W\d_]+", window))
        if not ({str(gold.day), f"{gold.day:02d}"} & tokens):
            continue
        if months[gold.month] & tokens or any(n in window for n in months[gold.month] if len(n) >= 3):
            return True
    return False


def publisher_named(text: str, domain: str, registry) -> bool:
    folded = compact(text)
    outlet = registry.by_domain(domain)
    names = [lab.replace("-", "") for lab in domain_labels(domain) if len(lab) >= 3]
    if outlet:
        names.append(compact(outlet.name))
    return any(n and n in folded for n in names)


def title_shown(text: str, silver: str, headings: list[str]) -> bool:
    """Is the silver title (or an <h1>) a line of the copy, or two lines wrapped, judged as titles are?"""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    shown = [*lines, *(a + " " + b for a, b in zip(lines, lines[1:]))]
    return any(title_matches(line, ref) for ref in [silver, *headings] for line in shown)


# --- runs --------------------------------------------------------------------------------

def _read_all(paths: list[tuple[str, Path]]):
    """(names, raw documents) for the files that can be read; the rest score as unknown."""
    from archive.errors import ArchiveError
    from archive.readers import read
    names, raws = [], []
    for name, path in paths:
        try:
            for raw in read(path):
                names.append(name)
                raws.append(raw)
        except ArchiveError as exc:
            print(f"  {exc}", file=sys.stderr)
    return names, raws


def extract_text_pages(pages: Path, gold: list[dict]):
    """The copied pages read as one folder, the way `ingest.py add DIR` reads them."""
    from archive.extract import extract_many
    names, raws = _read_all([(g["file"], pages / g["file"]) for g in gold])
    return dict(zip(names, extract_many(raws)))


def extract_html_pages(html_root: Path, gold: list[dict]):
    from archive.extract import extract_many
    names, raws = _read_all([(g["file"], html_root / g["html"]) for g in gold])
    return dict(zip(names, extract_many(raws)))


def page_headings(html_root: Path, gold: list[dict]) -> dict[str, list[str]]:
    """Each page's <h1> texts: the headline a reader sees, when og:title (the silver) differs."""
    import gzip
    from lxml import html as lxml_html
    out: dict[str, list[str]] = {}
    for g in gold:
        path = html_root / g["html"]
        try:
            data = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
            tree = lxml_html.fromstring(data)
        except (OSError, ValueError, lxml_html.etree.ParserError):
            continue
        out[g["file"]] = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")][:3]
    return out


def score(results: dict, gold: list[dict], texts: dict[str, str] | None,
          headings: dict[str, list[str]] | None = None) -> dict:
    from archive.errors import BadRecord
    headings = headings or {}
    from archive.extract.registry import default_registry
    registry = default_registry()
    months = _month_names()
    title, outlet, date, body = Tally(), Tally(), Tally(), BodyScore()
    outlet_ceiling = date_ceiling = title_ceiling = 0
    for g in gold:
        article = results.get(g["file"])
        if isinstance(article, BadRecord):
            article = None
        name = g["file"]
        text = texts.get(name, "") if texts is not None else None
        if g.get("title_silver"):
            t = article.title if article else None
            right = bool(t) and (title_matches(t, g["title_silver"]) or
                                 any(title_matches(t, h) for h in headings.get(name, ())))
            title.add(right if t else None, (name, t, g["title_silver"]))
            if text is not None and title_shown(text, g["title_silver"], headings.get(name, [])):
                title_ceiling += 1
        o = article.outlet if article else None
        outlet.add(outlet_matches(o, g["domain"], registry), (name, o, g["domain"]))
        if text is not None and publisher_named(text, g["domain"], registry):
            outlet_ceiling += 1
        if isinstance(g.get("date"), str):  # a few gold dates are NaN: not labelled
            gold_date = dt.date.fromisoformat(g["date"])
            d = article.date if article else None
            date.add(None if d is None else d == gold_date, (name, str(d), g["date"]))
            if text is not None and date_shown(text, gold_date, months):
                date_ceiling += 1
        if g.get("body"):
            body.add(article.body if article else None, g["body"], name)
    if texts is not None:
        outlet.ceiling, date.ceiling, title.ceiling = outlet_ceiling, date_ceiling, title_ceiling
    return {"title": title, "outlet": outlet, "date": date, "body": body}


def score_samples() -> dict:
    from archive.extract import extract_many
    names, raws = _read_all([(p.name[:3], p) for p in sorted(SAMPLES.glob("*.txt"))])
    by_prefix = dict(zip(names, extract_many(raws)))
    title, outlet, date = Tally(), Tally(), Tally()
    for prefix, t, o, d in SAMPLE_FACTS:
        a = by_prefix[prefix]
        if t is not None:
            title.add(a.title.startswith(t), (prefix, a.title, t))
        outlet.add((a.outlet == o) if a.outlet or o else True, (prefix, a.outlet, o))
        date.add((str(a.date) == d) if a.date or d else True, (prefix, str(a.date), d))
    return {"title": title, "outlet": outlet, "date": date}


def run(pages: Path = DEFAULT_PAGES, html_root: Path = DEFAULT_HTML,
        only: tuple[str, ...] = ("text", "html", "samples"), limit: int | None = None) -> dict:
    """Every source's scores, as plain numbers (what the floor test reads)."""
    gold = load_gold(pages)[:limit]
    out: dict = {}
    if "text" in only:
        started = time.perf_counter()
        results = extract_text_pages(pages, gold)
        texts = {g["file"]: (pages / g["file"]).read_text(encoding="utf-8") for g in gold}
        seconds = time.perf_counter() - started
        out["text"] = _rows(score(results, gold, texts, page_headings(html_root, gold)), seconds, len(gold))
    if "html" in only:
        started = time.perf_counter()
        results = extract_html_pages(html_root, gold)
        seconds = time.perf_counter() - started
        out["html"] = _rows(score(results, gold, None, page_headings(html_root, gold)), seconds, len(gold))
    if "samples" in only:
        out["samples"] = _rows(score_samples(), None, len(SAMPLE_FACTS))
    return out


def _rows(tallies: dict, seconds: float | None, n: int) -> dict:
    rows = {k: v.row() for k, v in tallies.items()}
    rows["_tallies"] = tallies
    if seconds is not None:
        rows["_seconds"] = seconds
        rows["_pages"] = n
    return rows


def print_table(results: dict) -> None:
    print(f"{'source':8} {'field':7} {'n':>4} {'right':>7} {'wrong':>7} {'unknown':>8} "
          f"{'ceiling':>8} {'right/ceil':>10}   body P / R / F1")
    for source, rows in results.items():
        for name, row in rows.items():
            if name.startswith("_"):
                continue
            if "f1" in row:
                print(f"{source:8} {name:7} {row['n']:>4} {'':>7} {'':>7} {'':>8} {'':>8} {'':>10}   "
                      f"{row['precision']:.3f} / {row['recall']:.3f} / {row['f1']:.3f}")
                continue
            ceiling = f"{row['ceiling']:>8}" if "ceiling" in row else f"{'':>8}"
            of_ceiling = f"{row['right_of_ceiling']:>10.1%}" if "ceiling" in row else f"{'':>10}"
            print(f"{source:8} {name:7} {row['n']:>4} {row['right']:>7.1%} {row['wrong']:>7.1%} "
                  f"{row['unknown']:>8.1%} {ceiling} {of_ceiling}")
        if "_seconds" in rows:
            print(f"{source:8} ({rows['_pages']} pages in {rows['_seconds']:.1f} s, "
                  f"{rows['_pages'] / rows['_seconds']:.1f} pages/s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--html-root", type=Path, default=DEFAULT_HTML)
    ap.add_argument("--only", default="text,html,samples")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--show", help="print the wrong (and, for body, the worst) pages of FIELD")
    args = ap.parse_args()
    results = run(args.pages, args.html_root, tuple(args.only.split(",")), args.limit)
    print_table(results)
    if args.show:
        for source, rows in results.items():
            tally = rows["_tallies"].get(args.show)
            if tally is None:
                continue
            print(f"\n{source} {args.show}:")
            if isinstance(tally, BodyScore):
                for f, p, r, name in sorted(tally.worst)[:25]:
                    print(f"  {name}  F1 {f:.2f}  P {p:.2f}  R {r:.2f}")
            else:
                for ex in tally.examples:
                    print("  " + " | ".join(str(x) for x in ex))
    if args.json:
        plain = {s: {k: v for k, v in rows.items() if k != "_tallies"} for s, rows in results.items()}
        args.json.write_text(json.dumps(plain, indent=2))


if __name__ == "__main__":
    main()
