"""Shared fixtures: run the real CLI, in this process or as a subprocess; the content cache kept apart.

Shared constants and builders live in ``helpers.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from cxculture.cli import main
from cxculture.loading import Content, shipped_folder

_SESSION_CACHE = Path(tempfile.mkdtemp(prefix="cxculture-test-cache-"))


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is collected: what they load at import time is cached here, not in ~/.cache."""
    os.environ["CXCULTURE_CACHE_DIR"] = str(_SESSION_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@dataclass
class Run:
    code: int
    out: str
    err: str


def clean_env(**extra: str) -> dict[str, str]:
    """A neutral environment for a subprocess; its content cache is the test session's, not the user's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CXCULTURE_", "LC_", "LANG"))}
    if "CXCULTURE_LANG" in os.environ:  # set by the test itself (``english``): the tests' environment is neutral
        env["CXCULTURE_LANG"] = os.environ["CXCULTURE_LANG"]
    env.update({"NO_COLOR": "1", "COLUMNS": "80", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    env["CXCULTURE_CACHE_DIR"] = str(_SESSION_CACHE)
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder and a neutral environment."""
    for name in list(os.environ):
        if name.startswith(("CXCULTURE_", "LC_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def english(monkeypatch):
    """Messages in English, for tests that read their words (with no --lang, the tests' language is French)."""
    monkeypatch.setenv("CXCULTURE_LANG", "en")


@pytest.fixture
def cx(capsys):
    """Run ``cxculture ARGS`` in this process; returns code, stdout, stderr."""

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_subprocess(
    *args: str, cwd: Path | None = None, env: dict | None = None, stdin: str = "", max_file_bytes: int | None = None
) -> Run:
    """Run ``python -m cxculture ARGS`` as a user would, in a separate process.

    ``max_file_bytes`` makes every write past that size fail (as on a full disk).
    """
    done = subprocess.run(
        [sys.executable, "-m", "cxculture", *map(str, args)],
        preexec_fn=None if max_file_bytes is None else lambda: _limit_file_size(max_file_bytes),
        cwd=cwd,
        env=env or clean_env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _limit_file_size(size: int) -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the shipped content folder, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(shipped_folder(), target)
    return target


REVERSED = frozenset(s.id for s in Content().questionnaire.statements if s.reverse)


def as_answered(scores: dict) -> dict:
    """The answers that give these statement scores: reverse-worded statements turned round.

    Tests say "every statement at 4" in scores; a participant who means that
    answers 2 to a statement worded the other way round.
    """
    return {qid: 6 - value if qid in REVERSED and value is not None else value for qid, value in scores.items()}


# Debian's chromium, driven by Playwright (its own browser download cannot work here); .ci/run installs it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session; missing, the test is skipped — but fails in CI."""
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("chromium is installed by .ci/run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
