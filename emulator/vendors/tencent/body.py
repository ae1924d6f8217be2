"""Reading a Tencent request body: JSON whatever the Content-Type (real clients send none),
and typed field readers whose errors name the field in ErrorInfo.
"""

from __future__ import annotations

from typing import Any

import orjson

from emulator.errors import VendorError
from emulator.vendors.tencent import errors

INT_MIN = -2 ** 31
UINT32_MAX = 2 ** 32 - 1


def parse_json(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object; anything else (empty, not JSON, not an object) → 60003."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.fail(errors.BODY_NOT_JSON, explain=f"the body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise errors.fail(errors.BODY_NOT_JSON, explain="the body is JSON but not an object")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


class Fields:
    """Typed access to one JSON object; ``code`` is the error for a bad field."""

    def __init__(self, data: dict[str, Any], code: int = errors.INVALID_PARAMETER,
                 where: str = "") -> None:
        self.data = data
        self.code = code
        self.where = where

    def bad(self, name: str, problem: str) -> VendorError:
        """The error for a bad field, naming it."""
        info = errors.error_info(self.code)
        return errors.fail(self.code, f"{info}: {self.where}{name} {problem}")

    def has(self, name: str) -> bool:
        """True when the field is present and not null."""
        return self.data.get(name) is not None

    def string(self, name: str, *, required: bool = False, default: str = "",
               max_bytes: int | None = None) -> str:
        """A string field; missing or empty is an error when required."""
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.bad(name, "is required")
            return default
        if not isinstance(value, str):
            raise self.bad(name, f"must be a string, not {_kind(value)}")
        if required and not value:
            raise self.bad(name, "must not be empty")
        if max_bytes is not None and len(value.encode("utf-8")) > max_bytes:
            raise self.bad(name, f"is longer than {max_bytes} bytes")
        return value

    def account(self, name: str, *, required: bool = True) -> str:
        """A user account field: not a string → 60015, missing or empty → the field error."""
        value = self.data.get(name)
        if value is not None and not isinstance(value, str):
            raise errors.fail(errors.ACCOUNT_NOT_STRING,
                              f"{errors.error_info(errors.ACCOUNT_NOT_STRING)}: "
                              f"{self.where}{name} is {_kind(value)}")
        return self.string(name, required=required)

    def integer(self, name: str, *, default: int | None = None, minimum: int = INT_MIN,
                maximum: int = UINT32_MAX) -> int | None:
        """An integer field within bounds (32-bit unless narrower bounds are given)."""
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.bad(name, f"must be an integer, not {_kind(value)}")
        if value < minimum:
            raise self.bad(name, f"must be at least {minimum}")
        if value > maximum:
            raise self.bad(name, f"must not exceed {maximum}")
        return value

    def flag(self, name: str) -> bool:
        """A 0/1 switch: True only for 1."""
        return self.integer(name, default=0) == 1

    def objects(self, name: str, *, required: bool = False,
                max_items: int | None = None) -> list[Fields]:
        """An array of objects, each as Fields."""
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.bad(name, "is required")
            return []
        if not isinstance(value, list):
            raise self.bad(name, f"must be an array, not {_kind(value)}")
        if required and not value:
            raise self.bad(name, "must not be empty")
        if max_items is not None and len(value) > max_items:
            raise self.bad(name, f"has more than {max_items} items")
        items: list[Fields] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.bad(f"{name}[{index}]", f"must be an object, not {_kind(item)}")
            items.append(Fields(item, self.code, f"{self.where}{name}[{index}]."))
        return items

    def strings(self, name: str) -> list[str]:
        """An optional array of strings."""
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.bad(name, f"must be an array, not {_kind(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.bad(f"{name}[{index}]", f"must be a string, not {_kind(item)}")
        return list(value)

    def child(self, name: str) -> Fields:
        """An optional nested object (empty when absent)."""
        value = self.data.get(name)
        if value is None:
            return Fields({}, self.code, f"{self.where}{name}.")
        if not isinstance(value, dict):
            raise self.bad(name, f"must be an object, not {_kind(value)}")
        return Fields(value, self.code, f"{self.where}{name}.")
