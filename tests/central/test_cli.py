"""`sarangbang-central` commands that edit central's database find the one database."""

from __future__ import annotations

from pathlib import Path

import pytest

from central import cli
from central.database import open_database


def centers(db: Path) -> list[str]:
    return [row[0] for row in open_database(db).execute("SELECT id FROM centers").fetchall()]


def test_add_center_without_db_refuses_to_make_a_second_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cli.DB_ENV, raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["add-center", "mapo-2", "마포 제2경로당"])
    assert exit_.value.code == 1
    assert not (tmp_path / cli.DEFAULT_DB).exists()
    with pytest.raises(SystemExit):
        cli.main(["add-learner", "mapo-2", "김영희"])
    assert not list(tmp_path.rglob("*.db"))


def test_add_center_uses_the_database_named_by_flag_or_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    central_db = tmp_path / "srv" / "central.db"
    central_db.parent.mkdir()
    assert cli.main(["--db", str(central_db), "add-center", "mapo-2", "마포"]) == 0
    monkeypatch.setenv(cli.DB_ENV, str(central_db))
    assert cli.main(["add-center", "jongno-1", "종로"]) == 0
    assert sorted(centers(central_db)) == ["jongno-1", "mapo-2"]
    assert not (tmp_path / cli.DEFAULT_DB).exists()


def test_the_default_database_is_used_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cli.DB_ENV, raising=False)
    (tmp_path / cli.DEFAULT_DB).parent.mkdir(parents=True)
    open_database(tmp_path / cli.DEFAULT_DB).close()
    assert cli.main(["add-center", "mapo-2", "마포"]) == 0
    assert centers(tmp_path / cli.DEFAULT_DB) == ["mapo-2"]


@pytest.mark.parametrize("center", ["sarangbang-intake-1", "central-intake", "Mapo 2"])
def test_a_center_cannot_be_named_like_centrals_own_logins_or_client_ids(
    tmp_path: Path, center: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A center's id is its broker login and, on central's TLS listener, its client id:
    `sarangbang-intake-1` would take over intake's session, `central-intake` its login."""
    central_db = tmp_path / "central.db"
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--db", str(central_db), "add-center", center, "x"])
    assert exit_.value.code == 1 and center in capsys.readouterr().err
    assert centers(central_db) == []
