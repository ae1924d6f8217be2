"""Property: any request at all (any path, method, query string, headers and body, with or
without every vendor's credentials) is answered by the vendor that owns the path, in that
vendor's envelope and HTTP status, never a 500 or a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import (Request, any_paths, bodies, check_response, headers, methods,
                        openim_admin_token, owner_for, query_pairs, raw_query_tails,
                        rongcloud_headers, tencent_query, zego_query)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

CREDENTIALS = ["none", "openim", "zego", "rongcloud", "tencent", "all"]


async def credentials(emulator: Any, which: str) -> tuple[list[tuple[str, str]],
                                                          list[tuple[str, Any]]]:
    """Query pairs and headers that carry one vendor's valid credentials (or all of them)."""
    now = emulator.clock.now()
    query: list[tuple[str, str]] = []
    sent: list[tuple[str, Any]] = []
    if which in ("openim", "all"):
        sent += [("operationID", "fuzz"), ("token", await openim_admin_token(emulator.client))]
    if which in ("zego", "all"):
        query += zego_query(now)
    if which in ("rongcloud", "all"):
        sent += rongcloud_headers(now)
    if which in ("tencent", "all"):
        query += tencent_query(emulator.clock)
    return query, sent


@given(path=any_paths, method=methods, action=st.none() | st.text(max_size=30),
       query=query_pairs, raw_query=raw_query_tails, extra=headers, body=bodies,
       which=st.sampled_from(CREDENTIALS))
async def test_any_request_gets_its_owners_envelope(im_emulator: Any, path: str, method: str,
                                                    action: str | None,
                                                    query: list[tuple[str, str]],
                                                    raw_query: str,
                                                    extra: list[tuple[str, Any]], body: bytes,
                                                    which: str) -> None:
    signed_query, signed_headers = await credentials(im_emulator, which)
    pairs = ([("Action", action)] if action is not None else []) + signed_query + query
    request = Request(method, path, pairs, raw_query, signed_headers + extra, body)
    response = await request.send(im_emulator.client)
    check_response(owner_for(request), request, response)
