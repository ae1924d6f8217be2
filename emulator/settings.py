"""Settings: the core's own knobs and one settings group per registered vendor.

The core's settings are the fields of ``CoreSettings``. Each vendor declares its own frozen
dataclass (``Vendor.settings``); its fields are known here by the vendor's name as a prefix:
a field ``app_id`` of a vendor named ``acme`` is ``Settings(acme_app_id=...)``,
``settings.acme_app_id``, the flag ``--acme-app-id`` and the variable ``IM_EMULATOR_ACME_APP_ID``. Every field carries its help
text (and bounds or choices) in its metadata, from which ``emulator.cli`` builds the flags, so
adding a field is all it takes to expose it.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from emulator import registry

DEFAULT_FIXTURES = Path(str(resources.files("emulator") / "data" / "default.json"))


def setting(default: Any, help: str, **extra: Any) -> Any:
    """A settings field with a default and the help text the CLI shows; ``minimum``,
    ``maximum`` and ``choices`` bound what the CLI accepts."""
    return field(default=default, metadata={"help": help, **extra})


@dataclass(frozen=True)
class CoreSettings:
    """The knobs every vendor shares."""

    host: str = setting("127.0.0.1", "address to bind")
    port: int = setting(8000, "port to bind; 0 picks a free port", minimum=0, maximum=65535)
    db: Path | None = setting(None, "SQLite file that keeps the store across restarts (WAL mode); "
                                    "in memory when not given")
    fixtures: Path = setting(DEFAULT_FIXTURES, "fixture file seeded into a new store")
    reset: bool = setting(False, "reseed an existing --db file from the fixtures on start")
    rate_limits: bool = setting(True, "enforce the vendors' rate limits")
    access_log: bool = setting(False, "print uvicorn's access log")
    explain: bool = setting(True, "add an X-Emulator-Explain header to rejected credentials")
    journal_size: int = setting(1000, "how many requests the request journal keeps", minimum=1)
    read_cache_size: int = setting(4096, "how many joined-groups answers the store keeps "
                                         "cached between writes; 0 = none", minimum=0)
    messages_per_group: int = setting(10_000, "how many messages the group message log keeps "
                                              "per group, oldest evicted first; 0 = no bound",
                                      minimum=0)
    messages_total: int = setting(200_000, "how many messages the group message log keeps in "
                                           "all, oldest evicted first; 0 = no bound", minimum=0)
    log_level: str = setting("info", "log level", choices=("critical", "error", "warning", "info",
                                                           "debug"))
    max_body_bytes: int = setting(
        1_048_576, "largest vendor request body in bytes, checked while it is read; a larger "
                   "one gets the vendor's answer for an over-size body (a vendor whose settings "
                   "have a lower max_body_bytes keeps it)", minimum=1)
    max_seed_body_bytes: int = setting(
        67_108_864, "largest body of /_emulator/seed and /_emulator/reset in bytes", minimum=1)
    admin_token: str = setting(
        "", "when set, every /_emulator/* request needs 'Authorization: Bearer TOKEN'")
    admin_hosts: str = setting(
        "", "more Host names /_emulator/* answers to, comma-separated (loopback names and "
            "addresses and the --host address always; '*' for any)")
    head_timeout: float = setting(
        10.0, "seconds a connection may take to send a complete request head before it is "
              "closed", minimum=0.01, maximum=3600.0)
    body_timeout: float = setting(
        30.0, "seconds a request may take to send its whole body before the connection is "
              "closed", minimum=0.01, maximum=3600.0)
    max_connections: int = setting(
        0, "open connections at most: a new one past it takes the place of the one idle "
           "longest, or gets a quick 503 when all are mid-request; 0 = the process's open-file "
           "limit less a reserve", minimum=0)


@dataclass(frozen=True)
class SettingField:
    """One setting as the command line sees it: its flat name (``acme_app_id``), type, default
    and metadata."""

    name: str
    kind: Any
    default: Any
    metadata: Mapping[str, Any]


CORE_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(CoreSettings))


class Settings(CoreSettings):
    """Everything the emulator can be told: the core's fields as attributes, and each
    vendor's settings group (``settings.vendor("acme")``), whose fields also read as
    ``settings.acme_app_id``. Unknown names are a TypeError, as for any dataclass."""

    _vendors: dict[str, Any]

    def __init__(self, **values: Any) -> None:
        core = {name: values.pop(name) for name in CORE_FIELDS if name in values}
        super().__init__(**core)
        groups: dict[str, Any] = {}
        for vendor in registry.vendors():
            prefix = f"{vendor.name}_"
            known = {f.name for f in dataclasses.fields(vendor.settings)}
            mine = {name[len(prefix):]: values.pop(name) for name in list(values)
                    if name.startswith(prefix) and name[len(prefix):] in known}
            groups[vendor.name] = vendor.settings(**mine)
        if values:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(values))}")
        object.__setattr__(self, "_vendors", groups)

    def __getattr__(self, name: str) -> Any:
        for vendor_name, group in self.__dict__.get("_vendors", {}).items():
            prefix = f"{vendor_name}_"
            if name.startswith(prefix) and hasattr(group, name[len(prefix):]):
                return getattr(group, name[len(prefix):])
        raise AttributeError(f"'Settings' has no setting '{name}'")

    def vendor(self, name: str) -> Any:
        """One vendor's settings group."""
        return self._vendors[name]

    def values(self) -> dict[str, Any]:
        """Every setting by its flat name."""
        flat = {name: getattr(self, name) for name in CORE_FIELDS}
        for vendor_name, group in self._vendors.items():
            for f in dataclasses.fields(group):
                flat[f"{vendor_name}_{f.name}"] = getattr(group, f.name)
        return flat

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return Settings(**{**self.values(), **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.values() == other.values()

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self.values().items())))

    def __repr__(self) -> str:
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in self.values().items()) + ")"


def setting_fields() -> Iterator[SettingField]:
    """Every setting, core first, then each vendor's in registry order."""
    hints = typing.get_type_hints(CoreSettings)
    for f in dataclasses.fields(CoreSettings):
        yield SettingField(f.name, hints[f.name], f.default, f.metadata)
    for vendor in registry.vendors():
        hints = typing.get_type_hints(vendor.settings)
        for f in dataclasses.fields(vendor.settings):
            yield SettingField(f"{vendor.name}_{f.name}", hints[f.name], f.default, f.metadata)

