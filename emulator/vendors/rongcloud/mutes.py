"""Mutes: member mutes (``/group/user/gag/add|rollback|list.json``), mute-all
(``/group/ban/add|rollback|query.json``) and the mute-all whitelist
(``/group/user/ban/whitelist/add|rollback|query.json``).

A member mute is the store's per-member mute (``mute_until_ms``), read against the clock; an
empty ``groupId`` applies to every group the user is in at the time of the call. A mute-all is
the store's mute-all over every role (a basic group has no owner or admins in RongCloud's
model, so it silences everyone not whitelisted). Unknown and dismissed groups are not errors:
writes skip them. Times are written ``YYYY-MM-DD HH:MM:SS`` in the data centre's zone: UTC+8,
the China data centre's Beijing time (``TIME_ZONE_HOURS``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from emulator.services import Services
from emulator.store.errors import GroupDismissed, GroupNotFound
from emulator.store.models import JoinedQuery
from emulator.vendors.rongcloud.errors import param_invalid, param_required
from emulator.vendors.rongcloud.mapping import visible
from emulator.vendors.rongcloud.members import MAX_ID_CHARS, OK
from emulator.vendors.rongcloud.protocol import Ctx

TIME_ZONE_HOURS = 8
MAX_USERS = 20
MAX_GROUPS = 20
MAX_MINUTES = 43200
# A permanent mute (``minute=0``) lasts until 9999-12-31 00:00:00 UTC (written in any zone).
FOREVER_MS = 253_402_214_400_000
BAN_DEFAULT_PAGE_SIZE = 50
BAN_MAX_PAGE_SIZE = 200
ALL_ROLES = ("owner", "admin", "member")
_SCAN_PAGE = 1000


def format_time(ms: int, offset_hours: int) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in the zone ``offset_hours`` east of UTC."""
    zone = timezone(timedelta(hours=offset_hours))
    return datetime.fromtimestamp(ms / 1000, zone).strftime("%Y-%m-%d %H:%M:%S")


async def _live(services: Services, group_ids: list[str]) -> list[str]:
    found = await services.store.get_groups(group_ids)
    return [group.id for group in found.groups if visible(group) is not None]


async def _groups_of(services: Services, user_id: str) -> list[str]:
    page = await services.store.joined(JoinedQuery(user_id, group_fields=frozenset(),
                                                   member_fields=frozenset()))
    return [row.group.id for row in page.rows]


async def _mute(services: Services, users: list[str], group_id: str, until_ms: int) -> None:
    """Mute (or, with 0, unmute) users in one group, or, with no group, in each of theirs."""
    now_ms = services.clock.now_ms()
    targets: dict[str, list[str]] = {}
    if group_id:
        targets[group_id] = users
    else:
        for user_id in users:
            for joined in await _groups_of(services, user_id):
                targets.setdefault(joined, []).append(user_id)
    for target, members in targets.items():
        try:
            await services.store.mute_members(target, members, until_ms, now_ms=now_ms)
        except (GroupNotFound, GroupDismissed):
            pass


