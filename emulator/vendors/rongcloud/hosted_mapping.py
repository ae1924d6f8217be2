"""Hosted groups' fields and the store's: reading ``groupProfile``, ``permissions`` and
``groupExtProfile`` from a call, and writing them (and a member) back into answers.

The mapping:

- role: owner 3, manager 2 (the store's ``admin``), member 1;
- ``groupProfile`` ``{"introduction","announcement","portraitUrl"}``: the store's
  ``introduction``, ``notification`` and ``face_url`` (and ``name`` on profile/update);
- ``groupExtProfile`` (``ext_*`` keys): the group's attributes;
- ``permissions``: ``joinPerm`` (0 owner approves, 1 free, 2 owner or manager approves, 3
  nobody) ↔ ``apply_join_option``; ``memInvitePerm`` (0 owner, 1 owner and managers, 2 anyone)
  ↔ ``inviter_role``; ``invitePerm`` (1: the invitee must accept) ↔ ``invitee_must_accept``;
  ``removePerm``, ``profilePerm`` and ``memProfilePerm`` have no store field and always read
  0 (their default);
- member ``nickname`` and ``extra``: the membership's ``nickname`` and ``ex``.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.services import Services
from emulator.store.models import Group, Membership
from emulator.vendors.rongcloud.errors import param_invalid, too_long
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.hosted import compact_json
from emulator.vendors.rongcloud.members import MAX_GROUP_NAME_CHARS

PROFILE_LIMITS = {"introduction": 512, "announcement": 1024, "portraitUrl": 128}
EXT_KEY_PREFIX, EXT_KEY_MAX, EXT_VALUE_MAX, EXT_MAX_PAIRS = "ext_", 32, 256, 10

ROLE_CODES = {"owner": 3, "admin": 2, "member": 1}
CODE_ROLES = {1: "member", 2: "admin", 3: "owner"}
JOIN_PERMS = {0: "NeedPermission", 1: "FreeAccess", 2: "NeedPermission", 3: "DisableApply"}
JOIN_PERM_OF = {"NeedPermission": 0, "FreeAccess": 1, "DisableApply": 3}
INVITE_ROLES = {0: "owner", 1: "admin", 2: "member"}
INVITE_PERM_OF = {"owner": 0, "admin": 1, "member": 2}
PERMISSION_RANGES = {"joinPerm": 3, "removePerm": 2, "memInvitePerm": 2, "invitePerm": 1,
                     "profilePerm": 1, "memProfilePerm": 1}
# A new hosted group's permissions are the docs' defaults: joinPerm 0 (the owner approves),
# memInvitePerm 0 (only the owner invites), invitePerm 0 (no consent needed).
HOSTED_DEFAULTS: dict[str, Any] = {"apply_join_option": "NeedPermission",
                                   "inviter_role": "owner", "invitee_must_accept": False}


def _json_object(form: Form, name: str) -> dict[str, Any] | None:
    text = form.first(name)
    if not text:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise param_invalid(name, "must be a JSON object") from None
    if not isinstance(value, dict):
        raise param_invalid(name, "must be a JSON object")
    return value


def profile_changes(form: Form, *, with_name: bool = False) -> dict[str, Any]:
    """The store fields ``groupProfile`` and ``permissions`` set (checked first)."""
    changes: dict[str, Any] = {}
    profile = _json_object(form, "groupProfile")
    if profile is not None:
        for key, limit in {**PROFILE_LIMITS, **({"name": MAX_GROUP_NAME_CHARS}
                                                if with_name else {})}.items():
            if key not in profile:
                continue
            value = profile[key]
            if not isinstance(value, str):
                raise param_invalid("groupProfile", f"'{key}' must be a string")
            if len(value) > limit:
                raise too_long(f"groupProfile.{key}", limit)
            store_key = {"introduction": "introduction", "announcement": "notification",
                         "portraitUrl": "face_url", "name": "name"}[key]
            changes[store_key] = value
    permissions = _json_object(form, "permissions")
    if permissions is not None:
        for key, value in permissions.items():
            if key not in PERMISSION_RANGES:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or \
                    not 0 <= value <= PERMISSION_RANGES[key]:
                raise param_invalid("permissions",
                                    f"'{key}' must be from 0 to {PERMISSION_RANGES[key]}")
        if "joinPerm" in permissions:
            changes["apply_join_option"] = JOIN_PERMS[permissions["joinPerm"]]
        if "memInvitePerm" in permissions:
            changes["inviter_role"] = INVITE_ROLES[permissions["memInvitePerm"]]
        if "invitePerm" in permissions:
            changes["invitee_must_accept"] = bool(permissions["invitePerm"])
    return changes


def ext_profile(form: Form) -> dict[str, str] | None:
    """``groupExtProfile``: ``ext_`` keys of at most 32 characters, string values of at most
    256, at most 10 pairs."""
    ext = _json_object(form, "groupExtProfile")
    if ext is None:
        return None
    if len(ext) > EXT_MAX_PAIRS:
        raise param_invalid("groupExtProfile", f"takes at most {EXT_MAX_PAIRS} keys")
    values: dict[str, str] = {}
    for key, value in ext.items():
        if not key.startswith(EXT_KEY_PREFIX) or len(key) > EXT_KEY_MAX:
            raise param_invalid("groupExtProfile", f"key '{key}' must start with "
                                f"'{EXT_KEY_PREFIX}' and be at most {EXT_KEY_MAX} characters")
        if not isinstance(value, str) or len(value) > EXT_VALUE_MAX:
            raise param_invalid("groupExtProfile", f"value of '{key}' must be a string of at "
                                f"most {EXT_VALUE_MAX} characters")
        values[key] = value
    return values


def profile_text(group: Group) -> str:
    return compact_json({"introduction": group.introduction,
                         "announcement": group.notification, "portraitUrl": group.face_url})


def permissions_text(group: Group) -> str:
    return compact_json({"joinPerm": JOIN_PERM_OF.get(group.apply_join_option, 0),
                         "removePerm": 0,
                         "memInvitePerm": INVITE_PERM_OF.get(group.inviter_role, 2),
                         "invitePerm": int(group.invitee_must_accept), "profilePerm": 0,
                         "memProfilePerm": 0})


async def ext_text(services: Services, group_id: str) -> str:
    attributes = await services.store.attributes(group_id)
    return compact_json({key: value for key, value in attributes.items()
                         if key.startswith(EXT_KEY_PREFIX)})


def member_json(member: Membership) -> dict[str, Any]:
    return {"userId": member.user_id, "nickname": member.nickname,
            "role": ROLE_CODES.get(member.role, 1), "time": member.join_time_ms,
            "extra": member.ex}
