"""The organisers' admin UI and audit log."""
