"""MovieLens loaders."""

from kmr.datasets.load_movielens import load_movielens
from kmr.datasets.movielens_data import MovieLensData

__all__ = ["MovieLensData", "load_movielens"]
