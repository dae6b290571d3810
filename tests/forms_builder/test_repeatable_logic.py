"""Formulas over repeatable parts: columns (``dagen.uren``) item by item, count, sum,
any, all, no_overlap (touching periods, one day, past midnight), the item at which a
rule breaks, and a fuzz test with repeatable parts among the answers."""

import datetime
import string
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_builder import repeatable
from forms_builder.logic import FUNCTIONS, EvaluationError, Items, evaluate, item_names_in, names_in

TODAY = datetime.date(2026, 3, 30)
JUNE_1, JUNE_2, JUNE_3 = (datetime.date(2026, 6, day) for day in (1, 2, 3))


def calc(formula, **names):
    return evaluate(formula, names, today=TODAY)


def days(*rows):
    """Items of a part "dagen": (date, from, to, hours)."""
    return Items(
        {
            "datum": date,
            "van": start,
            "tot": end,
            "uren": Decimal(hours) if hours is not None else None,
        }
        for date, start, end, hours in rows
    )


DAGEN = days(
    (JUNE_1, "10:00", "12:00", 2), (JUNE_2, "20:00", "23:00", 3), (JUNE_3, "9:00", "18:00", 9)
)


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("count(dagen)", Decimal(3)),
        ("sum(dagen.uren)", Decimal(14)),
        ("sum(dagen.uren * 2) + 1", Decimal(29)),
        ("max(dagen.uren)", Decimal(9)),
        ("min(dagen.datum > today and dagen.uren > 2)", None),
        ("any(dagen.uren > 8)", True),
        ("all(dagen.uren > 8)", False),
        ("all(dagen.uren >= 2 and dagen.uren <= 12)", True),
        ("count(dagen.tot > '22:00')", Decimal(1)),
        ("any(dagen.datum == today)", False),
        ("'20:00' in dagen.van", True),
        ("sum({'A': 1, 'B': 2}['A'], 2)", Decimal(3)),
        ("not any(not dagen.uren)", True),
        ("sum(-dagen.uren)", Decimal(-14)),
    ],
)
def test_functions_over_the_items(formula, expected):
    if expected is None:
        with pytest.raises(EvaluationError):
            calc(formula, dagen=DAGEN)
    else:
        assert calc(formula, dagen=DAGEN) == expected


def test_an_empty_part_counts_nothing_and_sums_to_zero():
    assert calc("count(dagen)", dagen=Items()) == 0
    assert calc("sum(dagen.uren)", dagen=Items()) == 0
    assert calc("any(dagen.uren > 1)", dagen=Items()) is False
    assert calc("all(dagen.uren > 1)", dagen=Items()) is True


def test_an_unanswered_optional_question_adds_nothing():
    part = days((JUNE_1, "10:00", "12:00", None), (JUNE_2, "10:00", "12:00", 4))
    assert calc("sum(dagen.uren)", dagen=part) == 4


@pytest.mark.parametrize(
    "formula, message",
    [
        ("dagen.uren", "list"),
        ("dagen.uren > 1", "list"),
        ("1 if dagen.uren else 2", "any\\(\\) or all\\(\\)"),
        ("dagen.onbekend", "no question"),
        ("a.uren", "not a repeatable part"),
        ("dagen.__class__", "not allowed"),
        ("dagen.uren.real", "not allowed"),
        ("(1).real", "not allowed"),
        ("sum(dagen)", "not a number"),
        ("no_overlap(dagen.datum)", "no_overlap"),
        ("no_overlap(dagen.datum, dagen.datum, dagen.van)", "no_overlap"),
        ("no_overlap(a, a)", "no_overlap"),
    ],
)
def test_what_is_refused(formula, message):
    with translation.override("en"), pytest.raises(EvaluationError, match=message):
        calc(formula, dagen=DAGEN, a=Decimal(1))


def test_names_and_item_names_of_a_formula():
    formula = "sum(dagen.uren) + count(borden) > max_uren"
    assert names_in(formula) == {"dagen", "borden", "max_uren"}
    assert item_names_in(formula) == {("dagen", "uren")}


# --- no overlap -------------------------------------------------------------------------------


def overlap_free(*rows, times=True):
    part = days(*((date, start, end, 1) for date, start, end in rows))
    formula = (
        "no_overlap(dagen.datum, dagen.datum, dagen.van, dagen.tot)"
        if times
        else "no_overlap(dagen.datum, dagen.datum)"
    )
    return calc(formula, dagen=part)


def test_periods_on_one_day_that_overlap():
    assert overlap_free((JUNE_1, "10:00", "14:00"), (JUNE_1, "13:00", "16:00")) is False


