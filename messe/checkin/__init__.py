"""Door check-in by scanning badges."""
