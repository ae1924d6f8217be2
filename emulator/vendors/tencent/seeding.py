"""The commands that put users and groups in the store through Tencent's own API:
``im_open_login_svc/account_import``, ``group_open_http_svc/create_group``,
``group_open_http_svc/add_group_member`` and ``group_open_http_svc/destroy_group``.

``destroy_group`` marks the group dismissed and keeps it (invisible to every Tencent read); a
custom ``GroupId`` of a dismissed group can be created again, which first deletes the dismissed
record. Generated ids look like ``@TGS#2J4SZEAEL``.
"""

from __future__ import annotations

import contextlib
import secrets
import string

from starlette.responses import Response

from emulator.store import GroupExists, GroupNotFound
from emulator.store.models import APPLY_JOIN_OPTIONS, Group, Membership, User
from emulator.vendors.tencent import errors, mapping
from emulator.vendors.tencent.body import Fields
from emulator.vendors.tencent.context import Context

MAX_USER_ID_BYTES = 32
MAX_GROUP_ID_BYTES = 48
MAX_ADD_MEMBERS = 300
GENERATED_PREFIX = "@TGS#"
_ID_ALPHABET = string.ascii_uppercase + string.digits
RESULT_FAILED, RESULT_ADDED, RESULT_ALREADY = 0, 1, 2


async def account_import(ctx: Context) -> Response:
    """Register one account (``UserID``, or the older ``Identifier``), or update its profile."""
    body = Fields(ctx.body.data, errors.ACCOUNT_BAD_PARAMETER)
    name = "UserID" if body.has("UserID") else "Identifier"
    user_id = body.account(name)
    ctx.call.user = user_id
    if len(user_id.encode("utf-8")) > MAX_USER_ID_BYTES:
        raise body.bad(name, f"is longer than {MAX_USER_ID_BYTES} bytes")
    nick = body.string("Nick", max_bytes=500)
    face_url = body.string("FaceUrl", max_bytes=500)
    store = ctx.services.store
    existing = await store.get_user(user_id)
    created_at = existing.created_at if existing else ctx.services.clock.now_ms()
    await store.upsert_users([User(user_id, nick, face_url, "", created_at)])
    return errors.ok()


def _group_id(body: Fields) -> str | None:
    if not body.has("GroupId"):
        return None
    group_id = body.string("GroupId", required=True, max_bytes=MAX_GROUP_ID_BYTES)
    if not all(" " < ch < "\x7f" for ch in group_id):
        raise body.bad("GroupId", "must be printable ASCII without spaces")
    if group_id.startswith(GENERATED_PREFIX):
        raise body.bad("GroupId", f"must not start with {GENERATED_PREFIX}")
    return group_id


def _generated_id(group_type: str) -> str:
    digit = "2" if group_type != "avchatroom" else "a"
    return GENERATED_PREFIX + digit + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


async def _require_accounts(ctx: Context, accounts: list[str]) -> None:
    missing = await ctx.services.store.missing_users(accounts)
    if missing:
        info = errors.error_info(errors.ACCOUNT_NOT_FOUND)
        raise errors.fail(errors.ACCOUNT_NOT_FOUND, f"{info}: {', '.join(missing[:20])}")


def _initial_members(body: Fields, owner: str) -> dict[str, str]:
    """The initial members' roles by account: the owner first, then ``MemberList``."""
    roles: dict[str, str] = {owner: "owner"} if owner else {}
    for item in body.objects("MemberList", max_items=MAX_ADD_MEMBERS):
        account = item.account("Member_Account")
        role_name = item.string("Role", default="Member")
        if role_name not in mapping.ROLE_FROM_TENCENT:
            raise item.bad("Role", "must be Admin or Member")
        roles.setdefault(account, mapping.ROLE_FROM_TENCENT[role_name])
    return roles


