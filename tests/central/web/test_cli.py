"""`sarangbang-central create-admin` prints a generated password once, and it works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from central.accounts import authenticate
from central.cli import main
from central.database import open_database


def test_create_admin_prints_a_working_password_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "central.db"
    assert main(["--db", str(db_path), "create-admin", "Boss"]) == 0
    printed = capsys.readouterr().out
    password = re.search(r"admin boss password: (\S+)", printed).group(1)  # type: ignore[union-attr]
    assert len(password) >= 16
    assert authenticate(open_database(db_path), "boss", password).result == "ok"
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_path), "create-admin", "boss"])
    assert exit_.value.code == 1
    error = capsys.readouterr().err
    assert "That user name is taken." in error and password not in error


def test_the_cli_refuses_the_names_the_forms_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "central.db")]
    for command in (
        ["add-center", "c-1", "\u202eevil"],
        ["create-admin", "boss", "--name", "\u200b"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main([*db, *command])
        assert exit_.value.code == 1, command
    assert main([*db, "add-center", "c-1", "경로당"]) == 0
    with pytest.raises(SystemExit):
        main([*db, "add-learner", "c-1", "김\x07영희"])
    assert "visible characters" in capsys.readouterr().err
    assert main([*db, "add-learner", "c-1", "  김영희  "]) == 0
