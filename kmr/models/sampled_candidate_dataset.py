"""Training batches scored against a sampled, shared set of candidates."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import keras
import numpy as np

from kmr._validation import check_choice, check_int


class SampledCandidateDataset(keras.utils.PyDataset):
    """Batches of users with one shared, sampled set of candidate items.

    For catalogs too large to score whole at every step. Each batch holds
    `batch_size` users and `num_candidates` items shared by all of them:
    the distinct positives of the batch's users, then items drawn
    uniformly, without replacement, from the rest of the catalog. The
    labels mark each user's own positives among the candidates with 1,
    the items in `ignored_item_ids` with -1 (left out by the kmr losses
    and metrics), and every other candidate, including the other users'
    positives, with 0. The model scores `batch_size * num_candidates`
    pairs per step instead of `batch_size * num_items`, and its item
    tower runs once on the candidates, not once per user.

    Batches are reproducible: batch `i` of epoch `e` is drawn from a
    generator seeded with `(seed, e, i)`, whatever order Keras asks for
    them in; users are reshuffled at each epoch when `shuffle` is set.

    Sampling bias: the candidates are not the catalog, so the loss is an
    estimate of the full-catalog loss, not the loss itself. Uniform
    negatives are mostly unpopular items, which are easy to rank low;
    the in-batch positives add popular negatives at the rate they occur
    in the data. No correction for the sampling probabilities (such as
    subtracting `log q(item)` from the logits) is applied. Measure ranking
    quality over the whole catalog (`recommend`, `kmr.evaluation`) rather
    than trusting the training loss.

    # Limitation: when the distinct positives of one batch outnumber
    # `num_candidates`, a uniform subset of them is kept and the others
    # are left out of that step; a warning at construction says when this
    # can happen.

    Args:
        user_ids: `(num_users,)` integer user ids, one per training row.
        user_features: `(num_users, user_feature_dim)` features, or `None`
            for models without user features.
        positive_item_ids: One array of item ids per user row: the items
            labelled relevant for that user.
        item_features: `(num_items, item_feature_dim)` features of the
            whole catalog (row `i` describes item `i`), or `None` for
            models without item features (then `num_items` is required).
        num_candidates: Items per batch, positives included. Defaults to
            1024; at most `num_items`.
        batch_size: Users per batch. Defaults to 64.
        ignored_item_ids: Optional, one array per user row of items to
            label -1 when they are among the candidates (e.g. items seen in
            training but not used as positives). Defaults to `None`.
        num_items: Catalog size, when `item_features` is `None`.
        shuffle: Whether to reshuffle the users at every epoch. Defaults to
            `True`.
        seed: Seed of the sampling. Defaults to `None` (a fresh seed drawn
            at construction).
        **kwargs: Passed to `keras.utils.PyDataset` (`workers`,
            `use_multiprocessing`, `max_queue_size`).

    Output:
        Batches `((user_ids (B,), user_features (B, user_feature_dim),
        candidate_item_ids (C,), candidate_item_features (C,
        item_feature_dim)), labels (B, C))`, with `B = batch_size` (fewer in
        the last batch) and `C = num_candidates`; the feature entries are
        absent when the features are `None`. Ids are int32, features and
        labels float32.

    Example:
    ```python
    import numpy as np
    from kmr.models import SampledCandidateDataset

    rng = np.random.default_rng(0)
    dataset = SampledCandidateDataset(
        user_ids=np.arange(8),
        user_features=rng.random((8, 4), dtype="float32"),
        positive_item_ids=[rng.choice(1000, 3, replace=False)
                           for _ in range(8)],
        item_features=rng.random((1000, 5), dtype="float32"),
        num_candidates=64,
        batch_size=4,
        seed=0,
    )
    (users, features, items, item_features), labels = dataset[0]
    # items.shape == (64,), labels.shape == (4, 64)
    ```
    """

    def __init__(
        self,
        user_ids,
        user_features,
        positive_item_ids: Sequence,
        item_features=None,
        num_candidates: int = 1024,
        batch_size: int = 64,
        ignored_item_ids: Sequence | None = None,
        num_items: int | None = None,
        shuffle: bool = True,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.user_ids = np.asarray(user_ids).astype("int32").reshape(-1)
        num_users = len(self.user_ids)
        self.user_features = _optional_matrix(
            "user_features", user_features, num_users
        )
        self.item_features = _optional_matrix(
            "item_features", item_features, None
        )
        if self.item_features is not None:
            num_items = len(self.item_features)
        elif num_items is None:
            raise ValueError(
                "`num_items` is required when `item_features` is None, "
                "received None."
            )
        self.num_items = check_int("num_items", num_items, minimum=1)
        self.num_candidates = check_int(
            "num_candidates",
            num_candidates,
            minimum=1,
            maximum=self.num_items,
        )
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.shuffle = check_choice("shuffle", shuffle, (True, False))
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**32)
        self.seed = check_int("seed", seed, minimum=0)

        self._positive_offsets, self._positive_items = _ragged(
            "positive_item_ids", positive_item_ids, num_users, self.num_items
        )
        self.positive_item_ids = positive_item_ids
        self.ignored_item_ids = ignored_item_ids
        self._ignored = None
        if ignored_item_ids is not None:
            self._ignored = _ragged(
                "ignored_item_ids", ignored_item_ids, num_users, self.num_items
            )

        self.epoch = 0
        self._warn_if_positives_may_overflow()

    def __len__(self) -> int:
        return math.ceil(len(self.user_ids) / self.batch_size)

    def on_epoch_end(self) -> None:
        self.epoch += 1

    def user_order(self) -> np.ndarray:
        """Returns the order of the user rows in the current epoch."""
        rows = np.arange(len(self.user_ids))
        if self.shuffle:
            np.random.default_rng([self.seed, self.epoch]).shuffle(rows)
        return rows

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(
                f"`index` must lie in [0, {len(self) - 1}], received {index}."
            )
        rng = np.random.default_rng([self.seed, self.epoch, index])
        start = index * self.batch_size
        rows = self.user_order()[start : start + self.batch_size]

        row_of, items = _gather(
            self._positive_offsets, self._positive_items, rows
        )
        candidate_item_ids = self._sample_candidates(np.unique(items), rng)
        labels = np.zeros((len(rows), len(candidate_item_ids)), "float32")

        # Ignored first, so that a positive listed in both stays positive.
        if self._ignored is not None:
            ignored_row_of, ignored = _gather(*self._ignored, rows)
            _mark(labels, candidate_item_ids, ignored_row_of, ignored, -1.0)
        _mark(labels, candidate_item_ids, row_of, items, 1.0)

        inputs = [self.user_ids[rows]]
        if self.user_features is not None:
            inputs.append(self.user_features[rows])
        inputs.append(candidate_item_ids.astype("int32"))
        if self.item_features is not None:
            inputs.append(self.item_features[candidate_item_ids])
        return tuple(inputs), labels

    def _sample_candidates(self, batch_positives, rng) -> np.ndarray:
        """Returns the batch's positives and uniform negatives, shuffled."""
        if len(batch_positives) > self.num_candidates:
            batch_positives = np.sort(
                rng.choice(batch_positives, self.num_candidates, replace=False)
            )
        num_negatives = self.num_candidates - len(batch_positives)
        draws = rng.choice(
            self.num_items - len(batch_positives), num_negatives, replace=False
        )

        # Draw k of the non-positive items maps to the k-th item id that is
        # not a positive: shift it past every positive at or below it.
        shifts = batch_positives - np.arange(len(batch_positives))
        negatives = draws + np.searchsorted(shifts, draws, side="right")
        candidates = np.concatenate([batch_positives, negatives])
        return rng.permutation(candidates)

    def _warn_if_positives_may_overflow(self) -> None:
        counts = np.diff(self._positive_offsets)
        largest = np.sort(counts)[::-1][: self.batch_size].sum()
        if largest > self.num_candidates:
            warnings.warn(
                f"A batch of {self.batch_size} users may hold up to "
                f"{largest} distinct positives, more than num_candidates="
                f"{self.num_candidates}; such a batch keeps a uniform "
                "subset of its positives. Raise `num_candidates` or lower "
                "`batch_size` to keep them all.",
                stacklevel=2,
            )