def test_periods_on_one_day_that_touch_do_not_overlap():
    assert overlap_free((JUNE_1, "10:00", "14:00"), (JUNE_1, "14:00", "16:00")) is True


def test_one_period_inside_another_overlaps_whatever_the_order():
    assert overlap_free((JUNE_1, "12:00", "13:00"), (JUNE_1, "09:00", "18:00")) is False


def test_a_night_past_midnight_overlaps_the_next_morning():
    assert overlap_free((JUNE_1, "22:00", "03:00"), (JUNE_2, "02:00", "05:00")) is False
    assert overlap_free((JUNE_1, "22:00", "03:00"), (JUNE_2, "03:00", "05:00")) is True


def test_whole_days_the_same_day_twice_overlaps_and_next_days_do_not():
    assert overlap_free((JUNE_1, "", ""), (JUNE_1, "", ""), times=False) is False
    assert overlap_free((JUNE_1, "", ""), (JUNE_2, "", ""), times=False) is True


def test_whole_periods_that_share_their_last_and_first_day_overlap():
    part = Items(
        [{"van": JUNE_1, "tot": JUNE_2}, {"van": JUNE_2, "tot": JUNE_3}],
    )
    assert calc("no_overlap(dagen.van, dagen.tot)", dagen=part) is False
    part = Items([{"van": JUNE_1, "tot": JUNE_1}, {"van": JUNE_2, "tot": JUNE_3}])
    assert calc("no_overlap(dagen.van, dagen.tot)", dagen=part) is True


def test_items_not_fully_answered_are_left_out():
    assert overlap_free((JUNE_1, "10:00", "14:00"), (JUNE_1, "", "16:00")) is True


# --- where a rule breaks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("no_overlap(dagen.datum, dagen.datum, dagen.van, dagen.tot)", 2),
        ("all(dagen.uren <= 8)", 1),
        ("sum(dagen.uren) <= 10", 1),
        ("count(dagen) <= 5", None),
    ],
)
def test_the_item_at_which_a_rule_breaks(formula, expected):
    part = days(
        (JUNE_1, "10:00", "12:00", 2),
        (JUNE_1, "13:00", "14:00", 9),
        (JUNE_1, "13:30", "15:00", 1),
    )
    rule = {"formula": formula, "field": "dagen.van", "message": "Fout"}
    assert repeatable.breaking_item(rule, {"dagen": part}, "dagen", today=TODAY) == expected


# --- fuzzing ----------------------------------------------------------------------------------

ITEM = st.fixed_dictionaries(
    {
        "uren": st.one_of(
            st.none(),
            st.decimals(
                allow_nan=False, allow_infinity=False, places=1, min_value=-100, max_value=100
            ),
        ),
        "datum": st.one_of(
            st.none(),
            st.dates(min_value=datetime.date(1, 1, 2), max_value=datetime.date(9999, 12, 30)),
        ),
        "van": st.sampled_from(["10:00", "23:59", "00:00", "", "x", None]),
        "soort": st.sampled_from(["tent", "", "Ä"]),
    }
)
ANSWERS = st.fixed_dictionaries(
    {
        "dagen": st.lists(ITEM, max_size=6).map(Items),
        "a": st.decimals(
            allow_nan=False, allow_infinity=False, places=2, min_value=-1e6, max_value=1e6
        ),
        "zone": st.sampled_from(["centrum", ""]),
    }
)
atoms = st.sampled_from(
    [
        "dagen",
        "dagen.uren",
        "dagen.datum",
        "dagen.van",
        "dagen.soort",
        "dagen.onbekend",
        "dagen.__class__",
        "a",
        "a.uren",
        "zone",
        "today",
        "1",
        "0",
        "'tent'",
        "True",
    ]
)


def combine(children):
    return st.one_of(
        st.tuples(
            children,
            st.sampled_from(list("+-*/%") + ["<", "==", " in ", " and ", " or "]),
            children,
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(
            st.sampled_from(sorted(FUNCTIONS) + ["getattr"]), st.lists(children, max_size=4)
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(children, children).map(lambda t: f"{{'tent': {t[0]}}}[{t[1]}]"),
        children.map(lambda c: f"not {c}"),
        children.map(lambda c: f"-{c}"),
        children.map(lambda c: f"{c}.uren"),
    )


FORMULAS = st.one_of(
    st.recursive(atoms, combine, max_leaves=12),
    st.text(alphabet=string.ascii_lowercase + "._() ,<>=", max_size=60),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formula=FORMULAS, answers=ANSWERS)
def test_fuzzed_formulas_over_repeatable_parts_only_raise_evaluation_error(formula, answers):
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
        # One plain value: never a column, the items, or anything of Python's.
        assert value is None or isinstance(value, Decimal | bool | str | datetime.date)
