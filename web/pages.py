"""The atlas's pages: server-rendered HTML that answers without JavaScript.

Each handler reads its question (web.questions, shared with the API), answers it from the
graph of the visitor's audience, and renders a template in the visitor's language. Words come
from the one message catalogue (viz.i18n) the CLI uses; the answer's own phrases (status,
eligibility, basis, coverage) from the same functions as the terminal's (viz.answers).
"""
from __future__ import annotations

import functools
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from stakeholder_graph.graph.errors import CannotMap, NameNotFound, QueryError, StakeholderGraphError
from stakeholder_graph.graph.schema import SENSITIVITY, VOCABULARIES
from stakeholder_graph.queries import matching
from stakeholder_graph.viz import answers as words
from stakeholder_graph.viz import text as texts
from stakeholder_graph.viz.i18n import LANGUAGES, N_, _, shown_name, use_language
from stakeholder_graph.viz.view import field_word
from stakeholder_graph.web import questions
from stakeholder_graph.web.accounts import COOKIE, LOGIN_HOURS, Accounts
from stakeholder_graph.web.visitor import (
    answered,
    chosen_language,
    client_language,
    pack,
    packed_response,
    remember_language,
    viewer,
)

LANGUAGE_NAMES = {"en": "English", "sr-Latn": "Srpski (latinica)", "sr-Cyrl": "Српски (ћирилица)"}
HTML_LANG = {"en": "en", "sr-Latn": "sr-Latn", "sr-Cyrl": "sr-Cyrl"}
MAX_OFFERED = 3000  # names offered as one types, without JavaScript (a datalist); more by /api/suggest


def record_url(record_id: str) -> str:
    return "/record/" + quote(record_id, safe="")


def url(path: str, **params) -> str:
    given = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(given) if given else "")


def number_sources(sources: list[dict]) -> tuple[list[dict], dict[str, int]]:
    """Each source once, numbered in the order first cited."""
    listed: list[dict] = []
    numbers: dict[str, int] = {}
    for s in sources:
        if s["id"] not in numbers:
            numbers[s["id"]] = len(listed) + 1
            listed.append(s)
    return listed, numbers


def cited_in(answer) -> list[dict]:
    """Every source record ({"id", "title", ...}) an answer cites, wherever it lists them."""
    found: list[dict] = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "sources" and isinstance(item, list) and item and isinstance(item[0], dict):
                    found.extend(s for s in item if "id" in s and "title" in s)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answer)
    return found


def cited(sources: list[dict], numbers: dict[str, int]) -> list[tuple[int, dict]]:
    """(number, source) of each source a row cites, once each, in number order."""
    return sorted({numbers[s["id"]]: s for s in sources if s["id"] in numbers}.items(), key=lambda item: item[0])


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("stakeholder_graph.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True,
        # every value shown: control and bidi characters as visible escapes (a name or an echoed
        # question can never reorder or hide the text around it); then autoescaped
        finalize=lambda value: texts.terminal_text(value) if isinstance(value, str) else value,
    )
    env.install_gettext_callables(gettext=_, ngettext=lambda s, p, n: _(s) if n == 1 else _(p), newstyle=False)
    env.globals.update(
        w=words, t=texts, shown_name=shown_name, record_url=record_url, url=url, LANGUAGE_NAMES=LANGUAGE_NAMES,
        quote=quote, cited=cited, field_word=field_word,
    )
    return env


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """A page in the visitor's language, with what every page shows (language switch, login)."""
    name, audience = viewer(request)
    lang = client_language(request)
    atlas = request.app.state.atlas
    here = "/" + request.url.path.lstrip("/")  # never //host: a path of this site
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    # this page again in another language: a link relative to the page itself, so no path a
    # visitor typed ('//elsewhere.example') can make it lead to another site
    switch = [(code, LANGUAGE_NAMES[code], "?" + urlencode([*query, ("lang", code)]), code == lang)
              for code in LANGUAGES]
    # a page for no account, made of answers of one data generation, is the same for every such
    # visitor: kept whole (the answers are cached already; this saves rendering them again)
    generations = getattr(request.state, "generations", set())
    key = None
    if name is None and len(generations) == 1:
        key = (next(iter(generations)), audience, "page", lang, template, status, here, tuple(sorted(query)))
        kept = atlas.cache.get(key)
        if kept is not None:
            return remember_language(request, packed_response(request, kept, "text/html; charset=utf-8", status))
    with use_language(lang):
        html = environment().get_template(template).render(
            lang=lang, html_lang=HTML_LANG[lang], user=name, audience=audience, switch=switch,
            accounts=request.app.state.accounts.enabled, here=here + ("?" + urlencode(query) if query else ""),
            problems=atlas.problems_for(audience), loaded_at=atlas.loaded_at, **context)
    if key is not None and not any(k == "as_of" for k, _v in query):
        atlas.cache.put(key, pack(html))
    return remember_language(request, HTMLResponse(html, status_code=status))


