"""Opens the HTML diagnostic report in headless Chromium.

Every figure must render offline (plotly.js is inline, network requests
are refused) without a JavaScript error. Without Chromium the test fails
when the CI environment variable is set and is skipped otherwise.
"""

import os
import shutil

import numpy as np
import pytest

from kmr.utils.k_m_r_plotter import KMRPlotter
from tests.utils.plotting.stand_in_models import (
    ExplainableTableModel,
    TrainableExplainableModel,
    planted_data,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Counts, per figure div, what Plotly has drawn: traces in the data, and
# the SVG or canvas nodes of the plotted traces.
_RENDERED = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => ({
  id: el.id,
  traces: (el._fullData || []).length,
  drawn: el.querySelectorAll(
    'g.trace, g.point, path.point, image, g.hm, rect.nsewdrag'
  ).length,
  svg: el.querySelectorAll('svg.main-svg').length,
}))
"""


def _chromium_or_skip():
    playwright = pytest.importorskip("playwright.sync_api")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return playwright


def _full_report(rng, tmp_path):
    num_users, num_items = 8, 6
    model = ExplainableTableModel(
        rng.random((num_users, num_items)),
        rng.random((num_users, num_items)),
        rng.dirichlet([1.0, 1.0], size=num_users),
        top_k=3,
    )
    history = {
        "loss": [1.0, 0.7, 0.5],
        "val_loss": [1.1, 0.9, 0.8],
        "prec@5": [0.1, 0.2, 0.3],
        "cf_weight_mean": [0.5, 0.55, 0.6],
        "cb_weight_mean": [0.5, 0.45, 0.4],
        "cf_weight_std": [0.0, 0.05, 0.1],
    }
    labels = (rng.random((num_users, num_items)) > 0.6).astype("float32")
    report = KMRPlotter.create_recommendation_diagnostic_report(
        model,
        history,
        None,
        None,
        labels,
        n_sample_users=6,
        user_ids=np.arange(num_users)[::-1],
    )

    # The embedding figure needs a user tower, which the table lacks.
    user_features, item_features, _ = planted_data(rng)
    tower_model = TrainableExplainableModel(6, 8, 3, 2)
    tower_model.build()
    report["figures"]["embedding_space"] = KMRPlotter.plot_embedding_space(
        user_features, tower_model, user_ids=np.arange(6)
    )
    path = report.save_html(tmp_path / "report.html")
    expected = [n for n, f in report["figures"].items() if f is not None]
    return path, expected


def test_report_renders_every_figure_offline(rng, tmp_path):
    playwright = _chromium_or_skip()
    path, expected = _full_report(rng, tmp_path)
    errors, requests = [], []

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on(
                "console",
                lambda message: (
                    errors.append(message.text)
                    if message.type == "error"
                    else None
                ),
            )

            def refuse_network(route):
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    requests.append(route.request.url)
                    route.abort()

            page.route("**/*", refuse_network)
            page.goto(f"file://{path}")
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot').length"
                f" === {len(expected)}",
                timeout=30_000,
            )
            page.wait_for_function(
                "Array.from(document.querySelectorAll('.js-plotly-plot'))"
                ".every(el => el._fullLayout && el.querySelector("
                "'svg.main-svg'))",
                timeout=30_000,
            )
            rendered = page.evaluate(_RENDERED)
            headings = page.eval_on_selector_all(
                "section h2", "nodes => nodes.map(n => n.textContent)"
            )
        finally:
            browser.close()

    assert errors == []
    assert requests == []
    assert [r["id"] for r in rendered] == [f"figure-{n}" for n in expected]
    for figure in rendered:
        assert figure["traces"] > 0, figure
        assert figure["svg"] > 0, figure
        assert figure["drawn"] > 0, figure
    assert headings[: len(expected)] == [
        n.replace("_", " ").capitalize() for n in expected
    ]
