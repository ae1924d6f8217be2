"""The shared group store: canonical model, SQLite schema, fixtures, the GroupStore and its
group message log."""

from emulator.store.errors import (GroupDismissed, GroupExists, GroupFull, GroupNotFound, IsOwner,
                                   JoinRequestNotFound, MessageNotFound, NotMember, StoreError,
                                   UserExists)
from emulator.store.fixtures import FixtureData, FixtureError, load_fixture_file, parse_fixture
from emulator.store.groupstore import GroupStore, check_file, open_template
from emulator.store.models import (Change, Group, GroupLookup, GroupPage, JoinedGroup, JoinedPage,
                                   JoinedQuery, JoinRequest, JoinRequestPage, MemberPage,
                                   Membership, Message, Snapshot, User, muted)

__all__ = [
    "Change", "FixtureData", "FixtureError", "Group", "GroupDismissed", "GroupExists", "GroupFull",
    "GroupLookup", "GroupNotFound", "GroupPage", "GroupStore", "IsOwner", "JoinedGroup",
    "JoinedPage", "JoinedQuery", "JoinRequest", "JoinRequestNotFound", "JoinRequestPage",
    "MemberPage", "Membership", "Message", "MessageNotFound",
    "NotMember", "Snapshot", "StoreError", "User", "UserExists", "check_file",
    "load_fixture_file", "muted", "open_template", "parse_fixture",
]