def failure(request: Request, exc: StakeholderGraphError, **context) -> HTMLResponse:
    """A question that cannot be answered: what was wrong and what to try; never a blank page."""
    if isinstance(exc, CannotMap):
        details = dict(exc.details)
        if not chosen_language(request) and details.get("language"):
            request.state.lang = details["language"]  # the refusal in the question's language
        with use_language(client_language(request)):
            lines = texts.refusal_text(str(exc), details, exc.recognised, exc.examples).splitlines()
        return page(request, "refusal.html", 422, lines=[ln.strip() for ln in lines if ln.strip()],
                    examples=list(exc.examples), **context)
    suggestions = list(getattr(exc, "suggestions", None) or [])
    status = 404 if isinstance(exc, NameNotFound) else 400
    return page(request, "problem.html", status, message=str(exc), suggestions=suggestions, **context)


def _offered(g, kind: str) -> list[str]:
    names: list[str] = []
    for n in g.ids_of(kind):
        a = g.node(n)
        names += [a.get("name", n), *a.get("names", {}).values()]
    return sorted(set(names), key=str.lower)[:MAX_OFFERED]


async def form_choices(request: Request) -> dict:
    """What the forms offer: the audience's places and groups in every script, service types, forms."""
    _user, audience = viewer(request)
    return await answered(request, "form choices", audience, {}, lambda g: {
        "places": _offered(g, "place"),
        "populations": _offered(g, "population"),
        "service_types": VOCABULARIES["service_type"], "max_offered": MAX_OFFERED,
        "forms": sorted(((n, g.name(n)) for n in g.ids_of("exploitation_form")), key=lambda item: item[1].lower()),
    })


async def _answer(request: Request, question: str, params=None):
    """(parameters, answer) of a question from the graph the visitor may see (cached)."""
    _user, audience = viewer(request)
    p = questions.read(question, request.query_params if params is None else params)
    return p, await answered(request, question, audience, p, lambda g: questions.ANSWERS[question](g, p))


# --- pages --------------------------------------------------------------------------------

async def home(request: Request) -> Response:
    try:
        questions.read("sources", request.query_params)
    except QueryError as exc:
        return failure(request, exc)
    return page(request, "home.html", **(await form_choices(request)))


def map_of(query: dict, pathway: bool = False) -> str | None:
    """The map of an answer, drawn with the filters the map honours: its group of people, place,
    service type and date; None when the map would draw another question (a form of
    exploitation, an age, stated only or active only narrow the answer, not the map) or none."""
    if any(query.get(k) for k in ("form", "age", "stated_only", "active")):
        return None
    terms = query.get("terms", {})
    population = (terms.get("population") or {}).get("id")
    place = (terms.get("place") or {}).get("id")
    if pathway and not (population and place):
        return None
    as_of = query.get("as_of")
    chosen = as_of != matching._today().isoformat()  # today's is the map's own default
    return url("/map", pathway=1 if pathway else None, population=population, place=place,
               service=query.get("service"), as_of=as_of if chosen else None)


def who_context(result: dict) -> dict:
    listed, numbers = number_sources([s for r in result["results"] for s in r["sources"]])
    return {"result": result, "sources": listed, "numbers": numbers}


async def who(request: Request) -> Response:
    try:
        given = questions.read("who", request.query_params)
        if not any(given.get(k) for k in ("population", "place", "service", "form")):
            return page(request, "home.html", **(await form_choices(request)))  # the form, to fill in
        p, result = await _answer(request, "who")
    except StakeholderGraphError as exc:
        return failure(request, exc)
    return page(request, "who.html", params=p, map_url=None if questions.flag(p, "active") else map_of(result["query"]),
                **who_context(result))


