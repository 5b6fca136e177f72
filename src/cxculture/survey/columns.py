"""The column engine: a large CSV export checked, scored and counted column by column (polars).

``workshop EXPORT.csv`` hands it CSV exports of ``ENGINE_FROM`` bytes or more
(``--encoding`` not given). It reads one only when it can read it exactly as
the row-by-row path does, and otherwise answers ``None`` (the row-by-row path
then reads it): UTF-8 text and, after the header, no NUL, double quote, U+001F
or lone carriage return, so that each line is one row and its cells are the
line split at the separator. The header, the separator and the mapping come
from the import's own code (``exports.sniff``, ``mapping.map_columns``) on the
file's first megabytes.

The lines are scanned in a streaming plan that keeps each mapped cell as a
category (one number per distinct text); each distinct text is then read once
by the import's own code (``Cells``, ``Dates``, ``name_problem``), and what it
says spread back to the rows through a table by category. The rows the engine
cannot vouch for (a cell not accepted, the wrong width, a long line, an
identity met twice) are read again by ``Rows.read``: the same verdict and the
same line as ``import``. Then each participant's focus-area and pillar
scores, staged level and coverage are computed on columns as ``scoring``
computes them, and the group's counts (``workshop.Tally``) come from
``group_by`` (``crowd_columns``, shared with the wave files' engine).

``import EXPORT.csv --out WAVE.jsonl`` hands it the same exports
(``wave_lines``): the engine then also keeps each row's name and identity
(``Rows.identity``; the row's hash is worked out only for rows named by it),
and writes each good row's line from ``Rows.line``'s own template, each value
written by ``json_text``: the row path's file, byte for byte (a test checks
it on generated exports). polars is imported only here.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice, product
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from cxculture import waves
from cxculture.errors import CxError, Message
from cxculture.survey.cells import BAD, MAX_NAME_CHARS, name_problem
from cxculture.survey.exports import DELIMITERS, MAX_CELL_CHARS, MAX_ROWS, Table, sniff
from cxculture.workshop import Crowd, Summary

if TYPE_CHECKING:
    import polars as pl

    from cxculture.loading import Content
    from cxculture.progress import Advance
    from cxculture.survey import Options, Report
    from cxculture.survey.mapping import MapFile, Mapping
    from cxculture.survey.row_hashes import Hashing
    from cxculture.survey.writing import Row, Rows, Wave

LINES_AT_ONCE = 25_000  # wave-file lines made and written at a time (about 55 MB of text; a sink kept them all)
ENGINE_FROM = 8_000_000  # bytes (10,000 to 40,000 rows): below, reading row by row costs about as much
MAX_ENGINE_BYTES = 2_000_000_000
HEAD_BYTES = 8_000_000  # the header and what exports.sniff reads (SAMPLE_CHARS characters, 4 bytes at most each)
_PLAIN_NAME = r"^[\t\x20-\x7e]*$"  # a name that ``name_problem`` accepts without looking closer (if short)
_ANSWERS = ("statement", "quote")
_ODD = '["\\x1f\\r]'  # a quote, a U+001F or a lone carriage return in a line: the engine leaves the file
# what str.strip() strips (every character whose isspace() is true; a test checks it): a row of these is blank
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def suits(path: Path, options: Options) -> bool:
    """Whether an export is for the engine: a CSV file of ``ENGINE_FROM`` bytes or more, encoding not forced."""
    if Path(path).suffix.lower() in (".xlsx", ".xlsm") or options.encoding is not None:
        return False
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and ENGINE_FROM <= info.st_size <= MAX_ENGINE_BYTES


@dataclass
class Layout:
    """Where an export's rows start and what its columns are."""

    table: Table
    found: Mapping
    map_file: MapFile
    sep: str
    skip: int  # lines (``\\n``) before the first row after the header
    start: int  # the byte where that row starts
    first_number: int  # that row's number, as a spreadsheet numbers it


def read(
    path: Path, content: Content, wave: Wave, options: Options, advance: Advance | None = None
) -> tuple[Crowd, Report] | None:
    """The export's participants and the import's report, or ``None`` when the engine cannot read it exactly.

    ``advance`` is told of the rows as they are read (``progress``).
    """
    import polars as pl

    layout = _layout(Path(path), content, options)
    if layout is None:
        return None
    try:
        return _Reading(Path(path), content, wave, layout, advance=advance).run()
    except (pl.exceptions.ComputeError, _NotPlain):  # e.g. bytes that are not UTF-8, a NUL byte, a quote
        return None


