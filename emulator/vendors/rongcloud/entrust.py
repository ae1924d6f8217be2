"""Hosted groups (RongCloud's "information hosting", ``/entrust/group/*``): groups with an owner,
managers, a profile, permissions, member profiles and paging.

Paths as RongCloud's API list and its official Go and Java server SDKs name them
(``/entrust/group/member/kick.json``, ``/entrust/group/transfer/owner.json``,
``/entrust/group/manager/add.json``, ``/entrust/joined/group/query.json`` ...).

Hosted and basic groups are the same store rows, so a hosted group is what every other vendor
sees. The mapping:

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

Lists are sent either as one comma-separated value (the Go and Java SDKs) or as repeated keys
(the docs' examples); both are read. An unknown (or dismissed) group, a user who is not a
member, and the owner asked to leave get 1002 with a message saying which.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from emulator.errors import VendorError
from emulator.services import Services
from emulator.store.errors import (GroupDismissed, GroupExists, GroupFull, GroupNotFound, IsOwner,
                                   NotMember)
from emulator.store.models import Group, JoinedQuery, Membership
from emulator.vendors.rongcloud.errors import (BAD_PARAM, param_invalid, param_required,
                                               rc_error, too_long)
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.mapping import GROUP_TYPE, visible
from emulator.vendors.rongcloud.members import MAX_GROUP_MEMBERS, MAX_GROUP_NAME_CHARS, OK
from emulator.vendors.rongcloud.protocol import Ctx
from emulator.vendors.rongcloud.users import register_missing

MAX_ID_CHARS = 64
MAX_CREATE_USERS = 30
MAX_JOIN_USERS = 100
MAX_QUERY_USERS = 100
MAX_PROFILE_GROUPS = 50
MAX_MANAGERS = 10
MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX = 50, 100
JOINED_PAGE_DEFAULT, JOINED_PAGE_MAX = 50, 100
GROUP_PAGE_DEFAULT, GROUP_PAGE_MAX = 50, 1000
PROFILE_LIMITS = {"introduction": 512, "announcement": 1024, "portraitUrl": 128}
EXT_KEY_PREFIX, EXT_KEY_MAX, EXT_VALUE_MAX, EXT_MAX_PAIRS = "ext_", 32, 256, 10
MAX_NICKNAME_CHARS, MAX_EXTRA_CHARS = 64, 1024

ROLE_CODES = {"owner": 3, "admin": 2, "member": 1}
CODE_ROLES = {1: "member", 2: "admin", 3: "owner"}
JOIN_PERMS = {0: "NeedPermission", 1: "FreeAccess", 2: "NeedPermission", 3: "DisableApply"}
JOIN_PERM_OF = {"NeedPermission": 0, "FreeAccess": 1, "DisableApply": 3}
INVITE_ROLES = {0: "owner", 1: "admin", 2: "member"}
INVITE_PERM_OF = {"owner": 0, "admin": 1, "member": 2}
PERMISSION_KEYS = ("joinPerm", "removePerm", "memInvitePerm", "invitePerm", "profilePerm",
                   "memProfilePerm")
PERMISSION_RANGES = {"joinPerm": 3, "removePerm": 2, "memInvitePerm": 2, "invitePerm": 1,
                     "profilePerm": 1, "memProfilePerm": 1}
_SCAN = 1000
# A new hosted group's permissions are the docs' defaults: joinPerm 0 (the owner approves),
# memInvitePerm 0 (only the owner invites), invitePerm 0 (no consent needed).
HOSTED_DEFAULTS: dict[str, Any] = {"apply_join_option": "NeedPermission",
                                   "inviter_role": "owner", "invitee_must_accept": False}


# ---- field readers ---------------------------------------------------------------------------

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


def _number(form: Form, name: str, default: int, maximum: int, minimum: int = 0) -> int:
    value = form.number(name)
    if value is None:
        return default
    if not minimum <= value <= maximum:
        raise param_invalid(name, f"must be from {minimum} to {maximum}")
    return value


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


# ---- answers ---------------------------------------------------------------------------------

def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def profile_text(group: Group) -> str:
    return _dumps({"introduction": group.introduction, "announcement": group.notification,
                   "portraitUrl": group.face_url})


def permissions_text(group: Group) -> str:
    return _dumps({"joinPerm": JOIN_PERM_OF.get(group.apply_join_option, 0), "removePerm": 0,
                   "memInvitePerm": INVITE_PERM_OF.get(group.inviter_role, 2),
                   "invitePerm": int(group.invitee_must_accept), "profilePerm": 0,
                   "memProfilePerm": 0})


async def ext_text(services: Services, group_id: str) -> str:
    attributes = await services.store.attributes(group_id)
    return _dumps({key: value for key, value in attributes.items()
                   if key.startswith(EXT_KEY_PREFIX)})


def member_json(member: Membership) -> dict[str, Any]:
    return {"userId": member.user_id, "nickname": member.nickname,
            "role": ROLE_CODES.get(member.role, 1), "time": member.join_time_ms,
            "extra": member.ex}


def _token(key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(_dumps(list(key)).encode()).decode()


def _untoken(token: str, name: str = "pageToken") -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, RecursionError):
        raise param_invalid(name, "is not a token this API gave") from None
    if not isinstance(key, list) or len(key) != 2 or type(key[0]) is not int \
            or not isinstance(key[1], str):
        raise param_invalid(name, "is not a token this API gave")
    return key


def page_after(rows: list[Any], key_of: Any, token: str, size: int, descending: bool
               ) -> tuple[list[Any], str]:
    """A page of ``rows`` (sorted by ``key_of``, newest first when descending) after the row
    the token names; the next token ('' on the last page). Keyed, so rows added or removed
    between pages neither repeat nor hide the others."""
    rows = sorted(rows, key=key_of, reverse=descending)
    if token:
        after = tuple(_untoken(token))
        rows = [row for row in rows
                if (key_of(row) < after if descending else key_of(row) > after)]
    page = rows[:size]
    return page, _token(key_of(page[-1])) if len(rows) > size else ""


# ---- store helpers ---------------------------------------------------------------------------

def no_group(group_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'groupId' is invalid: group {group_id} does not exist")


def not_member(user_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'userId' is invalid: {user_id} is not a member")


def owner_cannot_leave(user_id: str) -> VendorError:
    return rc_error(BAD_PARAM, f"Paramer 'userIds' is invalid: {user_id} is the owner; "
                               f"transfer the group first")


async def live(services: Services, group_id: str) -> Group:
    group = visible(await services.store.get_group(group_id))
    if group is None:
        raise no_group(group_id)
    return group


def _group_id(form: Form) -> str:
    return form.text("groupId", max_chars=MAX_ID_CHARS)


async def _add(services: Services, group_id: str, users: list[str]) -> None:
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


async def _remove(services: Services, group_id: str, users: list[str], form: Form) -> None:
    store = services.store
    group = await live(services, group_id)
    if group.owner in users:
        raise owner_cannot_leave(group.owner)
    form.flag("isDelBan")
    keep_followed = not form.flag("isDelFollowed", default=True)
    if form.flag("isDelWhite", default=True):
        await store.set_whitelist(group_id, remove=users)
    try:
        await store.remove_group_members(group_id, users, keep_followed=keep_followed)
    except IsOwner:
        raise owner_cannot_leave(group.owner) from None
    except (GroupNotFound, GroupDismissed):
        raise no_group(group_id) from None


async def _new_group(ctx: Ctx, *, with_users: bool) -> dict[str, Any]:
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
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
            await _add(services, group_id, [owner])
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


# ---- endpoints -------------------------------------------------------------------------------

async def create(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/create.json``: ``groupId``, ``name``, ``owner`` (required), ``userIds``
    (at most 30), ``groupProfile``, ``groupExtProfile``, ``permissions``; the owner joins as
    owner. An id in use gets 1002."""
    return await _new_group(ctx, with_users=True)


