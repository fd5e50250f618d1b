"""Property-based fuzzing of every page's query parameters (the API has its own, from its
OpenAPI document): no value, however odd, makes a page fail (5xx); dates far away are
refused with words, in addresses and in the class form."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.central.web.conftest import CENTER, Dashboard, app_routes, post
from tests.central.web.test_forms import NEW_CLASS, class_form

EXAMPLES_PER_PAGE = 40
# Values that have broken date, number and text handling elsewhere, then anything at all.
ODD = st.sampled_from(
    [
        "9999-12-31", "0001-01-01", "1969-12-31", "2038-01-19", "2024-02-30", "-1", "0",
        "99999999999999999999", "1e309", "NaN", "inf", "", " ", "%00", "\x00", "\u202e",
        "../../etc/passwd", "//evil.example", "phone-call", "a" * 5000,
    ]
)  # fmt: skip
VALUES = st.one_of(
    ODD, st.dates().map(str), st.integers().map(str), st.text(max_size=80), st.floats().map(str)
)


def page_routes(dashboard: Dashboard) -> dict[str, list[str]]:
    """GET pages (not the API) and their query parameters, path parameters filled in."""
    fill = {"center": CENTER, "learner_id": dashboard.learner}
    found = {}
    for method, path, route in app_routes(dashboard.app):
        if method != "GET" or route is None or path.startswith("/api/"):
            continue
        params = [p.name for p in route.dependant.query_params]
        for name in route.param_convertors:
            path = path.replace("{" + name + "}", fill.get(name, "x"))
        found[path] = params
    return found


def test_no_query_parameter_makes_a_page_fail(dashboard: Dashboard) -> None:
    client = dashboard.client("admin")
    routes = page_routes(dashboard)
    assert {"/", f"/centers/{CENTER}/schedule", "/login"} <= routes.keys()
    statuses: Counter[int] = Counter()

    def fuzzer(path: str, params: list[str]) -> Callable[[], None]:
        @given(values=st.fixed_dictionaries({name: VALUES for name in params}))
        @settings(
            max_examples=EXAMPLES_PER_PAGE,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(values: dict[str, str]) -> None:
            response = client.get(path, params=values)
            statuses[response.status_code] += 1
            assert response.status_code < 500, (path, values, response.status_code)

        return fuzz  # type: ignore[no-any-return]

    for path, params in routes.items():
        if params:
            fuzzer(path, params)()
    assert statuses[200] > 0 and statuses[422] > 0, statuses


def test_a_week_far_away_is_refused_with_a_clear_message(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    for week in ("9999-12-31", "0001-01-01", "1900-01-01"):
        page = client.get(f"/centers/{CENTER}/schedule", params={"week": week})
        assert page.status_code == 422 and "올바르지 않아요" in page.text
        api = client.get(f"/api/v1/centers/{CENTER}/classes", params={"week": week})
        assert api.status_code == 422 and api.json()["error"] == "error_422"
    assert client.get(f"/centers/{CENTER}/schedule?week=2030-03-04").status_code == 200


def test_a_class_far_in_the_future_is_refused_next_to_its_field(dashboard: Dashboard) -> None:
    client = dashboard.client("kim")
    for starts in ("9999-12-31T23:00", "2199-12-31T23:00"):
        response = post(client, NEW_CLASS, class_form(starts=starts))
        assert response.status_code == 422 and "2년 안의 날짜" in response.text, starts
