"""Hosted groups' lifecycle: ``/entrust/group/create.json``, ``import.json`` (a basic group
becomes hosted), ``dismiss.json`` and ``transfer/owner.json``.

A new hosted group has the docs' default permissions (``HOSTED_DEFAULTS``) with the
``permissions``, ``groupProfile`` and ``groupExtProfile`` sent; its owner joins as owner. A
dismissed group's id may be used again.
"""

from __future__ import annotations

from typing import Any

from emulator.store.errors import GroupExists, NotMember
from emulator.store.models import Group, Membership
from emulator.vendors.rongcloud.errors import BAD_PARAM, rc_error
from emulator.vendors.rongcloud.hosted import (MAX_ID_CHARS, add_members, group_id_of, id_list,
                                               live, not_member)
from emulator.vendors.rongcloud.hosted_mapping import (HOSTED_DEFAULTS, ext_profile,
                                                       profile_changes)
from emulator.vendors.rongcloud.mapping import GROUP_TYPE
from emulator.vendors.rongcloud.members import MAX_GROUP_MEMBERS, MAX_GROUP_NAME_CHARS, OK
from emulator.vendors.rongcloud.protocol import Ctx
from emulator.vendors.rongcloud.users import register_missing

MAX_CREATE_USERS = 30


async def _new_group(ctx: Ctx, *, with_users: bool) -> dict[str, Any]:
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    name = form.text("name", max_chars=MAX_GROUP_NAME_CHARS)
    owner = form.text("owner", max_chars=MAX_ID_CHARS)
    users = id_list(form, "userIds", max_count=MAX_CREATE_USERS, required=False) \
        if with_users else []
    changes = profile_changes(form)
    ext = ext_profile(form)
    now_ms = services.clock.now_ms()
    existing = await services.store.get_group(group_id)
    if existing is not None and existing.status == "dismissed":
        await services.store.delete_group(group_id)
        existing = None
    if existing is not None:
        if with_users:
            raise rc_error(BAD_PARAM, f"Paramer 'groupId' is invalid: group {group_id} "
                                      f"already exists")
        # import: a basic group becomes hosted, owned by ``owner``.
        if await services.store.member(group_id, owner) is None:
            await add_members(services, group_id, [owner])
        if existing.owner != owner:
            await services.store.transfer_owner(group_id, owner, now_ms=now_ms)
        await services.store.update_group_info(group_id, now_ms=now_ms, name=name, **changes)
    else:
        members = [owner] + [user for user in users if user != owner]
        await register_missing(services, members)
        try:
            await services.store.create_group(
                Group(group_id, name, GROUP_TYPE, owner, creator=owner, create_time_ms=now_ms,
                      max_members=MAX_GROUP_MEMBERS, **{**HOSTED_DEFAULTS, **changes}),
                [Membership(group_id, user, "owner" if user == owner else "member", now_ms)
                 for user in members])
        except GroupExists:
            raise rc_error(BAD_PARAM, f"Paramer 'groupId' is invalid: group {group_id} "
                                      f"already exists") from None
    if ext:
        await services.store.set_attributes(group_id, ext, now_ms=now_ms)
    return OK


async def create(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/create.json``: ``groupId``, ``name``, ``owner`` (required), ``userIds``
    (at most 30), ``groupProfile``, ``groupExtProfile``, ``permissions``; the owner joins as
    owner. An id in use gets 1002."""
    return await _new_group(ctx, with_users=True)


async def import_group(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/import.json``: makes a basic group hosted (``owner`` becomes its owner,
    joining if needed; the profile fields are applied), or creates it with the owner alone."""
    return await _new_group(ctx, with_users=False)


async def dismiss(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/dismiss.json``: ``groupId``; the group is dismissed (its member rows
    kept, as ``/group/dismiss.json`` does)."""
    services = ctx.services
    group_id = group_id_of(ctx.body)
    await live(services, group_id)
    await services.store.dismiss_group(group_id, now_ms=services.clock.now_ms())
    return OK


async def transfer_owner(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/transfer/owner.json``: ``groupId``, ``newOwner`` (a member), ``isQuit``
    (1: the old owner leaves; then ``isDelWhite`` default 1 takes it off the whitelist, and
    ``isDelFollowed`` default 1 drops the follows of it)."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    new_owner = form.text("newOwner", max_chars=MAX_ID_CHARS)
    leaves = form.flag("isQuit")
    for name in ("isDelBan", "isDelWhite"):
        form.flag(name)
    keep_followed = not form.flag("isDelFollowed", default=True)
    group = await live(services, group_id)
    if new_owner == group.owner:
        return OK
    try:
        await services.store.transfer_owner(group_id, new_owner, now_ms=services.clock.now_ms(),
                                            old_owner_leaves=leaves, keep_followed=keep_followed)
    except NotMember:
        raise not_member(new_owner) from None
    if leaves and form.flag("isDelWhite", default=True):
        await services.store.set_whitelist(group_id, remove=[group.owner])
    return OK
