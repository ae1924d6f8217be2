"""Hosted groups' listings: a group's members (``/entrust/group/member/query.json``, paged;
``member/specific/query.json``, the ones asked), every group of the app
(``/entrust/group/query.json``, paged) and a user's groups
(``/entrust/joined/group/query.json``, paged).

Pages follow ``pageToken`` (``hosted_paging``); ``order`` 1, the default, lists the newest
first (by join time, or by creation for the app's groups), 0 the oldest first.
"""

from __future__ import annotations

from typing import Any

from emulator.store.models import Group, JoinedQuery, Membership
from emulator.vendors.rongcloud.hosted import (MAX_ID_CHARS, bounded_number, group_id_of,
                                               id_list, live)
from emulator.vendors.rongcloud.hosted_mapping import (CODE_ROLES, ROLE_CODES, ext_text,
                                                       member_json, permissions_text,
                                                       profile_text)
from emulator.vendors.rongcloud.hosted_paging import page_after
from emulator.vendors.rongcloud.protocol import Ctx

MAX_QUERY_USERS = 100
MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX = 50, 100
JOINED_PAGE_DEFAULT, JOINED_PAGE_MAX = 50, 100
GROUP_PAGE_DEFAULT, GROUP_PAGE_MAX = 50, 1000
_SCAN = 1000


def _member_key(member: Membership) -> tuple[int, str]:
    return (member.join_time_ms, member.user_id)


async def query_members(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/query.json``: ``groupId``; ``type`` (0 all, 1 members, 2
    managers, 3 owner), ``pageToken``, ``size`` (default 50, at most 100), ``order`` (by join
    time: 0 oldest first, 1 newest first, the default). ``{code,totalCount,pageToken,members}``."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    kind = bounded_number(form, "type", 0, 3)
    size = bounded_number(form, "size", MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX) \
        or MEMBER_PAGE_DEFAULT
    descending = bounded_number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    await live(services, group_id)
    members = await services.store.members(group_id)
    if kind:
        members = [member for member in members if member.role == CODE_ROLES[kind]]
    page, following = page_after(members, _member_key, token, size, descending)
    return {"code": 200, "totalCount": len(members), "pageToken": following,
            "members": [member_json(member) for member in page]}


async def query_specific_members(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/specific/query.json``: ``groupId``, ``userIds`` (at most 100);
    the members among them, in the order asked."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    users = id_list(form, "userIds", max_count=MAX_QUERY_USERS)
    await live(services, group_id)
    rows = []
    for user in users:
        member = await services.store.member(group_id, user)
        if member is not None:
            rows.append(member_json(member))
    return {"code": 200, "members": rows}


async def query_groups(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/query.json``: every group of the app, ``pageToken``, ``size`` (default
    50, at most 1000), ``order`` (by creation: 0 oldest first, 1 newest first, the default).
    ``{code,pageToken,groups[{groupId,owner,creator,name,portraitUrl,time}]}``."""
    form, services = ctx.body, ctx.services
    size = bounded_number(form, "size", GROUP_PAGE_DEFAULT, GROUP_PAGE_MAX) \
        or GROUP_PAGE_DEFAULT
    descending = bounded_number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    groups: list[Group] = []
    after = 0
    while True:
        chunk = await services.store.group_page(after=after, limit=_SCAN,
                                                include_dismissed=False)
        groups += chunk.groups
        if not chunk.next:
            break
        after = chunk.next
    page, following = page_after(groups, lambda group: (group.create_time_ms, group.id), token,
                                 size, descending)
    return {"code": 200, "pageToken": following, "groups": [
        {"groupId": group.id, "owner": group.owner, "creator": group.creator or group.owner,
         "name": group.name, "portraitUrl": group.face_url, "time": group.create_time_ms}
        for group in page]}


async def query_joined(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/joined/group/query.json``: ``userId``; ``role`` (0 all, 1 member, 2 manager,
    3 owner), ``pageToken``, ``size`` (default 50, at most 100), ``order`` (by join time: 0
    oldest first, 1 newest first, the default). ``{code,totalCount,pageToken,groups}``."""
    form, services = ctx.body, ctx.services
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    role = bounded_number(form, "role", 0, 3)
    size = bounded_number(form, "size", JOINED_PAGE_DEFAULT, JOINED_PAGE_MAX) \
        or JOINED_PAGE_DEFAULT
    descending = bounded_number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    rows = (await services.store.joined(JoinedQuery(user_id))).rows
    if role:
        rows = [row for row in rows if row.membership.role == CODE_ROLES[role]]
    page, following = page_after(rows, lambda row: (row.membership.join_time_ms, row.group.id),
                                 token, size, descending)
    remarks = await services.store.remark_names(user_id, [row.group.id for row in page])
    groups = []
    for row in page:
        group = row.group
        groups.append({"groupId": group.id, "name": group.name,
                       "remarkName": remarks.get(group.id, ""),
                       "groupProfile": profile_text(group),
                       "groupExtProfile": await ext_text(services, group.id),
                       "permissions": permissions_text(group),
                       "createTime": group.create_time_ms,
                       "joinTime": row.membership.join_time_ms,
                       "role": ROLE_CODES.get(row.membership.role, 1),
                       "count": group.member_count, "owner": group.owner})
    return {"code": 200, "totalCount": len(rows), "pageToken": following, "groups": groups}
