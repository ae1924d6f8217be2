"""Who may call: the gateway's header checks, then ``authverify``'s access rules.

The header checks run in gin's order on every POST: ``operationID`` (missing or empty → 1001),
then ``token`` (every path except those starting with ``/auth/get_admin_token`` or
``/auth/parse_token``; missing or empty → 1001, else the token service's own error). Header
names match in any case. Handlers then apply ``check_admin`` (admins only) or ``check_access``
(the user themself or an admin), both 1002.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import Headers

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.tokens import Claims, TokenService

if TYPE_CHECKING:
    from emulator.vendors.openim.protocol import Ctx

TOKEN_FREE_PREFIXES = ("/auth/get_admin_token", "/auth/parse_token")


def operation_id(headers: Headers) -> str:
    """The operationID header; 1001 when missing or empty."""
    value = headers.get("operationid", "")
    if not value:
        raise e.oim_error(e.ARGS, "header must have operationID")
    return value


def needs_token(path: str) -> bool:
    """False for the two paths the token middleware skips (a prefix match, as upstream)."""
    return not path.startswith(TOKEN_FREE_PREFIXES)


def caller(headers: Headers, tokens: TokenService) -> Claims:
    """The claims of the request's token; 1001 when missing, else the token's own error."""
    value = headers.get("token", "")
    if not value:
        raise e.oim_error(e.ARGS, "header must have token")
    return tokens.verify(value)


def caller_id(ctx: Ctx) -> str:
    """The calling user's id ("" without a token)."""
    return ctx.principal.user_id if ctx.principal else ""


def is_admin(ctx: Ctx) -> bool:
    """True when the request's token belongs to a configured admin."""
    return ctx.principal is not None and ctx.protocol.tokens.is_admin(ctx.principal.user_id)


def check_access(ctx: Ctx, owner_user_id: str) -> None:
    """``authverify.CheckAccess``: the user themself or an admin, else 1002."""
    if caller_id(ctx) != owner_user_id and not is_admin(ctx):
        raise e.oim_error(e.NO_PERMISSION, f"ownerUserID, {owner_user_id}=MISSING")


def check_admin(ctx: Ctx) -> None:
    """``authverify.CheckAdmin``: admins only, else 1002."""
    if not is_admin(ctx):
        raise e.oim_error(e.NO_PERMISSION, f"user {caller_id(ctx)} is not admin userID")
