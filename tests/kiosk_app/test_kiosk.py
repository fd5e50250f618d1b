"""The kiosk service without Kivy: a real store file, the bundled library, a fake clock."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk_app.config import parse_config
from kiosk_app.speaker import TextSpeaker
from kiosk_app.storage.store import Store
from kiosk_app.storage.store_writer import StoreWriter
from kiosk_app.teaching.kiosk import Kiosk
from lessons.events import EventKind
from lessons.library import load_library


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def make_kiosk(tmp_path: Path) -> Iterator[Callable[[], Kiosk]]:
    config = parse_config(
        {"center_id": "c", "kiosk_id": "k", "instructor_pin": "1234", "data_dir": "d"}, tmp_path
    )
    library = load_library()
    opened: list[Kiosk] = []

    def make() -> Kiosk:
        reader = Store.open(config.store_path, config.kiosk_id)
        writer = StoreWriter(
            lambda: Store.open(config.store_path, config.kiosk_id), lambda call: call(), print
        )
        kiosk = Kiosk(config, library, reader, writer, TextSpeaker(), Clock())
        opened.append(kiosk)
        return kiosk

    yield make
    for kiosk in opened:
        kiosk.writer.close()
        kiosk.reader.close()


def test_lesson_progress_is_stored_and_resumed_by_a_new_kiosk(
    make_kiosk: Callable[[], Kiosk],
) -> None:
    kiosk = make_kiosk()
    learner = kiosk.reader.add_learner("김영희")
    kiosk.sign_in(learner.id)
    run = kiosk.start_lesson("phone-call", resume=False)
    run.next()
    run.next()
    run.tap("messages")  # wrong: a hint
    assert run.feedback_kind == "hint" and run.feedback
    run.tap("phone")
    assert run.feedback_kind == "right"
    run.next()
    assert kiosk.resume_card() is not None and kiosk.resume_card().lesson.id == "phone-call"
    kiosk.writer.flush()
    kinds = [r.event.kind for r in kiosk.reader.unsynced(100)]
    assert kinds == [
        EventKind.LESSON_STARTED,
        EventKind.STEP_COMPLETED,
        EventKind.STEP_COMPLETED,
        EventKind.PRACTICE_ATTEMPT,
        EventKind.PRACTICE_ATTEMPT,
        EventKind.STEP_COMPLETED,
    ]
    kiosk.sign_out()

    again = make_kiosk()
    again.sign_in(learner.id)
    card = again.resume_card()
    assert card is not None and card.state is not None and card.state.step_index == 3
    assert card.progress_text() == "4 / 9 단계까지 했어요"
    assert card.progress_text("en") == "Up to step 4 of 9"
    resumed = again.start_lesson("phone-call", resume=True)
    assert resumed.view.index == 3
    assert "공일공" in again.speaker.history[-1]  # type: ignore[attr-defined]
