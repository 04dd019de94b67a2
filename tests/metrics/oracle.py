"""Plain NumPy reference implementations of the kmr ranking metrics.

Written from the definitions, row by row, with no shared code with kmr.
"""

from __future__ import annotations

import math

import numpy as np


def ranked_candidates(labels_row, scores_row):
    """Valid candidates by descending score, ties to the lower index."""
    valid = [j for j in range(len(labels_row)) if labels_row[j] >= 0]
    return sorted(valid, key=lambda j: (-scores_row[j], j))


def row_value(metric, labels_row, scores_row, k):
    ranked = ranked_candidates(labels_row, scores_row)
    relevant = {j for j in range(len(labels_row)) if labels_row[j] > 0}
    n_valid = len(ranked)
    k = len(labels_row) if k is None else min(k, len(labels_row))
    top = ranked[:k]
    hits = [1.0 if j in relevant else 0.0 for j in top]

    if metric == "accuracy":
        return 1.0 if any(hits) else 0.0
    if metric == "precision":
        return sum(hits) / min(k, n_valid)
    if metric == "recall":
        return sum(hits) / len(relevant)
    if metric == "mrr":
        for rank, hit in enumerate(hits, start=1):
            if hit:
                return 1.0 / rank
        return 0.0
    if metric == "map":
        found, total = 0, 0.0
        for rank, hit in enumerate(hits, start=1):
            if hit:
                found += 1
                total += found / rank
        return total / min(k, len(relevant))
    if metric == "ndcg":
        gains = [max(labels_row[j], 0.0) for j in top]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((max(v, 0.0) for v in labels_row), reverse=True)[:k]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        return dcg / idcg
    raise ValueError(metric)


def metric_value(metric, batches, k):
    """Weighted mean over rows with a positive, across `batches`.

    Each batch is `(labels, scores, sample_weight_or_None)`.
    """
    total, count = 0.0, 0.0
    for labels, scores, weights in batches:
        for b in range(labels.shape[0]):
            if not np.any(labels[b] > 0):
                continue
            w = 1.0 if weights is None else float(weights[b])
            total += w * row_value(metric, labels[b], scores[b], k)
            count += w
    return 0.0 if count == 0 else total / count
