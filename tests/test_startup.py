"""A cheap guard on start-up: the CLI module imports none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "questionary", "prompt_toolkit", "jinja2", "pydantic", "yaml", "csv", "rich.markdown", "pygments",
    "starlette", "uvicorn", "segno", "httpx", "openpyxl",
)  # fmt: skip


def test_cli_import_leaves_heavy_modules_out():
    code = f"import sys, cxculture.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
