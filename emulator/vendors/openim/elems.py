"""A send_msg ``content`` as the gateway reads it for its ``contentType`` (open-im-server
``internal/api/msg.go`` ``getSendMsgReq``, element structs in ``pkg/apistruct/msg.go``):
``mapstructure.WeakDecode`` into the element struct (keys matched ignoring case; numbers and
bools read as strings, strings as numbers), then the validator's ``validate`` tags; and the
content string the message carries: Go's ``json.Marshal`` of the map (keys sorted, numbers
as float64).

A decode failure is mapstructure's error and a validation failure the validator's, neither a
code error, so both answer 500 ServerInternalError with the error's text as errDlt.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from emulator.vendors.openim.gin import go_json
from emulator.vendors.openim.validation import field_error

TEXT, PICTURE, VOICE, VIDEO, FILE, AT_TEXT, CUSTOM, QUOTE, MARKDOWN = (
    101, 102, 103, 104, 105, 106, 110, 114, 118)
OA_NOTIFICATION = 1400
NOTIFICATION_BEGIN, NOTIFICATION_END = 1000, 5000
# The store's message type for each content type (the body keeps the number too).
TYPE_NAMES = {TEXT: "text", PICTURE: "picture", VOICE: "voice", VIDEO: "video", FILE: "file",
              AT_TEXT: "at_text", CUSTOM: "custom", QUOTE: "quote", MARKDOWN: "markdown",
              OA_NOTIFICATION: "oa_notification"}


@dataclass(frozen=True)
class Spec:
    """One element field: its Go name, kind (string, int, strings, bool, struct), its
    ``validate`` rules (required, min=1, max=1000) and, for a struct, its fields."""

    name: str
    kind: str
    rules: tuple[str, ...] = ()
    fields: tuple[Spec, ...] = ()


def _s(name: str, *rules: str) -> Spec:
    return Spec(name, "string", rules)


def _i(name: str, *rules: str) -> Spec:
    return Spec(name, "int", rules)


_PICTURE_BASE = (_s("UUID"), _s("Type", "required"), _i("Size"), _i("Width", "required"),
                 _i("Height", "required"), _s("Url", "required"))
ELEMENTS: dict[int, tuple[str, tuple[Spec, ...]]] = {
    TEXT: ("TextElem", (_s("Content", "required"),)),
    PICTURE: ("PictureElem", (_s("SourcePath"),
                              Spec("SourcePicture", "struct", (), _PICTURE_BASE),
                              Spec("BigPicture", "struct", (), _PICTURE_BASE),
                              Spec("SnapshotPicture", "struct", (), _PICTURE_BASE))),
    VOICE: ("SoundElem", (_s("UUID"), _s("SoundPath"), _s("SourceURL", "required"),
                          _i("DataSize"), _i("Duration", "required", "min=1"))),
    VIDEO: ("VideoElem", (_s("VideoPath"), _s("VideoUUID"), _s("VideoURL", "required"),
                          _s("VideoType", "required"), _i("VideoSize", "required"),
                          _i("Duration", "required"), _s("SnapshotPath"), _s("SnapshotUUID"),
                          _i("SnapshotSize"), _s("SnapshotURL", "required"),
                          _i("SnapshotWidth", "required"), _i("SnapshotHeight", "required"))),
    FILE: ("FileElem", (_s("FilePath"), _s("UUID"), _s("SourceURL", "required"),
                        _s("FileName", "required"), _i("FileSize", "required"))),
    AT_TEXT: ("AtElem", (_s("Text"), Spec("AtUserList", "strings", ("required", "max=1000")),
                         Spec("IsAtSelf", "bool"))),
    CUSTOM: ("CustomElem", (_s("Data", "required"), _s("Description"), _s("Extension"))),
    MARKDOWN: ("MarkdownTextElem", (_s("Content", "required"),)),
    QUOTE: ("QuoteElem", ()),
}


class ElemError(Exception):
    """The content does not decode or validate; ``str()`` is Go's error text."""


# ---- Go's formatting of decoded JSON values --------------------------------------------------

def _digits(number: float) -> tuple[str, int]:
    """The shortest digits of a finite non-zero float and its decimal exponent (d.ddd e exp)."""
    sign, digits, exponent = Decimal(repr(abs(number))).normalize().as_tuple()
    text = "".join(map(str, digits))
    return text, exponent + len(text) - 1  # type: ignore[operator]


def _e_format(number: float, text: str, exp: int) -> str:
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    sign = "-" if number < 0 else ""
    return f"{sign}{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"


def go_float_f(number: float) -> str:
    """``strconv.FormatFloat(f, 'f', -1, 64)``."""
    if number == 0:
        return "-0" if str(number).startswith("-") else "0"
    return format(Decimal(repr(number)).normalize(), "f")


