"""The Qt application runtime: the shell, background runner, heap helpers, self-test, resources."""
