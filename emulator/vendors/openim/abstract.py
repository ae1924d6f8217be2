"""``/group/get_group_abstract_info`` (``GetGroupAbstractInfo``): each group's member count
and the hash of its member list, which a client compares with its own copy
(open-im-server ``internal/rpc/group/group.go``, ``pkg/notification/grouphash/grouphash.go``;
commit in docs/vendors/openim.md).

The hash is ``GroupHash.GetGroupHash``: the members' GroupMemberFullInfo (nickname and face
filled from the user as ``PopulateGroupMember`` does, ``appMangerLevel`` 0) sorted by user id,
marshalled as Go's ``json.Marshal`` writes them; the first 8 bytes of the md5 of that JSON,
big-endian. A group without members hashes ``[]``.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.gin import go_json
from emulator.vendors.openim.members import check_admin_or_in_group, populate
from emulator.vendors.openim.protocol import Ctx

GROUP_ID_NOT_FOUND = 1201


def members_hash(members: list[dict[str, Any]]) -> int:
    """The hash of a member list (GroupMemberFullInfo), as ``GetGroupHash`` computes it."""
    ordered = sorted(members, key=lambda member: member["userID"].encode())
    data = go_json([{**member, "appMangerLevel": 0} for member in ordered])
    return int(struct.unpack(">Q", hashlib.md5(data).digest()[:8])[0])


async def get_group_abstract_info(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupAbstractInfo``: 1001 ``groupIDs empty`` / ``groupIDs duplicate``; each group
    an admin's or the caller's (1002 ``op user not in group``); 1201 for ids not found; then
    ``{groupID, groupMemberNumber, groupMemberListHash}`` of each, in creation order."""
    ids = ctx.body["groupIDs"]
    if not ids:
        raise e.oim_error(e.ARGS, "groupIDs empty")
    if len(set(ids)) != len(ids):
        raise e.oim_error(e.ARGS, "groupIDs duplicate")
    for group_id in ids:
        await check_admin_or_in_group(ctx, group_id)
    store = ctx.services.store
    groups = sorted((await store.get_groups(ids)).groups,
                    key=lambda group: (group.create_time_ms, group.id))
    found = {group.id for group in groups}
    missing = [group_id for group_id in ids if group_id not in found]
    if missing:
        raise e.oim_error(GROUP_ID_NOT_FOUND, "not found group " + ",".join(missing))
    infos = []
    for group in groups:
        members = await populate(ctx, await store.members(group.id))
        infos.append({"groupID": group.id, "groupMemberNumber": len(members),
                      "groupMemberListHash": members_hash(members)})
    return {"groupAbstractInfos": infos or None}
