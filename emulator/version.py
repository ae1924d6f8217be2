"""The emulator's version, kept in one place for packaging and the admin API."""

__version__ = "0.1.0"
