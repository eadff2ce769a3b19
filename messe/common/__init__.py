"""What every part shares: the audit log (pretalx keeps such things in ``common/``)."""
