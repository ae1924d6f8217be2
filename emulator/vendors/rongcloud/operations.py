"""What each RongCloud endpoint does to the shared store, and the JSON it answers.

RongCloud keeps only memberships and a group name, so in the canonical store:
- a group RongCloud creates is a ``work`` group, owned by the first userId of the call;
- users it names that are not registered are registered with an empty name, so every vendor
  sees the same store;
- ``create.json`` is an alias of ``join.json`` (as the official SDKs say): on an existing group
  it adds the users, and ``join.json`` on an unknown group creates it;
- a dismissed group is invisible: ``create``/``join`` on its id delete the dismissed record and
  start a new group; ``quit``/``dismiss``/reads treat it as absent.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from typing import Any

from emulator.errors import VendorError
from emulator.services import Services
from emulator.store.groupstore import GroupExists, GroupNotFound, UserExists
from emulator.store.models import Group, JoinedQuery, Membership, User
from emulator.vendors.rongcloud.errors import COUNT_EXCEEDED, TOO_LONG, param_required, rc_error
from emulator.vendors.rongcloud.form import Form, number, text, user_ids

Answer = dict[str, Any]

UNPAGED_LIMIT = 5000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_GROUP_MEMBERS = 3000
MAX_ID_CHARS = 64
MAX_GROUP_NAME_CHARS = 64
MAX_USER_NAME_CHARS = 64
MAX_PORTRAIT_BYTES = 1024
GROUP_TYPE = "work"
OK: Answer = {"code": 200}
GROUP_FIELDS = frozenset({"name"})


def _visible(group: Group | None) -> Group | None:
    return group if group is not None and group.status != "dismissed" else None


async def user_groups(services: Services, form: Form) -> Answer:
    """``/user/group/query.json``: a user's groups in join order, ``{"name","id"}`` each."""
    user_id = text(form, "userId")
    page = number(form, "page")
    size = number(form, "size")
    if not page:
        offset, limit = 0, UNPAGED_LIMIT
    else:
        limit = min(size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        offset = (page - 1) * limit
    if offset > 2**31:
        return {"code": 200, "groups": []}
    result = await services.store.joined(JoinedQuery(
        user_id, offset=offset, limit=limit, group_fields=GROUP_FIELDS, member_fields=frozenset()))
    return {"code": 200,
            "groups": [{"name": row.group.name, "id": row.group.id} for row in result.rows]}


async def group_members(services: Services, form: Form) -> Answer:
    """``/group/user/query.json``: a group's member ids (none for an unknown group)."""
    group_id = text(form, "groupId")
    if _visible(await services.store.get_group(group_id)) is None:
        return {"code": 200, "users": []}
    members = await services.store.members(group_id)
    return {"code": 200, "users": [{"id": member.user_id} for member in members]}


async def create_group(services: Services, form: Form) -> Answer:
    """``/group/create.json``: ``userId`` (repeated), ``groupId``, ``groupName`` (required)."""
    users = user_ids(form)
    group_id = text(form, "groupId", max_chars=MAX_ID_CHARS)
    name = text(form, "groupName", max_chars=MAX_GROUP_NAME_CHARS)
    await _join(services, group_id, users, name)
    return OK


async def join_group(services: Services, form: Form) -> Answer:
    """``/group/join.json``: ``userId`` (repeated), ``groupId``, optional ``groupName``."""
    users = user_ids(form)
    group_id = text(form, "groupId", max_chars=MAX_ID_CHARS)
    name = text(form, "groupName", required=False, max_chars=MAX_GROUP_NAME_CHARS)
    await _join(services, group_id, users, name or None)
    return OK


async def quit_group(services: Services, form: Form) -> Answer:
    """``/group/quit.json``: removes the users; an unknown group is not an error."""
    users = user_ids(form)
    group_id = text(form, "groupId", max_chars=MAX_ID_CHARS)
    if _visible(await services.store.get_group(group_id)) is not None:
        await services.store.remove_members(group_id, users)
    return OK


async def dismiss_group(services: Services, form: Form) -> Answer:
    """``/group/dismiss.json``: ``userId`` (any user) and ``groupId``; marks it dismissed."""
    text(form, "userId", max_chars=MAX_ID_CHARS)
    group_id = text(form, "groupId", max_chars=MAX_ID_CHARS)
    if _visible(await services.store.get_group(group_id)) is not None:
        try:
            await services.store.update_group(group_id, status="dismissed")
        except GroupNotFound:
            pass
    return OK


_TOKENS = itertools.count(1)


async def get_token(services: Services, form: Form) -> Answer:
    """``/user/getToken.json``: registers (or refreshes) a user and returns a token."""
    user_id = text(form, "userId", max_chars=MAX_ID_CHARS)
    if "name" not in form:
        raise param_required("name")
    name = text(form, "name", required=False, max_chars=MAX_USER_NAME_CHARS)
    portrait = text(form, "portraitUri", required=False)
    if len(portrait.encode("utf-8")) > MAX_PORTRAIT_BYTES:
        raise rc_error(TOO_LONG, f"Length of paramer 'portraitUri' must be at most "
                             f"{MAX_PORTRAIT_BYTES} bytes.")
    existing = await services.store.get_user(user_id)
    if existing is None:
        user = User(user_id, name, portrait, "", services.clock.now_ms())
    else:
        user = User(user_id, name or existing.name, portrait or existing.face_url, existing.ex,
                    existing.created_at)
    await services.store.upsert_users([user])
    return {"code": 200, "userId": user_id,
            "token": _token(services.settings.rongcloud_app_key, user_id, services.clock.now_ms())}


def _token(app_key: str, user_id: str, now_ms: int) -> str:
    digest = hashlib.sha1(f"{app_key}\0{user_id}\0{now_ms}\0{next(_TOKENS)}".encode()).digest()
    return (base64.b64encode(digest).decode() + "@emulator.cn.rongnav.com;"
            "emulator.cn.rongcfg.com")


async def _register_missing(services: Services, users: list[str]) -> None:
    """Register the users the store does not know, with an empty name."""
    for _ in range(3):
        missing = await services.store.missing_users(users)
        if not missing:
            return
        now_ms = services.clock.now_ms()
        try:
            await services.store.add_users([User(user_id, "", "", "", now_ms) for user_id in missing])
            return
        except UserExists:
            continue


async def _join(services: Services, group_id: str, users: list[str], name: str | None) -> None:
    """Add users to a group, creating it (and its unknown users) when it does not exist."""
    store = services.store
    await _register_missing(services, users)
    now_ms = services.clock.now_ms()
    group = await store.get_group(group_id)
    if group is not None and group.status == "dismissed":
        await store.delete_group(group_id)
        group = None
    if group is None:
        owner = users[0]
        members = [Membership(group_id, user_id, "owner" if user_id == owner else "member", now_ms)
                   for user_id in users]
        try:
            await store.create_group(Group(group_id, name or "", GROUP_TYPE, owner, creator=owner,
                                           create_time_ms=now_ms, max_members=MAX_GROUP_MEMBERS),
                                     members)
            return
        except GroupExists:
            pass
    current = {member.user_id for member in await store.members(group_id)}
    joining = [user_id for user_id in users if user_id not in current]
    if len(current) + len(joining) > MAX_GROUP_MEMBERS:
        raise _capacity(len(current) + len(joining))
    await store.add_members(group_id, [Membership(group_id, user_id, "member", now_ms)
                                       for user_id in joining])
    if name is not None:
        await store.update_group(group_id, name=name)


def _capacity(count: int) -> VendorError:
    return rc_error(COUNT_EXCEEDED, f"A group holds at most {MAX_GROUP_MEMBERS} members; "
                                    f"this would make {count}.", http_status=405)