async def create_group(ctx: Context) -> Response:
    """Create a group with its owner and initial members; answers its ``GroupId``."""
    body = ctx.body
    type_name = body.string("Type", required=True)
    if type_name not in mapping.TYPE_FROM_TENCENT:
        raise body.bad("Type", f"'{type_name[:64]}' is not one of "
                               f"{', '.join(mapping.TYPE_FROM_TENCENT)}")
    group_type = mapping.TYPE_FROM_TENCENT[type_name]
    name = body.string("Name", required=True, max_bytes=30)
    owner = body.account("Owner_Account", required=False)
    custom_id = _group_id(body)
    introduction = body.string("Introduction", max_bytes=240)
    notification = body.string("Notification", max_bytes=300)
    face_url = body.string("FaceUrl", max_bytes=100)
    max_members = body.integer("MaxMemberCount", default=2000, minimum=1) or 2000
    apply_join = body.string("ApplyJoinOption", default="NeedPermission")
    if apply_join not in APPLY_JOIN_OPTIONS:
        raise body.bad("ApplyJoinOption", "must be FreeAccess, NeedPermission or DisableApply")
    roles = _initial_members(body, owner)
    ctx.call.user = owner
    if group_type == "avchatroom" and any(role != "owner" for role in roles.values()):
        raise errors.fail(errors.NO_PERMISSION,
                          f"{errors.error_info(errors.NO_PERMISSION)}: an AVChatRoom takes no "
                          "MemberList; members join from the client SDK")
    await _require_accounts(ctx, list(roles))
    if group_type == "avchatroom":
        roles = {}
    now_ms = ctx.services.clock.now_ms()
    store = ctx.services.store
    if custom_id is not None:
        existing = await store.get_group(custom_id)
        if existing is not None and existing.status != "dismissed":
            raise errors.fail(errors.GROUP_ID_USED)
        if existing is not None:
            with contextlib.suppress(GroupNotFound):
                await store.delete_group(custom_id)
    for _ in range(8):
        group_id = custom_id or _generated_id(group_type)
        group = Group(
            id=group_id, name=name, type=group_type, owner=owner,
            creator=owner or ctx.identifier, introduction=introduction,
            notification=notification, face_url=face_url, apply_join_option=apply_join,
            max_members=max_members, create_time_ms=now_ms, last_info_time=now_ms // 1000,
            next_msg_seq=1)
        try:
            await store.create_group(group, [Membership(group_id, account, role, now_ms)
                                             for account, role in roles.items()])
        except GroupExists:
            if custom_id is not None:
                raise errors.fail(errors.GROUP_ID_USED) from None
            continue
        return errors.ok(GroupId=group_id)
    raise errors.fail(errors.INTERNAL)


async def _live_group(ctx: Context, body: Fields) -> Group:
    group_id = body.string("GroupId", required=True)
    group = await ctx.services.store.get_group(group_id)
    if group is None or group.status == "dismissed":
        raise errors.fail(errors.GROUP_GONE, explain=f"group {group_id[:64]!r} "
                          f"{'is dismissed' if group else 'does not exist'}")
    return group


async def add_group_member(ctx: Context) -> Response:
    """Add members; each gets a ``Result``: 1 added, 2 already a member, 0 not imported."""
    body = ctx.body
    group = await _live_group(ctx, body)
    if group.type == "avchatroom":
        raise errors.fail(errors.NO_PERMISSION,
                          f"{errors.error_info(errors.NO_PERMISSION)}: AVChatRoom members join "
                          "from the client SDK")
    body.integer("Silence", default=0)
    accounts = list(dict.fromkeys(item.account("Member_Account") for item in body.objects(
        "MemberList", required=True, max_items=MAX_ADD_MEMBERS)))
    store = ctx.services.store
    existing = await store.existing_users(accounts)
    now_ms = ctx.services.clock.now_ms()
    to_add = [a for a in accounts if a in existing]
    try:
        added = await store.add_members(group.id, [Membership(group.id, a, "member", now_ms)
                                                   for a in to_add])
    except GroupNotFound:
        raise errors.fail(errors.GROUP_GONE) from None
    outcome = dict(zip(to_add, added, strict=True))
    results = [{"Member_Account": a,
                "Result": (RESULT_FAILED if a not in outcome
                           else RESULT_ADDED if outcome[a] else RESULT_ALREADY)}
               for a in accounts]
    return errors.ok(MemberList=results)


async def destroy_group(ctx: Context) -> Response:
    """Dismiss a group: it stays in the store with status dismissed."""
    group = await _live_group(ctx, ctx.body)
    try:
        await ctx.services.store.update_group(group.id, status="dismissed")
    except GroupNotFound:
        raise errors.fail(errors.GROUP_GONE) from None
    return errors.ok()
