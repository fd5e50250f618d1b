"""`sarangbang-lessons check` as a writer runs it: exit codes, files on their own, files that
are not lessons, a run that checks nothing, and messages in Korean and English that name a
step as a writer counts it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lessons.check_messages import KNOWN_SHOWN, korean, names_like
from lessons.cli import main
from lessons.hangul import with_topic
from lessons.library import BUNDLED_LIBRARY, check_library

BROKEN = Path(__file__).parent / "broken_library"
ANSWER_CALL = BUNDLED_LIBRARY / "lessons" / "phone-call.yaml"

LESSON = """\
id: {id}
version: 1
title: {{ko: 시험, en: Test}}
summary: {{ko: 시험 수업이에요., en: A test.}}
level: 1
minutes: 5
steps:
  - id: hello
    say: {{ko: "{say}", en: Hello.}}
"""


def _lesson(folder: Path, lesson_id: str = "alone", say: str = "안녕하세요.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lesson_id}.yaml"
    path.write_text(LESSON.format(id=lesson_id, say=say), encoding="utf-8")
    return path


def test_a_broken_file_outside_a_library_is_checked_on_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("id: draft\ntitle: {ko: 시험\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "draft.yaml:2: " in out and "broken YAML" in out and "ok:" not in out


def test_a_good_file_outside_a_library_passes_as_one_lesson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _lesson(tmp_path)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 1 lesson, 0 screens"


def test_a_lesson_on_its_own_with_a_practice_says_there_is_no_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "phone-call.yaml"
    shutil.copy(ANSWER_CALL, path)
    assert main(["check", "--lang", "en", str(path)]) == 1
    out = capsys.readouterr().out
    assert "no screen 'phone-home' (known: none)" in out


def test_a_lesson_saved_as_yaml_txt_is_not_checked_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lessons" / "hello.yaml.txt"
    path.parent.mkdir()
    path.write_text(LESSON.format(id="hello", say="안녕하세요."), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "rename it to 'hello.yaml'" in out and "'hello.yaml' 로 이름을 바꿔 주세요" in out


def test_a_lesson_saved_as_yaml_txt_in_the_bundled_library_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given by name next to a library: it is named as not checked, not `ok: 36 lessons`."""
    library = tmp_path / "library"
    shutil.copytree(BUNDLED_LIBRARY, library)
    txt = library / "lessons" / "phone-call.yaml.txt"
    (library / "lessons" / "phone-call.yaml").rename(txt)
    assert main(["check", str(txt)]) == 1
    assert "ok:" not in capsys.readouterr().out


def test_a_run_that_checks_nothing_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "lessons").mkdir()
    assert main(["check", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "nothing was checked" in captured.err and "ok:" not in captured.out


def test_a_folder_that_is_not_a_library_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "no 'lessons' folder here" in capsys.readouterr().out


def test_one_file_of_the_library_counts_as_one_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ANSWER_CALL)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 1 lesson, 0 screens"


def test_a_lesson_checked_alone_says_its_screen_file_is_broken(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = BROKEN / "lessons" / "uses-broken-screen.yaml"
    assert main(["check", "--lang", "en", str(path)]) == 1
    out = capsys.readouterr().out
    assert "screens/broken-screen.yaml has problems" in out
    assert "no screen 'broken-screen'" not in out


def test_a_5000_character_line_fails_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _lesson(tmp_path / "lessons", "long", "가나다라마바사아자차. " * 455)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "steps[0].say.ko (step 1, 'hello'): " in out
    assert "너무 길어서" in out and "characters, at most 200 for a narration" in out


def test_the_bundled_library_is_within_every_length(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BUNDLED_LIBRARY)]) == 0


def test_a_step_is_named_as_a_writer_counts_it(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--lang", "en", str(BROKEN / "lessons" / "duplicate-step.yaml")])
    out = capsys.readouterr().out
    assert "steps[1].id (step 2, 'hello'): duplicate step id 'hello'" in out


@pytest.mark.parametrize(
    ("language", "wanted", "unwanted"),
    [
        ("ko", "단계 id 'hello' 가 두 번 있어요", "duplicate step id"),
        ("en", "duplicate step id 'hello'", "두 번"),
        ("both", "두 번 있어요: 하나를 다른 이름으로 바꿔 주세요 / duplicate step id", ""),
    ],
)
def test_messages_in_korean_english_or_both(
    capsys: pytest.CaptureFixture[str], language: str, wanted: str, unwanted: str
) -> None:
    main(["check", "--lang", language, str(BROKEN / "lessons" / "duplicate-step.yaml")])
    out = capsys.readouterr().out
    assert wanted in out and (not unwanted or unwanted not in out)


def test_every_message_of_the_broken_library_has_its_korean() -> None:
    _, problems = check_library(BROKEN)
    assert [str(p) for p in problems if not (p.ko or korean(p.message))] == []


def test_every_problem_in_one_file_is_reported_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    """The lesson is not valid as a whole (its title has no Korean): its steps still are
    checked, so the writer sees all four problems, not one and then the next three."""
    main(["check", "--lang", "en", str(BROKEN / "lessons" / "two-problems.yaml")])
    out = capsys.readouterr().out
    for words in ["title.ko", "too long", "no screen 'call-outgoing'", "duplicate step id"]:
        assert words in out
    assert "'[point:screen]' in a quiz choice is not a cue" in out


@pytest.mark.parametrize("name", ["hello.yaml.txt", "hello.YAML", "hello.yml.bak"])
def test_a_misnamed_lesson_in_a_library_fails_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Ten good lessons and one saved as `.yaml.txt`: not `ok: 10 lessons`."""
    for i in range(10):
        _lesson(tmp_path / "lessons", f"lesson-{i}")
    (tmp_path / "lessons" / name).write_text("id: hello\n", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{name}:0: " in out and "rename it to 'hello.y" in out and "ok:" not in out


def test_a_misspelt_screen_is_answered_with_the_names_like_it() -> None:
    """Not the library's hundred screen names twice: the ones like the name written."""
    names = ["call-incoming", "dialer", "gallery", *(f"screen-{n}" for n in range(100))]
    assert names_like("dailer", names) == "did you mean 'dialer'?"
    first = ", ".join(sorted(names)[:KNOWN_SHOWN])
    assert names_like("zzz", names) == f"known: {first}, … ({len(names) - KNOWN_SHOWN} more)"
    assert names_like("zzz", []) == "known: none"
    message = f"no screen 'dailer' ({names_like('dailer', names)})"
    assert korean(message).startswith("화면 'dailer' 이 없어요 (혹시 'dialer'?)")


def test_the_too_long_message_takes_the_right_particle() -> None:
    assert [with_topic(w) for w in ("요약", "안내", "틀렸을 때 말", "보기")] == [
        "요약은",
        "안내는",
        "틀렸을 때 말은",
        "보기는",
    ]


def test_a_lesson_checked_alone_is_walked_for_dead_ends(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only the lesson's own practices are walked (the whole library's take seconds), and
    they are walked."""
    assert main(["check", "--lang", "en", str(BROKEN / "lessons" / "mock-typing.yaml")]) == 1
    assert "a learner gets stuck on screen 'mock-kiosk-staff'" in capsys.readouterr().out
