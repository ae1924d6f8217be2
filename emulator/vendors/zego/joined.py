"""Action=QueryGroupsInfoOfUser: the groups a user has joined, a page at a time.

Order: join time, then group id (the store's "join" order). Dismissed groups are left out;
groups of every type are listed. ``HasJoinGroupNum`` is the full total whatever the page;
``NextRsp`` is an opaque cursor, ``"0"`` on the last page.
"""

from __future__ import annotations

from starlette.responses import Response

from emulator.store.models import JoinedQuery
from emulator.vendors.zego import cursor, errors
from emulator.vendors.zego.context import Context
from emulator.vendors.zego.params import bad, integer, string

FROM_USER_ID_MAX_CHARS = 32
LIMIT_MAX = 100
GROUP_FIELDS = frozenset({"name", "face_url"})


def _next_value(value: object) -> str:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return ""
    if not isinstance(value, str):
        raise bad("Next must be a string")
    return value


async def query_groups_info_of_user(ctx: Context) -> Response:
    """One page of a user's groups."""
    params = ctx.params
    user_id = string(params, "FromUserId", required=True)
    if len(user_id) > FROM_USER_ID_MAX_CHARS:
        raise bad(f"FromUserId exceeds {FROM_USER_ID_MAX_CHARS} characters")
    limit = integer(params, "Limit", low=1, high=LIMIT_MAX, required=True)
    secret = ctx.services.settings.zego_server_secret
    app_id = ctx.caller.app_id
    try:
        offset = cursor.decode(secret, app_id, user_id, _next_value(params.get("Next")))
    except cursor.BadCursor:
        raise bad("Next is not a NextRsp of this query") from None
    ctx.call.user = user_id
    store = ctx.services.store
    page = await store.joined(JoinedQuery(user_id, order="join", offset=offset, limit=limit,
                                          group_fields=GROUP_FIELDS, member_fields=frozenset()))
    # Only registered users are members of groups (every vendor's writes register or require
    # their users, and fixtures must define them), so the user lookup is needed only when the
    # user has no visible group.
    if page.total == 0 and await store.get_user(user_id) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED)
    end = offset + len(page.rows)
    next_rsp = (cursor.encode(secret, app_id, user_id, end) if page.rows and end < page.total
                else cursor.END)
    ctx.call.code = errors.SUCCESS
    return errors.envelope(
        NextRsp=next_rsp,
        HasJoinGroupNum=page.total,
        GroupInfoList=[{"GroupId": row.group.id, "GroupName": row.group.name,
                        "GroupAvatar": row.group.face_url} for row in page.rows])
