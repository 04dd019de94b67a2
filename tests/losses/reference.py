"""Plain NumPy reference implementations of the kmr ranking losses."""

from __future__ import annotations

import numpy as np


def _softplus(x):
    return np.log1p(np.exp(-abs(x))) + max(x, 0.0)


def _soft_mean(values, temperature):
    """Mean of `values` weighted by softmax(values / temperature)."""
    logits = values / temperature
    weights = np.exp(logits - logits.max())
    return float(np.sum(weights * values) / np.sum(weights))


def row_loss(name, labels, scores, **args):
    """Loss of one row, or None when the row has no positive or negative."""
    pos = [j for j in range(len(labels)) if labels[j] > 0]
    neg = [j for j in range(len(labels)) if labels[j] == 0]
    if not pos or not neg:
        return None
    s = [float(v) for v in scores]

    if name == "max_min":
        temperature = args.get("temperature", 0.5)
        pos_scores = np.array([s[j] for j in pos])
        neg_scores = np.array([s[j] for j in neg])
        if temperature == 0.0:
            gap = pos_scores.min() - neg_scores.max()
        else:
            gap = _soft_mean(pos_scores, -temperature) - _soft_mean(
                neg_scores, temperature
            )
        return max(0.0, args["margin"] - gap)
    if name == "average":
        gap = np.mean([s[j] for j in pos]) - np.mean([s[j] for j in neg])
        return max(0.0, args["margin"] - gap)
    if name == "improved":
        return args["max_min_weight"] * row_loss(
            "max_min",
            labels,
            scores,
            margin=args["margin"],
            temperature=args.get("temperature", 0.5),
        ) + args["avg_weight"] * row_loss(
            "average", labels, scores, margin=args["margin"]
        )
    if name == "softmax":
        cand = pos + neg
        logits = np.array([s[j] / args["temperature"] for j in cand])
        lse = np.log(np.sum(np.exp(logits - logits.max()))) + logits.max()
        rel = np.array([max(labels[j], 0.0) for j in cand])
        if args.get("normalize_relevance", True):
            rel = rel / rel.sum()
        return float(-np.sum(rel * (logits - lse)))
    if name == "bpr":
        pairs = [_softplus(-(s[i] - s[j])) for i in pos for j in neg]
        return float(np.mean(pairs))
    raise ValueError(name)


def loss_value(name, labels, scores, sample_weight=None, **args):
    """Sum of weighted row losses over the rows that have both, divided
    by the number of such rows (0 if there are none)."""
    total, rows = 0.0, 0
    for b in range(labels.shape[0]):
        value = row_loss(name, labels[b], scores[b], **args)
        if value is None:
            continue
        w = 1.0 if sample_weight is None else float(sample_weight[b])
        total += w * value
        rows += 1
    return 0.0 if rows == 0 else total / rows
