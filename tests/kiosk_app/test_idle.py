from kiosk_app.teaching.idle import IdleState, IdleTimer


def test_asks_after_five_minutes_then_signs_out_after_the_answer_time() -> None:
    timer = IdleTimer(ask_after=300, answer_within=60, last_touch=0)
    assert timer.state(299.9) is IdleState.ACTIVE
    assert timer.state(300) is IdleState.ASKING
    assert timer.seconds_left(300) == 60
    assert timer.seconds_left(330.5) == 30
    assert timer.state(359.9) is IdleState.ASKING
    assert timer.state(360) is IdleState.SIGN_OUT
    assert timer.seconds_left(400) == 0


def test_a_touch_starts_the_quiet_time_again() -> None:
    timer = IdleTimer(ask_after=300, answer_within=30, last_touch=0)
    timer.touch(320)
    assert timer.state(321) is IdleState.ACTIVE
    assert timer.state(620) is IdleState.ASKING
