"""The interactive questionnaire (questionary): the only module that shows prompts."""

from __future__ import annotations


def run(content, given, lang: str) -> None:
    raise NotImplementedError
