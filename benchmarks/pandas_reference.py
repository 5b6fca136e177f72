"""The pandas script an analyst would write for a survey's synthesis: the reference of ``big_survey.py``.

Run: pip install -r benchmarks/requirements-reference.txt, then
python benchmarks/pandas_reference.py EXPORT.csv MODEL.json

MODEL.json (``big_survey.py`` writes it from the tool's content) gives what
the analyst would know: each label's value, the statements of each focus area
and the move it unlocks, the reversed ones, the thresholds. Prints the level
distribution, the focus-area means and each segment's, as JSON.
"""

import json
import sys

import pandas as pd

export = sys.argv[1]
with open(sys.argv[2], encoding="utf-8") as given:
    model = json.load(given)
frame = pd.read_csv(export, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
ids = model["statements"]
answers = frame[ids].apply(lambda column: column.map(model["labels"])).astype("float64")  # unknown words: NaN
answers[model["reversed"]] = 6 - answers[model["reversed"]]
counted = answers.notna().sum(axis=1) * 1_000_000 >= round(model["participant_min"] * 1_000_000) * len(ids)
answers, frame = answers[counted], frame[counted]
scores, met = pd.DataFrame(index=answers.index), pd.DataFrame(index=answers.index)
for area in model["areas"]:
    own = answers[area["statements"]]
    enough = own.notna().sum(axis=1) * 1_000_000 >= round(model["area_min"] * 1_000_000) * len(area["statements"])
    scores[area["id"]] = own.mean(axis=1).where(enough)
    met[area["id"]] = scores[area["id"]] >= model["threshold"]
level = pd.Series(1, index=answers.index)
going = pd.Series(True, index=answers.index)
for move in sorted({area["unlocks"] for area in model["areas"]}):
    going &= met[[a["id"] for a in model["areas"] if a["unlocks"] == move]].all(axis=1)
    level += going
scores["segment"] = frame["segment"].str.strip()
print(
    json.dumps(
        {
            "participants": len(level),
            "levels": {str(n): int((level == n).sum()) for n in range(1, 6)},
            "focus_areas": scores.drop(columns="segment").mean().to_dict(),
            "segments": scores.groupby("segment").mean().to_dict(orient="index"),
        }
    )
)
