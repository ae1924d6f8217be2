"""OpenIM's command table: the POST path -> Command, whose schema is the request message (with
its ``Check()``) that the body is decoded into."""

from __future__ import annotations

from emulator.vendor import Command
from emulator.vendors.openim import (abstract, applications, batch, groups, members, msg,
                                     search, seqs, simple, statistics, sync, tokens_api,
                                     users)
from emulator.vendors.openim import messages as m

COMMANDS: dict[str, Command] = {
    "/auth/get_admin_token": Command(tokens_api.get_admin_token, m.GET_ADMIN_TOKEN),
    "/auth/get_user_token": Command(tokens_api.get_user_token, m.GET_USER_TOKEN),
    "/auth/parse_token": Command(tokens_api.parse_token, m.PARSE_TOKEN),
    "/auth/force_logout": Command(tokens_api.force_logout, m.FORCE_LOGOUT),
    "/user/user_register": Command(users.user_register, m.USER_REGISTER),
    "/group/get_joined_group_list": Command(groups.get_joined_group_list,
                                            m.GET_JOINED_GROUP_LIST),
    "/group/create_group": Command(groups.create_group, m.CREATE_GROUP),
    "/group/invite_user_to_group": Command(members.invite_user_to_group,
                                           m.INVITE_USER_TO_GROUP),
    "/group/get_groups_info": Command(groups.get_groups_info, m.GET_GROUPS_INFO),
    "/group/kick_group": Command(members.kick_group, m.KICK_GROUP),
    "/group/dismiss_group": Command(groups.dismiss_group, m.DISMISS_GROUP),
    "/group/get_group_member_list": Command(members.get_group_member_list,
                                            m.GET_GROUP_MEMBER_LIST),
    "/group/set_group_member_info": Command(members.set_group_member_info,
                                            m.SET_GROUP_MEMBER_INFO_REQ),
    "/group/get_group_members_info": Command(members.get_group_members_info,
                                             m.GET_GROUP_MEMBERS_INFO),
    "/group/set_group_info": Command(groups.set_group_info, m.SET_GROUP_INFO),
    "/group/set_group_info_ex": Command(groups.set_group_info_ex, m.SET_GROUP_INFO_EX),
    "/group/transfer_group": Command(groups.transfer_group, m.TRANSFER_GROUP),
    "/group/quit_group": Command(members.quit_group, m.QUIT_GROUP),
    "/group/mute_group_member": Command(members.mute_group_member, m.MUTE_GROUP_MEMBER),
    "/group/cancel_mute_group_member": Command(members.cancel_mute_group_member,
                                               m.CANCEL_MUTE_GROUP_MEMBER),
    "/group/mute_group": Command(groups.mute_group, m.MUTE_GROUP),
    "/group/cancel_mute_group": Command(groups.cancel_mute_group, m.CANCEL_MUTE_GROUP),
    "/group/get_group_member_user_id": Command(members.get_group_member_user_ids,
                                               m.GET_GROUP_MEMBER_USER_IDS),
    "/group/join_group": Command(members.join_group, m.JOIN_GROUP),
    "/group/get_groups": Command(groups.get_groups, m.GET_GROUPS),
    "/group/get_full_join_group_ids": Command(sync.get_full_join_group_ids,
                                              m.GET_FULL_JOIN_GROUP_IDS),
    "/group/get_full_group_member_user_ids": Command(sync.get_full_group_member_user_ids,
                                                     m.GET_FULL_GROUP_MEMBER_USER_IDS),
    "/group/get_incremental_join_groups": Command(sync.get_incremental_join_groups,
                                                  m.GET_INCREMENTAL_JOIN_GROUP),
    "/group/get_incremental_group_members": Command(sync.get_incremental_group_members,
                                                    m.INCREMENTAL_GROUP_MEMBER),
    "/group/get_incremental_group_members_batch": Command(
        sync.get_incremental_group_members_batch, m.GET_INCREMENTAL_GROUP_MEMBER_BATCH),
    "/group/get_recv_group_applicationList": Command(
        applications.get_recv_group_application_list, m.GET_RECV_GROUP_APPLICATIONS),
    "/group/get_user_req_group_applicationList": Command(
        applications.get_user_req_group_application_list, m.GET_USER_REQ_APPLICATIONS),
    "/group/group_application_response": Command(applications.group_application_response,
                                                 m.GROUP_APPLICATION_RESPONSE),
    "/group/get_group_users_req_application_list": Command(
        applications.get_group_users_req_application_list, m.GET_GROUP_USERS_REQ_APPLICATIONS),
    "/group/get_specified_user_group_request_info": Command(
        applications.get_specified_user_group_request_info,
        m.GET_SPECIFIED_USER_GROUP_REQUEST_INFO),
    "/group/get_group_application_unhandled_count": Command(
        applications.get_group_application_unhandled_count,
        m.GET_GROUP_APPLICATION_UNHANDLED_COUNT),
    "/group/get_group_abstract_info": Command(abstract.get_group_abstract_info,
                                              m.GET_GROUP_ABSTRACT_INFO),
    "/statistics/group/create": Command(statistics.group_create_count, m.GROUP_CREATE_COUNT),
    "/msg/send_msg": Command(msg.send_msg, m.SEND_MSG),
    "/msg/batch_send_msg": Command(batch.batch_send_msg, m.BATCH_SEND_MSG),
    "/msg/send_simple_msg": Command(simple.send_simple_msg, m.SEND_SINGLE_MSG),
    "/msg/pull_msg_by_seq": Command(msg.pull_msg_by_seq, m.PULL_MSG_BY_SEQ),
    "/msg/newest_seq": Command(msg.newest_seq, m.NEWEST_SEQ),
    "/msg/search_msg": Command(search.search_msg, m.SEARCH_MESSAGE),
    "/msg/get_conversations_has_read_and_max_seq": Command(
        seqs.get_conversations_has_read_and_max_seq, m.GET_CONVERSATIONS_HAS_READ_AND_MAX_SEQ),
}
