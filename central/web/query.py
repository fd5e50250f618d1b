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

# An occurrence of a class, as Unix time (whole seconds) within the same years as `Week`.
FIRST_AT = 946_684_800  # 2000-01-01
LAST_AT = 7_258_118_400  # 2200-01-01
At = Annotated[
    int | None,
    Query(description="the start of one occurrence of the class (Unix time)"),
    Ge(FIRST_AT),
    Le(LAST_AT),
]
