"""Fault injection: rules that make matching vendor requests fail on purpose.

A rule matches by vendor and optionally endpoint (the name the vendor routes on), app and user. It fires
for the next N matching calls (``times``), or for each with a seeded ``probability``, or both.
Its effect is a vendor error code rendered in that vendor's own envelope and HTTP status, or a
transport fault: a delay, a bare HTTP 502/503, or a dropped connection.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from emulator.call import CallInfo

EFFECTS = ("error", "delay", "status", "drop")
RULE_KEYS = {"vendor", "endpoint", "app", "user", "times", "probability", "seed", "error",
             "delay_ms", "status", "drop"}


class FaultSpecError(ValueError):
    """A fault rule that cannot be used; the message says why."""


@dataclass
class FaultRule:
    """One rule and how often it has fired."""

    id: int
    vendor: str
    effect: str
    endpoint: str | None = None
    app: str | None = None
    user: str | None = None
    times: int | None = None
    probability: float = 1.0
    seed: int | None = None
    code: int | None = None
    delay_ms: int = 0
    status: int = 0
    fired: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, call: CallInfo) -> bool:
        """True when the rule applies to this call (ignoring its firing budget)."""
        return (self.vendor == call.vendor
                and self.endpoint in (None, call.endpoint, call.path)
                and self.app in (None, call.app)
                and self.user in (None, call.user))

    def exhausted(self) -> bool:
        """True once the rule has fired ``times`` times."""
        return self.times is not None and self.fired >= self.times

    def draw(self) -> bool:
        """Whether the rule fires this time (its seeded probability)."""
        return self.probability >= 1.0 or self._random.random() < self.probability

    def as_json(self) -> dict[str, Any]:
        """The rule as the admin API shows it."""
        effect: dict[str, Any]
        if self.effect == "error":
            effect = {"error": {"code": self.code}}
        elif self.effect == "delay":
            effect = {"delay_ms": self.delay_ms}
        elif self.effect == "status":
            effect = {"status": self.status}
        else:
            effect = {"drop": True}
        return {"id": self.id, "vendor": self.vendor, "endpoint": self.endpoint, "app": self.app,
                "user": self.user, "times": self.times, "probability": self.probability,
                "seed": self.seed, **effect, "fired": self.fired}


class InjectedFault(Exception):
    """Raised by the gate when a rule fires with an error, status or drop effect."""

    def __init__(self, rule: FaultRule) -> None:
        super().__init__(f"fault rule {rule.id} fired")
        self.rule = rule


MAX_MATCH_LENGTH = 1024


def _optional_string(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise FaultSpecError(f"{key} must be a non-empty string")
    if len(value) > MAX_MATCH_LENGTH:
        raise FaultSpecError(f"{key} must be at most {MAX_MATCH_LENGTH} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FaultSpecError(f"{key} must be valid Unicode text (it has a lone surrogate)") from None
    return value


def _integer(value: Any, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FaultSpecError(f"{key} must be an integer from {low} to {high}")
    return value


def parse_rule(body: Any, rule_id: int, vendors: Collection[str]) -> FaultRule:
    """A rule from its JSON description, for one of ``vendors``; raises FaultSpecError."""
    if not isinstance(body, dict):
        raise FaultSpecError("a fault rule must be a JSON object")
    unknown = set(body) - RULE_KEYS
    if unknown:
        raise FaultSpecError(f"unknown key(s): {', '.join(sorted(unknown))}")
    vendor = body.get("vendor")
    if vendor not in vendors:
        raise FaultSpecError(f"vendor must be one of {', '.join(vendors)}")
    effects = [key for key in ("error", "delay_ms", "status", "drop") if key in body]
    if len(effects) != 1:
        raise FaultSpecError("give exactly one effect: error, delay_ms, status or drop")
    rule = FaultRule(id=rule_id, vendor=vendor, effect="",
                     endpoint=_optional_string(body, "endpoint"),
                     app=_optional_string(body, "app"), user=_optional_string(body, "user"))
    if body.get("times") is not None:
        rule.times = _integer(body["times"], "times", 1, 1_000_000_000)
    probability = body.get("probability", 1.0)
    if isinstance(probability, bool) or not isinstance(probability, (int, float)) or not (
            0.0 <= probability <= 1.0):
        raise FaultSpecError("probability must be a number from 0 to 1")
    rule.probability = float(probability)
    if body.get("seed") is not None:
        rule.seed = _integer(body["seed"], "seed", 0, 2**63 - 1)
    rule._random = random.Random(rule.seed)
    effect = effects[0]
    if effect == "error":
        error = body["error"]
        if not isinstance(error, dict) or set(error) != {"code"}:
            raise FaultSpecError('error must be {"code": VENDOR_CODE}')
        rule.effect, rule.code = "error", _integer(error["code"], "error.code", -2**31, 2**40)
    elif effect == "delay_ms":
        rule.effect, rule.delay_ms = "delay", _integer(body["delay_ms"], "delay_ms", 0, 600_000)
    elif effect == "status":
        if body["status"] not in (502, 503):
            raise FaultSpecError("status must be 502 or 503")
        rule.effect, rule.status = "status", body["status"]
    else:
        if body["drop"] is not True:
            raise FaultSpecError("drop must be true")
        rule.effect = "drop"
    return rule


class Faults:
    """The active fault rules, in the order they were added, for the vendors named."""

    def __init__(self, vendors: Collection[str]) -> None:
        self.vendors = tuple(vendors)
        self._rules: list[FaultRule] = []
        self._next_id = 1

    def add(self, body: Any) -> FaultRule:
        """Add a rule from its JSON description; raises FaultSpecError."""
        rule = parse_rule(body, self._next_id, self.vendors)
        self._next_id += 1
        self._rules.append(rule)
        return rule

    def rules(self) -> list[FaultRule]:
        """The active rules."""
        return list(self._rules)

    def remove(self, rule_id: int) -> bool:
        """Remove one rule; False when there is no such rule."""
        before = len(self._rules)
        self._rules = [rule for rule in self._rules if rule.id != rule_id]
        return len(self._rules) != before

    def clear(self) -> None:
        """Remove every rule."""
        self._rules.clear()

    def fire(self, call: CallInfo) -> FaultRule | None:
        """The first rule that fires for this call, counting it; None when none does."""
        for rule in self._rules:
            if rule.matches(call) and not rule.exhausted() and rule.draw():
                rule.fired += 1
                return rule
        return None
