"""ZEGO's command table: the ``Action`` query parameter -> Command."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.zego import groups, members, users

COMMANDS: dict[str, Command] = {
    "QueryGroupsInfoOfUser": Command(groups.query_groups_info_of_user),
    "UserRegister": Command(users.user_register),
    "CreateGroup": Command(groups.create_group),
    "InviteUsersIntoGroup": Command(members.invite_users_into_group),
}
