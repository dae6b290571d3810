"""The formula evaluator: a small, safe language for calculations over answers.

Editors write formulas such as::

    max(25, 0.30 * m2 * dagen)
    round(kosten * 0.20, 2) + (kosten * 0.10 if starter else 0)
    {"centrum": 1.50, "rand": 0.75}[zone] * m2
    working_days(today, startdatum)

A formula is parsed with :mod:`ast` and only the nodes below are allowed; nothing is
ever handed to Python's ``eval``. Names are the answers (by machine name) and other
calculations, plus ``today``; functions are the ones in :data:`FUNCTIONS`. There are
no attributes, no indexing except into a table written in the formula, no
comprehensions, no lambdas and no power operator, so a formula can reach nothing but
the values it is given, and runs in time proportional to its length.

Numbers are :class:`~decimal.Decimal` (``0.1 + 0.2 == 0.3``); dates are
:class:`datetime.date`; yes/no answers are booleans; text stays text. Every problem
(a syntax error, an unknown name, an empty answer used in a sum, a division by zero, a
result that is too large) raises :class:`EvaluationError` with a plain Dutch message;
no other exception leaves :func:`evaluate`.

Supported:

- arithmetic ``+ - * / %`` on numbers, ``-x``; ``date + number`` and ``date - number``
  (calendar days), ``date - date`` (days between);
- comparisons ``== != < <= > >=`` (chained), ``in`` / ``not in`` a list of values or a
  multiple-choice answer; ``and``, ``or``, ``not``;
- ``a if condition else b``;
- a lookup table: a dict literal indexed by a value, ``{"A": 2, "B": 3}[zone]``, nested
  for two dimensions ``{"A": {"klein": 1}}[zone][grootte]``;
- repeatable parts (:class:`Items`): ``dagen.uren`` is the answer to ``uren`` of every
  item (a column); arithmetic, comparisons, ``and``/``or``/``not`` and table look-ups
  work item by item on columns, so ``count(dagen)``, ``sum(dagen.uren)``,
  ``any(dagen.einduur > "22:00")`` and ``all(dagen.uren <= 12)`` read as they say, and
  ``no_overlap(dagen.datum, dagen.datum, dagen.beginuur, dagen.einduur)`` checks periods.
  The only attribute allowed is ``<name>.<question>`` on a repeatable part; it is looked
  up in the item's answers, never with ``getattr``;
- the functions of :data:`FUNCTIONS`.

This module is longer than 400 lines because the language is one whitelist: what the
parser lets through, how the evaluator handles it and the functions it may call change
together; split over modules, a node could be allowed in one and unhandled in another.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import functools
from collections.abc import Callable, Collection, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext

from . import workdays

#: Longest formula an editor may write, in characters.
MAX_FORMULA_LENGTH = 1000
#: Most syntax nodes a formula may have, and how deeply they may nest.
MAX_NODES = 400
MAX_DEPTH = 40
#: Largest number a calculation may produce (in absolute value), and its text length.
MAX_MAGNITUDE = Decimal("1e15")
MAX_TEXT_LENGTH = 1000
#: Most decimals ``round()`` may keep.
MAX_PLACES = 10
#: Most items of a repeatable part a formula works on (editors allow at most 50).
MAX_ITEMS = 100

_CONTEXT = decimal.Context(
    prec=34,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_ARITHMETIC = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Mod: lambda a, b: a % b,
}
_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Dict,
    ast.Tuple,
    ast.List,
    ast.Subscript,
    ast.Attribute,
    ast.Load,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    *_ARITHMETIC,
    *_COMPARISONS,
)
#: Names every formula knows besides the answers and calculations.
BUILTIN_NAMES = frozenset({"today"})


class EvaluationError(Exception):
    """A formula cannot be evaluated; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WrongType(EvaluationError):
    """A value of the wrong kind for what the formula does with it (a text or a choice
    where a number or a date is needed)."""


class DivisionByZero(EvaluationError):
    """The formula divides by 0 with these values."""


# --- parsing -----------------------------------------------------------------------------


