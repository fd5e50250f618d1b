"""An instructor's browser, without the browser: an HTTP client signed in to a dashboard
process as any user (cookies kept, redirects followed), pressing the live class console's
buttons as its forms do (with their CSRF token)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

HTTP_SECONDS = 10.0  # one request to a dashboard on this machine, however busy it is
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def console(center: str, class_id: str) -> str:
    """The path of a class's live console."""
    return f"/centers/{center}/classes/{class_id}"


class Instructor:
    def __init__(self, url: str, username: str, password: str) -> None:
        self.url, self.username, self.password = url, username, password
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=HTTP_SECONDS) as answer:
            return str(answer.read().decode())

    def status(self, path: str) -> int:
        """The HTTP status of a GET of `path` (a refusal's as well)."""
        try:
            with self.opener.open(self.url + path, timeout=HTTP_SECONDS) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as refused:
            with refused:  # its open response, closed
                return refused.code

    def post(self, path: str, data: dict[str, str] | list[tuple[str, str]]) -> str:
        """The page a form's post lands on (a list of pairs repeats a field)."""
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.url + path, body, timeout=HTTP_SECONDS) as answer:
            return str(answer.read().decode())

    def token(self, path: str) -> str:
        """The CSRF token of the form on `path`."""
        match = _CSRF.search(self.get(path))
        assert match, f"no form on {path}"
        return match.group(1)

    def answers(self) -> bool:
        """Whether the dashboard is up (its sign-in page is served)."""
        try:
            return "csrf_token" in self.get("/login")
        except (urllib.error.URLError, ConnectionError):
            return False

    def sign_in(self) -> str:
        """Sign in; the page it lands on (the user's centers)."""
        data = {
            "username": self.username,
            "password": self.password,
            "csrf_token": self.token("/login"),
        }
        page = self.post("/login", data)
        assert 'action="/logout"' in page, f"{self.username} was not signed in: {page}"
        return page

    def press(self, console_path: str, action: str, **details: str) -> str:
        """Press a control on the console at `console_path`; the console it comes back to
        says central's broker took it."""
        form = {"action": action, "csrf_token": self.token(console_path), **details}
        page = self.post(f"{console_path}/control", form)
        assert "보냈어요" in page, page
        return page

    def live(self, console_path: str) -> dict[str, object]:
        """The console's live part, as its page polls it."""
        found: dict[str, object] = json.loads(self.get(f"{console_path}/live"))
        return found
