"""The inspector as a person sees it, in headless Chromium, with the admin token on.

Each test opens the page with ``#token=`` (or types the token), acts through the page's own
controls and checks the text on screen; vendor requests go straight to the emulator, as a
backend's would. The ``page`` fixture fails a test on any console error and saves a screenshot.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from emulator.signing import signer
from tests.ui.conftest import Emulator, assert_no_horizontal_scroll


def joined_groups(emulator: Emulator, user: str = "alice") -> httpx.Response:
    """One OpenIM request, as a backend would send it."""
    return httpx.post(f"{emulator.url}/group/get_joined_group_list", auth=signer("openim"),
                      json={"fromUserID": user, "pagination": {"pageNumber": 1, "showNumber": 5}},
                      timeout=10)


def open_view(page: Any, emulator: Emulator, view: str) -> None:
    page.goto(emulator.ui)
    expect(page.locator("#status")).to_have_text("Connected")
    if view != "overview":
        page.get_by_role("link", name=view.capitalize(), exact=True).click()
        expect(page.locator("h1")).to_contain_text(view.capitalize())
        expect(page.locator("#status")).to_have_text("Connected")


def test_without_the_token_the_page_asks_for_it(page: Any, emulator: Emulator) -> None:
    page.goto(f"{emulator.url}/_emulator/ui")
    expect(page.get_by_role("heading", name="Admin token needed")).to_be_visible()
    page.get_by_label("Admin token").fill(emulator.token)
    page.get_by_label("Admin token").press("Enter")
    expect(page.locator("#version")).not_to_be_empty()
    expect(page.locator("#status")).to_have_text("Connected")


def test_the_token_fragment_leaves_the_address_bar(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "overview")
    assert emulator.token not in page.url
    assert page.url.endswith("#/overview")


def test_overview_shows_version_health_and_counts(page: Any, emulator: Emulator) -> None:
    state = emulator.admin.get("/_emulator/state").json()
    version = emulator.admin.get("/_emulator/version").json()["version"]
    open_view(page, emulator, "overview")
    expect(page.locator("#version")).to_have_text(version)
    expect(page.locator("#health")).to_have_text("ok")
    expect(page.locator("#count-users")).to_have_text(str(len(state["users"])))
    expect(page.locator("#count-groups")).to_have_text(str(len(state["groups"])))
    expect(page.locator("#count-memberships")).to_have_text(str(len(state["memberships"])))
    expect(page.locator("#rate-limits")).to_have_text("on")
    assert_no_horizontal_scroll(page)


def test_the_clock_freezes_and_advances(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "overview")
    page.get_by_role("button", name="Freeze").click()
    expect(page.get_by_role("button", name="Unfreeze")).to_be_visible()
    frozen = emulator.admin.get("/_emulator/clock").json()
    assert frozen["frozen"] is True
    page.get_by_label("Seconds to advance").fill("3600")
    page.get_by_label("Seconds to advance").press("Enter")
    expect(page.locator("#clock-unix")).to_have_text(f"{frozen['now'] + 3600:.3f}")
    assert emulator.admin.get("/_emulator/clock").json()["now"] == frozen["now"] + 3600
    page.get_by_label("Time to set the clock to").fill("2030-01-01T00:00:00Z")
    page.get_by_role("button", name="Set", exact=True).click()
    expect(page.locator("#clock-now")).to_have_text("2030-01-01 00:00:00 UTC")


def test_rate_limits_turn_off_and_on(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "overview")
    page.get_by_role("button", name="Turn rate limits off").click()
    expect(page.locator("#rate-limits")).to_have_text("off")
    assert emulator.admin.get("/_emulator/rate-limits").json() == {"enabled": False}
    page.get_by_role("button", name="Turn rate limits on").click()
    expect(page.locator("#rate-limits")).to_have_text("on")


def test_reset_empties_what_a_test_seeded(page: Any, emulator: Emulator) -> None:
    emulator.admin.post("/_emulator/seed", json={
        "users": [{"id": "quinn", "name": "Quinn"}],
        "groups": [{"id": "g-seeded", "name": "Seeded group", "type": "public", "owner": "quinn"}],
        "messages": [{"group": "g-seeded", "sender": "quinn", "body": {"text": "hello"}}],
    }).raise_for_status()
    before = emulator.admin.get("/_emulator/overview").json()["counts"]
    open_view(page, emulator, "overview")
    expect(page.locator("#count-groups")).to_have_text(str(before["groups"]))
    expect(page.locator("#count-messages")).to_have_text("1")
    page.get_by_role("button", name="Reset…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert emulator.admin.get("/_emulator/overview").json()["counts"] == before
    page.get_by_role("button", name="Reset…").click()
    page.get_by_role("dialog").get_by_role("button", name="Reset").click()
    expect(page.locator("#status")).to_have_text(re.compile("Reset to the loaded fixtures|Connected"))
    expect(page.locator("#count-groups")).to_have_text(str(before["groups"] - 1))
    expect(page.locator("#count-messages")).to_have_text("0")
    groups = {group["id"] for group in emulator.admin.get("/_emulator/state").json()["groups"]}
    assert "g-seeded" not in groups and "g-hiking" in groups


def test_groups_are_searchable_and_paged(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "groups")
    total = len(emulator.admin.get("/_emulator/state").json()["groups"])
    expect(page.locator("#groups-count")).to_have_text(f"1–25 of {total}")
    page.get_by_role("button", name="Next ›").click()
    expect(page.locator("#groups-count")).to_have_text(f"26–50 of {total}")
    page.get_by_label("Search groups").fill("hiking")
    expect(page.locator("#groups-count")).to_have_text("1–1 of 1")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Hiking")
    expect(row).to_contain_text("alice")
    page.get_by_label("Search groups").fill("no-such-group-anywhere")
    expect(page.locator("td.empty")).to_contain_text("No groups match")
    assert_no_horizontal_scroll(page)


def test_a_group_page_shows_its_members_and_messages(page: Any, emulator: Emulator) -> None:
    emulator.admin.post("/_emulator/seed", json={
        "users": [{"id": "quinn"}],
        "groups": [{"id": "g-seeded", "name": "Seeded", "type": "public", "owner": "quinn",
                    "attributes": {"topic": "trails"}}],
        "messages": [{"group": "g-seeded", "sender": "quinn", "body": {"text": "first"}},
                     {"group": "g-seeded", "sender": "quinn", "body": {"text": "second"}}],
    }).raise_for_status()
    open_view(page, emulator, "groups")
    page.get_by_label("Search groups").fill("g-hiking")
    page.get_by_role("link", name="g-hiking").click()
    expect(page.locator("#group-name")).to_have_text("Hiking")
    members = page.locator("section[aria-labelledby=h-members] tbody tr")
    expect(members).to_have_count(5)
    expect(page.locator("tr[data-user=alice]")).to_contain_text("owner")
    expect(page.locator("tr[data-user=bob]")).to_contain_text("admin")
    for user in ("carol", "dave", "heavy"):
        expect(page.locator(f"tr[data-user={user}]")).to_contain_text("member")
    expect(page.get_by_text("No messages in this group's log.")).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.goto(f"{emulator.url}/_emulator/ui#/group/g-seeded")
    expect(page.locator("#group-name")).to_have_text("Seeded")
    expect(page.locator("section[aria-labelledby=h-attrs]")).to_contain_text("trails")
    rows = page.locator("section[aria-labelledby=h-messages] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("second")
    expect(rows.nth(1)).to_contain_text("first")


def test_users_are_searchable(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "users")
    page.get_by_label("Search users").fill("alice")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("alice")
    row.focus()
    row.press("Enter")
    expect(page.locator("h1")).to_have_text("Groups of alice")
    expect(page.locator("tbody")).to_contain_text("Hiking")


def test_a_vendor_request_appears_in_the_live_journal(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "journal")
    expect(page.locator("td.empty")).to_contain_text("No vendor requests yet")
    assert joined_groups(emulator).status_code == 200
    row = page.locator("tbody tr", has_text="/group/get_joined_group_list")
    expect(row).to_be_visible()
    expect(row).to_contain_text("alice")
    row.click()
    details = page.locator("#journal-details")
    expect(details).to_contain_text("POST")
    expect(details).to_contain_text("/group/get_joined_group_list")
    expect(details).to_contain_text("Vendor code0")
    page.get_by_label("Status").fill("404")
    page.get_by_label("Status").press("Enter")
    expect(page.locator("td.empty")).to_contain_text("No requests match")
    assert_no_horizontal_scroll(page)


def test_a_fault_added_through_the_form_fires(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "faults")
    expect(page.locator("td.empty")).to_contain_text("No fault rules")
    page.get_by_label("Vendor", exact=True).select_option("openim")
    page.get_by_label("Endpoint (or path)").fill("/group/get_joined_group_list")
    page.get_by_label("User").fill("alice")
    page.get_by_label("Times").fill("1")
    page.get_by_label("Effect", exact=True).select_option("error")
    page.get_by_label("Code").fill("1001")
    page.get_by_label("Code").press("Enter")
    rule = page.locator("tbody tr").first
    expect(rule).to_contain_text("error code 1001")
    expect(rule.locator("td.fired")).to_have_text("0")

    answer = joined_groups(emulator)
    assert answer.json()["errCode"] == 1001
    expect(rule.locator("td.fired")).to_have_text("1")
    assert joined_groups(emulator).json()["errCode"] == 0  # once only

    page.get_by_role("link", name="Journal").click()
    failed = page.locator("tbody tr", has_text="1001")
    expect(failed).to_be_visible()
    failed.click()
    expect(page.locator("#journal-details")).to_contain_text("fault rule")

    page.get_by_role("link", name="Faults").click()
    page.get_by_role("button", name=re.compile("Remove rule")).click()
    expect(page.locator("td.empty")).to_contain_text("No fault rules")
    assert emulator.admin.get("/_emulator/faults").json() == {"faults": []}


def test_a_bad_fault_shows_the_reason_in_the_form(page: Any, emulator: Emulator) -> None:
    open_view(page, emulator, "faults")
    page.get_by_label("Effect", exact=True).select_option("status")
    page.get_by_label("Status", exact=True).fill("500")
    page.get_by_role("button", name="Add rule").click()
    # The admin API's 400 is shown in the form; the browser logs the failed request itself.
    expect(page.locator("#fault-error")).to_have_text("status must be 502 or 503")
    page.problems[:] = [p for p in page.problems if "400" not in p]
