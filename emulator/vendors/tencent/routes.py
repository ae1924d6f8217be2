"""Tencent's command table: ``<service>/<command>`` (the path after ``/v4/``) -> Command."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.tencent import groups, members, users

COMMANDS: dict[str, Command] = {
    "group_open_http_svc/get_joined_group_list": Command(groups.get_joined_group_list),
    "group_open_http_svc/create_group": Command(groups.create_group),
    "group_open_http_svc/add_group_member": Command(members.add_group_member),
    "group_open_http_svc/destroy_group": Command(groups.destroy_group),
    "im_open_login_svc/account_import": Command(users.account_import),
}
