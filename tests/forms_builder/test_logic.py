"""The formula evaluator: every operator and function, its limits, and a fuzz test."""

import datetime
import string
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_builder.fields.date import show_date
from forms_builder.logic import FUNCTIONS, EvaluationError, display, evaluate, names_in

TODAY = datetime.date(2026, 3, 30)  # a Monday; Easter Monday 2026 is 6 April


def calc(formula, **names):
    return evaluate(formula, names, today=TODAY)


# --- arithmetic and functions -------------------------------------------------------------


@pytest.mark.parametrize(
    "formula, names, expected",
    [
        ("0.1 + 0.2", {}, Decimal("0.3")),
        ("0.30 * m2 * dagen", {"m2": Decimal(12), "dagen": Decimal(14)}, Decimal("50.40")),
        ("max(25, 0.30 * m2 * dagen)", {"m2": Decimal(2), "dagen": Decimal(3)}, Decimal(25)),
        ("min(1500, kosten * 0.20)", {"kosten": Decimal(20000)}, Decimal(1500)),
        ("10 - 4 / 2", {}, Decimal(8)),
        ("7 % 3", {}, Decimal(1)),
        ("-x + +x", {"x": Decimal(5)}, Decimal(0)),
        ("round(2.345, 2)", {}, Decimal("2.35")),
        ("round(2.5)", {}, Decimal(3)),
        ("ceil(30 / 2.5 + 0.1)", {}, Decimal(13)),
        ("floor(9.99)", {}, Decimal(9)),
        ("abs(-4)", {}, Decimal(4)),
        ("max((1, 5, 3))", {}, Decimal(5)),
        ("30 * ceil(borden / 2)", {"borden": Decimal(3)}, Decimal(60)),
        ("count(opties)", {"opties": ("a", "b")}, Decimal(2)),
        ("count(opties)", {"opties": None}, Decimal(0)),
    ],
)
def test_arithmetic_is_exact_decimal(formula, names, expected):
    result = calc(formula, **names)
    assert isinstance(result, Decimal)
    assert result == expected


def test_integers_and_floats_given_as_answers_become_decimals():
    assert calc("a * b", a=3, b=0.1) == Decimal("0.3")


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("1 < 2 <= 2", True),
        ("3 > 2 > 2", False),
        ("zone == 'centrum'", True),  # text compares without case or spaces
        ("zone != 'rand'", True),
        ("ja and not nee", True),
        ("nee or ja", True),
        ("'b' in opties", True),
        ("'c' not in opties", True),
        ("zone in ('Centrum', 'Rand')", True),
        ("1 == '1'", False),  # a number is not text
        ("ja == True", True),
    ],
)
def test_comparisons_and_logic(formula, expected):
    assert calc(formula, zone="Centrum ", ja=True, nee=False, opties=("a", "b")) is expected


def test_if_then_else_evaluates_only_the_chosen_branch():
    premium = "min(1500, kosten * 0.20) + (kosten * 0.10 if eerste_zaak else 0)"
    assert calc(premium, kosten=Decimal(5000), eerste_zaak=True) == Decimal(1500)
    assert calc(premium, kosten=Decimal(5000), eerste_zaak=False) == Decimal(1000)
    # The branch not taken may use an empty answer.
    assert calc("huur * 6 if huurt else 5000", huurt=False, huur=None) == Decimal(5000)


def test_lookup_tables_in_one_and_two_dimensions():
    rates = '{"centrum": 1.50, "rand": 0.75}[zone] * m2'
    assert calc(rates, zone="Rand", m2=Decimal(10)) == Decimal("7.50")
    grid = '{"centrum": {"open": 1, "overdekt": 2}, "rand": {"open": 3}}[zone][soort]'
    assert calc(grid, zone="centrum", soort="overdekt") == Decimal(2)
    by_number = "{1: 5, 2: 10}[aantal]"
    assert calc(by_number, aantal=Decimal(2)) == Decimal(10)
    with translation.override("en"), pytest.raises(EvaluationError, match="no row"):
        calc(rates, zone="elders", m2=Decimal(1))


def test_days_and_working_days_between_dates():
    start, end = datetime.date(2026, 4, 1), datetime.date(2026, 4, 10)
    assert calc("days(start, end)", start=start, end=end) == Decimal(9)
    assert calc("end - start", start=start, end=end) == Decimal(9)
    # 2-3 April, then the weekend and Easter Monday (6 April), then 7-10 April.
    assert calc("working_days(start, end)", start=start, end=end) == Decimal(6)
    assert calc("start + 5", start=start) == datetime.date(2026, 4, 6)
    assert calc("add_working_days(today, 5)") == datetime.date(2026, 4, 7)
    assert calc("days(today, datum) >= 30", datum=datetime.date(2026, 5, 1)) is True


