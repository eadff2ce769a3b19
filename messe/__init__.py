"""messe: the event platform for Digitaliseringsmessen."""

__version__ = "0.1.0"
