"""Binding a parsed body to an OpenIM request message with Go's ``encoding/json`` rules.

Keys match field names ignoring case (Go's folding, so ``ſ`` matches ``s`` and ``K`` (Kelvin)
matches ``k``); unknown keys are ignored; ``null`` leaves a scalar as it was and makes a list or
a message nil (``None``); a later duplicate key wins, and a repeated object key merges into the
message already there. A type mismatch does not stop the decoding: the first one, in document
order, is reported with Go's text, e.g. ``json: cannot unmarshal string into Go struct field
RequestPagination.pagination.pageNumber of type int32``.
"""

from __future__ import annotations

from collections.abc import Callable
import json
import math
from dataclasses import dataclass, field
from typing import Any

from emulator.vendors.openim.gojson import GoNumber, JObject, go_string

INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1),
              "uint32": (0, 2 ** 32 - 1), "uint64": (0, 2 ** 64 - 1),
              "sdkws.PullOrder": (-(2 ** 31), 2 ** 31 - 1)}
_FOLD_SPECIAL = {"\u212a": "K", "\u017f": "S", "\u0130": "I", "\u0131": "I"}


class BindError(Exception):
    """The body does not fit the message; ``str()`` is Go's UnmarshalTypeError text."""


class _WrapperError(Exception):
    """A wrapper's own ``UnmarshalJSON`` failed: Go stops decoding there and reports it."""


def _raw(value: Any) -> str:
    """The JSON text of a parsed value, as the wrapper's ``UnmarshalJSON`` gets it (compact)."""
    if isinstance(value, GoNumber):
        return str(value)
    if isinstance(value, JObject):
        return "{" + ",".join(f"{_raw(k)}:{_raw(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_raw(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _go_quote(text: str) -> str:
    """strconv's %q of an ASCII-ish text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Field:
    """One message field: its JSON name and kind (string, int32, int64, uint32, bool, strings,
    message, messages, the protocol's wrappers ``string_value`` / ``int32_value``: a bare
    JSON string or number, ``None`` when absent or ``null``, or ``object``: Go's
    ``map[string]any``, a dict of Go's decoded values, ``None`` when absent or ``null``, or
    ``optional_bool``: a proto3 ``optional bool``, Go's ``*bool``, ``None`` when absent or
    ``null``, or ``int32s``: a repeated int32, ``None`` when absent or ``null``)."""

    name: str
    kind: str
    message: Message | None = None


Check = Callable[[dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class Message:
    """A protobuf-generated Go struct, as ``encoding/json`` sees it, and its ``Check()`` for a
    request message (the problem's text, or None when the message passes)."""

    package: str
    name: str
    fields: tuple[Field, ...]
    check: Check | None = field(default=None, repr=False, compare=False)
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)
    by_fold: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "by_fold", {fold(f.name): f for f in self.fields})

    @property
    def go_type(self) -> str:
        """The Go type name as reflect prints it, e.g. ``sdkws.GroupInfo``."""
        return f"{self.package}.{self.name}"

    def zero(self) -> dict[str, Any]:
        """The zero value: every field at Go's zero (nil lists and messages are None)."""
        return {f.name: _ZERO.get(f.kind) for f in self.fields}

    def lookup(self, key: str) -> Field | None:
        """The field a JSON key sets: an exact match first, then Go's case folding."""
        return self.by_name.get(key) or self.by_fold.get(fold(key))


_ZERO: dict[str, Any] = {"string": "", "int32": 0, "int64": 0, "uint32": 0, "bool": False,
                         "string_value": None, "int32_value": None, "object": None, "uint64": 0,
                         "sdkws.PullOrder": 0, "optional_bool": None, "int32s": None}


def fold(name: str) -> str:
    """Go's key folding (upper of lower, rune by rune)."""
    out = []
    for ch in name:
        if ch < "\x80":
            out.append(ch.upper())
        else:
            special = _FOLD_SPECIAL.get(ch)
            if special is not None:
                out.append(special)
            else:
                folded = ch.lower().upper()
                out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def kind_of(value: Any) -> str:
    """How Go names a JSON value in a type error."""
    if isinstance(value, JObject):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, GoNumber):
        return "number"
    if isinstance(value, bool):
        return "bool"
    return "string"


