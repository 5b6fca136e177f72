"""Export benchmark: a 300-participant workshop written as HTML and as a PowerPoint deck.

Plain stdlib (plus cxculture). Makes 300 result files (random answers, four
segments) in a temporary folder, then times, several rounds each:

- the whole command as a user runs it (``cxculture workshop DIR --by-segment
  --export report.html`` / ``deck.pptx``), wall time of the process;
- the rendering alone (figures already computed), in this process.

    python benchmarks/export.py [--rounds 5] [--people 300]

Goal: each export ≤ 1 s on the project's machine. Figures vary with the load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.0


def make_results(folder: Path, people: int) -> None:
    from cxculture import results, session
    from cxculture.answers import AnswerSet, question_ids
    from cxculture.loading import Content

    content = Content()
    ids = question_ids(content.questionnaire)
    chance = random.Random(13)
    for n in range(people):
        answers = {qid: chance.choice([1, 2, 3, 4, 5, None]) for qid in ids}
        segment = ["leaders", "managers", "frontline", "support"][n % 4]
        result, _ = session.score(content, AnswerSet(answers, "Acme", None, segment), "fr")
        results.save(result, folder)


def command_times(folder: Path, suffix: str, rounds: int) -> list[float]:
    script = Path(sys.executable).with_name("cxculture")
    cx = [str(script)] if script.exists() else [sys.executable, "-m", "cxculture"]
    times = []
    for n in range(rounds):
        target = folder.parent / f"out-{n}{suffix}"
        start = time.perf_counter()
        subprocess.run(
            [*cx, "workshop", str(folder), "--by-segment", "--lang", "fr", "--export", str(target), "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def render_times(folder: Path, fmt: str, rounds: int) -> list[float]:
    from cxculture import documents, formats
    from cxculture import workshop as group
    from cxculture.loading import Content

    content = Content()
    files, _ = group.collect([folder])
    figures = group.synthesis(group.read_all(files, content), content, True)
    t = content.speaker("fr")
    times = []
    for _ in range(rounds):
        subject = formats.Subject(
            "workshop", "fr", content, figures, lambda: documents.workshop(content, figures, "fr", t)
        )
        start = time.perf_counter()
        formats.render(subject, fmt)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--people", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "results"
        make_results(folder, options.people)
        for fmt, suffix in (("html", ".html"), ("pptx", ".pptx")):
            render_times(folder, fmt, 1)  # warm: templates compiled, libraries imported
            rendering = render_times(folder, fmt, options.rounds)
            whole = command_times(folder, suffix, options.rounds)
            print(
                f"{fmt:5} {options.people} participants: whole command median {statistics.median(whole):.2f} s "
                f"(min {min(whole):.2f}, max {max(whole):.2f}; goal ≤ {GOAL:.1f} s), "
                f"rendering alone median {statistics.median(rendering) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
