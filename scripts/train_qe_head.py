"""Fit the word-level QE head (mtqa/fluency/qe.py) on MLQE-PE train tags.

Input: model scores cached by scripts/qe_dump.py (run it first, on the train
split and, for the report, the dev split). The head is a logistic
regression (or, with --hidden N, a small MLP) over the features of
mtqa.fluency.qe.word_features, trained with PyTorch (already a dependency of
the model extra) on the into-English pairs; its BAD threshold is the one
that maximises MCC on the training words. The shipped head is the logistic
regression: an MLP scored about 0.03 more MCC on dev but extrapolated badly
outside MLQE-PE (it tagged every word of a very fluent 31-word news
sentence: such low surprisal was rare in training, and its response to it
was not monotone). Writes
mtqa/fluency/qe_head.json and prints MCC on train and, when given, dev.

    python scripts/train_qe_head.py --train ~/.cache/mtqa/qe/train.jsonl \
        --dev ~/.cache/mtqa/qe/dev.jsonl [--hidden 0] [--write]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from qe_records import ScoredLine, mcc, read_lines, token_counts, word_labels  # noqa: E402

from mtqa.fluency.qe import FEATURE_NAMES, HEAD_FILE, QEHead, word_features  # noqa: E402


def dataset(lines: list[ScoredLine]):
    features, labels = [], []
    for line in lines:
        for (_, scored, words), tags in zip(line.analyses, word_labels(line)):
            features.extend(word_features(scored, words, "en"))
            labels.extend(1.0 if t else 0.0 for t in tags)
    return features, labels


def fit(features, labels, hidden: int, epochs: int, seed: int) -> QEHead:
    import torch

    torch.manual_seed(seed)
    x = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(labels, dtype=torch.float32)
    mean = x.mean(0)
    scale = x.std(0).clamp_min(1e-6)
    x = (x - mean) / scale
    if hidden:
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))
    else:
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 1))
    optimiser = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=1e-4)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    order = list(range(len(labels)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for first in range(0, len(order), 512):
            batch = torch.tensor(order[first : first + 512])
            optimiser.zero_grad()
            loss = loss_fn(net(x[batch])[:, 0], y[batch])
            loss.backward()
            optimiser.step()
    layers = tuple(
        (tuple(tuple(row) for row in m.weight.detach().double().tolist()), tuple(m.bias.detach().double().tolist()))
        for m in net if isinstance(m, torch.nn.Linear)
    )
    return QEHead("", tuple(mean.double().tolist()), tuple(scale.double().tolist()), layers, 0.5)


def flagged_spans(line: ScoredLine, head: QEHead, threshold: float) -> list[tuple[int, int]]:
    spans = []
    for start, scored, words in line.analyses:
        for word, p in zip(words, head.probabilities(word_features(scored, words, "en"))):
            if p >= threshold:
                spans.append((start + word.start, start + word.end))
    return spans


def line_mcc(lines: list[ScoredLine], head: QEHead, threshold: float) -> float:
    totals = [0, 0, 0, 0]
    for line in lines:
        for k, v in enumerate(token_counts(line.mt_tokens, line.text, line.word_tags, flagged_spans(line, head, threshold))):
            totals[k] += v
    return mcc(*totals)


def best_threshold(lines: list[ScoredLine], head: QEHead) -> float:
    """MCC-optimal threshold on Moses tokens (what the evaluation counts)."""
    cached = [(line, [(start, words, head.probabilities(word_features(scored, words, "en")))
                      for start, scored, words in line.analyses]) for line in lines]
    best, best_value = 0.5, -1.0
    for step in range(10, 90, 2):
        threshold = step / 100
        totals = [0, 0, 0, 0]
        for line, per_sentence in cached:
            spans = [(s + w.start, s + w.end) for s, words, probs in per_sentence
                     for w, p in zip(words, probs) if p >= threshold]
            for k, v in enumerate(token_counts(line.mt_tokens, line.text, line.word_tags, spans)):
                totals[k] += v
        value = mcc(*totals)
        if value > best_value:
            best, best_value = threshold, value
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--dev", type=Path)
    parser.add_argument("--model", default="gemma3-270m")
    parser.add_argument("--hidden", type=int, default=0, help="0: logistic regression")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help=f"write {HEAD_FILE.relative_to(ROOT)}")
    args = parser.parse_args()
    train = list(read_lines(args.train, args.model))
    features, labels = dataset(train)
    print(f"train: {len(train)} lines, {len(labels)} words, {100 * sum(labels) / max(1, len(labels)):.1f}% BAD; "
          f"{len(FEATURE_NAMES)} features, hidden {args.hidden}")
    head = fit(features, labels, args.hidden, args.epochs, args.seed)
    threshold = best_threshold(train, head)
    head = QEHead(args.model, head.mean, head.scale, head.layers, threshold)
    print(f"threshold {threshold:.2f}; MCC train {line_mcc(train, head, threshold):.3f}")
    if args.dev and args.dev.is_file():
        dev = list(read_lines(args.dev, args.model))
        for pair in sorted({line.pair for line in dev}):
            subset = [line for line in dev if line.pair == pair]
            print(f"  dev {pair}: {len(subset)} lines, MCC {line_mcc(subset, head, threshold):.3f}")
        print(f"  dev all: MCC {line_mcc(dev, head, threshold):.3f}")
    if args.write:
        import json

        HEAD_FILE.write_text(json.dumps(head.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HEAD_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
