"""User commands: ``im_open_login_svc/account_import``."""

from __future__ import annotations

from emulator.store.models import User
from emulator.vendors.tencent import errors
from emulator.vendors.tencent.body import Fields
from emulator.vendors.tencent.protocol import Ctx

MAX_USER_ID_BYTES = 32


async def account_import(ctx: Ctx) -> None:
    """Register one account (``UserID``, or the older ``Identifier``), or update its profile."""
    body = Fields(ctx.body.data, errors.ACCOUNT_BAD_PARAMETER)
    name = "UserID" if body.has("UserID") else "Identifier"
    user_id = body.account(name)
    ctx.call.user = user_id
    if len(user_id.encode("utf-8")) > MAX_USER_ID_BYTES:
        raise body.bad(name, f"is longer than {MAX_USER_ID_BYTES} bytes")
    nick = body.string("Nick", max_bytes=500)
    face_url = body.string("FaceUrl", max_bytes=500)
    store = ctx.services.store
    existing = await store.get_user(user_id)
    created_at = existing.created_at if existing else ctx.services.clock.now_ms()
    await store.upsert_users([User(user_id, nick, face_url, "", created_at)])
    return None
