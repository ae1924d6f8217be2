"""Each main view with some traffic in it, as docs/inspector.md shows them: the screenshots land
in the artefacts folder as ``view-*.png`` (copy them to ``docs/inspector/`` to refresh the docs)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.ui.conftest import ARTIFACTS, Emulator, assert_no_horizontal_scroll
from tests.ui.test_inspector import joined_groups


def test_every_main_view_with_traffic(page: Any, emulator: Emulator) -> None:
    emulator.admin.post("/_emulator/seed", json={
        "users": [{"id": "quinn", "name": "Quinn"}],
        "groups": [{"id": "g-hiking-trips", "name": "Hiking trips", "type": "public", "owner": "quinn",
                    "attributes": {"season": "summer", "difficulty": "moderate"}}],
        "messages": [{"group": "g-hiking-trips", "sender": "quinn", "body": {"text": "Saturday at 8?"}},
                     {"group": "g-hiking-trips", "sender": "quinn", "type": "custom",
                      "body": {"kind": "poll", "options": ["Sat", "Sun"]}}],
    }).raise_for_status()
    emulator.admin.post("/_emulator/faults", json={
        "vendor": "openim", "endpoint": "/group/get_joined_group_list", "user": "bob",
        "times": 2, "error": {"code": 1001}}).raise_for_status()
    emulator.admin.post("/_emulator/faults", json={
        "vendor": "tencent", "probability": 0.1, "seed": 7, "status": 503}).raise_for_status()
    for user in ("alice", "bob", "carol", "bob", "dave"):
        joined_groups(emulator, user)

    shots = [("overview", "#/overview", "#count-users"), ("groups", "#/groups", "tbody tr"),
             ("group", "#/group/g-hiking", "#group-name"), ("users", "#/users", "tbody tr"),
             ("journal", "#/journal", "tbody tr"), ("faults", "#/faults", "tbody tr")]
    page.goto(emulator.ui)
    for name, hash_, ready in shots:
        page.goto(f"{emulator.url}/_emulator/ui{hash_}")
        expect(page.locator(ready).first).to_be_visible()
        expect(page.locator("#status")).to_have_text("Connected")
        if name == "journal":
            page.locator("tbody tr", has_text="1001").first.click()
            expect(page.locator("#journal-details")).to_contain_text("fault rule")
        assert_no_horizontal_scroll(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"view-{name}.png"))
