"""Start-up benchmark: median wall time of cxculture commands against ``import typer``.

Plain stdlib. Runs each command and the baseline alternately, several rounds,
in the same environment, then prints medians and ratios to the baseline.

    python benchmarks/startup.py [--rounds 15]

Run it with the interpreter where cxculture is installed. The content cache is
warmed first (as after any first run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"--help": 1.3, "guide --level 3": 1.5, "assess --answers FILE --no-save --format json": 1.6}


def answers_file(folder: Path) -> Path:
    from cxculture.answers import question_ids
    from cxculture.loading import Content

    ids = question_ids(Content().questionnaire)
    path = folder / "answers.json"
    path.write_text(json.dumps({"org": "Bench", "answers": dict.fromkeys(ids, 4)}), encoding="utf-8")
    return path


def commands(answers: Path) -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("cxculture")  # the command users type
    cx = [str(script)] if script.exists() else [sys.executable, "-m", "cxculture"]
    return {
        "python -c 'import typer' (baseline)": [sys.executable, "-c", "import typer"],
        "--help": [*cx, "--help"],
        "guide --level 3": [*cx, "guide", "--level", "3"],
        "assess --answers FILE --no-save --format json": [
            *cx,
            "assess",
            "--answers",
            str(answers),
            "--no-save",
            "--format",
            "json",
        ],
    }


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CXCULTURE_CACHE_DIR=str(Path(tmp) / "cache"), CXCULTURE_LANG="en")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, not on every start
        runs = commands(answers_file(Path(tmp)))
        for argv in runs.values():  # warm the content cache and the OS file cache
            timed(argv, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, argv in runs.items():
                times[name].append(timed(argv, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = next(iter(medians.values()))
    print(f"{'command':<48} {'median':>8} {'ratio':>6} {'goal':>6}")
    for name, median in medians.items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else ("  ok" if median / baseline <= goal else "  over")
        goal_text = f"≤{goal}" if goal else ""
        print(f"{name:<48} {median * 1000:6.0f}ms {median / baseline:6.2f} {goal_text:>6}{verdict}")


if __name__ == "__main__":
    main()
