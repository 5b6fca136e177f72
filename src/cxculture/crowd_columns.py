"""A group's participants held in columns (polars): their scores, who counts, and the group's counts.

One home for what both column engines do once they hold one row per
participant — the survey exports' (``survey.columns``) and the wave files'
(``wave_columns``): each row's answers in columns ``a:<question id>`` (Int8,
null for "don't know"), its organisation and segment as small numbers (the
texts in a list), its line or row number. From these, ``scores`` computes
each row's focus-area and pillar scores, staged level and coverage as
``scoring`` does; ``crowd`` makes the ``workshop.Crowd`` (the first row of
each organisation, those left out, the kept ones); ``summary`` counts the kept
rows into a ``workshop.Summary`` with ``group_by`` (``workshop.Tally``). A
test checks the figures against those of the participants in memory.
polars is imported only when these run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from cxculture.workshop import NO_SEGMENT, Crowd, Summary, Tally, name_key, organisation_of, segment_order, spelling_of

if TYPE_CHECKING:
    import polars as pl

    from cxculture.errors import Message
    from cxculture.loading import Content
    from cxculture.waves import Wave


def scores(content: Content, columns: Collection[str]) -> list[pl.Expr]:
    """``scoring.scorer``'s figures of each row, on columns; and whether the row answered enough to count.

    ``columns`` are those the rows have: an ``a:<question id>`` missing is
    "don't know" everywhere. Out: ``area<i>``, ``level``, ``pillar<i>``,
    ``perceived``, ``s:<question id>`` and ``kept``.
    """
    import polars as pl

    questionnaire = content.questionnaire
    statements, scale, quote = questionnaire.statements, questionnaire.scale, questionnaire.quote_question.id
    answer = {s.id: pl.col(f"a:{s.id}") if f"a:{s.id}" in columns else pl.lit(None, pl.Int8) for s in statements}
    oriented = {s.id: 6 - answer[s.id] if s.reverse else answer[s.id] for s in statements}
    out = []
    met_by_move: dict[int, pl.Expr] = {}
    for index, (unlocks, area) in enumerate(content.levels.focus_areas()):
        ids = [s.id for s in statements if s.focus_area == area.id]
        need = round(scale.area_min_answered * 1_000_000) * len(ids)
        score = mean([oriented[i] for i in ids], need)
        out.append(score.alias(f"area{index}"))
        met = (score >= scale.met_threshold).fill_null(False)
        met_by_move[unlocks] = met_by_move[unlocks] & met if unlocks in met_by_move else met
    level, going = pl.lit(1, pl.Int8), pl.lit(True)
    move = 2
    while move in met_by_move:
        going = going & met_by_move[move]
        level = level + going.cast(pl.Int8)
        move += 1
    out.append(level.alias("level"))
    for index, pillar in enumerate(content.pillars.pillars):
        out.append(mean([oriented[s.id] for s in statements if s.pillar == pillar.id], 1).alias(f"pillar{index}"))
    column = f"a:{quote}"
    out.append((pl.col(column) if column in columns else pl.lit(None, pl.Int8)).alias("perceived"))
    out += [answer[s.id].alias(f"s:{s.id}") for s in statements]
    answered = pl.sum_horizontal([a.is_not_null().cast(pl.Int64) for a in answer.values()])
    need = round(scale.participant_min_answered * 1_000_000) * len(statements)
    out.append((answered * 1_000_000 >= need).alias("kept"))
    return out


def mean(values: list[pl.Expr], need: int) -> pl.Expr:
    """``scoring.mean`` of the answered values, when ``answered × 1,000,000 ≥ need`` (``scoring.enough``)."""
    import polars as pl

    if not values:
        return pl.lit(None, pl.Float64)
    answered = pl.sum_horizontal([v.is_not_null().cast(pl.Int64) for v in values])
    total = pl.sum_horizontal([v.fill_null(0).cast(pl.Int64) for v in values])
    enough = (answered * 1_000_000 >= need) & (answered > 0)
    return pl.when(enough).then(total.cast(pl.Float64) / answered.cast(pl.Float64)).otherwise(None)


def crowd(
    scored: pl.DataFrame,
    orgs: Sequence[str],
    where: Callable[[int], str | Message],
    summary: Callable[[pl.DataFrame, bool], Summary],
) -> Crowd:
    """The ``workshop.Crowd`` of scored rows (``number``, ``org``, ``kept``): ``where`` names a row by its number,
    ``orgs`` are the organisations' texts by number, ``summary`` counts the kept rows."""
    import polars as pl

    kept = scored.filter("kept")
    first_orgs = scored.group_by("org").agg(pl.col("number").min()).sort("number")
    return Crowd(
        [(where(number), None if org is None else orgs[org]) for org, number in first_orgs.iter_rows()],
        kept.height,
        [where(n) for n in scored.filter(~pl.col("kept"))["number"].to_list()],
        lambda by_segment: summary(kept, by_segment),
    )