def parse(formula: Any) -> ast.Expression:
    """The checked syntax tree of ``formula``; EvaluationError when it is not allowed.

    Trees of formulas that parse are kept (a form's few formulas are evaluated several
    times per request: for the visible steps, the conditions, the step's limits); the
    evaluator never changes a tree."""
    if isinstance(formula, str):
        return _parsed(formula)
    return _parse(formula)


@functools.lru_cache(maxsize=1024)
def _parsed(formula: str) -> ast.Expression:
    return _parse(formula)


def _parse(formula: Any) -> ast.Expression:
    if not isinstance(formula, str) or not formula.strip():
        raise EvaluationError(gettext("The formula is empty."))
    if len(formula) > MAX_FORMULA_LENGTH:
        raise EvaluationError(
            gettext("The formula is too long (at most %(max)s characters).")
            % {"max": MAX_FORMULA_LENGTH}
        )
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise EvaluationError(
            gettext("The formula cannot be read. Check the brackets, commas and quotes.")
        ) from None
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise EvaluationError(gettext("The formula is too complex. Split it up."))
        if not isinstance(node, _ALLOWED_NODES):
            raise EvaluationError(
                gettext("The formula uses something that is not allowed: %(what)s.")
                % {"what": ast.get_source_segment(formula.strip(), node) or type(node).__name__}
            )
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise EvaluationError(
                    gettext("The formula uses an unknown function: %(what)s.")
                    % {"what": ast.get_source_segment(formula.strip(), node.func) or "?"}
                )
            if node.keywords:
                raise EvaluationError(gettext("Write the values of a function without names."))
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool | int | float | str):
            raise EvaluationError(gettext("The formula uses a value that is not allowed."))
        if isinstance(node, ast.Attribute) and (
            not isinstance(node.value, ast.Name) or node.attr.startswith("_")
        ):
            raise EvaluationError(
                gettext("The formula uses something that is not allowed: %(what)s.")
                % {"what": ast.get_source_segment(formula.strip(), node) or "."}
                + " "
                + gettext("Only a question of a repeatable part can follow a dot: dagen.datum.")
            )
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            raise EvaluationError(gettext("The formula uses something that is not allowed: :."))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree


def names_in(formula: str) -> frozenset[str]:
    """The answer and calculation names ``formula`` uses (not functions, not ``today``).

    Worked out once per process for each formula text (the wizard asks on every
    request); a formula that does not parse raises each time, in the current language."""
    if isinstance(formula, str):
        return _names_in(formula)
    return _names_in.__wrapped__(formula)


@functools.lru_cache(maxsize=1024)
def _names_in(formula: str) -> frozenset[str]:
    tree = parse(formula)
    functions = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return (
        frozenset(
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and id(node) not in functions
        )
        - BUILTIN_NAMES
    )


def item_names_in(formula: str) -> set[tuple[str, str]]:
    """The (repeatable part, question) pairs ``formula`` uses: ``dagen.datum`` gives
    ``("dagen", "datum")``."""
    return {
        (node.value.id, node.attr)
        for node in ast.walk(parse(formula))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }


# --- evaluating --------------------------------------------------------------------------


class Items(tuple):
    """The answers of a repeatable part: one mapping (question name → value, as formulas
    see it) per item, in the applicant's order."""


