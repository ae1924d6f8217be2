"""The canonical model in ZEGO's terms: the type and join mode of a group created through ZEGO,
the roles its members get, and the group fields QueryGroupsInfoOfUser lists."""

from __future__ import annotations

from typing import Any

from emulator.store.models import Group

# ZIM has one kind of group; it is stored as ``public`` with ZIM's default join mode.
GROUP_TYPE = "public"
JOIN_OPTION = "FreeAccess"
OWNER_ROLE = "owner"
MEMBER_ROLE = "member"

# The store's group fields that ``group_info`` reads.
GROUP_INFO_COLUMNS = frozenset({"name", "face_url"})


def group_info(group: Group) -> dict[str, Any]:
    """One ``GroupInfoList`` item of QueryGroupsInfoOfUser."""
    return {"GroupId": group.id, "GroupName": group.name, "GroupAvatar": group.face_url}
