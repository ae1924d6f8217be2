"""Business parameters of a ZEGO request and their typed readers.

A POST's business parameters are its JSON body; a GET's are its query string (besides the public
parameters). Business parameters in a POST's query string are read too, and the body wins.
In a query string, a list is written as repeated keys, with or without ``[]``
(``UserIds[]=a&UserIds[]=b``). Every failed check is a 660000002 parameter error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

from emulator.errors import VendorError
from emulator.vendors.zego import errors
from emulator.vendors.zego.auth import PUBLIC_PARAMETERS

USER_ID_MAX_BYTES = 32
_ID_CHARS = re.compile(r"[0-9A-Za-z!#$%&()+\-:;<=.>?@\[\]^_{}|~]+")
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,19}")
_BOOL_TEXT = {"true": True, "false": False, "1": True, "0": False}


def bad(detail: str) -> VendorError:
    """A 660000002 parameter error explaining what is wrong."""
    return errors.zego_error(errors.PARAMETER_ERROR, detail)


class Params(dict[str, Any]):
    """The business parameters of one request (or one object inside them), with typed readers
    that answer 660000002 for a bad value."""

    @classmethod
    def from_query(cls, items: Iterable[tuple[str, str]]) -> Params:
        """The business parameters of a query string; repeated keys become lists."""
        params = cls()
        for key, value in items:
            if key in PUBLIC_PARAMETERS:
                continue
            name = key[:-2] if key.endswith("[]") else key
            if name in params:
                current = params[name]
                params[name] = [*current, value] if isinstance(current, list) else [current, value]
            else:
                params[name] = [value] if key.endswith("[]") else value
        return params

    def string(self, name: str, *, required: bool = False, max_bytes: int | None = None,
               default: str = "") -> str:
        """A string parameter, optionally required and bounded in UTF-8 bytes."""
        value = self.get(name)
        if value is None or value == "":
            if required:
                raise bad(f"{name} is required")
            return default
        if not isinstance(value, str):
            raise bad(f"{name} must be a string")
        if max_bytes is not None and len(value.encode("utf-8", "surrogatepass")) > max_bytes:
            raise bad(f"{name} exceeds {max_bytes} bytes")
        return value

    def integer(self, name: str, *, low: int, high: int, required: bool = False,
                default: int = 0) -> int:
        """An integer parameter sent as a JSON number or a numeric string, within [low, high]."""
        value = self.get(name)
        if value is None or value == "":
            if required:
                raise bad(f"{name} is required")
            return default
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
            number = int(value.strip())
        if number is None:
            raise bad(f"{name} must be an integer")
        if not low <= number <= high:
            raise bad(f"{name} must be in [{low}, {high}]")
        return number

    def boolean(self, name: str) -> bool:
        """A Bool parameter: a JSON boolean, or in a query string ``true``/``false`` (any
        case) or ``1``/``0``; absent or empty is false."""
        value = self.get(name)
        if value is None or value == "":
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOL_TEXT:
            return _BOOL_TEXT[value.strip().lower()]
        raise bad(f"{name} must be a boolean")

    def integer_list(self, name: str, *, low: int, high: int, max_items: int) -> list[int]:
        """An Array of Number parameter (JSON numbers or numeric strings; a single value counts
        as a list of one), each within [low, high]; absent is an empty list."""
        value = self.get(name)
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else [value]
        if len(items) > max_items:
            raise bad(f"{name} holds more than {max_items} items")
        reader = Params()
        numbers = []
        for item in items:
            reader[name] = item
            if item is None or item == "":
                raise bad(f"{name} must be an array of integers")
            numbers.append(reader.integer(name, low=low, high=high))
        return numbers

    def string_list(self, *names: str, max_items: int) -> list[str] | None:
        """The first present list-of-strings parameter among ``names`` (None when none is
        given); a single string counts as a list of one."""
        for name in names:
            value = self.get(name)
            if value is None:
                continue
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise bad(f"{name} must be an array of strings")
            if len(items) > max_items:
                raise bad(f"{name} holds more than {max_items} items")
            return items
        return None

    def object_list(self, name: str, *, max_items: int) -> list[Params] | None:
        """A list-of-objects parameter, each as Params (None when absent)."""
        value = self.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise bad(f"{name} must be an array of objects")
        if len(value) > max_items:
            raise bad(f"{name} holds more than {max_items} items")
        return [Params(item) for item in value]


def from_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a POST body (empty body: no parameters)."""
    if not body.strip():
        return {}
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise bad("the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise bad("the body must be a JSON object")
    return value


def id_problem(value: str, name: str) -> tuple[int, str] | None:
    """Why an id (UserId, GroupId) is not acceptable, as (code, detail), or None."""
    if not value:
        return errors.PARAMETER_ERROR, f"{name} is empty"
    if len(value.encode("utf-8", "surrogatepass")) > USER_ID_MAX_BYTES:
        return errors.USER_ID_TOO_LONG, f"{name} exceeds {USER_ID_MAX_BYTES} bytes"
    if not _ID_CHARS.fullmatch(value):
        return errors.PARAMETER_ERROR, f"{name} holds a character ZEGO does not allow"
    return None
