"""A typed answer is accepted as a person would accept it, and no more."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lessons.typed_answer import typed_answer_matches


def test_spacing_and_final_punctuation_do_not_matter() -> None:
    for typed in (
        "네 고마워요",
        "네고마워요",
        " 네  고마워요 ",
        "네 고마워요.",
        "네 고마워요!!",
        "네 고마워요~",
    ):
        assert typed_answer_matches("네 고마워요", typed), typed
    assert typed_answer_matches("네, 고마워요.", "네, 고마워요")


def test_a_wrong_or_missing_syllable_does() -> None:
    for typed in ("네 고마와요", "네 고마워", "내 고마워요", "네 고마워요요", "", "네. 고마워요"):
        assert not typed_answer_matches("네 고마워요", typed), typed


def test_passwords_keep_their_case_and_inner_punctuation() -> None:
    assert typed_answer_matches("Sarang2024", "Sarang2024")
    assert not typed_answer_matches("Sarang2024", "sarang2024")
    assert not typed_answer_matches("abc.123", "abc123")


def test_phone_numbers_match_with_or_without_hyphens() -> None:
    assert typed_answer_matches("010-1234-5678", "01012345678")
    assert typed_answer_matches("01012345678", "010 1234 5678")
    assert not typed_answer_matches("010-1234-5678", "010-1234-5679")


def test_decomposed_jamo_are_the_same_text() -> None:
    # a text written as conjoining jamo (NFD) is the same words once normalised
    assert typed_answer_matches("네 고마워요", unicodedata.normalize("NFD", "네 고마워요"))


@given(st.text(st.sampled_from([*map(chr, range(0xAC00, 0xAC00 + 300)), " "]), min_size=1))
def test_every_text_matches_itself_spaced_differently(text: str) -> None:
    assert typed_answer_matches(text, " ".join(text.replace(" ", "")) + ".")


@given(st.text(st.sampled_from(list(map(chr, range(0xAC00, 0xAC00 + 300)))), min_size=1))
def test_changing_one_syllable_is_never_accepted(text: str) -> None:
    changed = text[:-1] + chr(ord(text[-1]) + 1)
    assert not typed_answer_matches(text, changed)
