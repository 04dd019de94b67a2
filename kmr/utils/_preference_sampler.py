"""The planted preference model behind the synthetic recommendation data.

Every user and item has two hidden parts:

- collaborative factors, seen by nothing but the interactions, so only a
  model that learns per-id embeddings can recover them;
- content factors, of which the observed features are noisy linear
  projections, so a model that reads features can recover them.

A user's preference for an item is a blend of the two affinities plus an
item popularity term, and interactions are drawn from a softmax over the
preferences. Everything is vectorised and works on chunks of users, so
memory stays bounded by `_CHUNK_ELEMENTS` scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Dimension of the collaborative and of the content factors.
LATENT_DIM = 8
#: Standard deviation of the feature noise, relative to a unit signal.
FEATURE_NOISE = 0.3
#: Standard deviation of the item popularity term.
POPULARITY_STD = 0.5
#: Inverse temperature of the softmax that draws interactions.
CONCENTRATION = 2.0
#: Scores held in memory at once while sampling.
_CHUNK_ELEMENTS = 1 << 21


@dataclass
class LatentPreferences:
    """The hidden factors of a synthetic population.

    Attributes:
        user_collaborative: `(num_users, LATENT_DIM)` float32.
        item_collaborative: `(num_items, LATENT_DIM)` float32.
        user_content: `(num_users, content_dim)` float32.
        item_content: `(num_items, content_dim)` float32.
        item_popularity: `(num_items,)` float32.
        collaborative_weight: Scale of the collaborative affinity.
        content_weight: Scale of the content affinity.
    """

    user_collaborative: np.ndarray
    item_collaborative: np.ndarray
    user_content: np.ndarray
    item_content: np.ndarray
    item_popularity: np.ndarray
    collaborative_weight: float
    content_weight: float

    def __post_init__(self):
        # One stacked product gives both affinities and the popularity, so
        # each chunk of scores is written to memory once.
        ones = np.ones((len(self.user_collaborative), 1), dtype=np.float32)
        self._user_stack = np.hstack(
            [
                self.collaborative_weight * self.user_collaborative,
                self.content_weight * self.user_content,
                ones,
            ]
        ).astype(np.float32)
        self._item_stack = np.hstack(
            [
                self.item_collaborative,
                self.item_content,
                self.item_popularity[:, None],
            ]
        ).astype(np.float32)
        self._item_stack_t = np.ascontiguousarray(self._item_stack.T)

    @property
    def num_items(self) -> int:
        return len(self.item_popularity)

    def preferences(self, user_rows: slice | np.ndarray) -> np.ndarray:
        """Returns the `(len(user_rows), num_items)` float32 preferences."""
        return self._user_stack[user_rows] @ self._item_stack_t

    def pair_preferences(self, user_ids, item_ids) -> np.ndarray:
        """Returns the preference of each (user, item) pair, float64."""
        result = np.empty(len(user_ids), dtype=np.float64)
        step = max(1, _CHUNK_ELEMENTS // self._item_stack.shape[1])
        for start in range(0, len(user_ids), step):
            users = user_ids[start : start + step]
            items = item_ids[start : start + step]
            result[start : start + step] = np.einsum(
                "nd,nd->n", self._user_stack[users], self._item_stack[items]
            )
        return result


def draw_latent_preferences(
    rng: np.random.Generator,
    num_users: int,
    num_items: int,
    content_dim: int,
    feature_signal_weight: float,
) -> LatentPreferences:
    """Draws the hidden factors; each affinity has unit variance."""
    collaborative_weight = np.sqrt((1.0 - feature_signal_weight) / LATENT_DIM)
    content_weight = np.sqrt(feature_signal_weight / content_dim)
    return LatentPreferences(
        user_collaborative=_normal(rng, (num_users, LATENT_DIM)),
        item_collaborative=_normal(rng, (num_items, LATENT_DIM)),
        user_content=_normal(rng, (num_users, content_dim)),
        item_content=_normal(rng, (num_items, content_dim)),
        item_popularity=_normal(rng, (num_items,)) * POPULARITY_STD,
        collaborative_weight=float(collaborative_weight),
        content_weight=float(content_weight),
    )


def observed_features(
    rng: np.random.Generator, content: np.ndarray, feature_dim: int
) -> np.ndarray:
    """Returns features that are noisy linear projections of `content`.

    When `feature_dim` is at least the content dimension the projection is
    (almost surely) invertible, so the content factors are recoverable up to
    the noise.
    """
    content_dim = content.shape[1]
    projection = _normal(rng, (content_dim, feature_dim)) / np.sqrt(content_dim)
    features = content @ projection
    features += FEATURE_NOISE * _normal(rng, features.shape)
    return features.astype(np.float32)


def sample_unique_pairs(
    rng: np.random.Generator,
    num_interactions: int,
    num_items: int,
    user_weights: np.ndarray,
    item_logits,
) -> tuple[np.ndarray, np.ndarray]:
    """Draws distinct (user, item) pairs, items from a per-user softmax.

    Each user gets a number of interactions drawn in proportion to
    `user_weights` (at most `num_items`), then that many distinct items,
    drawn without replacement from `softmax(item_logits(user_rows))` with
    the Gumbel top-k trick.

    Returns:
        `(user_ids, item_ids)` int64 arrays of length `num_interactions`, in
        random order.
    """
    counts = _interactions_per_user(
        rng, num_interactions, user_weights, num_items
    )

    # Users with similar counts share a chunk, so the partial sort of each
    # chunk keeps hardly more columns than its users need.
    user_order = np.argsort(counts, kind="stable")
    rows_per_chunk = max(1, _CHUNK_ELEMENTS // num_items)
    user_parts, item_parts = [], []
    for start in range(0, len(user_order), rows_per_chunk):
        rows = user_order[start : start + rows_per_chunk]
        row_counts = counts[rows]
        most = int(row_counts.max())
        if most == 0:
            continue
        shape = (len(rows), num_items)
        keys = item_logits(rows) - _negative_gumbel(rng, shape)
        if most < num_items:
            top = np.argpartition(keys, num_items - most, axis=1)
            top = top[:, num_items - most :]
        else:
            top = np.broadcast_to(np.arange(num_items), shape)
        top_keys = np.take_along_axis(keys, top, axis=1)
        ranks = np.argsort(np.argsort(-top_keys, axis=1), axis=1)
        keep = ranks < row_counts[:, None]
        user_parts.append(np.broadcast_to(rows[:, None], top.shape)[keep])
        item_parts.append(top[keep])

    order = rng.permutation(num_interactions)
    user_ids = np.concatenate(user_parts).astype(np.int64)[order]
    item_ids = np.concatenate(item_parts).astype(np.int64)[order]
    return user_ids, item_ids


def _interactions_per_user(rng, total, user_weights, num_items):
    """Splits `total` over users in proportion to weights, capped."""
    counts = rng.multinomial(total, user_weights / user_weights.sum())
    while True:
        excess = int(np.maximum(counts - num_items, 0).sum())
        if excess == 0:
            return counts
        counts = np.minimum(counts, num_items)
        room = np.where(counts < num_items, user_weights, 0.0)
        counts = counts + rng.multinomial(excess, room / room.sum())


def _negative_gumbel(rng, shape):
    """Returns float32 draws of minus a standard Gumbel variable."""
    draws = rng.random(shape, dtype=np.float32)
    draws[draws == 0.0] = 0.5
    np.log(draws, out=draws)
    np.negative(draws, out=draws)
    np.log(draws, out=draws)
    return draws


def sample_items(
    rng: np.random.Generator, users: np.ndarray, num_items: int, item_logits
) -> np.ndarray:
    """Draws one item per entry of `users` from the user's softmax."""
    items = np.empty(len(users), dtype=np.int64)
    order = np.argsort(users, kind="stable")
    sorted_users = users[order]
    num_users = int(sorted_users[-1]) + 1 if len(users) else 0
    rows_per_chunk = max(1, _CHUNK_ELEMENTS // num_items)

    for first in range(0, num_users, rows_per_chunk):
        last = min(first + rows_per_chunk, num_users)
        lo, hi = np.searchsorted(sorted_users, [first, last])
        if lo == hi:
            continue
        logits = item_logits(slice(first, last))
        logits -= logits.max(axis=1, keepdims=True)
        cdf = np.cumsum(np.exp(logits), axis=1)
        cdf /= cdf[:, -1:]
        # Row r of the chunk occupies (r, r + 1], so one sorted search
        # answers every user of the chunk at once.
        rows = np.arange(last - first)[:, None]
        flat_cdf = (cdf + rows).ravel()
        chunk_rows = sorted_users[lo:hi] - first
        targets = chunk_rows + rng.random(hi - lo)
        positions = np.searchsorted(flat_cdf, targets, side="right")
        chosen = positions - chunk_rows * num_items
        items[order[lo:hi]] = np.clip(chosen, 0, num_items - 1)
    return items


def _normal(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.standard_normal(shape, dtype=np.float32)
