"""RongCloud's names for the canonical model.

RongCloud keeps only memberships and a group name: a group it creates is a canonical ``work``
group owned by the first userId of the call (role ``owner``; everyone else ``member``); a
dismissed group is invisible to it. On the wire a group is ``{"name", "id"}`` and a member
``{"id"}``.
"""

from __future__ import annotations

from emulator.store.models import Group

GROUP_TYPE = "work"
OWNER_ROLE = "owner"
MEMBER_ROLE = "member"


def visible(group: Group | None) -> Group | None:
    """The group unless it is absent or dismissed (RongCloud never sees a dismissed group)."""
    return group if group is not None and group.status != "dismissed" else None

