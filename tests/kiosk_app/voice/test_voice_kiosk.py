"""Voice in the real kiosk window: steps spoken through the real speaker (SDL's disk audio
driver), the speak button shown only when commands are ready, and a spoken "넘겨" fed
through the microphone's code path moving the lesson on."""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk_app.voice.audio_source import WavFileSource
from kiosk_app.voice.listener import VoiceCommands
from kiosk_app.voice.recognizer import ModelLoader, default_model_path
from kiosk_app.voice.voice_speaker import VoiceSpeaker
from tests.kiosk_app.driver import visible
from tests.kiosk_app.test_window import open_lesson, sign_in
from tests.kiosk_app.voice.utterances import VOICES, utterance

WAIT = 30.0


class SpokenInto:
    """A WAV file said into the kiosk: read by the same `capture()` as the microphone."""

    def __init__(self) -> None:
        self.path = Path("unset.wav")

    def capture(self) -> Any:
        return WavFileSource(self.path).capture()


def until(kiosk: Any, condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        kiosk.frames(1)
        time.sleep(0.01)


@pytest.fixture(scope="module")
def spoken() -> SpokenInto:
    return SpokenInto()


@pytest.fixture(scope="module")
def ready_commands(spoken: SpokenInto) -> VoiceCommands:
    service = VoiceCommands(spoken, ModelLoader(default_model_path())).start()
    deadline = time.monotonic() + 60
    while not service.ready:
        assert time.monotonic() < deadline, service.status
        time.sleep(0.05)
    return service


@pytest.fixture
def lesson(kiosk: Any) -> Iterator[Any]:
    app = kiosk.app
    before = app.voice_commands
    sign_in(kiosk, "김영희")
    open_lesson(kiosk, "phone-call")
    yield kiosk
    app.set_voice_commands(before)
    app.sign_out()


def test_a_lesson_step_is_spoken_through_the_real_speaker(lesson: Any) -> None:
    speaker = lesson.app.speaker
    assert isinstance(speaker, VoiceSpeaker) and speaker.status == "voice.speaking_ready"
    heard_file = Path(os.environ["SDL_DISKAUDIOFILE"])
    start = heard_file.stat().st_size if heard_file.exists() else 0
    lesson.press("다음")
    step = lesson.app.kiosk.run.view.step
    assert speaker.history[-1] == step.say.spoken("ko")  # shown text, cues dropped
    until(lesson, speaker.output.playing)
    time.sleep(0.4)  # SDL writes to the file in real time
    data = heard_file.read_bytes()[start:]
    assert max(array("h", data[: len(data) - len(data) % 2])) > 1000, "speech reached SDL"
    lesson.press("다음")  # moving on stops the current speech and says the new step
    assert speaker.busy()


def test_the_speak_button_is_hidden_until_the_model_is_ready(
    lesson: Any, spoken: SpokenInto, ready_commands: VoiceCommands
) -> None:
    app = lesson.app
    loading = VoiceCommands(spoken, ModelLoader(default_model_path()))  # not started
    app.set_voice_commands(loading)
    lesson.frames(3)
    assert loading.status == "voice.commands_loading"
    assert not visible(lesson.screen.ids.speak) and "말하기" not in _buttons(lesson)
    app.set_voice_commands(ready_commands)
    lesson.frames(3)
    assert visible(lesson.screen.ids.speak)
    lesson.screenshot("voice-speak-button")


def test_a_kiosk_in_another_language_offers_no_speak_button(
    lesson: Any, ready_commands: VoiceCommands
) -> None:
    """The command words are Korean: an English speak button would never understand."""
    app = lesson.app
    app.language = "en"
    try:
        app.set_voice_commands(ready_commands)
        lesson.frames(3)
        assert ready_commands.ready and not app.voice_ready
        assert not visible(lesson.screen.ids.speak)
    finally:
        app.language = "ko"
        app.set_voice_commands(ready_commands)


def test_saying_next_into_the_microphone_path_moves_to_the_next_step(
    lesson: Any, spoken: SpokenInto, ready_commands: VoiceCommands, tmp_path: Path
) -> None:
    app, run = lesson.app, lesson.app.kiosk.run
    app.set_voice_commands(ready_commands)
    speak = lesson.screen.ids.speak
    spoken.path = utterance(tmp_path, "넘겨", VOICES[0])
    # past the first step, whichever test ran before (on step 1 there is no 이전 to offer)
    lesson.press("다음")
    index = run.view.index
    lesson.press("말하기")
    # told what to say: the words the grammar takes (not 도와주세요, the button's own label)
    assert app.speaker.history[-1] == "다음, 다시, 이전, 도와줘 중에서 말씀하세요."
    until(lesson, lambda: speak.phase == "listening")
    lesson.screenshot("voice-listening")
    until(lesson, lambda: speak.phase == "")
    assert str(speak.last_heard.interpretation.command) == "next"
    assert run.view.index == index + 1


def test_what_is_not_a_command_is_asked_again_and_nothing_happens(
    lesson: Any, spoken: SpokenInto, ready_commands: VoiceCommands, tmp_path: Path
) -> None:
    app, run = lesson.app, lesson.app.kiosk.run
    app.set_voice_commands(ready_commands)
    spoken.path = utterance(tmp_path, "손녀 사진을 보고 싶어요", VOICES[0])
    lesson.screen.ids.speak.last_heard = None
    index = run.view.index
    lesson.press("말하기")
    until(lesson, lambda: lesson.screen.ids.speak.last_heard is not None)
    until(lesson, lambda: app.speaker.history[-1].startswith("다시 말씀해 주세요. 다음, 다시"))
    assert run.view.index == index


def _buttons(kiosk: Any) -> list[str]:
    from tests.kiosk_app.driver import button_texts

    return button_texts(kiosk.screen)
