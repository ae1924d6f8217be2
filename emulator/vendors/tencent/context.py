"""What a Tencent command handler gets: the shared services, the journal record of the call,
the authenticated admin identifier and the body's fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import Response

from emulator.call import CallInfo
from emulator.services import Services
from emulator.vendors.tencent.body import Fields


@dataclass(frozen=True, slots=True)
class Context:
    """One authenticated, admitted Tencent request."""

    services: Services
    call: CallInfo
    identifier: str
    body: Fields


Command = Callable[[Context], Awaitable[Response]]
