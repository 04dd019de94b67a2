"""Loading the GroupLens MovieLens datasets."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kmr._validation import check_choice
from kmr.datasets import _download
from kmr.datasets import _movielens_formats as formats
from kmr.datasets.movielens_data import MovieLensData

#: Files each variant needs.
REQUIRED_FILES = {
    "100k": ("u.data", "u.user", "u.item"),
    "1m": ("ratings.dat", "users.dat", "movies.dat"),
    "latest-small": ("ratings.csv", "movies.csv", "tags.csv"),
}


def load_movielens(
    variant: str = "100k",
    path=None,
    cache_dir=None,
    download: bool = True,
) -> MovieLensData:
    """Loads MovieLens 100K, 1M or latest-small into contiguous-id arrays.

    Reads `u.data`, `u.user`, `u.item` (100K), `ratings.dat`, `users.dat`,
    `movies.dat` (1M) or `ratings.csv`, `movies.csv`, `tags.csv`
    (latest-small) in place. Without `path`, the files are looked up in
    `cache_dir`, and when absent the official GroupLens archive is
    downloaded and unpacked there.

    User features are one-hot age buckets (under 18, 18-24, 25-34, 35-44,
    45-49, 50-55, 56+), gender and occupation (100K and 1M; latest-small
    has none). Item features are one-hot genres.

    Args:
        variant: `"100k"`, `"1m"` or `"latest-small"`. Defaults to
            `"100k"`.
        path: Folder holding the variant's files. Defaults to `None` (use
            the cache).
        cache_dir: Cache folder. Defaults to `$KMR_DATA_DIR` or
            `~/.cache/kmr/datasets`.
        download: Whether to download a variant missing from the cache.
            Defaults to `True`.

    Returns:
        A `MovieLensData`.

    Raises:
        FileNotFoundError: If a file is missing and cannot be downloaded.
        ValueError: If a file does not fit its format (the message names
            the file and line) or a rating names an unknown user or movie.

    Example:
        >>> data = load_movielens("100k")  # doctest: +SKIP
        >>> data.user_features.shape  # doctest: +SKIP
        (943, 30)
    """
    variant = check_choice("variant", variant, tuple(REQUIRED_FILES))
    folder = _resolve_folder(variant, path, cache_dir, download)
    if variant == "100k":
        return _load_100k(folder)
    if variant == "1m":
        return _load_1m(folder)
    return _load_latest_small(folder)


def _resolve_folder(variant, path, cache_dir, download) -> Path:
    if path is not None:
        folder = Path(path)
        _check_files(variant, folder)
        return folder
    cache_dir = (
        Path(cache_dir)
        if cache_dir is not None
        else _download.default_cache_dir()
    )
    folder = cache_dir / _download.MOVIELENS_ARCHIVES[variant][1]
    if not _has_files(variant, folder):
        if not download:
            raise FileNotFoundError(
                f"MovieLens {variant} is not in {folder} and `download` is "
                "False."
            )
        folder = _download.fetch_archive(variant, cache_dir)
    _check_files(variant, folder)
    return folder


def _has_files(variant: str, folder: Path) -> bool:
    return all((folder / name).is_file() for name in REQUIRED_FILES[variant])


def _check_files(variant: str, folder: Path) -> None:
    for name in REQUIRED_FILES[variant]:
        if not (folder / name).is_file():
            raise FileNotFoundError(
                f"MovieLens {variant} needs {folder / name}, which does not "
                "exist."
            )


def _load_100k(folder: Path) -> MovieLensData:
    path = folder / "u.data"
    ratings = formats.parse_ratings(
        formats.read_records(path, "whitespace", 4, "utf-8"), path
    )
    path = folder / "u.user"
    users = formats.parse_users(
        formats.read_records(path, "|", 5, "latin-1"), path, "100k"
    )
    path = folder / "u.item"
    items = formats.parse_items_100k(
        formats.read_records(
            path, "|", 5 + len(formats.GENRES_100K), "latin-1"
        ),
        path,
    )
    return _assemble("100k", folder / "u.data", ratings, users, items)


def _load_1m(folder: Path) -> MovieLensData:
    path = folder / "ratings.dat"
    ratings = formats.parse_ratings(
        formats.read_records(path, "::", 4, "utf-8"), path
    )
    path = folder / "users.dat"
    users = formats.parse_users(
        formats.read_records(path, "::", 5, "latin-1"), path, "1m"
    )
    path = folder / "movies.dat"
    items = formats.parse_items_with_genre_lists(
        formats.read_records(path, "::", 3, "latin-1"), path
    )
    return _assemble("1m", folder / "ratings.dat", ratings, users, items)


def _load_latest_small(folder: Path) -> MovieLensData:
    path = folder / "ratings.csv"
    ratings = formats.parse_ratings(
        formats.read_csv_records(
            path, ("userId", "movieId", "rating", "timestamp")
        ),
        path,
    )
    path = folder / "movies.csv"
    items = formats.parse_items_with_genre_lists(
        formats.read_csv_records(path, ("movieId", "title", "genres")), path
    )
    tag_rows = list(
        formats.read_csv_records(
            folder / "tags.csv", ("userId", "movieId", "tag", "timestamp")
        )
    )
    tag_users, tag_items, tag_times = [], [], []
    for line_number, line, fields in tag_rows:
        try:
            tag_users.append(int(fields[0]))
            tag_items.append(int(fields[1]))
            tag_times.append(int(fields[3]))
        except ValueError:
            raise formats.format_error(
                folder / "tags.csv",
                line_number,
                line,
                "expected user, movie, tag, time",
            ) from None
    raw_users = np.unique(np.concatenate([ratings[0], tag_users]))
    users = (raw_users.astype(np.int64), None, None, None)
    data = _assemble(
        "latest-small", folder / "ratings.csv", ratings, users, items
    )
    data.tags = {
        "user_ids": data.user_index(tag_users).astype(np.int32),
        "item_ids": _known_items(
            data, np.array(tag_items, np.int64), folder / "tags.csv"
        ),
        "tags": [fields[2] for _, _, fields in tag_rows],
        "timestamps": np.array(tag_times, dtype=np.int64),
    }
    return data


def _assemble(name, ratings_path, ratings, users, items) -> MovieLensData:
    raw_users, buckets, genders, occupations = users
    raw_items, titles, item_features, item_feature_names = items
    raw_user, raw_item, values, timestamps = ratings

    user_order = _sorted_unique(raw_users, "user", ratings_path)
    item_order = _sorted_unique(raw_items, "movie", ratings_path)
    raw_users, raw_items = raw_users[user_order], raw_items[item_order]
    if buckets is None:
        user_features = np.zeros((len(raw_users), 0), dtype=np.float32)
        user_feature_names = []
    else:
        user_features, user_feature_names = formats.user_feature_matrix(
            buckets, genders, occupations, name
        )
        user_features = user_features[user_order]

    data = MovieLensData(
        name=name,
        user_ids=np.zeros(0, np.int32),
        item_ids=np.zeros(0, np.int32),
        ratings=values,
        timestamps=timestamps,
        user_features=user_features,
        user_feature_names=user_feature_names,
        item_features=item_features[item_order],
        item_feature_names=item_feature_names,
        item_titles=[titles[i] for i in item_order],
        raw_user_ids=raw_users,
        raw_item_ids=raw_items,
    )
    data.user_ids = _known_users(data, raw_user, ratings_path)
    data.item_ids = _known_items(data, raw_item, ratings_path)
    return data


def _sorted_unique(raw_ids: np.ndarray, kind: str, path: Path):
    order = np.argsort(raw_ids, kind="stable")
    sorted_ids = raw_ids[order]
    repeated = sorted_ids[1:][sorted_ids[1:] == sorted_ids[:-1]]
    if repeated.size:
        raise ValueError(
            f"The {kind} file next to {path} lists {kind} id "
            f"{repeated[0]} twice."
        )
    return order


def _known_users(data: MovieLensData, raw_ids, path: Path) -> np.ndarray:
    return _lookup(data.raw_user_ids, raw_ids, "user", path)


def _known_items(data: MovieLensData, raw_ids, path: Path) -> np.ndarray:
    return _lookup(data.raw_item_ids, raw_ids, "movie", path)


def _lookup(sorted_ids, raw_ids, kind: str, path: Path) -> np.ndarray:
    position = np.searchsorted(sorted_ids, raw_ids)
    clipped = np.minimum(position, max(len(sorted_ids) - 1, 0))
    found = (
        (sorted_ids[clipped] == raw_ids)
        if len(sorted_ids)
        else (np.zeros(len(raw_ids), bool))
    )
    if not np.all(found):
        row = int(np.flatnonzero(~found)[0])
        raise ValueError(
            f"{path}, record {row + 1}: {kind} id {raw_ids[row]} is not "
            f"in the {kind} file."
        )
    return position.astype(np.int32)
