"""``python -m emulator``: the same as the ``im-emulator`` command."""

from emulator.cli import main

raise SystemExit(main())
