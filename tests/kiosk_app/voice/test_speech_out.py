"""Speech out: real espeak-ng WAVs through pyttsx3, the disk cache, pauses as silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk_app.voice import wav
from kiosk_app.voice.errors import EmptyOutput, SynthesisError
from kiosk_app.voice.narration import Narrator, pieces, words_per_minute
from kiosk_app.voice.speech_cache import SpeechCache
from kiosk_app.voice.synth import ENGINE_LOCK, Pyttsx3Synth

WAIT = 30.0  # seconds; a real synthesis takes tens of milliseconds
SHORT_KO = "다음 화면으로 가요."
LONG_KO = "다음 화면으로 가요. 초록색 버튼을 천천히 한 번 눌러 보세요. 잘하셨어요."


def spoken(narrator: Narrator, text: str, language: str = "ko", rate: float = 1.0) -> Path:
    return narrator.render([text], language, rate).result(WAIT)  # type: ignore[arg-type]


def test_korean_and_english_lines_become_wav_files(narrator: Narrator) -> None:
    korean = spoken(narrator, "안녕하세요. 전화 받는 법을 배워요.")
    english = spoken(narrator, "Hello. Let's learn to answer a call.", "en")
    for path in (korean, english):
        assert wav.wav_format(path) == wav.WavFormat(channels=1, sample_width=2, frame_rate=22050)
        assert wav.duration(path) > 1.0
    assert korean != english


def test_duration_grows_with_text_and_falls_with_rate(narrator: Narrator) -> None:
    short = wav.duration(spoken(narrator, SHORT_KO))
    long = wav.duration(spoken(narrator, LONG_KO))
    slow = wav.duration(spoken(narrator, LONG_KO, rate=0.75))
    assert long > 2 * short
    assert slow > 1.2 * long


def test_replay_comes_from_the_cache_without_synthesis(
    narrator: Narrator, cache: SpeechCache
) -> None:
    first = spoken(narrator, SHORT_KO)
    misses = cache.misses
    again = narrator.render([SHORT_KO], "ko", 1.0)
    assert again.done() and again.result() == first
    assert cache.misses == misses and cache.hits >= 1


def test_the_cache_survives_a_restart(tmp_path: Path, synth: Pyttsx3Synth) -> None:
    first = Narrator(SpeechCache(tmp_path, synth))
    path = spoken(first, SHORT_KO)
    fresh_cache = SpeechCache(tmp_path, synth)
    replay = Narrator(fresh_cache).render([SHORT_KO], "ko", 1.0)
    assert replay.done() and replay.result() == path and fresh_cache.misses == 0


def test_rate_and_voice_are_part_of_the_cache_key(narrator: Narrator) -> None:
    paths = {spoken(narrator, "좋아요"), spoken(narrator, "좋아요", rate=0.75)}
    paths.add(spoken(narrator, "좋아요", "en"))
    assert len(paths) == 3


def test_the_cache_is_keyed_by_the_words_espeak_is_given(
    narrator: Narrator, cache: SpeechCache
) -> None:
    """합니다 is given to espeak-ng as 함니다 (lessons/korean_pronunciation.py): the cached
    file is the pronounced text's, so a change in the rules makes a new file."""
    written = spoken(narrator, "감사합니다")
    misses = cache.misses
    assert spoken(narrator, "감사함니다") == written and cache.misses == misses


def test_pauses_become_silence_and_cues_are_not_spoken(narrator: Narrator) -> None:
    first, second = spoken(narrator, "안녕하세요"), spoken(narrator, "반가워요")
    joined = spoken(narrator, "안녕하세요 [wave] [pause:1.5] 반가워요 [point:screen]")
    expected = wav.duration(first) + 1.5 + wav.duration(second)
    assert wav.duration(joined) == pytest.approx(expected, abs=0.01)
    fmt, frames = wav.read_frames(joined)
    gap_start = len(wav.read_frames(first)[1])
    assert frames[gap_start : gap_start + fmt.bytes_per_second] == fmt.silence(1.0)
    assert spoken(narrator, "안녕하세요 [wave]") == first


def test_lines_said_together_are_one_file_with_a_gap(narrator: Narrator) -> None:
    one, two = spoken(narrator, "하나"), spoken(narrator, "둘")
    both = narrator.render(["하나", "둘"], "ko", 1.0).result(WAIT)
    assert wav.duration(both) > wav.duration(one) + wav.duration(two)


def test_pieces_split_on_pauses_only() -> None:
    assert pieces("가 [wave] 나 [pause:2] 다") == ["가 나", 2.0, "다"]
    assert pieces("[pause] 가") == [0.7, "가"]
    assert pieces("대괄호 [없는 줄") == ["대괄호 [엄는 줄"]  # not a lesson line: said as is