def _optional_matrix(name: str, values, num_rows: int | None):
    if values is None:
        return None
    values = np.asarray(values, dtype="float32")
    if values.ndim != 2 or (num_rows is not None and len(values) != num_rows):
        expected = "(num_users, dim)" if num_rows is not None else "(n, dim)"
        raise ValueError(
            f"`{name}` must have shape {expected} with one row per "
            f"{'user' if num_rows is not None else 'item'}, received shape "
            f"{values.shape}."
        )
    return values


def _ragged(name: str, id_lists, num_users: int, num_items: int):
    """Returns CSR offsets and flat ids of one id array per user row."""
    if len(id_lists) != num_users:
        raise ValueError(
            f"`{name}` must hold one array per user row ({num_users}), "
            f"received {len(id_lists)}."
        )
    arrays = [np.asarray(ids, dtype=np.int64).reshape(-1) for ids in id_lists]
    lengths = np.fromiter((len(a) for a in arrays), np.int64, len(arrays))
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate(arrays) if offsets[-1] else np.empty(0, np.int64)
    if flat.size and (flat.min() < 0 or flat.max() >= num_items):
        bad = flat.min() if flat.min() < 0 else flat.max()
        raise ValueError(
            f"`{name}` must lie in [0, {num_items - 1}], received {bad}."
        )
    return offsets, flat


def _gather(offsets, flat, rows):
    """Returns (batch row, item id) pairs of the given user rows."""
    starts, stops = offsets[rows], offsets[rows + 1]
    lengths = stops - starts
    row_of = np.repeat(np.arange(len(rows)), lengths)
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    positions = positions + np.arange(lengths.sum())
    return row_of, flat[positions]


def _mark(labels, candidate_item_ids, row_of, items, value) -> None:
    """Sets labels[row, position of item] = value for candidate items."""
    order = np.argsort(candidate_item_ids)
    sorted_ids = candidate_item_ids[order]
    positions = np.searchsorted(sorted_ids, items)
    positions = np.minimum(positions, len(sorted_ids) - 1)
    found = sorted_ids[positions] == items
    labels[row_of[found], order[positions[found]]] = value
