"""im-emulator: an offline emulator of instant-messaging vendors' server REST APIs over one
shared group store (the vendors it serves are registered in ``emulator.vendors``).
"""

from emulator.app import create_app
from emulator.clock import ManualClock
from emulator.settings import Settings
from emulator.version import __version__

__all__ = ["ManualClock", "Settings", "__version__", "create_app", "intercept"]


def __getattr__(name: str) -> object:
    # ``emulator.intercept()`` loads its hooks (and the pytest plugin's handle) on first use,
    # so ``import emulator`` stays light for the server.
    if name == "intercept":
        from emulator.intercept import intercept
        return intercept
    raise AttributeError(f"module 'emulator' has no attribute {name!r}")
