"""RongCloud's settings group (``rongcloud_*`` settings, ``--rongcloud-*`` flags)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings import setting


@dataclass(frozen=True)
class RongCloudSettings:
    """The App-Key and secret, the opt-in strict signature checks and the rate limit."""

    app_key: str = setting("test-app-key", "RongCloud App-Key")
    app_secret: str = setting("test-app-secret", "RongCloud App Secret")
    timestamp_window: int = setting(0, "RongCloud strict mode: reject Timestamps further than "
                                       "this many seconds from now; 0 = off", minimum=0)
    nonce_replay: bool = setting(False, "RongCloud strict mode: reject a reused Nonce")
    rate_limit: int = setting(100, "RongCloud requests per second per App-Key per endpoint",
                              minimum=1)
    max_body_bytes: int = setting(102_400, "largest request body RongCloud takes (documented "
                                           "as 100 KB; 1508 past it)", minimum=1)
