"""Static checks, run with the suite so that the README's test command covers them:
ruff (lint and format) on the project, and mypy on backcalc/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (it is in the test extras: pip install -e '.[test]')")
    return [exe]


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint_passes():
    p = _run([*_tool("ruff"), "check", "backcalc", "tests", "benchmarks"])
    assert p.returncode == 0, p.stdout + p.stderr


def test_ruff_format_is_clean():
    p = _run([*_tool("ruff"), "format", "--check", "backcalc", "tests", "benchmarks"])
    assert p.returncode == 0, p.stdout + p.stderr


def test_mypy_passes_on_backcalc():
    p = _run([*_tool("mypy"), "backcalc"])
    assert p.returncode == 0, p.stdout + p.stderr
