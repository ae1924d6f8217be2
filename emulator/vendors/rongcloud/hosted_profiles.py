"""Hosted groups' profiles: ``/entrust/group/profile/update.json`` (``groupProfile`` with
``name``, ``permissions``, ``groupExtProfile``) and ``profile/query.json`` (up to 50 groups),
in the fields ``hosted_mapping`` reads and writes.
"""

from __future__ import annotations

from typing import Any

from emulator.vendors.rongcloud.hosted import group_id_of, id_list, live
from emulator.vendors.rongcloud.hosted_mapping import (ext_profile, ext_text, permissions_text,
                                                       profile_changes, profile_text)
from emulator.vendors.rongcloud.mapping import visible
from emulator.vendors.rongcloud.members import OK
from emulator.vendors.rongcloud.protocol import Ctx

MAX_PROFILE_GROUPS = 50


async def update_profile(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/profile/update.json``: ``groupId``, ``groupProfile`` (``name`` too),
    ``permissions``, ``groupExtProfile``; absent keys are unchanged."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    changes = profile_changes(form, with_name=True)
    ext = ext_profile(form)
    await live(services, group_id)
    now_ms = services.clock.now_ms()
    if changes:
        await services.store.update_group_info(group_id, now_ms=now_ms, **changes)
    if ext:
        await services.store.set_attributes(group_id, ext, now_ms=now_ms)
    return OK


async def query_profiles(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/profile/query.json``: ``groupIds`` (at most 50; the docs' example
    repeats ``groupId``, read too); the groups found, in the order asked."""
    form, services = ctx.body, ctx.services
    name = "groupIds" if "groupIds" in form or "groupId" not in form else "groupId"
    group_ids = id_list(form, name, max_count=MAX_PROFILE_GROUPS)
    found = await services.store.get_groups(group_ids)
    profiles = []
    for group in found.groups:
        if visible(group) is None:
            continue
        profiles.append({"groupId": group.id, "groupName": group.name,
                         "groupProfile": profile_text(group),
                         "groupExtProfile": await ext_text(services, group.id),
                         "permissions": permissions_text(group), "owner": group.owner,
                         "createTime": group.create_time_ms, "memberCount": group.member_count})
    return {"code": 200, "profiles": profiles}
