"""Badges: layouts, signed QR tokens and PDF rendering."""