def test_rate_factor_maps_to_bounded_words_per_minute() -> None:
    assert words_per_minute(1.0) == 160
    assert words_per_minute(0.75) == 120
    assert words_per_minute(0.01) == 80 and words_per_minute(10) == 260


def test_a_failed_job_fails_alone_and_the_engine_carries_on(
    synth: Pyttsx3Synth, tmp_path: Path
) -> None:
    bad = synth.synthesise("안녕", "no-such-voice", 160, tmp_path / "bad.wav")
    with pytest.raises(SynthesisError):
        bad.result(WAIT)
    good = synth.synthesise("안녕", "ko", 160, tmp_path / "good.wav").result(WAIT)
    assert wav.duration(good) > 0.2


def test_a_line_the_engine_writes_without_sound_is_said_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """espeak-ng now and then writes a silent file under load: the line is tried again,
    and a second silent file fails it (a file without sound is never cached)."""
    engine = Pyttsx3Synth()
    real = engine._speak_to_file
    glitches = iter([True, False, True, True])

    def glitchy(*args: object) -> Path:
        if next(glitches):
            raise EmptyOutput("the engine wrote a WAV file without sound")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_speak_to_file", glitchy)
    try:
        said = engine.synthesise("안녕", "ko", 160, tmp_path / "again.wav").result(WAIT)
        assert wav.duration(said) > 0.2
        with pytest.raises(SynthesisError, match="without sound"):
            engine.synthesise("안녕", "ko", 160, tmp_path / "lost.wav").result(WAIT)
        assert not (tmp_path / "lost.wav").exists()
    finally:
        engine.close()


def test_a_closed_engine_refuses_new_work(tmp_path: Path) -> None:
    engine = Pyttsx3Synth()
    engine.close()
    with pytest.raises(SynthesisError):
        engine.synthesise("안녕", "ko", 160, tmp_path / "x.wav").result(WAIT)


def test_joining_files_of_different_formats_is_refused(tmp_path: Path) -> None:
    mono = tmp_path / "mono.wav"
    stereo = tmp_path / "stereo.wav"
    wav.write_atomically(mono, wav.WavFormat(1, 2, 16000), b"\0\0")
    wav.write_atomically(stereo, wav.WavFormat(2, 2, 16000), b"\0\0\0\0")
    with pytest.raises(ValueError, match="expected"):
        wav.join([mono, stereo], tmp_path / "out.wav")


@pytest.mark.parametrize(
    ("name", "frames", "playable"),
    [
        ("one-frame", b"\1\0", True),
        ("speech-length", b"\1\0" * 22050, True),
        ("empty", b"", False),  # what SDL_mixer 2.8 frees twice (docs/voice.md)
        ("half-a-frame", b"\1", False),
    ],
)
def test_only_a_wav_with_a_whole_frame_of_sound_counts_as_audio(
    tmp_path: Path, name: str, frames: bytes, playable: bool
) -> None:
    path = tmp_path / f"{name}.wav"
    wav.write_atomically(path, wav.WavFormat(1, 2, 22050), frames)
    assert wav.has_audio(path) is playable


def test_a_missing_or_unreadable_file_is_not_audio(tmp_path: Path) -> None:
    (tmp_path / "text.wav").write_text("not a wav")
    assert not wav.has_audio(tmp_path / "missing.wav")
    assert not wav.has_audio(tmp_path / "text.wav")


def test_a_run_loop_left_running_does_not_silence_the_kiosk(
    tmp_path: Path, synth: Pyttsx3Synth
) -> None:
    """pyttsx3 marks its loop as running for good when the loop raises; every later line
    then failed with 'run loop already started'."""
    first = synth.synthesise("안녕하세요", "ko", 175, tmp_path / "a.wav").result(WAIT)
    assert wav.has_audio(first)
    with ENGINE_LOCK:  # (the engine is the process's: a kiosk here may be speaking)
        synth.engine._inLoop = True  # what pyttsx3 leaves behind when its loop raised
    again = synth.synthesise("반가워요", "ko", 175, tmp_path / "b.wav").result(WAIT)
    assert wav.has_audio(again)


def test_two_engines_in_one_process_speak_at_once(tmp_path: Path, synth: Pyttsx3Synth) -> None:
    """pyttsx3 gives both the process's one espeak engine: a kiosk's and a test's at once
    refused each other's lines with 'run loop already started' (a full test run failed so)."""
    other = Pyttsx3Synth()
    try:
        lines = [f"{n}번 줄이에요." for n in range(8)]
        mine = [synth.synthesise(t, "ko", 175, tmp_path / f"a{i}.wav") for i, t in enumerate(lines)]
        theirs = [
            other.synthesise(t, "ko", 175, tmp_path / f"b{i}.wav") for i, t in enumerate(lines)
        ]
        assert all(wav.has_audio(f.result(WAIT)) for f in [*mine, *theirs])
    finally:
        other.close()
