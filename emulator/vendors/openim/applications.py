"""The join-request paths: ``get_recv_group_applicationList`` (``GetGroupApplicationList``),
``get_user_req_group_applicationList`` (``GetUserReqApplicationList``),
``group_application_response`` (``GroupApplicationResponse``),
``get_group_users_req_application_list`` (``GetGroupUsersReqApplicationList``) and
``get_specified_user_group_request_info`` (``GetSpecifiedUserGroupRequestInfo``, which the
JavaScript SDK calls by itself after answering a request), with
open-im-server's checks in its order (``internal/rpc/group/group.go``,
``pkg/common/storage/database/mgo/group_request.go``; commit in docs/vendors/openim.md).

The requests are the store's (``JoinRequest``): ``join_group`` and an ordinary member's
invitation to a group with needVerification 1 record them. Each reads as ``sdkws.GroupRequest``
with its handleResult 0 (pending), 1 (accepted) or -1 (refused). Two quirks of the server are
kept: answering a request writes its message to a field nothing reads (``handle_msg``, not
``handled_msg``) and sets neither the handler nor the time, so ``handleMsg`` and
``handleUserID`` read "" and ``handleTime`` 0 whatever the store keeps; and
``get_group_users_req_application_list`` never fills ``userInfo`` (its map lookup keeps the
user only when it is missing), so it is always null there.
"""

from __future__ import annotations

from typing import Any

from emulator.store.errors import GroupDismissed
from emulator.store.models import Group, JoinedQuery, JoinRequest, Membership, User
from emulator.vendors.openim import errors as e
from emulator.vendors.openim import notices as n
from emulator.vendors.openim.auth import caller_id, check_access, is_admin
from emulator.vendors.openim.mapping import (dismissed_already, join_source_code,
                                             record_not_found)
from emulator.vendors.openim.members import check_group_admin, entered_notice, invited_notice
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.users import registered

GROUP_ID_NOT_FOUND = 1201
GROUP_REQUEST_HANDLED = 1206
AGREE, REFUSE = 1, -1
# What Go's runtime says when the handler reads owners[0] of an empty list.
PANIC_NO_OWNER = "runtime error: index out of range [0] with length 0"
RESULT_CODES: dict[str, int] = {"pending": 0, "accepted": AGREE, "refused": REFUSE}
RESULT_OF_CODE: dict[int, str] = {code: result for result, code in RESULT_CODES.items()}


def _results(codes: list[int] | None) -> list[str] | None:
    """The store results a handleResults filter keeps (None or []: any)."""
    if not codes:
        return None
    return [RESULT_OF_CODE[code] for code in codes if code in RESULT_OF_CODE]


def _page_bounds(pagination: dict[str, Any], total: int) -> tuple[int, int] | None:
    """Mongo's FindPage: skip (pageNumber - 1) x showNumber, limit showNumber; a skip past the
    total or a showNumber of 0 or less reads nothing (None)."""
    show = pagination["showNumber"]
    skip = (pagination["pageNumber"] - 1) * show
    if skip < 0 or skip >= total or show <= 0:
        return None
    return skip, show


def _public_user(user: User | None) -> dict[str, Any] | None:
    """``sdkws.PublicUserInfo`` (None: no user)."""
    if user is None:
        return None
    return {"userID": user.id, "nickname": user.name, "faceURL": user.face_url, "ex": user.ex}


def render_request(request: JoinRequest, user: dict[str, Any] | None,
                   group: dict[str, Any] | None) -> dict[str, Any]:
    """``convert.Db2PbGroupRequest``: the request with its user and group."""
    return {"userInfo": user, "groupInfo": group,
            "handleResult": RESULT_CODES.get(request.result, 0), "reqMsg": request.message,
            "handleMsg": "", "reqTime": request.requested_at_ms, "handleUserID": "",
            "handleTime": 0, "ex": request.ex, "joinSource": join_source_code(request.source),
            "inviterUserID": request.inviter}


