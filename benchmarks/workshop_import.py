"""Benchmark (not a test): workshop over 10,000 result files, import of a 100,000-row CSV, wave files.

Run: python benchmarks/workshop_import.py [--dir FOLDER] [--keep]

Generates the data in FOLDER (default: a new folder in the system's temporary
folder), then times, as a user would run them, ``python -m cxculture workshop
DIR --format json``, ``python -m cxculture import big.csv --out DIR``, the same
import into one wave file (``--out big.jsonl``) and ``workshop big.jsonl``.
Creating 100,000 files costs what the file system makes it cost, so the import
line also gives the floor: plain Python creating as many files of the same size
in the same folder. Goals on a 2-core machine: workshop of 10,000 files ≤ 1 s,
import ≤ 3 s. Prints wall times and peak memory (the largest process);
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = 10_000
ROWS = 100_000


def question_ids() -> tuple[list[str], str]:
    out = subprocess.run(
        [sys.executable, "-m", "cxculture", "questions", "--format", "json"], capture_output=True, text=True, check=True
    ).stdout
    ids = [q["id"] for q in json.loads(out)]
    return ids[:-1], ids[-1]


def make_results(folder: Path, statements: list[str], quote: str) -> None:
    """10,000 result files, imported through the tool from a generated survey."""
    csv = folder.parent / "seed.csv"
    lines = [",".join(["participant", "segment", *statements, quote])]
    rng = random.Random(1)
    for i in range(RESULTS):
        answers = [str(rng.choice([1, 2, 3, 4, 5, 3, 4, ""])) for _ in statements]
        lines.append(
            ",".join([f"p{i}", rng.choice(["leaders", "managers", "frontline", ""]), *answers, str(rng.randint(1, 5))])
        )
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "cxculture", "import", str(csv), "--out", str(folder)], check=True, capture_output=True
    )


def make_csv(path: Path, statements: list[str], quote: str) -> None:
    """A French Excel-style export: BOM, ';', labels in both languages, numbers and blanks."""
    rng = random.Random(2)
    labels = ["1", "2", "3", "4", "5", "Plutôt d'accord", "Agree", "Don't know", ""]
    lines = [";".join(["participant", "segment", "org", *statements, quote])]
    for i in range(ROWS):
        lines.append(
            ";".join(
                [
                    f"Person {i}",
                    rng.choice(["leaders", "managers", "frontline"]),
                    "Acme",
                    *(rng.choice(labels) for _ in statements),
                    str(rng.randint(1, 5)),
                ]
            )
        )
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def timed(*args: str) -> float:
    return measured(*args)[0]


def measured(*args: str) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of ``python -m cxculture ARGS``."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "cxculture", *args], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        if child.returncode != 0:
            err.seek(0)
            print(err.read()[-2000:].decode(errors="replace"), file=sys.stderr)
            raise SystemExit(f"cxculture {args[0]} failed (exit {child.returncode})")
    return elapsed, usage.ru_maxrss / 1024  # kB on Linux


def file_creation_floor(folder: Path, count: int, size: int) -> float:
    """Plain Python creating ``count`` new files of ``size`` bytes in a new folder."""
    folder.mkdir()
    data = b"x" * size
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    start = time.perf_counter()
    for n in range(count):
        handle = os.open(folder / f"f{n}.json", flags, 0o666)
        os.write(handle, data)
        os.close(handle)
    return time.perf_counter() - start


def compiled_once(folder: Path) -> None:
    """Let the timed runs keep their modules' bytecode (in ``folder``), as an installed wheel has it.

    Without it, under ``PYTHONDONTWRITEBYTECODE`` and an editable install,
    every run compiles every module it imports again (about 0.1–0.3 s).
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


def settle() -> None:
    """Let the disk write back the previous step, so that steps do not pay for each other."""
    if hasattr(os, "sync"):
        os.sync()
    time.sleep(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to generate the data (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    args = parser.parse_args()
    if args.dir is not None:  # a folder asked for that is not there yet
        args.dir.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cxculture-bench-", dir=args.dir))
    try:
        run(data)
    finally:
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


def run(data: Path) -> None:
    statements, quote = question_ids()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), data in {data}")
    make_results(data / "results", statements, quote)
    make_csv(data / "big.csv", statements, quote)
    compiled_once(data / "pycache")
    timed("levels")  # warm the content cache, as a user's second run would be
    settle()
    args = ("workshop", str(data / "results"), "--format", "json")
    timed(*args)  # the modules' bytecode and the files in the page cache, as a user's second run would have them
    runs = sorted(measured(*args) for _ in range(3))
    print(
        f"workshop, {RESULTS:,} files, --format json: {runs[1][0]:.2f} s (median of 3; best {runs[0][0]:.2f} s), "
        f"{max(memory for _, memory in runs):.0f} MB (goal ≤ 1 s)"
    )
    settle()
    imported = timed("import", str(data / "big.csv"), "--out", str(data / "imported"))
    size = round(sum(p.stat().st_size for p in (data / "imported").iterdir()) / ROWS)
    settle()
    floor = file_creation_floor(data / "floor", ROWS, size)
    print(
        f"import, {ROWS:,} rows: {imported:.2f} s (goal ≤ 3 s); "
        f"creating {ROWS:,} files of {size} bytes there takes {floor:.2f} s by itself"
    )
    settle()
    wave = str(data / "big.jsonl")
    into_wave, memory = measured("import", str(data / "big.csv"), "--out", wave)
    print(f"import, {ROWS:,} rows, into one wave file: {into_wave:.2f} s, {memory:.0f} MB")
    settle()
    read_wave, memory = measured("workshop", wave, "--format", "json")
    print(f"workshop, a wave file of {ROWS:,} results, --format json: {read_wave:.2f} s, {memory:.0f} MB")


if __name__ == "__main__":
    main()
