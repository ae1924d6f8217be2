"""What the admin tests compare: everything an admin request may change."""

from __future__ import annotations

from typing import Any

JSON = {"Content-Type": "application/json"}


async def snapshot(client: Any) -> dict[str, Any]:
    """The store, the clock and the fault rules, as the admin API shows them (the clock must
    be frozen for two snapshots to compare)."""
    state = await client.get("/_emulator/state")
    clock = await client.get("/_emulator/clock")
    faults = await client.get("/_emulator/faults")
    assert (state.status_code, clock.status_code, faults.status_code) == (200, 200, 200)
    return {"state": state.json(), "clock": clock.json(), "faults": faults.json()}
