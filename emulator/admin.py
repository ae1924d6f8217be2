"""The admin API under ``/_emulator/``: health, readiness, reset, seed, state, clock, version,
the request journal and fault rules.

Every body is read with a cap (``max_seed_body_bytes`` for seed and reset, ``max_body_bytes``
for the others: 413 past it) and must be UTF-8 JSON of plain values: no NaN or infinities, no
number outside the signed 64-bit range, nesting at most ``MAX_DEPTH`` deep, no lone surrogate
in a string. Anything else is a 400 in the admin error shape, ``{"error": MESSAGE}``, and
changes nothing.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from emulator import registry
from emulator.admin_messages import message_routes
from emulator.admin_ui import ui_routes
from emulator.clock import ClockRangeError
from emulator.faults import FaultSpecError
from emulator.services import Services
from emulator.store import FixtureData, FixtureError, open_template, parse_fixture
from emulator.version import __version__

MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_FOREIGN_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                 (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


class BodyError(ValueError):
    """A body the admin API refuses; ``path`` says where in the JSON value (may be "")."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _reject_constant(name: str) -> Any:
    raise BodyError(f"{name} is not a JSON number; give a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyError(f"the number {text[:40]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 20:
        raise BodyError(f"the number {text[:40]}... is out of range (signed 64-bit integers only)")
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise BodyError(f"the number {text} is out of range (signed 64-bit integers only)")
    return value


def parse_json_body(body: bytes) -> Any:
    """The JSON value of a body (None when it is empty or blank); raises BodyError for anything
    the admin API does not take."""
    for bom, name in _FOREIGN_BOMS:
        if body.startswith(bom):
            raise BodyError(f"the body is not UTF-8 JSON: it starts with a {name} byte-order "
                            "mark; send it as UTF-8")
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(f"the body is not UTF-8 JSON: byte {exc.start} is not UTF-8") from None
    if not text.strip():
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                           parse_int=_bounded_int)
    except BodyError as exc:
        raise BodyError(f"the body is not JSON the admin API takes: {exc.message}") from None
    except RecursionError:
        raise BodyError(f"the body nests deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise BodyError(f"the body is not JSON: {exc}") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise BodyError(f"the body is not JSON the admin API takes: {exc}") from None
    check_value(value)
    return value


def check_value(value: Any) -> None:
    """Raise BodyError unless ``value`` is plain JSON data the store can keep: at most
    MAX_DEPTH deep, finite numbers in the signed 64-bit range, text without lone surrogates.
    Iterative, so any depth is safe to check."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, path = stack.pop()
        if isinstance(item, str):
            _check_text(item, path)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise BodyError("the number is out of range (signed 64-bit integers only)", path)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise BodyError(f"{item} is not a finite number", path)
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise BodyError(f"the body nests deeper than {MAX_DEPTH} levels", path)
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str):
                        raise BodyError("object keys must be text", path)
                    _check_text(key, path)
                    stack.append((child, depth + 1, f"{path}.{key}" if path else key))
            else:
                stack.extend((child, depth + 1, f"{path}[{i}]") for i, child in enumerate(item))
        else:
            raise BodyError(f"{type(item).__name__} is not a JSON value", path)


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BodyError(f"text with a lone surrogate (U+{ord(text[exc.start]):04X}) is not "
                        "valid Unicode", path) from None


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, read while counting; a 413 answer once it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is over the {limit}-byte limit of this route")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body is over the {limit}-byte limit of this route")
        chunks.append(chunk)
    return b"".join(chunks)


async def _json_body(request: Request, limit: int) -> Any:
    """The JSON body, or None when it is empty; a 400 answer when it is not JSON we take."""
    body = await read_capped(request, limit)
    try:
        return parse_json_body(body)
    except BodyError as exc:
        raise HTTPException(400, str(exc)) from None


def build_admin(services: Services) -> Router:
    """The admin routes, bound to the shared services."""
    vendor_names = sorted(registry.names())
    seed_limit = services.settings.max_seed_body_bytes
    small_limit = services.settings.max_body_bytes

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        if services.ready:
            return JSONResponse({"ready": True})
        return JSONResponse({"ready": False}, status_code=503)

    async def version(request: Request) -> Response:
        return JSONResponse({"name": "im-emulator", "version": __version__,
                             "vendors": vendor_names})

    async def reset(request: Request) -> Response:
        body = await _json_body(request, seed_limit)
        if body is None:
            await services.reset_store()
        elif isinstance(body, dict) and set(body) == {"fixture"}:
            try:
                data = parse_fixture(body["fixture"], source="reset",
                                     now_ms=services.clock.now_ms())
            except FixtureError as exc:
                return JSONResponse(exc.as_json(), status_code=400)
            await services.store.restore(open_template(data))
        else:
            return _error(400, 'the body must be empty or {"fixture": FIXTURE_OBJECT}')
        services.reset_runtime()
        services.clock.reset()
        return JSONResponse({"reset": True})

    async def seed(request: Request) -> Response:
        raw = await _json_body(request, seed_limit)
        if raw is None:
            return _error(400, "the body must be a fixture object")
        try:
            data = await parse_seed(services, raw)
        except FixtureError as exc:
            return JSONResponse(exc.as_json(), status_code=400)
        await services.store.seed(data)
        return JSONResponse({"users": len(data.users), "groups": len(data.groups),
                             "memberships": len(data.memberships)})

    async def state(request: Request) -> Response:
        snapshot = await services.store.snapshot()
        return JSONResponse(snapshot.as_json())

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = await _json_body(request, small_limit)
            problem = _apply_clock(services, body)
            if problem:
                return _error(400, problem)
        return JSONResponse({"now": services.clock.now(), "frozen": services.clock.frozen})

    async def journal(request: Request) -> Response:
        if request.method == "DELETE":
            services.journal.clear()
            return JSONResponse({"cleared": True})
        filters = {key: request.query_params[key]
                   for key in ("vendor", "endpoint", "app", "user", "status", "code")
                   if key in request.query_params}
        entries = [entry.as_json() for entry in services.journal.entries()
                   if all(str(entry.as_json()[key]) == value for key, value in filters.items())]
        return JSONResponse({"size": services.journal.size, "entries": entries})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            body = await _json_body(request, small_limit)
            try:
                rule = services.faults.add(body)
            except FaultSpecError as exc:
                return _error(400, str(exc))
            return JSONResponse(rule.as_json(), status_code=201)
        if request.method == "DELETE":
            services.faults.clear()
            return JSONResponse({"cleared": True})
        return JSONResponse({"faults": [rule.as_json() for rule in services.faults.rules()]})

    async def fault(request: Request) -> Response:
        if not services.faults.remove(request.path_params["rule_id"]):
            return _error(404, "no such fault rule")
        return JSONResponse({"removed": request.path_params["rule_id"]})

    return Router(routes=[
        Route("/_emulator/health", health, methods=["GET"]),
        Route("/_emulator/ready", ready, methods=["GET"]),
        Route("/_emulator/version", version, methods=["GET"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/seed", seed, methods=["POST"]),
        Route("/_emulator/state", state, methods=["GET"]),
        Route("/_emulator/clock", clock, methods=["GET", "POST"]),
        Route("/_emulator/journal", journal, methods=["GET", "DELETE"]),
        Route("/_emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/faults/{rule_id:int}", fault, methods=["DELETE"]),
        *message_routes(services),
        *ui_routes(services),
    ])


async def parse_seed(services: Services, raw: Any) -> FixtureData:
    """Validate a seed body; users it names may be defined in it or already in the store."""
    named: set[str] = set()

    def collect(user_ids: Iterable[str]) -> set[str]:
        named.update(user_ids)
        return set(named)

    now_ms = services.clock.now_ms()
    data = parse_fixture(raw, source="seed", now_ms=now_ms, known_users=collect)
    if named:
        existing = await services.store.existing_users(named)
        if existing != named:
            parse_fixture(raw, source="seed", now_ms=now_ms, known_users=lambda ids: existing)
    return data


def _apply_clock(services: Services, body: Any) -> str:
    """Apply a clock command; an error message, or "" when it was applied."""
    if not isinstance(body, dict) or len(body) != 1:
        return ('the body must be one of {"freeze": true}, {"freeze": false}, '
                '{"advance": SECONDS}, {"set": UNIX_SECONDS}')
    (command, value), = body.items()
    if command == "freeze":
        if not isinstance(value, bool):
            return "freeze takes true or false"
        services.clock.freeze() if value else services.clock.unfreeze()
        return ""
    if command in ("advance", "set"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{command} takes a number of seconds"
        try:
            if command == "advance":
                services.clock.advance(value)
            else:
                services.clock.set(value)
        except ClockRangeError as exc:
            return str(exc)
        return ""
    return f"unknown clock command '{command}'"
