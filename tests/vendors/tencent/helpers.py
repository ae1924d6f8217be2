"""What every Tencent test uses: the signed client (``tencent.post(command, body)`` sends
``POST /v4/<command>`` with a fresh admin UserSig made on the emulator's clock and returns the
parsed answer, HTTP 200 asserted: Tencent answers every request with 200) and the envelopes."""

from __future__ import annotations

from typing import Any

from emulator.vendors.tencent.client import tencent_usersig

SDKAPPID = 1400000000
KEY = "test-secret-key"
ADMIN = "administrator"


class TencentClient:
    """Posts signed Tencent commands to an in-process emulator."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator

    def query(self, identifier: str = ADMIN, **overrides: Any) -> dict[str, Any]:
        """The signed query string of one request (a None override leaves a parameter out)."""
        query = {"sdkappid": SDKAPPID, "identifier": identifier,
                 "usersig": tencent_usersig(SDKAPPID, KEY, identifier, 300,
                                            clock=self.emulator.clock),
                 "random": 99999999, "contenttype": "json"}
        query.update(overrides)
        return {name: value for name, value in query.items() if value is not None}

    async def post(self, command: str, body: Any) -> dict[str, Any]:
        """The answer to one signed command; ``body`` is JSON-encoded unless it is bytes."""
        if isinstance(body, bytes):
            response = await self.emulator.client.post(f"/v4/{command}", params=self.query(),
                                                       content=body)
        else:
            response = await self.emulator.client.post(f"/v4/{command}", params=self.query(),
                                                       json=body)
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result


OK = {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}


def fail(code: int, info: str) -> dict[str, Any]:
    """The FAIL envelope of a code and its ErrorInfo."""
    return {"ActionStatus": "FAIL", "ErrorInfo": info, "ErrorCode": code}
