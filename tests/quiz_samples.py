"""A two-question quiz as the server sends it, with answers that pass and fail it; no Qt, so
the scoring tests and the player's tests share it."""

from __future__ import annotations

QUIZ = {
    "pass_mark": 0.8,
    "questions": [
        {
            "id": "q1",
            "prompt": "Which setting keeps a post visible to colleagues only?",
            "multiple": False,
            "choices": [{"id": "a", "text": "Public"}, {"id": "b", "text": "Colleagues only"}],
            "correct": ["b"],
            "feedback": "Restricting the audience limits who can see the post.",
        },
        {
            "id": "q2",
            "prompt": "Which of these identify a patient?",
            "multiple": True,
            "choices": [
                {"id": "a", "text": "Name"},
                {"id": "b", "text": "Ward photo with a face"},
                {"id": "c", "text": "A general statistic"},
            ],
            "correct": ["a", "b"],
            "feedback": "Names and faces identify; aggregate figures do not.",
        },
    ],
}
RIGHT = {"q1": ["b"], "q2": ["a", "b"]}
WRONG = {"q1": ["a"], "q2": ["a"]}
