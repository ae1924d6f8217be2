"""What an OpenIM handler receives (the request context) and how an endpoint is declared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from emulator.call import CallInfo
from emulator.services import Services
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import Message
from emulator.vendors.openim.tokens import Claims, TokenService


@dataclass
class Context:
    """One request being handled: the shared services, the token service, the caller's
    claims (None on the two token-free endpoints), the operationID and the journal record."""

    services: Services
    tokens: TokenService
    caller: Claims | None
    operation_id: str
    call: CallInfo

    @property
    def caller_id(self) -> str:
        """The calling user's id ("" without a token)."""
        return self.caller.user_id if self.caller else ""

    def is_admin(self) -> bool:
        """True when the token belongs to a configured admin."""
        return self.caller is not None and self.tokens.is_admin(self.caller.user_id)

    def check_access(self, owner_user_id: str) -> None:
        """``authverify.CheckAccess``: the user themself or an admin, else 1002."""
        if self.caller_id != owner_user_id and not self.is_admin():
            raise e.oim_error(e.NO_PERMISSION, f"ownerUserID, {owner_user_id}=MISSING")

    def check_admin(self) -> None:
        """``authverify.CheckAdmin``: admins only, else 1002."""
        if not self.is_admin():
            raise e.oim_error(e.NO_PERMISSION, f"user {self.caller_id} is not admin userID")

    async def registered(self, user_ids: list[str]) -> set[str]:
        """Which of these ids are registered users (configured admins always are)."""
        admins = {uid for uid in user_ids if self.tokens.is_admin(uid)}
        others = [uid for uid in user_ids if uid not in admins]
        found = await self.services.store.existing_users(others) if others else set()
        return found | admins


Handler = Callable[[Context, dict[str, Any]], Awaitable["dict[str, Any] | None"]]
Check = Callable[[dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class Endpoint:
    """A POST route: its request message, the message's Check() and the handler."""

    message: Message
    check: Check
    handler: Handler
