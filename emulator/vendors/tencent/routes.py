"""Tencent's command table: ``<service>/<command>`` (the path after ``/v4/``) -> Command."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.tencent import groups, members, messages, migration, users

G = "group_open_http_svc/"

COMMANDS: dict[str, Command] = {
    G + "get_joined_group_list": Command(groups.get_joined_group_list),
    G + "create_group": Command(groups.create_group),
    G + "add_group_member": Command(members.add_group_member),
    G + "destroy_group": Command(groups.destroy_group),
    G + "delete_group_member": Command(members.delete_group_member),
    G + "get_group_info": Command(groups.get_group_info),
    G + "get_appid_group_list": Command(groups.get_appid_group_list,
                                        rate_limit="appid_group_list_rate_limit"),
    G + "modify_group_base_info": Command(groups.modify_group_base_info),
    G + "change_group_owner": Command(groups.change_group_owner),
    G + "get_group_member_info": Command(members.get_group_member_info),
    G + "get_specified_group_member_info": Command(members.get_specified_group_member_info),
    G + "modify_group_member_info": Command(members.modify_group_member_info),
    G + "get_role_in_group": Command(members.get_role_in_group),
    G + "forbid_send_msg": Command(members.forbid_send_msg),
    G + "get_group_muted_account": Command(members.get_group_muted_account),
    G + "get_group_shutted_uin": Command(members.get_group_shutted_uin),
    G + "send_group_msg": Command(messages.send_group_msg),
    G + "group_msg_get_simple": Command(messages.group_msg_get_simple),
    G + "group_msg_recall": Command(messages.group_msg_recall),
    G + "send_group_system_notification": Command(messages.send_group_system_notification),
    G + "delete_group_msg_by_sender": Command(messages.delete_group_msg_by_sender),
    G + "get_online_member_num": Command(groups.get_online_member_num),
    G + "import_group": Command(groups.import_group),
    G + "import_group_member": Command(migration.import_group_member),
    G + "import_group_msg": Command(migration.import_group_msg),
    G + "set_unread_msg_num": Command(migration.set_unread_msg_num),
    "im_open_login_svc/account_import": Command(users.account_import),
}
