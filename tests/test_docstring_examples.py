"""The `Example:` of every public class runs as written."""

import doctest
import inspect
import re
import textwrap

import pytest

import kmr

SUBPACKAGES = (
    "layers",
    "models",
    "losses",
    "metrics",
    "callbacks",
    "utils",
    "evaluation",
    "datasets",
)
PUBLIC_CLASSES = [
    getattr(getattr(kmr, package), name)
    for package in SUBPACKAGES
    for name in getattr(kmr, package).__all__
    if inspect.isclass(getattr(getattr(kmr, package), name))
]


def _example_code(cls):
    docstring = inspect.getdoc(cls) or ""
    match = re.search(r"Example:\s*\n\s*```python\n(.*?)```", docstring, re.S)
    return None if match is None else textwrap.dedent(match.group(1))


def test_every_public_class_has_a_docstring():
    undocumented = [cls.__name__ for cls in PUBLIC_CLASSES if not cls.__doc__]
    assert undocumented == []


@pytest.mark.parametrize(
    "cls",
    [cls for cls in PUBLIC_CLASSES if _example_code(cls)],
    ids=lambda cls: cls.__name__,
)
def test_class_example_runs(cls):
    exec(compile(_example_code(cls), f"<{cls.__name__} example>", "exec"), {})


def _doctests(cls):
    finder = doctest.DocTestFinder(recurse=False)
    return [test for test in finder.find(cls) if test.examples]


@pytest.mark.parametrize(
    "cls",
    [cls for cls in PUBLIC_CLASSES if _doctests(cls)],
    ids=lambda cls: cls.__name__,
)
def test_class_doctest_example_runs(cls):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in _doctests(cls):
        runner.run(test)
    assert runner.failures == 0


def test_most_public_classes_have_a_runnable_example():
    without = sorted(
        cls.__name__
        for cls in PUBLIC_CLASSES
        if not _example_code(cls) and not _doctests(cls)
    )
    # Data containers and the plotter facade document usage on their
    # functions and methods; BaseModel's example is a whole subclass, in
    # the documentation's extending page.
    assert set(without) <= {
        "BaseModel",
        "DiagnosticReport",
        "KMRPlotter",
        "MovieLensData",
    }