def test_working_days_skip_the_closing_days_given():
    closing = {datetime.date(2026, 4, 2)}
    result = evaluate(
        "working_days(today, d)",
        {"d": datetime.date(2026, 4, 3)},
        today=TODAY,
        closing_days=closing,
    )
    assert result == Decimal(3)  # 31 March, 1 and 3 April


def test_names_in_lists_answers_and_calculations_only():
    assert names_in("max(25, 0.3 * m2 * dagen) if answered(x) else today - d") == {
        "m2",
        "dagen",
        "x",
        "d",
    }


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "formula, message",
    [
        ("", "empty"),
        ("1 +", "cannot be read"),
        ("x.__class__", "not allowed"),
        ("__import__('os')", "unknown function"),
        ("open('/etc/passwd')", "unknown function"),
        ("(lambda: 1)()", "unknown function"),
        ("(lambda: 1)", "not allowed"),
        ("[x for x in (1, 2)]", "not allowed"),
        ("2 ** 1000", "not allowed"),
        ("'a' * 3", "not a number"),
        ("round(1, places=2)", "without names"),
        ("(1, 2)[0]", "Only a table"),
        ("{1: 2}", "table needs a value"),
        ("(1, 2)", "a list"),
        ("1 / 0", "divides by 0"),
        ("1 % 0", "cannot be done"),
        ("m2 * 2", "no answer"),
        ("onbekend + 1", "Unknown name"),
        ("9e14 * 10", "too large"),
        ("1e999", "too large"),
        ("'a' < 1", "cannot be compared"),
        ("x" * 1001, "too long"),
        ("-" * 200 + "1", "too complex"),
        ("+".join(["1"] * 300), "too complex"),
        ("round(1, 11)", "between 0 and 10"),
        ("add_working_days(today, 100000)", "whole number"),
        ("min()", "between 1 and 100"),
    ],
)
def test_what_is_refused_raises_an_evaluation_error_with_a_reason(formula, message):
    with translation.override("en"), pytest.raises(EvaluationError, match=message):
        calc(formula, m2=None, x=Decimal(1))


def test_display_shows_values_the_dutch_way():
    with translation.override("nl"):
        assert display(Decimal("50.40"), money=True) == "€ 50,40"
        with pytest.raises(EvaluationError, match="De formule is leeg"):
            calc(" ")
        assert display(Decimal("1234.5")) == "1.234,5"
        assert display(Decimal("12.000")) == "12"
        assert display(datetime.date(2026, 7, 21)) == show_date(datetime.date(2026, 7, 21))
        assert display(True) == "Ja"


# --- fuzzing ----------------------------------------------------------------------------------

NAMES = ["a", "b", "zone", "datum", "ja", "lijst", "leeg"]
ANSWERS = st.fixed_dictionaries(
    {
        "a": st.decimals(
            allow_nan=False, allow_infinity=False, places=2, min_value=-1e6, max_value=1e6
        ),
        "b": st.integers(min_value=-1000, max_value=1000),
        "zone": st.sampled_from(["centrum", "rand", "", "Ä"]),
        "datum": st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 1, 1)),
        "ja": st.booleans(),
        "lijst": st.lists(st.sampled_from(["x", "y"]), max_size=3).map(tuple),
        "leeg": st.none(),
    }
)

atoms = st.one_of(
    st.sampled_from(NAMES + ["today", "__class__", "__builtins__", "self", "os"]),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.sampled_from(["0", "0.5", "1e20", "'centrum'", "True", "None", "...", "b'x'"]),
)


def combine(children):
    binary = st.tuples(
        children,
        st.sampled_from(list("+-*/%") + ["**", "//", "<", "==", " in ", " and ", " or "]),
        children,
    )
    call = st.tuples(
        st.sampled_from(sorted(FUNCTIONS) + ["eval", "getattr", "__import__"]),
        st.lists(children, max_size=3),
    )
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        call.map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(children, children).map(lambda t: f"{{'centrum': {t[0]}, 'rand': 2}}[{t[1]}]"),
        children.map(lambda c: f"-{c}"),
        children.map(lambda c: f"{c}.real"),
        children.map(lambda c: f"not {c}"),
    )


FORMULAS = st.one_of(
    st.recursive(atoms, combine, max_leaves=12),
    st.text(alphabet=string.printable, max_size=60),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formula=FORMULAS, answers=ANSWERS)
def test_fuzzed_formulas_only_ever_raise_evaluation_error_and_are_deterministic(formula, answers):
    outcomes = []
    for _attempt in range(2):
        try:
            outcomes.append(("value", evaluate(formula, answers, today=TODAY)))
        except EvaluationError as error:
            assert error.message
            outcomes.append(("error", error.message))
    assert outcomes[0] == outcomes[1]
    kind, value = outcomes[0]
    if kind == "value":
        # Nothing but plain values comes out: no functions, classes or modules.
        assert value is None or isinstance(value, Decimal | bool | str | datetime.date)
        if isinstance(value, Decimal):
            assert value.is_finite() and abs(value) <= Decimal("1e15")
