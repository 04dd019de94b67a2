"""Parsers of the MovieLens file formats.

Each parser reads one file line by line and raises a `ValueError` naming
the file and the line when a line does not fit the format.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

#: Genre flags of `u.item`, in file order.
GENRES_100K = (
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
)
#: Lower bounds of the age buckets (the MovieLens 1M age codes).
AGE_BUCKET_STARTS = (1, 18, 25, 35, 45, 50, 56)
AGE_BUCKET_NAMES = (
    "age_under_18",
    "age_18_24",
    "age_25_34",
    "age_35_44",
    "age_45_49",
    "age_50_55",
    "age_56_plus",
)
GENDERS = ("F", "M")
#: Occupation codes of `users.dat`.
NUM_OCCUPATIONS_1M = 21


def format_error(path: Path, line_number: int, line: str, reason: str):
    return ValueError(f"{path}, line {line_number}: {reason}: {line!r}")


# Limitation: lines are parsed in Python (about a second per million), the
# price of naming the offending line in every error.
def read_records(path: Path, separator: str, num_fields: int, encoding: str):
    """Yields `(line_number, line, fields)` for each non-empty line."""
    with open(path, encoding=encoding, newline="") as handle:
        for line_number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = (
                line.split()
                if separator == "whitespace"
                else line.split(separator)
            )
            if len(fields) != num_fields:
                raise format_error(
                    path,
                    line_number,
                    line,
                    f"expected {num_fields} fields, found {len(fields)}",
                )
            yield line_number, line, fields


def read_csv_records(path: Path, header: tuple[str, ...]):
    """Yields `(line_number, line, fields)` of a CSV file with a header."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None or tuple(first) != header:
            raise format_error(
                path, 1, ",".join(first or []), f"expected header {header}"
            )
        for fields in reader:
            if not fields:
                continue
            line = ",".join(fields)
            if len(fields) != len(header):
                raise format_error(
                    path,
                    reader.line_num,
                    line,
                    f"expected {len(header)} fields, found {len(fields)}",
                )
            yield reader.line_num, line, fields


def parse_ratings(records, path: Path):
    """Returns raw user ids, raw item ids, ratings and timestamps."""
    users, items, ratings, times = [], [], [], []
    for line_number, line, fields in records:
        try:
            users.append(int(fields[0]))
            items.append(int(fields[1]))
            ratings.append(float(fields[2]))
            times.append(int(fields[3]))
        except ValueError:
            raise format_error(
                path, line_number, line, "expected user, item, rating, time"
            ) from None
    return (
        np.array(users, dtype=np.int64),
        np.array(items, dtype=np.int64),
        np.array(ratings, dtype=np.float32),
        np.array(times, dtype=np.int64),
    )


def parse_users(records, path: Path, variant: str):
    """Returns raw user ids, age bucket, gender and occupation columns.

    `u.user` holds `id|age|gender|occupation|zip`, with the age in years
    and the occupation as a word; `users.dat` holds
    `id::gender::age::occupation::zip`, with age and occupation as codes.
    """
    ids, buckets, genders, occupations = [], [], [], []
    for line_number, line, fields in records:
        if variant == "100k":
            raw_id, age, gender, occupation = fields[:4]
        else:
            raw_id, gender, age, occupation = fields[:4]
        try:
            ids.append(int(raw_id))
            age = int(age)
            if variant == "1m":
                occupation = int(occupation)
                if not 0 <= occupation < NUM_OCCUPATIONS_1M:
                    raise ValueError
                if age not in AGE_BUCKET_STARTS:
                    raise ValueError
            if gender not in GENDERS or age < 0:
                raise ValueError
        except ValueError:
            raise format_error(
                path,
                line_number,
                line,
                "expected a user id, age, gender (F or M) and occupation",
            ) from None
        buckets.append(int(np.searchsorted(AGE_BUCKET_STARTS, age, "right")))
        genders.append(GENDERS.index(gender))
        occupations.append(occupation)
    buckets = np.maximum(np.array(buckets, dtype=np.int64) - 1, 0)
    return np.array(ids, dtype=np.int64), buckets, genders, occupations


def user_feature_matrix(buckets, genders, occupations, variant: str):
    """One-hot encodes the user columns; returns matrix and names."""
    if variant == "1m":
        vocabulary = list(range(NUM_OCCUPATIONS_1M))
        occupation_names = [f"occupation_{code}" for code in vocabulary]
    else:
        vocabulary = sorted(set(occupations))
        occupation_names = [f"occupation_{name}" for name in vocabulary]
    occupation_codes = np.array(
        [vocabulary.index(o) for o in occupations], dtype=np.int64
    )
    blocks = [
        _one_hot(buckets, len(AGE_BUCKET_NAMES)),
        _one_hot(np.array(genders, dtype=np.int64), len(GENDERS)),
        _one_hot(occupation_codes, len(vocabulary)),
    ]
    names = list(AGE_BUCKET_NAMES) + [f"gender_{g}" for g in GENDERS]
    return np.concatenate(blocks, axis=1), names + occupation_names


def parse_items_100k(records, path: Path):
    """Returns raw ids, titles, and the genre flag matrix of `u.item`."""
    ids, titles, flags = [], [], []
    for line_number, line, fields in records:
        try:
            ids.append(int(fields[0]))
            row = [int(flag) for flag in fields[5:]]
            if any(flag not in (0, 1) for flag in row):
                raise ValueError
        except ValueError:
            raise format_error(
                path, line_number, line, "expected an id and 0/1 genre flags"
            ) from None
        titles.append(fields[1])
        flags.append(row)
    names = [f"genre_{genre}" for genre in GENRES_100K]
    matrix = np.array(flags, dtype=np.float32).reshape(-1, len(GENRES_100K))
    return np.array(ids, dtype=np.int64), titles, matrix, names


def parse_items_with_genre_lists(records, path: Path):
    """Returns raw ids, titles and one-hot genres of `movies.dat`/`.csv`."""
    ids, titles, genre_lists = [], [], []
    for line_number, line, fields in records:
        try:
            ids.append(int(fields[0]))
        except ValueError:
            raise format_error(
                path, line_number, line, "expected a movie id"
            ) from None
        titles.append(fields[1])
        genre_lists.append(fields[2].split("|") if fields[2] else [])
    vocabulary = sorted({genre for genres in genre_lists for genre in genres})
    position = {genre: column for column, genre in enumerate(vocabulary)}
    matrix = np.zeros((len(ids), len(vocabulary)), dtype=np.float32)
    rows = np.repeat(np.arange(len(ids)), [len(g) for g in genre_lists])
    columns = [position[genre] for genres in genre_lists for genre in genres]
    matrix[rows, np.array(columns, dtype=np.int64)] = 1.0
    names = [f"genre_{genre}" for genre in vocabulary]
    return np.array(ids, dtype=np.int64), titles, matrix, names


def _one_hot(codes: np.ndarray, width: int) -> np.ndarray:
    matrix = np.zeros((len(codes), width), dtype=np.float32)
    matrix[np.arange(len(codes)), codes] = 1.0
    return matrix
