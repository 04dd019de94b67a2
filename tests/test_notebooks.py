"""The example notebooks: in step with their generator, and runnable.

The fast tests read the committed files: their cells are the ones
`notebooks/build_notebooks.py` writes, and they were saved after a run
from top to bottom without errors. The slow tests run every notebook in a
fresh `python3` kernel (TensorFlow backend) that imports this checkout's
`kmr`, and check the outputs that carry the story.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NAMES = [
    "explainable_unified_recommendation_model_demo",
    "unified_recommendation_model_demo",
    "matrix_factorization_model_demo",
    "two_tower_model_demo",
    "deep_ranking_model_demo",
    "explainable_recommendation_model_demo",
]
CELL_TIMEOUT_S = 600
KMR_PATH_MARKER = "kmr imported from:"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", NOTEBOOK_DIR / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(name: str):
    return nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)


def _stream_text(notebook) -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.get("name") == "stdout"
    )


def _held_out_rows(text: str) -> dict[str, tuple[float, float]]:
    """Returns `metric: (model, popularity)` from the held-out table."""
    rows = {}
    for metric, model, popular in re.findall(
        r"^(\w+@\d+)\s+([-\d.]+)\s+([-\d.]+)$", text, flags=re.MULTILINE
    ):
        rows[metric] = (float(model), float(popular))
    return rows


def _check_story(text: str) -> None:
    assert "held-out metric" in text and "popularity" in text, text
    rows = _held_out_rows(text)
    for metric in ("recall@10", "ndcg@10", "precision@10", "hit_rate@10"):
        model, popular = rows[metric]
        assert 0.0 <= model <= 1.0 and 0.0 <= popular <= 1.0, (metric, rows)
    # A trained ranker that does not beat chance would show a broken
    # pipeline, not a weak model: 10 of 500 items is a 2% hit rate.
    assert rows["recall@10"][0] > 0.05, rows
    assert "held-out recall@10: model / popularity =" in text
    assert "training acc@5" in text, "training metrics must be labelled"
    assert "Recommendation diagnostics" in text


def test_builder_lists_the_six_notebooks():
    assert list(_builder().NOTEBOOKS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_matches_its_generator(name):
    committed = _read(name)
    built = _builder().build(name)

    assert [(c.cell_type, c.source) for c in committed.cells] == [
        (c.cell_type, c.source) for c in built.cells
    ]


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_was_run_top_to_bottom(name):
    notebook = _read(name)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]

    counts = [cell.execution_count for cell in code_cells]
    assert counts == list(range(1, len(code_cells) + 1)), counts
    errors = [
        output
        for cell in code_cells
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    _check_story(_stream_text(notebook))


def _kernel_available() -> None:
    pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.fail(
            "No Jupyter kernel named 'python3'; install one with "
            "`python -m ipykernel install --user`."
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_a_fresh_kernel(name, tmp_path, monkeypatch):
    _kernel_available()
    from nbclient import NotebookClient

    notebook = _read(name)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import pathlib, kmr\n"
            f"print({KMR_PATH_MARKER!r}, "
            "pathlib.Path(kmr.__file__).resolve().parent)"
        )
    )
    # The kernel inherits this environment: the checkout's kmr comes first.
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )

    client.execute()

    text = _stream_text(notebook)
    _check_story(text)
    kmr_line = next(
        line for line in text.splitlines() if line.startswith(KMR_PATH_MARKER)
    )
    assert kmr_line.split(": ", 1)[1] == str((REPO_ROOT / "kmr").resolve())
    report = tmp_path / "output" / f"{name.removesuffix('_demo')}_report.html"
    assert report.stat().st_size > 0
