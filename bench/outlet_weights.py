"""Fit the outlet scorer's weights on the dev pages as copied, and say how well they hold on unseen sites.

    .venv/bin/python bench/outlet_weights.py [--pages DIR] [--folds 5] [--write]

The furniture scorer (archive.extract.outlets) scores each name a copied page
gives itself (its copyright notice, its site and logo lines, the domains it
writes) by a weighted sum of features (`candidate_features`), and names the
best one only when it has enough and no rival comes close; otherwise the
rest of the cascade (a source line, a dateline ...) decides. Here every
candidate is labelled by whether bench/extraction.py would judge it the
page's outlet, and a logistic model (L2-regularised) learns one weight per
feature. Pages are split into folds by site, so a fold's sites are never
seen while fitting; on the training folds the threshold is chosen that
names the most outlets right while keeping wrong answers at most
MAX_WRONG; the held-out fold is then scored end to end (the scorer's answer,
else the cascade's). The hand-set weights are scored on the same pages.

`--write` stores the weights fitted on all pages, with their threshold, in
archive/data/outlet_weights.json -- only worth doing when the cross-validated
figures beat the hand weights'.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

L2 = 0.002
STEPS = 1500
RATE = 0.5
#: The share of wrong outlets a threshold may give on the training folds.
MAX_WRONG = 0.025
MARGINS = (0.5, 1.0, 2.0)


@dataclass
class Page:
    name: str
    site: str
    domain: str
    scored: list          # [(features, key, form, outlet, candidate)]
    labels: list          # per candidate: True right, False wrong
    ev: object
    lines: list
    page_domain: str | None
    fallback: bool | None  # the cascade's verdict without the furniture scorer


def collect(pages: Path) -> list[Page]:
    """Every copied page's furniture candidates and the cascade's answer without them."""
    import extraction as bx
    import archive.extract as ax
    from archive.errors import BadRecord
    from archive.extract import outlets
    from archive.extract.registry import default_registry

    registry = default_registry()
    gold = bx.load_gold(pages)
    names, raws = bx._read_all([(g["file"], pages / g["file"]) for g in gold])
    by_name = {g["file"]: g for g in gold}
    models = ax.learn_furniture(raws)
    current: dict = {}
    original = ax.outlet_from_text
    decide = outlets._decide

    def recording(lines, skip=frozenset(), title=None, registry=None, all_lines=None, furniture=None):
        live = [i for i, line in enumerate(lines) if line and i not in skip]
        content = frozenset(live) if len(lines) == len(all_lines or ()) else None
        if all_lines:
            ev = outlets._gather(all_lines, content)
            found, domain = outlets.candidate_features(ev, all_lines, registry or default_registry(), furniture)
            current.update(ev=ev, lines=all_lines, found=found, domain=domain)
        outlets._decide = lambda *a, **k: None
        try:
            current["fallback"] = original(lines, skip, title, registry, all_lines, furniture)
        finally:
            outlets._decide = decide
        return original(lines, skip, title, registry, all_lines, furniture)

    ax.outlet_from_text = recording
    out = []
    try:
        for name, raw in zip(names, raws):
            current.clear()
            try:
                ax.extract(raw, models.get(ax.source_key(raw)))
            except BadRecord:
                continue
            g = by_name[name]
            fallback = current.get("fallback")
            verdict = bx.outlet_matches(fallback.outlet.name if fallback else None, g["domain"], registry)
            found = current.get("found", [])
            labels = [bool(bx.outlet_matches(_answer(c).name, g["domain"], registry)) for c in found]
            out.append(Page(name, bx.site_of(g["domain"]), g["domain"], found, labels, current.get("ev"),
                            current.get("lines", []), current.get("domain"), verdict))
    finally:
        ax.outlet_from_text = original
    return out


def _answer(candidate):
    from archive.extract.outlets import _as_given
    _features, _key, form, outlet, _cand = candidate
    return outlet or _as_given(form)


def verdict(page: Page, weights: dict, least: float, margin: float) -> bool | None:
    """The page's outlet verdict end to end: the scorer's answer, else the cascade's."""
    from archive.extract import outlets
    scored = sorted(((outlets._score(f, weights), key, form, outlet, cand)
                     for f, key, form, outlet, cand in page.scored), key=lambda s: -s[0])
    found = outlets._chosen(scored, page.ev, page.lines, page.page_domain, least, margin) if scored else None
    if found is None:
        return page.fallback
    for (f, key, form, outlet, cand), label in zip(page.scored, page.labels):
        if _answer((f, key, form, outlet, cand)).name == found.outlet.name:
            return label
    return None


def tally(pages: list[Page], weights: dict, least: float, margin: float) -> tuple[int, int, int]:
    right = wrong = 0
    for p in pages:
        v = verdict(p, weights, least, margin)
        right += v is True
        wrong += v is False
    return right, wrong, len(pages)


