"""The numbers and word tables the content linter (lessons/lint.py) works from, each with
where it comes from. A writer or an editor may add to the tables; docs/lesson-format.md
("Lint") lists every rule with its number and source.
"""

from __future__ import annotations

from lessons.korean_reading import SAY_AS

# L1: the longest spoken sentence, in characters with spaces (as Korean counts 글자 수).
# Sources: Korean writing textbooks put the standard Korean sentence at about 50 characters
# and advise staying within it ("우리 문장의 표준 길이는 50자 안팎 … 50자 이내로 쓰는 것이
# 좋다", a 문장론 summary at cafe.daum.net/_c21_/bbs_read?datanum=90&fldid=987L); the
# readability table quoted by the UK Readability Guidelines and GOV.UK ("Sentence length: why
# 25 words is our limit", 2014; readabilityguidelines.wikidot.com/sentence-length) finds
# 8 words or fewer very easy, 11 easy, 14 fairly easy. Our lessons average about 4 characters
# (with the space) per 어절, so 40 characters is about 10 어절: "easy" in that table, and
# four fifths of the general reader's 50. A listener of 78 hears it once (no rereading), so
# we take the easy end. Today's library: median 16, 95th percentile 31, longest 42.
MAX_SENTENCE_CHARS = 40

# L6: English may be at most this many times as long as its Korean, in characters, once it is
# longer than ENGLISH_SHORT. A Hangul syllable is about twice as wide as a Latin letter (the
# usual 2 display columns against 1), so 2.0 means the same width on screen; 2.5 gives
# English a quarter more room. Measured on the library (382 texts with both languages, cues
# removed): median 1.9, 90th percentile 2.17, 95th 2.48, 99th 2.78; so 2.5 reports about one
# text in twenty. ENGLISH_SHORT: a text that fits on one line is fine whatever its ratio; with
# the 7 mm glyphs of DESIGN.md (about 5 mm a Latin letter) the ~200 mm of text on a 10-inch
# tablet in landscape hold about 40 Latin characters.
MAX_ENGLISH_RATIO = 2.5
ENGLISH_SHORT = 40

# `check` (not lint): the hard ceiling on a text's length, in Korean characters as shown (robot
# cues left out), by kind of text; English may have MAX_ENGLISH_RATIO times as many. A 10-inch
# tablet shows about 20 Hangul (40 Latin letters) a line at the kiosk's glyph size (above), and
# a step's text box holds some ten lines under its picture or practice screen. The numbers are
# about 1.5× the longest text of that kind in today's library, which the kiosk fit test
# (tests/kiosk_app/test_every_step_fits.py) shows fitting at every text size: narration five
# one-breath sentences (5 × MAX_SENTENCE_CHARS), a practice's lines or a quiz's three, a
# choice one. Below the ceiling, style is lint's (L1 sentences, L6 English) and the fit is the
# fit test's; above it a text cannot fit and `check` refuses it.
MAX_TEXT_CHARS = {
    "title": 30,
    "summary": 100,
    "show": 60,
    "say": 5 * MAX_SENTENCE_CHARS,
    "instruction": 3 * MAX_SENTENCE_CHARS,
    "hint": 3 * MAX_SENTENCE_CHARS,
    "wrong": 3 * MAX_SENTENCE_CHARS,
    "success": 3 * MAX_SENTENCE_CHARS,
    "question": 3 * MAX_SENTENCE_CHARS,
    "right": 3 * MAX_SENTENCE_CHARS,
    "choice": MAX_SENTENCE_CHARS,
}

# L2: polite endings (존댓말): 해요체 (-요, -세요, -까요, -죠) and 하십시오체 (-니다, -니까,
# -시오). A sentence that ends in one of PLAIN_ENDINGS is 해라체 or 반말; a noun phrase
# (초록색, 음량 올리기 버튼) ends in neither and is fine for a short choice.
POLITE_ENDINGS = ("요", "니다", "니까", "시오", "죠", "소서")
PLAIN_ENDINGS = (
    # 반말: requests, suggestions, questions, promises
    "해줘", "줘", "해봐", "봐", "하자", "보자", "가자", "할게", "줄게", "할래", "하니", "했니",
    "하냐", "해라", "하라", "마라", "거야", "이야", "잖아", "할까", "볼까", "갈까", "했지",
)  # fmt: skip
# nouns that end in 다 (the only 다 that is not 해라체)
NOUNS_IN_DA = frozenset({"바다", "보다", "마다", "나다"})

