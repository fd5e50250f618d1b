from pathlib import Path
from typing import Any

import pytest

from kiosk_app.config import KEYS, ConfigError, load_config, parse_config

GOOD = """
center_id = "seoul-jongno-1"
kiosk_id = "kiosk-2"
instructor_pin = "2580"
data_dir = "state"
theme = "high_contrast"

[screen]
diagonal_inches = 10.1
width_px = 1280
height_px = 800

[idle]
ask_after_seconds = 600
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_fills_defaults_and_resolves_paths(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.kiosk_id == "kiosk-2"
    assert config.data_dir == tmp_path / "state"
    assert config.store_path == tmp_path / "state" / "kiosk.db"
    assert config.theme == "high_contrast"
    assert config.screen.diagonal_inches == 10.1
    assert config.screen.fullscreen is True
    assert config.idle_seconds == 600
    assert config.answer_seconds == 60
    assert config.language == "ko"


BASE = {"center_id": "c", "kiosk_id": "k", "instructor_pin": "1234"}


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"instructor_pin": "12"}, "instructor_pin", "4 to 8 digits"),
        ({"instructor_pin": 2580}, "instructor_pin", "in quotes"),
        ({"kiosk_id": "Kiosk 1"}, "kiosk_id", "lowercase"),
        ({"theme": "dark"}, "theme", "'normal', 'high_contrast'"),
        ({"screen": {"diagonal_inches": 0}}, "screen.diagonal_inches", "between"),
        ({"screen": {"width_px": 1280.5}}, "screen.width_px", "whole number"),
        ({"idle": {"ask_after_seconds": 60}}, "idle.ask_after_seconds", "between 300"),
        ({"idle": {"answer_seconds": 10}}, "idle.answer_seconds", "between 30"),
        ({"screen": {"fullscreen": 1}}, "screen.fullscreen", "true or false"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"screen": {"dpi": 96, "diagonal_inches": 24}}, "screen.dpi", "not both"),
        ({"voice": {"microphone": ""}}, "voice.microphone", "device number or a part"),
        ({"voice": {"microphone": True}}, "voice.microphone", "device number or a part"),
    ],
)
def test_bad_value_names_its_key(
    tmp_path: Path, change: dict[str, Any], key: str, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(BASE | change, base=tmp_path, path=tmp_path / "kiosk.toml")
    assert caught.value.key == key
    assert f"kiosk.toml: {key}: " in str(caught.value) and words in str(caught.value)


def test_bad_value_in_a_file_names_file_and_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"kiosk\.toml: screen\.height_px: must be between"):
        load_config(write(tmp_path, GOOD.replace("height_px = 800", "height_px = 80")))


def test_missing_required_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kiosk_id: is required"):
        parse_config({"center_id": "c", "instructor_pin": "1234"}, base=tmp_path)


def test_toml_syntax_error_and_missing_file_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\(syntax\)"):
        load_config(write(tmp_path, "center_id = "))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")


def test_dpi_instead_of_diagonal(tmp_path: Path) -> None:
    config = parse_config(
        {"center_id": "c", "kiosk_id": "k", "instructor_pin": "1234", "screen": {"dpi": 96}},
        base=tmp_path,
    )
    assert config.screen.dpi == 96 and config.screen.diagonal_inches is None


def test_every_config_key_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "kiosk.md").read_text(encoding="utf-8")
    missing = [key.name for key in KEYS if f"`{key.name}`" not in docs]
    assert not missing, f"docs/kiosk.md does not describe: {missing}"


def test_broker_login_reads_username_and_a_password_file_beside_the_config(
    tmp_path: Path,
) -> None:
    from kiosk_app.site_link import site_broker

    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "kiosk.password").write_text("s3cret\n")
    login = '[broker]\nusername = "kiosk.kiosk-2"\npassword_file = "secrets/kiosk.password"\n'
    config = load_config(write(tmp_path, GOOD + login))
    assert config.broker_password_file == tmp_path / "secrets" / "kiosk.password"
    broker = site_broker(config)
    assert (broker.username, broker.password) == ("kiosk.kiosk-2", "s3cret")


@pytest.mark.parametrize("key", ['username = "kiosk.kiosk-2"', 'password_file = "pw"'])
def test_broker_login_needs_both_username_and_password_file(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match="together"):
        load_config(write(tmp_path, f"{GOOD}[broker]\n{key}\n"))


@pytest.mark.parametrize("microphone", [2, "USB"])
def test_the_microphone_is_a_device_number_or_part_of_its_name(
    tmp_path: Path, microphone: int | str
) -> None:
    config = parse_config(BASE | {"voice": {"microphone": microphone}}, base=tmp_path)
    assert config.microphone == microphone
    assert parse_config(BASE, base=tmp_path).microphone is None
