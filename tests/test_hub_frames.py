"""Spliced frames are byte for byte what encoding each connection's events would give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from meeting.domain import Audience, Event
from meeting.hub.frames import BatchFrames, encode_batch
from meeting.hub.local import visible

USERS = ["d01", "d02", "d03"]


@st.composite
def batches(draw: st.DrawFn) -> list[Event]:
    n = draw(st.integers(1, 12))
    out = []
    for seq in range(1, n + 1):
        user = draw(st.sampled_from([None, None, *USERS]))
        audience = draw(st.sampled_from(list(Audience)))
        data = {"n": seq, "text": draw(st.text(max_size=5))}
        out.append(Event("m", seq, "vote.ballot_cast", "2026-12-01T08:00:00.000Z", "x", data,
                         audience, user))  # fmt: skip
    return out


@given(batches(), st.sampled_from(list(Audience)), st.sampled_from([None, *USERS, "d09"]))
def test_spliced_frame_equals_encoding_the_visible_events(
    events: list[Event], audience: Audience, user: str | None
) -> None:
    shown = visible(events, audience, user)
    expected = encode_batch(shown) if shown else None
    frames = BatchFrames(events)
    assert frames.frame(audience, user) == expected
    assert frames.frame(audience, user) == expected  # and again, from the cache
