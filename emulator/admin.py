"""The admin API under ``/_emulator/``: health, readiness, reset, seed, state, clock, version,
the request journal and fault rules.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router

from emulator import registry
from emulator.faults import FaultSpecError
from emulator.services import Services
from emulator.store import FixtureData, FixtureError, open_template, parse_fixture
from emulator.version import __version__


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def _json_body(request: Request) -> Any:
    """The JSON body, or None when it is empty; a 400 answer when it is not JSON."""
    body = await request.body()
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"the body is not JSON: {exc}") from None


def build_admin(services: Services) -> Router:
    """The admin routes, bound to the shared services."""
    vendor_names = sorted(registry.names())

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
        body = await _json_body(request)
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
        raw = await _json_body(request)
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
        return JSONResponse({
            "users": [asdict(user) for user in snapshot.users],
            "groups": snapshot.group_rows(),
            "memberships": [asdict(member) for member in snapshot.memberships],
        })

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = await _json_body(request)
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
            body = await _json_body(request)
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
        *__import__("emulator.admin_messages").admin_messages.message_routes(services),
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
        if command == "advance":
            services.clock.advance(float(value))
        else:
            services.clock.set(float(value))
        return ""
    return f"unknown clock command '{command}'"
