"""kmr metrics agree with keras-rs where the definitions coincide.

They coincide for binary labels, rows that all have a relevant candidate,
no ignored candidates, distinct scores and no sample weights; for MAP also
when no row has more relevant candidates than `k`.
"""

import keras_rs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kmr.metrics import (
    MeanAveragePrecisionAtK,
    MeanReciprocalRank,
    NDCGAtK,
    PrecisionAtK,
    RecallAtK,
)

PAIRS = {
    "precision": (PrecisionAtK, keras_rs.metrics.PrecisionAtK),
    "recall": (RecallAtK, keras_rs.metrics.RecallAtK),
    "ndcg": (NDCGAtK, keras_rs.metrics.NDCG),
    "map": (MeanAveragePrecisionAtK, keras_rs.metrics.MeanAveragePrecision),
    "mrr": (
        lambda k: MeanReciprocalRank(k=k),
        keras_rs.metrics.MeanReciprocalRank,
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.sampled_from([1, 2, 5]))
def test_agrees_with_keras_rs(name, seed, k):
    rng = np.random.default_rng(seed)
    batch, width = int(rng.choice([2, 5])), int(rng.choice([3, 9]))
    labels = (rng.random((batch, width)) < 0.3).astype("float32")
    labels[np.arange(batch), rng.integers(0, width, batch)] = 1.0
    if name == "map":
        for row in labels:
            extra = np.flatnonzero(row)[min(k, width) :]
            row[extra] = 0.0
    scores = rng.permutation(batch * width).reshape(batch, width)
    scores = scores.astype("float32") / 7.0

    ours_cls, theirs_cls = PAIRS[name]
    ours = ours_cls(k=k)
    theirs = theirs_cls(k=k, shuffle_ties=False)
    ours.update_state(labels, scores)
    theirs.update_state(labels, scores)
    np.testing.assert_allclose(
        float(ours.result()), float(theirs.result()), rtol=1e-5
    )
