"""The room: a private, offline, live session that participants join from their phones.

``collect`` turns each submission into a saved result (validated and scored as
``assess --answers``); ``app`` is the web server's request handling (token,
limits, headers); ``page`` builds what the browser receives; ``live`` draws the
consultant's terminal view; ``serve`` ties them together for ``cxculture room``.
Starlette, uvicorn and segno are imported only here.
"""
