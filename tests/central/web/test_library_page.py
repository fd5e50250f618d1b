"""The lesson library page (issue 14): what central published and where it has arrived, for
admins only; each kiosk's version on its center's page and in the API. Versions are
published by the real `publish` into a real LibraryStore beside the database; keepers' and
kiosks' statuses are written by the real `record_keeper` and `record_status`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from central.database import open_database
from central.devices import DeviceStatus, record_status
from central.library_offers import library_dir_beside
from central.library_publish import publish, versions
from central.library_reach import record_keeper
from central.roster import add_center
from central.web.library_view import human_bytes
from lessons.bundle import new_private_key
from lessons.library_store import LibraryStore
from tests.central.web.conftest import CENTER, OTHER, Dashboard, post
from tests.small_library import small_library

DAY = 24 * 3600
MAPO, JONGNO = "mapo-1", "jongno-1"
# A problem as a tampered keeper or kiosk might report it: a bidi override and a bell.
FORGED = "signature does not match \u202eevil\u0007 <b>bold</b>"


def publish_versions(root: Path, ages: tuple[float, ...]) -> Path:
    """A LibraryStore at `root/library` with one version per age (seconds ago), oldest first."""
    store = LibraryStore(root / "library")
    source, key, now = small_library(root / "src"), new_private_key(), time.time()
    for number, age in enumerate(ages, start=1):
        note = "전화 수업 고침" if number == len(ages) else f"버전 {number}"
        publish(store, source, key, note, clock=lambda age=age: now - age)
    return store.root


@pytest.fixture(scope="session")
def three_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Versions 1–3, published 5, 3 and 2 days ago (published once: checking takes ~0.5 s)."""
    return publish_versions(tmp_path_factory.mktemp("published"), (5 * DAY, 3 * DAY, 2 * DAY))


def kiosk(db_path: Path, center: str, name: str, detail: dict[str, object]) -> None:
    """A kiosk's sync status as the site monitor stores it."""
    db = open_database(db_path)
    record_status(db, DeviceStatus(center, "kiosk", name, True, time.time()), detail, False)
    db.close()


def library_detail(
    version: int | None, installed: int | None, problem: str | None = None
) -> dict[str, object]:
    """What a kiosk's sync status says of its library (kiosk_app/sync/sync_agent.py)."""
    return {
        "library_version": version,
        "library_installed": installed,
        "library_offered": installed,
        "library_problem": problem,
    }


def reached(db_path: Path, published: Path) -> None:
    """The published versions beside `db_path`, and what four centers' keepers and kiosks said:
    gangnam has version 3 (kiosk-2 teaches 1, two behind since version 3 came two days ago),
    seocho is fetching it, mapo refused it, jongno was never heard from."""
    library_dir_beside(db_path).symlink_to(published, target_is_directory=True)
    db = open_database(db_path)
    add_center(db, MAPO, "마포 경로당")
    add_center(db, JONGNO, "종로 경로당")
    now = time.time()
    keepers = {
        CENTER: {"version": 3, "offered": 3, "missing_bytes": 0, "problem": None},
        OTHER: {"version": 2, "offered": 3, "missing_bytes": 1_234_567, "problem": None},
        MAPO: {"version": 2, "offered": 3, "missing_bytes": None, "problem": FORGED},
    }
    for center, status in keepers.items():
        record_keeper(db, center, status, now - 60, replay=False)
    db.close()
    kiosk(db_path, CENTER, "kiosk-1", library_detail(3, 3))
    kiosk(db_path, CENTER, "kiosk-2", library_detail(1, 2))
    kiosk(db_path, OTHER, "kiosk-9", library_detail(2, 2, FORGED))


@pytest.fixture
def library(dashboard: Dashboard, three_versions: Path) -> Dashboard:
    reached(dashboard.db_path, three_versions)
    return dashboard


def section(page: str, marker: str, end: str = "</table>") -> str:
    assert marker in page, marker
    return page.split(marker, 1)[1].split(end, 1)[0]


def test_admin_sees_the_versions_newest_first_and_which_is_offered(
    library: Dashboard, three_versions: Path
) -> None:
    latest = versions(LibraryStore(three_versions))[0]
    page = library.client("admin").get("/library").text
    table = section(page, 'id="versions"')
    rows = table.split('<tr data-version="')[1:]
    assert [row.split('"')[0] for row in rows] == ["3", "2", "1"]
    assert "지금 보내는 중" in rows[0] and "지금 보내는 중" not in rows[1] + rows[2]
    assert "전화 수업 고침" in rows[0] and "<td>2</td>" in rows[0]  # two lessons
    assert (
        f"<td>{latest.files}</td>" in rows[0] and f"<td>{human_bytes(latest.bytes)}</td>" in rows[0]
    )
    assert "rollback-lessons --to N" in page and "publish-lessons FOLDER" in page
    assert "<form" not in page.split("<main>")[1].split("</main>")[0]  # nothing to press


