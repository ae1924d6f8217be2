"""The baseline: a bare Starlette JSON echo, served by ``bench.servers`` under the same uvicorn
settings as the emulator's CLI. It reads the body and answers it back as JSON.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def echo(request: Request) -> Response:
    """The request's body (or its query) back as a small JSON object."""
    body = await request.body()
    return JSONResponse({"code": 0, "path": request.url.path, "bytes": len(body)})


app = Starlette(routes=[Route("/{path:path}", echo, methods=["GET", "POST"])])