def pathway_context(result: dict) -> dict:
    everyone = [r for step in result["steps"] for r in step["available"] + step["ended"]]
    listed, numbers = number_sources([s for r in everyone for s in r["sources"]])
    return {"result": result, "sources": listed, "numbers": numbers}


async def pathway(request: Request) -> Response:
    try:
        p, result = await _answer(request, "pathway")
    except StakeholderGraphError as exc:
        return failure(request, exc)
    return page(request, "pathway.html", params=p, map_url=map_of(result["query"], pathway=True),
                **pathway_context(result))


def table_context(kind: str, result: dict) -> dict:
    shown = words.render(kind, result)
    listed, numbers = number_sources(cited_in(result))
    return {"rows": shown.rows, "columns": [c for c in shown.columns if c != "sources"],
            "headers": words.headers(), "sources": listed, "numbers": numbers, "kind": kind}


async def gaps(request: Request) -> Response:
    try:
        p, result = await _answer(request, "gaps")
    except StakeholderGraphError as exc:
        return failure(request, exc)
    with use_language(client_language(request)):
        context = table_context("gaps", result)
        title = words.heading(result["query"])
    return page(request, "gaps.html", params=p, result=result, title=title, **context)


async def ask(request: Request) -> Response:
    try:
        p, result = await _answer(request, "ask")
    except CannotMap as exc:
        return failure(request, exc, question=request.query_params.get("q", ""))
    except StakeholderGraphError as exc:
        return failure(request, exc, question=request.query_params.get("q", ""))
    intent, answer = result["intent"], result["answer"]
    if not chosen_language(request):  # no choice made: answer in the question's language and script
        request.state.lang = result["language"]
    with use_language(client_language(request)):
        understood = texts.understood_text(result)
    common = {"params": p, "question": p.get("q", ""), "understood": understood}
    if intent == "who handles":
        return page(request, "who.html", map_url=map_of(answer["query"]), **common, **who_context(answer))
    if intent == "pathway":
        return page(request, "pathway.html", map_url=map_of(answer["query"], pathway=True), **common,
                    **pathway_context(answer))
    with use_language(client_language(request)):
        context = table_context(intent, answer)
        title = words.heading(answer["query"]) if isinstance(answer, dict) and "query" in answer else ""
    return page(request, "table.html", title=title, **common, **context)


async def record(request: Request) -> Response:
    try:
        questions.read("sources", request.query_params)  # a record page takes no parameter but lang
    except QueryError as exc:
        return failure(request, exc)
    record_id = request.path_params["record_id"]
    _user, audience = viewer(request)
    g = request.app.state.atlas.graph(audience)
    if record_id not in g.G:  # a record above the audience is as missing as one never made
        return page(request, "problem.html", 404, message=N_("No record with this id."), suggestions=[])
    try:
        _p, shown = await _answer(request, "show", {"name": record_id})
        profile = None
        kind = g.kind(record_id)
        if kind in ("actor", "project"):
            _p, profile = await _answer(request, kind, {"name": record_id})
    except StakeholderGraphError as exc:
        return failure(request, exc)
    with use_language(client_language(request)):
        profile_context = table_context(kind, profile) if profile else {}
    listed, numbers = number_sources(shown["sources"] + (profile_context.get("sources") or []))
    links = {}
    if kind == "place":
        links = {"who": url("/who", place=record_id), "gaps": None}
    elif kind == "population":
        links = {"who": url("/who", population=record_id)}
    return page(request, "record.html", shown=shown, kind=kind, profile=profile_context, sources=listed,
                numbers=numbers, links=links,
                map_url=None if kind == "source" else url("/map", around=record_id))  # a source is not drawn


async def search(request: Request) -> Response:
    try:
        p, result = await _answer(request, "search")
    except StakeholderGraphError as exc:
        return failure(request, exc)
    return page(request, "search.html", params=p, result=result)


async def sources(request: Request) -> Response:
    try:
        _p, result = await _answer(request, "sources")
    except StakeholderGraphError as exc:
        return failure(request, exc)
    return page(request, "sources.html", result=result)


