"""Setting central's key in a kiosk's TOML by changing one line (deploy/kiosk_trust.py)."""

from __future__ import annotations

import tomllib

import pytest

from deploy.kiosk_trust import TrustEditError, library_table, with_trusted_key

KEY = "ed25519:" + "A" * 43 + "="
NEW = "ed25519:" + "B" * 43 + "="
BASE = 'center_id = "mapo-2"  # the center\nkiosk_id = "kiosk-1"\ninstructor_pin = "123456"\n'


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_a_toml_without_a_library_table_gets_one_at_the_end() -> None:
    assert with_trusted_key(BASE, KEY) == BASE + "\n" + library_table(KEY)
    no_newline = BASE.rstrip("\n")
    edited = with_trusted_key(no_newline, KEY)
    assert edited.startswith(no_newline + "\n")
    assert tomllib.loads(edited)["library"] == {"trusted_keys": [KEY]}


def test_the_key_it_already_trusts_changes_nothing() -> None:
    text = BASE + "\n" + library_table(KEY)
    assert with_trusted_key(text, KEY) == text


def test_a_new_key_replaces_only_the_trusted_keys_line() -> None:
    text = BASE + "\n[library]  # published lessons\n" + f'trusted_keys = ["{KEY}"]\n'
    text += '\n[broker]\nhost = "localhost"\n'
    edited = with_trusted_key(text, NEW)
    assert changed_lines(text, edited) == [
        (f'trusted_keys = ["{KEY}"]', f'trusted_keys = ["{NEW}"]')
    ]


def test_a_key_list_over_several_lines_becomes_the_one_line() -> None:
    keys = f'trusted_keys = [\n  "{KEY}",  # old\n  "{NEW}",\n]\n'
    text = BASE + "[library]\n" + keys + "[voice]\nmicrophone = 1\n"
    edited = with_trusted_key(text, NEW)
    assert edited == BASE + f'[library]\ntrusted_keys = ["{NEW}"]\n[voice]\nmicrophone = 1\n'


def test_a_library_table_without_the_key_gets_the_line_under_its_header() -> None:
    text = BASE + "[library]\n\n[broker]\nport = 1883\n"
    edited = with_trusted_key(text, KEY)
    assert edited == BASE + f'[library]\ntrusted_keys = ["{KEY}"]\n\n[broker]\nport = 1883\n'


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (BASE + f'library = {{ trusted_keys = ["{KEY}"] }}\n', "inline or dotted"),
        (BASE + f'library.trusted_keys = ["{KEY}"]\n', "inline or dotted"),
        (BASE + "kiosk_id = \n", "it is not TOML"),
    ],
)
def test_what_one_line_cannot_set_is_refused(text: str, why: str) -> None:
    with pytest.raises(TrustEditError, match=why):
        with_trusted_key(text, NEW)
