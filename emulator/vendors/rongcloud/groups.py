"""Group endpoints: ``/group/create.json``, ``/group/dismiss.json`` and
``/user/group/query.json`` (the groups a user has joined).

``create.json`` is an alias of ``join.json`` (as the official SDKs say): on an existing group it
adds the users. ``dismiss.json`` (any userId may ask) marks the group dismissed; from then on it
is invisible, and ``create``/``join`` on its id start a new group.
"""

from __future__ import annotations

from typing import Any

from emulator.store.groupstore import GroupNotFound
from emulator.store.models import JoinedQuery
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.errors import param_invalid, param_required, too_long
from emulator.vendors.rongcloud.mapping import visible
from emulator.vendors.rongcloud.members import MAX_GROUP_NAME_CHARS, MAX_ID_CHARS, OK, join
from emulator.vendors.rongcloud.messages import log_message, notify, notify_options
from emulator.vendors.rongcloud.protocol import Ctx

UNPAGED_LIMIT = 5000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2**31
GROUP_FIELDS = frozenset({"name"})
NO_MEMBER_FIELDS: frozenset[str] = frozenset()


async def user_groups(ctx: Ctx) -> dict[str, Any]:
    """``/user/group/query.json``: a user's groups in join order, ``{"name","id"}`` each.

    Without ``page`` (or with 0) the first 5000; with it, pages of ``size`` (default 50, 0 means
    the default, at most 1000)."""
    form = ctx.body
    user_id = form.text("userId")
    page = form.number("page")
    size = form.number("size")
    if not page:
        offset, limit = 0, UNPAGED_LIMIT
    else:
        limit = min(size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        offset = (page - 1) * limit
    if offset > MAX_OFFSET:
        return {"code": 200, "groups": []}
    result = await ctx.services.store.joined(JoinedQuery(
        user_id, offset=offset, limit=limit, group_fields=GROUP_FIELDS,
        member_fields=NO_MEMBER_FIELDS))
    return {"code": 200,
            "groups": [{"name": row.group.name, "id": row.group.id} for row in result.rows]}


async def create_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/create.json``: ``userId`` (repeated), ``groupId``, ``groupName`` (required)."""
    form = ctx.body
    users = form.user_ids()
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    name = form.text("groupName", max_chars=MAX_GROUP_NAME_CHARS)
    bound = notify_options(form)
    await join(ctx.services, group_id, users, name)
    return await notify(ctx.services, group_id, bound, OK)


async def dismiss_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/dismiss.json``: ``userId`` (any user) and ``groupId``; marks it dismissed."""
    form, store = ctx.body, ctx.services.store
    form.text("userId", max_chars=MAX_ID_CHARS)
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    bound = notify_options(form)
    if visible(await store.get_group(group_id)) is None:
        return await notify(ctx.services, group_id, bound, OK)
    answer = OK
    if bound is not None:
        uid = await log_message(ctx.services, group_id, bound["fromUserId"],
                                bound["objectName"], bound)
        answer = {**OK, "messageUID": uid, "memberCount": 0}
    try:
        await store.update_group(group_id, status="dismissed")
    except GroupNotFound:
        pass
    return answer


async def refresh_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/refresh.json``: ``groupId`` and ``groupName`` (both required) rename a group;
    an unknown or dismissed group is not an error and is not created."""
    form, services = ctx.body, ctx.services
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    name = form.text("groupName", max_chars=MAX_GROUP_NAME_CHARS)
    bound = notify_options(form)
    if visible(await services.store.get_group(group_id)) is not None:
        try:
            await services.store.update_group_info(group_id, now_ms=services.clock.now_ms(),
                                                   name=name)
        except GroupNotFound:
            pass
    return await notify(services, group_id, bound, OK)


def sync_groups(form: Form) -> dict[str, str]:
    """The ``group[<id>]=<name>`` fields of a sync body, by group id in the order sent."""
    wanted: dict[str, str] = {}
    for key, values in form.fields.items():
        if not key.startswith("group["):
            continue
        if not key.endswith("]") or len(key) == 7:
            raise param_invalid(key, "must be written group[<groupId>]")
        group_id = key[6:-1]
        if len(group_id) > MAX_ID_CHARS:
            raise too_long("groupId", MAX_ID_CHARS)
        name = values[0]
        if len(name) > MAX_GROUP_NAME_CHARS:
            raise too_long("groupName", MAX_GROUP_NAME_CHARS)
        wanted.setdefault(group_id, name)
    return wanted


async def sync_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/sync.json``: ``userId`` and ``group[<id>]=<name>`` fields; afterwards the user
    is in exactly those groups: it leaves the others and joins the listed ones. A listed group
    that does not exist is created with the name sent; an existing one keeps its name (the
    official Python SDK: "如群 Id 已经存在，则不会刷新对应群组名称")."""
    form, services = ctx.body, ctx.services
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    wanted = sync_groups(form)
    if not wanted:
        raise param_required("group")
    store = services.store
    current = await store.joined(JoinedQuery(user_id, group_fields=GROUP_FIELDS,
                                             member_fields=NO_MEMBER_FIELDS))
    for row in current.rows:
        if row.group.id not in wanted:
            await store.remove_members(row.group.id, [user_id])
    for group_id, name in wanted.items():
        exists = visible(await store.get_group(group_id)) is not None
        await join(services, group_id, [user_id], None if exists else name)
    return OK
