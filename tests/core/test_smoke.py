"""The in-process fixture serves the admin API on the default fixture."""

import pytest

pytestmark = pytest.mark.anyio


async def test_health_and_state(im_emulator) -> None:
    response = await im_emulator.client.get("/_emulator/health")
    assert response.status_code == 200
    assert response.headers["x-emulator-version"]
    state = (await im_emulator.client.get("/_emulator/state")).json()
    assert len(state["users"]) >= 40 and len(state["groups"]) >= 30