def wave_lines(
    path: Path, content: Content, wave: Wave, options: Options, advance: Advance | None = None
) -> WaveLines | None:
    """The export read for ``import --out WAVE.jsonl``, its lines ready to write (``WaveLines.write``); ``None``
    when the engine cannot read it exactly. ``advance`` is told of the rows as they are read."""
    import polars as pl

    from cxculture.survey import start_report

    layout = _layout(Path(path), content, options)
    if layout is None:
        return None
    reading = _Reading(Path(path), content, wave, layout, lines=True, advance=advance)
    report = start_report(content, layout.table, layout.found)
    try:
        return WaveLines(reading, reading.good(report), report)
    except (pl.exceptions.ComputeError, _NotPlain):
        return None
    finally:
        reading.stop_hashing()


class WaveLines:
    """The good rows of an export, each to be written as ``Rows.line`` writes it; the bad ones in ``report``."""

    def __init__(self, reading: _Reading, good: pl.DataFrame, report: Report) -> None:
        self.reading, self.report = reading, report
        self.has_time = reading.rows.has_time  # the same response at another moment is another response
        self.count = good.height
        figures = reading.figures(good)  # while the hashes' second process may still work
        good = reading.named(good)
        self.scored = figures.with_columns(_quoted(good["participant"]), _quoted(good["response"]))
        self.responses = good["response"]

    def write(self, path: Path, advance: Advance | None = None) -> None:
        """The lines written into the new file ``path`` in the export's order, a batch at a time (flat memory), and
        on disk when it returns (``fileio.BigFile``); ``advance`` is told of them as they are written."""
        from concurrent.futures import ThreadPoolExecutor

        from cxculture.fileio import BigFile

        line = self.reading.line(self.scored)

        def made(start: int) -> pl.DataFrame:
            return self.scored.slice(start, LINES_AT_ONCE).select(line)

        starts = range(0, self.count, LINES_AT_ONCE)
        with BigFile(path) as out, ThreadPoolExecutor(1, thread_name_prefix="lines") as making:
            # the next batch is made (polars lets go of the GIL) while this one is written: both cores work
            coming = [making.submit(made, start) for start in starts[:1]]
            for start in starts:
                lines = coming.pop().result()
                if start + LINES_AT_ONCE < self.count:
                    coming.append(making.submit(made, start + LINES_AT_ONCE))
                lines.write_csv(cast("IO[bytes]", out), include_header=False, separator=SEPARATOR, quote_style="never")
                if advance is not None:
                    advance(lines.height)
            out.finish()

    def places(self) -> dict[str, tuple[int, int]]:
        """Where each response's line is in the file written: identity key → (offset, length)."""
        import polars as pl

        from cxculture.survey.writing import identity_key

        line = self.reading.line(self.scored)
        size = pl.sum_horizontal(column.str.len_bytes().cast(pl.Int64) for column in line) + len(line)  # , and \n
        sizes = self.scored.lazy().select(size).collect(engine="streaming")
        lengths = sizes.to_series()
        ends = lengths.cum_sum().to_list()
        label = self.reading.wave.wave
        keys = [identity_key(label, response) for response in self.responses.to_list()]
        return {key: (end - size, size) for key, end, size in zip(keys, ends, lengths.to_list(), strict=True)}


# --- the header, and whether the rest is plain --------------------------------------


