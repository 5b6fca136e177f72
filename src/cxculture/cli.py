"""The ``cxculture`` command line: declare commands, parse options, call, print, map errors to exit codes.

The work is done below, in ``service`` and the modules it calls; ``main``
gives each invocation a fresh ``service.Run`` as click's context object.
Heavy modules (questionary, Jinja2, pydantic, PyYAML) are imported inside
the commands that use them so that start-up stays fast.
The help of each command and option is not here: it is the ``help.*`` labels
of ``content/ui.yaml``, in the reader's language (``helptext``).
(No ``from __future__ import annotations`` here: Typer would have to evaluate
every signature from strings at each start.)
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cxculture import __version__
from cxculture.errors import CxError, ExitCode, Message
from cxculture.service import Run

if TYPE_CHECKING:  # annotations only (as strings: this module does not postpone them)
    from collections.abc import Callable, Sequence
    from contextlib import AbstractContextManager
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
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
content_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(content_app, name="content")


LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="CODE"),
]
MinGroupOption = Annotated[
    int,
    typer.Option(
        "--min-group",
        metavar="N",
        min=1,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force")]
FORMAT_NAMES = "text|json|md|html"  # the registry's formats printable on stdout (cxculture.formats)
FormatOption = Annotated[str, typer.Option("--format", "-f", metavar=FORMAT_NAMES)]
ExportOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        metavar="FILE",
    ),
]
MapOption = Annotated[Path | None, typer.Option("--map", metavar="MAP.yaml")]
OrgOption = Annotated[str | None, typer.Option("--org")]
WaveOption = Annotated[str | None, typer.Option("--wave", metavar="LABEL")]
DateOption = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD"),
]
DelimiterOption = Annotated[str | None, typer.Option("--delimiter", metavar="','|';'|tab")]
EncodingOption = Annotated[str | None, typer.Option("--encoding", metavar="NAME")]
SheetOption = Annotated[str | None, typer.Option("--sheet", metavar="NAME")]
TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", metavar="BRAND.pptx"),
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
        typer.Option("--content", metavar="DIR"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug")] = False,
    lang: LangOption = None,
    version: Annotated[  # noqa: ARG001 - handled by its eager callback
        bool, typer.Option("--version", callback=_version, is_eager=True)
    ] = False,
) -> None:
    run: Run = ctx.obj
    run.content_dir, run.debug, run.lang_option = content, debug, lang


def _show(renderable: "RenderableType") -> None:
    from cxculture.views import screen

    screen.show(lambda: renderable)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise CxError(key="error.choice", option=option, value=value, accepted=", ".join(allowed))
    return value


def _level(value: str) -> int:
    from cxculture.loading import LEVEL_COUNT

    accepted = [str(n) for n in range(1, LEVEL_COUNT + 1)]
    if value.strip() not in accepted:
        raise CxError(key="error.level", value=value, first=accepted[0], last=accepted[-1])
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
    level: Annotated[str, typer.Option("--level", "-l", metavar="1-5")],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
) -> None:
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
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json")] = "text",
) -> None:
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
        typer.Option("--format", "-f", metavar="table|json|survey"),
    ] = "table",
) -> None:
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
    org: Annotated[str | None, typer.Option("--org")] = None,
    participant: Annotated[str | None, typer.Option("--participant")] = None,
    segment: Annotated[str | None, typer.Option("--segment")] = None,
    lang: LangOption = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR")] = Path("cxculture-results"),
    no_save: Annotated[bool, typer.Option("--no-save")] = False,
    anonymous: Annotated[bool, typer.Option("--anonymous")] = False,
    fmt: FormatOption = "text",
    answers: Annotated[
        Path | None,
        typer.Option("--answers", metavar="FILE"),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", metavar="FILE"),
    ] = None,
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    kiosk: Annotated[
        bool,
        typer.Option("--kiosk"),
    ] = False,
    segments: Annotated[
        str | None,
        typer.Option("--segments", metavar="A,B,C"),
    ] = None,
    show_report: Annotated[bool, typer.Option("--show-report")] = False,
    show_areas: Annotated[bool, typer.Option("--show-areas")] = False,
    wave: Annotated[str | None, typer.Option("--wave", metavar="LABEL")] = None,
) -> None:
    from cxculture import formats, session

    run: Run = ctx.obj
    if kiosk:
        _kiosk(run, org, out, lang, (segments, wave), participant, segment, answers, resume, no_save)
        return
    if segments is not None:
        raise CxError(key="error.segments_without_kiosk")
    if wave is not None:
        raise CxError(key="error.wave_without_kiosk")
    formats.check_request(fmt, export, force=force, template=template)
    request = session.Request(
        lang=run.asked_lang(lang),
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
    org: Annotated[str, typer.Option("--org", metavar="NAME")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR")] = Path("cxculture-results"),
    lang: LangOption = None,
    segments: Annotated[
        str | None,
        typer.Option("--segments", metavar="A,B,C"),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option("--host", metavar="IP"),
    ] = None,
    port: Annotated[int, typer.Option("--port", metavar="N")] = 8765,
    show_results: Annotated[bool, typer.Option("--show-results")] = False,
    min_group: MinGroupOption = 5,
    wave: Annotated[str | None, typer.Option("--wave", metavar="LABEL")] = None,
) -> None:
    from cxculture.room import serve
    from cxculture.room.collect import Settings
    from cxculture.room.network import lan_address

    if not 0 <= port <= 65535:
        raise CxError(key="error.port", value=port)
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
        raise CxError(key="error.kiosk.options")
    if org is None:
        raise CxError(key="error.kiosk.org")
    segments, wave = group
    settings = Settings(org=_room_org(org), out=out, segments=_segments(segments), source="kiosk", wave=_wave(wave))
    kiosk.run(run.content(), settings, run.lang(lang))


def _wave(wave: str | None) -> str | None:
    from cxculture.answers import check_name

    return None if wave is None else check_name(wave, "--wave")


def _room_org(org: str) -> str:
    if not org.strip() or len(org) > 200 or not org.isprintable():
        raise CxError(key="error.room_org")
    return org.strip()


def _segments(option: str | None) -> tuple[str, ...]:
    if option is None:
        return ()
    names = tuple(dict.fromkeys(name.strip() for name in option.split(",") if name.strip()))
    if not names or len(names) > 20 or any(len(n) > 60 or not n.isprintable() for n in names):
        raise CxError(key="error.segments")
    return names


@app.command()
def report(
    ctx: typer.Context,
    result_file: Annotated[Path, typer.Argument(metavar="RESULT.json")],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
) -> None:
    from cxculture import formats, service

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    result, scores = service.report(run, result_file, run.asked_lang(lang), note=_warn)
    _show_result(run, result, scores, fmt, export, force, template)


def _progress(run: Run, lang: "Lang") -> "Track":
    """A progress bar on stderr for long work, when it is a terminal (``progress``)."""
    from cxculture import progress

    return progress.on_stderr(run.say(lang))


def _warn(message: "str | Message") -> None:
    """One line on stderr, a ``Message`` said in the reader's language; no control character from names.

    A stderr that is gone (a closed terminal after SIGHUP) loses the message, not the exit code.
    """
    from contextlib import suppress

    from cxculture.text import clean

    if isinstance(message, Message):
        say = _Invocation.speaker()
        message = message.said(say) if say is not None else str(message)
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
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...")],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    by_segment: Annotated[bool, typer.Option("--by-segment")] = False,
    min_group: MinGroupOption = 5,
    allow_mixed: Annotated[bool, typer.Option("--allow-mixed")] = False,
    map_file: MapOption = None,
    org: OrgOption = None,
    wave: WaveOption = None,
    date: DateOption = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
) -> None:
    from cxculture import formats, service
    from cxculture.survey import Request
    from cxculture.survey.direct import is_export

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    lang = run.lang(lang)
    request = Request(map_file, org, wave, date, delimiter, encoding, sheet)
    if not is_export(paths):
        if request.first_given() is not None:
            raise CxError(key="error.workshop.survey_option", option=request.first_given())
        track = _progress(run, lang)
        figures = service.workshop(run, paths, by_segment, min_group, allow_mixed, note=_warn, track=track)
        _present(run, figures, "workshop", fmt, lang, export, force, template)
        return
    options, wave_of = request.checked(lang)
    figures, report = service.workshop_export(
        run,
        paths[0],
        wave_of,
        options,
        by_segment,
        min_group,
        allow_mixed,
        note=_warn,
        told=lambda report: _survey_notes(run.say(lang), report),
        track=_progress(run, lang),
    )
    if not figures:
        raise CxError(key="error.workshop.no_row", name=paths[0])
    _present(run, figures, "workshop", fmt, lang, export, force, template)
    if report.rejected:
        raise typer.Exit(ExitCode.BAD_INPUT)


@app.command()
def compare(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="BEFORE AFTER [MORE...]"),
    ],
    lang: LangOption = None,
    fmt: FormatOption = "text",
    export: ExportOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    min_group: MinGroupOption = 5,
) -> None:
    from cxculture import formats, service

    run: Run = ctx.obj
    formats.check_request(fmt, export, force=force, template=template)
    lang = run.lang(lang)
    figures = service.compare(run, files, min_group, force, note=_warn)
    _present(run, figures, "comparison", fmt, lang, export, force, template)


@app.command("import")
def import_survey(
    ctx: typer.Context,
    survey: Annotated[Path, typer.Argument(metavar="EXPORT.csv|.xlsx")],
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR|WAVE.jsonl")] = None,
    map_file: MapOption = None,
    print_map: Annotated[
        bool,
        typer.Option("--print-map"),
    ] = False,
    org: OrgOption = None,
    wave: WaveOption = None,
    date: DateOption = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    sheet: SheetOption = None,
    anonymous: Annotated[bool, typer.Option("--anonymous")] = False,
    lang: LangOption = None,
) -> None:
    from cxculture import survey as surveys
    from cxculture.survey import Request

    run: Run = ctx.obj
    lang = run.lang(lang)
    options, wave_of = Request(map_file, org, wave, date, delimiter, encoding, sheet).checked(lang, anonymous)
    if print_map:
        sys.stdout.write(surveys.print_map(survey, run.content(), options, lang))
        return
    if out is None:
        raise CxError(key="error.import.out")
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
        _warn(Message("note.import", note=note))
    if report.private:
        _warn(t("import.private", columns=", ".join(repr(c) for c in report.private)))
    if report.unanswered:
        _warn(t("import.unanswered", ids=", ".join(report.unanswered)))
    for problem in report.problems:
        _warn(problem)


@content_app.command("check")
def content_check(
    ctx: typer.Context,
    folder: Annotated[Path | None, typer.Argument(metavar="[DIR]")] = None,
) -> None:
    from cxculture.errors import ContentError
    from cxculture.loading import Content

    run: Run = ctx.obj
    content = Content(folder or run.content_dir)
    problems = content.check()
    if problems:
        raise ContentError(problems)
    print(_Invocation.said(Message("note.content_valid", name=content.folder, content_id=content.content_id)))


@content_app.command("schema")
def content_schema(
    file: Annotated[str | None, typer.Argument(metavar="[FILE]")] = None,
) -> None:
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


class _Invocation:
    """The run and command line being handled: what messages are said in (``--lang``, else the environment)."""

    run: Run | None = None
    args: "list[str]" = []  # noqa: RUF012 - replaced, never changed in place
    _speaker: "list[Speaker | None]" = []  # noqa: RUF012 - replaced, never changed in place

    @classmethod
    def start(cls, run: Run, args: "list[str]") -> None:
        cls.run, cls.args, cls._speaker = run, args, []

    @classmethod
    def speaker(cls) -> "Speaker | None":
        if not cls._speaker:
            cls._speaker = [_speaker(cls.run or Run(), cls.args)]
        return cls._speaker[0]

    @classmethod
    def said(cls, message: Message) -> str:
        say = cls.speaker()
        return message.said(say) if say is not None else str(message)


def _run(args: list[str]) -> int:
    run = Run()
    _Invocation.start(run, args)
    try:
        command = _parser(args)
        with _help_in_reader_language(command, args):
            result = command.main(args=args, prog_name="cxculture", standalone_mode=False, obj=run)
    except CxError as error:
        for line in error.lines(_Invocation.speaker()):
            _warn(line)
        return error.exit_code
    except KeyboardInterrupt:
        _warn(Message("note.interrupted_plain"))
        return ExitCode.INTERRUPTED
    except typer.Abort:
        _warn(Message("note.aborted"))
        return ExitCode.UNEXPECTED
    except typer.TyperException as error:  # a usage error from the parser (bad option, missing argument…)
        return _usage_error(error)
    except OSError as error:
        from cxculture import streams

        if error.filename is not None:  # a file or folder the system refused (e.g. a name too long)
            from cxculture.reading import reason

            _warn(Message("error.os", name=error.filename, reason=reason(error)))
            return ExitCode.BAD_INPUT
        if error.errno in streams.OUTPUT_ERRORS:  # stdout is a closed pipe, a full disk, closed…
            return streams.failed(error)
        return _unexpected(error, debug=run.debug)
    except Exception as error:
        return _unexpected(error, debug=run.debug)
    code = int(result) if isinstance(result, int) else ExitCode.OK  # None from a command, or typer.Exit's code
    if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C inside a command into exit code 130, silently
        _warn(Message("note.interrupted_plain"))
    return code


ROOT_OPTIONS_WITH_VALUE = ("--content", "--lang")  # the options of ``_global`` that take a value


def _parser(args: list[str]) -> "Any":
    """The parser of this command line: Typer builds one per command, a tenth of its own import time.

    A command line naming a command needs that one's only; the tool's own
    help page, shell completion (its words are not in ``args``), the
    ``content`` group and a name that is no command get them all.
    """
    import copy

    name = _command_name(args)
    chosen = [info for info in app.registered_commands if _name_of(info) == name]
    if not chosen:
        return typer.main.get_command(app)
    alone = copy.copy(app)
    alone.registered_commands, alone.registered_groups = chosen, []
    return typer.main.get_command(alone)


def _command_name(args: list[str]) -> str | None:
    """The first word of the command line that is not an option of the tool itself (nor its value)."""
    words = iter(args)
    for arg in words:
        if arg in ROOT_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not arg.startswith("-"):
            return arg
    return None


def _name_of(info: "Any") -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)


def _help_in_reader_language(command: "Any", args: list[str]) -> "AbstractContextManager[None]":
    """A help page about to print is said in the reader's language (``helptext``); else nothing changes."""
    from contextlib import nullcontext

    from cxculture import helptext

    if not helptext.wanted(args):
        return nullcontext()
    content = helptext.option(args, "--content")
    run = Run(Path(content) if content else None)  # the options before the command are not parsed yet
    try:
        lang = run.lang(helptext.option(args, "--lang"))
    except CxError:
        lang = run.lang(None)
    return helptext.localised(command, helptext.labels(Path(content) if content else None, lang))


