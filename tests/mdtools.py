"""Markdown checks shared by the tests: lint, tokens, headings, plain text and tables.

This is the one markdown parser of the test suite: every test that reads headings,
table cells or the text of a markdown export goes through it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from pymarkdown.api import PyMarkdownApi

BREAKS = ("softbreak", "hardbreak")


def lint(text: str) -> list[str]:
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def plain(inline) -> str:
    """What a reader sees of an inline token: the text of its children, markup and escapes
    resolved (``\\*a\\*`` reads ``*a*``, `` `x` `` reads ``x``), a line break as ``\\n``."""
    return "".join("\n" if child.type in BREAKS else child.content for child in inline.children or [])


def headings(text: str) -> list[tuple[str, str]]:
    """Every heading as (tag, source text of its line)."""
    toks = tokens(text)
    return [(tok.tag, toks[i + 1].content) for i, tok in enumerate(toks) if tok.type == "heading_open"]


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every table as (header cells, body rows of cells), each cell as ``plain`` text."""
    found, current, row, part = [], None, None, None
    for tok in tokens(text):
        if tok.type == "table_open":
            current = ([], [])
        elif tok.type in ("thead_open", "tbody_open"):
            part = tok.type
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(plain(tok))
        elif tok.type == "tr_close":
            if part == "thead_open":
                current[0].extend(row)
            else:
                current[1].append(row)
            row = None
        elif tok.type == "table_close":
            found.append(current)
    return found
