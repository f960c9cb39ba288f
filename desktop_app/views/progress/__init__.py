"""The Progress page: what waits for upload, what the server set aside, progress files."""

from desktop_app.views.progress.page import FileDialogs, ProgressPage
from desktop_app.views.progress.sign_out import confirm_sign_out

__all__ = ["FileDialogs", "ProgressPage", "confirm_sign_out"]
