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


WARM_HELP_SPARES = ("cxculture.model", "hashlib", "json")  # the model, OpenSSL, a parser: more than the page costs


def test_help_from_a_warm_cache_leaves_heavy_modules_out(tmp_path):
    """``--help`` in the reader's language reads its labels from the cache, not by validating the content."""
    import os

    env = {**os.environ, "CXCULTURE_CACHE_DIR": str(tmp_path), "CXCULTURE_LANG": "fr"}
    code = (
        "import sys, contextlib, io\nfrom cxculture.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out: main(['assess', '--help'])\n"
        f"print(' '.join(m for m in {(*HEAVY, *WARM_HELP_SPARES)!r} if m in sys.modules)); print(out.getvalue())"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "Répondre au questionnaire" in first.stdout and "yaml" in first.stdout.splitlines()[0]  # cache filled
    assert warm.stdout.splitlines()[0] == ""
    assert "Répondre au questionnaire" in warm.stdout
