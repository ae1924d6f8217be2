"""The sync paths openim-sdk-core calls right after login: ``get_full_join_group_ids``,
``get_full_group_member_user_ids``, ``get_incremental_join_groups``,
``get_incremental_group_members`` and ``_batch`` (open-im-server
``internal/rpc/group/sync.go``, ``internal/rpc/incrversion/option.go``).

The real server keeps a version log per user (joined groups: each join and leave) and per
group (members: each member added, removed or changed, each change of the group's info, and
each role change as the sort marker), one entry per element holding its latest change
(``pkg/common/storage/database/mgo/version_log.go``). The versions here are the store's
change counters for the same changes (``versions``) and its change log (``changes_since``),
written in the transaction of each change. ``Option.Build``: an invalid version, or another
versionID, is ``full`` true with nothing listed; the current version is ``full`` false with
nothing listed; an older one lists the ids changed since as ``insert`` / ``update`` (the
entities, found now) and ``delete`` (the ids); a newer one, or more than ``SYNC_CHANGES``
changes since (or more than the store's log keeps), is ``full`` true with nothing listed.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from emulator.errors import VendorError
from emulator.store.models import Change, JoinedQuery
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import caller_id, check_access, is_admin
from emulator.vendors.openim.gin import go_json
from emulator.vendors.openim.groups import groups_info, render_group
from emulator.vendors.openim.mapping import dismissed_already, record_not_found
from emulator.vendors.openim.members import check_admin_or_in_group, populate
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.versions import join_version, member_version, version_id

SYNC_LIMIT = 500  # BatchGetIncrementalGroupMember stops after this many changed items
SYNC_CHANGES = 200  # incrversion's syncLimit: more changes since a version answer full


def id_hash(ids: list[str]) -> int:
    """``hashutil.IdHash``: the first 8 bytes of the md5 of the ids' JSON, big-endian; 0 for
    no ids."""
    if not ids:
        return 0
    return int(struct.unpack(">Q", hashlib.md5(go_json(ids)).digest()[:8])[0])


def _valid(req: dict[str, Any]) -> bool:
    """``validVersion``: an ObjectID (24 hex digits, not all zero) and a version above 0."""
    given = req["versionID"]
    return (len(given) == 24 and all(c in "0123456789abcdefABCDEF" for c in given)
            and given != "0" * 24 and req["version"] > 0)


async def _changes(ctx: Ctx, req: dict[str, Any], scope: str, key: str, vid: str,
                   version: int) -> list[Change] | None:
    """``Option.getVersion`` then ``Build``'s ``full``: the changes after the client's
    version, [] at the current one, None for a full sync."""
    if not _valid(req) or req["versionID"] != vid or req["version"] > version:
        return None
    if req["version"] == version:
        return []
    changes = await ctx.services.store.changes_since(scope, key, req["version"] - 1)
    return changes if changes is not None and len(changes) <= SYNC_CHANGES else None


def _split(changes: list[Change]) -> dict[str, list[str]]:
    """``DeleteAndChangeIDs``: the changed ids by state, in the log's order."""
    ids: dict[str, list[str]] = {"insert": [], "delete": [], "update": []}
    for change in changes:
        ids[change.state].append(change.element)
    return ids


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
    """``GetIncrementalJoinGroup``: self or an admin; the groups joined (``insert``, their
    GroupInfo) and left (``delete``, their ids) since the client's version."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    vid, version = await join_version(ctx, user_id)
    changes = await _changes(ctx, req, "user_groups", user_id, vid, version)
    ids = _split(changes or [])
    return {"version": version, "versionID": vid, "full": changes is None,
            "delete": ids["delete"] or None, "insert": await groups_info(ctx, ids["insert"]),
            "update": await groups_info(ctx, ids["update"]), "sortVersion": 0}


async def _members_of(ctx: Ctx, group_id: str, user_ids: list[str]) -> list[dict[str, Any]] | None:
    """``getGroupMembersInfo``: the ids that are members now, as GroupMemberFullInfo."""
    store = ctx.services.store
    found = [m for m in [await store.member(group_id, user) for user in user_ids] if m]
    return await populate(ctx, found) or None


async def _incremental_members(ctx: Ctx, req: dict[str, Any]) -> dict[str, Any]:
    group_id = req["groupID"]
    await check_admin_or_in_group(ctx, group_id)
    group = await ctx.services.store.get_group(group_id)
    if group is None:
        raise record_not_found()
    if group.status == "dismissed":
        raise dismissed_already()
    vid, version = await member_version(ctx, group)
    changes = await _changes(ctx, req, "group_members", group_id, vid, version)
    sort_version = 0
    if changes:
        order = await ctx.services.store.changes_since("member_order", group_id,
                                                       req["version"] - 1)
        sort_version = max((c.version + 1 for c in order or []), default=0)
    # The group's info comes with a full answer and with any change (its own or a member's).
    with_group = changes is None or bool(changes)
    ids = _split([c for c in changes or [] if c.element != ""])
    owner_row = await ctx.services.store.member(group.id, group.owner) if group.owner else None
    owner = owner_row.user_id if owner_row is not None and owner_row.role == "owner" else ""
    return {"version": version, "versionID": vid, "full": changes is None,
            "delete": ids["delete"] or None,
            "insert": await _members_of(ctx, group_id, ids["insert"]),
            "update": await _members_of(ctx, group_id, ids["update"]),
            "group": render_group(ctx, group, owner) if with_group else None,
            "sortVersion": sort_version}


async def get_incremental_group_members(ctx: Ctx) -> dict[str, Any]:
    """``GetIncrementalGroupMember``: an admin or a member (1002), the group (1004), not
    dismissed (1204); the members added, changed and removed since the client's version; the
    group's info with a full answer or any change; ``sortVersion`` the version of the last
    role change among them."""
    return await _incremental_members(ctx, ctx.body)


async def get_incremental_group_members_batch(ctx: Ctx) -> dict[str, Any]:
    """``BatchGetIncrementalGroupMember``: each group once, a dismissed one left out, any
    other error the answer; it stops once ``SYNC_LIMIT`` changed members are listed."""
    ctx.call.user = ctx.body["userID"]
    answers: dict[str, dict[str, Any]] = {}
    listed = 0
    for item in ctx.body["reqList"] or []:
        item = item or {"groupID": "", "versionID": "", "version": 0}
        if item["groupID"] in answers:
            continue
        try:
            answer = await _incremental_members(ctx, item)
        except VendorError as exc:
            if exc.code == e.DISMISSED_ALREADY:  # only this one is skipped, as upstream
                continue
            raise
        answers[item["groupID"]] = answer
        listed += sum(len(answer[name] or []) for name in ("insert", "update", "delete"))
        if listed >= SYNC_LIMIT:
            break
    return {"respList": dict(sorted(answers.items()))} if answers else {}
