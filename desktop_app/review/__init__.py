"""Spaced review of the questions of passed quizzes, scheduled by FSRS. No Qt.

The schedule is derived from the progress log: every answer to a question (in the quiz or in
review) is replayed through an FSRS scheduler, so two devices' answers merge into one schedule
as the union of their statements. Pausing a course's reviews is a statement too.
"""

from desktop_app.review.questions import ReviewQuestion
from desktop_app.review.queue import ReviewQueue
from desktop_app.review.schedule import ReviewItem, Schedule, rating_for, scheduler

__all__ = ["ReviewItem", "ReviewQuestion", "ReviewQueue", "Schedule", "rating_for", "scheduler"]