def _speaker(run: Run, args: list[str]) -> "Speaker | None":
    """The labels in the language of the command line (``--lang``, else the environment), to say an error in.

    An unsupported ``--lang`` falls back to the environment's language; content that cannot be
    loaded (the error may be about it) to the shipped labels; failing all, plain English text.
    """
    from cxculture.helptext import option as given

    option = given(args, "--lang")  # the last one: the command's, else the tool's
    for content in (run, Run()):  # content that cannot be loaded (the error may be about it): the shipped one
        for choice in (option, None):
            try:
                return content.say(content.lang(choice))
            except Exception:  # noqa: S112 - no labels to speak with: try the next way, then plain text
                continue
    return None


def _usage_error(error: typer.TyperException) -> int:
    """A usage error from the parser, said in our words (the parser's own are English only)."""
    from typer._click import exceptions as usage

    ctx = getattr(error, "ctx", None)
    where = getattr(ctx, "command_path", "cxculture")  # usage errors know their command
    problem: Message
    if isinstance(error, usage.BadParameter):
        hint = error.param_hint or (error.param.get_error_hint(ctx) if error.param is not None and ctx else "")
        hint = hint if isinstance(hint, str) else " / ".join(hint)
        key = "error.usage.missing" if isinstance(error, usage.MissingParameter) else "error.usage.bad_value"
        problem = Message(key, param=hint.replace("'", ""))
    elif isinstance(error, usage.NoSuchOption):
        problem = Message("error.usage.no_such_option", option=error.option_name, close=_close(error.possibilities))
    elif isinstance(error, usage.BadOptionUsage):
        problem = Message("error.usage.option", option=error.option_name)
    else:  # the parser words these only in English: recognised by their form
        problem = _other_usage(str(getattr(error, "message", "")))
    from cxculture.text import clean

    print(clean(_Invocation.said(Message("error.usage", command=where, problem=problem))), file=sys.stderr)
    return error.exit_code


def _other_usage(text: str) -> Message:
    import re

    command = re.match(r"No such command (['\"])(.*?)\1\.(.*)$", text, re.DOTALL)  # then "Did you mean 'a', 'b'?"
    if command:
        close = _close(re.findall(r"'([^']*)'", command[3]))
        return Message("error.usage.no_such_command", name=command[2], close=close)
    if text.startswith("Missing command"):  # options of the tool, but no command after them
        return Message("error.usage.no_command")
    extra = re.match(r"Got unexpected extra argument\S* \((.*)\)$", text)
    if extra:
        return Message("error.usage.extra", values=extra[1])
    return Message("error.usage.other")


def _close(possibilities: "Sequence[str] | None") -> "Message | str":
    return Message("error.usage.did_you_mean", names=", ".join(possibilities)) if possibilities else ""


def _unexpected(error: Exception, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    else:
        _warn(Message("error.unexpected", problem=f"{type(error).__name__}: {error}"))
    return ExitCode.UNEXPECTED
