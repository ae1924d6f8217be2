"""The store's errors: each names what was refused; vendors map them to their own codes."""

from __future__ import annotations

from collections.abc import Sequence


class StoreError(Exception):
    """A store operation that cannot be done; vendors map it to their own codes."""


class UserExists(StoreError):
    """One or more users are already registered."""

    def __init__(self, user_ids: Sequence[str]) -> None:
        self.user_ids = list(user_ids)
        super().__init__(f"users already exist: {', '.join(self.user_ids)}")


class GroupExists(StoreError):
    """A group with that id exists (in any status)."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        super().__init__(f"group already exists: {group_id}")


class GroupNotFound(StoreError):
    """No group has that id."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        super().__init__(f"group not found: {group_id}")


class GroupDismissed(StoreError):
    """The group is dismissed: it takes no more writes."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        super().__init__(f"group is dismissed: {group_id}")


class NotMember(StoreError):
    """A user the operation needs as a member of the group is not one."""

    def __init__(self, group_id: str, user_id: str) -> None:
        self.group_id = group_id
        self.user_id = user_id
        super().__init__(f"user {user_id} is not a member of group {group_id}")


class IsOwner(StoreError):
    """The operation would leave the group without its owner (remove them, change their
    role): transfer the ownership first."""

    def __init__(self, group_id: str, user_id: str) -> None:
        self.group_id = group_id
        self.user_id = user_id
        super().__init__(f"user {user_id} owns group {group_id}")


class GroupFull(StoreError):
    """Adding the members would pass the group's ``max_members``."""

    def __init__(self, group_id: str, max_members: int) -> None:
        self.group_id = group_id
        self.max_members = max_members
        super().__init__(f"group {group_id} would have more than {max_members} members")


class MessageNotFound(StoreError):
    """No message of the group has that seq (never sent, or evicted)."""

    def __init__(self, group_id: str, seq: int) -> None:
        self.group_id = group_id
        self.seq = seq
        super().__init__(f"no message {seq} in group {group_id}")


class JoinRequestNotFound(StoreError):
    """The user has no request to join the group."""

    def __init__(self, group_id: str, user_id: str) -> None:
        self.group_id = group_id
        self.user_id = user_id
        super().__init__(f"user {user_id} has no request to join group {group_id}")
