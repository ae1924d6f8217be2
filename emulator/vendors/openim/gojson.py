"""Reading a request body the way Go's ``encoding/json`` reads it in OpenIM's gateway.

``parse(body)`` returns the JSON value with objects as ``JObject`` (the key/value pairs in
document order, duplicates kept) and numbers as ``GoNumber`` (the literal text), so the binder
(``binding``) can apply Go's rules. A body Go would reject raises ``GoSyntaxError`` with Go's own
message (``unexpected end of JSON input``, ``invalid character 'x' looking for beginning of
value`` ...). Invalid UTF-8 inside strings becomes U+FFFD byte by byte, as in Go.

The fast path is the standard library's C parser; Go's scanner rules are only replayed (in
``_Scanner``) when that parser refuses a body, to find Go's message, or when a body nests deeper
than Python's recursion allows but within Go's limit of 10000.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

MAX_DEPTH = 10000
KEEP_DEPTH = 4
_SPACE = b" \t\n\r"
_SURROGATE = re.compile("[\ud800-\udfff]")


class GoSyntaxError(Exception):
    """A body Go's ``encoding/json`` refuses; ``str()`` is Go's error text."""


class JObject(list[tuple[str, Any]]):
    """A JSON object: its (key, value) pairs in document order."""


class GoNumber(str):
    """A JSON number, kept as its literal text."""


class _NotGo(Exception):
    """The fast parser accepted something Go does not (NaN, Infinity)."""


def _per_byte_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\ufffd", error.start + 1


codecs.register_error("openim-per-byte-replace", _per_byte_replace)


def _no_constants(name: str) -> Any:
    raise _NotGo(name)


def go_string(text: str) -> str:
    """A decoded JSON string as Go holds it: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _loads(text: str) -> Any:
    return json.loads(text, object_pairs_hook=JObject, parse_int=GoNumber,
                      parse_float=GoNumber, parse_constant=_no_constants)


def parse(body: bytes) -> Any:
    """The JSON value of a request body, or GoSyntaxError with Go's message."""
    text = body.decode("utf-8", "openim-per-byte-replace")
    try:
        return _loads(text)
    except (ValueError, _NotGo, RecursionError):
        pass
    scanner = _Scanner(body)
    scanner.run()
    try:
        return _loads(scanner.shallow().decode("utf-8", "openim-per-byte-replace"))
    except (ValueError, _NotGo, RecursionError) as exc:
        raise GoSyntaxError("unexpected end of JSON input") from exc