def summary(
    kept: pl.DataFrame,
    content: Content,
    by_segment: bool,
    texts: tuple[Sequence[str], Sequence[str]],
    latest: tuple[str | None, Wave],
) -> Summary:
    """The ``workshop.Summary`` of the kept rows: ``texts`` are the organisations' and the segments' texts by number,
    ``latest`` the group's latest answer and its wave (worked out by the engine, which knows where they are)."""
    orgs, segments = texts
    counts = tallies(kept)
    everyone = sum(counts.values(), Counter())
    keys = {seg: name_key(None if seg is None else segments[seg]) for seg in counts}
    by_key: dict[str, Counter[Any]] = {}
    spellings: dict[str, Counter[str]] = {}
    for seg, counted in counts.items():
        by_key[keys[seg]] = by_key.get(keys[seg], Counter()) + counted
        if seg is not None:
            spellings.setdefault(keys[seg], Counter())[segments[seg]] += counted["participants"]
    named = {(spelling_of(spellings[key]) if key else NO_SEGMENT): counted for key, counted in by_key.items()}
    org_counts = kept.group_by("org").len().drop_nulls("org").iter_rows()
    created_at, wave = latest
    return Summary(
        tally(everyone, content),
        organisation_of({orgs[org]: n for org, n in org_counts}),
        created_at,
        wave,
        {name: tally(named[name], content) for name in sorted(named, key=segment_order)} if by_segment else {},
    )


def tallies(kept: pl.DataFrame) -> dict[int | None, Counter[Any]]:
    """Per segment (its number), how many rows gave each value of each figure: ``{(column, value): n}``."""
    import polars as pl

    figures = [c for c in kept.columns if c.startswith(("area", "pillar", "s:")) or c in ("level", "perceived")]
    out: dict[int | None, Counter[Any]] = {
        segment: Counter({"participants": n}) for segment, n in kept.group_by("segment").len().iter_rows()
    }
    counted = pl.collect_all([kept.lazy().group_by(["segment", column]).len() for column in figures])
    for column, counts in zip(figures, counted, strict=True):
        for segment, value, n in counts.iter_rows():
            out[segment][(column, value)] += n
    return out


def tally(counts: Counter[Any], content: Content) -> Tally:
    """A ``workshop.Tally`` from ``{(column, value): n}``."""

    def of(column: str) -> Counter[Any]:
        return Counter({value: n for (name, value), n in _items(counts) if name == column})

    return Tally(
        counts["participants"],
        of("level"),
        of("perceived"),
        [of(f"area{i}") for i, _ in enumerate(content.levels.focus_areas())],
        [of(f"pillar{i}") for i, _ in enumerate(content.pillars.pillars)],
        {s.id: of(f"s:{s.id}") for s in content.questionnaire.statements},
    )


def _items(counts: Counter[Any]) -> list[tuple[tuple[str, Any], int]]:
    return [(key, n) for key, n in counts.items() if isinstance(key, tuple)]
