"""import: survey exports as the tools write them, imported with no MAP.yaml.

The fixtures are written here in the header shapes of Google Forms (FR and EN
grid titles, ``Horodateur``/``Timestamp``), Microsoft Forms (CSV and .xlsx,
its six metadata columns), Typeform (``#``, ``Submitted At``, ``Network ID``)
and SurveyMonkey (two header rows), in several encodings and separators.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime

import pytest

from cxculture import results
from helpers import CONTENT, IDS

QUESTIONNAIRE = CONTENT.questionnaire
STATEMENTS = QUESTIONNAIRE.statements
QUOTE = QUESTIONNAIRE.quote_question
SURVEY = CONTENT.survey
LABELS = {lang: {p.value: p.label(lang) for p in QUESTIONNAIRE.scale.points} for lang in ("fr", "en")}
PEOPLE = [  # (e-mail, name, segment, answer to statement k, quote level)
    ("ann@acme.example", "Ann Martin", "Managers", lambda k: 1 + k % 5, 2),
    ("bob@acme.example", "Bob Durand", "Terrain", lambda k: 5 - k % 5, None),
    ("cy@acme.example", "Cy Petit", "Managers", lambda k: 3, 4),
]


def quote_text(level: int | None, lang: str) -> str:
    if level is None:
        return QUOTE.none_of_these(lang)
    return CONTENT.levels.level(level).quotes[0].text(lang)


def grid(lang: str, statement) -> str:
    return f"{SURVEY.template.grid_prompt(lang)} [{statement.text(lang)}]"


def google_forms(lang: str) -> list[list[str]]:
    time = {"fr": "Horodateur", "en": "Timestamp"}[lang]
    mail = {"fr": "Adresse e-mail", "en": "Email Address"}[lang]
    header = [
        time,
        mail,
        SURVEY.template.segment_question(lang),
        *(grid(lang, s) for s in STATEMENTS),
        QUOTE.prompt(lang),
    ]
    stamps = {"fr": "12/03/2026 09:0{}:00", "en": "2026/07/29 9:0{}:00 AM UTC+3"}[lang]
    rows = [header]
    for i, (email, _, segment, answer, quote) in enumerate(PEOPLE):
        answers = [LABELS[lang][answer(k)] for k in range(len(STATEMENTS))]
        rows.append([stamps.format(i), email, segment, *answers, quote_text(quote, lang)])
    return rows


MS_META = {
    "fr": ["ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", "Heure de la dernière modification"],
    "en": ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
}


def microsoft_forms(lang: str, stamp=lambda i: f"12/03/2026 09:0{i}:00") -> list[list]:
    header = [*MS_META[lang], SURVEY.template.segment_question(lang), *(s.text(lang) for s in STATEMENTS)]
    rows: list[list] = [[*header, QUOTE.prompt(lang)]]
    for i, (email, name, segment, answer, quote) in enumerate(PEOPLE):
        answers = [str(answer(k)) if k % 2 else LABELS[lang][answer(k)] for k in range(len(STATEMENTS))]
        rows.append([str(i + 1), stamp(i), stamp(i), email, name, "", segment, *answers, quote_text(quote, lang)])
    return rows


def typeform(lang: str) -> list[list[str]]:
    header = ["#", SURVEY.template.segment_question(lang), *(s.text(lang) for s in STATEMENTS), QUOTE.prompt(lang)]
    rows = [[*header, "Submitted At", "Network ID"]]
    for i, (_, _, segment, answer, quote) in enumerate(PEOPLE):
        answers = [f"{answer(k)} - {LABELS[lang][answer(k)]}" for k in range(len(STATEMENTS))]
        token = f"tok{i}abc"
        rows.append([token, segment, *answers, quote_text(quote, lang), f"2026-03-12 09:0{i}:00", f"net{i}"])
    return rows


def surveymonkey(lang: str) -> list[list[str]]:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address"]
    meta += ["First Name", "Last Name", "Custom Data 1"]
    response = {"fr": "Réponse", "en": "Response"}[lang]
    prompts = [SURVEY.template.grid_prompt(lang)] + [""] * (len(STATEMENTS) - 1)
    top = [*meta, SURVEY.template.segment_question(lang), *prompts, QUOTE.prompt(lang)]
    below = [""] * len(meta) + [response, *(s.text(lang) for s in STATEMENTS), response]
    rows = [top, below]
    for i, (email, name, segment, answer, quote) in enumerate(PEOPLE):
        first, last = name.split()
        cells = [f"1100{i}", "42", "", f"03/12/2026 09:0{i}:00 AM", "10.0.0.1", email, first, last, ""]
        answers = [LABELS[lang][answer(k)] for k in range(len(STATEMENTS))]
        rows.append([*cells, segment, *answers, quote_text(quote, lang)])
    return rows


def write(path, rows, encoding="utf-8", sep=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def check_imported(out, *, created: list[str] | None = None):
    files = sorted(out.glob("*.json"), key=lambda p: results.load(p).created_at)
    assert len(files) == len(PEOPLE)
    loaded = [results.load(p) for p in files]
    for result, (email, name, segment, answer, quote) in zip(loaded, PEOPLE, strict=True):
        assert [result.answers[s.id] for s in STATEMENTS] == [answer(k) for k in range(len(STATEMENTS))]
        assert result.answers[QUOTE.id] == quote
        assert result.segment == segment and result.participant is None
        text = next(f for f in files if results.load(f) == result).read_text(encoding="utf-8")
        assert email not in text and name.split()[0] not in text and name.split()[1] not in text
    if created is not None:
        assert [r.created_at for r in loaded] == created
    return loaded


CASES = [
    ("google-fr", lambda: google_forms("fr"), "utf-8-sig", ","),
    ("google-fr-cp1252-semicolon", lambda: google_forms("fr"), "cp1252", ";"),
    ("google-en", lambda: google_forms("en"), "utf-8", ","),
    ("google-en-utf16-tab", lambda: google_forms("en"), "utf-16", "\t"),
    ("microsoft-fr-semicolon", lambda: microsoft_forms("fr"), "utf-8-sig", ";"),
    ("microsoft-en-utf16-tab", lambda: microsoft_forms("en", lambda i: f"3/12/26 9:0{i}:00"), "utf-16", "\t"),
    ("typeform-en", lambda: typeform("en"), "utf-8", ","),
    ("typeform-fr-tab", lambda: typeform("fr"), "utf-8", "\t"),
    ("surveymonkey-en", lambda: surveymonkey("en"), "utf-8", ","),
    ("surveymonkey-fr-cp1252", lambda: surveymonkey("fr"), "cp1252", ";"),
]


@pytest.mark.parametrize(("rows", "encoding", "sep"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exports_import_with_no_map(cx, tmp_path, rows, encoding, sep):
    export = write(tmp_path / "export.csv", rows(), encoding, sep)
    run = cx("import", export, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 0, run.err
    assert "3 new, 0 replaced, 0 unchanged, 0 rejected" in run.out
    assert ("Windows-1252" in run.err) == (encoding == "cp1252")
    check_imported(tmp_path / "out")


def test_dates_from_the_timestamp(cx, tmp_path):
    fr = write(tmp_path / "fr.csv", google_forms("fr"))
    assert cx("import", fr, "--out", tmp_path / "fr").code == 0
    local = [datetime(2026, 3, 12, 9, i).astimezone().isoformat() for i in range(3)]
    check_imported(tmp_path / "fr", created=local)
    en = write(tmp_path / "en.csv", google_forms("en"))
    assert cx("import", en, "--out", tmp_path / "en").code == 0
    check_imported(tmp_path / "en", created=[f"2026-07-29T09:0{i}:00+03:00" for i in range(3)])
    monkey = write(tmp_path / "sm.csv", surveymonkey("en"))  # month first, read as such
    assert cx("import", monkey, "--out", tmp_path / "sm").code == 0
    assert {r.created_at[:10] for r in check_imported(tmp_path / "sm")} == {"2026-03-12"}


def test_microsoft_forms_xlsx(cx, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in microsoft_forms("fr", lambda i: datetime(2026, 3, 12, 9, i)):
        sheet.append([int(c) if isinstance(c, str) and c.isdigit() else c for c in row])
    book.create_sheet("Autre")
    book.save(tmp_path / "forms.xlsx")
    run = cx("import", tmp_path / "forms.xlsx", "--out", tmp_path / "out", "--wave", "T0")
    assert run.code == 0, run.err
    loaded = check_imported(tmp_path / "out")
    assert [r.created_at[:16] for r in loaded] == [f"2026-03-12T09:0{i}" for i in range(3)]
    assert {r.response.partition("@")[0] for r in loaded} == {"id:1", "id:2", "id:3"}
    assert {r.wave for r in loaded} == {"T0"}
    run = cx("import", tmp_path / "forms.xlsx", "--out", tmp_path / "o2", "--sheet", "Nope")
    assert run.code == 2 and "'Nope'" in run.err and "Autre" in run.err


@pytest.mark.usefixtures("english")
def test_xlsx_bombs_are_refused(cx, tmp_path, monkeypatch):
    from cxculture.survey import xlsx

    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 1_000_000)  # the real bound is 1 GB: same check, smaller file
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 1_100_000)
    run = cx("import", bomb, "--out", tmp_path / "out")
    assert run.code == 2 and "expands to" in run.err
    laughs = tmp_path / "laughs.xlsx"
    openpyxl = pytest.importorskip("openpyxl")
    openpyxl.Workbook().save(laughs)
    entity = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(laughs) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    head, _, rest = sheet.partition("?>")
    parts["xl/worksheets/sheet1.xml"] = (head + "?>" + entity + rest).encode()
    with zipfile.ZipFile(laughs, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    run = cx("import", laughs, "--out", tmp_path / "out")
    assert run.code == 2 and "not a readable .xlsx" in run.err
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n1,2\n", encoding="utf-8")
    run = cx("import", fake, "--out", tmp_path / "out")
    assert run.code == 2 and "not a zip" in run.err


def test_synonyms_numbers_and_quote_texts(cx, tmp_path):
    ids = [s.id for s in STATEMENTS[:9]]
    header = ["participant", *ids, QUOTE.id]
    cells = ["Ne sait pas", "NSP", "Sans avis", "N/A", "D'accord", "5 - Tout à fait d'accord", "4.0", "2,0", "dk"]
    start = CONTENT.levels.level(3).quotes[0].text("en")[:30]
    rows = [
        header,
        ["a", *cells, f"« {quote_text(4, 'fr')} »"],
        ["b", *cells, start],
        ["c", *cells, "None of these"],
        ["d", *cells, "3"],
        ["e", "Bof", *cells[1:], "3"],
        ["f", "5 - Pas du tout d'accord", *cells[1:], "3"],
    ]
    export = write(tmp_path / "s.csv", rows)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("labels: {Bof: 3}\n", encoding="utf-8")
    run = cx("import", export, "--out", tmp_path / "out", "--map", mapping, "--lang", "en")
    assert run.code == 2 and "4 new" not in run.out and "1 rejected" in run.out
    assert f"row 7, column '{ids[0]}': \"5 - Pas du tout d'accord\"" in run.err
    found = {r.participant: r.answers for r in map(results.load, (tmp_path / "out").glob("*.json"))}
    assert [found["a"][i] for i in ids] == [None, None, None, None, 4, 5, 4, 2, None]
    assert [found[p][QUOTE.id] for p in "abcd"] == [4, 3, None, 3]
    assert found["e"][ids[0]] == 3


@pytest.mark.usefixtures("english")
def test_unknown_column_names_the_closest_question_and_print_map(cx, tmp_path):
    rows = google_forms("fr")
    rows[0][4] = rows[0][4].replace("organisation", "organisaton")[:-5] + "xyz]"
    rows[0].append("Commentaire libre")
    for row in rows[1:]:
        row.append("rien")
    export = write(tmp_path / "s.csv", rows)
    run = cx("import", export, "--out", tmp_path / "out")
    assert run.code == 2 and "'Commentaire libre'" in run.err and f"closest question: {STATEMENTS[1].id}" in run.err
    assert len(run.err.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
    printed = cx("import", export, "--print-map")
    assert printed.code == 0, printed.err
    import yaml

    data = yaml.safe_load(printed.out)
    assert data["columns"]["Horodateur"] == "timestamp" and "Adresse e-mail" in data["ignore"]
    assert f"# {json.dumps(rows[0][4], ensure_ascii=False)}: {STATEMENTS[1].id}" in printed.out
    edited = printed.out.replace(f"# {json.dumps(rows[0][4], ensure_ascii=False)}", json.dumps(rows[0][4]))
    edited = edited.replace("ignore:\n", 'ignore:\n  - "Commentaire libre"\n')
    (tmp_path / "map.yaml").write_text(edited, encoding="utf-8")
    run = cx("import", export, "--out", tmp_path / "out", "--map", tmp_path / "map.yaml")
    assert run.code == 0, run.err
    check_imported(tmp_path / "out")


def test_email_kept_only_when_mapped_to_participant(cx, tmp_path):
    export = write(tmp_path / "s.csv", google_forms("fr"))
    run = cx("import", export, "--out", tmp_path / "out", "--lang", "en")
    assert "Not stored (names, e-mails): 'Adresse e-mail'" in run.err
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {Adresse e-mail: participant}\n", encoding="utf-8")
    assert cx("import", export, "--out", tmp_path / "named", "--map", mapping).code == 0
    assert {results.load(p).participant for p in (tmp_path / "named").glob("*.json")} == {p[0] for p in PEOPLE}


def test_compare_orders_waves_by_their_date_whatever_the_order(cx, tmp_path):
    """T1 is imported first and given first; compare still goes T0 → T1, from folders or files."""
    low = [["ID", "participant", *IDS]] + [[str(i), f"p{i}", *["2"] * (len(IDS) - 1), ""] for i in range(3)]
    high = [["ID", "participant", *IDS]] + [[str(i), f"p{i}", *["5"] * (len(IDS) - 1), ""] for i in range(3)]
    t1, t0 = tmp_path / "t1", tmp_path / "t0"
    assert cx("import", write(tmp_path / "b.csv", high), "--out", t1, "--wave", "T1", "--date", "2026-09-15").code == 0
    assert cx("import", write(tmp_path / "a.csv", low), "--out", t0, "--wave", "T0", "--date", "2026-03-12").code == 0
    run = cx("compare", t1, t0, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert [f["wave"] for f in data["files"]] == [
        {"label": "T0", "date": "2026-03-12"},
        {"label": "T1", "date": "2026-09-15"},
    ]
    assert [f["kind"] for f in data["files"]] == ["folder", "folder"] and data["files"][0]["participants"] == 3
    assert data["level"]["before"] < data["level"]["after"]
    text = cx("compare", t1, t0, "--lang", "en")
    assert text.code == 0 and text.out.index("T0 · t0") < text.out.index("T1 · t1")
    # single result files of each wave, given in the wrong order
    files = [next(p for p in folder.glob("*.json") if results.load(p).participant == "p0") for folder in (t1, t0)]
    data = json.loads(cx("compare", *files, "--format", "json").out)
    assert [f["wave"]["label"] for f in data["files"]] == ["T0", "T1"]
    assert "wave T0, 2026-03-12" in cx("workshop", t0, "--lang", "en").out
    # workshop syntheses keep their wave
    for folder in (t1, t0):
        (tmp_path / f"{folder.name}.json").write_text(cx("workshop", folder, "--format", "json").out, encoding="utf-8")
    data = json.loads(cx("compare", tmp_path / "t1.json", tmp_path / "t0.json", "--format", "json").out)
    assert [f["wave"]["label"] for f in data["files"]] == ["T0", "T1"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_survey_template_round_trip(cx, tmp_path, lang):
    """What questions --format survey prints, pasted into a tool, comes back mapped with no MAP.yaml."""
    printed = cx("questions", "--format", "survey", "--lang", lang)
    assert printed.code == 0, printed.err
    blocks = [block.splitlines() for block in printed.out.strip().split("\n\n")]
    segment, grid_prompt, rows, columns, quote, choices = (b[1:] for b in blocks[1:])
    assert len(rows) == len(STATEMENTS) and len(columns) == 7 and len(choices) == 6
    # a Google Forms export of that form: grid titles "prompt [row]", answers taken from the columns and choices
    header = ["Timestamp", segment[0], *(f"{grid_prompt[0]} [{row}]" for row in rows), quote[0]]
    answers = [
        [f"2026/07/29 9:0{i}:00 AM UTC+3", "Ops", *(columns[(i + k) % 7] for k in range(len(rows))), choices[i]]
        for i in range(6)
    ]
    export = write(tmp_path / "google.csv", [header, *answers])
    run = cx("import", export, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 0, run.err
    assert "No column for" not in run.err and "6 new" in run.out
    loaded = sorted(map(results.load, (tmp_path / "out").glob("*.json")), key=lambda r: r.created_at)
    scale = [1, 2, 3, 4, 5, None, None]  # don't know, doesn't apply
    for i, result in enumerate(loaded):
        assert [result.answers[s.id] for s in STATEMENTS] == [scale[(i + k) % 7] for k in range(len(rows))]
        assert result.answers[QUOTE.id] == [1, 2, 3, 4, 5, None][i] and result.segment == "Ops"
    # a Microsoft Forms export of it: one column per statement, titled with the row's text
    header = [*MS_META[lang], segment[0], *rows, quote[0]]
    export = write(
        tmp_path / "ms.csv", [header, ["1", "", "", "", "", "", "Ops", *columns[:1] * len(rows), choices[0]]]
    )
    run = cx("import", export, "--out", tmp_path / "ms", "--lang", "en")
    assert run.code == 0 and "No column for" not in run.err, run.err


def test_anonymous_import_stores_no_participant(cx, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {Adresse e-mail: participant}\n", encoding="utf-8")
    export = write(tmp_path / "s.csv", google_forms("fr"))
    run = cx("import", export, "--out", tmp_path / "out", "--map", mapping, "--anonymous", "--lang", "en")
    assert run.code == 0 and "Not stored (names, e-mails): 'Adresse e-mail'" in run.err
    files = list((tmp_path / "out").glob("*.json"))
    assert len(files) == 3 and all("@" not in f.read_text(encoding="utf-8") for f in files)


def test_two_forms_numbering_their_responses_alike_never_replace_each_other(cx, tmp_path):
    """Microsoft Forms numbers every form's responses 1, 2, 3…: a second survey is new, not a correction."""
    first = write(tmp_path / "t0.csv", microsoft_forms("fr"))
    second = write(tmp_path / "t1.csv", microsoft_forms("fr", lambda i: f"15/09/2026 10:0{i}:00"))
    out = tmp_path / "out"
    assert "3 new, 0 replaced, 0 unchanged, 0 rejected" in cx("import", first, "--out", out, "--lang", "en").out
    run = cx("import", second, "--out", out, "--lang", "en")
    assert run.code == 0, run.err
    assert "3 new, 0 replaced, 0 unchanged, 0 rejected" in run.out
    assert len(list(out.glob("*.json"))) == 2 * len(PEOPLE)
    again = cx("import", first, "--out", out, "--lang", "en")
    assert "0 new, 0 replaced, 3 unchanged, 0 rejected" in again.out