def quote_char(c: int) -> str:
    """Go's ``quoteChar``: how a byte is shown in a syntax error."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    escapes = {0x07: "\\a", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t",
               0x0B: "\\v", 0x5C: "\\\\"}
    if c in escapes:
        return f"'{escapes[c]}'"
    if c < 0x20 or c == 0x7F:
        return f"'\\x{c:02x}'"
    char = chr(c)
    if not char.isprintable():
        return f"'\\u{c:04x}'"
    return f"'{char}'"


_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}
_ESCAPES = frozenset(b'bfnrt\\/"')
_HEX = frozenset(b"0123456789abcdefABCDEF")
_PLAIN = re.compile(rb'[^"\\\x00-\x1f]*')


class _Scanner:
    """Go's JSON scanner rules over raw bytes: finds Go's first syntax error, and notes the
    containers nested deeper than the binder ever looks, so they can be emptied."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.stack: list[int] = []  # the opening byte; negative until the first member
        self.deep: list[tuple[int, int, bytes]] = []
        self._deep_start = -1

    def fail(self, context: str) -> GoSyntaxError:
        return GoSyntaxError(f"invalid character {quote_char(self.data[self.pos])} {context}")

    def eof(self) -> GoSyntaxError:
        return GoSyntaxError("unexpected end of JSON input")

    def peek(self) -> int:
        if self.pos >= len(self.data):
            raise self.eof()
        return self.data[self.pos]

    def skip_space(self) -> None:
        data, pos = self.data, self.pos
        while pos < len(data) and data[pos] in _SPACE:
            pos += 1
        self.pos = pos

    def run(self) -> None:
        self.skip_space()
        self.value("looking for beginning of value")
        self.skip_space()
        if self.pos < len(self.data):
            raise self.fail("after top-level value")

    def value(self, context: str) -> None:
        """One value, with its containers walked iteratively."""
        self.single(context)
        while self.stack:
            self.skip_space()
            c = self.peek()
            opener = self.stack[-1]
            is_object = opener in (ord("{"), -ord("{"))
            if opener < 0:
                self.stack[-1] = -opener
                if c == (ord("}") if is_object else ord("]")):
                    self.close()
                elif is_object:
                    self.key()
                else:
                    self.single("looking for beginning of value")
                continue
            if c == (ord("}") if is_object else ord("]")):
                self.close()
                continue
            if c != ord(","):
                raise self.fail("after object key:value pair" if is_object
                                else "after array element")
            self.pos += 1
            self.skip_space()
            if is_object:
                self.key()
            else:
                self.single("looking for beginning of value")

    def single(self, context: str) -> None:
        """A scalar, or the opening of a container (its members follow in ``value``)."""
        c = self.peek()
        if c == ord("{") or c == ord("["):
            self.open(c)
        elif c == ord('"'):
            self.string()
        elif c == ord("-") or ord("0") <= c <= ord("9"):
            self.number()
        elif c in _LITERALS:
            self.literal(_LITERALS[c])
        else:
            raise self.fail(context)

    def key(self) -> None:
        if self.peek() != ord('"'):
            raise self.fail("looking for beginning of object key string")
        self.string()
        self.skip_space()
        if self.peek() != ord(":"):
            raise self.fail("after object key")
        self.pos += 1
        self.skip_space()
        self.single("looking for beginning of value")

    def open(self, c: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail("exceeded max depth")
        if len(self.stack) == KEEP_DEPTH:
            self._deep_start = self.pos
        self.stack.append(-c)
        self.pos += 1

    def close(self) -> None:
        opener = abs(self.stack.pop())
        self.pos += 1
        if len(self.stack) == KEEP_DEPTH:
            self.deep.append((self._deep_start, self.pos, b"{}" if opener == ord("{") else b"[]"))

    def string(self) -> None:
        self.pos += 1
        while True:
            match = _PLAIN.match(self.data, self.pos)
            self.pos = match.end() if match else self.pos
            c = self.peek()
            if c == ord('"'):
                self.pos += 1
                return
            if c < 0x20:
                raise self.fail("in string literal")
            self.pos += 1
            e = self.peek()
            if e == ord("u"):
                self.pos += 1
                for _ in range(4):
                    if self.peek() not in _HEX:
                        raise self.fail("in \\u hexadecimal character escape")
                    self.pos += 1
            elif e in _ESCAPES:
                self.pos += 1
            else:
                raise self.fail("in string escape code")

    def digits(self) -> None:
        while self.pos < len(self.data) and ord("0") <= self.data[self.pos] <= ord("9"):
            self.pos += 1

    def number(self) -> None:
        data = self.data
        if data[self.pos] == ord("-"):
            self.pos += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("in numeric literal")
        if data[self.pos] == ord("0"):
            self.pos += 1
        else:
            self.digits()
        if self.pos < len(data) and data[self.pos] == ord("."):
            self.pos += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("after decimal point in numeric literal")
            self.digits()
        if self.pos < len(data) and data[self.pos] in b"eE":
            self.pos += 1
            if self.peek() in b"+-":
                self.pos += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("in exponent of numeric literal")
            self.digits()

    def literal(self, word: bytes) -> None:
        self.pos += 1
        for expected in word[1:]:
            if self.peek() != expected:
                raise self.fail(f"in literal {word.decode()} (expecting {quote_char(expected)})")
            self.pos += 1

    def shallow(self) -> bytes:
        """The body with every container deeper than the binder looks emptied."""
        if not self.deep:
            return self.data
        parts: list[bytes] = []
        last = 0
        for start, end, empty in self.deep:
            parts.append(self.data[last:start])
            parts.append(empty)
            last = end
        parts.append(self.data[last:])
        return b"".join(parts)
