"""The sync paths openim-sdk-core calls right after login: ``get_full_join_group_ids``,
``get_full_group_member_user_ids``, ``get_incremental_join_groups``,
``get_incremental_group_members`` and ``_batch`` (open-im-server
``internal/rpc/group/sync.go``, ``internal/rpc/incrversion/option.go``).

The real server keeps a version log per user (joined groups) and per group (members). The
store has none, so each key's version is kept here, in memory: a versionID (24 hex digits,
like a Mongo ObjectID, fixed per key) and a version that goes up by one whenever what the
key covers has changed since it was last read (the joined groups' ids and info, or the
members and the group's info). A client at the current version gets ``full`` false with
nothing to apply; any other valid or invalid version gets ``full`` true, which the real
server also answers when its log no longer covers the client's version, and the client then
syncs in full (docs: differences).
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

SYNC_LIMIT = 500  # BatchGetIncrementalGroupMember stops after this many changed items


def id_hash(ids: list[str]) -> int:
    """``hashutil.IdHash``: the first 8 bytes of the md5 of the ids' JSON, big-endian; 0 for
    no ids."""
    if not ids:
        return 0
    return int(struct.unpack(">Q", hashlib.md5(go_json(ids)).digest()[:8])[0])


def _versions(ctx: Ctx) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] | None = getattr(ctx.protocol, "sync_versions", None)
    if found is None:
        found = {}
        ctx.protocol.sync_versions = found  # type: ignore[attr-defined]
    return found


def current_version(ctx: Ctx, key: str, fingerprint: Any) -> tuple[str, int]:
    """The key's (versionID, version), the version bumped when the fingerprint changed."""
    versions = _versions(ctx)
    entry = versions.get(key)
    if entry is None:
        entry = [hashlib.md5(key.encode()).hexdigest()[:24], 1, fingerprint]
        versions[key] = entry
    elif entry[2] != fingerprint:
        entry[1] += 1
        entry[2] = fingerprint
    return entry[0], entry[1]


def _is_equal(req: dict[str, Any], version_id: str, version: int) -> bool:
    """``getVersion``'s tagEqual: a valid id (24 hex digits, not all zero), a version above
    0, both the current ones."""
    given = req["versionID"]
    valid = (len(given) == 24 and all(c in "0123456789abcdef" for c in given)
             and given != "0" * 24 and req["version"] > 0)
    return valid and given == version_id and req["version"] == version


async def _joined_ids(ctx: Ctx, user_id: str) -> tuple[list[str], Any]:
    """The user's group ids (every membership row, dismissed groups included) in join order,
    and what the version covers."""
    page = await ctx.services.store.joined(JoinedQuery(user_id, include_dismissed=True))
    ids = [row.group.id for row in page.rows]
    fingerprint = tuple((row.group.id, row.group.info_seq, row.group.member_count,
                         row.group.status, row.membership.role) for row in page.rows)
    return ids, fingerprint


async def get_full_join_group_ids(ctx: Ctx) -> dict[str, Any]:
    """``GetFullJoinGroupIDs``: the user's group ids, or null with ``equal`` true when the
    client's ``idHash`` is theirs."""
    user_id = ctx.body["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    ids, fingerprint = await _joined_ids(ctx, user_id)
    version_id, version = current_version(ctx, "join:" + user_id, fingerprint)
    equal = ctx.body["idHash"] == id_hash(ids)
    return {"version": version, "versionID": version_id, "equal": equal,
            "groupIDs": None if equal else ids or None}


async def _members(ctx: Ctx, group_id: str) -> tuple[list[Any], Any]:
    store = ctx.services.store
    members = await store.members(group_id) if await store.get_group(group_id) else []
    group = await store.get_group(group_id)
    fingerprint = (group.info_seq if group else 0, group.status if group else "",
                   tuple((m.user_id, m.role, m.nickname, m.face_url, m.ex, m.mute_until_ms)
                         for m in members))
    return members, fingerprint


async def get_full_group_member_user_ids(ctx: Ctx) -> dict[str, Any]:
    """``GetFullGroupMemberUserIDs``: a member or an admin (1002 ``opUser in
    ownerUserIDs``); the member ids in role order, or null with ``equal`` true."""
    group_id = ctx.body["groupID"]
    members, fingerprint = await _members(ctx, group_id)
    ids = [m.user_id for m in members]
    if caller_id(ctx) not in ids and not is_admin(ctx):
        raise e.oim_error(e.NO_PERMISSION, "opUser in ownerUserIDs")
    version_id, version = current_version(ctx, "member:" + group_id, fingerprint)
    equal = ctx.body["idHash"] == id_hash(ids)
    return {"version": version, "versionID": version_id, "equal": equal,
            "userIDs": None if equal else ids or None}


async def get_incremental_join_groups(ctx: Ctx) -> dict[str, Any]:
    """``GetIncrementalJoinGroup``: self or an admin; equal versions answer nothing to
    apply, any other ``full`` true."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    _, fingerprint = await _joined_ids(ctx, user_id)
    version_id, version = current_version(ctx, "join:" + user_id, fingerprint)
    return {"version": version, "versionID": version_id,
            "full": not _is_equal(req, version_id, version), "delete": None, "insert": None,
            "update": None, "sortVersion": 0}


async def _incremental_members(ctx: Ctx, req: dict[str, Any]) -> dict[str, Any]:
    group_id = req["groupID"]
    await check_admin_or_in_group(ctx, group_id)
    group = await ctx.services.store.get_group(group_id)
    if group is None:
        raise record_not_found()
    if group.status == "dismissed":
        raise dismissed_already()
    members, fingerprint = await _members(ctx, group_id)
    version_id, version = current_version(ctx, "member:" + group_id, fingerprint)
    full = not _is_equal(req, version_id, version)
    owner = next((m.user_id for m in members if m.role == "owner"), "")
    return {"version": version, "versionID": version_id, "full": full, "delete": None,
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



