"""The admin API's view of the group message log: ``GET /_emulator/messages`` (filters
``group``, ``sender``, ``vendor``, ``since_seq``; oldest first) and ``DELETE /_emulator/messages``
(clears the log; each group keeps its next seq).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.services import Services

FILTERS = ("group", "sender", "vendor")


def message_routes(services: Services) -> list[Route]:
    """The ``/_emulator/messages`` routes, bound to the shared services."""

    async def messages(request: Request) -> Response:
        if request.method == "DELETE":
            deleted = await services.store.clear_messages()
            return JSONResponse({"cleared": True, "deleted": deleted})
        params = request.query_params
        since = params.get("since_seq")
        if since is not None and not (since.isascii() and since.lstrip("-").isdigit()):
            return JSONResponse({"error": f"since_seq must be an integer, not {since!r}"},
                                status_code=400)
        log = await services.store.message_log(
            **{key: params[key] for key in FILTERS if key in params},
            since_seq=None if since is None else int(since))
        return JSONResponse({"messages": [message.as_json() for message in log]})

    return [Route("/_emulator/messages", messages, methods=["GET", "DELETE"])]
