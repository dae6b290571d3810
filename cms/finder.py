"""The decision tree of a guided finder, and the applicant's way through it.

Editors write the questions of a :class:`~cms.models.FinderPage` as a list; each answer
names the question that comes next, or ends the way and recommends services. The first
question is where everyone starts.

The applicant's way is a *path*: the index of the answer they chose at each question,
in order (``[0, 2]``: the first answer to the first question, then the third answer to
the question that followed). The path lives in the URL (``?pad=0-2``), so going back,
changing an answer, bookmarking and printing the result need no session and no
JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.translation import ENGLISH, translated


def question_name(text: str) -> str:
    """The short name a question gets from its text (also how typed names compare)."""
    return slugify(text)[:100]


class TextsOf(dict):
    """A block's value whose texts :func:`core.translation.translated` can read as
    attributes (``value.question``, ``value.question_en``)."""

    def __getattr__(self, name: str):
        return self.get(name)


@dataclass(frozen=True)
class Answer:
    label: str
    next_question: str = ""
    services: tuple = ()
    advice: Any = ""
    #: "nl" when an English visitor reads the Dutch text (core.translation), else "".
    label_lang: str = ""
    advice_lang: str = ""


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    hint: str = ""
    answers: tuple[Answer, ...] = ()
    text_lang: str = ""
    hint_lang: str = ""


@dataclass(frozen=True)
class Step:
    """One answered question on the applicant's path."""

    position: int
    question: Question
    answer_index: int

    @property
    def answer(self) -> Answer:
        return self.question.answers[self.answer_index]


@dataclass
class DecisionTree:
    questions: list[Question] = field(default_factory=list)

    @classmethod
    def from_blocks(cls, stream: Iterable, *, english: bool = False) -> DecisionTree:
        """The tree of a FinderPage's ``questions`` StreamField; with ``english``, its
        texts as a visitor who chose English reads them (the English ones the editor
        wrote, else the Dutch ones marked Dutch). Names and answers stay the same."""

        def text(value, name: str) -> tuple[Any, str]:
            found = translated(value, name, ENGLISH if english else settings.LANGUAGE_CODE)
            return found.text or "", found.lang

        questions = []
        for block in stream:
            value = TextsOf(block.value)
            answers = []
            for answer in value["answers"]:
                answer = TextsOf(answer)
                label, label_lang = text(answer, "label")
                advice, advice_lang = text(answer, "advice")
                answers.append(
                    Answer(
                        label=label,
                        next_question=question_name(answer.get("next_question") or ""),
                        services=tuple(page for page in answer.get("services") or [] if page),
                        advice=advice,
                        label_lang=label_lang,
                        advice_lang=advice_lang,
                    )
                )
            question, question_lang = text(value, "question")
            hint, hint_lang = text(value, "hint")
            questions.append(
                Question(
                    name=question_name(value.get("name") or value["question"]),
                    text=question,
                    hint=hint,
                    answers=tuple(answers),
                    text_lang=question_lang,
                    hint_lang=hint_lang,
                )
            )
        return cls(questions)

    @property
    def first(self) -> Question | None:
        return self.questions[0] if self.questions else None

    def get(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)

    # --- the applicant's way -----------------------------------------------------------

    def walk(self, path: list[int]) -> list[Step] | None:
        """The steps of ``path`` from the first question; None when the path does not fit
        this tree (an answer that does not exist, or answers after the end)."""
        steps: list[Step] = []
        question = self.first
        for position, index in enumerate(path):
            if question is None or not 0 <= index < len(question.answers):
                return None
            step = Step(position, question, index)
            steps.append(step)
            question = self.get(step.answer.next_question) if step.answer.next_question else None
        return steps

    def question_after(self, steps: list[Step]) -> Question | None:
        """The question to ask after ``steps``; None when the way has ended."""
        if not steps:
            return self.first
        next_name = steps[-1].answer.next_question
        return self.get(next_name) if next_name else None

    @staticmethod
    def recommended_services(steps: list[Step]) -> list:
        """The live services of every chosen answer, each once, in the order of the way."""
        services, seen = [], set()
        for step in steps:
            for page in step.answer.services:
                if page.pk not in seen and page.live:
                    services.append(page.specific)
                    seen.add(page.pk)
        return services

    # --- editors -----------------------------------------------------------------------

    def problems(self) -> list[str]:
        """What makes the tree unusable, in words for the editor (empty: it is fine).

        Refused: two questions with one name, an answer naming a question that does not
        exist, an answer that ends the way without recommending anything, and loops.
        Questions nobody reaches are allowed, so that editors can build in steps.
        """
        problems = []
        names = [q.name for q in self.questions]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(_('Two questions have the short name "%(name)s".') % {"name": name})
        for question in self.questions:
            for answer in question.answers:
                where = {"answer": answer.label, "question": question.text}
                if answer.next_question and self.get(answer.next_question) is None:
                    problems.append(
                        _(
                            'The answer "%(answer)s" to "%(question)s" leads to the question '
                            '"%(next)s", which does not exist.'
                        )
                        % {**where, "next": answer.next_question}
                    )
                elif not answer.next_question and not answer.services and not answer.advice:
                    problems.append(
                        _(
                            'The answer "%(answer)s" to "%(question)s" ends the way but '
                            "recommends nothing: choose a next question, a service or advice."
                        )
                        % where
                    )
        if loop := self._find_loop():
            problems.append(
                _("The questions go round in a circle: %(loop)s.") % {"loop": " → ".join(loop)}
            )
        return problems

    def _find_loop(self) -> list[str] | None:
        """The names of a circle of questions, if answers lead round in one."""
        done: set[str] = set()

        def visit(name: str, trail: list[str]) -> list[str] | None:
            if name in trail:
                return trail[trail.index(name) :] + [name]
            if name in done:
                return None
            question = self.get(name)
            if question is None:
                return None
            for answer in question.answers:
                if answer.next_question and (loop := visit(answer.next_question, trail + [name])):
                    return loop
            done.add(name)
            return None

        for question in self.questions:
            if loop := visit(question.name, []):
                return loop
        return None


def parse_path(raw: str | None) -> list[int] | None:
    """``"0-2-1"`` → ``[0, 2, 1]``; None when it is not a path."""
    if not raw:
        return []
    parts = raw.split("-")
    if len(parts) > 100 or not all(part.isdigit() and len(part) <= 3 for part in parts):
        return None
    return [int(part) for part in parts]


def format_path(path: list[int]) -> str:
    return "-".join(str(index) for index in path)
