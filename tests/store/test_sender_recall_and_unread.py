"""The store's ``recall_by_sender`` (a sender's messages among a group's newest N log entries
marked recalled, system notices never) and ``clear_unread`` (every member's unread count to 0)."""

from __future__ import annotations

import pytest

from emulator.store import GroupDismissed, GroupNotFound
from tests.store.conftest import StoreOf

pytestmark = pytest.mark.anyio
CLUB = {"users": [{"id": "ann"}, {"id": "ben"}, {"id": "cid"}],
        "groups": [{"id": "club", "name": "Club", "type": "work", "owner": "ann",
                    "members": [{"id": "ben", "unread": 3}, {"id": "cid", "unread": 1}]},
                   {"id": "gone", "name": "Gone", "type": "work", "owner": "ann",
                    "status": "dismissed"}]}


async def test_recall_by_sender_within_the_newest_entries(store_of: StoreOf) -> None:
    async with store_of(CLUB) as store:
        for index, sender in enumerate(["ben", "ann", "ben", "ben", "ann"]):
            await store.append_message("club", sender=sender, vendor="v", type="t",
                                       body={"n": index}, now_ms=1000 + index)
        await store.append_message("club", sender="ben", vendor="v", type="notice", body={},
                                   now_ms=2000, kind="system")
        assert await store.recall_by_sender("club", "ben", within_last=4) == [3, 4]
        assert await store.recall_by_sender("club", "ben", within_last=4) == []
        assert await store.recall_by_sender("club", "ben", within_last=100) == [1]
        log = await store.message_log(group="club")
        assert [(m.seq, m.recalled) for m in log] == [
            (1, True), (2, False), (3, True), (4, True), (5, False), (6, False)]
        assert await store.recall_by_sender("club", "nobody", within_last=100) == []


async def test_recall_by_sender_needs_a_live_group(store_of: StoreOf) -> None:
    async with store_of(CLUB) as store:
        with pytest.raises(GroupNotFound):
            await store.recall_by_sender("never", "ben", within_last=10)
        with pytest.raises(GroupDismissed):
            await store.recall_by_sender("gone", "ben", within_last=10)
        assert await store.recall_by_sender("club", "ben", within_last=10) == []


async def test_clear_unread(store_of: StoreOf) -> None:
    async with store_of(CLUB) as store:
        assert await store.clear_unread("club") == 2
        assert [m.unread for m in await store.members("club")] == [0, 0, 0]
        assert await store.clear_unread("club") == 0
        with pytest.raises(GroupDismissed):
            await store.clear_unread("gone")
