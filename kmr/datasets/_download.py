"""Fetching the official GroupLens archives into a local cache."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from loguru import logger

#: Official archive of each variant, and the folder it unpacks to.
MOVIELENS_ARCHIVES = {
    "100k": (
        "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
        "ml-100k",
    ),
    "1m": (
        "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
        "ml-1m",
    ),
    "latest-small": (
        "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
        "ml-latest-small",
    ),
}


def default_cache_dir() -> Path:
    """Returns `$KMR_DATA_DIR`, or `~/.cache/kmr/datasets`."""
    configured = os.environ.get("KMR_DATA_DIR")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "kmr" / "datasets"


# Limitation: archives are not checked against a published checksum.
def fetch_archive(variant: str, cache_dir: Path) -> Path:
    """Downloads and unpacks a variant; returns the folder with its files.

    The archive is written to a temporary file first and unpacked into a
    temporary folder that is renamed into place, so an interrupted download
    never leaves a half-filled cache.
    """
    url, folder = MOVIELENS_ARCHIVES[variant]
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / folder
    logger.info("Downloading MovieLens {} from {}", variant, url)

    with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
        archive = Path(scratch) / "archive.zip"
        with (
            urllib.request.urlopen(url) as response,
            open(archive, "wb") as sink,
        ):
            shutil.copyfileobj(response, sink)
        unpacked = Path(scratch) / "unpacked"
        with zipfile.ZipFile(archive) as bundle:
            _check_members(bundle, url)
            bundle.extractall(unpacked)
        source = unpacked / folder
        if not source.is_dir():
            raise ValueError(f"The archive at {url} has no folder {folder!r}.")
        if target.exists():
            shutil.rmtree(target)
        source.rename(target)
    return target


def _check_members(bundle: zipfile.ZipFile, url: str) -> None:
    """Refuses archives whose entries would land outside the folder."""
    for member in bundle.namelist():
        parts = Path(member).parts
        if Path(member).is_absolute() or ".." in parts:
            raise ValueError(
                f"The archive at {url} has an unsafe entry {member!r}."
            )
