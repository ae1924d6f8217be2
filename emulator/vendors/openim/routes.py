"""OpenIM's command table: the POST path -> Command, whose schema is the request message (with
its ``Check()``) that the body is decoded into."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.openim import groups, tokens_api, users
from emulator.vendors.openim import messages as m

COMMANDS: dict[str, Command] = {
    "/auth/get_admin_token": Command(tokens_api.get_admin_token, m.GET_ADMIN_TOKEN),
    "/auth/get_user_token": Command(tokens_api.get_user_token, m.GET_USER_TOKEN),
    "/auth/parse_token": Command(tokens_api.parse_token, m.PARSE_TOKEN),
    "/user/user_register": Command(users.user_register, m.USER_REGISTER),
    "/group/get_joined_group_list": Command(groups.get_joined_group_list,
                                            m.GET_JOINED_GROUP_LIST),
    "/group/create_group": Command(groups.create_group, m.CREATE_GROUP),
}
