"""Fit the headline scorer's weights on the dev pages, and say how well they hold on unseen sites.

    .venv/bin/python bench/title_weights.py [--pages DIR] [--write] [--folds 5]

Each copied page's headline candidates (archive.extract.title.headline_features)
are labelled by whether they match the page's silver title or one of its
<h1> headings (loosely, as bench/extraction.py judges it). A listwise logistic model (softmax over a
page's candidates, L2-regularised) learns one weight per feature. The
figure that matters is the cross-validated one: pages are split into folds
by site, so a fold's sites are never seen while fitting; the hand-set weights
are scored on the same folds. `--write` stores the weights fitted on all
pages in archive/data/title_weights.json, where the extractor reads them.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

L2 = 0.02
STEPS = 3000
RATE = 0.5


def page_candidates(pages: Path):
    """[(site, X, y, units, indexes)] for every page with a silver title and candidates.

    The paragraphs and the candidates' indexes come along so that top-1 is
    judged as the extractor chooses (score_candidates' rules on top of the scores).
    """
    import extraction as bx
    from archive.extract import _is_metadata_line
    from archive.extract.clean import text_lines
    from archive.extract.furniture import FurnitureModel
    from archive.extract.language import page_language
    from archive.extract.layout import analyse
    from archive.extract.title import headline_features

    gold = bx.load_gold(pages)
    texts = {}
    for g in gold:
        path = pages / g["file"]
        if path.stat().st_size:
            texts[g["file"]] = path.read_text(encoding="utf-8", errors="replace")
    model = FurnitureModel.learn(texts.values())
    headings = bx.page_headings(bx.DEFAULT_HTML, gold)
    out = []
    for g in gold:
        text, silver = texts.get(g["file"]), g.get("title_silver")
        if not text or not silver:
            continue
        lines = text_lines(text)
        layout = analyse(lines, lambda: page_language(lines), model)
        if not layout.classified:
            continue
        candidates = headline_features(layout.units, _is_metadata_line)
        if not candidates:
            continue
        X = np.array([f for _, f in candidates], dtype=float)
        references = [silver, *headings.get(g["file"], ())]
        y = np.array([any(bx.title_matches(" ".join(layout.units[k].text.split()), ref) for ref in references)
                      for k, _ in candidates], dtype=float)
        out.append((g["domain"], X, y, layout.units, [k for k, _ in candidates]))
    return out


def fit(data, l2: float = L2) -> tuple[np.ndarray, float]:
    """Weights maximising the mean log-probability of a page's right candidates (softmax per page).

    All pages' candidates are stacked in one matrix, each page a segment of
    rows, so a gradient step is a few array operations however many pages.
    """
    usable = [(X, y) for _, X, y, *_ in data if y.any()]
    X = np.vstack([X for X, _ in usable])
    # fitted on standardised features (a shift cancels in a page's softmax), returned raw
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    X = X / scale
    target = np.concatenate([y / y.sum() for _, y in usable])
    sizes = np.array([len(y) for _, y in usable])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    page = np.repeat(np.arange(len(sizes)), sizes)
    w = np.zeros(X.shape[1])
    for _ in range(STEPS):
        z = X @ w
        e = np.exp(z - np.maximum.reduceat(z, starts)[page])
        p = e / np.add.reduceat(e, starts)[page]
        w -= RATE * (X.T @ (p - target) / len(usable) + l2 * w)
    return w / scale, 0.0


def top1(data, w: np.ndarray) -> tuple[int, int]:
    """(right, pages): pages whose chosen candidate matches the silver title.

    Chosen as archive.extract.title.score_candidates chooses: the best score,
    unless a rule on top of the scores puts another first (title.reranked).
    """
    from archive.extract.title import reranked
    right = 0
    for _, X, y, units, ks in data:
        scores = X @ w
        scored = sorted(zip(scores.tolist(), ks), key=lambda sk: (-sk[0], sk[1]))
        chosen = reranked(units, scored, dict(zip(ks, X.tolist())))[0][1]
        right += bool(y[ks.index(chosen)])
    return right, len(data)


def hand_vector() -> np.ndarray:
    from archive.extract.title import FEATURES, HAND_WEIGHTS
    return np.array([HAND_WEIGHTS.get(name, 0.0) for name in FEATURES])


def main() -> None:
    import extraction as bx
    from archive.extract.title import FEATURES, WEIGHTS_FILE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=bx.DEFAULT_PAGES)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    data = page_candidates(args.pages)
    reachable = sum(1 for _, _, y, *_ in data if y.any())
    print(f"{len(data)} pages with candidates, {reachable} with the silver title among them")
    hand = hand_vector()
    totals = {"hand": [0, 0], "fitted": [0, 0]}
    for fold in range(args.folds):
        held = [d for d in data if zlib.crc32(d[0].encode()) % args.folds == fold]
        train = [d for d in data if zlib.crc32(d[0].encode()) % args.folds != fold]
        w, _ = fit(train)
        for name, vector in (("hand", hand), ("fitted", w)):
            r, n = top1(held, vector)
            totals[name][0] += r
            totals[name][1] += n
        print(f"fold {fold}: {len(held)} held-out pages, hand {top1(held, hand)[0]}, "
              f"fitted {top1(held, w)[0]}")
    for name, (r, n) in totals.items():
        print(f"cross-validated by site, {name} weights: {r}/{n} = {r / n:.1%} of pages top-1 right")
    from archive.extract.title import title_weights
    shipped = np.array(title_weights()[0])
    r, n = top1(data, shipped)
    print(f"shipped weights ({WEIGHTS_FILE}), fitted on these very pages: {r}/{n} = {r / n:.1%} top-1 right")
    w, bias = fit(data)
    for name, value in zip(FEATURES, w):
        print(f"  {name:20} {value:+.2f}")
    if args.write:
        path = ROOT / "archive" / "data" / WEIGHTS_FILE
        path.write_text(json.dumps({
            "about": "Headline scorer weights fitted by bench/title_weights.py on pages-dev (copied pages).",
            "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w)},
            "bias": bias}, indent=1) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
