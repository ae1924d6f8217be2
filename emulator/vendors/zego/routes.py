"""ZEGO's command table: the ``Action`` query parameter -> Command."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.zego import groups, members, messages, mutes, users

COMMANDS: dict[str, Command] = {
    "QueryGroupsInfoOfUser": Command(groups.query_groups_info_of_user),
    "UserRegister": Command(users.user_register),
    "CreateGroup": Command(groups.create_group),
    "InviteUsersIntoGroup": Command(members.invite_users_into_group),
    "KickoutGroupUser": Command(members.kickout_group_user),
    "DismissGroup": Command(groups.dismiss_group),
    "QueryGroupMemberList": Command(members.query_group_member_list),
    "QueryGroupInfo": Command(groups.query_group_info),
    "UpdateGroupData": Command(groups.update_group_data),
    "TransferGroupOwner": Command(groups.transfer_group_owner),
    "SetGroupMemberRole": Command(members.set_group_member_role),
    "QueryAppGroupList": Command(groups.query_app_group_list),
    "MuteGroup": Command(mutes.mute_group),
    "MuteGroupMembers": Command(mutes.mute_group_members),
    "FetchForbidGroupList": Command(mutes.fetch_forbid_group_list),
    "SetGroupMembersNickname": Command(members.set_group_members_nickname),
    "ModifyGroupAttribute": Command(groups.modify_group_attribute),
    "ModifyGroupLimit": Command(groups.modify_group_limit),
    "SendGroupMessage": Command(messages.send_group_message),
    "QueryGroupMsg": Command(messages.query_group_msg),
}