async def map_page(request: Request) -> Response:
    """The interactive map of an answer, the map viewer of `stakeholder-graph map`, in the
    visitor's language (the page `map --lang` writes)."""
    from stakeholder_graph.queries.selection import Filters
    from stakeholder_graph.viz import LAYOUTS
    from stakeholder_graph.viz.map_html import map_policy, render_html
    from stakeholder_graph.viz.view import drawn_view

    _user, audience = viewer(request)
    lang = client_language(request)
    try:
        p = questions.read("map", request.query_params)
        if p.get("layout", "force") not in LAYOUTS:
            raise questions.ParameterError(f"parameter 'layout': {p['layout']!r}; use {', '.join(LAYOUTS)}")
        if "depth" in p and not p.get("around"):
            raise questions.ParameterError("parameter 'depth' is the depth around a record: give 'around' too")
        filters = Filters(audience=audience, place=p.get("place"), country=p.get("country"),
                          population=p.get("population"), service_type=p.get("service"), around=p.get("around"),
                          depth=questions.number(p, "depth", 1, 3) or 1, as_of=questions.as_of_date(p))
        pathway = questions.flag(p, "pathway")

        def draw(g) -> bytes:
            return pack(render_html(drawn_view(g, filters, pathway=pathway, layout=p.get("layout"), lang=lang),
                                    lang=lang))

        html = await answered(request, f"map {lang}", audience, p, draw)  # one answer per language
    except StakeholderGraphError as exc:
        return failure(request, exc)
    return packed_response(request, html, "text/html; charset=utf-8",
                           headers={"content-security-policy": map_policy() + "; frame-ancestors 'none'"})


# --- logging in -----------------------------------------------------------------------------

def _next(value: str | None) -> str:
    """Only a path of this site (never //host or a scheme) to go back to."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


async def login_form(request: Request) -> Response:
    return page(request, "login.html", next=_next(request.query_params.get("next")), failed=False, wait=0)


async def login(request: Request) -> Response:
    accounts: Accounts = request.app.state.accounts
    form = await request.form()
    name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024]
    target = _next(str(form.get("next", "")))
    if not accounts.enabled:
        return page(request, "login.html", 403, next=target, failed=True, wait=0)
    client = request.client.host if request.client else "unknown"
    cookie, wait = await run_in_threadpool(accounts.login, name, password, client)
    if cookie is None:
        response = page(request, "login.html", 429 if wait else 401, next=target, failed=not wait,
                        wait=int(wait) + 1 if wait else 0)
        if wait:
            response.headers["retry-after"] = str(int(wait) + 1)
        return response
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, cookie, max_age=LOGIN_HOURS * 3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


async def logout(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


async def status(request: Request) -> Response:
    try:
        questions.read("sources", request.query_params)
    except QueryError as exc:
        return failure(request, exc)
    _user, audience = viewer(request)
    atlas = request.app.state.atlas
    counts = await answered(request, "counts", audience, {}, lambda g: g.counts()[0])
    maintainer = audience == SENSITIVITY[-1]
    return page(request, "status.html", counts=counts, maintainer=maintainer,
                data=atlas.shown if maintainer else None, problems_at=atlas.problems_at if maintainer else None)


# --- errors -----------------------------------------------------------------------------------

def _api_error(status: int, message: str) -> Response:
    from stakeholder_graph.viz.text import answer_json

    return Response(answer_json({"error": message}), status_code=status, media_type="application/json")


async def not_found(request: Request, exc) -> Response:
    if request.url.path.startswith("/api/"):
        return _api_error(404, "no such endpoint")
    return page(request, "problem.html", 404, message=N_("No page at this address."), suggestions=[])


async def not_allowed(request: Request, exc) -> Response:
    if request.url.path.startswith("/api/"):
        return _api_error(405, "read-only: only GET")
    return page(request, "problem.html", 405, message=N_("This page only reads; it changes nothing."),
                suggestions=[])


async def server_error(request: Request, exc) -> Response:
    import logging

    logging.getLogger("stakeholder_graph.web").error("error serving %s", request.url.path, exc_info=exc)
    if request.url.path.startswith("/api/"):
        return _api_error(500, "internal error")
    return HTMLResponse("<!DOCTYPE html><title>Error</title><p>Something went wrong; it has been logged.</p>",
                        status_code=500)
