"""The result type of the MovieLens loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class MovieLensData:
    """One MovieLens dataset as arrays indexed by contiguous ids.

    Users and items are numbered `0 .. num_users - 1` and `0 .. num_items -
    1` in increasing order of their raw MovieLens ids; `raw_user_ids[u]` is
    the raw id of user `u`, and `user_index(raw_ids)` maps back (likewise for
    items). The item catalog holds every movie of the movie file, rated or
    not.

    Attributes:
        name: `"100k"`, `"1m"` or `"latest-small"`.
        user_ids: int32 `(num_ratings,)` user index of each rating.
        item_ids: int32 `(num_ratings,)` item index of each rating.
        ratings: float32 `(num_ratings,)` rating values.
        timestamps: int64 `(num_ratings,)` seconds since the Unix epoch.
        user_features: float32 `(num_users, F)`: one-hot age bucket, gender
            and occupation where the format has them (`F = 0` otherwise).
        user_feature_names: The `F` column names.
        item_features: float32 `(num_items, G)` one-hot genres.
        item_feature_names: The `G` column names.
        item_titles: Title of each item.
        raw_user_ids: int64 `(num_users,)` sorted raw user ids.
        raw_item_ids: int64 `(num_items,)` sorted raw movie ids.
        tags: For `"latest-small"`, a dict of `user_ids`, `item_ids` (int32
            indices), `tags` (list of str) and `timestamps` (int64); `None`
            otherwise.

    Example:
        >>> data = MovieLensData(
        ...     name="toy", user_ids=np.array([0], np.int32),
        ...     item_ids=np.array([0], np.int32),
        ...     ratings=np.array([4.0], np.float32),
        ...     timestamps=np.array([0]),
        ...     user_features=np.zeros((1, 0), np.float32),
        ...     user_feature_names=[],
        ...     item_features=np.ones((1, 1), np.float32),
        ...     item_feature_names=["genre_Drama"], item_titles=["A"],
        ...     raw_user_ids=np.array([7]), raw_item_ids=np.array([42]))
        >>> data.user_index([7]), data.num_items
        (array([0]), 1)
    """

    name: str
    user_ids: np.ndarray
    item_ids: np.ndarray
    ratings: np.ndarray
    timestamps: np.ndarray
    user_features: np.ndarray
    user_feature_names: list[str]
    item_features: np.ndarray
    item_feature_names: list[str]
    item_titles: list[str]
    raw_user_ids: np.ndarray
    raw_item_ids: np.ndarray
    tags: dict | None = field(default=None)

    @property
    def num_users(self) -> int:
        return len(self.raw_user_ids)

    @property
    def num_items(self) -> int:
        return len(self.raw_item_ids)

    def user_index(self, raw_user_ids) -> np.ndarray:
        """Returns the contiguous index of each raw user id.

        Raises:
            ValueError: If a raw id is not in the dataset.
        """
        return _index_of("raw_user_ids", self.raw_user_ids, raw_user_ids)

    def item_index(self, raw_item_ids) -> np.ndarray:
        """Returns the contiguous index of each raw movie id.

        Raises:
            ValueError: If a raw id is not in the dataset.
        """
        return _index_of("raw_item_ids", self.raw_item_ids, raw_item_ids)


def _index_of(name: str, sorted_ids: np.ndarray, raw_ids) -> np.ndarray:
    raw_ids = np.asarray(raw_ids, dtype=np.int64)
    position = np.searchsorted(sorted_ids, raw_ids)
    clipped = np.minimum(position, len(sorted_ids) - 1)
    found = sorted_ids[clipped] == raw_ids
    if not np.all(found):
        missing = raw_ids[~found].ravel()[0]
        raise ValueError(f"`{name}` holds no id {missing}.")
    return position
