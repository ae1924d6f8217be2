"""im-emulator: an offline emulator of the OpenIM, ZEGOCLOUD ZIM, RongCloud and Tencent Cloud IM
server REST APIs over one shared group store.
"""

from emulator.app import create_app
from emulator.clock import ManualClock
from emulator.settings import Settings
from emulator.version import __version__

__all__ = ["ManualClock", "Settings", "__version__", "create_app"]
