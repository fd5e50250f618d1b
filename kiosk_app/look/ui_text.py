"""Every word the kiosk itself shows or says (buttons, titles, notices, spoken prompts), in
Korean and English, by key. Pure: `tr(key, language, **fields)` picks the words and fills in
the fields. Lesson content brings its own languages (lessons.model.Text); what an instructor
reads when something goes wrong is `kiosk_app.storage.messages`.

Korean is polite 존댓말 and the reference; English is short and plain, for an older learner.
"""

from __future__ import annotations

from lessons import Language

UI_TEXT: dict[str, dict[Language, str]] = {
    "app.title": {"ko": "사랑방", "en": "Sarangbang"},
    # welcome
    "welcome.greeting": {"ko": "어서 오세요!", "en": "Welcome!"},
    "welcome.intro": {
        "ko": "사랑방에서 함께 배워요.\n아래 버튼을 눌러 시작하세요.",
        "en": "Let's learn together at Sarangbang.\nPress the button below to begin.",
    },
    "welcome.start": {"ko": "시작하기", "en": "Start"},
    # while the kiosk starts (its lessons are read after the first frame)
    "welcome.starting": {
        "ko": "잠시만 기다려 주세요.\n수업을 준비하고 있어요.",
        "en": "One moment, please.\nThe lessons are getting ready.",
    },
    "welcome.join": {"ko": "수업 참여하기", "en": "Join the class"},
    "welcome.class_now": {"ko": "지금 수업 중: {title}", "en": "Class now: {title}"},
    "welcome.teacher": {"ko": "선생님", "en": "Teacher"},
    "today.line": {"ko": "오늘의 수업: {title}, {time}", "en": "Today's class: {title}, {time}"},
    "time.am": {"ko": "오전", "en": "am"},
    "time.pm": {"ko": "오후", "en": "pm"},
    "time.hour": {"ko": "{half} {hour}시", "en": "{hour} {half}"},
    "time.hour_minute": {"ko": "{half} {hour}시 {minute}분", "en": "{hour}:{minute:02d} {half}"},
    # who are you?
    "who.title": {
        "ko": "누구세요? 이름을 눌러 주세요.",
        "en": "Who are you? Please tap your name.",
    },
    "who.back": {"ko": "처음으로", "en": "Back"},
    # the learner's home
    "home.hello": {"ko": "{name} 님, 안녕하세요.", "en": "Hello, {name}!"},
    "home.spoken": {
        "ko": "{name} 님, 안녕하세요. 배우고 싶은 수업을 눌러 주세요.",
        "en": "Hello, {name}! Please tap the lesson you would like to learn.",
    },
    "home.resume": {"ko": "이어서 하기: {title}", "en": "Continue: {title}"},
    "home.next": {"ko": "다음 수업", "en": "Next lesson"},
    "home.next_spoken": {
        "ko": "다음 수업은 맨 위에 있어요. {title}.",
        "en": "The next lesson is at the top: {title}.",
    },
    "home.all_learned": {"ko": "모든 수업을 다 배웠어요 ★", "en": "Every lesson learned ★"},
    "home.review": {"ko": "복습: {title}", "en": "Review: {title}"},
    "home.settings": {"ko": "설정", "en": "Settings"},
    "home.finish": {"ko": "처음으로", "en": "Finish"},
    "card.new": {"ko": "처음 시작해요", "en": "Not started yet"},
    "card.in_progress": {
        "ko": "{step} / {total} 단계까지 했어요",
        "en": "Up to step {step} of {total}",
    },
    "card.mastered": {"ko": "다 배웠어요 ★", "en": "All learned ★"},
    "card.once_more": {"ko": "다른 날 한 번 더 해요", "en": "Once more another day"},
    "card.finished": {"ko": "한 번 끝냈어요", "en": "Finished once"},
    # the lesson player and its side bar
    "lesson.progress": {"ko": "{title}  ·  {steps}", "en": "{title}  ·  {steps}"},
    "lesson.steps": {"ko": "{step} / {total} 단계", "en": "Step {step} of {total}"},
    "lesson.back": {"ko": "이전", "en": "Back"},
    "lesson.again": {"ko": "다시 듣기", "en": "Hear again"},
    "lesson.next": {"ko": "다음", "en": "Next"},
    "lesson.help": {"ko": "도와주세요", "en": "Help me"},
    "lesson.home": {"ko": "처음으로", "en": "Lessons"},
    # a spoken 처음으로 asks first (kiosk_app/teaching/voice_actions.py)
    "lesson.home_question": {"ko": "처음으로 갈까요?", "en": "Go back to the lessons?"},
    "lesson.home_say": {"ko": "네 또는 아니요라고 말씀하세요.", "en": "Say yes or no."},
    "lesson.home_yes": {"ko": "네", "en": "Yes"},
    "lesson.home_no": {"ko": "아니요", "en": "No"},
    "lesson.home_stay": {"ko": "계속 배워요.", "en": "Let's carry on."},
    "practice.up": {"ko": "▲ 위로", "en": "▲ Up"},
    "practice.down": {"ko": "▼ 아래로", "en": "▼ Down"},
    "speak.button": {"ko": "말하기", "en": "Speak"},
    "speak.now": {"ko": "말씀하세요", "en": "Speak now"},
    "speak.listening": {"ko": "듣고 있어요", "en": "Listening"},
    "speak.prompt": {"ko": "말씀하세요.", "en": "Please speak."},
    "speak.prompt_words": {"ko": "{words} 중에서 말씀하세요.", "en": "Say {words}."},
    # shown while listening: the words that work on this screen
    "speak.words_shown": {"ko": "이렇게 말씀하세요: {words}", "en": "You can say: {words}"},
    "speak.ask_again": {"ko": "다시 말씀해 주세요.", "en": "Please say that again."},
    "speak.ask_again_words": {
        "ko": "다시 말씀해 주세요. {words} 중에서요.",
        "en": "Please say that again: {words}.",
    },
    # class mode
    "class.progress": {"ko": "{title}  ·  {steps}", "en": "{title}  ·  {steps}"},
    "class.steps": {"ko": "수업 {step} / {total} 단계", "en": "Class step {step} of {total}"},
    "class.leave": {"ko": "수업 나가기", "en": "Leave class"},
    "class.waiting": {"ko": "수업을 기다리고 있어요.", "en": "Waiting for the class to start."},
    "class.finished": {
        "ko": "수업이 끝났어요. 수고하셨어요!",
        "en": "The class is over. Well done!",
    },
    "class.stopped": {"ko": "선생님이 수업을 마쳤어요.", "en": "The teacher has ended the class."},
    "class.paused": {
        "ko": "잠시 쉬어요. 선생님을 기다려 주세요.",
        "en": "A short break. Please wait for the teacher.",
    },
    "class.done_waiting": {
        "ko": "잘하셨어요! 다른 분들을 조금 기다려요.",
        "en": "Well done! Let's wait a moment for the others.",
    },
    # the end of a lesson
    "complete.mastered": {"ko": "정말 잘하셨어요!", "en": "You did very well!"},
    "complete.finished": {"ko": "수고하셨어요!", "en": "Well done!"},
    "complete.mastered_text": {
        "ko": "'{title}' 수업을 모두 마쳤어요.\n배운 것은 모두 저장되었어요.",
        "en": "You have finished '{title}'.\nEverything you learned is saved.",
    },
    "complete.finished_text": {
        "ko": "'{title}' 수업을 끝까지 마쳤어요.\n다음에 한 번 더 연습해 봐요.",
        "en": "You reached the end of '{title}'.\nLet's practise it once more next time.",
    },
    "complete.another": {"ko": "다른 수업 고르기", "en": "Another lesson"},
    "complete.finish": {"ko": "마치기", "en": "Finish"},
    # help is coming
    "help.title": {"ko": "선생님을 불렀어요.", "en": "We have called the teacher."},
    "help.text": {
        "ko": "곧 오실 거예요. 편하게 기다려 주세요.",
        "en": "They will come soon. Please wait, there is no hurry.",
    },
    "help.back": {"ko": "수업으로 돌아가기", "en": "Back to the lesson"},
    # settings
    "settings.title": {"ko": "설정", "en": "Settings"},
    "settings.text_size": {"ko": "글자 크기", "en": "Text size"},
    "settings.speech_rate": {"ko": "말 빠르기", "en": "Speaking speed"},
    "settings.contrast": {"ko": "화면 색", "en": "Screen colours"},
    "settings.back": {"ko": "돌아가기", "en": "Go back"},
    "settings.spoken": {
        "ko": "글자 크기, 말 빠르기, 화면 색을 고를 수 있어요.",
        "en": "Here you can choose the text size, the speaking speed and the screen colours.",
    },
    "settings.rate_chosen": {"ko": "이 빠르기로 말할게요.", "en": "I will speak at this speed."},
    "size.normal": {"ko": "보통", "en": "Normal"},
    "size.large": {"ko": "크게", "en": "Large"},
    "size.larger": {"ko": "아주 크게", "en": "Very large"},
    "rate.slow": {"ko": "천천히", "en": "Slow"},
    "rate.a_bit_slow": {"ko": "조금 천천히", "en": "A bit slow"},
    "rate.normal": {"ko": "보통", "en": "Normal"},
    "contrast.normal": {"ko": "보통 화면", "en": "Normal"},
    "contrast.high": {"ko": "잘 보이는 화면", "en": "Easy to see"},
    # are you still there?
    "idle.title": {"ko": "아직 계세요?", "en": "Are you still there?"},
    "idle.spoken": {
        "ko": "아직 계세요? 계속하시려면 화면의 계속하기를 눌러 주세요.",
        "en": "Are you still there? To carry on, please tap Keep going.",
    },
    "idle.countdown": {
        "ko": "{seconds}초 뒤에 처음 화면으로 돌아가요.\n배운 것은 모두 저장되어 있어요.",
        "en": "In {seconds} seconds, we go back to the start.\nEverything you learned is saved.",
    },
    "idle.keep_going": {"ko": "계속하기", "en": "Keep going"},
    # the instructor's PIN
    "pin.title": {"ko": "선생님 모드", "en": "Teacher mode"},
    "pin.ask": {"ko": "선생님 번호를 눌러 주세요.", "en": "Please enter the teacher PIN."},
    "pin.wrong": {
        "ko": "번호가 맞지 않아요. 다시 눌러 주세요.",
        "en": "That PIN is not right. Please try again.",
    },
    "pin.erase": {"ko": "지우기", "en": "Erase"},
    "pin.ok": {"ko": "확인", "en": "OK"},
    "pin.back": {"ko": "처음으로", "en": "Back"},
    # instructor mode
    "instructor.learners": {"ko": "배우는 분들", "en": "Learners"},
    "instructor.renaming": {"ko": "이름을 고칠 분: {name}", "en": "Renaming: {name}"},
    "instructor.save_name": {"ko": "이름 저장", "en": "Save name"},
    "instructor.add": {"ko": "추가", "en": "Add"},
    "instructor.hidden": {"ko": "{name} (숨김)", "en": "{name} (hidden)"},
    "instructor.rename": {"ko": "이름", "en": "Edit"},
    "instructor.show": {"ko": "보이기", "en": "Show"},
    "instructor.hide": {"ko": "숨기기", "en": "Hide"},
    "instructor.kiosk": {"ko": "키오스크", "en": "Kiosk"},
    "instructor.status": {"ko": "상태와 소리", "en": "Status and sound"},
    "instructor.leave": {"ko": "선생님 모드 끝내기", "en": "Log out"},
    "instructor.quieter": {"ko": "소리 작게", "en": "Quieter"},
    "instructor.louder": {"ko": "소리 크게", "en": "Louder"},
    "instructor.retry": {"ko": "저장 다시 시도", "en": "Save again"},
    "status.kiosk": {
        "ko": "센터 {center} · 키오스크 {kiosk}",
        "en": "Center {center} · kiosk {kiosk}",
    },
    "status.events": {
        "ko": "기록 {events}개 · 보내지 않은 기록 {unsent}개",
        "en": "{events} events · {unsent} not sent yet",
    },
    "status.oldest": {
        "ko": "가장 오래 기다린 기록: {waited}",
        "en": "Oldest unsent event: {waited}",
    },
    "status.broker": {"ko": "브로커 {broker}: {state}", "en": "Broker {broker}: {state}"},
    "status.connected": {"ko": "연결됨", "en": "connected"},
    "status.disconnected": {
        "ko": "연결 안 됨 (혼자 배우기는 계속돼요)",
        "en": "not connected (lessons go on)",
    },
    "status.volume": {
        "ko": "소리 크기 {volume}% · {speaker}",
        "en": "Volume {volume}% · {speaker}",
    },
    "status.waiting_writes": {
        "ko": "저장을 기다리는 기록 {count}개",
        "en": "{count} events waiting to be saved",
    },
    "ago.now": {"ko": "방금", "en": "just now"},
    "ago.days": {"ko": "{count}일 전", "en": "{count} d ago"},
    "ago.hours": {"ko": "{count}시간 전", "en": "{count} h ago"},
    "ago.minutes": {"ko": "{count}분 전", "en": "{count} min ago"},
}

# The labels of the lesson player's and the classroom's side bar: the bar is as wide as the
# longest of them in the kiosk's language.
SIDE_BAR = (
    "lesson.back",
    "lesson.again",
    "lesson.next",
    "lesson.help",
    "lesson.home",
    "class.leave",
)


def tr(key: str, language: Language = "ko", **fields: object) -> str:
    """The words for `key` in `language` (Korean when there are none), fields filled in.

    An unknown key is a bug in the kiosk, not something a learner should see: KeyError.
    """
    words = UI_TEXT[key]
    return (words.get(language) or words["ko"]).format(**fields)
