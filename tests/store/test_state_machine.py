"""Any sequence of group-management operations and message appends keeps the store's
invariants (one owner per live group, ``member_count`` equal to the member rows, each group's
message seqs dense, mute expiry following the clock, a dismissed group taking no writes), and
the store's answers equal those of a plain in-memory model."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from emulator.store import (Group, GroupDismissed, GroupExists, GroupNotFound, GroupStore,
                            IsOwner, Membership, NotMember, User, muted)

USERS = [f"u{i}" for i in range(6)]
GHOST = "ghost"  # never registered
GROUP_IDS = ["g0", "g1", "g2"]
ROLE_ORDER = {"owner": 0, "admin": 1, "member": 2}
PER_GROUP, TOTAL = 4, 9

users = st.sampled_from(USERS)
people = st.lists(st.sampled_from([*USERS, GHOST]), min_size=1, max_size=4)
group_ids = st.sampled_from(GROUP_IDS)


@dataclass
class ModelMember:
    role: str
    join: int
    mute_until: int = 0


@dataclass
class ModelGroup:
    owner: str
    status: str = "normal"
    members: dict[str, ModelMember] = field(default_factory=dict)
    info_seq: int = 0
    name: str = "G"
    attributes: dict[str, str] = field(default_factory=dict)
    mute_all: bool = False
    mute_all_until: int = 0
    next_seq: int = 1


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.store = GroupStore(messages_per_group=PER_GROUP, messages_total=TOTAL)
        self.run(self.store.open())
        self.run(self.store.add_users([User(u) for u in USERS]))
        self.now = 1_000_000
        self.groups: dict[str, ModelGroup] = {}
        self.log: list[tuple[str, int, str]] = []  # (group, seq, sender), append order

    def run(self, step: Any) -> Any:
        return self.loop.run_until_complete(step)

    def teardown(self) -> None:
        self.run(self.store.close())
        self.loop.close()

    def expect(self, step: Any, error: type[Exception] | None) -> Any:
        """Run a store step that must raise ``error`` (None: must succeed)."""
        try:
            result = self.run(step)
        except Exception as exc:  # noqa: BLE001 - compared with the model's answer
            assert error is not None and isinstance(exc, error), f"unexpected {exc!r}"
            return None
        assert error is None, f"expected {error.__name__}"
        return result

    def problem(self, group_id: str) -> type[Exception] | None:
        group = self.groups.get(group_id)
        if group is None:
            return GroupNotFound
        return GroupDismissed if group.status == "dismissed" else None

    # ---- rules --------------------------------------------------------------------------

    @rule(group_id=group_ids, owner=users)
    def create(self, group_id: str, owner: str) -> None:
        group = Group(group_id, "G", "work", owner, create_time_ms=self.now, next_msg_seq=1,
                      max_members=0)
        error = GroupExists if group_id in self.groups else None
        self.expect(self.store.create_group(group, [Membership(group_id, owner, "owner",
                                                               self.now)]), error)
        if error is None:
            self.groups[group_id] = ModelGroup(owner, members={owner: ModelMember("owner",
                                                                                  self.now)})

    @rule(group_id=group_ids, who=people, admin=st.booleans())
    def add(self, group_id: str, who: list[str], admin: bool) -> None:
        role = "admin" if admin else "member"
        members = [Membership(group_id, user_id, role, self.now) for user_id in who]
        got = self.expect(self.store.add_group_members(group_id, members), self.problem(group_id))
        if got is None:
            return
        group = self.groups[group_id]
        want: dict[str, str] = {}
        for user_id in who:
            if user_id in want:
                continue
            if user_id in group.members:
                want[user_id] = "already_member"
            elif user_id == GHOST:
                want[user_id] = "unknown_user"
            else:
                want[user_id] = "added"
                group.members[user_id] = ModelMember(role, self.now)
        assert got == want

    @rule(group_id=group_ids, who=people)
    def remove(self, group_id: str, who: list[str]) -> None:
        error = self.problem(group_id)
        if error is None and self.groups[group_id].owner in who:
            error = IsOwner
        got = self.expect(self.store.remove_group_members(group_id, who), error)
        if got is None:
            return
        group = self.groups[group_id]
        want = {}
        for user_id in dict.fromkeys(who):
            want[user_id] = "removed" if group.members.pop(user_id, None) else "not_member"
        assert got == want

    @rule(group_id=group_ids, user_id=users, admin=st.booleans())
    def set_role(self, group_id: str, user_id: str, admin: bool) -> None:
        error = self.problem(group_id)
        group = self.groups.get(group_id)
        if error is None and user_id not in group.members:  # type: ignore[union-attr]
            error = NotMember
        if error is None and group.owner == user_id:  # type: ignore[union-attr]
            error = IsOwner
        role = "admin" if admin else "member"
        got = self.expect(self.store.set_role(group_id, user_id, role), error)
        if error is None:
            assert got == group.members[user_id].role  # type: ignore[union-attr]
            group.members[user_id].role = role  # type: ignore[union-attr]

    @rule(group_id=group_ids, user_id=users, leaves=st.booleans())
    def transfer(self, group_id: str, user_id: str, leaves: bool) -> None:
        error = self.problem(group_id)
        group = self.groups.get(group_id)
        if error is None and user_id not in group.members:  # type: ignore[union-attr]
            error = NotMember
        got = self.expect(self.store.transfer_owner(group_id, user_id, now_ms=self.now,
                                                    old_owner_leaves=leaves), error)
        if error is not None:
            return
        assert group is not None
        if user_id != group.owner:
            group.members[user_id].role = "owner"
            if leaves:
                del group.members[group.owner]
            else:
                group.members[group.owner].role = "member"
            group.owner = user_id
            group.info_seq += 1
        assert got.owner == group.owner and got.info_seq == group.info_seq

    @rule(group_id=group_ids, name=st.sampled_from(["G", "H"]))
    def rename(self, group_id: str, name: str) -> None:
        got = self.expect(self.store.update_group_info(group_id, now_ms=self.now, name=name),
                          self.problem(group_id))
        if got is not None:
            group = self.groups[group_id]
            if group.name != name:
                group.name = name
                group.info_seq += 1
            assert (got.name, got.info_seq) == (group.name, group.info_seq)

    @rule(group_id=group_ids, key=st.sampled_from("ab"), value=st.sampled_from("xy"),
          delete=st.booleans())
    def attribute(self, group_id: str, key: str, value: str, delete: bool) -> None:
        if delete:
            got = self.expect(self.store.delete_attributes(group_id, [key], now_ms=self.now),
                              self.problem(group_id))
            if got is not None:
                group = self.groups[group_id]
                assert got == ([key] if key in group.attributes else [])
                if group.attributes.pop(key, None) is not None:
                    group.info_seq += 1
        else:
            got = self.expect(self.store.set_attributes(group_id, {key: value}, now_ms=self.now),
                              self.problem(group_id))
            if got is not None:
                group = self.groups[group_id]
                group.attributes[key] = value
                group.info_seq += 1
                assert got == dict(sorted(group.attributes.items()))

    @rule(group_id=group_ids, who=people, seconds=st.integers(-5, 30))
    def mute(self, group_id: str, who: list[str], seconds: int) -> None:
        until = self.now + seconds * 1000
        got = self.expect(self.store.mute_members(group_id, who, until, now_ms=self.now),
                          self.problem(group_id))
        if got is not None:
            group = self.groups[group_id]
            for user_id in dict.fromkeys(who):
                if user_id in group.members:
                    group.members[user_id].mute_until = until if until > self.now else 0
                    assert got[user_id] == ("muted" if until > self.now else "unmuted")
                else:
                    assert got[user_id] == "not_member"

    @rule(group_id=group_ids, on=st.booleans(), seconds=st.integers(0, 30))
    def mute_everyone(self, group_id: str, on: bool, seconds: int) -> None:
        until = self.now + seconds * 1000 if seconds else 0
        got = self.expect(self.store.mute_all(group_id, on, now_ms=self.now, until_ms=until),
                          self.problem(group_id))
        if got is not None:
            group = self.groups[group_id]
            group.mute_all, group.mute_all_until = on, until if on else 0
            group.info_seq += 1
            assert got.info_seq == group.info_seq

    @rule(group_id=group_ids, keep=st.booleans())
    def dismiss(self, group_id: str, keep: bool) -> None:
        got = self.expect(self.store.dismiss_group(group_id, now_ms=self.now, keep_members=keep),
                          self.problem(group_id))
        if got is not None:
            group = self.groups[group_id]
            group.status = "dismissed"
            group.info_seq += 1
            if not keep:
                group.members.clear()
            assert got.dismissed_at_ms == self.now

    @rule(group_id=group_ids, sender=users)
    def send(self, group_id: str, sender: str) -> None:
        got = self.expect(self.store.append_message(
            group_id, sender=sender, vendor="v", type="text", body={"t": sender},
            now_ms=self.now), self.problem(group_id))
        if got is None:
            return
        group = self.groups[group_id]
        message, new = got
        assert new and message.seq == group.next_seq and message.body == {"t": sender}
        self.log.append((group_id, group.next_seq, sender))
        group.next_seq += 1
        mine = [entry for entry in self.log if entry[0] == group_id]
        if len(mine) > PER_GROUP:
            self.log.remove(mine[0])
        if len(self.log) > TOTAL:
            del self.log[0]

    @rule(seconds=st.integers(1, 20))
    def tick(self, seconds: int) -> None:
        self.now += seconds * 1000

    @precondition(lambda self: self.log)
    @rule()
    def clear_log(self) -> None:
        assert self.run(self.store.clear_messages()) == len(self.log)
        self.log.clear()

    # ---- invariants and answers ---------------------------------------------------------

    @invariant()
    def store_matches_model(self) -> None:
        snapshot = self.run(self.store.snapshot())
        rows: dict[str, list[Membership]] = {}
        for member in snapshot.memberships:
            rows.setdefault(member.group_id, []).append(member)
        assert {g.id for g in snapshot.groups} == set(self.groups)
        for stored in snapshot.groups:
            group = self.groups[stored.id]
            members = rows.get(stored.id, [])
            assert stored.member_count == len(members) == len(group.members)
            owners = [m.user_id for m in members if m.role == "owner"]
            if stored.status != "dismissed":
                assert owners == [stored.owner]
            assert (stored.owner, stored.status, stored.info_seq, stored.name) == (
                group.owner, group.status, group.info_seq, group.name)
            assert stored.next_msg_seq == group.next_seq
            assert snapshot.attributes.get(stored.id, {}) == group.attributes
            assert stored.mute_all_active(self.now) == (
                group.mute_all and (group.mute_all_until == 0 or self.now < group.mute_all_until))
            for member in members:
                model = group.members[member.user_id]
                assert (member.role, member.join_time_ms) == (model.role, model.join)
                assert member.muted(self.now) == (model.mute_until > self.now)
                assert muted(stored, member, self.now) == (
                    model.mute_until > self.now
                    or (member.role == "member" and stored.mute_all_active(self.now)))
            # the member page, one row at a time with the cursor, in both orders
            for order in ("role", "join"):
                want = sorted(group.members.items(), key=lambda item: (
                    (ROLE_ORDER[item[1].role],) if order == "role" else ()) + (
                    item[1].join, item[0]))
                listed, after = [], None
                while True:
                    page = self.run(self.store.member_page(stored.id, order=order, after=after,
                                                           limit=2))
                    assert page.total == len(group.members)
                    listed += [m.user_id for m in page.rows]
                    after = page.next
                    if after is None:
                        break
                assert listed == [user_id for user_id, _ in want]
            assert self.run(self.store.roles_in("u0", [stored.id, "nope"])) == {
                stored.id: group.members["u0"].role if "u0" in group.members else None,
                "nope": None}
        # the log: dense seqs per group, ending at the group's newest; equal to the model's
        log = self.run(self.store.message_log())
        assert [(m.group_id, m.seq, m.sender) for m in log] == self.log
        for group_id, group in self.groups.items():
            seqs = [m.seq for m in log if m.group_id == group_id]
            if seqs:
                assert seqs == list(range(seqs[0], group.next_seq))
            newest = self.run(self.store.history(group_id, limit=2))
            assert [m.seq for m in newest] == seqs[::-1][:2]

    @invariant()
    def every_group_once(self) -> None:
        listed, after = [], 0
        while True:
            page = self.run(self.store.group_page(after=after, limit=2))
            listed += [g.id for g in page.groups]
            after = page.next
            if not after:
                break
        assert sorted(listed) == sorted(self.groups) and len(listed) == len(set(listed))


# A third of the profile's examples (each runs up to 30 steps): about 120 under the default
# profile, more under ``make fuzz``.
StoreMachine.TestCase.settings = settings(max_examples=max(100, settings().max_examples // 3),
                                          stateful_step_count=30, deadline=None)
TestStoreMachine = StoreMachine.TestCase
