"""Which centers a request may touch: an instructor only their assigned centers, an admin all.

A center that is not the user's is answered exactly like one that does not exist (404):
an instructor cannot even learn which other centers there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from central.overview import can_see, center_name
from central.web.auth import CurrentUser
from central.web.connections import Connections

CenterId = Annotated[str, Path(max_length=64, description="center id (a slug)")]


class NotVisible(LookupError):
    """No such thing among what this user may see."""


@dataclass(frozen=True)
class CenterRef:
    id: str
    name: str


def visible_center(request: Request, center: CenterId, user: CurrentUser) -> CenterRef:
    """Dependency: the path's center, if the signed-in user may see it."""
    connections: Connections = request.app.state.connections
    name = center_name(connections.get(), center) if can_see(user, center) else None
    if name is None:
        raise NotVisible(center)
    return CenterRef(center, name)


Center = Annotated[CenterRef, Depends(visible_center)]
