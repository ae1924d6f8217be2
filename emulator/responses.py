"""Fast JSON responses for the vendor route sets (orjson), byte-exact and key-order preserving."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JSONBytes(Response):
    """A JSON response rendered with orjson; key order is kept as given."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(content: Any, status_code: int = 200, *,
                  headers: dict[str, str] | None = None, media_type: str | None = None) -> Response:
    """A JSON answer with an optional status, headers and content type."""
    return JSONBytes(content, status_code=status_code, headers=headers, media_type=media_type)
