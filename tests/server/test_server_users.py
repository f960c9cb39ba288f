"""`python -m reference_server users`: add, set an e-mail address, disable, reset a password,
enrol, list; each bad input refused in one sentence with exit status 1, checked against a
running server."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from reference_server import ReferenceServer
from reference_server.__main__ import main
from reference_server.models import User
from reference_server.users import UserError, Users

from .testkit import PASSWORD, Api, assert_problem

REPOSITORY = Path(__file__).resolve().parents[2]


def _users(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    *args: str,
    password: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    code = main(["users", "--data", str(data), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def users(server: ReferenceServer, database_url: str | None, capsys, monkeypatch):
    """The users command on the server's data folder and database."""
    database = ("--database-url", database_url) if database_url else ()

    def run(*args: str, password: str = "") -> tuple[int, str, str]:
        arguments = (*database, *args)
        return _users(capsys, monkeypatch, server.backend.data_dir, *arguments, password=password)

    return run


def test_an_added_user_signs_in(server: ReferenceServer, users) -> None:
    code, out, err = users(
        "add", "dee", "--name", "Dee Ndiaye", "--password-stdin", password="s3cret-pass"
    )
    assert (code, out, err) == (0, "added dee (u-dee)\n", "")
    response = Api(server.url, "").sign_in("dee", "s3cret-pass")
    assert response.status_code == 200
    assert response.json()["user"] == {
        "id": "u-dee",
        "username": "dee",
        "display_name": "Dee Ndiaye",
    }


def test_an_address_is_added_set_changed_and_removed(server: ReferenceServer, users) -> None:
    """Kept in lower case; the list shows it, `-` for none."""
    added = users(
        "add", "dee", "--name", "Dee", "--email", " Dee.Ndiaye@Hospital.Example ",
        "--password-stdin", password="s3cret-pass",
    )  # fmt: skip
    assert added[:2] == (0, "added dee (u-dee)\n")
    set_ = users("set-email", "ana", "Ana.Ortiz@hospital.example")
    assert set_[:2] == (0, "ana: e-mail address ana.ortiz@hospital.example\n")
    assert users("set-email", "ana", "ana@clinic.example")[0] == 0
    assert users("set-email", "ben", "--none")[:2] == (0, "ben: no address\n")
    emails = {line.split("\t")[0]: line.split("\t")[-1] for line in users("list")[1].splitlines()}
    assert emails == {
        "username": "email",
        "ana": "ana@clinic.example",
        "ben": "-",
        "cy": "-",
        "dee": "dee.ndiaye@hospital.example",
    }
    assert users("set-email", "ana", "--none")[0] == 0
    with server.backend.db.read() as session:
        assert session.get(User, "u-ana").email is None  # type: ignore[union-attr]


def test_an_address_another_user_has_is_refused(server: ReferenceServer, users) -> None:
    assert users("set-email", "ana", "ana@hospital.example")[0] == 0
    taken = "error: The address ana@hospital.example is already that of 'ana'.\n"
    assert users("set-email", "ben", "ANA@hospital.example")[1:] == ("", taken)
    added = users(
        "add", "dee", "--name", "Dee", "--email", "ana@hospital.example", "--password-stdin",
        password="s3cret-pass",
    )  # fmt: skip
    assert added == (1, "", taken)
    assert users("set-email", "ana", "ana@hospital.example")[0] == 0  # already hers
    names = [line.split("\t")[0] for line in users("list")[1].splitlines()]
    assert "dee" not in names


def test_a_disabled_user_cannot_sign_in_and_is_signed_out(server: ReferenceServer, users) -> None:
    api = Api(server.url, "ben")
    assert api.get("/api/v1/sync/catalog").status_code == 200
    assert users("disable", "ben")[:2] == (0, "ben: disabled, signed out everywhere\n")
    assert_problem(api.get("/api/v1/sync/catalog"), 401, "unauthorized")
    refused = assert_problem(Api(server.url, "").sign_in("ben"), 401, "unauthorized")
    assert refused["detail"] == "This account is disabled. Ask your programme's administrator."
    assert_problem(Api(server.url, "").sign_in("ben", "wrong"), 401, "unauthorized")
    assert users("enable", "ben")[0] == 0
    assert Api(server.url, "").sign_in("ben").status_code == 200


def test_a_reset_password_replaces_the_old_one(server: ReferenceServer, users) -> None:
    api = Api(server.url, "ana")
    code, out, _ = users("reset-password", "ana", "--password-stdin", password="a-new-password")
    assert (code, out) == (0, "ana: new password set, signed out everywhere\n")
    assert_problem(api.get("/api/v1/sync/catalog"), 401, "unauthorized")
    assert_problem(Api(server.url, "").sign_in("ana", PASSWORD), 401, "unauthorized")
    assert Api(server.url, "").sign_in("ana", "a-new-password").status_code == 200