async def _groups_info(ctx: Ctx, group_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The groups found, as GroupInfo with their owner rows' users, by id."""
    found = (await ctx.services.store.get_groups(group_ids)).groups
    return {group.id: await n.group_as_info(ctx, group) for group in found}


def _render(requests: list[JoinRequest], users: dict[str, Any],
            groups: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    return [render_request(request, users.get(request.user_id), groups.get(request.group_id))
            for request in requests] or None


async def _users(ctx: Ctx, user_ids: list[str]) -> dict[str, dict[str, Any] | None]:
    store = ctx.services.store
    return {uid: _public_user(await store.get_user(uid)) for uid in dict.fromkeys(user_ids)}


async def _managed_groups(ctx: Ctx, user_id: str) -> list[str]:
    """``FindUserManagedGroupID``: the groups the user owns or administers."""
    page = await ctx.services.store.joined(JoinedQuery(
        user_id, include_dismissed=True, group_fields=frozenset(),
        member_fields=frozenset({"role"})))
    return [row.group.id for row in page.rows if row.membership.role in ("owner", "admin")]


async def get_recv_group_application_list(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupApplicationList``: the requests to the groups ``fromUserID`` manages (or to
    ``groupIDs``, each of which the caller must manage unless an admin), newest first, paged
    with Mongo's skip/limit; 1201 names a requested group that does not exist."""
    req = ctx.body
    user_id = req["fromUserID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    if not req["groupIDs"]:
        group_ids = await _managed_groups(ctx, user_id)
    else:
        group_ids = list(dict.fromkeys(req["groupIDs"]))
        if not is_admin(ctx):
            for group_id in group_ids:
                await check_group_admin(ctx, group_id)
    if not group_ids:
        return {"total": 0, "groupRequests": None}
    store = ctx.services.store
    results = _results(req["handleResults"])
    counted = await store.join_request_page(group_ids=group_ids, results=results, limit=0)
    bounds = _page_bounds(req["pagination"], counted.total)
    if counted.total == 0 or bounds is None:
        return {"total": counted.total, "groupRequests": None}
    page = await store.join_request_page(group_ids=group_ids, results=results,
                                         offset=bounds[0], limit=bounds[1])
    groups = await _groups_info(ctx, group_ids)
    missing = [group_id for group_id in group_ids if group_id not in groups]
    if missing:
        raise e.oim_error(GROUP_ID_NOT_FOUND, ",".join(missing))
    users = await _users(ctx, [request.user_id for request in page.rows])
    return {"total": counted.total, "groupRequests": _render(page.rows, users, groups)}


async def get_user_req_group_application_list(ctx: Ctx) -> dict[str, Any]:
    """``GetUserReqApplicationList``: the user's own requests (self or an admin; the user must
    be registered, 1004), of ``groupIDs`` if given, newest first, paged."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    store = ctx.services.store
    user = await store.get_user(user_id)
    if user is None and not await registered(ctx, [user_id]):
        raise record_not_found()
    group_ids = list(dict.fromkeys(req["groupIDs"])) if req["groupIDs"] else None
    results = _results(req["handleResults"])
    counted = await store.join_request_page(user_id=user_id, group_ids=group_ids,
                                            results=results, limit=0)
    bounds = _page_bounds(req["pagination"], counted.total)
    if counted.total == 0 or bounds is None:
        return {"total": counted.total, "groupRequests": None}
    page = await store.join_request_page(user_id=user_id, group_ids=group_ids, results=results,
                                         offset=bounds[0], limit=bounds[1])
    groups = await _groups_info(ctx, [request.group_id for request in page.rows])
    public = _public_user(user) or {"userID": user_id, "nickname": user_id, "faceURL": "",
                                    "ex": ""}
    return {"total": counted.total,
            "groupRequests": _render(page.rows, {user_id: public}, groups)}


async def get_group_users_req_application_list(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupUsersReqApplicationList``: the group's requests from ``userIDs`` (the owner,
    an admin of the group or an admin token), oldest first; ``userInfo`` always null."""
    req = ctx.body
    group_id = req["groupID"]
    await check_group_admin(ctx, group_id)
    store = ctx.services.store
    requests = await store.join_requests_of(group_id, req["userIDs"])
    if not requests:
        return {"total": 0, "groupRequests": None}
    groups = await _groups_info(ctx, [group_id])
    if group_id not in groups:
        raise e.oim_error(GROUP_ID_NOT_FOUND, group_id)
    return {"total": len(requests), "groupRequests": _render(requests, {}, groups)}


async def get_specified_user_group_request_info(ctx: Ctx) -> dict[str, Any]:
    """``GetSpecifiedUserGroupRequestInfo`` (no ``Check()``): a user's request to a group.
    Anyone may read their own; another user's needs the group's owner, one of its admins or
    an app admin (1002 ``opUser no permission``). A group without an owner row there is the
    server's out-of-range panic (500). No request: total 0."""
    req = ctx.body
    group_id, user_id = req["groupID"], req["userID"]
    store = ctx.services.store
    group = await store.get_group(group_id)
    owner = await store.member(group_id, group.owner) if group is not None and group.owner \
        else None
    if owner is not None and owner.role != "owner":
        owner = None
    if user_id != caller_id(ctx):
        if owner is None:
            raise e.oim_error(e.SERVER_INTERNAL, PANIC_NO_OWNER)
        caller = await store.member(group_id, caller_id(ctx))
        if not is_admin(ctx) and (caller is None or caller.role not in ("owner", "admin")):
            raise e.oim_error(e.NO_PERMISSION, "opUser no permission")
    requests = await store.join_requests_of(group_id, [user_id])
    if not requests or group is None:
        return {"total": 0, "groupRequests": None}
    info = await n.group_as_info(ctx, group)
    users = await _users(ctx, [user_id])
    return {"total": len(requests), "groupRequests": _render(requests, users, {group_id: info})}


async def group_application_response(ctx: Ctx) -> dict[str, Any]:
    """``GroupApplicationResponse``: 1 accepts (adding the user unless already a member),
    -1 refuses. Checks: the result (1001 ``HandleResult unknown``), the caller's role (1004,
    1002), the group (1004), the request (1004), already handled (1206), the user (1004)."""
    req = ctx.body
    group_id, user_id = req["groupID"], req["fromUserID"]
    ctx.call.user = user_id
    if req["handleResult"] not in (AGREE, REFUSE):
        raise e.oim_error(e.ARGS, "HandleResult unknown")
    store = ctx.services.store
    op = caller_id(ctx)
    await check_group_admin(ctx, group_id, member_lookup=True)
    group = await store.get_group(group_id)
    if group is None:
        raise record_not_found()
    request = await store.join_request(group_id, user_id)
    if request is None:
        raise record_not_found()
    if request.result != "pending":
        raise e.oim_error(GROUP_REQUEST_HANDLED, "group request already processed")
    in_group = await store.member(group_id, user_id) is not None
    if not await registered(ctx, [user_id]):
        raise record_not_found("user not found")
    agree = req["handleResult"] == AGREE
    now_ms = ctx.services.clock.now_ms()
    member_row = None
    if agree and not in_group:
        member_row = Membership(group_id, user_id, "member", now_ms, inviter=request.inviter,
                                operator=op, join_source=request.source)
    try:
        await store.handle_join_request(group_id, user_id,
                                        result="accepted" if agree else "refused", handler=op,
                                        message=req["handledMsg"], now_ms=now_ms,
                                        member=member_row)
    except GroupDismissed:
        # The store takes no members into a dismissed group (docs: differences).
        raise dismissed_already() from None
    if member_row is not None:
        await _entered(ctx, group, request)
    return {}


async def _entered(ctx: Ctx, group: Group, request: JoinRequest) -> None:
    """An accepted request's notification: the member entered (a request of their own), or
    was invited (an invitation that needed the approval)."""
    if request.inviter == "":
        await entered_notice(ctx, group.id, request.user_id)
    else:
        await invited_notice(ctx, group.id, [request.user_id], request.inviter)


async def get_group_application_unhandled_count(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupApplicationUnhandledCount`` (no ``Check()``): self or an admin (1002); the
    pending requests to the groups the user owns or administers, made after ``time`` (ms;
    0: any time), as ``mgo.GroupRequestMgo.GetUnhandledCount`` counts them."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    group_ids = await _managed_groups(ctx, user_id)
    if not group_ids:
        return {"count": 0}
    counted = await ctx.services.store.join_request_page(
        group_ids=group_ids, results=["pending"], limit=0,
        after_ms=req["time"] if req["time"] != 0 else None)
    return {"count": counted.total}
