"""im-emulator: an offline emulator of instant-messaging vendors' server REST APIs over one
shared group store (the vendors it serves are registered in ``emulator.vendors``).
"""

from emulator.app import create_app
from emulator.clock import ManualClock
from emulator.settings import Settings
from emulator.version import __version__

__all__ = ["ManualClock", "Settings", "__version__", "create_app"]