class _Binder:
    def __init__(self) -> None:
        self.error: str | None = None

    def fail(self, value: str, go_type: str, struct: str, path: list[str]) -> None:
        if self.error is None:
            self.error = (f"json: cannot unmarshal {value} into Go struct field "
                          f"{struct}.{'.'.join(path)} of type {go_type}")

    def into(self, target: dict[str, Any], pairs: JObject, message: Message,
             path: list[str]) -> None:
        for key, value in pairs:
            spec = message.lookup(key)
            if spec is not None:
                target[spec.name] = self.field(target[spec.name], value, spec, message,
                                               [*path, spec.name])

    def field(self, current: Any, value: Any, spec: Field, owner: Message,
              path: list[str]) -> Any:
        kind = spec.kind
        if value is None:
            return None if kind in ("strings", "message", "messages", "string_value",
                                    "int32_value", "object", "optional_bool", "int32s") else current
        if kind == "object":
            if not isinstance(value, JObject):
                self.fail(kind_of(value), "map[string]interface {}", owner.name, path)
                return current
            return self.any_value(value, owner, path)
        if kind == "string_value":
            if isinstance(value, str) and not isinstance(value, GoNumber):
                return go_string(value)
            raise _WrapperError(f"json: cannot unmarshal {kind_of(value)} into Go value of "
                                "type string")
        if kind == "int32_value":
            literal = _raw(value)
            digits = literal[1:] if literal[:1] in "+-" else literal
            if not (isinstance(value, GoNumber) and digits.isdigit() and digits.isascii()):
                raise _WrapperError(f"strconv.ParseInt: parsing {_go_quote(literal)}: "
                                    "invalid syntax")
            if not INT_RANGES["int32"][0] <= int(literal) <= INT_RANGES["int32"][1]:
                raise _WrapperError(f"strconv.ParseInt: parsing {_go_quote(literal)}: "
                                    "value out of range")
            return int(literal)
        if kind == "string":
            if isinstance(value, str) and not isinstance(value, GoNumber):
                return go_string(value)
            self.fail(kind_of(value), "string", owner.name, path)
            return current
        if kind in INT_RANGES:
            return self.integer(current, value, kind, owner, path)
        if kind in ("bool", "optional_bool"):
            if isinstance(value, bool):
                return value
            self.fail(kind_of(value), "bool", owner.name, path)
            return current
        if kind == "int32s":
            if not isinstance(value, list) or isinstance(value, JObject):
                self.fail(kind_of(value), "[]int32", owner.name, path)
                return current
            return [0 if item is None else self.integer(0, item, "int32", owner, path)
                    for item in value]
        if kind == "strings":
            if not isinstance(value, list) or isinstance(value, JObject):
                self.fail(kind_of(value), "[]string", owner.name, path)
                return current
            items: list[str] = []
            for item in value:
                if item is None:
                    items.append("")
                elif isinstance(item, str) and not isinstance(item, GoNumber):
                    items.append(go_string(item))
                else:
                    self.fail(kind_of(item), "string", owner.name, path)
                    items.append("")
            return items
        assert spec.message is not None
        if kind == "message":
            return self.message(current, value, spec.message, owner, path)
        if not isinstance(value, list) or isinstance(value, JObject):
            self.fail(kind_of(value), f"[]*{spec.message.go_type}", owner.name, path)
            return current
        return [None if item is None else self.message(None, item, spec.message, owner, path)
                for item in value]

    def message(self, current: dict[str, Any] | None, value: Any, message: Message,
                owner: Message, path: list[str]) -> dict[str, Any]:
        target = current if current is not None else message.zero()
        if isinstance(value, JObject):
            self.into(target, value, message, path)
        else:
            self.fail(kind_of(value), message.go_type, owner.name, path)
        return target

    def any_value(self, value: Any, owner: Message, path: list[str]) -> Any:
        """A value decoded into Go's ``interface{}``: objects become dicts (a later duplicate
        key wins), numbers float64 (one out of range is Go's type error, and nil)."""
        if isinstance(value, JObject):
            out: dict[str, Any] = {}
            for key, item in value:
                out[go_string(key)] = self.any_value(item, owner, path)
            return out
        if isinstance(value, list):
            return [self.any_value(item, owner, path) for item in value]
        if isinstance(value, GoNumber):
            number = float(str(value))
            if math.isinf(number):
                self.fail(f"number {value}", "float64", owner.name, path)
                return None
            return number
        if isinstance(value, str):
            return go_string(value)
        return value

    def integer(self, current: int, value: Any, kind: str, owner: Message,
                path: list[str]) -> int:
        if not isinstance(value, GoNumber):
            self.fail(kind_of(value), kind, owner.name, path)
            return current
        low, high = INT_RANGES[kind]
        literal = str(value)
        digits = literal[1:] if literal.startswith("-") else literal
        if digits.isdigit() and digits.isascii():
            number = int(literal)
            if low <= number <= high and not (kind in ("uint32", "uint64")
                                              and literal.startswith("-")):
                return number
        self.fail(f"number {literal}", kind, owner.name, path)
        return current


def bind(value: Any, message: Message) -> dict[str, Any]:
    """The message a parsed body decodes to, or BindError with Go's text."""
    binder = _Binder()
    target = message.zero()
    if value is None:
        return target
    if not isinstance(value, JObject):
        raise BindError(f"json: cannot unmarshal {kind_of(value)} into Go value of type "
                        f"{message.go_type}")
    try:
        binder.into(target, value, message, [])
    except _WrapperError as exc:
        raise BindError(str(exc)) from None
    if binder.error is not None:
        raise BindError(binder.error)
    return target
