"""The shared group store: canonical model, SQLite schema, fixtures and the GroupStore."""

from emulator.store.fixtures import FixtureData, FixtureError, load_fixture_file, parse_fixture
from emulator.store.groupstore import (GroupExists, GroupNotFound, GroupStore, StoreError,
                                       UserExists, check_file, open_template)
from emulator.store.models import (Group, JoinedGroup, JoinedPage, JoinedQuery, Membership,
                                   Snapshot, User)

__all__ = [
    "FixtureData", "FixtureError", "Group", "GroupExists", "GroupNotFound", "GroupStore",
    "JoinedGroup", "JoinedPage", "JoinedQuery", "Membership", "Snapshot", "StoreError", "User",
    "UserExists", "check_file", "load_fixture_file", "open_template", "parse_fixture",
]
