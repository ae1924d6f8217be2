"""Go's ``time.Parse`` with the layout ``time.DateOnly`` (``2006-01-02``), as ``search_msg``
reads its ``sendTime``: the date at 00:00 UTC, or the error text Go's parser gives."""

from __future__ import annotations

LAYOUT = "2006-01-02"
DAY_MS = 86_400_000
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class DateError(ValueError):
    """A value Go's ``time.Parse`` refuses; ``str()`` is Go's ``ParseError.Error()``."""


def _quote(text: str) -> str:
    """Go's ``time.quote``: a control or non-ASCII character as the \\x escapes of its UTF-8
    bytes, a quote or backslash escaped."""
    out = []
    for ch in text:
        if ord(ch) < 0x20 or ord(ch) >= 0x80:
            out += [f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogatepass")]
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    return '"' + "".join(out) + '"'


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_epoch(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (any year from 0)."""
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    return era * 146097 + of_cycle - 719468


def _bad(value: str, rest: str, elem: str) -> DateError:
    return DateError(f"parsing time {_quote(value)} as {_quote(LAYOUT)}: cannot parse "
                     f"{_quote(rest)} as {_quote(elem)}")


def _digits(text: str, count: int) -> bool:
    return len(text) >= count and all("0" <= ch <= "9" for ch in text[:count])


def parse_date_only(value: str) -> int:
    """The ms of ``value``'s 00:00 UTC; ``DateError`` as Go words it."""
    rest = value
    if not _digits(rest, 4):
        raise _bad(value, rest, "2006")
    year, rest = int(rest[:4]), rest[4:]
    numbers = []
    for elem in ("01", "02"):
        if not rest.startswith("-"):
            raise _bad(value, rest, "-")
        rest = rest[1:]
        if not _digits(rest, 2):
            raise _bad(value, rest, elem)
        numbers.append(int(rest[:2]))
        rest = rest[2:]
        if elem == "01" and not 1 <= numbers[0] <= 12:
            raise DateError(f"parsing time {_quote(value)}: month out of range")
    if rest:
        raise DateError(f"parsing time {_quote(value)}: extra text: {_quote(rest)}")
    month, day = numbers
    days_in = _MONTH_DAYS[month - 1] + (month == 2 and _leap(year))
    if not 1 <= day <= days_in:
        raise DateError(f"parsing time {_quote(value)}: day out of range")
    return _days_from_epoch(year, month, day) * DAY_MS
