"""Which language to speak: ``--lang``, else ``CXCULTURE_LANG``, else the locale, else French."""

from __future__ import annotations

import os
from typing import Literal, TypeGuard, get_args

from cxculture.errors import CxError

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


def is_lang(value: object) -> TypeGuard[Lang]:
    """Whether ``value`` names a language the content speaks."""
    return value in LANGS


def resolve_lang(option: str | None) -> Lang:
    """The language to use, from the option or the environment."""
    if option is not None:
        return check_lang(option, source="--lang")
    from_env = os.environ.get("CXCULTURE_LANG")
    if from_env:
        return check_lang(from_env, source="CXCULTURE_LANG")
    return _lang_from_locale()


def check_lang(value: str, *, source: str) -> Lang:
    lang = value.strip().lower()
    if not is_lang(lang):
        raise CxError(
            f"{source}: '{value}' is not a supported language; use {' or '.join(LANGS)}",
            key="error.lang",
            source=source,
            value=value,
            accepted=" | ".join(LANGS),
        )
    return lang


def _lang_from_locale() -> Lang:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def decimal(value: float | None, lang: Lang) -> str:
    """A score, spread, gap or threshold as a reader of ``lang`` writes it: one decimal.

    French uses a decimal comma, English a point: ``decimal(3.5, "fr")`` is
    ``"3,5"``, ``decimal(2, "en")`` is ``"2.0"``; ``None`` (nothing measured) is
    ``"—"``. For text and markdown only: JSON output keeps its numbers.
    """
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "fr" else text
