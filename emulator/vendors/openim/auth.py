"""The gateway's header checks, in gin's order: ``operationID`` (every POST), then ``token``
(every POST except the paths starting with ``/auth/get_admin_token`` or ``/auth/parse_token``),
checked through the token service. Header names match in any case.
"""

from __future__ import annotations

from starlette.datastructures import Headers

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.tokens import Claims, TokenService

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
