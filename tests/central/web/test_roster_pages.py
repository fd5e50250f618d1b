"""The roster of a big center (343 learners, as instructors have): paged, sorted by name,
searched, in bookmarkable addresses that every form on the page comes back to."""

from __future__ import annotations

import re

import pytest

from central.database import open_database, write_transaction
from central.roster import ROSTER_PAGE_SIZE
from tests.central.web.conftest import CENTER, Dashboard, csrf_of, post

ROSTER = f"/centers/{CENTER}/roster"
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["영희", "철수", "순자", "복순", "말순", "영수", "정자", "옥순", "민수", "경자"]
_ROW = re.compile(r'<tr data-learner="([^"]+)"[^>]*>\s*<th scope="row"><a [^>]+>([^<]+)</a>')


@pytest.fixture
def big(dashboard: Dashboard) -> Dashboard:
    """343 learners more in CENTER (344 with the seeded 김영희), added in a known order."""
    db = open_database(dashboard.db_path)
    with write_transaction(db) as conn:
        conn.executemany(
            "INSERT INTO learners (id, center, name, color) VALUES (?, ?, ?, 'blue')",
            [
                (f"l-big-{n:03d}", CENTER, f"{SURNAMES[n % 20]}{GIVEN[n // 20 % 10]} {n}")
                for n in range(343)
            ],
        )
    return dashboard


def rows(page: str) -> list[tuple[str, str]]:
    return _ROW.findall(page)


def test_the_roster_comes_a_page_at_a_time_by_name(big: Dashboard) -> None:
    kim = big.client("kim")
    first = kim.get(ROSTER)
    shown = rows(first.text)
    assert len(shown) == ROSTER_PAGE_SIZE and "344명 중 1–50" in first.text
    assert len(first.content) < 80_000  # all 344 at once was over 300 KB
    names = [name for _, name in shown]
    assert names == sorted(names) and names[0].startswith("강")
    assert 'href="/centers/gangnam-1/roster?page=1"' in first.text
    last = kim.get(ROSTER, params={"page": 6}).text
    assert len(rows(last)) == 344 - 6 * ROSTER_PAGE_SIZE and 'rel="next"' not in last
    newest = rows(kim.get(ROSTER, params={"sort": "newest"}).text)
    assert newest[0] == ("l-big-342", f"{SURNAMES[342 % 20]}{GIVEN[342 // 20 % 10]} 342")


def test_a_search_finds_names_and_keeps_its_place(big: Dashboard) -> None:
    kim = big.client("kim")
    found = kim.get(ROSTER, params={"q": "영희"}).text
    names = [name for _, name in rows(found)]
    assert names and all("영희" in name for name in names)
    assert "‘영희’ 찾은 " in found and f"{len(names) if len(names) < 50 else 50}" in found
    assert "이(가) 들어간 이름이 없어요" in kim.get(ROSTER, params={"q": "없는이름"}).text
    assert kim.get(ROSTER, params={"sort": "sideways"}).status_code == 422
    # a rename from the second page of a search comes back to that page
    page = kim.get(ROSTER, params={"q": "순", "page": 1}).text
    learner, _ = rows(page)[0]
    assert 'name="q" value="순"' in page and 'name="page" value="1"' in page  # in each form
    done = post(kim, f"{ROSTER}/{learner}", {"name": "김바뀐순", "q": "순", "page": "1"})
    assert done.status_code == 303
    assert done.headers["location"] == f"{ROSTER}?q=%EC%88%9C&page=1"
    hidden = post(kim, f"{ROSTER}/{learner}/hidden", {"hidden": "1", "sort": "newest"})
    assert hidden.headers["location"] == f"{ROSTER}?sort=newest"


def test_switching_the_language_keeps_the_search(big: Dashboard) -> None:
    kim = big.client("kim")
    page = kim.get(ROSTER, params={"q": "김", "sort": "newest"}).text
    next_value = re.search(r'name="next" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert next_value == "/centers/gangnam-1/roster?q=%EA%B9%80&amp;sort=newest"
    switched = kim.post(
        "/lang",
        data={
            "lang": "en",
            "next": next_value.replace("&amp;", "&"),
            "csrf_token": csrf_of(kim, "/"),
        },
    )
    english = kim.get(switched.headers["location"]).text
    assert "Find by name" in english and 'value="김"' in english
