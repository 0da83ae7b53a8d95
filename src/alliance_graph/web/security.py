"""ASGI middleware every answer passes through: security headers and bounded bodies."""

from __future__ import annotations

import json

# Only our own scripts, styles and images; inline style attributes are allowed for the SVG
# that matplotlib writes (its drawing is in style attributes), inline scripts never.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, sending)


class BodyLimit:
    """Answers 413 to a request whose body is larger than ``limit`` bytes (by its
    Content-Length or by counting what arrives), 414 to a query string longer than
    ``query_limit`` bytes."""

    def __init__(self, app, limit: int, query_limit: int):
        self.app = app
        self.limit = limit
        self.query_limit = query_limit

    async def _refuse(self, send, status=413, what="the request body", limit=None):
        limit = self.limit if limit is None else limit
        body = json.dumps(
            {
                "status": status,
                "error": "Too large",
                "reason": f"{what} is over {limit} bytes, the limit of this server",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("query_string", b"")) > self.query_limit:
            return await self._refuse(send, 414, "the query string", self.query_limit)
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    return await self._refuse(send)
        seen = 0

        async def receiving():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, receiving, send)
        except _TooLarge:
            await self._refuse(send)


class _TooLarge(Exception):
    pass
