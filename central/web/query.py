"""Query parameters that pages and the API share, with their bounds checked up front."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Query

# Far enough either way for any schedule; near enough that a week's bounds (the Monday
# before, seven days after, as Unix time) never leave the calendar: 9999-12-31 was a 500.
FIRST_WEEK = date(2000, 1, 1)
LAST_WEEK = date(2199, 12, 31)

Week = Annotated[
    date | None,
    Query(description=f"any day of the week to show ({FIRST_WEEK} to {LAST_WEEK})"),
    Ge(FIRST_WEEK),
    Le(LAST_WEEK),
]
