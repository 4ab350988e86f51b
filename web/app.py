"""The referral atlas: the web app `stakeholder-graph serve` runs.

Starlette routes the requests, Jinja2 (autoescaping every template) writes the pages, uvicorn
serves them. Each request gets the audience of its login (public without one) and the
language of the page (the `lang` parameter, remembered in a cookie), and every answer comes
from the graph of that audience alone (web.atlas), so no page, API body, search result,
suggestion, error or map can hold a record above it; an id above it is a 404 like a missing
one. Nothing here changes the data: the only POSTs are logging in and out.

Every response carries a Content-Security-Policy with no source beyond the app itself (the
map page: its two inline scripts by hash), and the usual headers against sniffing, framing
and referrers.
"""
from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stakeholder_graph.web import api, pages
from stakeholder_graph.web.accounts import Accounts
from stakeholder_graph.web.atlas import Atlas

log = logging.getLogger("stakeholder_graph.web")
STATIC = resources.files("stakeholder_graph.web") / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
PAGE_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
])
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Pure ASGI middleware: the policy (unless the response set its own) and the headers above
    on every response, errors included; no caching of pages a login may have shaped."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = PAGE_POLICY
                for name, value in SECURITY_HEADERS:
                    headers.append(name.decode(), value.decode())
                if scope.get("scheme") == "https":  # served over TLS (or behind a proxy that says so)
                    headers["strict-transport-security"] = "max-age=31536000"
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, sending)


# --- static files -----------------------------------------------------------------------------

async def static(request: Request) -> Response:
    name = request.path_params["name"]
    suffix = Path(name).suffix
    if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES:
        return Response("not found", status_code=404, media_type="text/plain")
    entry = STATIC / name
    if not entry.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(entry.read_bytes(), media_type=STATIC_TYPES[suffix],
                    headers={"cache-control": "public, max-age=3600"})


def create_app(atlas: Atlas, accounts: Accounts | None = None) -> Starlette:
    """The app over loaded data and accounts (none: everyone sees `public`)."""
    routes = [
        Route("/", pages.home),
        Route("/ask", pages.ask),
        Route("/who", pages.who),
        Route("/pathway", pages.pathway),
        Route("/gaps", pages.gaps),
        Route("/record/{record_id:path}", pages.record),
        Route("/search", pages.search),
        Route("/sources", pages.sources),
        Route("/map", pages.map_page),
        Route("/login", pages.login_form, methods=["GET"]),
        Route("/login", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/status", pages.status),
        Route("/static/{name:path}", static),
        Route("/api/health", api.api_health),
        *(Route(f"/api/{q}", api.api(q)) for q in api.QUESTIONS),
    ]
    app = Starlette(routes=routes, exception_handlers={404: pages.not_found, 405: pages.not_allowed,
                                                       500: pages.server_error})
    app.state.atlas = atlas
    app.state.accounts = accounts or Accounts(None)
    return SecurityHeaders(app)


__all__ = ["PAGE_POLICY", "SecurityHeaders", "create_app"]
