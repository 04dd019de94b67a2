import zipfile

import numpy as np
import pytest

from kmr.datasets import _download, load_movielens
from tests.datasets.movielens_files import (
    FILES_1M,
    FILES_100K,
    FILES_LATEST_SMALL,
    write_files,
)


def test_100k_arrays(tmp_path):
    data = load_movielens("100k", path=write_files(tmp_path, FILES_100K))

    np.testing.assert_array_equal(data.raw_user_ids, [1, 2, 3])
    np.testing.assert_array_equal(data.raw_item_ids, [10, 20, 30])
    np.testing.assert_array_equal(data.user_ids, [2, 0, 2])
    np.testing.assert_array_equal(data.item_ids, [1, 0, 0])
    np.testing.assert_array_equal(data.ratings, [4, 5, 2])
    np.testing.assert_array_equal(
        data.timestamps, [881250949, 874965758, 882397596]
    )
    assert data.user_ids.dtype == data.item_ids.dtype == np.int32
    assert data.ratings.dtype == np.float32
    assert data.timestamps.dtype == np.int64
    assert data.item_titles == [
        "Film A (1995)",
        "Film B (1996)",
        "Caf\xe9 (1997)",
    ]

    assert data.user_feature_names == [
        "age_under_18",
        "age_18_24",
        "age_25_34",
        "age_35_44",
        "age_45_49",
        "age_50_55",
        "age_56_plus",
        "gender_F",
        "gender_M",
        "occupation_other",
        "occupation_technician",
        "occupation_writer",
    ]
    expected_users = np.zeros((3, 12), np.float32)
    expected_users[0, [1, 8, 10]] = 1  # raw user 1: 24, M, technician
    expected_users[1, [0, 8, 11]] = 1  # raw user 2: 17, M, writer
    expected_users[2, [5, 7, 9]] = 1  # raw user 3: 53, F, other
    np.testing.assert_array_equal(data.user_features, expected_users)

    assert data.item_feature_names[:2] == ["genre_unknown", "genre_Action"]
    assert len(data.item_feature_names) == 19
    expected_items = np.zeros((3, 19), np.float32)
    expected_items[0, [1, 5]] = 1
    expected_items[1, 8] = 1
    expected_items[2, 0] = 1
    np.testing.assert_array_equal(data.item_features, expected_items)
    assert data.tags is None


def test_1m_arrays(tmp_path):
    data = load_movielens("1m", path=write_files(tmp_path, FILES_1M))

    np.testing.assert_array_equal(data.user_ids, [0, 1])
    np.testing.assert_array_equal(data.item_ids, [1, 0])
    np.testing.assert_array_equal(data.ratings, [4, 3])
    assert data.item_feature_names == [
        "genre_Animation",
        "genre_Children's",
        "genre_Comedy",
    ]
    np.testing.assert_array_equal(
        data.item_features, [[1, 1, 0], [0, 0, 1], [1, 0, 1]]
    )
    assert data.item_titles[2] == "Caf\xe9 (1997)"
    assert data.user_features.shape == (2, 30)
    assert data.user_feature_names[9:] == [
        f"occupation_{code}" for code in range(21)
    ]
    expected_users = np.zeros((2, 30), np.float32)
    expected_users[0, [0, 7, 9 + 10]] = 1  # age code 1, F, occupation 10
    expected_users[1, [6, 8, 9 + 16]] = 1  # age code 56, M, occupation 16
    np.testing.assert_array_equal(data.user_features, expected_users)


def test_latest_small_arrays_and_tags(tmp_path):
    data = load_movielens(
        "latest-small", path=write_files(tmp_path, FILES_LATEST_SMALL)
    )

    np.testing.assert_array_equal(data.raw_user_ids, [1, 5, 9])
    np.testing.assert_array_equal(data.raw_item_ids, [7, 100])
    np.testing.assert_array_equal(data.user_ids, [1, 0, 1])
    np.testing.assert_array_equal(data.item_ids, [1, 1, 0])
    np.testing.assert_array_equal(data.ratings, [4.5, 3.0, 0.5])
    assert data.user_features.shape == (3, 0)
    assert data.item_feature_names == [
        "genre_(no genres listed)",
        "genre_Comedy",
        "genre_Drama",
        "genre_Romance",
    ]
    np.testing.assert_array_equal(
        data.item_features, [[1, 0, 0, 0], [0, 1, 1, 1]]
    )
    assert data.item_titles == [
        "Sabrina (1995)",
        "American President, The (1995)",
    ]
    np.testing.assert_array_equal(data.tags["user_ids"], [2, 1])
    np.testing.assert_array_equal(data.tags["item_ids"], [0, 1])
    assert data.tags["tags"] == ["funny", "dark, slow"]
    np.testing.assert_array_equal(
        data.tags["timestamps"], [1445714994, 1445714996]
    )