def go_json_float(number: float) -> str:
    """How ``encoding/json`` writes a float64."""
    if number == 0 or 1e-6 <= abs(number) < 1e21:
        return go_float_f(number)
    text, exp = _digits(number)
    out = _e_format(number, text, exp)
    if out[-4] == "e" and out[-3] == "-" and out[-2] == "0":
        out = out[:-2] + out[-1]
    return out


def go_v(value: Any) -> str:
    """fmt's ``%v`` of a decoded JSON value (for mapstructure's error texts)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value == 0:
            return go_float_f(value)
        text, exp = _digits(value)
        if exp < -4 or exp >= 6:  # %v is %g, shortest: precision 6 decides
            return _e_format(value, text, exp)
        return go_float_f(value)
    if isinstance(value, list):
        return "[" + " ".join(go_v(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_v(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def go_type(value: Any) -> str:
    """The Go type of a decoded JSON value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}"


def go_marshal(value: Any) -> bytes:
    """``json.Marshal`` of a decoded JSON value: map keys sorted, floats as Go writes them."""
    if isinstance(value, dict):
        return b"{" + b",".join(go_json(key) + b":" + go_marshal(value[key])
                                for key in sorted(value)) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(go_marshal(item) for item in value) + b"]"
    if isinstance(value, float):
        return go_json_float(value).encode()
    return go_json(value)


# ---- mapstructure.WeakDecode, then validate --------------------------------------------------

def _unconvertible(name: str, want: str, value: Any) -> str:
    return (f"'{name}' expected type '{want}', got unconvertible type '{go_type(value)}', "
            f"value: '{go_v(value)}'")


def _weak(spec: Spec, name: str, value: Any, errors: list[str]) -> Any:
    if spec.kind == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return go_float_f(value)
        errors.append(_unconvertible(name, "string", value))
        return ""
    if spec.kind == "int":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value or "0", 0)
            except ValueError:
                errors.append(f"cannot parse '{name}' as int: strconv.ParseInt: parsing "
                              f"\"{value}\": invalid syntax")
                return 0
        errors.append(_unconvertible(name, "int64", value))
        return 0
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            return value != 0
        if isinstance(value, str):
            lowered = value
            if lowered in ("1", "t", "T", "true", "TRUE", "True"):
                return True
            if lowered in ("", "0", "f", "F", "false", "FALSE", "False"):
                return False
            errors.append(f"cannot parse '{name}' as bool: strconv.ParseBool: parsing "
                          f"\"{value}\": invalid syntax")
            return False
        errors.append(_unconvertible(name, "bool", value))
        return False
    if spec.kind == "strings":
        items = value if isinstance(value, list) else [value]
        item_spec = Spec(spec.name, "string")
        return [_weak(item_spec, f"{name}[{i}]", item, errors) for i, item in enumerate(items)]
    if not isinstance(value, dict):
        errors.append(f"'{name}' expected a map, got '{go_type(value).split(' ')[0]}'")
        return {}
    return _decode(spec.fields, value, name, errors)


def _decode(specs: tuple[Spec, ...], data: dict[str, Any], prefix: str,
            errors: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        name = f"{prefix}.{spec.name}" if prefix else spec.name
        key = spec.name if spec.name in data else next(
            (k for k in data if k.lower() == spec.name.lower()), None)
        value = data.get(key) if key is not None else None
        if value is None:
            out[spec.name] = _zero(spec)
        else:
            out[spec.name] = _weak(spec, name, value, errors)
    return out


def _zero(spec: Spec) -> Any:
    return {"string": "", "int": 0, "bool": False, "strings": None}.get(
        spec.kind, {s.name: _zero(s) for s in spec.fields})


def _validate(specs: tuple[Spec, ...], decoded: dict[str, Any], namespace: str,
              problems: list[str]) -> None:
    for spec in specs:
        value = decoded[spec.name]
        where = f"{namespace}.{spec.name}"
        if spec.kind == "struct":
            _validate(spec.fields, value, where, problems)
            continue
        for rule in spec.rules:
            if rule == "required":
                empty = value is None if spec.kind == "strings" else not value
                if empty:
                    problems.append(field_error(where, "required"))
                    break
            elif rule.startswith("min="):
                if value < int(rule[4:]):
                    problems.append(field_error(where, "min"))
                    break
            elif rule.startswith("max="):
                if len(value) > int(rule[4:]):
                    problems.append(field_error(where, "max"))
                    break


def read_element(content_type: int, content: dict[str, Any]) -> dict[str, Any]:
    """The element a content decodes to (Go field names), or ElemError."""
    struct, specs = ELEMENTS[content_type]
    errors: list[str] = []
    decoded = _decode(specs, content, "", errors)
    if errors:
        points = sorted(f"* {error}" for error in errors)
        raise ElemError(f"{len(errors)} error(s) decoding:\n\n" + "\n".join(points))
    problems: list[str] = []
    _validate(specs, decoded, struct, problems)
    if problems:
        raise ElemError("\n".join(problems))
    return decoded