async def gag_add(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/gag/add.json``: ``userId`` (1–20), ``groupId`` (empty: all the users'
    groups), ``minute`` (0–43200; 0 = permanent)."""
    form = ctx.body
    users = form.user_ids(max_count=MAX_USERS, max_chars=MAX_ID_CHARS)
    group_id = form.text("groupId", required=False, max_chars=MAX_ID_CHARS)
    minute = form.number("minute")
    if minute is None:
        raise param_required("minute")
    if minute > MAX_MINUTES:
        raise param_invalid("minute", f"must be at most {MAX_MINUTES}")
    until = FOREVER_MS if minute == 0 else ctx.services.clock.now_ms() + minute * 60_000
    await _mute(ctx.services, users, group_id, until)
    return OK


async def gag_rollback(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/gag/rollback.json``: ``userId`` (1–20), ``groupId`` (empty: every
    group)."""
    form = ctx.body
    users = form.user_ids(max_count=MAX_USERS, max_chars=MAX_ID_CHARS)
    group_id = form.text("groupId", required=False, max_chars=MAX_ID_CHARS)
    await _mute(ctx.services, users, group_id, 0)
    return OK


async def gag_list(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/gag/list.json``: ``{"code":200,"users":[{"userId","startTime","time"}]}``,
    ``time`` the end of the mute, soonest first; ``groupId`` empty lists every group's muted
    members (a user muted in several groups once, with the mute that ends last)."""
    services = ctx.services
    group_id = ctx.body.text("groupId", required=False, max_chars=MAX_ID_CHARS)
    now_ms = services.clock.now_ms()
    offset = TIME_ZONE_HOURS
    if group_id:
        group_ids = await _live(services, [group_id])
    else:
        group_ids = []
        after = 0
        while True:
            page = await services.store.group_page(after=after, limit=_SCAN_PAGE,
                                                   include_dismissed=False)
            group_ids += [group.id for group in page.groups]
            if not page.next:
                break
            after = page.next
    muted: dict[str, tuple[int, int]] = {}
    for gid in group_ids:
        for member in await services.store.muted_members(gid, now_ms=now_ms):
            best = muted.get(member.user_id)
            if best is None or member.mute_until_ms > best[1]:
                muted[member.user_id] = (member.muted_at_ms, member.mute_until_ms)
    rows = sorted(muted.items(), key=lambda item: (item[1][1], item[0]))
    return {"code": 200, "users": [{"userId": user_id, "startTime": format_time(start, offset),
                                    "time": format_time(until, offset)}
                                   for user_id, (start, until) in rows]}


async def _ban(ctx: Ctx, muted: bool) -> dict[str, Any]:
    services = ctx.services
    groups = ctx.body.ids("groupId", max_count=MAX_GROUPS, max_chars=MAX_ID_CHARS)
    now_ms = services.clock.now_ms()
    for group_id in await _live(services, groups):
        try:
            await services.store.mute_all(group_id, muted, now_ms=now_ms, roles=ALL_ROLES)
        except (GroupNotFound, GroupDismissed):
            pass
    return OK


async def ban_add(ctx: Ctx) -> dict[str, Any]:
    """``/group/ban/add.json``: ``groupId`` (1–20): everyone in each group is muted."""
    return await _ban(ctx, True)


async def ban_rollback(ctx: Ctx) -> dict[str, Any]:
    """``/group/ban/rollback.json``: ``groupId`` (1–20): lifts each group's mute-all."""
    return await _ban(ctx, False)


async def ban_query(ctx: Ctx) -> dict[str, Any]:
    """``/group/ban/query.json``: with ``groupId`` (1–20), each group asked as
    ``{"groupId","stat"}`` (1 muted, 0 not; unknown groups 0), in the order asked; without it,
    ``page`` (default 1) of ``size`` (default 50, at most 200) of the muted groups in creation
    order. ``{"code":200,"groupinfo":[...]}``."""
    form, services = ctx.body, ctx.services
    now_ms = services.clock.now_ms()
    groups = form.ids("groupId", max_count=MAX_GROUPS, max_chars=MAX_ID_CHARS, required=False)
    page = form.number("page")
    size = form.number("size")
    if groups and page is None and size is None:
        found = await services.store.get_groups(groups)
        by_id = {group.id: group for group in found.groups if visible(group) is not None}
        return {"code": 200, "groupinfo": [
            {"groupId": gid, "stat": int(gid in by_id and by_id[gid].mute_all_active(now_ms))}
            for gid in groups]}
    if size is not None and size > BAN_MAX_PAGE_SIZE:
        raise param_invalid("size", f"must be at most {BAN_MAX_PAGE_SIZE}")
    limit = size or BAN_DEFAULT_PAGE_SIZE
    skip = ((page or 1) - 1) * limit
    rows: list[dict[str, Any]] = []
    after = 0
    while len(rows) < limit:
        chunk = await services.store.group_page(after=after, limit=_SCAN_PAGE,
                                                include_dismissed=False)
        for group in chunk.groups:
            if group.mute_all_active(now_ms):
                if skip:
                    skip -= 1
                elif len(rows) < limit:
                    rows.append({"groupId": group.id, "stat": 1})
        if not chunk.next:
            break
        after = chunk.next
    return {"code": 200, "groupinfo": rows}


async def _whitelist(ctx: Ctx, adding: bool) -> dict[str, Any]:
    form, store = ctx.body, ctx.services.store
    users = form.user_ids(max_count=MAX_USERS, max_chars=MAX_ID_CHARS)
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    if await _live(ctx.services, [group_id]):
        try:
            await store.set_whitelist(group_id, add=users if adding else (),
                                      remove=() if adding else users)
        except (GroupNotFound, GroupDismissed):
            pass
    return OK


async def whitelist_add(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/ban/whitelist/add.json``: ``userId`` (1–20), ``groupId``: they may speak
    during a mute-all."""
    return await _whitelist(ctx, True)


async def whitelist_rollback(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/ban/whitelist/rollback.json``: ``userId`` (1–20), ``groupId``."""
    return await _whitelist(ctx, False)


async def whitelist_query(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/ban/whitelist/query.json``: ``groupId``; ``{"code":200,"userIds":[...]}``
    by user id (none for an unknown group)."""
    group_id = ctx.body.text("groupId", max_chars=MAX_ID_CHARS)
    if not await _live(ctx.services, [group_id]):
        return {"code": 200, "userIds": []}
    return {"code": 200, "userIds": await ctx.services.store.whitelist(group_id)}
