"""RongCloud's form bodies (and the ``/v3/`` queries' JSON bodies, read as forms), read the way the real service tolerates them, and the typed field
readers handlers use (``Form.text``, ``Form.user_ids``, ``Form.number``).

Keys repeat for lists (``userId=a&userId=b``). Values may be URL-encoded (``+`` or ``%20``) or not
encoded at all (raw spaces and raw UTF-8, as the official Python SDK renders its bodies from a
template). A literal ``+`` in an unencoded value therefore reads as a space, and a literal ``&``
splits the field: both are ambiguous on the wire and read the way an encoded body would be.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

import orjson

from emulator.vendors.rongcloud.errors import (BAD_PARAM, COUNT_EXCEEDED, param_invalid,
                                               param_required, rc_error, too_long)

_DIGITS = re.compile(r"[0-9]{1,18}")


def parse_form(body: bytes) -> Form:
    """Every field of a form body, values in the order sent; raises 1002 on bytes that are not
    UTF-8 once decoded."""
    fields: dict[str, list[str]] = {}
    for part in body.split(b"&"):
        if not part.strip():
            continue
        raw_key, _, raw_value = part.partition(b"=")
        try:
            key = _decode(raw_key).strip()
            value = _decode(raw_value)
        except UnicodeDecodeError:
            raise rc_error(BAD_PARAM, "The body is not valid UTF-8 form data.") from None
        fields.setdefault(key, []).append(value)
    return Form(fields)


def parse_json_form(body: bytes) -> Form:
    """A JSON object body (the ``/v3/`` queries) read as a form: each member one field, its
    value as text (``true``/``false`` for booleans, digits for integers, as the Go SDK sends
    them all as strings); null members are absent. Anything but an object of strings, numbers
    and booleans gets 1002."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise rc_error(BAD_PARAM, "The body is not a valid JSON object.") from None
    if not isinstance(value, dict):
        raise rc_error(BAD_PARAM, "The body is not a valid JSON object.")
    fields: dict[str, list[str]] = {}
    for key, item in value.items():
        if item is None:
            continue
        if isinstance(item, bool):
            fields[key] = ["true" if item else "false"]
        elif isinstance(item, (str, int, float)):
            fields[key] = [str(item)]
        else:
            raise param_invalid(key, "must be a string, a number or a boolean")
    return Form(fields)


def _decode(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")


class Form:
    """One form body: every field's values in the order sent, with typed readers whose errors
    are RongCloud's (1002 missing or invalid, 1005 too long, 1502 too many)."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, list[str]] | None = None) -> None:
        self.fields: dict[str, list[str]] = fields if fields is not None else {}

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def first(self, name: str) -> str:
        """The first value of a field as sent; '' when absent."""
        values = self.fields.get(name)
        return values[0] if values else ""

    def text(self, name: str, *, required: bool = True, max_chars: int | None = None) -> str:
        """A single-valued field (the first if repeated); '' when optional and absent."""
        value = self.first(name)
        if required and not value:
            raise param_required(name)
        if max_chars is not None and len(value) > max_chars:
            raise too_long(name, max_chars)
        return value

    def user_ids(self, name: str = "userId", *, max_count: int = 1000,
                 max_chars: int = 64) -> list[str]:
        """A repeated user id field: at least one, at most ``max_count``, repeats dropped."""
        values = [value for value in self.fields.get(name, []) if value]
        if not values:
            raise param_required(name)
        unique = list(dict.fromkeys(values))
        if len(unique) > max_count:
            raise rc_error(COUNT_EXCEEDED, f"Paramer '{name}' takes at most {max_count} values, "
                                           f"got {len(unique)}.")
        for value in unique:
            if len(value) > max_chars:
                raise too_long(name, max_chars)
        return unique

    def number(self, name: str) -> int | None:
        """A non-negative integer field written in ASCII digits; None when absent or empty."""
        value = self.text(name, required=False).strip()
        if not value:
            return None
        if not _DIGITS.fullmatch(value):
            raise param_invalid(name, "must be a non-negative integer")
        return int(value)

    def flag(self, name: str, default: bool = False) -> bool:
        """A switch written ``0``/``1`` or ``true``/``false`` (any case, as the official SDKs
        send them: Go ``strconv.FormatBool``, Python ``True``); the default when absent or empty;
        anything else gets 1002."""
        value = self.first(name).strip().lower()
        if not value:
            return default
        if value in ("1", "true"):
            return True
        if value in ("0", "false"):
            return False
        raise param_invalid(name, "must be 0, 1, true or false")

    def ids(self, name: str, *, max_count: int, max_chars: int = 64,
            required: bool = True) -> list[str]:
        """A repeated id field like ``user_ids`` (repeats dropped, 1502 past ``max_count``,
        1005 past ``max_chars``); [] when optional and absent."""
        if not required and not any(self.fields.get(name, [])):
            return []
        return self.user_ids(name, max_count=max_count, max_chars=max_chars)