class _Column:
    """One question's answers over every item of a repeatable part (``dagen.uren``)."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = tuple(values)


def _each(function: Callable, *operands: Any) -> Any:
    """``function`` on the operands, item by item when one of them is a column."""
    columns = [operand for operand in operands if isinstance(operand, _Column)]
    if not columns:
        return function(*operands)
    length = len(columns[0].values)
    if any(len(column.values) != length for column in columns):
        raise EvaluationError(
            gettext("Questions of different repeatable parts cannot be combined.")
        )
    return _Column(
        function(*(op.values[i] if isinstance(op, _Column) else op for op in operands))
        for i in range(length)
    )


def evaluate(
    formula: str,
    names: Mapping[str, Any],
    *,
    today: datetime.date,
    closing_days: Collection[datetime.date] = (),
) -> Any:
    """The value of ``formula`` with ``names`` (machine name → value).

    Values in ``names`` are Decimal, bool, str, date, a tuple (multiple choice) or None
    (not answered). ``today`` and ``closing_days`` are passed in, so the same formula
    and answers always give the same result. Raises only :class:`EvaluationError`.
    """
    tree = parse(formula)
    evaluator = _Evaluator(names, today=today, closing_days=frozenset(closing_days))
    try:
        with decimal.localcontext(_CONTEXT):
            result = evaluator.value(tree.body)
    except EvaluationError:
        raise
    except ZeroDivisionError:  # decimal's DivisionByZero and DivisionUndefined too
        raise DivisionByZero(gettext("The calculation divides by 0.")) from None
    except (ArithmeticError, ValueError, OverflowError):
        raise EvaluationError(
            gettext("The calculation cannot be done with these values.")
        ) from None
    except RecursionError:
        raise EvaluationError(gettext("The formula is too complex. Split it up.")) from None
    if isinstance(result, _Table):
        raise EvaluationError(gettext("A table needs a value to look up: table[answer]."))
    if isinstance(result, tuple | list | _Column):
        raise EvaluationError(gettext("The result is a list; a calculation gives one value."))
    return result


class _Evaluator:
    def __init__(self, names, *, today, closing_days):
        self.names = names
        self.today = today
        self.closing_days = closing_days

    def value(self, node: ast.AST) -> Any:
        handler = getattr(self, f"_{type(node).__name__}", None)
        if handler is None:  # parse() let it through, so this is a programming error
            raise EvaluationError(gettext("The formula uses something that is not allowed."))
        return handler(node)

    def _Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return _checked(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
        return _checked_text(value)

    def _Name(self, node):
        if node.id == "today":
            return self.today
        if node.id not in self.names:
            raise EvaluationError(gettext("Unknown name: %(name)s.") % {"name": node.id})
        value = self.names[node.id]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _checked(Decimal(str(value)))
        return value

    def _BinOp(self, node):
        left, right = self.value(node.left), self.value(node.right)
        return _each(lambda a, b: _arithmetic(node.op, a, b), left, right)

    def _UnaryOp(self, node):
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            return _each(lambda value: not _truth(value), operand)
        if isinstance(node.op, ast.USub):
            return _each(lambda value: -_number(value), operand)
        return _each(_number, operand)

    def _BoolOp(self, node):
        is_and = isinstance(node.op, ast.And)

        def combine(a, b):
            return (_truth(a) and _truth(b)) if is_and else (_truth(a) or _truth(b))

        result: Any = None
        for item in node.values:
            value = self.value(item)
            if result is None:
                result = value if isinstance(value, _Column) else _truth(value)
            else:
                result = _each(combine, result, value)
            if not isinstance(result, _Column) and result is not is_and:
                return result  # decided: later values are not evaluated
        return result

    def _Compare(self, node):
        left = self.value(node.left)
        result: Any = True
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.value(comparator)
            if isinstance(operator, ast.In | ast.NotIn) and isinstance(right, _Column):
                if not isinstance(left, _Column):
                    right = tuple(right.values)  # x in dagen.soort: any item's answer
            holds = _each(lambda a, b, op=operator: _compare(op, a, b), left, right)
            result = holds if result is True else _each(lambda a, b: a and b, result, holds)
            if result is False:
                return False
            left = right
        return result

    def _Attribute(self, node):
        items = self.value(node.value)
        if not isinstance(items, Items):
            raise EvaluationError(
                gettext("“%(name)s” is not a repeatable part, so it has no questions.")
                % {"name": node.value.id}
            )
        if len(items) > MAX_ITEMS:
            raise EvaluationError(gettext("The repeatable part has too many items."))
        values = []
        for item in items:
            if node.attr not in item:
                raise EvaluationError(
                    gettext("The repeatable part “%(name)s” has no question “%(question)s”.")
                    % {"name": node.value.id, "question": node.attr}
                )
            value = item[node.attr]
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = _checked(Decimal(str(value)))
            values.append(value)
        return _Column(values)

    def _IfExp(self, node):
        return self.value(node.body) if _truth(self.value(node.test)) else self.value(node.orelse)

    def _Dict(self, node):
        table = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                raise EvaluationError(gettext("The formula uses something that is not allowed."))
            table[_key(self.value(key_node))] = value_node
        return _Table(table, self)

    def _Tuple(self, node):
        return tuple(self.value(item) for item in node.elts)

    _List = _Tuple

    def _Subscript(self, node):
        table = self.value(node.value)
        if not isinstance(table, _Table):
            raise EvaluationError(gettext("Only a table can be looked up: {…}[answer]."))
        return _each(table.lookup, self.value(node.slice))

    def _Call(self, node):
        function = FUNCTIONS[node.func.id]
        arguments = [self.value(argument) for argument in node.args]
        return function(self, *arguments)


class _Table:
    """A lookup table written in a formula; its values are evaluated only when used."""

    def __init__(self, rows: dict, evaluator: _Evaluator):
        self.rows = rows
        self.evaluator = evaluator

    def lookup(self, key: Any) -> Any:
        found = self.rows.get(_key(key))
        if found is None:
            raise EvaluationError(
                gettext("The table has no row for “%(value)s”.") % {"value": display(key)}
            )
        return self.evaluator.value(found)


def _arithmetic(operator: ast.operator, left: Any, right: Any) -> Any:
    if isinstance(left, datetime.date) and type(operator) in (ast.Add, ast.Sub):
        if isinstance(right, Decimal):
            days = datetime.timedelta(days=_whole(right))
            return left + days if isinstance(operator, ast.Add) else left - days
        if isinstance(right, datetime.date) and type(operator) is ast.Sub:
            return Decimal((left - right).days)
    return _checked(_ARITHMETIC[type(operator)](_number(left), _number(right)))


def _key(value: Any) -> Any:
    if isinstance(value, bool | Decimal | str | datetime.date):
        return value.casefold().strip() if isinstance(value, str) else value
    raise EvaluationError(gettext("A table can only be looked up by a number, text or yes/no."))


def _checked(number: Decimal) -> Decimal:
    if not number.is_finite() or abs(number) > MAX_MAGNITUDE:
        raise EvaluationError(gettext("The result of the calculation is too large."))
    return number


def _checked_text(text: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise EvaluationError(gettext("The text in the formula is too long."))
    return text


def _number(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if value is None:
        raise EvaluationError(gettext("A question used in the calculation has no answer."))
    raise WrongType(
        gettext("“%(value)s” is not a number, so it cannot be calculated with.")
        % {"value": display(value)[:50]}
    )


def _whole(value: Any) -> int:
    number = _number(value)
    if number != number.to_integral_value() or abs(number) > workdays.MAX_WORKING_DAYS:
        raise EvaluationError(gettext("A number of days must be a whole number, at most 10000."))
    return int(number)


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if value is None:
        raise EvaluationError(gettext("A question used in the calculation has no answer."))
    raise WrongType(gettext("“%(value)s” is not a date.") % {"value": display(value)[:50]})


def _truth(value: Any) -> bool:
    if isinstance(value, _Column):
        raise EvaluationError(
            gettext("A question of a repeatable part has an answer per item: use any() or all().")
        )
    if isinstance(value, _Table):
        raise EvaluationError(gettext("A table needs a value to look up: table[answer]."))
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    if isinstance(left, str) and isinstance(right, str):
        return left.strip().casefold() == right.strip().casefold()
    if type(left) is not type(right) or isinstance(left, _Table):
        return False
    return left == right


def _compare(operator: ast.cmpop, left: Any, right: Any) -> bool:
    if isinstance(operator, ast.Eq):
        return _same(left, right)
    if isinstance(operator, ast.NotEq):
        return not _same(left, right)
    if isinstance(operator, ast.In | ast.NotIn):
        if isinstance(right, str) and isinstance(left, str):
            found = left.casefold() in right.casefold()
        elif isinstance(right, tuple):
            found = any(_same(left, item) for item in right)
        elif right is None:
            found = False
        else:
            raise EvaluationError(gettext('“in” needs a list of values: x in ("a", "b").'))
        return found if isinstance(operator, ast.In) else not found
    if left is None or right is None:
        raise EvaluationError(gettext("A question used in the calculation has no answer."))
    comparable = (
        (isinstance(left, Decimal) and isinstance(right, Decimal))
        or (isinstance(left, datetime.date) and isinstance(right, datetime.date))
        or (isinstance(left, str) and isinstance(right, str))
    )
    if not comparable:
        raise EvaluationError(
            gettext("“%(left)s” and “%(right)s” cannot be compared.")
            % {"left": display(left)[:50], "right": display(right)[:50]}
        )
    if isinstance(operator, ast.Lt):
        return left < right
    if isinstance(operator, ast.LtE):
        return left <= right
    if isinstance(operator, ast.Gt):
        return left > right
    return left >= right


# --- functions ---------------------------------------------------------------------------


def _arity(name: str, arguments: tuple, low: int, high: int) -> None:
    if not low <= len(arguments) <= high:
        raise EvaluationError(
            gettext("%(name)s() needs between %(low)s and %(high)s values.")
            % {"name": name, "low": low, "high": high}
        )


def _extreme(name: str, pick: Callable) -> Callable:
    def function(evaluator, *arguments):
        if len(arguments) == 1 and isinstance(arguments[0], _Column):
            arguments = tuple(value for value in arguments[0].values if value is not None)
        elif len(arguments) == 1 and isinstance(arguments[0], tuple):
            arguments = arguments[0]
        _arity(name, arguments, 1, 100)
        return pick(_number(argument) for argument in arguments)

    return function


def _round(evaluator, *arguments):
    _arity("round", arguments, 1, 2)
    places = _whole(arguments[1]) if len(arguments) == 2 else 0
    if not 0 <= places <= MAX_PLACES:
        raise EvaluationError(gettext("round() keeps between 0 and 10 decimals."))
    return _number(arguments[0]).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _rounding(name: str, rounding: str) -> Callable:
    def function(evaluator, *arguments):
        _arity(name, arguments, 1, 1)
        return _number(arguments[0]).quantize(Decimal(1), rounding=rounding)

    return function


def _abs(evaluator, *arguments):
    _arity("abs", arguments, 1, 1)
    return abs(_number(arguments[0]))


def _days(evaluator, *arguments):
    _arity("days", arguments, 2, 2)
    return Decimal((_date(arguments[1]) - _date(arguments[0])).days)


def _working_days(evaluator, *arguments):
    _arity("working_days", arguments, 2, 2)
    try:
        count = workdays.working_days_between(
            _date(arguments[0]), _date(arguments[1]), evaluator.closing_days
        )
    except ValueError:
        raise EvaluationError(gettext("The period is too long to count working days.")) from None
    return Decimal(count)


def _add_working_days(evaluator, *arguments):
    _arity("add_working_days", arguments, 2, 2)
    try:
        return workdays.add_working_days(
            _date(arguments[0]), _whole(arguments[1]), evaluator.closing_days
        )
    except (ValueError, OverflowError):
        raise EvaluationError(gettext("The date falls outside the calendar.")) from None


def _answered(evaluator, *arguments):
    _arity("answered", arguments, 1, 1)
    value = arguments[0]
    return value is not None and value != "" and value != ()


def _count(evaluator, *arguments):
    _arity("count", arguments, 1, 1)
    value = arguments[0]
    if value is None:
        return Decimal(0)
    if isinstance(value, _Column):  # count(dagen.uren > 8): the items where it holds
        return Decimal(sum(1 for item in value.values if _truth(item)))
    if isinstance(value, tuple):
        return Decimal(len(value))
    raise EvaluationError(gettext("count() needs a question with several answers."))


def _values(name: str, arguments: tuple) -> tuple:
    """The values a function over several values works on: one column (its items'
    answers), one list, or the values themselves."""
    if len(arguments) == 1 and isinstance(arguments[0], _Column):
        return arguments[0].values
    if (
        len(arguments) == 1
        and isinstance(arguments[0], tuple)
        and not isinstance(arguments[0], Items)
    ):
        return arguments[0]
    _arity(name, arguments, 1, 100)
    return arguments


def _sum(evaluator, *arguments):
    # Unanswered (optional) questions of an item count as nothing.
    return _checked(
        sum(
            (_number(value) for value in _values("sum", arguments) if value is not None), Decimal(0)
        )
    )


def _any(evaluator, *arguments):
    return any(_truth(value) for value in _values("any", arguments))


def _all(evaluator, *arguments):
    return all(_truth(value) for value in _values("all", arguments))


def _time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str):
        try:
            return datetime.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EvaluationError(gettext("“%(value)s” is not a time.") % {"value": display(value)[:50]})


def _no_overlap(evaluator, *arguments):
    """Whether the periods of a repeatable part leave each other free.

    ``no_overlap(starts, ends)`` over dates: whole days, so a period ending on the day
    another begins overlaps it. ``no_overlap(starts, ends, start_times, end_times)``:
    moments, so 10:00–12:00 and 12:00–14:00 on one day only touch. A period whose end
    time is not after its start time on one day runs past midnight. Items not (fully)
    answered, or ending before they start, are left out.
    """
    if len(arguments) not in (2, 4) or not all(isinstance(a, _Column) for a in arguments):
        raise EvaluationError(
            gettext(
                "no_overlap() needs the start and end dates of a repeatable part, and "
                "maybe the start and end times: no_overlap(dagen.van, dagen.tot)."
            )
        )
    columns = [argument.values for argument in arguments]
    if len({len(column) for column in columns}) != 1:
        raise EvaluationError(
            gettext("Questions of different repeatable parts cannot be combined.")
        )
    periods = []
    for values in zip(*columns, strict=True):
        if any(value is None or value == "" for value in values):
            continue
        start, end = _date(values[0]), _date(values[1])
        if len(values) == 4:
            begin = datetime.datetime.combine(start, _time(values[2]))
            finish = datetime.datetime.combine(end, _time(values[3]))
            if finish <= begin and start == end:
                finish += datetime.timedelta(days=1)
        else:
            begin = datetime.datetime.combine(start, datetime.time.min)
            finish = datetime.datetime.combine(end, datetime.time.min) + datetime.timedelta(days=1)
        if finish > begin:
            periods.append((begin, finish))
    periods.sort()
    latest_end = None
    for begin, finish in periods:
        if latest_end is not None and begin < latest_end:
            return False
        latest_end = finish if latest_end is None else max(latest_end, finish)
    return True


def _age(evaluator, *arguments):
    _arity("age", arguments, 2, 2)
    born, on = _date(arguments[0]), _date(arguments[1])
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return Decimal(years)


def _chosen(evaluator, *arguments):
    _arity("chosen", arguments, 2, 2)
    answer, option = arguments
    if isinstance(answer, tuple):
        return any(_same(item, option) for item in answer)
    return answer is not None and _same(answer, option)


#: The functions formulas may call, by name: ``function(evaluator, *values)``.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": _extreme("min", min),
    "max": _extreme("max", max),
    "round": _round,
    "ceil": _rounding("ceil", ROUND_CEILING),
    "floor": _rounding("floor", ROUND_FLOOR),
    "abs": _abs,
    "days": _days,
    "working_days": _working_days,
    "add_working_days": _add_working_days,
    "answered": _answered,
    "count": _count,
    # Repeatable parts: sum(dagen.uren), any(dagen.uren > 8), all(...), no overlap.
    "sum": _sum,
    "any": _any,
    "all": _all,
    "no_overlap": _no_overlap,
    # Full years from a birth date to a date: age(geboortedatum, datum) >= 18.
    "age": _age,
    # Whether an option is chosen, in a single or a multiple choice: chosen(x, "Tent").
    "chosen": _chosen,
}


# --- showing results ---------------------------------------------------------------------


def display(value: Any, *, money: bool = False) -> str:
    """A value as people read it in Dutch: "1.234,5", "€ 50,40", "30/06/2025", "ja"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        if money:
            return "€ " + formats.number_format(value, decimal_pos=2, force_grouping=True)
        normal = value.normalize() if value == value.to_integral_value() else value
        text = format(normal, "f")
        places = len(text.split(".")[1]) if "." in text else 0
        return formats.number_format(value, decimal_pos=places, force_grouping=True)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, _Column):
        return display(value.values)
    if isinstance(value, Mapping):
        return "; ".join(display(item) for item in value.values())
    if isinstance(value, tuple | list):
        return ", ".join(display(item) for item in value)
    return str(value)


def to_json(value: Any) -> Any:
    """A computed value as JSON: Decimal as a string ("50.40"), a date as ISO text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
