"""Security headers on every answer; HSTS whenever the dashboard is reached over https."""

from __future__ import annotations

from fastapi.testclient import TestClient

from central.web.app import create_app
from central.web.settings import WebSettings
from tests.central.web.conftest import Dashboard


def test_hsts_over_https_and_never_over_plain_http(dashboard: Dashboard) -> None:
    settings = WebSettings(dashboard.db_path, "s" * 40)
    https = TestClient(create_app(settings), base_url="https://testserver")
    plain = TestClient(create_app(settings), base_url="http://testserver")
    for path in ("/login", "/nowhere"):
        assert https.get(path).headers["strict-transport-security"] == "max-age=31536000"
        assert "strict-transport-security" not in plain.get(path).headers


def test_hsts_behind_an_https_proxy(dashboard: Dashboard) -> None:
    """Behind a TLS proxy the app sees http; `secure_cookies` says https is in front."""
    settings = WebSettings(dashboard.db_path, "s" * 40, secure_cookies=True)
    client = TestClient(create_app(settings), base_url="http://testserver")
    assert "max-age=" in client.get("/login").headers["strict-transport-security"]


def test_every_answer_carries_the_security_headers(dashboard: Dashboard) -> None:
    client = dashboard.client()
    too_large = client.post("/login", content=b"x" * (1 << 20), headers={"content-type": "a/b"})
    for response in (client.get("/login"), client.get("/nowhere"), too_large):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    assert too_large.status_code == 413
