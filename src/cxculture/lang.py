"""The languages the content declares (``languages.yaml``) and which one to speak.

``--lang``, else ``CXCULTURE_LANG``, else the locale (a locale whose prefix a
declared language lists), else the content's default language. Nothing here
names a language: a language is data, so adding one needs no code (see the
README). ``decimal`` writes numbers as a language does. These are plain
classes: choosing the language must not import the content's model (start-up).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from cxculture.errors import CxError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

Lang = str  # the code of a language declared in languages.yaml (e.g. "fr")

CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")  # "fr", "en", "pt-br": what a code may look like
_NBSP = "\u00a0"


class Language:
    """One declared language: its code, its own name, how it writes numbers and spaces marks."""

    __slots__ = ("code", "decimal_separator", "locales", "name", "no_break_after", "no_break_before")

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.code = str(entry["code"])
        self.name = str(entry["name"])  # as the language menus show it: its own name, e.g. "Français"
        self.decimal_separator = str(entry["decimal_separator"])
        self.locales = tuple(str(prefix) for prefix in entry.get("locales") or (self.code,))
        self.no_break_before = str(entry.get("no_break_before", ""))
        self.no_break_after = str(entry.get("no_break_after", ""))

    def spaced(self, text: str) -> str:
        """``text`` with its marks kept on the line of the word they belong to (French: « », ?, !, :, ;)."""
        for mark in self.no_break_before:
            text = text.replace(f" {mark}", f"{_NBSP}{mark}")
        for mark in self.no_break_after:
            text = text.replace(f"{mark} ", f"{mark}{_NBSP}")
        return text

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Language({fields})"


class Languages:
    """The languages of a content folder, in their declared order, and the default one."""

    __slots__ = ("by_code", "codes", "default")

    def __init__(self, data: Mapping[str, Any]) -> None:
        entries = [Language(entry) for entry in data["languages"]]
        self.by_code = {language.code: language for language in entries}
        self.codes: tuple[Lang, ...] = tuple(self.by_code)
        self.default: Lang = str(data["default"])

    def __getitem__(self, code: Lang) -> Language:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[Language]:
        return iter(self.by_code.values())

    def __repr__(self) -> str:
        return f"Languages(default={self.default!r}, {list(self.by_code.values())!r})"

    def listed(self) -> str:
        """The codes as a message lists them: ``fr | en | de``."""
        return " | ".join(self.codes)


def resolve_lang(option: str | None, languages: Languages) -> Lang:
    """The language to use, from the option or the environment."""
    if option is not None:
        return check_lang(option, languages, source="--lang")
    from_env = os.environ.get("CXCULTURE_LANG")
    if from_env:
        return check_lang(from_env, languages, source="CXCULTURE_LANG")
    return lang_from_locale(languages)


def check_lang(value: str, languages: Languages, *, source: str) -> Lang:
    """``value`` as a declared language's code; anything else is refused, naming the declared ones."""
    lang = value.strip().lower()
    if lang not in languages:
        raise CxError(
            f"{source}: '{value}' is not a supported language; use {' or '.join(languages.codes)}",
            key="error.lang",
            source=source,
            value=value,
            accepted=languages.listed(),
        )
    return lang


def lang_from_locale(languages: Languages) -> Lang:
    """The language the locale asks for (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else the default one."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            value = value.lower()
            chosen = (lang.code for lang in languages for prefix in lang.locales if value.startswith(prefix))
            return next(chosen, languages.default)
    return languages.default


def decimal(value: float | None, language: Language) -> str:
    """A score, spread, gap or threshold as a reader of ``language`` writes it: one decimal.

    The separator is the language's (``languages.yaml``): with ``","``,
    ``decimal(3.5, french)`` is ``"3,5"``; ``None`` (nothing measured) is
    ``"—"``. For text and markdown only: JSON output keeps its numbers.
    """
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", language.decimal_separator)
