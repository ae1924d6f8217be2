"""User endpoints: ``/user/getToken.json``, and registering the users other endpoints name.

Users a RongCloud call names that the store does not know are registered with an empty name, so
every vendor sees the same store.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from typing import Any

from emulator.services import Services
from emulator.store.groupstore import UserExists
from emulator.store.models import User
from emulator.vendors.rongcloud.errors import TOO_LONG, param_required, rc_error
from emulator.vendors.rongcloud.protocol import Ctx

MAX_ID_CHARS = 64
MAX_USER_NAME_CHARS = 64
MAX_PORTRAIT_BYTES = 1024

_TOKENS = itertools.count(1)


async def get_token(ctx: Ctx) -> dict[str, Any]:
    """``/user/getToken.json``: registers (or refreshes) a user and returns a token."""
    form, services = ctx.body, ctx.services
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    if "name" not in form:
        raise param_required("name")
    name = form.text("name", required=False, max_chars=MAX_USER_NAME_CHARS)
    portrait = form.text("portraitUri", required=False)
    if len(portrait.encode("utf-8")) > MAX_PORTRAIT_BYTES:
        raise rc_error(TOO_LONG, f"Length of paramer 'portraitUri' must be at most "
                             f"{MAX_PORTRAIT_BYTES} bytes.")
    existing = await services.store.get_user(user_id)
    if existing is None:
        user = User(user_id, name, portrait, "", services.clock.now_ms())
    else:
        user = User(user_id, name or existing.name, portrait or existing.face_url, existing.ex,
                    existing.created_at)
    await services.store.upsert_users([user])
    return {"code": 200, "userId": user_id,
            "token": _token(ctx.settings.app_key, user_id, services.clock.now_ms())}


def _token(app_key: str, user_id: str, now_ms: int) -> str:
    digest = hashlib.sha1(f"{app_key}\0{user_id}\0{now_ms}\0{next(_TOKENS)}".encode()).digest()
    return (base64.b64encode(digest).decode() + "@emulator.cn.rongnav.com;"
            "emulator.cn.rongcfg.com")


async def register_missing(services: Services, users: list[str]) -> None:
    """Register the users the store does not know, with an empty name."""
    for _ in range(3):
        missing = await services.store.missing_users(users)
        if not missing:
            return
        now_ms = services.clock.now_ms()
        try:
            await services.store.add_users([User(user_id, "", "", "", now_ms) for user_id in missing])
            return
        except UserExists:
            continue
