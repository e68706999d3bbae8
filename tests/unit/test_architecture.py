"""The shape of the code, checked in the test run so it cannot drift: the import
contracts in pyproject.toml (a pure domain, a store that never reaches up, faces that
meet only through the service, no cycles), ruff, and mypy over the package.

Each tool runs as its own process from the virtual environment the tests run in, so
`make test` on a fresh clone checks exactly what CI checks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("argv", [
    pytest.param(("lint-imports", "--no-cache"), id="import-contracts"),
    pytest.param(("ruff", "check", "planner", "tests", "benchmarks"), id="ruff"),
    pytest.param(("mypy", "--no-incremental"), id="mypy"),
])
def test_tool_is_clean(argv: tuple[str, ...]) -> None:
    r = _run(str(BIN / argv[0]), *argv[1:])
    assert r.returncode == 0, f"{' '.join(argv)} failed:\n{r.stdout}\n{r.stderr}"


def test_the_domain_runs_without_textual_or_the_store() -> None:
    """Importing every domain module in a fresh interpreter loads nothing but the standard
    library and msgspec (the contract above checks the source; this checks what runs)."""
    code = (
        "import sys, pkgutil, importlib, planner.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module('planner.domain.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in\n"
        "             ('textual', 'tinydb', 'click', 'platformdirs', 'rich')\n"
        "             or n.startswith(('planner.store', 'planner.service', 'planner.cli',\n"
        "                              'planner.app', 'planner.library')))\n"
        "print(' '.join(bad))\n"
    )
    r = _run(sys.executable, "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""