def _layout(path: Path, content: Content, options: Options) -> Layout | None:
    from cxculture.survey import mapping

    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    end = head.rfind(b"\n") + 1 if len(head) == HEAD_BYTES else len(head)
    try:
        text = head[bom:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    sep = options.delimiter if options.delimiter is not None else sniff(text)
    if sep not in DELIMITERS:
        return None
    records = _first_records(text, sep)
    if not records:
        return None
    table = Table(records[0][1], iter([(number, row) for number, row, _ in records[1:]]), 0, sep)
    before = table.peek()
    try:
        map_file = mapping.read_map(options.map_file, content)
        found = mapping.map_columns(table, content, map_file, str(path), anonymous=options.anonymous)
    except CxError:
        return None  # the row-by-row path gives the error, after what it checks first
    last_number, _, last_line = records[1] if before is not None and table.peek() is not before else records[0]
    consumed = "".join(islice(io.StringIO(text, newline=""), last_line))
    if not consumed.endswith("\n"):
        return None
    body = bom + len(consumed.encode("utf-8"))
    return Layout(table, found, map_file, sep, head[:body].count(b"\n"), body, last_number + 1)


def _first_records(text: str, sep: str) -> list[tuple[int, list[str], int]]:
    """The first three non-blank rows: their number, cells and the line the reader had reached."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    records = []
    try:
        for number, row in enumerate(reader, start=1):
            if "".join(row).strip():
                records.append((number, row, reader.line_num))
                if len(records) == 3:
                    break
    except csv.Error:
        return []
    return records


class _NotPlain(Exception):
    """A line that is not one plain row (a quote, U+001F, a lone carriage return)."""


# --- reading ------------------------------------------------------------------


class _Ids(dict[str, int]):
    """A small number for each distinct text."""

    def of(self, text: str | None) -> int | None:
        if text is None:
            return None
        return self.setdefault(text, len(self))

    def texts(self) -> list[str]:
        return list(self)


class _Reading:
    """One export read by the engine; with ``lines``, what each row's wave-file line needs is kept too."""

    def __init__(
        self, path: Path, content: Content, wave: Wave, layout: Layout, *, lines: bool = False, advance: Advance | None
    ) -> None:
        from cxculture.survey import make_rows

        self.path, self.content, self.wave, self.layout, self.lines = path, content, wave, layout, lines
        self.advance = advance
        self.rows: Rows = make_rows(path, content, wave, layout.table, layout.found, layout.map_file)
        questionnaire = content.questionnaire
        self.statements = questionnaire.statements
        self.quote = questionnaire.quote_question.id
        self.segments, self.orgs, self.moments, self.responses = _Ids(), _Ids(), _Ids(), _Ids()
        self.first: dict[str, int] = {}  # the column of each kind (a mapping names each target once)
        self.hashing: Hashing | None = None  # the rows' hashes on their way (``good`` to ``named``)
        for j, (target, kind) in enumerate(self.rows.columns):
            if target is not None:
                self.first.setdefault(str(kind), j)

    def run(self) -> tuple[Crowd, Report]:
        from cxculture.survey import start_report

        report = start_report(self.content, self.layout.table, self.layout.found)
        return self._crowd(self.good(report)), report

    def good(self, report: Report) -> pl.DataFrame:
        """The good rows in order (their numbers, answers and names as numbers); the bad ones in ``report``."""
        import polars as pl

        layout = self.layout
        self.hashing = self._hashing()  # until ``named``
        cells = self._scan(hashed=self.hashing is not None).head(MAX_ROWS + 1).collect(engine="streaming")
        if cells.get_column("odd").any():
            raise _NotPlain
        if cells.height > MAX_ROWS:
            raise CxError(key="error.import.rows", name=self.path, limit=MAX_ROWS)
        if self.hashing is not None:  # named later (``named``): the rows' hashes may still be on their way
            cells = cells.with_columns(pl.lit(None, pl.String).alias("digest"))
        rows = cells.select(pl.col("index"), *self._values(cells))
        del cells
        doubtful = rows.filter(pl.col("bad") | pl.col("key").is_duplicated())["index"]
        good = rows.drop("bad", "key")  # not filtered when every row is good: no copy of every column
        del rows
        if len(doubtful):
            good = good.filter(~pl.col("index").is_in(doubtful.implode()))
            good = pl.concat([good, self._read_again(doubtful.to_list(), report)]).sort("index")
        return good.with_columns((pl.col("index").cast(pl.Int64) + layout.first_number).alias("number"))

    def _hashing(self) -> Hashing | None:
        """For a wave file's lines when no row has a response id or a timestamp (each is named by its hash, see
        ``Rows.identity``): a second process working out the hash of every line while the cells are read."""
        if not self.lines or "response_id" in self.first or "timestamp" in self.first:
            return None
        from cxculture.survey.row_hashes import Hashing

        return Hashing(self.path, self.layout.start, self.layout.sep, 2 * MAX_ROWS)  # blank lines count too

    def named(self, good: pl.DataFrame) -> pl.DataFrame:
        """``good`` with the identity of the rows named by their hash, when it came from the second process (rows
        read again by ``Rows.read`` have theirs already)."""
        import polars as pl

        if self.hashing is None:
            return good
        try:
            hashes = self._hashes(self.hashing, good["index"])
        finally:
            self.stop_hashing()
        return good.with_columns(pl.coalesce(pl.col("response"), pl.lit("row:") + hashes))

    def stop_hashing(self) -> None:
        """Stop the hashes' second process if it still runs (an error, Ctrl-C)."""
        if self.hashing is not None:
            self.hashing.stop()

    def _hashes(self, hashing: Hashing, indexes: pl.Series) -> pl.Series:
        """The hash of each row of ``indexes``, from the second process; worked out here if it did not give them."""
        import polars as pl

        hashes = hashing.result()
        if hashes is not None and len(hashes) > (indexes.max() or 0):  # type: ignore[operator]
            return hashes.gather(indexes)
        lines = self._lines().with_row_index("index").filter(pl.col("index").is_in(indexes.implode()))
        rows = lines.select(pl.col("line").str.replace_all(self.layout.sep, "\x1f", literal=True)).collect()
        return _digests(rows.to_series())

    def _scan(self, *, hashed: bool = False) -> pl.LazyFrame:
        """Each non-blank row: its index, width, whether it is long or odd, its line's key and its mapped cells.

        The cells stay text only as categories (one number per distinct text);
        names that are plain are not kept at all, only checked. ``hashed``: the
        rows' hashes come from a second process (``_hashing``).
        """
        import polars as pl

        layout = self.layout
        line, cells = pl.col("line"), pl.col("cells")  # split once: an expression naming the split twice splits twice
        picked = []
        for j, (target, kind) in enumerate(self.rows.columns):
            if target is None:
                continue
            cell = cells.list.get(j, null_on_oob=True)
            if kind == "participant":  # only checked: look closer at the names that are not plain
                plain = cell.str.contains(_PLAIN_NAME) & (cell.str.len_chars() <= MAX_NAME_CHARS)
                cell = pl.when(plain).then(None).otherwise(cell)
            picked.append(cell.cast(pl.Categorical).alias(f"c{j}"))
        index = pl.col("index")
        if self.advance is not None:  # told of each batch of rows as the streaming engine reads it
            index = index.map_batches(self._read_some, return_dtype=pl.UInt32, is_elementwise=True)
        return (
            self._lines()
            .with_row_index("index")
            .filter(line.is_not_null() & (line.str.strip_chars(SPACES + layout.sep) != ""))
            .with_columns(line.str.split(layout.sep).alias("cells"))
            .select(
                index,
                cells.list.len().alias("width"),
                (line.str.len_bytes() > MAX_CELL_CHARS).alias("long"),
                line.str.contains(_ODD).alias("odd"),
                line.hash().alias("line_key"),
                *picked,
                *(self._kept(line, cells, hashed) if self.lines else []),
            )
        )

    def _read_some(self, index: pl.Series) -> pl.Series:
        if self.advance is not None:
            self.advance(len(index))
        return index

    def _kept(self, line: pl.Expr, cells: pl.Expr, hashed: bool) -> list[pl.Expr]:
        """What a wave-file line needs beyond the numbers: the participant's name, and the row's hash when it is
        named by it (no response id, no timestamp: ``Rows.identity``), worked out only for those rows, unless
        ``hashed`` (then they come from a second process)."""
        import polars as pl

        def cell(kind: str) -> pl.Expr | None:
            j = self.first.get(kind)
            return None if j is None else cells.list.get(j, null_on_oob=True).str.strip_chars(SPACES)

        name = cell("participant")
        named = pl.lit(None, pl.String) if name is None else pl.when(name != "").then(name)
        if hashed:
            return [named.alias("name")]
        unnamed = pl.lit(True)
        for kind in ("response_id", "timestamp"):
            given = cell(kind)
            if given is not None:
                unnamed = unnamed & (given == "").fill_null(True)
        row = pl.when(unnamed).then(line.str.replace_all(self.layout.sep, "\x1f", literal=True))
        return [
            named.alias("name"),
            row.map_batches(_digests, return_dtype=pl.String, is_elementwise=True).alias("digest"),
        ]

    def _lines(self) -> pl.LazyFrame:
        import polars as pl

        return pl.scan_csv(
            self.path,
            has_header=False,
            separator="\x00",
            quote_char=None,
            skip_lines=self.layout.skip,
            schema={"line": pl.String},
        )

    def _values(self, cells: pl.DataFrame) -> list[pl.Expr]:
        """Each row's answers, names and moment as small numbers; whether it is bad; its identity's key.

        Each distinct cell is read once by the import's own code, into a table
        of numbers by category (one table for all the statements' columns).
        """
        import polars as pl

        readers: dict[str, Callable[[str], object]] = {
            "statement": self.rows.cells.statement,
            "quote": self.rows.cells.quote,
            "timestamp": self._moment,
            "response_id": lambda cell: self.responses.of(cell.strip() or None),
            "participant": lambda cell: BAD if name_problem(cell) else None,
            "org": lambda cell: BAD if name_problem(cell) else self.orgs.of(cell.strip() or None),
            "segment": lambda cell: BAD if name_problem(cell) else self.segments.of(cell.strip() or None),
        }
        by_kind: dict[str, list[str]] = {}
        for j, (target, kind) in enumerate(self.rows.columns):
            if target is not None:
                by_kind.setdefault(str(kind), []).append(f"c{j}")
        bad = (pl.col("width") != len(self.rows.columns)) | pl.col("long")
        found: dict[str, pl.Expr] = {}
        for kind, names in by_kind.items():
            read = _table(cells, names, readers[kind], pl.Int8 if kind in _ANSWERS else pl.Int64)
            refused = read.refused.any()  # else no cell of these columns to look at
            for name in names:
                category = pl.col(name).to_physical()
                if refused and read.refused.gather(cells[name].to_physical().unique().drop_nulls()).any():
                    bad = bad | pl.lit(read.refused).gather(category).fill_null(False)
                found[name] = pl.lit(read.values).gather(category)
        answers = [
            found[f"c{j}"].alias(f"a:{target}")
            for j, (target, kind) in enumerate(self.rows.columns)
            if target is not None and kind in _ANSWERS
        ]
        column = {kind: found[names[0]] for kind, names in by_kind.items() if kind not in _ANSWERS}
        nothing = pl.lit(None, pl.Int64)
        org = column.get("org", nothing)
        if self.wave.org is not None:
            org = org.fill_null(self.orgs.of(self.wave.org))
        moment = column.get("timestamp")
        kept = [pl.col("name").alias("participant"), self._response(column.get("response_id"), moment)]
        return [
            bad.alias("bad"),
            self._key(column.get("response_id"), moment).alias("key"),
            *answers,
            (nothing if moment is None else moment).alias("moment"),
            org.alias("org"),
            column.get("segment", nothing).alias("segment"),
            *(kept if self.lines else []),
        ]

    def _response(self, response: pl.Expr | None, moment: pl.Expr | None) -> pl.Expr:
        """``Rows.identity`` of each row: its response id with its moment, its moment, or its hash."""
        import polars as pl

        def text(ids: _Ids, code: pl.Expr | None) -> pl.Expr:
            if code is None or not ids:
                return pl.lit(None, pl.String)
            return pl.lit(pl.Series(ids.texts(), dtype=pl.String)).gather(code)

        given, moment_text = text(self.responses, response), text(self.moments, moment)
        at = pl.when(moment_text.is_not_null()).then(pl.concat_str([pl.lit("@"), moment_text])).otherwise(pl.lit(""))
        return (
            pl.when(given.is_not_null())
            .then(pl.concat_str([pl.lit("id:"), given, at]))
            .when(moment_text.is_not_null())
            .then(pl.concat_str([pl.lit("time:"), moment_text]))
            .otherwise(pl.concat_str([pl.lit("row:"), pl.col("digest")]))
            .alias("response")
        )

    def _moment(self, cell: str) -> object:
        """A timestamp cell as the number of its moment (``None``: empty, ``BAD``: not a date)."""
        moment = self.rows.dates.read(cell)
        if moment is None:
            return BAD if cell.strip() else None
        return self.moments.of(moment)

    def _key(self, response: pl.Expr | None, moment: pl.Expr | None) -> pl.Expr:
        """A key equal for rows of the same identity (``Rows.identity``): response id and moment, moment, or row."""
        import polars as pl

        def key_of(kind: int, first: pl.Expr, second: pl.Expr) -> pl.Expr:
            return pl.struct(pl.lit(kind).alias("kind"), first.alias("first"), second.alias("second")).hash()

        nothing = pl.lit(None, pl.Int64)
        key = key_of(0, pl.col("line_key"), nothing)
        if moment is not None:
            key = pl.when(moment.is_not_null()).then(key_of(1, moment, nothing)).otherwise(key)
        if response is not None:
            key = (
                pl.when(response.is_not_null())
                .then(key_of(2, response, nothing if moment is None else moment))
                .otherwise(key)
            )
        return key

    def _read_again(self, indexes: list[int], report: Report) -> pl.DataFrame:
        """The doubtful rows read by ``Rows.read`` in order: the good ones as rows of numbers, the others reported."""
        import polars as pl

        wanted = pl.Series(indexes, dtype=pl.UInt32).implode()
        lines = self._lines().with_row_index("index").filter(pl.col("index").is_in(wanted)).collect()
        seen: set[str] = set()
        good: list[dict[str, Any]] = []
        for index, line in lines.iter_rows():
            record, problems = self.rows.read(line.split(self.layout.sep))
            if not problems and record["response"] in seen:
                problems = [self.rows.duplicate(record)]
            if problems:
                number = index + self.layout.first_number
                report.rejected += 1
                report.problems += [self.rows.at_row(number, problem) for problem in problems]
                continue
            seen.add(record["response"])
            good.append(self._numbers(index, record))
        return pl.DataFrame(good, schema=self._schema(), orient="row")

    def _numbers(self, index: int, record: Row) -> dict[str, Any]:
        """A good row read by ``Rows.read`` as the engine's numbers."""
        row: dict[str, Any] = {"index": index}
        row |= {f"a:{t}": record.get(t) for t, kind in self.rows.columns if t is not None and kind in _ANSWERS}
        row["moment"] = self.moments.of(record["created_at"])
        row["org"] = self.orgs.of(record.get("org"))
        row["segment"] = self.segments.of(record.get("segment"))
        if self.lines:
            row["participant"], row["response"] = record.get("participant"), record["response"]
        return row

    def _schema(self) -> dict[str, Any]:
        import polars as pl

        schema: dict[str, Any] = {"index": pl.UInt32}
        schema |= {f"a:{target}": pl.Int8 for target, kind in self.rows.columns if kind in _ANSWERS}
        schema |= dict.fromkeys(("moment", "org", "segment"), pl.Int64)
        return schema | (dict.fromkeys(("participant", "response"), pl.String) if self.lines else {})

    # --- wave-file lines --------------------------------------------------------

    def figures(self, good: pl.DataFrame) -> pl.DataFrame:
        """The good rows' scores, and what else their lines show as numbers."""
        import polars as pl

        figures = good.lazy().select(pl.col("org", "segment", "moment"), *self._scores(good))
        return figures.collect(engine="streaming")  # a batch at a time: the sums' columns of every row cost 300 MB

    def line(self, scored: pl.DataFrame) -> list[pl.Expr]:
        """Each row's line as ``Rows.line`` fills its template (``Rows.line_pieces``), as columns to join with
        ``SEPARATOR``.

        A value with few possible texts (a level, an answer, a focus area's
        score and whether it is met, a segment…) is a ``_Choice``: a number per
        row and the text of each number, made by ``json_text`` as ``Rows``
        makes it. Neighbouring choices are then looked up together in one table
        of every combination (``_units``), so that a line is put together from
        about 25 pieces rather than 120, mostly by the CSV writer.
        """
        import polars as pl

        from cxculture.survey.writing import json_text

        rows, threshold = self.rows, self.content.questionnaire.scale.met_threshold

        def numbered(column: str, ids: _Ids, missing: str | None = None) -> _Choice:
            texts = [[json_text(missing)], *([json_text(text)] for text in ids.texts())]
            return _Choice((pl.col(column).cast(pl.Int64) + 1).fill_null(0), texts)

        def score(column: str, met: bool) -> _Choice:
            values = sorted(scored[column].unique().drop_nulls().to_list())
            texts = [[json_text(v), *(["true" if v >= threshold else "false"] if met else [])] for v in values]
            code = pl.col(column).replace_strict(values, range(1, len(values) + 1), default=0, return_dtype=pl.Int64)
            return _Choice(code, [["null", *(["false"] if met else [])], *texts])

        def answer(column: str) -> _Choice:
            return _Choice(pl.col(column).cast(pl.Int64).fill_null(0), [["null"], *([str(n)] for n in range(1, 6))])

        top = 1 + len({unlocks for unlocks, _ in self.content.levels.focus_areas()})
        values: list[_Choice | pl.Expr | str] = [
            _Choice(pl.col("level").cast(pl.Int64), [[str(level)] for level in range(top + 1)]),
            answer("perceived"),
            *(score(f"area{index}", True) for index, _ in enumerate(self.content.levels.focus_areas())),
            *(score(f"pillar{index}", False) for index, _ in enumerate(self.content.pillars.pillars)),
            *(answer("perceived" if qid == self.quote else f"s:{qid}") for qid in rows.ids),
            numbered("org", self.orgs),
            pl.col("participant"),
            numbered("segment", self.segments),
            numbered("moment", self.moments, rows.default_time),
            *rows.tail,
            pl.col("response"),
        ]
        pieces = rows.line_pieces
        return _units(values, [*pieces[:-1], pieces[-1].removesuffix("\n")])  # the CSV writer ends each line

    # --- scores and counts (crowd_columns) ---------------------------------------

    def _crowd(self, good: pl.DataFrame) -> Crowd:
        import polars as pl

        from cxculture import crowd_columns

        scored = good.lazy().select(pl.col("number", "org", "segment", "moment"), *self._scores(good)).collect()
        return crowd_columns.crowd(scored, self.orgs.texts(), self._where, self._summary)

    def _where(self, number: int) -> Message:
        return Message("where.row", name=self.path, row=number)

    def _scores(self, good: pl.DataFrame) -> list[pl.Expr]:
        from cxculture import crowd_columns

        return crowd_columns.scores(self.content, good.columns)

    def _summary(self, kept: pl.DataFrame, by_segment: bool) -> Summary:
        from cxculture import crowd_columns

        moments = self.moments.texts()
        seen = kept["moment"].unique().to_list()
        created = sorted({c for c in (self.rows.default_time if m is None else moments[m] for m in seen) if c})
        wave = waves.of_group(waves.of_result(self.wave.wave, self.wave.date, moment) for moment in created)
        texts = (self.orgs.texts(), self.segments.texts())
        return crowd_columns.summary(kept, self.content, by_segment, texts, (max(created, default=None), wave))


@dataclass
class _Read:
    """What the import's own code reads in each category's text (``_table``)."""

    values: pl.Series  # by category: the number read; null for nothing, refused or not there
    refused: pl.Series  # by category: whether it was refused (``BAD``)


def _table(cells: pl.DataFrame, columns: list[str], read: Callable[[str], object], dtype: Any) -> _Read:
    """By category of ``columns``, what ``read`` reads in its text: a number (as ``dtype``), nothing, or ``BAD``."""
    import polars as pl

    distinct = pl.concat([cells.get_column(name).unique() for name in columns]).unique().drop_nulls()
    codes = distinct.to_physical().to_list()
    size = max(codes, default=-1) + 1
    values: list[int | None] = [None] * size
    refused = [False] * size
    for code, text in zip(codes, distinct.cast(pl.String).to_list(), strict=True):
        value = read(text)
        if value is BAD:
            refused[code] = True
        elif value is not None:
            values[code] = int(value)  # type: ignore[call-overload]
    return _Read(pl.Series(values, dtype=dtype), pl.Series(refused, dtype=pl.Boolean))


def rows_about(path: Path) -> int:
    """About how many rows an export holds (its newlines but the header's), for a progress bar."""
    count = 0
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
    return max(count - 1, 0)


def _digests(rows: pl.Series) -> pl.Series:
    """``Rows.identity``'s hash of each row given (its cells joined by U+001F), ``None`` for the others."""
    import polars as pl

    from cxculture.survey.row_hashes import of_line

    found = [None if row is None else of_line(row) for row in rows.cast(pl.Binary).to_list()]
    return pl.Series(found, dtype=pl.String)


def _quoted(texts: pl.Series) -> pl.Series:
    """``json_text`` of each text (``null`` for none): quoted in bulk, one by one only where there is a character to
    escape (what ``json.dumps`` escapes with ``ensure_ascii=False``: ``"``, ``\\`` and control characters)."""
    import polars as pl

    from cxculture.survey.writing import json_text

    quoted = pl.select(pl.concat_str([pl.lit('"'), pl.lit(texts), pl.lit('"')]).fill_null("null")).to_series()
    odd = texts.str.contains(r'["\\\x00-\x1f]').fill_null(False)
    if odd.any():
        quoted = quoted.scatter(odd.arg_true(), [json_text(text) for text in texts.filter(odd).to_list()])
    return quoted.alias(texts.name)


@dataclass
class _Choice:
    """Template values with few possible texts: ``texts[code]`` are the texts of a row whose ``code`` is that number
    (one text per template slot the choice fills: a focus area fills two, its score and whether it is met)."""

    code: pl.Expr
    texts: list[list[str]]


TABLE_ROWS = 10_000  # the most combinations of neighbouring choices looked up in one table
SEPARATOR = ","  # where a line is cut into the columns the CSV writer puts end to end


def _units(values: list[_Choice | pl.Expr | str], pieces: list[str]) -> list[pl.Expr]:
    """A template (``pieces``) filled with ``values``, as columns whose texts joined by ``SEPARATOR`` make the line.

    Each run of choices is one look-up of its combination in a table of all of
    them (at most ``TABLE_ROWS``), the template's text inside the run included;
    the text after a value is cut at its first ``SEPARATOR`` (JSON has one after
    every value but the last), so that the CSV writer joins the columns with it
    and few columns need putting together here.
    """
    import polars as pl

    parts: list[pl.Expr | str] = [pieces[0]]
    slot = 0  # template slots filled so far: the text after the last one is pieces[slot]
    run: list[tuple[pl.Expr, list[str]]] = []  # (code, text of each code)

    def close_run() -> None:
        if not run:
            return
        code, table = run[0]
        for next_code, texts in run[1:]:
            code = code * len(texts) + next_code
            table = [before + after for before, after in product(table, texts)]
        parts.extend([pl.lit(pl.Series(table, dtype=pl.String)).gather(code), pieces[slot]])
        run.clear()

    for value in values:
        if not isinstance(value, _Choice):
            close_run()
            parts += [value if isinstance(value, str) else value.fill_null("null"), pieces[slot + 1]]
            slot += 1
            continue
        width = len(value.texts[0])
        inside = [*pieces[slot + 1 : slot + width], ""]
        texts = ["".join(t + p for t, p in zip(each, inside, strict=True)) for each in value.texts]
        if run and math.prod(len(t) for _, t in run) * len(texts) > TABLE_ROWS:
            close_run()
        elif run:
            texts = [pieces[slot] + text for text in texts]
        slot += width
        run.append((value.code, texts))
    close_run()
    return _cut(parts)


def _cut(parts: list[pl.Expr | str]) -> list[pl.Expr]:
    """``parts`` (texts and columns end to end) as columns to join with ``SEPARATOR``: cut at each text's first one."""
    import polars as pl

    columns: list[pl.Expr] = []
    current: list[pl.Expr | str] = []
    for part in parts:
        if isinstance(part, str) and SEPARATOR in part:
            left, right = part.split(SEPARATOR, 1)
            columns.append(pl.concat_str(_joined([*current, left])))
            current = [right]
        else:
            current.append(part)
    columns.append(pl.concat_str(_joined(current)))
    return [column.alias(f"c{index}") for index, column in enumerate(columns)]


def _joined(parts: list[pl.Expr | str]) -> list[pl.Expr]:
    """``parts`` with each run of texts made one literal."""
    import polars as pl

    out: list[pl.Expr] = []
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
            continue
        if text:
            out.append(pl.lit(text))
        out.append(part)
        text = ""
    return [*out, pl.lit(text)] if text else out
