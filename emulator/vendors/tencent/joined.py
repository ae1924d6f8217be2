"""``group_open_http_svc/get_joined_group_list``: the groups a user has joined.

Rows come in join order (the user's join time, then group id). ``TotalCount`` counts every
matching group whatever ``Limit``/``Offset``. AVChatRoom groups are listed only with
``WithHugeGroups: 1`` (even when ``GroupType`` asks for them), groups that are not activated only
with ``WithNoActiveGroups: 1``; dismissed groups never. Without ``ResponseFilter`` each row is
``{"GroupId"}`` alone; with it, the requested base fields follow in the documented order, then a
``SelfInfo`` object when ``SelfInfoFilter`` names any known field. Unknown filter names are
ignored. An unknown ``Member_Account`` has joined nothing: ``TotalCount`` 0.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from emulator.store.models import JoinedGroup, JoinedQuery
from emulator.vendors.tencent import errors, mapping
from emulator.vendors.tencent.body import Fields
from emulator.vendors.tencent.context import Context

MAX_LIMIT = 5000
MAX_RESPONSE_BYTES = 1024 * 1024
ALL_TYPES: frozenset[str] = frozenset(mapping.TYPE_TO_TENCENT)


def group_types(body: Fields, with_huge: bool) -> frozenset[str]:
    """The canonical group types the request selects."""
    name = body.string("GroupType")
    if not name:
        types = ALL_TYPES
    elif name in mapping.TYPE_FROM_TENCENT:
        types = frozenset({mapping.TYPE_FROM_TENCENT[name]})
    elif name in mapping.FILTER_ONLY_TYPES:
        types = frozenset()
    else:
        raise body.bad("GroupType", f"'{name[:64]}' is not one of "
                                    f"{', '.join([*mapping.TYPE_FROM_TENCENT, 'BChatRoom'])}")
    return types if with_huge else types - {"avchatroom"}


def _row(row: JoinedGroup, base: list[str], self_fields: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"GroupId": row.group.id}
    for name in base:
        item[name] = mapping.BASE_FIELDS[name](row.group)
    if self_fields:
        item["SelfInfo"] = {name: mapping.SELF_FIELDS[name](row.membership)
                            for name in self_fields}
    return item


async def get_joined_group_list(ctx: Context) -> Response:
    """List a user's groups with the filters, flags and paging of the request."""
    body = ctx.body
    account = body.account("Member_Account")
    ctx.call.user = account
    limit = body.integer("Limit", minimum=0, maximum=MAX_LIMIT)
    offset = body.integer("Offset", default=0, minimum=0) or 0
    types = group_types(body, body.flag("WithHugeGroups"))
    with_inactive = body.flag("WithNoActiveGroups")
    response_filter = body.child("ResponseFilter")
    requested_base = set(response_filter.strings("GroupBaseInfoFilter"))
    requested_self = set(response_filter.strings("SelfInfoFilter"))
    base = [name for name in mapping.BASE_FIELDS if name in requested_base]
    self_fields = [name for name in mapping.SELF_FIELDS if name in requested_self]
    page = await ctx.services.store.joined(JoinedQuery(
        account, include_inactive=with_inactive, types=types, order="join", offset=offset,
        limit=limit or None, group_fields=mapping.group_columns(base),
        member_fields=mapping.member_columns(self_fields)))
    content = orjson.dumps({
        "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "TotalCount": page.total,
        "GroupIdList": [_row(row, base, self_fields) for row in page.rows]})
    if len(content) > MAX_RESPONSE_BYTES:
        raise errors.fail(errors.RESPONSE_TOO_LARGE, explain=(
            f"the answer would be {len(content)} bytes for {len(page.rows)} groups; "
            "use Limit and Offset"))
    return Response(content, media_type="application/json")
