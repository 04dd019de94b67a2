"""Every `Example:` block in a kmr.layers docstring runs."""

import re
import textwrap

import pytest

import kmr.layers


@pytest.mark.parametrize("name", kmr.layers.__all__)
def test_docstring_example_runs(name):
    docstring = getattr(kmr.layers, name).__doc__
    blocks = re.findall(r"```python\n(.*?)```", docstring, re.S)

    assert blocks, f"{name} has no Example"
    for block in blocks:
        exec(textwrap.dedent(block), {})