def feature_names(pages: list[Page]) -> list[str]:
    return sorted({k for p in pages for f, *_ in p.scored for k in f})


def fit(pages: list[Page], names: list[str]) -> dict:
    """Logistic regression of 'this candidate is the outlet' on its features."""
    rows = [(f, label) for p in pages for (f, *_), label in zip(p.scored, p.labels)]
    if not rows:
        return {}
    X = np.array([[f.get(n, 0.0) for n in names] + [1.0] for f, _ in rows])
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    w = np.zeros(X.shape[1])
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) / len(y) + L2 * np.r_[w[:-1], 0.0]
        w -= RATE * grad
    return {**{n: float(v) for n, v in zip(names, w[:-1])}, "bias": float(w[-1])}


def fit_listwise(pages: list[Page], names: list[str]) -> dict:
    """Softmax over each page's candidates and a 'none of them' option scored 0: the page's
    right candidate is the target (none, when no candidate is right)."""
    groups = []
    for p in pages:
        if not p.scored:
            continue
        X = np.array([[f.get(n, 0.0) for n in names] + [1.0] for f, *_ in p.scored])
        target = next((k for k, label in enumerate(p.labels) if label), len(p.scored))
        groups.append((X, target))
    w = np.zeros(len(names) + 1)
    for _ in range(STEPS):
        grad = np.zeros_like(w)
        for X, target in groups:
            z = np.r_[X @ w, 0.0]
            e = np.exp(z - z.max())
            prob = e / e.sum()
            onehot = np.zeros(len(z))
            onehot[target] = 1.0
            grad += np.r_[X, np.zeros((1, X.shape[1]))].T @ (prob - onehot)
        w -= RATE * (grad / len(groups) + L2 * np.r_[w[:-1], 0.0])
    return {**{n: float(v) for n, v in zip(names, w[:-1])}, "bias": float(w[-1])}


def choose_threshold(pages: list[Page], weights: dict) -> tuple[float, float]:
    """(least, margin) naming the most outlets right with at most MAX_WRONG wrong, on these pages."""
    best = (float("inf"), 1.0)
    best_right = -1
    for margin in MARGINS:
        for least in np.arange(-3.0, 4.01, 0.25):
            right, wrong, n = tally(pages, weights, float(least), margin)
            if wrong <= MAX_WRONG * n and right > best_right:
                best, best_right = (float(least), margin), right
    return best


def folds_of(pages: list[Page], k: int) -> list[list[Page]]:
    groups: list[list[Page]] = [[] for _ in range(k)]
    for p in pages:
        groups[zlib.crc32(p.site.encode()) % k].append(p)
    return groups


def main() -> None:
    import extraction as bx
    from archive.extract import outlets

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=bx.DEFAULT_PAGES)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--listwise", action="store_true", help="fit a softmax over each page's candidates and 'none'")
    ap.add_argument("--cache", type=Path, help="keep the collected candidates in this pickle (refit without re-extracting)")
    args = ap.parse_args()
    if args.cache and args.cache.exists():
        import pickle
        pages = pickle.loads(args.cache.read_bytes())
    else:
        pages = collect(args.pages)
        if args.cache:
            import pickle
            args.cache.write_bytes(pickle.dumps(pages))
    names = feature_names(pages)
    n = len(pages)
    hand = tally(pages, outlets.HAND_WEIGHTS, outlets.FURNITURE_MIN_SCORE, outlets.RIVAL_MARGIN)
    fitter = fit_listwise if args.listwise else fit
    fitted_right = fitted_wrong = 0
    for k, test in enumerate(folds_of(pages, args.folds)):
        train = [p for p in pages if p not in test]
        weights = fitter(train, names)
        least, margin = choose_threshold(train, weights)
        right, wrong, m = tally(test, weights, least, margin)
        h = tally(test, outlets.HAND_WEIGHTS, outlets.FURNITURE_MIN_SCORE, outlets.RIVAL_MARGIN)
        print(f"fold {k}: {m:3d} pages  fitted {right:3d} right {wrong:2d} wrong (least {least:+.2f}, "
              f"margin {margin})   hand {h[0]:3d} right {h[1]:2d} wrong")
        fitted_right += right
        fitted_wrong += wrong
    print(f"\n{n} copied pages, {args.folds} folds by site ({len({p.site for p in pages})} sites)")
    print(f"hand weights:             right {hand[0] / n:.1%}  wrong {hand[1] / n:.1%}")
    print(f"fitted (cross-validated): right {fitted_right / n:.1%}  wrong {fitted_wrong / n:.1%}")
    weights = fitter(pages, names)
    least, margin = choose_threshold(pages, weights)
    print("weights fitted on all pages:", json.dumps({k: round(v, 2) for k, v in weights.items()}),
          f"least {least}, margin {margin}")
    if args.write:
        path = ROOT / "archive" / "data" / "outlet_weights.json"
        path.write_text(json.dumps({"weights": weights, "least": least, "margin": margin}, indent=2) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
