"""What the edge and the journal know about one vendor request, filled in as it is handled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

SCOPE_KEY = "im_emulator.call"


@dataclass(slots=True)
class CallInfo:
    """One request as the journal records it; routes fill ``endpoint``, ``app`` and ``user``."""

    vendor: str
    method: str
    path: str
    endpoint: str = ""
    app: str = ""
    user: str = ""
    code: int | None = None
    reason: str = ""
    explain: str = ""
    delay_ms: int = 0


def call_of(request: Request) -> CallInfo:
    """The CallInfo of the request being handled."""
    info: Any = request.scope[SCOPE_KEY]
    return info
