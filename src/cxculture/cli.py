"""The ``cxculture`` command line: parse options, call, print, map errors to exit codes.

No logic lives here. Heavy modules (questionary, Jinja2, pydantic, PyYAML) are
imported inside the commands that use them so that start-up stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cxculture import __version__
from cxculture.errors import CxError

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


class _State:
    content_dir: Optional[Path] = None
    _content = None

    def content(self):
        if self._content is None:
            from cxculture.loading import Content

            self._content = Content(self.content_dir)
        return self._content


state = _State()

LangOption = Annotated[
    Optional[str],
    typer.Option("--lang", metavar="fr|en", help="Language (default: $CXCULTURE_LANG, else the locale, else fr)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the export file if it exists.")]
ExportOption = Annotated[
    Optional[Path], typer.Option("--export", metavar="FILE.md", help="Also write the markdown report to this file.")
]


def _version(value: bool) -> None:
    if value:
        print(f"cxculture {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    content: Annotated[
        Optional[Path],
        typer.Option("--content", metavar="DIR", help="Use this content folder instead of the shipped one."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    state.content_dir = content


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _show(renderable) -> None:
    """Print to stdout; on a pipe or file, without the padding spaces at line ends."""
    console = _console()
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    sys.stdout.write("\n".join(line.rstrip() for line in captured.get().split("\n")))


def _say(lang: str):
    return state.content().ui.speaker(lang)


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


def _lang(value: Optional[str]) -> str:
    from cxculture.lang import resolve_lang

    return resolve_lang(value)


def _print_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _output(markdown: str | None, fmt: str, export: Optional[Path], force: bool) -> None:
    """Print markdown for ``--format md`` and write ``--export``, never losing a file."""
    if export is not None:
        from cxculture.fileio import write_atomic

        write_atomic(export, markdown, force=force)
        _console(stderr=True).print(f"wrote {export}", markup=False)
    if fmt == "md":
        sys.stdout.write(markdown)


@app.command()
def levels(lang: LangOption = None) -> None:
    """The five maturity levels in one table.

    Example: cxculture levels --lang en
    """
    from cxculture import documents
    from cxculture.views import terminal

    lang = _lang(lang)
    rows = documents.levels_overview(state.content().levels, lang)
    _show(terminal.levels_table(rows, _say(lang)))


@app.command()
def guide(
    level: Annotated[str, typer.Option("--level", "-l", metavar="1-5", help="The level to show (1 to 5).")],
    lang: LangOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|md|json", help="Output format.")] = "text",
    export: ExportOption = None,
    force: ForceOption = False,
) -> None:
    """A level: what it looks like, what people say, and how to reach the next one.

    Examples:

      cxculture guide --level 3

      cxculture guide --level 2 --lang en --format md > level-2.md

      cxculture guide -l 5 --format json
    """
    from cxculture import documents

    number, lang = _level(level), _lang(lang)
    fmt = _choice(fmt, ("text", "md", "json"), "--format")
    doc = documents.level_guide(state.content().levels, number, lang)
    if fmt == "json":
        _print_json(doc)
    if fmt == "md" or export is not None:
        from cxculture.views import report

        _output(report.render("guide.md.j2", doc=doc, t=_say(lang)), fmt, export, force)
    if fmt == "text":
        from cxculture.views import terminal

        _show(terminal.guide(doc, _say(lang)))


@app.command()
def pillars(
    lang: LangOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json", help="Output format.")] = "text",
) -> None:
    """The second lens: six pillars, three values, four virtues, four customer conditions.

    Example: cxculture pillars --lang en
    """
    from cxculture import documents

    lang = _lang(lang)
    fmt = _choice(fmt, ("text", "json"), "--format")
    doc = documents.pillars_overview(state.content().pillars, lang)
    if fmt == "json":
        _print_json(doc)
    else:
        from cxculture.views import terminal

        _show(terminal.pillars(doc, _say(lang)))


@app.command()
def questions(
    lang: LangOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json", help="Output format.")] = "table",
) -> None:
    """The questionnaire: every question id, its text and what it measures.

    Examples:

      cxculture questions --lang en

      cxculture questions --format json > questions.json
    """
    from cxculture import documents

    lang = _lang(lang)
    fmt = _choice(fmt, ("table", "json"), "--format")
    rows = documents.questions(state.content(), lang)
    if fmt == "json":
        _print_json([{k: row[k] for k in ("id", "text", "focus_area", "pillar", "level")} for row in rows])
    else:
        from cxculture.views import terminal

        _show(terminal.questions_table(rows, _say(lang)))


@app.command()
def assess(
    org: Annotated[Optional[str], typer.Option("--org", help="Organisation name (asked if not given).")] = None,
    participant: Annotated[Optional[str], typer.Option("--participant", help="Participant name (asked if not given).")] = None,
    segment: Annotated[Optional[str], typer.Option("--segment", help="Group, e.g. leaders, managers, frontline.")] = None,
    lang: LangOption = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for result files.")] = Path("cxculture-results"),
    no_save: Annotated[bool, typer.Option("--no-save", help="Do not write a result file.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json|md", help="Output format.")] = "text",
    answers: Annotated[
        Optional[Path], typer.Option("--answers", metavar="FILE", help="Take the answers from a YAML/JSON file (no prompts).")
    ] = None,
    resume: Annotated[
        Optional[Path], typer.Option("--resume", metavar="FILE", help="Go on with a .partial.json file saved on Ctrl-C.")
    ] = None,
    export: ExportOption = None,
    force: ForceOption = False,
) -> None:
    """Answer the questionnaire and get the culture level, why, and what to do next.

    Examples:

      cxculture assess --org Acme --participant "Jo" --segment managers

      cxculture assess --answers answers.yaml --format json --no-save

      cxculture assess --resume cxculture-results/acme-jo-2026-11-23.partial.json
    """
    from cxculture import session

    fmt = _choice(fmt, ("text", "json", "md"), "--format")
    request = session.Request(
        lang=_lang(lang) if lang is not None else None,
        org=org, participant=participant, segment=segment,
        answers_file=answers, resume_file=resume, out=out,
    )
    content = state.content()
    given, lang = session.gather(content, request, warn=_warn)
    result, scores = session.score(content, given, lang)
    saved = session.finish(result, request, save=not no_save)
    if saved is not None:
        _warn(f"saved {saved}")
    _show_result(content, result, scores, fmt, export, force)


@app.command()
def report(
    result_file: Annotated[Path, typer.Argument(metavar="RESULT.json", help="A result file saved by assess.")],
    lang: LangOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json|md", help="Output format.")] = "text",
    export: ExportOption = None,
    force: ForceOption = False,
) -> None:
    """Show a saved result again, re-scored with the current content.

    Examples:

      cxculture report cxculture-results/acme-jo-2026-11-23.json

      cxculture report acme-jo.json --lang en --export acme-jo.md
    """
    from dataclasses import replace

    from cxculture import results, session

    fmt = _choice(fmt, ("text", "json", "md"), "--format")
    saved = results.load(result_file)
    content = state.content()
    result, scores = session.rescore(content, saved)
    if lang is not None:
        result = replace(result, lang=_lang(lang))
    if saved.content_id != content.content_id:
        _warn(f"note: {result_file} was made with content {saved.content_id}; re-scored with {content.content_id}")
    _show_result(content, result, scores, fmt, export, force)


def _warn(message: str) -> None:
    print(f"cxculture: {message}", file=sys.stderr)


def _show_result(content, result, scores, fmt: str, export: Optional[Path], force: bool) -> None:
    if fmt == "json":
        from cxculture.results import to_json

        sys.stdout.write(to_json(result))
    if fmt == "md" or export is not None:
        _output(_result_markdown(content, result, scores), fmt, export, force)
    if fmt == "text":
        from cxculture import documents
        from cxculture.views import terminal

        t = content.ui.speaker(result.lang)
        _show(terminal.assessment(documents.assessment(content, result, scores, t), t))


def _result_markdown(content, result, scores) -> str:
    from cxculture import documents
    from cxculture.views import report

    t = content.ui.speaker(result.lang)
    return report.render("assessment.md.j2", doc=documents.assessment(content, result, scores, t), t=t)


@content_app.command("check")
def content_check(
    folder: Annotated[Optional[Path], typer.Argument(metavar="[DIR]", help="Folder to check (default: --content or shipped).")] = None,
) -> None:
    """Validate a content folder: every problem on its own line, or that it is fine.

    Examples:

      cxculture content check my-content/

      cxculture --content my-content/ content check
    """
    from cxculture.errors import ContentError
    from cxculture.loading import Content

    content = Content(folder or state.content_dir)
    problems = content.check()
    if problems:
        raise ContentError(problems)
    print(f"{content.folder}: content is valid ({content.content_id})")


@content_app.command("schema")
def content_schema(
    file: Annotated[
        Optional[str], typer.Argument(metavar="[FILE]", help="levels, pillars, questionnaire or ui (default: all).")
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
    """Run the command line; return the exit code (0 ok, 1 unexpected, 2 bad input, 130 Ctrl-C)."""
    args = sys.argv[1:] if argv is None else argv
    state.content_dir, state._content = None, None
    try:
        result = typer.main.get_command(app).main(args=args, prog_name="cxculture", standalone_mode=False)
    except CxError as error:
        for line in error.lines():
            print(f"cxculture: {line}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("cxculture: interrupted", file=sys.stderr)
        return 130
    except typer.Abort:
        print("cxculture: aborted", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - the last line of defence
        return _unexpected(error, debug="--debug" in args)
    return result if isinstance(result, int) else 0


def _unexpected(error: Exception, debug: bool) -> int:
    usage = getattr(error, "format_message", None)
    if usage is not None and hasattr(error, "exit_code"):  # a usage error from the parser
        where = getattr(getattr(error, "ctx", None), "command_path", "cxculture")
        print(f"{where}: {usage()} (see '{where} --help')", file=sys.stderr)
        return error.exit_code
    if debug:
        import traceback

        traceback.print_exc()
    else:
        print(
            f"cxculture: unexpected error ({type(error).__name__}: {error}); "
            "re-run with --debug to see the traceback",
            file=sys.stderr,
        )
    return 1
