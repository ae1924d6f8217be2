"""Settings: one frozen dataclass holding every knob of the emulator.

Each field carries a help text in its metadata. The command line (``emulator.cli``) builds one
flag per field from it, and one ``IM_EMULATOR_*`` environment variable per flag, so adding a
setting here is all it takes to expose it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FIXTURES = PROJECT_ROOT / "fixtures" / "default.json"


def _opt(default: Any, help: str, **extra: Any) -> Any:
    """A dataclass field with a default and the help text the CLI shows."""
    return field(default=default, metadata={"help": help, **extra})


@dataclass(frozen=True)
class Settings:
    """Everything the emulator can be told, with the documented defaults."""

    host: str = _opt("127.0.0.1", "address to bind")
    port: int = _opt(8000, "port to bind; 0 picks a free port", minimum=0, maximum=65535)
    db: Path | None = _opt(None, "SQLite file that keeps the store across restarts (WAL mode); "
                                 "in memory when not given")
    fixtures: Path = _opt(DEFAULT_FIXTURES, "fixture file seeded into a new store")
    reset: bool = _opt(False, "reseed an existing --db file from the fixtures on start")
    rate_limits: bool = _opt(True, "enforce the vendors' rate limits")
    openim_rate_limit: int = _opt(0, "OpenIM requests per second per endpoint; 0 = unlimited "
                                     "(the real server has no limit)", minimum=0)
    zego_rate_limit: int = _opt(20, "ZEGO requests per second per AppId per Action", minimum=1)
    rongcloud_rate_limit: int = _opt(100, "RongCloud requests per second per App-Key per endpoint",
                                     minimum=1)
    tencent_rate_limit: int = _opt(200, "Tencent requests per second per SDKAppID per API",
                                   minimum=1)
    access_log: bool = _opt(False, "print uvicorn's access log")
    explain: bool = _opt(True, "add an X-Emulator-Explain header to rejected credentials")
    journal_size: int = _opt(1000, "how many requests the request journal keeps", minimum=1)
    log_level: str = _opt("info", "log level", choices=("critical", "error", "warning", "info",
                                                        "debug"))
    openim_secret: str = _opt("openIM123", "OpenIM secret (get_admin_token, JWT key)")
    openim_admin: str = _opt("imAdmin", "OpenIM admin user ids, comma separated")
    openim_token_expire_days: int = _opt(90, "OpenIM token lifetime in days", minimum=1)
    zego_app_id: int = _opt(1234567890, "ZEGO AppId", minimum=0, maximum=4294967295)
    zego_server_secret: str = _opt("0123456789abcdef0123456789abcdef", "ZEGO ServerSecret")
    zego_unknown_app_code: int = _opt(100000010, "ZEGO Code for an unknown AppId "
                                                 "(unconfirmed: 100000010 or 100000011)")
    rongcloud_app_key: str = _opt("test-app-key", "RongCloud App-Key")
    rongcloud_app_secret: str = _opt("test-app-secret", "RongCloud App Secret")
    rongcloud_timestamp_window: int = _opt(0, "RongCloud strict mode: reject Timestamps further "
                                              "than this many seconds from now; 0 = off",
                                           minimum=0)
    rongcloud_nonce_replay: bool = _opt(False, "RongCloud strict mode: reject a reused Nonce")
    tencent_sdkappid: int = _opt(1400000000, "Tencent SDKAppID", minimum=0, maximum=4294967295)
    tencent_key: str = _opt("test-secret-key", "Tencent UserSig secret key")
    tencent_admin: str = _opt("administrator", "Tencent app admin identifiers, comma separated")

    @property
    def openim_admins(self) -> tuple[str, ...]:
        """The OpenIM admin user ids."""
        return tuple(part.strip() for part in self.openim_admin.split(",") if part.strip())

    @property
    def tencent_admins(self) -> tuple[str, ...]:
        """The Tencent app admin identifiers."""
        return tuple(part.strip() for part in self.tencent_admin.split(",") if part.strip())

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def setting_fields() -> tuple[dataclasses.Field[Any], ...]:
    """The fields of Settings, in declaration order."""
    return dataclasses.fields(Settings)
