"""Benchmark (not a test): workshop over 10,000 result files, import of a 100,000-row CSV.

Run: python benchmarks/workshop_import.py [--keep]

Generates the data under benchmarks/data/ (git-ignored), then times, as a user
would run them, ``python -m cxculture workshop DIR --format json`` and
``python -m cxculture import big.csv --out DIR``. Goals on a 2-core machine:
workshop ≤ 2 s, import ≤ 3 s. Prints wall times; asserts nothing.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
RESULTS = 10_000
ROWS = 100_000


def question_ids() -> tuple[list[str], str]:
    out = subprocess.run([sys.executable, "-m", "cxculture", "questions", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    ids = [q["id"] for q in json.loads(out)]
    return ids[:-1], ids[-1]


def make_results(folder: Path, statements: list[str], quote: str) -> None:
    """10,000 result files: one imported through the tool, then copied with other answers."""
    csv = folder.parent / "seed.csv"
    lines = [",".join(["participant", "segment", *statements, quote])]
    rng = random.Random(1)
    for i in range(RESULTS):
        answers = [str(rng.choice([1, 2, 3, 4, 5, 3, 4, ""])) for _ in statements]
        lines.append(",".join([f"p{i}", rng.choice(["leaders", "managers", "frontline", ""]), *answers,
                               str(rng.randint(1, 5))]))
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "cxculture", "import", str(csv), "--out", str(folder)],
                   check=True, capture_output=True)


def make_csv(path: Path, statements: list[str], quote: str) -> None:
    rng = random.Random(2)
    labels = ["1", "2", "3", "4", "5", "Plutôt d'accord", "Agree", "Don't know", ""]
    lines = [";".join(["participant", "segment", "org", *statements, quote])]
    for i in range(ROWS):
        lines.append(";".join([f"Person {i}", rng.choice(["leaders", "managers", "frontline"]), "Acme",
                               *(rng.choice(labels) for _ in statements), str(rng.randint(1, 5))]))
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def timed(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cxculture", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"cxculture {args[0]} failed (exit {done.returncode})")
    return elapsed


def main() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    statements, quote = question_ids()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    print(f"generating {RESULTS:,} result files and a {ROWS:,}-row CSV in {DATA} …")
    make_results(DATA / "results", statements, quote)
    make_csv(DATA / "big.csv", statements, quote)
    timed("levels")  # warm the content cache, as a user's second run would be
    workshop = timed("workshop", str(DATA / "results"), "--format", "json")
    print(f"workshop, {RESULTS:,} files, --format json: {workshop:.2f} s (goal ≤ 2 s)")
    imported = timed("import", str(DATA / "big.csv"), "--out", str(DATA / "imported"))
    print(f"import, {ROWS:,} rows: {imported:.2f} s (goal ≤ 3 s)")
    if "--keep" not in sys.argv:
        shutil.rmtree(DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
