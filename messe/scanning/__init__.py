"""Scanning badges with a phone: what door check-in and lead capture share (checking a badge for a
scan, the scanner pages and their start-up)."""
