"""Quizzes as typed values, and local scoring. No Qt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.text import translate

UNREADABLE = translate("progress", "The quiz could not be read ({reason}).")
NO_QUESTIONS = translate("progress", "The quiz has no questions.")
BAD_PASS_MARK = translate("progress", "The pass mark {pass_mark} is not between 0 and 1.")


class QuizFormatError(ValueError):
    """The quiz document does not have the shape docs/api.md describes."""


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    multiple: bool
    choices: tuple[Choice, ...]
    correct: frozenset[str]
    feedback: str


@dataclass(frozen=True)
class Quiz:
    pass_mark: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class QuizResult:
    score: float
    passed: bool
    correct: dict[str, bool]  # question id -> answered right


def parse_quiz(document: Mapping[str, Any]) -> Quiz:
    """A `Quiz` from the lesson's quiz document; `QuizFormatError` if it is malformed."""
    try:
        questions = tuple(_parse_question(q) for q in document["questions"])
        pass_mark = float(document.get("pass_mark", 1.0))
    except (KeyError, TypeError, ValueError) as error:
        raise QuizFormatError(UNREADABLE.format(reason=str(error))) from error
    if not questions:
        raise QuizFormatError(NO_QUESTIONS)
    if not 0.0 <= pass_mark <= 1.0:
        raise QuizFormatError(BAD_PASS_MARK.format(pass_mark=pass_mark))
    return Quiz(pass_mark=pass_mark, questions=questions)


def _parse_question(raw: Mapping[str, Any]) -> Question:
    choices = tuple(Choice(id=str(c["id"]), text=str(c["text"])) for c in raw["choices"])
    if not choices:
        raise ValueError(f"question {raw['id']} has no choices")
    return Question(
        id=str(raw["id"]),
        prompt=str(raw["prompt"]),
        multiple=bool(raw.get("multiple", False)),
        choices=choices,
        correct=frozenset(str(c) for c in raw["correct"]),
        feedback=str(raw.get("feedback") or ""),
    )


def score_quiz(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> QuizResult:
    """Score = questions answered right / all questions; a question is right only with the
    exact set of correct choices (so a multiple-choice question needs every right choice and
    no wrong one)."""
    correct = {q.id: frozenset(answers.get(q.id, ())) == q.correct for q in quiz.questions}
    score = sum(correct.values()) / len(quiz.questions)
    # A tiny tolerance so that, e.g., 4/5 passes a pass mark of 0.8.
    return QuizResult(score=score, passed=score + 1e-9 >= quiz.pass_mark, correct=correct)
