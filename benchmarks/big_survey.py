"""Benchmark (not a test): a big survey export to the workshop JSON, the tool against the pandas script.

Run: python benchmarks/big_survey.py [--rows 100000 1000000] [--python PANDAS_PYTHON] [--dir FOLDER] [--keep]
[--runs 3] [--wave-up-to 1000000]

Generates French ``;`` exports (a BOM, the scale's labels in both languages,
numbers, "NSP", blanks; participant, segment and org columns) of each size,
then runs, each in a process of its own, ``cxculture workshop EXPORT.csv
--by-segment --format json``, ``benchmarks/pandas_reference.py`` (with
``--python``, a Python that has ``requirements-reference.txt``), ``cxculture
import EXPORT.csv --out WAVE.jsonl`` (a new wave file each run) and, up to
``--wave-up-to`` rows, ``cxculture workshop WAVE.jsonl``; it prints side by
side their wall time and peak memory (the child's maximum resident set), and
whether all found the same level distribution. Goals on a 2-core machine:
100,000 rows ≤ 1.0× the pandas script; 1,000,000 rows ≤ 10 s and ≤ 1 GB, to
the workshop JSON and into one wave file. Asserts nothing.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Runs a command and prints its wall time and its peak memory (the largest child's maximum resident set, in KiB).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:] if done.returncode else "")
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


LABELS = {
    "tool": "workshop EXPORT.csv",
    "pandas": "pandas script",
    "import": "import EXPORT --out WAVE.jsonl",
    "wave": "workshop WAVE.jsonl",
}


def model() -> dict[str, object]:
    """What the analyst knows of the questionnaire, from the tool's own content (for pandas_reference.py)."""
    from cxculture.loading import Content

    content = Content()
    questionnaire = content.questionnaire
    scale = questionnaire.scale
    labels: dict[str, float | None] = {str(p.value): p.value for p in scale.points}
    for point in scale.points:
        labels |= dict.fromkeys((*point.label.every(), *point.aliases), point.value)
    labels |= {"NSP": None, "Je ne sais pas": None, "Don't know": None, "": None}
    return {
        "statements": [s.id for s in questionnaire.statements],
        "reversed": [s.id for s in questionnaire.statements if s.reverse],
        "areas": [
            {
                "id": area.id,
                "unlocks": unlocks,
                "statements": [s.id for s in questionnaire.statements if s.focus_area == area.id],
            }
            for unlocks, area in content.levels.focus_areas()
        ],
        "labels": labels,
        "threshold": scale.met_threshold,
        "area_min": scale.area_min_answered,
        "participant_min": scale.participant_min_answered,
        "quote": questionnaire.quote_question.id,
    }


def make_export(path: Path, rows: int, about: dict[str, object]) -> None:
    """A French Excel-style export: BOM, ';', labels in both languages, numbers and blanks."""
    rng = random.Random(rows)
    words = [w for w in about["labels"] if w] + ["", "", "NSP"]  # type: ignore[union-attr]
    statements: list[str] = about["statements"]  # type: ignore[assignment]
    segments = ["Direction", "Managers", "Terrain", "Siège", "Support client"]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff" + ";".join(["participant", "segment", "org", *statements, str(about["quote"])]) + "\n")
        for n in range(rows):
            answers = ";".join(rng.choice(words) for _ in statements)
            out.write(f"Personne {n};{rng.choice(segments)};Acme;{answers};{rng.randint(1, 5)}\n")


def measure(command: list[str], output: Path) -> tuple[float, int]:
    """Wall time (s) and peak memory (MiB) of ``command`` run in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *command], capture_output=True, text=True, check=True
    )
    elapsed, peak, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{command[:3]} failed (exit {code}): {done.stderr}")
    return float(elapsed), int(peak) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--python", default=sys.executable, help="a Python with requirements-reference.txt")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (the range is printed)")
    parser.add_argument("--dir", type=Path, help="where to generate the data (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument("--wave-up-to", type=int, default=1_000_000, help="time workshop WAVE.jsonl up to this size")
    args = parser.parse_args()
    if args.dir is not None:  # a folder asked for that is not there yet
        args.dir.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cxculture-big-", dir=args.dir))
    try:
        run(data, args.rows, args.python, args.runs, args.wave_up_to)
    finally:
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


def run(data: Path, sizes: list[int], python: str, runs: int, wave_up_to: int) -> None:
    about = model()
    (data / "model.json").write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "cxculture", "levels"], capture_output=True, check=True)  # warm cache
    for rows in sizes:
        export = data / f"export-{rows}.csv"
        make_export(export, rows, about)
        tool = [sys.executable, "-m", "cxculture", "workshop", str(export), "--by-segment", "--format", "json"]
        tool += ["--date", "2026-03-12"]
        pandas = [python, str(HERE / "pandas_reference.py"), str(export), str(data / "model.json")]
        wave = data / f"wave-{rows}.jsonl"
        into_wave = [sys.executable, "-m", "cxculture", "import", str(export), "--out", str(wave)]
        into_wave += ["--date", "2026-03-12"]
        of_wave = [sys.executable, "-m", "cxculture", "workshop", str(wave), "--by-segment", "--format", "json"]
        times: dict[str, list[tuple[float, int]]] = {"tool": [], "pandas": [], "import": [], "wave": []}
        for _ in range(runs):  # paired: one of each in turn
            times["tool"].append(measure(tool, data / "tool.json"))
            times["pandas"].append(measure(pandas, data / "pandas.json"))
            wave.unlink(missing_ok=True)
            os.sync()  # the last run's 2.2 GB file freed on disk before the clock starts, not during the import
            times["import"].append(measure(into_wave, data / "import.txt"))
            if rows <= wave_up_to:  # the wave files' engine (wave_columns) reads 1,000,000 lines in flat memory
                times["wave"].append(measure(of_wave, data / "wave.json"))
        outputs = ["tool.json", "pandas.json", *(["wave.json"] if times["wave"] else [])]
        levels = [json.loads((data / name).read_text())["levels"] for name in outputs]
        same = all(found == levels[0] for found in levels)
        size, wave_size = export.stat().st_size / 1e6, wave.stat().st_size / 1e6
        print(f"{rows:,} rows ({size:.0f} MB), {runs} paired runs; same level distribution: {'yes' if same else 'NO'}")
        for name, found in times.items():
            if not found:
                continue
            seconds = sorted(t for t, _ in found)
            peaks = sorted(m for _, m in found)
            print(
                f"  {LABELS[name]:31s} {seconds[0]:.2f}–{seconds[-1]:.2f} s (median {seconds[len(seconds) // 2]:.2f}), "
                f"peak {peaks[0]}–{peaks[-1]} MiB"
            )
        print(f"  (the wave file: {wave_size:.0f} MB)")
        ratio = sorted(t for t, _ in times["tool"])[runs // 2] / sorted(t for t, _ in times["pandas"])[runs // 2]
        print(f"  tool / pandas (medians): {ratio:.2f}×")


if __name__ == "__main__":
    main()
