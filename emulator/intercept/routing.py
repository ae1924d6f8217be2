"""Which requests ``intercept()`` answers: each vendor's hosts (its documented ones from the
registry, plus any the caller names), matched on any port or on the one port given."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping

from emulator import registry
from emulator.app import IN_PROCESS_HOST

DEFAULT_PORTS = {"http": 80, "https": 443}


def default_hosts() -> dict[str, tuple[str, ...]]:
    """Each registered vendor's documented API hosts (``Vendor.hosts``)."""
    return {vendor.name: tuple(vendor.hosts) for vendor in registry.vendors()}


DEFAULT_HOSTS: Mapping[str, tuple[str, ...]] = default_hosts()


def split_host(entry: str) -> tuple[str, int | None]:
    """A host entry (``name``, ``name:port``, ``[v6]:port`` or a URL) as its lower-case name
    and its port (None: any port)."""
    entry = entry.strip().lower()
    if "://" in entry:
        entry = urllib.parse.urlsplit(entry).netloc
    if entry.startswith("["):
        name, _, rest = entry[1:].partition("]")
        return name, int(rest[1:]) if rest.startswith(":") else None
    if entry.count(":") == 1:
        name, port = entry.split(":")
        return name, int(port)
    return entry.rstrip("."), None


class Routes:
    """The hosts routed to the emulator, per vendor: the registered vendors' own (none with
    ``replace``) and those in ``hosts``; an unknown vendor name raises ValueError."""

    def __init__(self, hosts: Mapping[str, Iterable[str]] | None = None,
                 replace: bool = False) -> None:
        defaults = default_hosts() if set(DEFAULT_HOSTS) != set(registry.names()) else (
            DEFAULT_HOSTS)
        routes: dict[str, set[str]] = {name: set() if replace else set(listed)
                                       for name, listed in defaults.items()}
        for vendor, names in (hosts or {}).items():
            if vendor not in routes:
                raise ValueError(f"unknown vendor {vendor!r}; the vendors are {sorted(routes)}")
            if isinstance(names, str):
                names = [names]
            routes[vendor].update(names)
        self.hosts: dict[str, tuple[str, ...]] = {v: tuple(sorted(n)) for v, n in routes.items()}
        self._any_port: dict[str, str] = {}
        self._with_port: dict[tuple[str, int], str] = {}
        for vendor, names in self.hosts.items():
            for entry in names:
                name, port = split_host(entry)
                if port is None:
                    self._any_port[name] = vendor
                else:
                    self._with_port[(name, port)] = vendor

    def vendor_for(self, host: str | None, port: int | None, scheme: str) -> str | None:
        """The vendor whose host this is, else None; ``""`` for the in-process host, which the
        handle's own client (``emulator.client``) uses to reach the whole app, admin API
        included."""
        if not host:
            return None
        name = host.lower().rstrip(".")
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        if name == IN_PROCESS_HOST:
            return ""
        if self._with_port:
            found = self._with_port.get((name, port or DEFAULT_PORTS.get(scheme, 80)))
            if found is not None:
                return found
        return self._any_port.get(name)
