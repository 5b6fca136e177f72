"""Benchmark (not a test): is each speed trick of the survey import worth keeping?

Run: python benchmarks/import_tricks.py [--dir FOLDER] [--rows N] [--runs N]

Imports the same generated CSV (N rows, default 100,000) into FOLDER (default:
/dev/shm when it exists, so that the disk's noise stays out) with three
variants, alternated run after run: as shipped; without the JSON template
(each file written by ``results.to_json`` of the ``Result`` record, as
``assess`` does); and with the garbage collector left on. Prints each
variant's times (min–max) and median. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = {
    "as shipped": "",
    "results.to_json instead of the template": """
from dataclasses import replace
from cxculture import results
from cxculture.answers import AnswerSet
from cxculture.survey import writing

def text(self, record):
    if self._score is None:
        self._score = writing.scoring.scorer(*self.scored_by)
    answers = {qid: record.get(qid) for qid in self.ids}
    given = AnswerSet(answers, record.get("org"), record.get("participant"), record.get("segment"))
    result = results.build(self._score(answers), given, self.ids, self.wave.lang, self.content_id)
    result = replace(result, created_at=record["created_at"], wave=self.wave.wave, wave_date=self.wave.date,
                     response=record["response"])
    return results.to_json(result)

_init = writing.Rows.__init__
def init(self, content, *args):
    _init(self, content, *args)
    self.content_id = content.content_id
writing.Rows.__init__ = init
writing.Rows.text = text
""",
    "garbage collector on": """
import gc
gc.disable = lambda: None
""",
}


def make_csv(path: Path, rows: int) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cxculture", "questions", "--format", "json"], capture_output=True, text=True, check=True
    ).stdout
    import json

    ids = [q["id"] for q in json.loads(out)]
    rng = random.Random(2)
    labels = ["1", "2", "3", "4", "5", "Plutôt d'accord", "Agree", "Don't know", ""]
    lines = [";".join(["participant", "segment", *ids])]
    for i in range(rows):
        answers = [rng.choice(labels) for _ in ids[:-1]]
        lines.append(";".join([f"Person {i}", rng.choice(["leaders", "managers"]), *answers, str(rng.randint(1, 5))]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(prelude: str, csv: Path, out: Path) -> float:
    code = prelude + "\nimport sys\nfrom cxculture.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, "import", str(csv), "--out", str(out)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    shutil.rmtree(out)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shm = Path("/dev/shm")
    parser.add_argument("--dir", type=Path, default=shm if shm.is_dir() else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.dir is not None:  # a folder asked for that is not there yet
        args.dir.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cxculture-tricks-", dir=args.dir))
    try:
        csv = data / "big.csv"
        make_csv(csv, args.rows)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), {args.rows:,} rows, data in {data}")
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.runs):
            for name, prelude in VARIANTS.items():
                times[name].append(timed(prelude, csv, data / "out"))
        for name, values in times.items():
            print(f"{name}: {min(values):.2f}–{max(values):.2f} s, median {statistics.median(values):.2f} s")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
