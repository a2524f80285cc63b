"""Page cursors are sealed: opaque, unforgeable, and readable by every replica."""

from __future__ import annotations

import base64

import pytest

from subgraphs.common import pagination
from subgraphs.common.errors import InputError
from subgraphs.common.pagination import (
    configure_cursor_secret,
    decode_cursor,
    encode_cursor,
    page_request,
)

ID_NUMBER = "211202198001010017"


def _raw(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def test_a_cursor_round_trips_without_showing_its_key() -> None:
    # Regression: cursors were base64(prefix + identity number), undoing the gateway's
    # masking of idNumber for anyone who decoded pageInfo.endCursor.
    cursor = encode_cursor(ID_NUMBER)
    assert decode_cursor(cursor) == ID_NUMBER
    assert ID_NUMBER.encode() not in _raw(cursor)
    assert encode_cursor(ID_NUMBER) != cursor  # fresh nonce: equal keys look unrelated


def test_a_forged_or_tampered_cursor_is_refused_naming_the_argument() -> None:
    forged = base64.urlsafe_b64encode(b"gg1:" + ID_NUMBER.encode()).decode()
    tampered = bytearray(_raw(encode_cursor(ID_NUMBER)))
    tampered[-1] ^= 1
    for bad in (forged, base64.urlsafe_b64encode(bytes(tampered)).decode(), "%%%", ""):
        with pytest.raises(InputError) as caught:
            decode_cursor(bad)
        assert caught.value.message == 'Invalid argument "after": is not a valid cursor'
        assert caught.value.extensions == {
            "code": "BAD_USER_INPUT",
            "rule": "opaque cursor from pageInfo.endCursor",
            "argument": "after",
        }


def test_replicas_sharing_the_subgraph_secret_read_each_others_cursors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pagination, "_sealer", pagination._sealer)  # restored afterwards
    configure_cursor_secret(b"shared")
    cursor = encode_cursor(ID_NUMBER)
    configure_cursor_secret(b"shared")  # a second replica starting with the same secret
    assert decode_cursor(cursor) == ID_NUMBER
    configure_cursor_secret(b"another deployment")
    with pytest.raises(InputError):
        decode_cursor(cursor)


@pytest.mark.parametrize(("first", "size"), [(None, 20), (0, 0), (100, 100)])
def test_page_size_defaults_to_twenty_and_allows_up_to_a_hundred(
    first: int | None, size: int
) -> None:
    assert page_request(first, None).first == size


def test_a_page_size_beyond_a_hundred_is_refused() -> None:
    with pytest.raises(InputError, match='"first": must be between 0 and 100, got -1'):
        page_request(-1, None)
