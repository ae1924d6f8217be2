"""Go's ``base64.StdEncoding.DecodeString`` (padded, not strict): the bytes, or the error
text Go gives (``illegal base64 data at input byte N``), with its handling of newlines,
padding and trailing data (``encoding/base64`` ``decodeQuantum``)."""

from __future__ import annotations

import string

_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
_VALUES = {ord(ch): index for index, ch in enumerate(_ALPHABET)}
_NEWLINES = (ord("\n"), ord("\r"))
_PAD = ord("=")


class Base64Error(ValueError):
    """Go's ``CorruptInputError``."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")


def _skip_newlines(src: bytes, si: int) -> int:
    while si < len(src) and src[si] in _NEWLINES:
        si += 1
    return si


def _quantum(src: bytes, si: int) -> tuple[int, bytes, Base64Error | None]:
    """One ``decodeQuantum``: the next index, the bytes decoded, a trailing-data error."""
    values = [0, 0, 0, 0]
    length, error, j = 4, None, 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, b"", None
            raise Base64Error(si - j)
        char = src[si]
        si += 1
        if char in _VALUES:
            values[j] = _VALUES[char]
            j += 1
            continue
        if char in _NEWLINES:
            continue
        if char != _PAD or j in (0, 1):
            raise Base64Error(si - 1)
        if j == 2:
            si = _skip_newlines(src, si)
            if si == len(src):
                raise Base64Error(len(src))
            if src[si] != _PAD:
                raise Base64Error(si - 1)
            si += 1
        si = _skip_newlines(src, si)
        if si < len(src):
            error = Base64Error(si)
        length = j
        break
    value = values[0] << 18 | values[1] << 12 | values[2] << 6 | values[3]
    return si, value.to_bytes(3, "big")[:length - 1], error


def decode_std(text: str) -> bytes:
    """The bytes of ``text``; ``Base64Error`` as Go words it."""
    src = text.encode("utf-8", "surrogatepass")
    out = bytearray()
    si = 0
    while si < len(src):
        si, chunk, error = _quantum(src, si)
        out += chunk
        if error is not None:
            raise error
    return bytes(out)
