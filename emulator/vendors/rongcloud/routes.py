"""RongCloud's command table: the request path (also the journal's endpoint name) -> Command.
Every endpoint answers any method; a ``.json`` path not listed here gets RongCloud's 404."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.rongcloud import (entrust, follows, groups, history, members, messages,
                                        mutes, users)
from emulator.vendors.rongcloud.protocol import JSON_BODY

COMMANDS: dict[str, Command] = {
    "/user/group/query.json": Command(groups.user_groups),
    "/user/getToken.json": Command(users.get_token),
    "/group/create.json": Command(groups.create_group),
    "/group/join.json": Command(members.join_group),
    "/group/quit.json": Command(members.quit_group),
    "/group/dismiss.json": Command(groups.dismiss_group),
    "/group/user/query.json": Command(members.group_members),
    "/message/group/publish.json": Command(messages.publish,
                                           rate_limit=messages.PUBLISH_RATE_LIMIT),
    "/statusmessage/group/publish.json": Command(messages.publish_status,
                                                 rate_limit=messages.PUBLISH_RATE_LIMIT),
    "/v3/message/group/query.json": Command(history.query_group, schema=JSON_BODY),
    "/group/refresh.json": Command(groups.refresh_group),
    "/group/sync.json": Command(groups.sync_group),
    "/group/user/gag/add.json": Command(mutes.gag_add),
    "/group/user/gag/rollback.json": Command(mutes.gag_rollback),
    "/group/user/gag/list.json": Command(mutes.gag_list),
    "/group/ban/add.json": Command(mutes.ban_add),
    "/group/ban/rollback.json": Command(mutes.ban_rollback),
    "/group/ban/query.json": Command(mutes.ban_query),
    "/group/user/ban/whitelist/add.json": Command(mutes.whitelist_add),
    "/group/user/ban/whitelist/rollback.json": Command(mutes.whitelist_rollback),
    "/group/user/ban/whitelist/query.json": Command(mutes.whitelist_query),
    "/entrust/group/create.json": Command(entrust.create),
    "/entrust/group/join.json": Command(entrust.join),
    "/entrust/group/quit.json": Command(entrust.quit_group),
    "/entrust/group/member/kick.json": Command(entrust.kick),
    "/entrust/group/member/kick/all.json": Command(entrust.kick_all),
    "/entrust/group/dismiss.json": Command(entrust.dismiss),
    "/entrust/group/transfer/owner.json": Command(entrust.transfer_owner),
    "/entrust/group/manager/add.json": Command(entrust.add_managers),
    "/entrust/group/manager/remove.json": Command(entrust.remove_managers),
    "/entrust/group/member/query.json": Command(entrust.query_members),
    "/entrust/group/member/specific/query.json": Command(entrust.query_specific_members),
    "/entrust/group/member/set.json": Command(entrust.set_member),
    "/entrust/group/profile/update.json": Command(entrust.update_profile),
    "/entrust/group/profile/query.json": Command(entrust.query_profiles),
    "/entrust/group/import.json": Command(entrust.import_group),
    "/entrust/group/query.json": Command(entrust.query_groups),
    "/entrust/joined/group/query.json": Command(entrust.query_joined),
    "/entrust/group/member/follow.json": Command(follows.follow),
    "/entrust/group/member/unfollow.json": Command(follows.unfollow),
    "/entrust/group/member/followed/get.json": Command(follows.followed),
    "/entrust/group/remarkname/set.json": Command(follows.set_remark),
    "/entrust/group/remarkname/delete.json": Command(follows.delete_remark),
    "/entrust/group/remarkname/query.json": Command(follows.query_remark),
}
