"""HTTP and websocket interface of the programme: REST API, pages, exports, live socket."""
