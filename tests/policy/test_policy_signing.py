"""Spec: the signed caller carries what a department needs to check its own row rules."""

from __future__ import annotations

import asyncio
import base64

import orjson
import pytest

from gateway.pipeline.request import RequestContext
from gateway.pipeline.subgraph_signing import SigningFetcher
from gateway.policy import Principal
from gateway.policy.signing import (
    CALLER_HEADER,
    SIGNATURE_HEADER,
    SignatureError,
    SignedCaller,
    _mac,
    sign_subgraph_request,
    verify_subgraph_request,
)
from gateway.transport.fetcher import SubgraphRequest, SubgraphResponse

SECRET = b"s3cret"
BODY = b'{"query":"mutation { decideDibaoCase }"}'


def test_kind_county_department_and_scopes_travel_signed() -> None:
    headers = sign_subgraph_request(
        BODY,
        secret=SECRET,
        subject="officer-211202",
        client_id="hall",
        purpose="DB-1",
        now=1000,
        kind="user",
        county="211202",
        department="civil_affairs",
        scopes={"civil_affairs:officer", "civil_affairs:decide"},
    )
    caller = verify_subgraph_request(BODY, headers, secret=SECRET, now=1000)
    assert caller == SignedCaller(
        "officer-211202",
        "hall",
        "DB-1",
        1000,
        kind="user",
        county="211202",
        department="civil_affairs",
        scopes=frozenset({"civil_affairs:officer", "civil_affairs:decide"}),
    )
    assert caller.has_scope("civil_affairs:decide") and not caller.has_scope("citizen")


def test_the_new_fields_cannot_be_altered_the_hmac_covers_the_whole_caller() -> None:
    headers = sign_subgraph_request(
        BODY, secret=SECRET, subject="o", client_id=None, purpose=None, now=1000, county="211202"
    )
    payload = orjson.loads(base64.urlsafe_b64decode(headers[CALLER_HEADER] + "=="))
    payload["cty"] = "211204"
    forged = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()
    with pytest.raises(SignatureError):
        verify_subgraph_request(BODY, {**headers, CALLER_HEADER: forged}, secret=SECRET, now=1000)


def test_a_caller_header_of_the_old_form_still_verifies_with_unknown_new_fields() -> None:
    old = orjson.dumps({"sub": "s", "cid": "c", "pur": None, "ts": 1000})
    caller_b64 = base64.urlsafe_b64encode(old).rstrip(b"=").decode()
    headers = {CALLER_HEADER: caller_b64, SIGNATURE_HEADER: "v1=" + _mac(SECRET, caller_b64, BODY)}
    caller = verify_subgraph_request(BODY, headers, secret=SECRET, now=1000)
    assert caller == SignedCaller("s", "c", None, 1000)
    assert (caller.kind, caller.county, caller.department, caller.scopes) == (
        None,
        None,
        None,
        frozenset(),
    )


def test_a_signed_but_ill_typed_scope_list_is_refused() -> None:
    bad = orjson.dumps({"sub": "s", "cid": None, "pur": None, "ts": 1000, "scp": "citizen"})
    caller_b64 = base64.urlsafe_b64encode(bad).rstrip(b"=").decode()
    headers = {CALLER_HEADER: caller_b64, SIGNATURE_HEADER: "v1=" + _mac(SECRET, caller_b64, BODY)}
    with pytest.raises(SignatureError):
        verify_subgraph_request(BODY, headers, secret=SECRET, now=1000)


class _Recorder:
    def __init__(self) -> None:
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> SubgraphResponse:
        self.requests.append(request)
        return SubgraphResponse(status=200, payload={})


def test_the_signing_fetcher_fills_in_the_principal() -> None:
    recorder = _Recorder()
    officer = Principal(
        kind="user",
        subject="officer-211202",
        county="211202",
        department="civil_affairs",
        scopes=frozenset({"civil_affairs:officer", "civil_affairs:decide"}),
    )
    request = SubgraphRequest(
        "civil_affairs",
        "http://127.0.0.1:1/graphql",
        BODY,
        context=RequestContext(principal=officer, purpose="DB-1"),
    )
    asyncio.run(SigningFetcher(recorder, SECRET).fetch(request))
    caller = verify_subgraph_request(BODY, recorder.requests[0].headers, secret=SECRET)
    assert (caller.kind, caller.county, caller.department) == ("user", "211202", "civil_affairs")
    assert caller.scopes == {"civil_affairs:officer", "civil_affairs:decide"}
    assert caller.subject == "officer-211202" and caller.purpose == "DB-1"
