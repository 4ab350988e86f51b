"""Who is asking, in which language: the audience of a request's login (public without one)
and the language of its page (the `lang` parameter, then the cookie that remembers it), and
the cache of answers keyed by both."""
from __future__ import annotations

import anyio
from starlette.requests import Request
from starlette.responses import Response

from stakeholder_graph.graph.errors import QueryError
from stakeholder_graph.viz.i18n import normal_language
from stakeholder_graph.web import questions
from stakeholder_graph.web.accounts import COOKIE, Accounts
from stakeholder_graph.web.atlas import Atlas

LANG_COOKIE = "sg_lang"


def chosen_language(request: Request) -> str | None:
    """The language the visitor chose: the `lang` parameter, else the cookie remembering it."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value:
            try:
                return normal_language(value)
            except QueryError:
                continue
    return None


def client_language(request: Request) -> str:
    """The language of the page: the visitor's choice, else that of the question asked (set
    on request.state by the page), else English."""
    return chosen_language(request) or getattr(request.state, "lang", None) or "en"


def viewer(request: Request) -> tuple[str | None, str]:
    """(account name, audience) of the request."""
    accounts: Accounts = request.app.state.accounts
    return accounts.audience(request.cookies.get(COOKIE))


def remember_language(request: Request, response: Response) -> Response:
    lang = request.query_params.get("lang")
    if lang:
        try:
            response.set_cookie(LANG_COOKIE, normal_language(lang), max_age=365 * 86400, httponly=True,
                                samesite="lax", secure=request.url.scheme == "https", path="/")
        except QueryError:
            pass
    return response


def _computing(request: Request):
    """One worker thread per app computes answers, one at a time: the event loop stays free
    for cached answers and pages, and no crowd of threads fights over the interpreter's lock
    (which costs more than it gives for work that is all Python)."""
    limiter = getattr(request.app.state, "computing", None)
    if limiter is None:
        limiter = request.app.state.computing = anyio.CapacityLimiter(1)
    return limiter


async def answered(request: Request, question: str, audience: str, p: dict, compute):
    """compute(graph) for the audience's graph, from the cache of the graph's data generation
    when it holds it. Computed in a worker thread, so a slow answer does not hold up the
    others; an answer for a chosen as-of date is not kept (any day of two centuries is a
    different answer: they would crowd out the everyday ones)."""
    atlas: Atlas = request.app.state.atlas
    generation, g = atlas.snapshot(audience)
    # the generations a request's answers came from: its page is kept only when there is one
    request.state.generations = getattr(request.state, "generations", set()) | {generation}
    key = (generation, audience, questions.cache_key(question, p))
    found = atlas.cache.get(key)
    if found is None:
        found = await anyio.to_thread.run_sync(compute, g, limiter=_computing(request))
        if "as_of" not in p:
            atlas.cache.put(key, found)
    return found


class Packed(bytes):
    """A response body kept gzip-compressed in the cache (an answer on a big graph is a few
    hundred kilobytes of JSON; packed, a tenth of that): sent as it is to a client that
    accepts gzip, unpacked for one that does not."""


def pack(body: bytes | str) -> Packed:
    import gzip

    data = body.encode("utf-8") if isinstance(body, str) else body
    return Packed(gzip.compress(data, compresslevel=1, mtime=0))


def packed_response(request: Request, body: Packed, media_type: str, status: int = 200,
                    headers: dict | None = None) -> Response:
    import zlib

    headers = {**(headers or {}), "vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        return Response(bytes(body), status_code=status, media_type=media_type,
                        headers={**headers, "content-encoding": "gzip"})
    # zlib reads the gzip format itself (wbits 31), faster than gzip.decompress
    return Response(zlib.decompress(body, 31), status_code=status, media_type=media_type, headers=headers)