# L3: English words that start a new sentence (after a cue with no full stop before it, the
# sentence before has run on); a capital alone is not enough: 'Tap [point:screen] Settings'.
EN_STARTERS = frozenset(
    {
        "Today", "Now", "Let's", "Let", "This", "That", "These", "It", "It's", "We", "You",
        "Your", "Please", "Then", "First", "Next", "Look", "Tap", "Press", "If", "When", "Well",
        "Great", "Good", "Hello", "Hi", "Welcome", "Right", "Not", "See", "There", "Here",
        "Remember", "Never", "Don't", "Do", "Try", "And", "But", "So",
    }
)  # fmt: skip
# L3: Korean greetings and answers that are a sentence of their own
KO_WHOLE = ("안녕하세요", "네", "좋아요", "맞아요", "잘하셨어요", "고맙습니다", "감사합니다")

# L4: written forms a speech engine reads wrongly, with what to write (or say) instead: what
# the kiosk's own reader says (lessons/korean_reading.SAY_AS), and suggestions for words and
# symbols it does not read (a writer should write those out).
SPOKEN_FORMS: dict[str, str] = {
    **{written: said.strip(" ,") for written, said in SAY_AS.items()},
    "pin": "비밀번호",
    "seoul": "서울",
    "secure": "시큐어",
    "ice": "아이스",
    "hot": "핫",
    "→": "그다음",
    "/": "또는",
    "~": "부터 … 까지",
    "=": "같아요",
    "₩": "원",
    "×": "곱하기",
}
SYMBOLS = "".join(k for k in SPOKEN_FORMS if len(k) == 1 and not k.isalnum()) + "<>$^|\\"

# L7: names of one thing that must not be mixed in one lesson (the first one a lesson uses
# is its name; saying two in one sentence, as in 「인터넷 주소, 링크」, explains and is fine).
GLOSSARY: tuple[tuple[str, ...], ...] = (
    ("전원 버튼", "측면 버튼", "전원 키", "측면 키", "사이드 버튼"),
    ("소리 버튼", "음량 버튼", "볼륨 버튼"),
    ("휴대폰", "핸드폰", "스마트폰", "휴대전화"),
    ("비밀번호", "암호", "패스워드"),
    ("와이파이", "무선 인터넷", "무선랜"),
    ("홈 화면", "바탕화면", "첫 화면"),
    ("링크", "인터넷 주소"),
    ("카카오톡", "카톡"),
    ("갤러리", "사진첩"),
    ("영상통화", "화상통화", "화상 전화"),
    ("숫자판", "키패드", "다이얼"),
    ("앱", "어플", "애플리케이션"),
)

# L9: words a senior may mishear or not know, with the plain word to use. A word in quotes
# (a button's label, 「'로그인'을 누르세요」) is the app's own and is not reported.
PLAIN_WORDS: dict[str, str] = {
    "드세요": "들고 계세요 (「드세요」는 「잡수세요」로도 들려요)",
    "터치": "누르다 (「누르세요」)",
    "클릭": "누르다 (「누르세요」)",
    "탭하": "누르다 (「누르세요」)",
    "스와이프": "밀다 (「위로 밀어 보세요」)",
    "드래그": "끌다 (「누른 채로 끌어 보세요」)",
}

# L8: what the unsafe-pattern checks look for in element ids, labels and field names
SECRET = r"pin|password|passcode|otp|account|card-?number|비밀번호|암호|계좌|카드 ?번호|인증 ?번호"
LINK = r"link|url|https?:|www\.|\.com\b|\.kr\b|\.top\b|링크"
INSTALL = r"install|download|apk|설치|다운로드"
EMERGENCY_NUMBERS = frozenset({"112", "119"})
CALL_OR_MESSAGE_APPS = frozenset({"phone", "messages", "sms", "kakaotalk"})
MESSAGE_APPS = frozenset({"messages", "sms", "kakaotalk"})
