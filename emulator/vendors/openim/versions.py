"""The sync versions of the client-SDK sync paths and the notifications' ``groupMemberVersion``:
the store's change counters, read as OpenIM's (versionID, version) pairs.

A group's member version is its ``member_version`` (every membership added, removed or
changed, and every change of the group's info or status) plus one; a user's joined-groups
version is the store's count of their joins and leaves plus one, so a key nothing changed
since the content was loaded is at version 1 (the sync paths treat 0 as "no version"). The
versionID is 24 hex digits (the shape of a Mongo ObjectID), fixed per key and store
generation: a reset starts the counters again under new versionIDs, so a client holding a
version from before syncs in full.
"""

from __future__ import annotations

import hashlib

from emulator.store.models import Group
from emulator.vendors.openim.protocol import Ctx


async def version_id(ctx: Ctx, key: str) -> str:
    """The versionID of a key ("member:<groupID>", "join:<userID>") in this generation."""
    generation = await ctx.services.store.generation()
    return hashlib.md5(f"{generation}:{key}".encode()).hexdigest()[:24]


async def member_version(ctx: Ctx, group: Group) -> tuple[str, int]:
    """A group's (versionID, version) of its members and info."""
    return await version_id(ctx, "member:" + group.id), group.member_version + 1


async def join_version(ctx: Ctx, user_id: str) -> tuple[str, int]:
    """A user's (versionID, version) of their joined groups."""
    counted = await ctx.services.store.joined_version(user_id)
    return await version_id(ctx, "join:" + user_id), counted + 1
