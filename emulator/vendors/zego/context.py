"""What a ZEGO action handler is given: the shared services, the authenticated caller, the
journal record of the call, and the business parameters.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from emulator.call import CallInfo
from emulator.services import Services
from emulator.vendors.zego.auth import Caller


@dataclass(frozen=True, slots=True)
class Context:
    """One authenticated ZEGO request."""

    services: Services
    caller: Caller
    call: CallInfo
    params: dict[str, Any]


Handler = Callable[[Context], Awaitable[Response]]


def error_entry(user_id: str, code: int, message: str) -> dict[str, Any]:
    """One ``ErrorList`` item: a user the action could not handle, with its SubCode."""
    return {"UserId": user_id, "SubCode": code, "SubMessage": message}