def test_admin_sees_each_centers_keeper_and_kiosks(library: Dashboard) -> None:
    page = library.client("admin").get("/library").text
    assert "경로당 4곳 중 1곳, 키오스크 3대 중 1대가 이 버전을" in page
    reach = section(page, 'id="reach"')

    def row(center: str) -> str:
        return reach.split(f'data-center="{center}"')[1].split("</tr>")[0]

    assert "버전 3 있음" in row(CENTER) and "1분 전 보고" in row(CENTER)
    assert "버전 3 받는 중, 1.2 MB 남음" in row(OTHER)
    assert "받지 않았어요: signature does not match" in row(MAPO)
    assert "아직 소식이 없어요" in row(JONGNO) and "키오스크가 아직 없어요" in row(JONGNO)
    assert 'kiosk-1</strong> · <span class="library-version">버전 3' in row(CENTER)
    assert "버전 2 받아 둠" in row(CENTER)  # kiosk-2 has 2 ready, teaches 1
    assert "문제: signature does not match" in row(OTHER)  # kiosk-9's own problem
    assert "\u202e" not in page and "\u0007" not in page and "<b>bold</b>" not in page
    assert "\ufffdevil\ufffd &lt;b&gt;bold&lt;/b&gt;" in row(MAPO)


def test_a_kiosk_two_versions_behind_for_over_a_day_is_marked(library: Dashboard) -> None:
    page = library.client("admin").get("/library").text
    warned = section(page, 'id="far-behind"', "</div>")
    assert "두 버전 이상 뒤처진 지 하루가 넘은 키오스크 1대" in warned
    assert 'data-kiosk="kiosk-2"' in warned and "kiosk-1" not in warned
    assert "kiosk-9" not in warned  # one version behind: not worth a warning
    reach = section(page, 'id="reach"')
    assert '<li data-kiosk="kiosk-2" class="far">' in reach
    kiosk_2 = reach.split('data-kiosk="kiosk-2"')[1].split("</li>")[0]
    assert "⚠" in kiosk_2 and "두 버전 이상 뒤처졌어요" in kiosk_2
    assert '<li data-kiosk="kiosk-1">' in reach


def test_the_instructor_sees_their_kiosks_versions_on_the_center_page(library: Dashboard) -> None:
    kim = library.client("kim")
    devices = section(kim.get(f"/centers/{CENTER}").text, 'id="devices"')
    kiosk_2 = devices.split('data-device="kiosk-2"')[1].split("</tr>")[0]
    assert "버전 1" in kiosk_2 and "두 버전 이상 뒤처졌어요" in kiosk_2
    kiosk_1 = devices.split('data-device="kiosk-1"')[1].split("</tr>")[0]
    assert "버전 3" in kiosk_1 and "뒤처졌어요" not in kiosk_1
    api = {d["device"]: d for d in kim.get(f"/api/v1/centers/{CENTER}").json()["devices"]}
    assert (api["kiosk-2"]["library_version"], api["kiosk-2"]["library_installed"]) == (1, 2)
    assert api["kiosk-2"]["library_far_behind"] and not api["kiosk-1"]["library_far_behind"]
    lee = library.client("lee").get(f"/api/v1/centers/{OTHER}").json()["devices"][0]
    assert lee["library_problem"].startswith("signature does not match \ufffdevil")


def test_an_instructor_is_refused_and_not_shown_the_link(library: Dashboard) -> None:
    kim = library.client("kim")
    refused = kim.get("/library")
    assert refused.status_code == 403 and "관리자만 볼 수 있어요" in refused.text
    assert "버전 3" not in refused.text
    assert 'href="/library"' not in kim.get("/").text
    assert 'href="/library"' in library.client("admin").get("/").text


def test_in_english(library: Dashboard) -> None:
    admin = library.client("admin")
    post(admin, "/lang", {"lang": "en", "next": "/library"})
    page = admin.get("/library").text
    assert "has version 3" in page and "fetching version 3, 1.2 MB to go" in page
    assert "1 kiosks more than one version behind for over a day" in page
    assert "1 of 4 centers and 1 of 3 kiosks have it" in page and "not heard from" in page


def test_behind_for_less_than_a_day_is_not_marked_yet(dashboard: Dashboard, tmp_path: Path) -> None:
    fresh = publish_versions(tmp_path / "fresh", (3 * DAY, 2 * DAY, 3600))
    library_dir_beside(dashboard.db_path).symlink_to(fresh, target_is_directory=True)
    kiosk(dashboard.db_path, CENTER, "kiosk-2", library_detail(1, 1))
    page = dashboard.client("admin").get("/library").text
    assert 'id="far-behind"' not in page and "하루 넘게 뒤처진 키오스크는 없어요" in page
    assert "두 버전 이상 뒤처졌어요" not in dashboard.client("kim").get(f"/centers/{CENTER}").text


def test_nothing_published_yet(dashboard: Dashboard) -> None:
    kiosk(dashboard.db_path, CENTER, "kiosk-1", {})
    page = dashboard.client("admin").get("/library").text
    assert "아직 배포한 버전이 없어요" in page and 'id="versions"' not in page
    assert "rollback-lessons" not in page
    center = dashboard.client("kim").get(f"/centers/{CENTER}").text
    assert "처음 설치된 수업" in section(center, 'id="devices"')
