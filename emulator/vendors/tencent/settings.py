"""Tencent's settings group (``tencent_*`` settings, ``--tencent-*`` flags)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.settings import setting


@dataclass(frozen=True)
class TencentSettings:
    """The SDKAppID, the UserSig key, the app admins, the rate limits, the import batch
    sizes, the online count's group types and the envelope's RequestId."""

    sdkappid: int = setting(1400000000, "Tencent SDKAppID", minimum=0, maximum=4294967295)
    key: str = setting("test-secret-key", "Tencent UserSig secret key")
    admin: str = setting("administrator", "Tencent app admin identifiers, comma separated")
    rate_limit: int = setting(200, "Tencent requests per second per SDKAppID per API", minimum=1)
    appid_group_list_rate_limit: int = setting(
        1, "Tencent get_appid_group_list requests per second per SDKAppID (the current docs say "
           "1; older docs 100)", minimum=1)
    import_member_limit: int = setting(
        300, "Tencent import_group_member: most members per call (the current pages say 300; "
             "other versions 100 and 20)", minimum=1)
    import_msg_limit: int = setting(
        7, "Tencent import_group_msg: most messages per call (the current pages say 7; the "
           "2020 page 20)", minimum=1)
    online_status_groups: bool = setting(
        True, "Tencent get_online_member_num answers in every group type, as for an app whose "
              "plan has the group member online status feature on (off: AVChatRoom only, "
              "others 10007)")
    request_id: bool = setting(
        False, "Tencent: add a RequestId (Id-<32 hex>-O-Seq-<n>) to every answer's envelope, "
               "errors too, as the newer REST pages on the same gateway show (the Chat group "
               "pages' samples and the official SDK models have none)")

    @property
    def admins(self) -> tuple[str, ...]:
        """The app admin identifiers."""
        return tuple(part.strip() for part in self.admin.split(",") if part.strip())
