"""Live updates: the websocket hub and the broker between processes."""
