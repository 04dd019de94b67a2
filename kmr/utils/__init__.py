"""Utilities: the synthetic data generator."""

from kmr.utils.data_generator import KMRDataGenerator

__all__ = ["KMRDataGenerator"]
