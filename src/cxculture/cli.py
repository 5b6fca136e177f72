"""The ``cxculture`` command line: declare commands, parse options, call, print, map errors to exit codes.

The work is done below, in ``service`` and the modules it calls; ``main``
gives each invocation a fresh ``service.Run`` as click's context object.
Heavy modules (questionary, Jinja2, pydantic, PyYAML) are imported inside
the commands that use them so that start-up stays fast.
(No ``from __future__ import annotations`` here: Typer would have to evaluate
every signature from strings at each start.)
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cxculture import __version__
from cxculture.errors import CxError, ExitCode
from cxculture.service import Run

if TYPE_CHECKING:  # annotations only (as strings: this module does not postpone them)
    from collections.abc import Callable
    from typing import Any

    from rich.console import RenderableType

    from cxculture.documents import Doc
    from cxculture.lang import Lang
    from cxculture.model import Result, Speaker
    from cxculture.progress import Track
    from cxculture.scoring import Scores
    from cxculture.survey import Report

app = typer.Typer(
    name="cxculture",
    help="Diagnose and grow the customer-centric culture of an organisation.\n\n"
    "Examples:\n\n"
    "  cxculture assess --org Acme\n\n"
    "  cxculture guide --level 3 --lang en\n\n"
    "  cxculture workshop results/ --export synthesis.md",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
content_app = typer.Typer(
    help="Check a content folder or print the JSON Schema of its files.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(content_app, name="content")


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="CODE",
        help="Language: a code the content declares in languages.yaml (default: $CXCULTURE_LANG, "
        "else the locale, else the content's default).",
    ),
]
MinGroupOption = Annotated[
    int,
    typer.Option(
        "--min-group",
        metavar="N",
        min=1,
        help="Segments with fewer participants show their head count only (anonymity).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the export file if it exists.")]
FORMAT_NAMES = "text|json|md|html"  # the registry's formats printable on stdout (cxculture.formats)
FormatOption = Annotated[str, typer.Option("--format", "-f", metavar=FORMAT_NAMES, help="Output format.")]
ExportOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        metavar="FILE",
        help="Also write the document to this file, in the format its extension names: .md, .html, .pptx, .json.",
    ),
]
MapOption = Annotated[
    Path | None, typer.Option("--map", metavar="MAP.yaml", help="Say which column is which (see import --print-map).")
]
OrgOption = Annotated[str | None, typer.Option("--org", help="The organisation, stored in every result.")]
WaveOption = Annotated[
    str | None, typer.Option("--wave", metavar="LABEL", help='The survey round, e.g. "T0" or "2026-S1".')
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD", help="The survey's date (responses without a timestamp get it)."),
]
DelimiterOption = Annotated[
    str | None, typer.Option("--delimiter", metavar="','|';'|tab", help="Force the CSV separator.")
]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", metavar="NAME", help="Force the CSV encoding, e.g. cp1252.")
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", metavar="NAME", help="The .xlsx sheet (default: the first).")
]
TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", metavar="BRAND.pptx", help="For a .pptx export: use this deck's masters and theme."),
]


def _version(value: bool) -> None:
    if value:
        print(f"cxculture {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    content: Annotated[
        Path | None,
        typer.Option("--content", metavar="DIR", help="Use this content folder instead of the shipped one."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")] = False,
    version: Annotated[  # noqa: ARG001 - handled by its eager callback
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    run: Run = ctx.obj
    run.content_dir, run.debug = content, debug


def _show(renderable: "RenderableType") -> None:
    from cxculture.views import screen

    screen.show(lambda: renderable)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise CxError(f"{option}: '{value}' is not accepted; use one of {', '.join(allowed)}")
    return value


def _level(value: str) -> int:
    from cxculture.loading import LEVEL_COUNT

    accepted = [str(n) for n in range(1, LEVEL_COUNT + 1)]
    if value.strip() not in accepted:
        raise CxError(f"--level: '{value}' is not a level; use {', '.join(accepted[:-1])} or {accepted[-1]}")
    return int(value)


def _print_json(data: object) -> None:
    import json

    from cxculture.text import json_safe

    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)) + "\n")


def _deliver(
    run: Run,
    kind: str,
    lang: "Lang",
    figures: object,
    build: "Callable[[], Doc]",
    fmt: str,
    export: Path | None,
    force: bool,
    **extra: "Any",
) -> None:
    """Hand a document to the registry of formats (``cxculture.formats``)."""
    from cxculture import formats

    subject = formats.Subject(kind, lang, run.content(), figures, build, **extra)
    formats.deliver(subject, fmt, export, force)


def _present(
    run: Run, figures: "Doc", kind: str, fmt: str, lang: "Lang", export: Path | None, force: bool, template: Path | None
) -> None:
    """Figures of a workshop or a comparison, through the registry of formats."""
    from cxculture import documents

    document = {"workshop": documents.workshop, "comparison": documents.comparison}[kind]

    def build() -> "Doc":
        return document(run.content(), figures, lang, run.say(lang))

    _deliver(run, kind, lang, figures, build, fmt, export, force, template=template)


@app.command()
def levels(ctx: typer.Context, lang: LangOption = None) -> None:
    """The five maturity levels in one table.

    Example: cxculture levels --lang en
    """
    from cxculture.service import screen_key
    from cxculture.views import screen

    run: Run = ctx.obj
    lang = run.lang(lang)
    content = run.content()

    def build() -> "RenderableType":
        from cxculture import documents
        from cxculture.views import terminal

        return terminal.levels_table(
            *terminal.for_screen(documents.levels_overview(content.levels, lang), run.say(lang))
        )

    screen.show(build, depends_on=screen_key(content, ("levels", "ui"), "levels", lang))


@app.command()
def guide(
    ctx: typer.Context,
    level: Annotated[str, typer.Option("--level", "-l", metavar="1-5", help="The level to show (1 to 5).")],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
) -> None:
    """A level: what it looks like, what people say, and how to reach the next one.

    Examples:

      cxculture guide --level 3

      cxculture guide --level 2 --lang en --format md > level-2.md

      cxculture guide -l 5 --format json
    """
    from cxculture import formats
    from cxculture.service import screen_key

    run: Run = ctx.obj
    number, lang = _level(level), run.lang(lang)
    formats.check_request(fmt, export, force=force, template=template)
    content = run.content()

    def build() -> "Doc":
        from cxculture import documents

        return documents.level_guide(content.levels, number, lang)

    key = screen_key(content, ("levels", "ui"), "guide", str(number), lang)
    _deliver(run, "guide", lang, None, build, fmt, export, force, screen_key=key, template=template)


@app.command()
def pillars(
    ctx: typer.Context,
    lang: LangOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json", help="Output format.")] = "text",
) -> None:
    """The second lens: six pillars, three values, four virtues, four customer conditions.

    Example: cxculture pillars --lang en
    """
    run: Run = ctx.obj
    lang = run.lang(lang)
    fmt = _choice(fmt, ("text", "json"), "--format")
    content = run.content()
    if fmt == "json":
        from cxculture import documents

        _print_json(documents.pillars_overview(content.pillars, lang))
        return
    from cxculture.service import screen_key
    from cxculture.views import screen

    def build() -> "RenderableType":
        from cxculture import documents
        from cxculture.views import terminal

        return terminal.pillars(*terminal.for_screen(documents.pillars_overview(content.pillars, lang), run.say(lang)))

    screen.show(build, depends_on=screen_key(content, ("pillars", "ui"), "pillars", lang))


@app.command()
def questions(
    ctx: typer.Context,
    lang: LangOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="table|json|survey", help="Output format (survey: to paste)."),
    ] = "table",
) -> None:
    """The questionnaire: every question id, its text and what it measures.

    --format survey prints what to paste into a survey tool (Google Forms,
    Microsoft Forms, Typeform, SurveyMonkey): its export is then imported
    with no MAP.yaml ('cxculture import').

    Examples:

      cxculture questions --lang en

      cxculture questions --format json > questions.json

      cxculture questions --format survey --lang fr > survey.txt
    """
    from cxculture import documents

    run: Run = ctx.obj
    lang = run.lang(lang)
    fmt = _choice(fmt, ("table", "json", "survey"), "--format")
    if fmt == "survey":
        sys.stdout.write(documents.survey_template(run.content(), lang, run.say(lang)))
        return
    rows = documents.questions(run.content(), lang)
    if fmt == "json":
        keys = ("id", "text", "focus_area", "pillar", "level", "reverse", "applies_to")
        _print_json([{k: row[k] for k in keys} for row in rows])
    else:
        from cxculture.views import terminal

        _show(terminal.questions_table(*terminal.for_screen(rows, run.say(lang))))


@app.command()
def assess(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="Organisation name (asked if not given).")] = None,
    participant: Annotated[
        str | None, typer.Option("--participant", help="Participant name (asked if not given).")
    ] = None,
    segment: Annotated[str | None, typer.Option("--segment", help="Group, e.g. leaders, managers, frontline.")] = None,
    lang: LangOption = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for result files.")] = Path(
        "cxculture-results"
    ),
    no_save: Annotated[bool, typer.Option("--no-save", help="Do not write a result file.")] = False,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Store no participant name (none is asked for).")
    ] = False,
    fmt: FormatOption = "text",
    answers: Annotated[
        Path | None,
        typer.Option("--answers", metavar="FILE", help="Take the answers from a YAML/JSON file (no prompts)."),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", metavar="FILE", help="Go on with a .partial.json file saved on Ctrl-C."),
    ] = None,
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    kiosk: Annotated[
        bool,
        typer.Option("--kiosk", help="One shared laptop: participants one after another, no names, no results shown."),
    ] = False,
    segments: Annotated[
        str | None,
        typer.Option("--segments", metavar="A,B,C", help="With --kiosk: groups participants choose from."),
    ] = None,
    show_report: Annotated[
        bool, typer.Option("--show-report", help="After the questions, show the full report, not the short result.")
    ] = False,
    show_areas: Annotated[
        bool, typer.Option("--show-areas", help="The progress line also names what each question measures.")
    ] = False,
    wave: Annotated[
        str | None, typer.Option("--wave", metavar="LABEL", help='With --kiosk: the survey round, e.g. "T0".')
    ] = None,
) -> None:
    """Answer the questionnaire and get the culture level, why, and what to do next.

    With --kiosk, the laptop is handed from one participant to the next: each
    answers by typing numbers, is thanked, and the screen is wiped; results
    are saved without names and not shown. Ctrl-C twice ends the kiosk.

    Examples:

      cxculture assess --org Acme --participant "Jo" --segment managers

      cxculture assess --kiosk --org Acme --segments "Direction,Managers,Terrain"

      cxculture assess --answers answers.yaml --format json --no-save

      cxculture assess --org Acme --segment managers --anonymous

      cxculture assess --resume cxculture-results/acme-jo-2026-11-23.partial.json
    """
    from cxculture import formats, session

    run: Run = ctx.obj
    if kiosk:
        _kiosk(run, org, out, lang, (segments, wave), participant, segment, answers, resume, no_save)
        return
    if segments is not None:
        raise CxError("--segments goes with --kiosk; for one participant, use --segment")
    if wave is not None:
        raise CxError("--wave goes with --kiosk (or room, or import)")
    formats.check_request(fmt, export, force=force, template=template)
    request = session.Request(
        lang=run.lang(lang) if lang is not None else None,
        org=org,
        participant=participant,
        segment=segment,
        answers_file=answers,
        resume_file=resume,
        out=out,
        anonymous=anonymous,
        show_areas=show_areas,
        save=not no_save,
    )
    content = run.content()
    given, lang = session.gather(content, request, warn=_warn)
    result, scores = session.score(content, given, lang)
    if anonymous:
        from cxculture.results import anonymous as without_name

        result = without_name(result)
    try:
        saved = session.finish(result, given, request)
    except CxError:  # not saved: the result is still shown, then the error naming where the answers are
        _show_result(run, result, scores, fmt, export, force, template)
        raise
    if saved is not None:
        _warn(run.say(lang)("note.saved", path=saved))
    if answers is None and fmt == "text" and export is None and not show_report:
        from cxculture.questionnaire import result_screen
        from cxculture.text import clean

        print(clean(result_screen(content, result, saved), newlines=True), flush=True)
        return
    _show_result(run, result, scores, fmt, export, force, template)


@app.command()
def room(
    ctx: typer.Context,
    org: Annotated[str, typer.Option("--org", metavar="NAME", help="Organisation name (written in every result).")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for result files.")] = Path(
        "cxculture-results"
    ),
    lang: LangOption = None,
    segments: Annotated[
        str | None,
        typer.Option("--segments", metavar="A,B,C", help='Groups participants choose from, e.g. "Direction,Managers".'),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option("--host", metavar="IP", help="Address to listen on (default: this laptop's LAN address)."),
    ] = None,
    port: Annotated[int, typer.Option("--port", metavar="N", help="Port to listen on (0: any free port).")] = 8765,
    show_results: Annotated[
        bool, typer.Option("--show-results", help="Show each participant their own level after sending.")
    ] = False,
    min_group: MinGroupOption = 5,
    wave: Annotated[
        str | None, typer.Option("--wave", metavar="LABEL", help='The survey round, e.g. "T0" or "2026-S1".')
    ] = None,
) -> None:
    """Open a private session that participants join from their phones (QR code).

    Participants on the same network open the URL shown (or scan the QR
    code), answer anonymously, and each answer becomes a result file in DIR.
    The terminal shows the answers arriving; Ctrl-C closes the session and
    prints the workshop command to run next. The answers stay on this laptop.

    Examples:

      cxculture room --org Acme

      cxculture room --org Acme --segments "Direction,Managers,Terrain" --out acme/

      cxculture room --org Acme --host 127.0.0.1 --port 9000
    """
    from cxculture.room import serve
    from cxculture.room.collect import Settings
    from cxculture.room.network import lan_address

    if not 0 <= port <= 65535:
        raise CxError(f"--port: {port} is not a port; use 1 to 65535 (0: any free port)")
    run: Run = ctx.obj
    settings = Settings(
        org=_room_org(org),
        out=out,
        segments=_segments(segments),
        show_results=show_results,
        min_group=min_group,
        wave=_wave(wave),
    )
    serve.run(run.content(), settings, run.lang(lang), host or lan_address(), port)


def _kiosk(
    run: Run, org: str | None, out: Path, lang: str | None, group: tuple[str | None, str | None], *alone: object
) -> None:
    from cxculture import kiosk
    from cxculture.room.collect import Settings

    if any(option not in (None, False) for option in alone):
        raise CxError("--kiosk takes --org, --segments, --wave, --out and --lang only (no names, no files of answers)")
    if org is None:
        raise CxError("--kiosk needs --org NAME")
    segments, wave = group
    settings = Settings(org=_room_org(org), out=out, segments=_segments(segments), source="kiosk", wave=_wave(wave))
    kiosk.run(run.content(), settings, run.lang(lang))


def _wave(wave: str | None) -> str | None:
    from cxculture.answers import check_name

    return None if wave is None else check_name(wave, "--wave")


def _room_org(org: str) -> str:
    if not org.strip() or len(org) > 200 or not org.isprintable():
        raise CxError("--org: give the organisation's name (printable, at most 200 characters)")
    return org.strip()


def _segments(option: str | None) -> tuple[str, ...]:
    if option is None:
        return ()
    names = tuple(dict.fromkeys(name.strip() for name in option.split(",") if name.strip()))
    if not names or len(names) > 20 or any(len(n) > 60 or not n.isprintable() for n in names):
        raise CxError('--segments: give 1 to 20 printable names of at most 60 characters, e.g. "Direction,Managers"')
    return names


@app.command()
def report(
    ctx: typer.Context,
    result_file: Annotated[Path, typer.Argument(metavar="RESULT.json", help="A result file saved by assess.")],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
) -> None:
    """Show a saved result again, re-scored with the current content.

    Examples:

      cxculture report cxculture-results/acme-jo-2026-11-23.json

      cxculture report acme-jo.json --lang en --export acme-jo.md
    """
    from cxculture import formats, service

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    result, scores = service.report(run, result_file, None if lang is None else run.lang(lang), note=_warn)
    _show_result(run, result, scores, fmt, export, force, template)


def _progress(run: Run, lang: "Lang") -> "Track":
    """A progress bar on stderr for long work, when it is a terminal (``progress``)."""
    from cxculture import progress

    return progress.on_stderr(run.say(lang))


def _warn(message: str) -> None:
    """One line on stderr; names and file names in it cannot carry control characters.

    A stderr that is gone (a closed terminal after SIGHUP) loses the message, not the exit code.
    """
    from contextlib import suppress

    from cxculture.text import clean

    with suppress(OSError, ValueError):
        print(f"cxculture: {clean(message)}", file=sys.stderr, flush=True)


def _show_result(
    run: Run,
    result: "Result",
    scores: "Scores",
    fmt: str,
    export: Path | None,
    force: bool,
    template: Path | None,
) -> None:
    from cxculture import documents
    from cxculture.results import to_dict

    def build() -> "Doc":
        return documents.assessment(run.content(), result, scores, run.say(result.lang))

    _deliver(run, "assessment", result.lang, to_dict(result), build, fmt, export, force, template=template)


@app.command()
def workshop(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", help="Result files, folders of result files, wave files (.jsonl)."),
    ],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    by_segment: Annotated[
        bool, typer.Option("--by-segment", help="Also show the figures per segment, side by side.")
    ] = False,
    min_group: MinGroupOption = 5,
    allow_mixed: Annotated[
        bool, typer.Option("--allow-mixed", help="Combine results of different organisations anyway.")
    ] = False,
    map_file: MapOption = None,
    org: OrgOption = None,
    wave: WaveOption = None,
    date: DateOption = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    """Combine a group's result files, or a survey export: group level, what is met for whom, what splits the group.

    A wave file (.jsonl, from 'import --out WAVE.jsonl') counts each of its
    lines as a result. Partial files (.partial.json) are skipped with a note;
    a file named twice (or also found in a folder) counts once. Results of different
    organisations are refused unless --allow-mixed. Participants who answered
    fewer than half of the statements are left out, with a note naming their
    files. Every result is re-scored with the current content; results made
    with other content (same questions) are combined with a note.

    Examples:

      cxculture workshop cxculture-results/

      cxculture workshop results/ --by-segment --min-group 5 --export synthesis.md

      cxculture workshop a.json b.json --format json > workshop.json

      cxculture workshop acme-t0.jsonl --export synthesis.html

    A survey export (.csv, .xlsx) is read directly, as 'import' reads it
    (the same --map, --delimiter, --encoding, --sheet, --org, --wave and
    --date, the same report of rejected rows, exit code 2 when a row was
    rejected), with no file written per response; large CSV exports are
    read by a column engine:

      cxculture workshop export.csv --by-segment --format json > workshop.json
    """
    from cxculture import formats, service
    from cxculture.survey.direct import is_export

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    lang = run.lang(lang)
    given = {"--map": map_file, "--org": org, "--wave": wave, "--date": date, "--delimiter": delimiter}
    given |= {"--encoding": encoding, "--sheet": sheet}
    if not is_export(paths):
        if any(value is not None for value in given.values()):
            used = next(name for name, value in given.items() if value is not None)
            raise CxError(f"{used} goes with a survey export (workshop EXPORT.csv|.xlsx), not with result files")
        track = _progress(run, lang)
        figures = service.workshop(run, paths, by_segment, min_group, allow_mixed, note=_warn, track=track)
        _present(run, figures, "workshop", fmt, lang, export, force, template)
        return
    from cxculture import survey as surveys
    from cxculture.survey.writing import Wave

    options = surveys.Options(map_file, surveys.delimiter_option(delimiter), encoding, sheet)
    wave_of = Wave(
        lang, surveys.name_option(org, "--org"), surveys.name_option(wave, "--wave"), surveys.date_option(date)
    )
    figures, report = service.workshop_export(
        run, paths[0], wave_of, options, by_segment, min_group, allow_mixed, note=_warn
    )
    _survey_notes(run.say(lang), report)
    if not figures:
        raise CxError(f"{paths[0]}: no row could be read; nothing to combine")
    _present(run, figures, "workshop", fmt, lang, export, force, template)
    if report.rejected:
        raise typer.Exit(ExitCode.BAD_INPUT)


@app.command()
def compare(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="BEFORE AFTER [MORE...]",
            help="Result files, workshop JSON files, folders of result files or wave files (.jsonl).",
        ),
    ],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    min_group: MinGroupOption = 5,
) -> None:
    """Compare results over time: level then → now, each focus area's and pillar's change.

    Give result files (saved by assess), workshop files (from 'workshop
    --format json'), or whole waves: folders of result files or wave files
    (.jsonl, from 'import --out'), each combined as 'workshop' does. They
    are put in time order by their wave's date, else their created_at when
    all have one, else kept in the order given. With three files or more, the
    trend of each focus area is shown. A file named twice counts once.
    Files of different organisations, or individual results of different
    participants, are refused unless --force. Syntheses made with
    --by-segment are compared segment by segment; segments of fewer than
    --min-group participants show their head count only.

    Examples:

      cxculture compare acme-jo-2025-01-10.json acme-jo-2026-01-12.json

      cxculture compare workshop-2025.json workshop-2026.json --export progress.md

      cxculture compare q1.json q2.json q3.json --format json

      cxculture compare acme-t0.jsonl acme-t1.jsonl --export progress.html
    """
    from cxculture import formats, service

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    lang = run.lang(lang)
    figures = service.compare(run, files, min_group, force, note=_warn)
    _present(run, figures, "comparison", fmt, lang, export, force, template)


@app.command("import")
def import_survey(
    ctx: typer.Context,
    survey: Annotated[Path, typer.Argument(metavar="EXPORT.csv|.xlsx", help="A survey export, one response per row.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR|WAVE.jsonl",
            help="Folder for the result files, or one wave file (a name ending in .jsonl).",
        ),
    ] = None,
    map_file: MapOption = None,
    print_map: Annotated[
        bool,
        typer.Option("--print-map", help="Print the columns as understood, as a MAP.yaml to edit; import nothing."),
    ] = False,
    org: OrgOption = None,
    wave: WaveOption = None,
    date: DateOption = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="Store no participant name, even from a participant column.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Turn a survey export (CSV or XLSX) into result files, one per response.

    Google Forms, Microsoft Forms, Typeform and SurveyMonkey exports are read
    as they come: columns titled with a question's text (in French or
    English; 'cxculture questions --format survey' prints what to paste into
    the survey tool), the tools' own columns (timestamp, response id…)
    recognised, e-mail and name columns never stored. --print-map shows what
    was understood as a MAP.yaml to edit and give with --map.

    Answers are 1 to 5, the scale's labels, usual synonyms ("D'accord", "NSP",
    "N/A"…); the quote question takes a quote's text or its level. A bad row
    is reported and skipped. Importing the same (or a corrected) export into
    the same folder again replaces those responses and adds only new ones.

    --out WAVE.jsonl keeps the whole wave in one file, one result per line
    (JSON Lines): faster and lighter past a few thousand responses. An
    existing wave file is updated as a folder would be: the same responses
    replaced (or kept when unchanged), the others kept, new ones added at
    the end; the file is replaced in one step, so an interrupted import
    leaves it as it was.

    Exit code: 0 when every row was imported, 2 when a row was rejected.

    Examples:

      cxculture import export.csv --out acme-t0/ --org Acme --wave T0

      cxculture import forms.xlsx --out acme-t1/ --wave T1 --date 2026-09-15

      cxculture import big-export.csv --out acme-t0.jsonl --wave T0

      cxculture import export.csv --print-map > map.yaml
    """
    from cxculture import survey as surveys
    from cxculture.survey.writing import Wave

    run: Run = ctx.obj
    lang = run.lang(lang)
    options = surveys.Options(map_file, surveys.delimiter_option(delimiter), encoding, sheet, anonymous)
    if print_map:
        sys.stdout.write(surveys.print_map(survey, run.content(), options))
        return
    if out is None:
        raise CxError(
            "--out is required (a folder for the result files, or a wave file WAVE.jsonl), unless --print-map"
        )
    wave_of = Wave(
        lang, surveys.name_option(org, "--org"), surveys.name_option(wave, "--wave"), surveys.date_option(date)
    )
    report = surveys.import_survey(survey, out, run.content(), wave_of, options, track=_progress(run, lang))
    t = run.say(lang)
    _survey_notes(t, report)
    counts = {k: getattr(report, k) for k in ("new", "replaced", "unchanged", "rejected")}
    print(t("import.summary", out=out, **counts))
    if report.rejected:
        raise typer.Exit(ExitCode.BAD_INPUT)


def _survey_notes(t: "Speaker", report: "Report") -> None:
    """What reading a survey export said: notes, columns not stored, questions without a column, rejected rows."""
    for note in report.notes:
        _warn(f"note: {note}")
    if report.private:
        _warn(t("import.private", columns=", ".join(repr(c) for c in report.private)))
    if report.unanswered:
        _warn(t("import.unanswered", ids=", ".join(report.unanswered)))
    for problem in report.problems:
        _warn(problem)


@content_app.command("check")
def content_check(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="Folder to check (default: --content or shipped).")
    ] = None,
) -> None:
    """Validate a content folder: every problem on its own line, or that it is fine.

    Examples:

      cxculture content check my-content/

      cxculture --content my-content/ content check
    """
    from cxculture.errors import ContentError
    from cxculture.loading import Content

    run: Run = ctx.obj
    content = Content(folder or run.content_dir)
    problems = content.check()
    if problems:
        raise ContentError(problems)
    print(f"{content.folder}: content is valid ({content.content_id})")


