"""The webhook ``key`` of ``send_simple_msg``'s query string, read as the handler reads it
(``c.GetQuery("key")``, then ``base64.StdEncoding.DecodeString``): missing is 1001
``missing key in query``, bad base64 1001 with Go's error text, both before the body is
bound."""

from __future__ import annotations

from urllib.parse import parse_qs

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.gobase64 import Base64Error, decode_std

WEBHOOK_KEY = "webhook_key"  # the request note holding the decoded key


def webhook_key(query_string: bytes) -> bytes:
    """The decoded ``key`` query parameter (the first one given)."""
    values = parse_qs(query_string.decode("latin-1"), keep_blank_values=True).get("key")
    if values is None:
        raise e.oim_error(e.ARGS, "missing key in query")
    try:
        return decode_std(values[0])
    except Base64Error as exc:
        raise e.oim_error(e.ARGS, str(exc)) from None
