"""Playback through Kivy's real audio, heard on SDL's `disk` driver; and no device at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk_app.voice.audio_out import KivyAudioOutput
from kiosk_app.voice.narration import Narrator
from kiosk_app.voice.voice_speaker import VoiceSpeaker
from tests.kiosk_app.voice.conftest import DISK_AUDIO_FILE

WAIT = 30.0


def run_clock_until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Tick Kivy's clock (as the app's frame loop does) until `condition` holds."""
    from kivy.clock import Clock

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        Clock.tick()
        time.sleep(0.005)


def heard_since(offset: int) -> array[int]:
    """16-bit samples SDL's disk driver has written since byte `offset`."""
    data = DISK_AUDIO_FILE.read_bytes()[offset:]
    return array("h", data[: len(data) - len(data) % 2])


@pytest.fixture
def speaker(narrator: Narrator, tmp_path: Path) -> VoiceSpeaker:
    from kiosk_app.voice.voice_speaker import kivy_call_soon

    output = KivyAudioOutput(tmp_path)
    assert output.available(), "SDL's disk audio driver should give a device"
    return VoiceSpeaker(narrator, output, call_soon=kivy_call_soon)


def test_a_spoken_line_is_really_played(speaker: VoiceSpeaker) -> None:
    start = DISK_AUDIO_FILE.stat().st_size if DISK_AUDIO_FILE.exists() else 0
    speaker.say(["전화가 오면 초록색 버튼을 누르세요."], rate=1.0)
    run_clock_until(speaker.output.playing)
    time.sleep(0.5)  # SDL writes to the disk file in real time
    samples = heard_since(start)
    assert max(samples) > 1000, "speech, not silence, reached the audio device"
    assert speaker.status == "voice.speaking_ready"
    speaker.stop()
    assert not speaker.output.playing()


def test_moving_on_stops_the_current_speech(speaker: VoiceSpeaker) -> None:
    speaker.say(["첫 번째 화면이에요. 천천히 들어 보세요."])
    run_clock_until(speaker.output.playing)
    first = speaker.output._sound  # type: ignore[attr-defined]
    speaker.say(["두 번째 화면이에요."])
    assert first.state == "stop"
    run_clock_until(speaker.output.playing)
    assert speaker.output._sound is not first  # type: ignore[attr-defined]
    speaker.stop()


def test_speech_finished_for_a_step_already_left_is_not_played(speaker: VoiceSpeaker) -> None:
    speaker.say(["아직 만들어지지 않은 새 문장이에요, 하나 둘 셋."])
    speaker.stop()  # the learner moved on before synthesis finished
    deadline = time.monotonic() + 0.5  # synthesis takes tens of milliseconds
    run_clock_until(lambda: time.monotonic() > deadline or speaker.output.playing())
    assert not speaker.output.playing()


def test_volume_is_set_from_instructor_mode(speaker: VoiceSpeaker) -> None:
    speaker.set_volume(0.4)
    speaker.say(["소리 크기를 바꿨어요."])
    run_clock_until(speaker.output.playing)
    assert speaker.output._sound.volume == pytest.approx(0.4)  # type: ignore[attr-defined]
    speaker.set_volume(7)
    assert speaker.volume == 1.0
    speaker.stop()


NO_DEVICE_SCRIPT = textwrap.dedent(
    """
    import logging, os, sys, tempfile
    from pathlib import Path
    os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", SDL_AUDIODRIVER="no-such-device")
    os.environ["KIVY_HOME"] = tempfile.mkdtemp()
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s %(message)s")
    from kiosk_app.voice.audio_out import KivyAudioOutput
    from kiosk_app.voice.narration import Narrator
    from kiosk_app.voice.speech_cache import SpeechCache
    from kiosk_app.voice.synth import Pyttsx3Synth
    from kiosk_app.voice.voice_speaker import VoiceSpeaker
    scratch = Path(tempfile.mkdtemp())
    synth = Pyttsx3Synth()
    speaker = VoiceSpeaker(Narrator(SpeechCache(scratch, synth)), KivyAudioOutput(scratch))
    speaker.say(["첫 줄"])
    speaker.say(["둘째 줄"])
    speaker.stop()
    print("STATUS", speaker.status, "HISTORY", "|".join(speaker.history))
    synth.close()
    """
)


def test_without_a_sound_device_the_kiosk_teaches_with_text_and_says_so_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_DEVICE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).parents[3],
    )
    assert "STATUS voice.no_sound_device HISTORY 첫 줄|둘째 줄" in done.stdout
    assert done.stdout.count("no sound device") == 1


# A child process plays WAV files through the real SDL mixer: good ones, and ones without a
# whole frame of sound (empty, one byte, a header promising data that is not there) that
# SDL_mixer 2.8 frees twice. Play, stop, unload and collect in a racy order, from the UI
# thread and from a worker; glibc's checks (MALLOC_CHECK_=3) abort on heap damage, and a
# native abort is a failed exit here rather than a dead pytest.
RACY_PLAYBACK_SCRIPT = textwrap.dedent(
    """
    import gc, os, random, struct, sys, tempfile, threading, time
    from pathlib import Path
    scratch = Path(tempfile.mkdtemp())
    os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1",
                      SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(scratch / "heard.raw"),
                      KIVY_HOME=str(scratch / "kivy"))
    from kivy.clock import Clock
    from kiosk_app.voice import wav
    from kiosk_app.voice.audio_out import KivyAudioOutput

    def raw_wav(name, data, claimed=None):
        claimed = len(data) if claimed is None else claimed
        fmt = struct.pack("<HHIIHH", 1, 1, 22050, 44100, 2, 16)
        body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", claimed)
        path = scratch / name
        path.write_bytes(b"RIFF" + struct.pack("<I", len(body) + len(data)) + body + data)
        return path

    good = scratch / "good.wav"
    wav.write_atomically(good, wav.WavFormat(1, 2, 22050), b"\\1\\0" * 1100)
    broken = [raw_wav("empty.wav", b""), raw_wav("one-byte.wav", b"\\1"),
              raw_wav("promised.wav", b"", claimed=4000), scratch / "missing.wav"]
    output = KivyAudioOutput(scratch)
    assert output.available()
    rng = random.Random(int(sys.argv[1]))
    for turn in range(int(sys.argv[2])):
        path = rng.choice([good, good, *broken])
        if rng.random() < 0.2:
            threading.Thread(target=output.play, args=(path, 0.5)).start()
        else:
            output.play(path, rng.random())
        for _ in range(rng.randrange(3)):
            time.sleep(rng.random() * 0.01)
            Clock.tick()
        if rng.random() < 0.3:
            output.stop()
        if rng.random() < 0.2:
            gc.collect()
    output.stop()
    Clock.tick()
    gc.collect()
    print("PLAYED", int(sys.argv[2]), flush=True)
    """
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_wavs_without_sound_and_racy_stops_never_damage_native_memory(seed: int) -> None:
    turns = 150
    done = subprocess.run(
        [sys.executable, "-c", RACY_PLAYBACK_SCRIPT, str(seed), str(turns)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).parents[3],
        env={**os.environ, "MALLOC_CHECK_": "3"},
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-3000:]}"
    assert f"PLAYED {turns}" in done.stdout
