"""Every markdown export passes markdownlint-cli2, the reference linter (npm), in both languages;
French markdown keeps its no-break spaces before ':'."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cxculture import formats
from helpers import LANGS, kinds

VERSION = "0.22.1"
FOLDER = Path(__file__).resolve().parent.parent / ".ci" / "node"  # installed by .ci/run, or here on first use
LINTER = FOLDER / "node_modules" / ".bin" / "markdownlint-cli2"
CONFIG = {"config": {"MD013": False}}  # line length: paragraphs are generated on one line each


@pytest.fixture(scope="module")
def linter() -> Path:
    if not LINTER.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (.ci/run installs markdownlint-cli2)")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(FOLDER), f"markdownlint-cli2@{VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return LINTER


def test_every_markdown_export_passes_markdownlint_cli2(linter, tmp_path):
    from cxculture.cli import main

    args = kinds(tmp_path)
    names = []
    for kind in formats.KINDS:
        for lang in LANGS:
            target = tmp_path / f"{kind}-{lang}.md"
            assert main([str(a) for a in (*args[kind], "--lang", lang, "--export", target)]) == 0
            names.append(target.name)
            if lang == "fr":
                prose = [line for line in target.read_text(encoding="utf-8").splitlines() if "---" not in line]
                assert not [line for line in prose if re.search(r" [:;?!»]", line)]
    (tmp_path / ".markdownlint-cli2.jsonc").write_text(json.dumps(CONFIG), encoding="utf-8")
    done = subprocess.run([str(linter), *names], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Linting: {len(names)} file(s)" in done.stdout + done.stderr
