"""Plotly diagnostics for recommendation models.

The figures live in one module per topic (`scores`, `similarity`,
`recommendations`, `clusters`, `geospatial`, `training`, `embeddings`,
`explanations`, `report`); `KMRPlotter` gathers them as static methods and
is importable from here, as in the original `kmr.utils.plotting`.
"""

from kmr.utils.plotting.diagnostic_report import (
    DiagnosticReport,
    save_report_html,
)

__all__ = ["DiagnosticReport", "KMRPlotter", "save_report_html"]


def __getattr__(name):
    # Imported on first use: the facade module imports this package.
    if name == "KMRPlotter":
        from kmr.utils.k_m_r_plotter import KMRPlotter

        return KMRPlotter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
