"""Every word the dashboard shows exists in Korean and English."""

from __future__ import annotations

import re
from pathlib import Path

import central.web
from central.web.i18n import MESSAGES

WEB = Path(central.web.__file__).parent
_USED = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""")
_KEYS_IN_CODE = re.compile(r"""["']([a-z][a-z0-9]*(?:_[a-z0-9]+)+)["']""")


def test_every_key_used_in_templates_has_both_languages() -> None:
    texts = [path.read_text() for path in WEB.glob("templates/*.html")]
    used = {key for text in texts for key in _USED.findall(text) if not key.endswith("_")}
    used |= {f"role_{role}" for role in ("admin", "instructor")}  # t('role_' ~ user.role)
    assert used, "no t('…') calls found: has the template syntax changed?"
    assert used <= MESSAGES.keys(), used - MESSAGES.keys()
    assert all(ko.strip() and en.strip() for ko, en in MESSAGES.values())


def test_error_keys_raised_in_code_have_words() -> None:
    sources = [*WEB.rglob("*.py"), *(WEB.parent).glob("*.py")]
    candidates = {k for p in sources for k in _KEYS_IN_CODE.findall(p.read_text())}
    keys = {k for k in candidates if k.startswith(("bad_", "error_", "login_", "name_", "room_"))}
    keys |= {"robot_busy", "room_busy", "username_taken", "password_length", "no_such_center"}
    assert keys <= MESSAGES.keys(), keys - MESSAGES.keys()


def test_the_everyday_and_library_words_do_not_override_the_main_table() -> None:
    from central.web import i18n_everyday, i18n_library

    source = (WEB / "i18n.py").read_text()
    assert not [key for key in i18n_everyday.EVERYDAY if f'    "{key}": (' in source]
    assert not [key for key in i18n_library.LIBRARY if f'    "{key}": (' in source]
    assert not i18n_library.LIBRARY.keys() & i18n_everyday.EVERYDAY.keys()
