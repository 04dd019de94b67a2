"""Every ```python block of the docs and the README runs as written.

Fragments that need context are fenced as ```py instead, which renders the
same and is not run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
BLOCKS = [
    pytest.param(block, id=f"{page.relative_to(ROOT)}#{index}")
    for page in PAGES
    for index, block in enumerate(
        re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
    )
]


@pytest.mark.slow
@pytest.mark.parametrize("code", BLOCKS)
def test_documented_python_block_runs(code, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
