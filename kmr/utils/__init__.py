"""Utilities: the synthetic data generator and the Plotly diagnostics."""

from kmr.utils.data_generator import KMRDataGenerator
from kmr.utils.k_m_r_plotter import KMRPlotter

__all__ = ["KMRDataGenerator", "KMRPlotter"]
