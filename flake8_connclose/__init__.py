"""Find HTTP connections that are never closed or never reused."""

__version__ = "0.1.0"
