"""The web inspector at ``/_emulator/ui`` and the admin endpoints only it needs.

- ``GET /_emulator/ui`` (and ``/_emulator/ui/``) serves ``emulator/ui/index.html``;
  ``GET /_emulator/ui/{name}`` the page's other static files (``app.js``, ``style.css``). They
  are plain files shipped in the package: no CDN, no build step. They hold no data, so the
  guard lets a browser load them without the ``--admin-token`` bearer (``is_ui_shell``); every
  call the page then makes goes to the admin API with the token, like any other client.
  ``GET /_emulator/ui/config.json`` ``{"token_required": BOOL}`` (also without the token) tells
  the page whether to ask for one.
- ``GET /_emulator/overview``: what the inspector's first view shows, in one request: version,
  vendors, readiness, counts of users, groups, memberships and messages, the clock, whether
  rate limits are enforced, the journal's size and fill, and the number of fault rules.
- ``GET /_emulator/rate-limits`` ``{"enabled": BOOL}``; ``POST`` ``{"enabled": BOOL}`` turns
  every vendor rate limit on or off (until changed again or the emulator restarts; a reset
  keeps the switch and clears the windows).
"""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.services import Services
from emulator.version import __version__

UI_PREFIX = "/_emulator/ui"
UI_FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
# The page runs only its own script and style, talks only to its own origin, and may not be
# framed by another site.
UI_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; connect-src 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


# Tells the page, before it makes any admin call, whether it must ask for a token (so a page
# opened without one shows the token form instead of a failed request).
UI_CONFIG = "config.json"


def is_ui_shell(method: str, path: str) -> bool:
    """True for a read of the inspector's static files (and its ``config.json``), which the
    guard serves without the admin token; its Host and Origin checks still apply."""
    if method not in ("GET", "HEAD"):
        return False
    if path in (UI_PREFIX, UI_PREFIX + "/"):
        return True
    name = path[len(UI_PREFIX) + 1:] if path.startswith(UI_PREFIX + "/") else None
    return name in UI_FILES or name == UI_CONFIG


def _asset(name: str) -> bytes:
    return resources.files("emulator").joinpath("ui", name).read_bytes()


def ui_routes(services: Services) -> list[Route]:
    """The inspector's routes, bound to the shared services."""

    async def page(request: Request) -> Response:
        name = request.path_params.get("name", "index.html") or "index.html"
        if name == UI_CONFIG:
            return JSONResponse({"token_required": bool(services.settings.admin_token)},
                                headers=UI_HEADERS)
        if name not in UI_FILES:
            return JSONResponse({"error": "no such inspector file"}, status_code=404)
        return Response(_asset(name), media_type=UI_FILES[name], headers=UI_HEADERS)

    async def overview(request: Request) -> Response:
        store = services.store
        snapshot = await store.snapshot()
        async with store._reading() as raw:  # a count, without reading the whole log
            messages = raw.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        return JSONResponse({
            "name": "im-emulator",
            "version": __version__,
            "vendors": sorted(services.faults.vendors),
            "ready": services.ready,
            "counts": {"users": len(snapshot.users), "groups": len(snapshot.groups),
                       "memberships": len(snapshot.memberships), "messages": messages},
            "clock": {"now": services.clock.now(), "frozen": services.clock.frozen},
            "rate_limits": services.limiter.enabled,
            "journal": {"size": services.journal.size,
                        "entries": len(tuple(services.journal.entries()))},
            "faults": len(services.faults.rules()),
        })

    async def rate_limits(request: Request) -> Response:
        if request.method == "POST":
            from emulator.admin import _json_body  # the admin API's body checks

            body = await _json_body(request, services.settings.max_body_bytes)
            if not (isinstance(body, dict) and set(body) == {"enabled"}
                    and isinstance(body["enabled"], bool)):
                return JSONResponse({"error": 'the body must be {"enabled": true} or '
                                              '{"enabled": false}'}, status_code=400)
            services.limiter.enabled = body["enabled"]
            services.limiter.clear()
        return JSONResponse({"enabled": services.limiter.enabled})

    return [
        Route(UI_PREFIX, page, methods=["GET"]),
        Route(UI_PREFIX + "/", page, methods=["GET"]),
        Route(UI_PREFIX + "/{name}", page, methods=["GET"]),
        Route("/_emulator/overview", overview, methods=["GET"]),
        Route("/_emulator/rate-limits", rate_limits, methods=["GET", "POST"]),
    ]