async def import_group(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/import.json``: makes a basic group hosted (``owner`` becomes its owner,
    joining if needed; the profile fields are applied), or creates it with the owner alone."""
    return await _new_group(ctx, with_users=False)


async def join(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/join.json``: ``groupId``, ``userIds`` (at most 100); members already
    in stay; answers the group's profile."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    users = id_list(form, "userIds", max_count=MAX_JOIN_USERS)
    await live(services, group_id)
    await _add(services, group_id, users)
    group = await live(services, group_id)
    return {"code": 200, "groupId": group.id, "name": group.name,
            "groupProfile": profile_text(group),
            "groupExtProfile": await ext_text(services, group_id),
            "permissions": permissions_text(group), "owner": group.owner,
            "createTime": group.create_time_ms, "memberCount": group.member_count}


async def quit_group(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/quit.json``: ``groupId``, ``userIds`` (at most 100), ``isDelBan``,
    ``isDelWhite``, ``isDelFollowed``; the owner may not quit (1002)."""
    form = ctx.body
    group_id = _group_id(form)
    users = id_list(form, "userIds", max_count=MAX_JOIN_USERS)
    await _remove(ctx.services, group_id, users, form)
    return OK


async def kick(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/kick.json``: as quit, by the app."""
    return await quit_group(ctx)


async def kick_all(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/kick/all.json``: ``userId`` leaves every group it is in but
    those it owns."""
    services = ctx.services
    user_id = ctx.body.text("userId", max_chars=MAX_ID_CHARS)
    page = await services.store.joined(JoinedQuery(user_id))
    for row in page.rows:
        if row.membership.role != "owner":
            await services.store.remove_group_members(row.group.id, [user_id])
    return OK


async def dismiss(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/dismiss.json``: ``groupId``; the group is dismissed (its member rows
    kept, as ``/group/dismiss.json`` does)."""
    services = ctx.services
    group_id = _group_id(ctx.body)
    await live(services, group_id)
    await services.store.dismiss_group(group_id, now_ms=services.clock.now_ms())
    return OK


async def transfer_owner(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/transfer/owner.json``: ``groupId``, ``newOwner`` (a member), ``isQuit``
    (1: the old owner leaves; then ``isDelWhite`` default 1 takes it off the whitelist, and
    ``isDelFollowed`` default 1 drops the follows of it)."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
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


async def add_managers(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/manager/add.json``: ``groupId``, ``userIds``; members become managers
    (at most 10 in a group). ``{"code":200}``, with ``userIds`` the ids that are not members
    when there are any, and ``managerCount`` (nothing changed) when 10 would be passed."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    users = id_list(form, "userIds", max_count=MAX_MANAGERS)
    await live(services, group_id)
    store = services.store
    roles = {user: (await store.member(group_id, user)) for user in users}
    missing = [user for user, member in roles.items() if member is None]
    promoting = [user for user, member in roles.items()
                 if member is not None and member.role == "member"]
    managers = (await store.member_page(group_id, limit=MAX_MANAGERS + 1,
                                        roles=["admin"])).total
    if managers + len(promoting) > MAX_MANAGERS:
        return {"code": 200, "managerCount": managers}
    for user in promoting:
        await store.set_role(group_id, user, "admin")
    return {"code": 200, "userIds": missing} if missing else OK


async def remove_managers(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/manager/remove.json``: ``groupId``, ``userIds``; managers become
    members (anyone else is left as is)."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    users = id_list(form, "userIds", max_count=MAX_MANAGERS)
    await live(services, group_id)
    for user in users:
        member = await services.store.member(group_id, user)
        if member is not None and member.role == "admin":
            await services.store.set_role(group_id, user, "member")
    return OK


async def update_profile(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/profile/update.json``: ``groupId``, ``groupProfile`` (``name`` too),
    ``permissions``, ``groupExtProfile``; absent keys are unchanged."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
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


def _member_key(member: Membership) -> tuple[int, str]:
    return (member.join_time_ms, member.user_id)


async def query_members(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/query.json``: ``groupId``; ``type`` (0 all, 1 members, 2
    managers, 3 owner), ``pageToken``, ``size`` (default 50, at most 100), ``order`` (by join
    time: 0 oldest first, 1 newest first, the default). ``{code,totalCount,pageToken,members}``."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    kind = _number(form, "type", 0, 3)
    size = _number(form, "size", MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX) or MEMBER_PAGE_DEFAULT
    descending = _number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    await live(services, group_id)
    members = await services.store.members(group_id)
    if kind:
        members = [member for member in members if member.role == CODE_ROLES[kind]]
    page, following = page_after(members, _member_key, token, size, descending)
    return {"code": 200, "totalCount": len(members), "pageToken": following,
            "members": [member_json(member) for member in page]}


async def query_specific_members(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/specific/query.json``: ``groupId``, ``userIds`` (at most 100);
    the members among them, in the order asked."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    users = id_list(form, "userIds", max_count=MAX_QUERY_USERS)
    await live(services, group_id)
    rows = []
    for user in users:
        member = await services.store.member(group_id, user)
        if member is not None:
            rows.append(member_json(member))
    return {"code": 200, "members": rows}


async def set_member(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/set.json``: ``groupId``, ``userId``, ``nickname``, ``extra``
    (an absent one is unchanged)."""
    form, services = ctx.body, ctx.services
    group_id = _group_id(form)
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    changes: dict[str, str] = {}
    if "nickname" in form:
        changes["nickname"] = form.text("nickname", required=False,
                                        max_chars=MAX_NICKNAME_CHARS)
    if "extra" in form:
        changes["ex"] = form.text("extra", required=False, max_chars=MAX_EXTRA_CHARS)
    await live(services, group_id)
    if await services.store.member(group_id, user_id) is None:
        raise not_member(user_id)
    if changes:
        await services.store.update_member_info(group_id, user_id, **changes)
    return OK


async def query_groups(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/query.json``: every group of the app, ``pageToken``, ``size`` (default
    50, at most 1000), ``order`` (by creation: 0 oldest first, 1 newest first, the default).
    ``{code,pageToken,groups[{groupId,owner,creator,name,portraitUrl,time}]}``."""
    form, services = ctx.body, ctx.services
    size = _number(form, "size", GROUP_PAGE_DEFAULT, GROUP_PAGE_MAX) or GROUP_PAGE_DEFAULT
    descending = _number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    groups: list[Group] = []
    after = 0
    while True:
        chunk = await services.store.group_page(after=after, limit=_SCAN,
                                                include_dismissed=False)
        groups += chunk.groups
        if not chunk.next:
            break
        after = chunk.next
    page, following = page_after(groups, lambda group: (group.create_time_ms, group.id), token,
                                 size, descending)
    return {"code": 200, "pageToken": following, "groups": [
        {"groupId": group.id, "owner": group.owner, "creator": group.creator or group.owner,
         "name": group.name, "portraitUrl": group.face_url, "time": group.create_time_ms}
        for group in page]}


async def query_joined(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/joined/group/query.json``: ``userId``; ``role`` (0 all, 1 member, 2 manager,
    3 owner), ``pageToken``, ``size`` (default 50, at most 100), ``order`` (by join time: 0
    oldest first, 1 newest first, the default). ``{code,totalCount,pageToken,groups}``."""
    form, services = ctx.body, ctx.services
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    role = _number(form, "role", 0, 3)
    size = _number(form, "size", JOINED_PAGE_DEFAULT, JOINED_PAGE_MAX) or JOINED_PAGE_DEFAULT
    descending = _number(form, "order", 1, 1) == 1
    token = form.text("pageToken", required=False)
    rows = (await services.store.joined(JoinedQuery(user_id))).rows
    if role:
        rows = [row for row in rows if row.membership.role == CODE_ROLES[role]]
    page, following = page_after(rows, lambda row: (row.membership.join_time_ms, row.group.id),
                                 token, size, descending)
    remarks = await services.store.remark_names(user_id, [row.group.id for row in page])
    groups = []
    for row in page:
        group = row.group
        groups.append({"groupId": group.id, "name": group.name,
                       "remarkName": remarks.get(group.id, ""),
                       "groupProfile": profile_text(group),
                       "groupExtProfile": await ext_text(services, group.id),
                       "permissions": permissions_text(group),
                       "createTime": group.create_time_ms,
                       "joinTime": row.membership.join_time_ms,
                       "role": ROLE_CODES.get(row.membership.role, 1),
                       "count": group.member_count, "owner": group.owner})
    return {"code": 200, "totalCount": len(rows), "pageToken": following, "groups": groups}
