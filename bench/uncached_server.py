"""``python -m bench.uncached_server <emulator CLI options>``: the emulator CLI with the store's
joined-groups cache bounded to one answer, so a client that rotates over two or more users
misses it on every request.

Used only for the 1k-membership store of P4 over HTTP: it has ten users, too few to defeat
the normal 4,096-answer bound by rotation alone. Everything else is the unchanged CLI.
"""

from emulator.cli import main
from emulator.store import groupstore

groupstore.JOINED_CACHE_SIZE = 1

raise SystemExit(main())