@pytest.mark.parametrize(
    "variant, files, name, text, message",
    [
        (
            "100k",
            FILES_100K,
            "u.data",
            "1\t10\t5\t1\n1\t20\t4\n",
            r"u\.data, line 2",
        ),
        ("100k", FILES_100K, "u.data", "1\t10\tfive\t1\n", r"u\.data, line 1"),
        ("100k", FILES_100K, "u.user", "1|24|X|writer|1\n", r"u\.user, line 1"),
        (
            "1m",
            FILES_1M,
            "users.dat",
            "1::F::1::10::1\n2::M::7::1::2\n",
            r"users\.dat, line 2",
        ),
        (
            "1m",
            FILES_1M,
            "ratings.dat",
            "1::99::4::1\n",
            r"ratings\.dat.*movie id 99",
        ),
        (
            "1m",
            FILES_1M,
            "movies.dat",
            "x::T::Comedy\n",
            r"movies\.dat, line 1",
        ),
        (
            "latest-small",
            FILES_LATEST_SMALL,
            "ratings.csv",
            "userId,movieId,rating,timestamp\n5,100,4.5,1\n1,7,good,2\n",
            r"ratings\.csv, line 3",
        ),
        (
            "latest-small",
            FILES_LATEST_SMALL,
            "movies.csv",
            "movie,title,genres\n",
            r"movies\.csv, line 1.*header",
        ),
    ],
)
def test_malformed_files_name_the_file_and_line(
    tmp_path, variant, files, name, text, message
):
    folder = write_files(tmp_path, {**files, name: text})

    with pytest.raises(ValueError, match=message):
        load_movielens(variant, path=folder)


def test_missing_file_and_bad_variant(tmp_path):
    folder = write_files(tmp_path, {"u.data": FILES_100K["u.data"]})

    with pytest.raises(FileNotFoundError, match="u.user"):
        load_movielens("100k", path=folder)
    with pytest.raises(ValueError, match="variant"):
        load_movielens("20m", path=folder)


def _archive(tmp_path, members):
    archive = tmp_path / "ml-100k.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for name, text in members.items():
            bundle.writestr(name, text.encode("latin-1"))
    return archive


def test_download_fills_the_cache_once(tmp_path, monkeypatch):
    archive = _archive(
        tmp_path, {f"ml-100k/{n}": t for n, t in FILES_100K.items()}
    )
    monkeypatch.setitem(
        _download.MOVIELENS_ARCHIVES, "100k", (archive.as_uri(), "ml-100k")
    )
    cache = tmp_path / "cache"

    with pytest.raises(FileNotFoundError, match="download"):
        load_movielens("100k", cache_dir=cache, download=False)
    data = load_movielens("100k", cache_dir=cache)
    archive.unlink()
    cached = load_movielens("100k", cache_dir=cache, download=False)

    assert (cache / "ml-100k" / "u.data").is_file()
    np.testing.assert_array_equal(data.user_ids, cached.user_ids)
    np.testing.assert_array_equal(cached.user_ids, [2, 0, 2])
    assert sorted(p.name for p in cache.iterdir()) == ["ml-100k"]


def test_default_cache_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KMR_DATA_DIR", str(tmp_path))

    assert _download.default_cache_dir() == tmp_path


@pytest.mark.parametrize(
    "members, message",
    [
        ({"../evil.txt": "x"}, "unsafe"),
        ({"other/u.data": "x"}, "no folder"),
    ],
)
def test_bad_archives_are_refused(tmp_path, monkeypatch, members, message):
    archive = _archive(tmp_path, members)
    monkeypatch.setitem(
        _download.MOVIELENS_ARCHIVES, "100k", (archive.as_uri(), "ml-100k")
    )

    with pytest.raises(ValueError, match=message):
        load_movielens("100k", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "ml-100k").exists()
