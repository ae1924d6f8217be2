"""OpenIM's settings group (``openim_*`` settings, ``--openim-*`` flags)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings import setting


@dataclass(frozen=True)
class OpenIMSettings:
    """The secret, the admin user ids, the token lifetime and the optional rate limit."""

    rate_limit: int = setting(0, "OpenIM requests per second per endpoint; 0 = unlimited "
                                 "(the real server has no limit)", minimum=0)
    secret: str = setting("openIM123", "OpenIM secret (get_admin_token, JWT key)")
    admin: str = setting("imAdmin", "OpenIM admin user ids, comma separated")
    token_expire_days: int = setting(90, "OpenIM token lifetime in days", minimum=1)

    @property
    def admins(self) -> tuple[str, ...]:
        """The OpenIM admin user ids."""
        return tuple(part.strip() for part in self.admin.split(",") if part.strip())
