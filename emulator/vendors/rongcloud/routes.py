"""RongCloud's command table: the request path (also the journal's endpoint name) -> Command.
Every endpoint answers any method; a ``.json`` path not listed here gets RongCloud's 404."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.rongcloud import groups, members, users

COMMANDS: dict[str, Command] = {
    "/user/group/query.json": Command(groups.user_groups),
    "/user/getToken.json": Command(users.get_token),
    "/group/create.json": Command(groups.create_group),
    "/group/join.json": Command(members.join_group),
    "/group/quit.json": Command(members.quit_group),
    "/group/dismiss.json": Command(groups.dismiss_group),
    "/group/user/query.json": Command(members.group_members),
}
