"""One store served by one event loop after another (as ``intercept()`` hands it from the
loop of one caller to the next): once ``renew_lock`` is called between them, writes that
contend for the lock on the new loop all commit."""

from __future__ import annotations

import asyncio

from emulator.store import GroupStore, User


async def contended_writes(store: GroupStore, tag: str) -> None:
    await asyncio.gather(*(store.add_users([User(f"{tag}-{n}")]) for n in range(4)))


def test_writes_contend_on_a_second_loop_after_renew_lock() -> None:
    store = GroupStore()

    async def first() -> None:
        await store.open()
        await contended_writes(store, "a")

    async def second() -> list[str | None]:
        try:
            await contended_writes(store, "b")
            found = [await store.get_user(f"{tag}-{n}") for tag in "ab" for n in range(4)]
            return [user.id if user else None for user in found]
        finally:
            await store.close()

    asyncio.run(first())
    store.renew_lock()
    assert asyncio.run(second()) == [f"{tag}-{n}" for tag in "ab" for n in range(4)]


def test_renew_lock_keeps_a_lock_a_write_holds() -> None:
    async def run() -> list[str]:
        store = GroupStore()
        await store.open()
        order: list[str] = []
        waiting = asyncio.Event()

        async def held() -> None:
            async with store.transaction():
                order.append("held")
                store.renew_lock()  # a write holds the lock: the next one still waits for it
                await waiting.wait()
                order.append("released")

        async def after() -> None:
            waiting.set()
            async with store.transaction():
                order.append("next")

        try:
            await asyncio.gather(held(), after())
        finally:
            await store.close()
        return order

    assert asyncio.run(run()) == ["held", "released", "next"]
