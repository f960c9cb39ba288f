"""Quizzes scored locally: the exact set of right choices, the pass mark, malformed documents."""

from __future__ import annotations

import pytest
from quiz_samples import QUIZ, RIGHT

from desktop_app.progress.quiz_scoring import QuizFormatError, parse_quiz, score_quiz


def test_a_multiple_choice_question_needs_exactly_the_right_set() -> None:
    quiz = parse_quiz(QUIZ)
    assert score_quiz(quiz, RIGHT).score == 1.0
    assert score_quiz(quiz, {"q1": ["b"], "q2": ["a"]}).correct == {"q1": True, "q2": False}
    assert score_quiz(quiz, {"q1": ["b"], "q2": ["a", "b", "c"]}).score == 0.5
    assert not score_quiz(quiz, {"q1": ["b"]}).passed


def test_a_score_equal_to_the_pass_mark_passes() -> None:
    questions = [
        {"id": f"q{n}", "prompt": "?", "choices": [{"id": "a", "text": "A"}], "correct": ["a"]}
        for n in range(5)
    ]
    quiz = parse_quiz({"pass_mark": 0.8, "questions": questions})
    result = score_quiz(quiz, {f"q{n}": ["a"] for n in range(4)})
    assert (result.score, result.passed) == (0.8, True)


@pytest.mark.parametrize(
    "document",
    [{}, {"questions": []}, {"questions": [{"id": "q"}]}, {"pass_mark": 2, "questions": []}],
)
def test_a_malformed_quiz_is_refused(document: dict[str, object]) -> None:
    with pytest.raises(QuizFormatError):
        parse_quiz(document)
