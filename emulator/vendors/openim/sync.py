"""The sync paths openim-sdk-core calls right after login: ``get_full_join_group_ids``,
``get_full_group_member_user_ids``, ``get_incremental_join_groups``,
``get_incremental_group_members`` and ``_batch`` (open-im-server
``internal/rpc/group/sync.go``, ``internal/rpc/incrversion/option.go``).

The real server keeps a version log per user (joined groups: each join and leave) and per
group (members: each member added, removed or changed, and each change of the group's info).
The versions here are the store's change counters for the same changes (``versions``), moved
in the transaction of each change. A client at the current version gets ``full`` false with
nothing to apply; any other valid or invalid version gets ``full`` true, which the real
server also answers when its log no longer covers the client's version, and the client then
syncs in full (the store counts changes but keeps no log of them: docs, differences).
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from emulator.errors import VendorError
from emulator.store.models import JoinedQuery
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import caller_id, check_access, is_admin
from emulator.vendors.openim.gin import go_json
from emulator.vendors.openim.groups import render_group
from emulator.vendors.openim.mapping import dismissed_already, record_not_found
from emulator.vendors.openim.members import check_admin_or_in_group
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.versions import join_version, member_version, version_id

SYNC_LIMIT = 500  # BatchGetIncrementalGroupMember stops after this many changed items


def id_hash(ids: list[str]) -> int:
    """``hashutil.IdHash``: the first 8 bytes of the md5 of the ids' JSON, big-endian; 0 for
    no ids."""
    if not ids:
        return 0
    return int(struct.unpack(">Q", hashlib.md5(go_json(ids)).digest()[:8])[0])


def _is_equal(req: dict[str, Any], current_id: str, version: int) -> bool:
    """``getVersion``'s tagEqual: a valid id (24 hex digits, not all zero), a version above
    0, both the current ones."""
    given = req["versionID"]
    valid = (len(given) == 24 and all(c in "0123456789abcdef" for c in given)
             and given != "0" * 24 and req["version"] > 0)
    return valid and given == current_id and req["version"] == version


async def _joined_ids(ctx: Ctx, user_id: str) -> list[str]:
    """The user's group ids (every membership row, dismissed groups included) in join order."""
    page = await ctx.services.store.joined(JoinedQuery(
        user_id, include_dismissed=True, group_fields=frozenset(), member_fields=frozenset()))
    return [row.group.id for row in page.rows]


async def get_full_join_group_ids(ctx: Ctx) -> dict[str, Any]:
    """``GetFullJoinGroupIDs``: the user's group ids, or null with ``equal`` true when the
    client's ``idHash`` is theirs."""
    user_id = ctx.body["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    ids = await _joined_ids(ctx, user_id)
    vid, version = await join_version(ctx, user_id)
    equal = ctx.body["idHash"] == id_hash(ids)
    return {"version": version, "versionID": vid, "equal": equal,
            "groupIDs": None if equal else ids or None}


async def _version_of(ctx: Ctx, group_id: str, group: Any) -> tuple[str, int]:
    """A group's member version; an unknown group's is its versionID at version 1."""
    if group is None:
        return await version_id(ctx, "member:" + group_id), 1
    return await member_version(ctx, group)


async def get_full_group_member_user_ids(ctx: Ctx) -> dict[str, Any]:
    """``GetFullGroupMemberUserIDs``: a member or an admin (1002 ``opUser in
    ownerUserIDs``); the member ids in role order, or null with ``equal`` true."""
    group_id = ctx.body["groupID"]
    store = ctx.services.store
    group = await store.get_group(group_id)
    ids = [m.user_id for m in await store.members(group_id)] if group is not None else []
    if caller_id(ctx) not in ids and not is_admin(ctx):
        raise e.oim_error(e.NO_PERMISSION, "opUser in ownerUserIDs")
    vid, version = await _version_of(ctx, group_id, group)
    equal = ctx.body["idHash"] == id_hash(ids)
    return {"version": version, "versionID": vid, "equal": equal,
            "userIDs": None if equal else ids or None}


async def get_incremental_join_groups(ctx: Ctx) -> dict[str, Any]:
    """``GetIncrementalJoinGroup``: self or an admin; equal versions answer nothing to
    apply, any other ``full`` true."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    vid, version = await join_version(ctx, user_id)
    return {"version": version, "versionID": vid,
            "full": not _is_equal(req, vid, version), "delete": None, "insert": None,
            "update": None, "sortVersion": 0}


async def _incremental_members(ctx: Ctx, req: dict[str, Any]) -> dict[str, Any]:
    group_id = req["groupID"]
    await check_admin_or_in_group(ctx, group_id)
    group = await ctx.services.store.get_group(group_id)
    if group is None:
        raise record_not_found()
    if group.status == "dismissed":
        raise dismissed_already()
    vid, version = await member_version(ctx, group)
    full = not _is_equal(req, vid, version)
    owner_row = await ctx.services.store.member(group.id, group.owner) if group.owner else None
    owner = owner_row.user_id if owner_row is not None and owner_row.role == "owner" else ""
    return {"version": version, "versionID": vid, "full": full, "delete": None,
            "insert": None, "update": None,
            "group": render_group(ctx, group, owner) if full else None, "sortVersion": 0}


async def get_incremental_group_members(ctx: Ctx) -> dict[str, Any]:
    """``GetIncrementalGroupMember``: an admin or a member (1002), the group (1004), not
    dismissed (1204); a full answer carries the group's info."""
    return await _incremental_members(ctx, ctx.body)


async def get_incremental_group_members_batch(ctx: Ctx) -> dict[str, Any]:
    """``BatchGetIncrementalGroupMember``: each group once, a dismissed one left out, any
    other error the answer."""
    ctx.call.user = ctx.body["userID"]
    answers: dict[str, dict[str, Any]] = {}
    for item in ctx.body["reqList"] or []:
        item = item or {"groupID": "", "versionID": "", "version": 0}
        if item["groupID"] in answers:
            continue
        try:
            answers[item["groupID"]] = await _incremental_members(ctx, item)
        except VendorError as exc:
            if exc.code == e.DISMISSED_ALREADY:  # only this one is skipped, as upstream
                continue
            raise
    return {"respList": dict(sorted(answers.items()))} if answers else {}



