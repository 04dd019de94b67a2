"""The diagnostic report: a dict of figures and metrics, savable as HTML."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping

import numpy as np

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2rem; color: #222; }}
section {{ margin-bottom: 2.5rem; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }}
</style>
</head>
<body>
<h1>{title}</h1>
{body}
</body>
</html>
"""


class DiagnosticReport(dict):
    """The result of `KMRPlotter.create_recommendation_diagnostic_report`.

    A plain dict with the keys "figures" (name to Plotly figure, or `None`
    when the figure does not apply to the model) and "metrics" (name to
    value or nested dict), so code written against the original dict keeps
    working, plus `save_html`.

    Example:
        ```python
        import plotly.graph_objects as go
        from kmr.utils.plotting.diagnostic_report import DiagnosticReport

        report = DiagnosticReport(
            figures={"scores": go.Figure(go.Bar(y=[1, 2]))},
            metrics={"mean_confidence": 0.5},
        )
        report.save_html("/tmp/report.html")
        ```
    """

    def save_html(self, path, title: str = "KMR diagnostic report") -> str:
        """Writes every figure and the metrics to one self-contained file.

        See `save_report_html`.
        """
        return save_report_html(self, path, title=title)


def save_report_html(
    report: Mapping, path, title: str = "KMR diagnostic report"
) -> str:
    """Writes a report to one HTML file that opens offline.

    plotly.js is embedded once, inline, before the first figure; every
    figure gets a heading, and the metrics follow as a table.

    Args:
        report: A mapping with "figures" (name to figure or `None`) and
            optionally "metrics".
        path: File to write.
        title: Page title and top heading.

    Returns:
        The path written, as a string.

    Raises:
        ValueError: If the report has no figure.
    """
    figures = {
        name: fig
        for name, fig in dict(report.get("figures", {})).items()
        if fig is not None
    }
    if not figures:
        raise ValueError(
            "`report` must hold at least one figure under 'figures', "
            f"received keys {sorted(report)}."
        )

    sections = []
    for position, (name, fig) in enumerate(figures.items()):
        figure_html = fig.to_html(
            full_html=False,
            include_plotlyjs=position == 0,
            div_id=f"figure-{name}",
        )
        sections.append(
            f'<section id="{html.escape(name)}">\n'
            f"<h2>{html.escape(_heading(name))}</h2>\n{figure_html}\n"
            "</section>"
        )
    metrics = report.get("metrics")
    if metrics:
        sections.append(
            '<section id="metrics">\n<h2>Metrics</h2>\n'
            + _metrics_table(metrics)
            + "\n</section>"
        )

    page = _PAGE.format(title=html.escape(title), body="\n".join(sections))
    path = os.fspath(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return path


def _heading(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _metrics_table(metrics: Mapping) -> str:
    rows = "\n".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in _flatten(metrics)
    )
    return f"<table>\n{rows}\n</table>"


def _flatten(metrics: Mapping, prefix: str = ""):
    for name, value in metrics.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flatten(value, prefix=f"{key}.")
        elif isinstance(value, np.ndarray):
            yield key, np.array2string(value, threshold=50, precision=4)
        elif isinstance(value, float):
            yield key, f"{value:.4f}"
        else:
            yield key, str(value)
