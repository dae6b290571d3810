"""One wizard request works each calculation out once per answers
(:func:`forms_builder.calculations.remembered`), and never mixes up two answers."""

import datetime
from decimal import Decimal

from forms_builder import calculations, logic

SCHEMA = {
    "steps": [
        {
            "id": "s1",
            "title": "Stap",
            "fields": [{"type": "integer", "name": "m2", "label": "m²", "options": {}}],
        }
    ],
    "calculations": [{"name": "prijs", "label": "Prijs", "formula": "m2 * 2"}],
}
TODAY = datetime.date(2026, 7, 1)


def counting(monkeypatch) -> list:
    calls = []
    original = logic.evaluate

    def evaluate(formula, names, **kwargs):
        calls.append(formula)
        return original(formula, names, **kwargs)

    monkeypatch.setattr(logic, "evaluate", evaluate)
    return calls


def test_within_a_request_the_same_answers_are_computed_once(monkeypatch):
    calls = counting(monkeypatch)
    with calculations.remembered():
        first = calculations.compute(SCHEMA, {"m2": 10}, today=TODAY)
        first["prijs"] = "changed by a caller"
        again = calculations.compute(SCHEMA, {"m2": 10}, today=TODAY)
        other = calculations.compute(SCHEMA, {"m2": 11}, today=TODAY)
        text = calculations.compute(SCHEMA, {"m2": "10"}, today=TODAY)
        decimal = calculations.compute(SCHEMA, {"m2": Decimal("10")}, today=TODAY)
    assert again == {"prijs": Decimal("20")}
    assert other == {"prijs": Decimal("22")}
    assert text == {"prijs": None}  # text times a number: not the number's result
    assert decimal == {"prijs": Decimal("20")}
    assert len(calls) == 4  # 10, 11, "10" and Decimal("10"): none taken for another


def test_outside_a_request_nothing_is_remembered(monkeypatch):
    calls = counting(monkeypatch)
    calculations.compute(SCHEMA, {"m2": 10}, today=TODAY)
    calculations.compute(SCHEMA, {"m2": 10}, today=TODAY)
    assert len(calls) == 2


def test_another_schema_object_is_computed_again(monkeypatch):
    calls = counting(monkeypatch)
    changed = {**SCHEMA, "calculations": [{"name": "prijs", "label": "P", "formula": "m2 * 3"}]}
    with calculations.remembered():
        assert calculations.compute(SCHEMA, {"m2": 10}, today=TODAY) == {"prijs": Decimal("20")}
        assert calculations.compute(changed, {"m2": 10}, today=TODAY) == {"prijs": Decimal("30")}
    assert len(calls) == 2
