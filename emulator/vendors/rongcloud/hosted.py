"""Hosted groups (RongCloud's "information hosting", ``/entrust/group/*``): what every
hosted-group call shares: the limits on ids, reading id lists and bounded numbers, finding the
live group, adding members, and the errors for an unknown group, a non-member and the owner
leaving.

Paths as RongCloud's API list and its official Go and Java server SDKs name them
(``/entrust/group/member/kick.json``, ``/entrust/group/transfer/owner.json``,
``/entrust/group/manager/add.json``, ``/entrust/joined/group/query.json`` ...). The endpoints
are in ``hosted_lifecycle`` (create, import, dismiss, transfer), ``hosted_members`` (member and
manager writes), ``hosted_profiles`` (profile update and query) and ``hosted_listings`` (the
paged and specific queries); the field mapping is ``hosted_mapping``, the page tokens
``hosted_paging``.

Hosted and basic groups are the same store rows, so a hosted group is what every other vendor
sees. Lists are sent either as one comma-separated value (the Go and Java SDKs) or as repeated
keys (the docs' examples); both are read. An unknown (or dismissed) group, a user who is not a
member, and the owner asked to leave get 1002 with a message saying which.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.errors import VendorError
from emulator.services import Services
from emulator.store.errors import GroupDismissed, GroupFull, GroupNotFound
from emulator.store.models import Group, Membership
from emulator.vendors.rongcloud.errors import (BAD_PARAM, param_invalid, param_required,
                                               rc_error, too_long)
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.mapping import visible
from emulator.vendors.rongcloud.members import MAX_GROUP_MEMBERS
from emulator.vendors.rongcloud.users import register_missing

MAX_ID_CHARS = 64


def id_list(form: Form, name: str, *, max_count: int, required: bool = True) -> list[str]:
    """A list field sent comma-separated or repeated: trimmed, repeats dropped, in order."""
    values: list[str] = []
    for raw in form.fields.get(name, []):
        values += [part.strip() for part in raw.split(",") if part.strip()]
    unique = list(dict.fromkeys(values))
    if required and not unique:
        raise param_required(name)
    if len(unique) > max_count:
        raise param_invalid(name, f"takes at most {max_count} ids, got {len(unique)}")
    for value in unique:
        if len(value) > MAX_ID_CHARS:
            raise too_long(name, MAX_ID_CHARS)
    return unique


def bounded_number(form: Form, name: str, default: int, maximum: int, minimum: int = 0) -> int:
    """A number field from ``minimum`` to ``maximum`` (1002 outside); ``default`` when absent."""
    value = form.number(name)
    if value is None:
        return default
    if not minimum <= value <= maximum:
        raise param_invalid(name, f"must be from {minimum} to {maximum}")
    return value


def group_id_of(form: Form) -> str:
    """The call's ``groupId`` (required, at most 64 characters)."""
    return form.text("groupId", max_chars=MAX_ID_CHARS)


def compact_json(value: Any) -> str:
    """JSON text without spaces, non-ASCII kept, as the answers' embedded JSON is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def no_group(group_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'groupId' is invalid: group {group_id} does not exist")


def not_member(user_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'userId' is invalid: {user_id} is not a member")


def owner_cannot_leave(user_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'userIds' is invalid: {user_id} is the owner; "
                               f"transfer the group first")


async def live(services: Services, group_id: str) -> Group:
    """The group, unless it is unknown or dismissed (1002)."""
    group = visible(await services.store.get_group(group_id))
    if group is None:
        raise no_group(group_id)
    return group


async def add_members(services: Services, group_id: str, users: list[str]) -> None:
    """Register and add ``users`` as members (those already in stay); 1502 (HTTP 405) when the
    group would pass its size, 1002 for an unknown group."""
    await register_missing(services, users)
    now_ms = services.clock.now_ms()
    try:
        await services.store.add_group_members(
            group_id, [Membership(group_id, user, "member", now_ms) for user in users])
    except GroupFull:
        raise rc_error(1502, f"A group holds at most {MAX_GROUP_MEMBERS} members.",
                       http_status=405) from None
    except (GroupNotFound, GroupDismissed):
        raise no_group(group_id) from None