def test_enrolment_reaches_the_learners_schedule(server: ReferenceServer, users) -> None:
    api = Api(server.url, "cy")
    assert "r-chicago" not in str(api.feed("schedule")["items"])
    assert users("enrol", "cy", "r-chicago")[:2] == (0, "cy: enrolled in r-chicago\n")
    assert users("enrol", "cy", "r-chicago")[:2] == (0, "cy: already enrolled in r-chicago\n")
    schedule = api.feed("schedule")["items"]
    assert any("r-chicago" in str(item) for item in schedule), schedule


def test_list_shows_each_user_state_hash_and_residencies(server: ReferenceServer, users) -> None:
    users("disable", "cy")
    code, out, err = users("list")
    assert code == 0 and err == "3 user(s)\n"
    lines = out.splitlines()
    assert lines[0] == "username\tdisplay_name\tid\tstate\tpassword\tresidencies\temail"
    assert lines[1] == "ana\tAna Ortiz\tu-ana\tactive\targon2id\tr-chicago\t-"
    assert lines[3].startswith("cy\tCy Outsider\tu-cy\tdisabled\targon2id\t")


@pytest.mark.parametrize(
    ("args", "password", "sentence"),
    [
        (("add", "ana", "--name", "Ana"), "long-enough", "A user named 'ana' already exists."),
        (("add", "dee", "--name", "Dee"), "short", "The password must have at least 8 characters."),
        (("add", "d e", "--name", "Dee"), "long-enough", "The username 'd e' has a space"),
        (("disable", "nobody"), "", "No user is named 'nobody'."),
        (("reset-password", "nobody"), "long-enough", "No user is named 'nobody'."),
        (("enrol", "nobody", "r-chicago"), "", "No user is named 'nobody'."),
        (("set-email", "nobody", "n@hospital.example"), "", "No user is named 'nobody'."),
        (
            ("set-email", "ana", "ana at hospital"),
            "",
            "'ana at hospital' is not an e-mail address such as ana@hospital.example.",
        ),
        (
            ("set-email", "ana", "ana..o@hospital.example"),
            "",
            "'ana..o@hospital.example' is not an e-mail address",
        ),
        (
            ("add", "dee", "--name", "Dee", "--email", "dee@"),
            "long-enough",
            "'dee@' is not an e-mail address such as ana@hospital.example.",
        ),
        (("enrol", "ana", "r-nowhere"), "", "No residency has the id 'r-nowhere'."),
        (
            ("enrol", "ana", "c-privacy"),
            "",
            "'c-privacy' is a course: courses are open to every learner, "
            "so only residencies take enrolments.",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_exit_status_1(
    server: ReferenceServer, users, args: tuple[str, ...], password: str, sentence: str
) -> None:
    if args[0] in ("add", "reset-password"):
        args = (*args, "--password-stdin")
    code, out, err = users(*args, password=password)
    assert code == 1 and out == ""
    assert err.startswith("error: " + sentence) and err.count("\n") == 1, err


def test_the_command_runs_as_a_process_and_a_usage_error_is_2(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "reference_server", "users", "--data", str(tmp_path)]
    added = subprocess.run(
        [*command, "add", "eve", "--name", "Eve", "--password-stdin"],
        input="long-enough\n",
        capture_output=True,
        text=True,
        cwd=REPOSITORY,
        timeout=60,
    )
    assert (added.returncode, added.stdout) == (0, "added eve (u-eve)\n"), added.stderr
    wrong = subprocess.run(
        [*command, "frobnicate"], capture_output=True, text=True, cwd=REPOSITORY, timeout=60
    )
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_a_reset_password_lifts_the_sign_in_limit(server: ReferenceServer, users) -> None:
    for _ in range(10):
        Api(server.url, "").sign_in("ben", "wrong")
    assert_problem(Api(server.url, "").sign_in("ben"), 429, "rate-limited")
    assert users("reset-password", "ben", "--password-stdin", password="fresh-password")[0] == 0
    assert Api(server.url, "").sign_in("ben", "fresh-password").status_code == 200


def _until_a_writer_waits(server: ReferenceServer, adding: threading.Thread) -> None:
    """On PostgreSQL, until the adding thread waits for the other's row (SQLite's write lock
    makes it wait before it reads, so it sees the row either way)."""
    if server.backend.db.engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 20
    query = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    with server.backend.db.engine.connect() as connection:
        while adding.is_alive() and not connection.execute(query).scalar():
            assert time.monotonic() < deadline, "the second add never reached the row"
            time.sleep(0.02)


def test_two_adds_of_one_name_at_once_end_in_one_user_and_one_sentence(
    server: ReferenceServer,
) -> None:
    outcome: list[BaseException | str] = []

    def add() -> None:
        try:
            outcome.append(Users(server.backend).add("zoe", "long-enough", "Zoe"))
        except Exception as error:
            outcome.append(error)

    adding = threading.Thread(target=add)
    with server.backend.db.write() as session:
        session.add(
            User(
                id="u-zoe",
                username="zoe",
                display_name="Zoe",
                password_salt=b"",
                password_hash=b"x",
            )
        )
        session.flush()
        adding.start()
        _until_a_writer_waits(server, adding)
    adding.join(timeout=30)
    (error,) = outcome
    assert isinstance(error, UserError), error
    assert str(error) == "A user named 'zoe' already exists."
