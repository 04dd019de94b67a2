"""The end-to-end demo behind ``python -m kmr demo``."""

from __future__ import annotations

import kmr


def run_demo(output_dir: str = "kmr_report", epochs=None, seed: int = 42):
    """Runs the demo and prints its results.

    Args:
        output_dir: Folder for the diagnostics report.
        epochs: Training epochs; `None` for the demo's default.
        seed: Seed of the synthetic data and of the weights.
    """
    print(f"kmr {kmr.__version__}: the demo grows as the models land.")