@content_app.command("schema")
def content_schema(
    file: Annotated[
        str | None,
        typer.Argument(metavar="[FILE]", help="languages, levels, pillars, questionnaire, ui, survey (default: all)."),
    ] = None,
) -> None:
    """Print the JSON Schema of the content files, for editors.

    Examples:

      cxculture content schema levels > levels.schema.json

      cxculture content schema
    """
    from cxculture.loading import MODEL_FILES, json_schema

    if file is None:
        _print_json({f"{name}.yaml": json_schema(name) for name in MODEL_FILES})
    else:
        _print_json(json_schema(_choice(file.removesuffix(".yaml"), tuple(MODEL_FILES), "FILE")))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (``ExitCode``: 0 ok, 1 unexpected, 2 bad input, 130 Ctrl-C)."""
    from cxculture import streams

    streams.prepare()  # any encoding, a closed stdout, COLUMNS=0
    code = _run(sys.argv[1:] if argv is None else argv)
    unwritten = streams.finish()  # a full disk or a closed pipe shows at the last flush
    return code if unwritten is None else unwritten


def _run(args: list[str]) -> int:
    run = Run()
    try:
        result = typer.main.get_command(app).main(args=args, prog_name="cxculture", standalone_mode=False, obj=run)
    except CxError as error:
        for line in error.lines(_speaker(run, args)):
            _warn(line)
        return error.exit_code
    except KeyboardInterrupt:
        print("cxculture: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except typer.Abort:
        print("cxculture: aborted", file=sys.stderr)
        return ExitCode.UNEXPECTED
    except typer.TyperException as error:  # a usage error from the parser (bad option, missing argument…)
        return _usage_error(error)
    except OSError as error:
        from cxculture import streams

        if error.filename is not None:  # a file or folder the system refused (e.g. a name too long)
            from cxculture.reading import reason

            _warn(f"{error.filename}: cannot use it ({reason(error)})")
            return 2
        if error.errno in streams.OUTPUT_ERRORS:  # stdout is a closed pipe, a full disk, closed…
            return streams.failed(error)
        return _unexpected(error, debug=run.debug)
    except Exception as error:
        return _unexpected(error, debug=run.debug)
    code = int(result) if isinstance(result, int) else ExitCode.OK  # None from a command, or typer.Exit's code
    if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C inside a command into exit code 130, silently
        print("cxculture: interrupted", file=sys.stderr)
    return code


def _speaker(run: Run, args: list[str]) -> "Speaker | None":
    """The labels in the language of the command line (``--lang``, else the environment), to say an error in.

    An unsupported ``--lang`` falls back to the environment's language, then English.
    """
    option = next((args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--lang"), None)
    option = next((arg.split("=", 1)[1] for arg in args if arg.startswith("--lang=")), option)
    for choice in (option, None):
        try:
            return run.say(run.lang(choice))
        except Exception:  # noqa: S112 - no labels to speak with: try the next way, then plain text
            continue
    return None


def _usage_error(error: typer.TyperException) -> int:
    where = getattr(getattr(error, "ctx", None), "command_path", "cxculture")  # usage errors know their command
    from cxculture.text import clean

    print(clean(f"{where}: {error.format_message()} (see '{where} --help')"), file=sys.stderr)
    return error.exit_code


def _unexpected(error: Exception, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    else:
        _warn(f"unexpected error ({type(error).__name__}: {error}); re-run with --debug to see the traceback")
    return ExitCode.UNEXPECTED
