"""The shipped questionnaire keeps its writing rules (version 2): checks a content edit could break."""

from __future__ import annotations

import re

from cxculture.loading import Content

CONTENT = Content()
QUESTIONNAIRE = CONTENT.questionnaire
STATEMENTS = QUESTIONNAIRE.statements
LANGS = ("fr", "en")


def test_every_pillar_has_two_statements_and_every_focus_area_two_or_three():
    for pillar in CONTENT.pillars.pillars:
        assert sum(s.pillar == pillar.id for s in STATEMENTS) >= 2, pillar.id
    for _, area in CONTENT.levels.focus_areas():
        assert 2 <= sum(s.focus_area == area.id for s in STATEMENTS) <= 3, area.id


def test_a_few_statements_are_reverse_worded_and_role_specific_ones_offer_not_applicable():
    reversed_count = sum(s.reverse for s in STATEMENTS)
    assert 3 <= reversed_count <= len(STATEMENTS) // 4
    assert any(s.applies_to for s in STATEMENTS)
    assert QUESTIONNAIRE.scale.not_applicable is not None


def test_one_point_of_view_and_one_word_for_employees():
    """No "we/our" nor "your organisation" in statements; "salariés", never "collaborateurs"."""
    for statement in STATEMENTS:
        fr, en = statement.text("fr").lower(), statement.text("en").lower()
        assert not re.search(r"\b(nous|nos|notre|votre|vos)\b", fr), statement.id
        assert not re.search(r"\b(we|our|your)\b", en), statement.id
        assert "collaborateur" not in fr, statement.id


def test_the_scale_reads_the_same_in_both_languages():
    """Five distinct labels per language, the middle one neutral, the two sides symmetric in wording."""
    for lang in LANGS:
        labels = [point.label(lang) for point in QUESTIONNAIRE.scale.points]
        assert len(set(labels)) == 5
    fr = [point.label("fr") for point in QUESTIONNAIRE.scale.points]
    en = [point.label("en") for point in QUESTIONNAIRE.scale.points]
    assert fr[1].startswith("Plutôt") and fr[3].startswith("Plutôt")
    assert en[1].split()[0] == en[3].split()[0]  # "Somewhat disagree" / "Somewhat agree"
    assert en[0].split()[0] == en[4].split()[0]  # "Strongly disagree" / "Strongly agree"


def test_quotes_come_from_many_kinds_of_workplaces_and_every_level():
    quotes = QUESTIONNAIRE.quote_question.quotes
    assert {quote.level for quote in quotes} == {1, 2, 3, 4, 5}
    assert len({quote.role("en") for quote in quotes}) == len(quotes) >= 7


def test_the_glossary_explains_the_words_the_statements_use():
    terms = [entry.term("fr") for entry in QUESTIONNAIRE.glossary]
    text = " ".join(s.text("fr") for s in STATEMENTS).lower()
    assert all(term.lower() in text for term in terms)
    assert "parcours client" in terms and "expérience client" in terms
