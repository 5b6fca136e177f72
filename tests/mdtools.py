"""Markdown checks shared by the workshop and compare tests: lint, headings, tables."""

from __future__ import annotations

from markdown_it import MarkdownIt
from pymarkdown.api import PyMarkdownApi


def lint(text: str) -> list[str]:
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(text: str) -> list[tuple[str, str]]:
    toks = tokens(text)
    return [(tok.tag, toks[i + 1].content) for i, tok in enumerate(toks) if tok.type == "heading_open"]


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every table as (header cells, body rows), cells as their inline text."""
    found, current, row, part = [], None, None, None
    for tok in tokens(text):
        if tok.type == "table_open":
            current = ([], [])
        elif tok.type in ("thead_open", "tbody_open"):
            part = tok.type
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append("".join(child.content for child in tok.children or []))
        elif tok.type == "tr_close":
            (current[0].extend(row) if part == "thead_open" else current[1].append(row))
            row = None
        elif tok.type == "table_close":
            found.append(current)
    return found
