import re

import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.diagnostic_report import (
    DiagnosticReport,
    save_report_html,
)


def _report():
    return DiagnosticReport(
        figures={
            "training_history": go.Figure(go.Scatter(y=[1, 0.5])),
            "embedding_space": None,
            "topk_scores": go.Figure(go.Bar(y=[3, 2, 1])),
        },
        metrics={
            "mean_confidence": 0.123456,
            "diversity": {"shared_items": 2},
            "cluster_labels": np.array([0, 1]),
        },
    )


def test_report_is_a_dict_with_the_original_keys():
    report = _report()
    assert isinstance(report, dict)
    assert set(report) == {"figures", "metrics"}


def test_html_holds_every_figure_once_with_plotly_inline(tmp_path):
    path = _report().save_html(tmp_path / "report.html", title="My report")

    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert text.count("Plotly.newPlot(") == 2
    # The plotly.js bundle is inline once, and nothing is loaded remotely.
    assert len(re.findall(r"plotly\.js v\d", text)) == 1
    assert "<script src=" not in text
    assert "<h1>My report</h1>" in text
    assert "<h2>Training history</h2>" in text
    assert "<h2>Topk scores</h2>" in text
    assert "Embedding space" not in text
    assert "<th>diversity.shared_items</th><td>2</td>" in text
    assert "<th>mean_confidence</th><td>0.1235</td>" in text
    assert text.index('id="figure-training_history"') < text.index(
        'id="figure-topk_scores"'
    )


def test_save_report_html_accepts_a_plain_dict_and_needs_a_figure(tmp_path):
    path = save_report_html(
        {"figures": {"a": go.Figure(go.Bar(y=[1]))}}, tmp_path / "a.html"
    )
    assert path.endswith("a.html")
    with pytest.raises(ValueError, match="at least one figure"):
        save_report_html({"figures": {"a": None}}, tmp_path / "b.html")
