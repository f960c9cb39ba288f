"""The Review page (`page`): the questions of passed quizzes that are due, one at a time; and
the navigation item's text (`nav`), which needs PySide6 alone so the window's frame can show
it before the account is open."""
