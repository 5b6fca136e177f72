"""Waves: the survey round a result belongs to (``import --wave``/``--date``) and its date.

A result's wave is its ``wave`` label and its ``wave_date`` (else the date of
its ``created_at``); a group's wave is its results' label (several are joined)
and their common wave date (else the earliest response's date). Comparisons
are put in order by that date, then by label: never by when files were made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

Wave = dict[str, Any]  # {"label": str | None, "date": "YYYY-MM-DD" | None}


def of_result(label: str | None, wave_date: str | None, created_at: str | None) -> Wave:
    return {"label": label, "date": wave_date or day(created_at)}


def of_group(waves: Iterable[Wave]) -> Wave:
    """One wave for many results: their labels (sorted, joined) and their earliest date."""
    waves = list(waves)
    labels = sorted({w["label"] for w in waves if w["label"]})
    dates = sorted(w["date"] for w in waves if w["date"])
    return {"label": " + ".join(labels) or None, "date": dates[0] if dates else None}


def day(moment: str | None) -> str | None:
    """The ``YYYY-MM-DD`` of an ISO moment, or ``None`` if it is not one."""
    if not isinstance(moment, str):
        return None
    try:
        return datetime.fromisoformat(moment).date().isoformat()
    except ValueError:
        return None


def order_key(wave: Wave | None, created_at: str | None) -> tuple[float, str] | None:
    """What snapshots are sorted by: the wave's date (else ``created_at``), then its label."""
    wave = wave or {}
    when = wave.get("date") or created_at
    try:
        moment = datetime.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        return None
    if moment is None:
        return None
    if isinstance(wave.get("date"), str):
        moment = datetime.combine(date.fromisoformat(wave["date"]), datetime.min.time())
    return moment.timestamp(), wave.get("label") or ""
