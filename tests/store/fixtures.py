"""Fixture objects that several store test modules read."""

from __future__ import annotations

from typing import Any

# Four users; ann is a member of every group: two of the same name, a dismissed one and one
# that is not activated, with join times out of creation order.
SMALL: dict[str, Any] = {
    "users": [{"id": u} for u in ("ann", "ben", "cat", "dan")],
    "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ann", "createTime": 300,
         "members": [{"id": "ben", "joinTime": 30}]},
        {"id": "g2", "name": "Alpha", "type": "public", "owner": "ben", "createTime": 200,
         "members": [{"id": "ann", "joinTime": 10}]},
        {"id": "g3", "name": "Alpha", "type": "avchatroom", "owner": "cat", "createTime": 100,
         "members": [{"id": "ann", "joinTime": 20}]},
        {"id": "g4", "name": "Zulu", "type": "work", "owner": "cat", "status": "dismissed",
         "members": [{"id": "ann", "joinTime": 5}]},
        {"id": "g5", "name": "Echo", "type": "work", "owner": "dan", "activated": False,
         "members": [{"id": "ann", "joinTime": 40}]},
    ],
}

# Three users in four groups, one dismissed and one not activated: the copies of group columns
# on memberships, and a store file, are checked against it.
THREE_USERS: dict[str, Any] = {
    "users": [{"id": u} for u in ("ann", "ben", "cat")],
    "groups": [
        {"id": "g1", "name": "One", "type": "work", "owner": "ann", "members": ["ben"]},
        {"id": "g2", "name": "Two", "type": "public", "owner": "ben", "members": ["ann"]},
        {"id": "g3", "name": "Three", "type": "work", "owner": "cat", "status": "dismissed",
         "members": ["ann"]},
        {"id": "g4", "name": "Four", "type": "work", "owner": "cat", "activated": False,
         "members": ["ann", "ben"]},
    ],
}
