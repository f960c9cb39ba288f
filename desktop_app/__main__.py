"""`python -m desktop_app`: the window, or a headless command (sync, status, download, …)."""

from __future__ import annotations

import argparse
import os
import sys

from desktop_app.cli.exit_codes import summary as exit_codes

COMMANDS = (
    "sync",
    "status",
    "download",
    "checkin",
    "import",
    "export",
    "requeue",
    "package",
    "diagnostics",
    "certificate",
    "verify",
)


def gui_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rounds", description="Rounds learning client")
    parser.add_argument("--version", action=ShowVersion)
    parser.add_argument("--server", help="server URL (default: the last one used)")
    parser.add_argument("--user", help="username (default: the last one signed in)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the bundled reference server with the sample curriculum and sign in as ana",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window offscreen on a throw-away cache, then exit (0 = healthy)",
    )
    parser.epilog = (
        f"Headless commands: {', '.join(COMMANDS)} (try COMMAND --help). "
        f"Their exit codes: {exit_codes()}."
    )
    return parser.parse_args(argv)


class ShowVersion(argparse.Action):
    """`--version`: prints "Rounds 1.2.3" and exits; the version is read only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **_: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from desktop_app.version import rounds_version

        print(f"Rounds {rounds_version()}")
        parser.exit()


SYNC_PROCESS = "--sync-process"  # the window's sync, started by desktop_app.sync_process


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == [SYNC_PROCESS]:
        from desktop_app.sync_process import serve_standard_streams

        return serve_standard_streams()
    if argv and argv[0] in COMMANDS:
        from desktop_app.cli.main import run

        return run(argv)
    args = gui_arguments(argv)
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.gui.launch import run_gui

    return run_gui(args)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the installed build: a PAC file's child process
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
