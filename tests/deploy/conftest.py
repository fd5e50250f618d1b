"""Fixtures of the deploy tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deploy.acl_client import Client


@pytest.fixture
def clients() -> Iterator[list[Client]]:
    made: list[Client] = []
    yield made
    for client in made:
        client.close()
