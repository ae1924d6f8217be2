"""gin's ``c.BindJSON`` as the ``/msg/send_msg`` handler calls it: encoding/json's ``Decoder``
(the first JSON value of the body; an empty body is ``EOF``, a cut one ``unexpected EOF``),
then go-playground/validator's ``binding`` tags (every failing field, in struct order, one
line each). A failure is 1001 ArgsError with that text as errDlt, on HTTP 400: ``BindJSON``
aborts with 400 and writes the status before the handler's own answer (on 200) is written.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.errors import VendorError
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import BindError, Message, bind
from emulator.vendors.openim.gojson import GoSyntaxError, parse

BAD_REQUEST = 400
_SPACE = " \t\n\r"


def bind_error(text: str) -> VendorError:
    """What ``errs.ErrArgs.WithDetail(err.Error()).Wrap()`` answers after a failed BindJSON."""
    return VendorError(e.ARGS, e.MESSAGES[e.ARGS], detail=text, http_status=BAD_REQUEST)


def _first_value(body: bytes) -> bytes | None:
    """The bytes of the body's first JSON value, when more follows it (the Decoder stops
    there); None when that cannot be told."""
    text = body.decode("utf-8", "replace")
    start = len(text) - len(text.lstrip(_SPACE))
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return text[:end].encode()


def decode(body: bytes) -> Any:
    """The first JSON value of the body as Go's Decoder reads it, or BindError's text."""
    if body.strip(_SPACE.encode()) == b"":
        raise GoSyntaxError("EOF")
    try:
        return parse(body)
    except GoSyntaxError as exc:
        text = str(exc)
        if text == "unexpected end of JSON input":
            raise GoSyntaxError("unexpected EOF") from None
        if "after top-level value" in text:
            first = _first_value(body)
            if first is not None:
                return parse(first)
        raise


def gin_bind(body: bytes, message: Message) -> dict[str, Any]:
    """The request, decoded and validated as gin binds it."""
    try:
        req = bind(decode(body), message)
    except (GoSyntaxError, BindError) as exc:
        raise bind_error(str(exc)) from None
    problem = message.check(req) if message.check is not None else None
    if problem is not None:
        raise bind_error(problem)
    return req


def field_error(namespace: str, tag: str) -> str:
    """One validator FieldError's text."""
    field = namespace.rsplit(".", 1)[-1]
    return f"Key: '{namespace}' Error:Field validation for '{field}' failed on the '{tag}' tag"
