"""The referral atlas (`stakeholder-graph serve`) over real HTTP: uvicorn serving the app on
127.0.0.1 (tests/atlas_server.py, in a thread of this process so the suite's fixed 'today'
holds), and once as the `serve` command in a process of its own.

What it must do: answer the API byte for byte as the CLI's --format json; show no trace of a
record above the visitor's audience anywhere (pages, API, errors, suggestions, maps); log in
with a strict cookie and a limit on failures; send safe headers on every response; refuse
what it does not understand instead of answering something else; find names in any script;
reload changed data without ever serving data with errors.
"""
from __future__ import annotations

import base64
import collections
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote_plus, urlencode, urljoin, urlsplit

import pytest
import yaml

from stakeholder_graph.web.accounts import COOKIE, FAILURES_ALLOWED, FAILURES_PER_NAME, add_user, remove_user

from atlas_server import ACCOUNTS, free_port, make_users, running_atlas
from helpers import SEED, write_files
from layers import (
    CITING_LAYER,
    HIDDEN_FROM,
    INTERNAL_LAYER,
    INTERNAL_TRACES,
    PARTNERS_LAYER,
    PARTNERS_TRACES,
    SHOWN_TO,
)

# --- an HTTP client that hides nothing: no redirects followed, every header kept ----------------


class Reply:
    def __init__(self, method: str, path: str, status: int, headers: list[tuple[str, str]], body: bytes):
        self.method, self.path, self.status, self.body = method, path, status, body
        self.headers = [(k.lower(), v) for k, v in headers]

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k == name.lower()]
        return found[-1] if found else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


def address(path: str, **params) -> str:
    """A path with its parameters encoded (UTF-8, as a browser sends them)."""
    given = [(k, v) for k, v in params.items() if v is not None]
    return path + ("?" + urlencode(given) if given else "")


def fetch(base: str, path: str, method: str = "GET", *, cookie: str | None = None, form: dict | None = None,
          headers: dict | None = None) -> Reply:
    parts = urlsplit(base)
    sent = dict(headers or {})
    body = None
    if form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie is not None:
        sent["Cookie"] = f"{COOKIE}={cookie}"
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return Reply(method, path, response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def set_cookie(reply: Reply, name: str = COOKIE) -> tuple[str, set[str]] | None:
    """(value, lowercased attributes) of the Set-Cookie for `name`, None without one."""
    for header in reply.all("set-cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        key, _, value = first.partition("=")
        if key == name:
            return value, {a.lower() for a in attributes}
    return None


def login(base: str, name: str, password: str | None = None, **headers) -> str:
    """Log in as an account of ACCOUNTS; its cookie's value."""
    reply = fetch(base, "/login", "POST", form={"name": name, "password": password or ACCOUNTS[name][0]},
                  headers=headers)
    assert reply.status == 303, (reply, reply.text[:500])
    cookie = set_cookie(reply)
    assert cookie is not None, reply.headers
    return cookie[0]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_in(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.links


# --- data ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def layer_dirs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("web-layers")
    return {"partners": write_files(tmp / "partners", PARTNERS_LAYER),
            "internal": write_files(tmp / "internal", INTERNAL_LAYER),
            "citing": write_files(tmp / "citing", CITING_LAYER)}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    return make_users(tmp_path_factory.mktemp("web-users") / "users.json")


@pytest.fixture(scope="module")
def seed_atlas():
    with running_atlas([SEED]) as base:
        yield base


@pytest.fixture(scope="module")
def partners_atlas(layer_dirs, users_file):
    with running_atlas([SEED, layer_dirs["partners"]], users=users_file) as base:
        yield base


@pytest.fixture(scope="module")
def layered_atlas(layer_dirs, users_file):
    """Every layer over the seed data, with the accounts pat (partners) and ina (internal)."""
    with running_atlas([SEED, layer_dirs["partners"], layer_dirs["internal"], layer_dirs["citing"]],
                       users=users_file) as base:
        yield base


def _layer_records(layer: dict[str, str]) -> list[dict]:
    return [r for text in layer.values() for r in yaml.safe_load(text) or []]


def _hidden_words_and_ids(level: str) -> tuple[set[str], set[str]]:
    """The words (ids, names, aliases, notes, URLs) and the ids of the records and relations of
    a layer above public, read from the layer itself."""
    layer = {"partners": PARTNERS_LAYER, "internal": INTERNAL_LAYER}[level]
    words, ids = set(), set()
    for r in _layer_records(layer):
        if r.get("sensitivity") != level:
            continue
        if "id" in r:
            ids.add(r["id"])
            words.add(r["id"])
        for key in ("name", "note", "url"):
            if r.get(key):
                words.add(str(r[key]))
        words.update(r.get("aliases") or [])
    return words, ids


PARTNERS_WORDS, PARTNERS_IDS = _hidden_words_and_ids("partners")
INTERNAL_WORDS, INTERNAL_IDS = _hidden_words_and_ids("internal")
FORBIDDEN = {"public": set(HIDDEN_FROM["public"]) | PARTNERS_WORDS | INTERNAL_WORDS,
             "partners": set(HIDDEN_FROM["partners"]) | INTERNAL_WORDS, "internal": set()}
HIDDEN_IDS = {"public": PARTNERS_IDS | INTERNAL_IDS, "partners": INTERNAL_IDS, "internal": set()}


def test_the_hidden_words_are_read_from_the_layers():
    # the lists below are what the audience checks look for: they must be the layers' own
    assert {"quietwater-outreach", "quietwater-drop-in", "omega-memo"} <= PARTNERS_IDS
    assert {"secret-shelter-operator", "kestrel-safe-house", "zeta-case-file", "ravenhollow",
            "nightjar-project"} <= INTERNAL_IDS
    assert "Quietwater Outreach" in PARTNERS_WORDS and "Hidden Haven" in INTERNAL_WORDS
    assert not PARTNERS_IDS & INTERNAL_IDS


# --- 1. the API answers as the CLI's --format json ----------------------------------------------

CLI_QUESTIONS = {  # name -> (API path, CLI arguments)
    "who children Niš": (address("/api/who", population="children", place="Niš"),
                         ["who", "--population", "children", "--place", "Niš"]),
    "who shelter": (address("/api/who", population="children", place="Niš", service="shelter"),
                    ["who", "--population", "children", "--place", "Niš", "--service", "shelter"]),
    "who girls 14 Vranje": (address("/api/who", age="14", population="girls", place="Vranje"),
                            ["who", "--age", "14", "--population", "girls", "--place", "Vranje"]),
    "pathway": (address("/api/pathway", population="unaccompanied children", place="Subotica"),
                ["pathway", "--population", "unaccompanied children", "--place", "Subotica"]),
    "gaps": (address("/api/gaps", service="shelter", population="children", country="Serbia"),
             ["gaps", "--service", "shelter", "--population", "children", "--country", "Serbia"]),
    "show Atina": (address("/api/show", name="Atina"), ["show", "Atina"]),
    "show Ниш": (address("/api/show", name="Ниш"), ["show", "Ниш"]),
    "ask en": (address("/api/ask", q="who handles child victims in Niš?"),
               ["ask", "who handles child victims in Niš?"]),
    "ask sr-Cyrl": (address("/api/ask", q="ко помаже деци жртвама трговине у Нишу?"),
                    ["ask", "ко помаже деци жртвама трговине у Нишу?"]),
    "ask pathway": (address("/api/ask", q="what is the pathway for an unaccompanied migrant child in Subotica?"),
                    ["ask", "what is the pathway for an unaccompanied migrant child in Subotica?"]),
}


def same_output(api_body: bytes, cli_stdout: str) -> bool:
    cli = cli_stdout.encode("utf-8")
    return api_body == cli or api_body + b"\n" == cli or api_body == cli + b"\n"


@pytest.mark.parametrize("question", list(CLI_QUESTIONS))
def test_the_api_answers_byte_for_byte_as_the_cli(run, seed_atlas, question):
    path, args = CLI_QUESTIONS[question]
    reply = fetch(seed_atlas, path)
    assert reply.status == 200, reply.text[:1000]
    assert reply.header("content-type").startswith("application/json")
    result = run("--data", SEED, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)  # an answer, not an empty document
    assert same_output(reply.body, result.stdout), (reply.text[:2000], result.stdout[:2000])


@pytest.fixture(scope="module")
def pat_on_partners_atlas(partners_atlas) -> str:
    return login(partners_atlas, "pat")


@pytest.mark.parametrize("question", list(CLI_QUESTIONS))
def test_a_partners_login_gets_the_partners_cli_answer(run, partners_atlas, pat_on_partners_atlas, layer_dirs,
                                                       question):
    path, args = CLI_QUESTIONS[question]
    data = ["--data", SEED, "--data", layer_dirs["partners"]]
    reply = fetch(partners_atlas, path, cookie=pat_on_partners_atlas)
    assert reply.status == 200, reply.text[:1000]
    result = run(*data, *args, "--format", "json", "--audience", "partners")
    assert result.exit_code == 0, result.stderr
    assert same_output(reply.body, result.stdout), (reply.text[:2000], result.stdout[:2000])
    # and without the login, the public answer
    public = fetch(partners_atlas, path)
    result = run(*data, *args, "--format", "json", "--audience", "public")
    assert same_output(public.body, result.stdout)


def test_the_partners_answers_differ_from_the_public_ones(partners_atlas, pat_on_partners_atlas):
    """The comparison above could not tell a cookie ignored: here the partners' layer shows."""
    path = CLI_QUESTIONS["who children Niš"][0]
    public = fetch(partners_atlas, path)
    partners = fetch(partners_atlas, path, cookie=pat_on_partners_atlas)
    assert "Quietwater" not in public.text
    assert "Quietwater" in partners.text


# --- 2. nothing above the audience, anywhere -----------------------------------------------------

PAGE_LIMIT = 400


def request_input(path: str) -> str:
    """What the visitor sent (path and parameter values, decoded): the site may echo it."""
    parts = urlsplit(path)
    return (unquote_plus(parts.path) + " " + unquote_plus(parts.query)).lower()


def leaks(reply: Reply, audience: str) -> list[str]:
    """The words of layers above `audience` in a reply (headers and body), except those the
    request itself carried (a search for 'Kestrel' may say 'no record matches Kestrel', but
    never 'Kestrel Safe House for Children')."""
    sent = request_input(reply.path)
    shown = (reply.body.decode("utf-8", "replace") + "\n" + repr(reply.headers)).lower()
    return sorted(w for w in FORBIDDEN[audience] if w.lower() in shown and w.lower() not in sent)


def crawl(base: str, cookie: str | None) -> list[Reply]:
    """Every same-site link of the pages, breadth first from /, up to PAGE_LIMIT requests."""
    host = urlsplit(base).netloc
    queue, seen, replies = collections.deque(["/"]), {"/"}, []
    while queue and len(replies) < PAGE_LIMIT:
        path = queue.popleft()
        reply = fetch(base, path, cookie=cookie)
        replies.append(reply)
        if not (reply.header("content-type") or "").startswith("text/html"):
            continue
        for href in links_in(reply.text):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != host or target.scheme != "http":
                continue
            found = target.path + ("?" + target.query if target.query else "")
            if target.path == "/logout" or found in seen:
                continue
            seen.add(found)
            queue.append(found)
    return replies


CLOSE_TO_HIDDEN = ("Quietwater", "Quietwatr", "Quietwater Outreach", "Kestrel", "Kestral", "Secret Shelter",
                   "Secret Shelter Operator", "Hidden Haven", "Ravenhollow", "Ravenholow", "Nightjar", "Omega",
                   "Zeta case", "Falcon", "Heron", "Osprey", "Lantern", "Marigold")
ANSWERS = [  # (path, params): the questions whose answers the layers would change
    ("/api/who", {"population": "children", "place": "Niš"}),
    ("/api/who", {"population": "children", "place": "Niš", "service": "shelter"}),
    ("/api/who", {"place": "Niš"}),
    ("/api/pathway", {"population": "children", "place": "Niš"}),
    ("/api/gaps", {"service": "shelter", "population": "children", "country": "Serbia", "all": "1"}),
    ("/api/ask", {"q": "who handles child victims in Niš?"}),
    ("/api/ask", {"q": "where should Atina refer a child victim in Niš?"}),
    ("/api/ask", {"q": "where is there no shelter for children?"}),
    ("/api/show", {"name": "Atina"}),
    ("/api/show", {"name": "ASTRA"}),
    ("/api/show", {"name": "Niš"}),
    ("/api/show", {"name": "Nišava"}),
    ("/api/show", {"name": "Wren Helpline"}),
    ("/api/show", {"name": "From Harm to Safety"}),
    ("/api/actor", {"name": "ASTRA"}),
    ("/api/actor", {"name": "Atina"}),
    ("/api/project", {"name": "From Harm to Safety"}),
    ("/api/sources", {}),
    ("/who", {"population": "children", "place": "Niš"}),
    ("/who", {"population": "children", "place": "Niš", "lang": "sr-Cyrl"}),
    ("/pathway", {"population": "children", "place": "Niš"}),
    ("/gaps", {"service": "shelter", "population": "children", "country": "Serbia", "all": "1"}),
    ("/ask", {"q": "who handles child victims in Niš?"}),
    ("/ask", {"q": "where should Atina refer a child victim in Niš?"}),
    ("/sources", {}),
    ("/status", {}),
    ("/map", {"population": "children", "place": "Niš"}),
    ("/map", {"pathway": "1", "population": "children", "place": "Niš"}),
    ("/map", {"around": "atina", "depth": "2"}),
    ("/map", {"around": "nis"}),
    ("/map", {"place": "Niš", "layout": "geo"}),
    ("/record/atina", {}),
    ("/record/astra", {}),
    ("/record/nis", {}),
    ("/record/wren-helpline", {}),
    ("/record/from-harm-to-safety", {}),
    ("/record/irc-serbia-country-program", {}),
]


def explicit_paths() -> list[str]:
    paths = [address(p, **params) for p, params in ANSWERS]
    words = sorted(set(PARTNERS_TRACES) | set(INTERNAL_TRACES) | PARTNERS_WORDS | INTERNAL_WORDS)
    for word in words:
        prefixes = {word[:n] for n in (3, 4, 6, len(word) - 1) if 3 <= n < len(word)}
        for q in [word, *sorted(prefixes)]:
            paths += [address("/api/search", q=q), address("/api/suggest", q=q)]
        paths.append(address("/search", q=word))
    for name in CLOSE_TO_HIDDEN:
        paths += [address("/api/show", name=name), address("/api/actor", name=name),
                  address("/api/project", name=name), address("/api/who", population="children", place=name),
                  address("/api/ask", q=f"who handles children in {name}?"),
                  address("/api/ask", q=f"where should {name} refer a child victim in Niš?"),
                  address("/who", population="children", place=name), address("/record/" + quote(name, safe="")),
                  address("/map", around=name), address("/ask", q=f"who handles children in {name}?")]
    return paths


def visit(base: str, cookie: str | None) -> list[Reply]:
    replies = crawl(base, cookie)
    crawled = {r.path for r in replies}
    replies += [fetch(base, p, cookie=cookie) for p in explicit_paths() if p not in crawled]
    return replies


def missing_record_bodies(base: str, cookie: str | None, hidden: set[str]) -> list[str]:
    """Problems with the 404 of hidden records: each must be the 404 of a record never made
    (the page echoes the address asked for, so the id itself is the one difference allowed)."""
    problems = []
    for n, record_id in enumerate(sorted(hidden)):
        never = f"no-such-record-{n}"
        hidden_reply = fetch(base, "/record/" + record_id, cookie=cookie)
        never_reply = fetch(base, "/record/" + never, cookie=cookie)
        if hidden_reply.status != 404 or never_reply.status != 404:
            problems.append(f"{record_id}: {hidden_reply.status}, a missing record: {never_reply.status}")
            continue
        if hidden_reply.body.replace(record_id.encode(), b"<ID>") != never_reply.body.replace(never.encode(), b"<ID>"):
            problems.append(f"{record_id}: its 404 differs from a missing record's")
        skip = {"date", "content-length"}
        if [h for h in hidden_reply.headers if h[0] not in skip] != [h for h in never_reply.headers if h[0] not in skip]:
            problems.append(f"{record_id}: its 404 headers differ from a missing record's")
    return problems


def shown_words(replies: list[Reply], words) -> set[str]:
    """The words that some reply shows, a request not having sent them."""
    return {w for w in words for r in replies
            if w.lower() in r.body.decode("utf-8", "replace").lower() and w.lower() not in request_input(r.path)}


@pytest.mark.parametrize("account", [None, "pat", "ina"])
def test_no_trace_above_the_audience_anywhere(layered_atlas, account):
    base = layered_atlas
    cookie = login(base, account) if account else None
    audience = ACCOUNTS[account][1] if account else "public"
    assert fetch(base, "/", cookie=cookie).text.count(f"Signed in as {account}") == (1 if account else 0)

    replies = visit(base, cookie)
    assert len(replies) > PAGE_LIMIT  # the crawl went far, then the explicit questions
    assert sum(r.path.startswith("/map") and r.status == 200 for r in replies) >= 5
    assert sum(r.path.startswith("/record/") and r.status == 200 for r in replies) >= 50
    found = {r.path: leaks(r, audience) for r in replies}
    assert {p: words for p, words in found.items() if words} == {}
    assert [r for r in replies if r.status >= 500] == []

    # a record above the audience is missing as a record never made
    assert missing_record_bodies(base, cookie, HIDDEN_IDS[audience]) == []
    # the search finds none of them, whatever is typed
    for reply in replies:
        if reply.path.startswith("/api/search") and reply.status == 200:
            ids = {r["id"] for r in reply.json()["results"]}
            assert not ids & HIDDEN_IDS[audience], reply.path

    # and what the audience may see does show (the test can fail)
    if audience != "public":
        assert shown_words(replies, SHOWN_TO[audience]) == set(SHOWN_TO[audience])
        visible = PARTNERS_IDS | (INTERNAL_IDS if audience == "internal" else set())
        assert {i for i in visible if fetch(base, "/record/" + i, cookie=cookie).status != 200} == set()


# --- 3. logging in ----------------------------------------------------------------------------


def test_a_login_sets_a_strict_httponly_cookie_and_no_secure_over_plain_http(layered_atlas):
    reply = fetch(layered_atlas, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0],
                                                          "next": "/sources"})
    assert reply.status == 303
    assert reply.header("location") == "/sources"
    value, attributes = set_cookie(reply)
    assert value
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "secure" not in attributes
    assert "path=/" in attributes
    # the cookie is the login: the partners' record shows with it, not without it
    path = address("/api/show", name="Quietwater Outreach")
    assert fetch(layered_atlas, path, cookie=value).status == 200
    assert fetch(layered_atlas, path).status == 404


def test_behind_a_trusted_https_proxy_the_cookie_is_secure(layered_atlas):
    reply = fetch(layered_atlas, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0]},
                  headers={"X-Forwarded-Proto": "https"})
    assert reply.status == 303
    _value, attributes = set_cookie(reply)
    assert {"secure", "httponly", "samesite=strict"} <= attributes


def test_a_login_never_sends_the_visitor_to_another_site(layered_atlas):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        reply = fetch(layered_atlas, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0],
                                                              "next": target},
                      headers={"X-Forwarded-For": "192.0.2.50"})
        assert reply.status == 303
        assert reply.header("location") == "/", target


def test_a_wrong_password_is_401_without_a_cookie(layered_atlas):
    reply = fetch(layered_atlas, "/login", "POST", form={"name": "pat", "password": "not-the-password"},
                  headers={"X-Forwarded-For": "192.0.2.1"})
    assert reply.status == 401
    assert set_cookie(reply) is None
    assert "Wrong name or password" in reply.text
    reply = fetch(layered_atlas, "/login", "POST", form={"name": "nobody", "password": "not-the-password"},
                  headers={"X-Forwarded-For": "192.0.2.2"})
    assert reply.status == 401
    assert set_cookie(reply) is None


@pytest.fixture
def own_atlas(tmp_path, layer_dirs):
    """An atlas with accounts of its own (to remove one, or to exhaust its logins)."""
    users = make_users(tmp_path / "users.json")
    with running_atlas([SEED, layer_dirs["partners"]], users=users) as base:
        yield base, users


def test_failed_logins_for_one_name_are_limited(own_atlas):
    base, _users = own_atlas
    for n in range(FAILURES_PER_NAME):  # each from another address: the limit is the account's
        reply = fetch(base, "/login", "POST", form={"name": "pat", "password": f"wrong-{n}"},
                      headers={"X-Forwarded-For": f"198.51.100.{n + 1}"})
        assert reply.status == 401, n
    reply = fetch(base, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0]},
                  headers={"X-Forwarded-For": "198.51.100.99"})
    assert reply.status == 429
    assert int(reply.header("retry-after")) > 0
    assert set_cookie(reply) is None
    # another account still logs in
    assert login(base, "ina", **{"X-Forwarded-For": "198.51.100.100"})


def test_a_stranger_cannot_lock_an_account_out_from_one_address(own_atlas):
    base, _users = own_atlas
    for n in range(FAILURES_ALLOWED):
        reply = fetch(base, "/login", "POST", form={"name": "pat", "password": f"wrong-{n}"},
                      headers={"X-Forwarded-For": "198.51.100.7"})
        assert reply.status == 401, n
    again = fetch(base, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0]},
                  headers={"X-Forwarded-For": "198.51.100.7"})
    assert again.status == 429  # that address is done for now
    assert login(base, "pat", **{"X-Forwarded-For": "198.51.100.8"})  # the account's owner, elsewhere, is not


def test_parallel_failed_logins_cannot_slip_past_the_count(own_atlas):
    from concurrent.futures import ThreadPoolExecutor

    base, _users = own_atlas

    def attempt(n):
        return fetch(base, "/login", "POST", form={"name": "pat", "password": f"wrong-{n}"},
                     headers={"X-Forwarded-For": "198.51.100.50"}).status

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(attempt, range(40)))
    assert statuses.count(401) <= FAILURES_ALLOWED  # each 401 is a password actually checked
    assert set(statuses) <= {401, 429} and statuses.count(429) >= 40 - FAILURES_ALLOWED


def test_failed_logins_from_one_address_are_limited(own_atlas):
    base, _users = own_atlas
    for n in range(FAILURES_ALLOWED):
        reply = fetch(base, "/login", "POST", form={"name": f"guess{n}", "password": "wrong-password"},
                      headers={"X-Forwarded-For": "203.0.113.7"})
        assert reply.status == 401, n
    reply = fetch(base, "/login", "POST", form={"name": "ina", "password": ACCOUNTS["ina"][0]},
                  headers={"X-Forwarded-For": "203.0.113.7"})
    assert reply.status == 429
    assert int(reply.header("retry-after")) > 0
    assert set_cookie(reply) is None


def test_a_tampered_cookie_is_public(layered_atlas):
    cookie = login(layered_atlas, "ina")
    path = address("/api/show", name="Kestrel Safe House for Children")
    assert fetch(layered_atlas, path, cookie=cookie).status == 200
    # a letter inside the signature (the last one of base64 may carry only padding bits)
    flipped = cookie[:-5] + ("A" if cookie[-5] != "A" else "Q") + cookie[-4:]
    for bad in (flipped, cookie + "x", "x" + cookie, cookie.split(".")[0], "null", ""):
        assert fetch(layered_atlas, path, cookie=bad).status == 404, bad
        assert "Signed in" not in fetch(layered_atlas, "/", cookie=bad).text


def test_a_removed_account_is_public_at_its_next_request(own_atlas):
    base, users = own_atlas
    cookie = login(base, "pat")
    path = address("/api/show", name="Quietwater Outreach")
    assert fetch(base, path, cookie=cookie).status == 200
    remove_user(users, "pat")
    assert fetch(base, path, cookie=cookie).status == 404
    assert "Signed in as pat" not in fetch(base, "/", cookie=cookie).text


def test_a_new_password_or_a_lost_users_file_ends_sign_ins(own_atlas):
    base, users = own_atlas
    path = address("/api/show", name="Quietwater Outreach")  # a partners record
    cookie = login(base, "pat")
    assert fetch(base, path, cookie=cookie).status == 200
    add_user(users, "pat", "a-new-password-2", "partners")  # the password changed: older sign-ins end
    assert fetch(base, path, cookie=cookie).status == 404
    cookie = login(base, "pat", password="a-new-password-2")
    assert fetch(base, path, cookie=cookie).status == 200
    users.write_text("{not json", encoding="utf-8")  # a users file that does not read: no account at all
    assert fetch(base, path, cookie=cookie).status == 404
    users.unlink()
    assert fetch(base, path, cookie=cookie).status == 404


def test_a_login_older_than_its_hours_is_public(layered_atlas, users_file):
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    from stakeholder_graph.web.accounts import LOGIN_HOURS, secret_for

    class Then(TimestampSigner):  # signs as if LOGIN_HOURS and a minute ago
        def get_timestamp(self):
            return int(time.time()) - LOGIN_HOURS * 3600 - 60

    signed = login(layered_atlas, "ina")  # what the atlas signs, signed again now or long ago
    payload = URLSafeTimedSerializer(secret_for(users_file), salt="stakeholder-graph login").loads(signed)

    def cookie(signer=TimestampSigner) -> str:
        return URLSafeTimedSerializer(secret_for(users_file), salt="stakeholder-graph login",
                                      signer=signer).dumps(payload)

    path = address("/api/show", name="Kestrel Safe House for Children")
    assert fetch(layered_atlas, path, cookie=cookie()).status == 200  # signed as the atlas signs
    assert fetch(layered_atlas, path, cookie=cookie(Then)).status == 404


def test_a_login_to_another_atlas_is_public_here(own_atlas, layered_atlas):
    base, _users = own_atlas  # its own users file, so its own signing secret
    elsewhere = login(layered_atlas, "pat")
    path = address("/api/show", name="Quietwater Outreach")
    assert fetch(layered_atlas, path, cookie=elsewhere).status == 200
    assert fetch(base, path, cookie=elsewhere).status == 404


def test_without_accounts_nobody_logs_in(seed_atlas):
    reply = fetch(seed_atlas, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0]})
    assert reply.status == 403
    assert set_cookie(reply) is None
    assert "no accounts" in fetch(seed_atlas, "/login").text


def test_logging_out_deletes_the_cookie(layered_atlas):
    reply = fetch(layered_atlas, "/logout", "POST", cookie=login(layered_atlas, "pat"))
    assert reply.status == 303
    value, attributes = set_cookie(reply)
    assert value in ('""', "") and ("max-age=0" in attributes or any(a.startswith("expires=") for a in attributes))


# --- 4. safe headers; read-only -----------------------------------------------------------------


def policy(reply: Reply) -> dict[str, list[str]]:
    value = reply.header("content-security-policy")
    assert value, f"{reply}: no Content-Security-Policy"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def unsafe_headers(reply: Reply) -> list[str]:
    problems = []
    csp = reply.header("content-security-policy") or ""
    directives = policy(reply) if csp else {}
    if not csp:
        problems.append("no Content-Security-Policy")
    if re.search(r"https?:", csp, re.IGNORECASE) or "*" in csp:
        problems.append(f"a source beyond the app: {csp}")
    scripts = directives.get("script-src", directives.get("default-src", []))
    if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"unsafe script-src: {scripts}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors: {directives.get('frame-ancestors')}")
    if reply.header("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not reply.header("referrer-policy"):
        problems.append("no Referrer-Policy")
    if not reply.path.startswith("/static/") and reply.header("cache-control") != "no-store":
        problems.append(f"a page a login may shape is cacheable: {reply.header('cache-control')}")
    return problems


SAMPLE = [  # (method, path, expected status)
    ("GET", "/", 200), ("GET", address("/who", population="children", place="Niš"), 200),
    ("GET", address("/pathway", population="children", place="Niš"), 200),
    ("GET", address("/ask", q="who handles child victims in Niš?"), 200),
    ("GET", address("/ask", q="what colour is the sky?"), 422), ("GET", "/record/atina", 200),
    ("GET", "/record/no-such-record", 404), ("GET", "/no/such/page", 404), ("GET", "/api/no-such", 404),
    ("GET", address("/api/who", population="children", place="Niš"), 200), ("GET", "/api/health", 200),
    ("GET", address("/api/who", populaton="children"), 400), ("GET", address("/api/show", name="Nsi"), 404),
    ("GET", "/static/atlas.css", 200), ("GET", "/static/atlas.js", 200), ("GET", "/static/nothing.css", 404),
    ("GET", "/static/..%2fapp.py", 404), ("GET", "/static/../app.py", 404), ("GET", "/static/.hidden.css", 404),
    ("GET", "/login", 200), ("GET", "/status", 200), ("GET", "/sources", 200),
    ("GET", address("/map", population="children", place="Niš"), 200), ("GET", address("/map", around="Nsi"), 404),
    ("POST", "/", 405), ("POST", "/api/who", 405), ("DELETE", "/record/atina", 405), ("PUT", "/static/atlas.css", 405),
]


@pytest.mark.parametrize("method,path,status", SAMPLE)
def test_every_response_has_safe_headers(seed_atlas, method, path, status):
    reply = fetch(seed_atlas, path, method)
    assert reply.status == status, reply.text[:500]
    assert unsafe_headers(reply) == []


@pytest.fixture(scope="module")
def seed_crawl(seed_atlas) -> list[Reply]:
    return crawl(seed_atlas, None)


def test_the_crawled_pages_all_have_safe_headers(seed_crawl):
    assert {r.path: unsafe_headers(r) for r in seed_crawl if unsafe_headers(r)} == {}


def test_every_link_the_pages_offer_leads_to_an_answer(seed_atlas, seed_crawl):
    """A link the atlas offers is never a dead end: each page of the crawl answers 200. (The
    record page of a source offers 'Open the map around this record', a map that cannot be
    drawn: 400 'nothing to draw'.)"""
    records = {r.path.removeprefix("/record/") for r in seed_crawl if r.path.startswith("/record/")}
    sources = {s["id"] for s in fetch(seed_atlas, "/api/sources").json()}
    assert len(records) > 100 and records & sources  # the crawl reached many records, sources among them
    assert {r.path: r.status for r in seed_crawl if r.status != 200} == {}


def test_the_map_allows_exactly_its_inline_scripts_by_hash(seed_atlas):
    reply = fetch(seed_atlas, address("/map", population="children", place="Niš"))
    assert reply.status == 200
    tags = re.findall(r"<script([^>]*)>(.*?)</script>", reply.text, re.DOTALL)
    assert not [attrs for attrs, _ in tags if "src=" in attrs]  # nothing loaded
    # the scripts that run (data blocks, type="application/json", never run)
    scripts = [body for attrs, body in tags if "type=" not in attrs or 'type="text/javascript"' in attrs]
    assert len(scripts) >= 2, "the map page runs its inline scripts"
    assert [a for a, _ in tags if "type=" in a and a.strip() not in (
        'type="application/json" id="map-data"', 'type="application/json" id="map-strings"',
        'type="application/json" id="fold-table"')] == []
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    allowed = policy(reply)["script-src"]
    assert set(allowed) == hashes
    assert policy(reply)["default-src"] == ["'none'"]


READ_ONLY = ["/", "/ask", "/who", "/pathway", "/gaps", "/record/atina", "/search", "/sources", "/map", "/status",
             "/static/atlas.css", "/api/health", *(f"/api/{q}" for q in ("who", "pathway", "gaps", "show", "actor",
                                                                        "project", "ask", "sources", "search",
                                                                        "suggest"))]


@pytest.mark.parametrize("path", READ_ONLY)
def test_nothing_but_login_and_logout_takes_a_post(seed_atlas, path):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        reply = fetch(seed_atlas, path, method, form={"name": "x"})
        assert reply.status == 405, (method, path, reply.status)
        assert unsafe_headers(reply) == []
        if path.startswith("/api/"):
            assert "error" in reply.json()
    for method in ("PUT", "DELETE", "PATCH"):
        assert fetch(seed_atlas, "/login", method).status == 405
        assert fetch(seed_atlas, "/logout", method).status == 405
    assert fetch(seed_atlas, "/logout").status == 405  # logging out is a POST


# --- 5. refusals, never a wrong answer ----------------------------------------------------------


def test_an_unknown_parameter_is_refused_by_name(seed_atlas):
    reply = fetch(seed_atlas, address("/api/who", populaton="children"))
    assert reply.status == 400
    assert "populaton" in reply.json()["error"]
    reply = fetch(seed_atlas, address("/api/who", population="children", plase="Niš"))
    assert reply.status == 400
    assert "plase" in reply.json()["error"]
    reply = fetch(seed_atlas, address("/who", population="children", place="Niš", servce="shelter"))
    assert reply.status == 400
    assert "servce" in reply.text


def test_the_who_page_refuses_an_unknown_parameter_given_alone(seed_atlas):
    """/who?populaton=children (a mistyped parameter and no other) must be refused like the
    API refuses it, not answered with the empty form as if nothing had been asked."""
    reply = fetch(seed_atlas, address("/who", populaton="children"))
    assert reply.status == 400
    assert "populaton" in reply.text


@pytest.mark.parametrize("path", ["/record/atina?as_of=2020-01-01", "/record/atina?freshness=6",
                                  "/record/atina?populaton=children", "/status?populaton=children"])
def test_pages_refuse_parameters_they_do_not_take(seed_atlas, path):
    """The record page answers for today whatever as_of asks (its profile has dated rows), and
    ignores any parameter, as /status does: refused like the home page refuses one."""
    assert fetch(seed_atlas, "/?as_of=2020-01-01").status == 400  # as the home page does
    reply = fetch(seed_atlas, path)
    assert reply.status == 400, reply
    assert urlsplit(path).query.split("=")[0] in reply.text


def test_a_repeated_parameter_is_refused(seed_atlas):
    reply = fetch(seed_atlas, "/api/who?population=children&population=women&place=Ni%C5%A1")
    assert reply.status == 400
    assert "population" in reply.json()["error"]
    reply = fetch(seed_atlas, "/who?place=Ni%C5%A1&place=Vranje")
    assert reply.status == 400


def test_a_bad_date_is_refused(seed_atlas):
    for date in ("2026-02-30", "yesterday", "28.11.2026x"):
        reply = fetch(seed_atlas, address("/api/who", population="children", place="Niš", as_of=date))
        assert reply.status == 400, date
        assert "as_of" in reply.json()["error"]


def test_a_bad_number_or_flag_is_refused(seed_atlas):
    for params in ({"age": "fourteen"}, {"age": "400"}, {"active": "maybe"}, {"freshness": "-1"}, {"freshness": "601"}):
        reply = fetch(seed_atlas, address("/api/who", population="children", place="Niš", **params))
        assert reply.status == 400, params
        assert next(iter(params)) in reply.json()["error"]


def test_an_unknown_place_is_404_with_suggestions(seed_atlas):
    reply = fetch(seed_atlas, address("/api/who", population="children", place="Nsi"))
    assert reply.status == 404
    assert "Niš" in reply.json()["suggestions"]
    page = fetch(seed_atlas, address("/who", population="children", place="Nsi"))
    assert page.status == 404
    assert address("/search", q="Niš").replace("&", "&amp;") in page.text  # a link to the suggestion


def test_an_unanswerable_question_is_422_with_reason_and_examples(seed_atlas):
    question = "what colour is the sky over the sea?"
    reply = fetch(seed_atlas, address("/api/ask", q=question))
    assert reply.status == 422
    body = reply.json()
    assert body["error"] and body["reason"]
    assert len(body["examples"]) >= 2
    page = fetch(seed_atlas, address("/ask", q=question))
    assert page.status == 422
    assert 'role="alert"' in page.text
    assert "Not understood" in page.text and "colour" in page.text
    for example in body["examples"]:  # each example offered as a question to ask
        assert address("/ask", q=example).replace("&", "&amp;") in page.text
    # the question asked stays in the box, to edit
    assert 'value="what colour is the sky over the sea?"' in page.text


def test_an_empty_question_is_refused(seed_atlas):
    for path in ("/api/ask", address("/api/ask", q="   "), "/api/who", "/api/show", "/api/pathway?population=children"):
        reply = fetch(seed_atlas, path)
        assert reply.status == 400, path
        assert reply.json()["error"]


# --- 6. search ------------------------------------------------------------------------------------


def top_names(base: str, q: str, cookie: str | None = None, n: int = 3) -> list[str]:
    reply = fetch(base, address("/api/search", q=q), cookie=cookie)
    assert reply.status == 200, reply.text
    return [r["name"] for r in reply.json()["results"][:n]]


@pytest.mark.parametrize("q,name", [("nis", "Niš"), ("NIŠ", "Niš"), ("Ниш", "Niš"), ("atna", "Atina"),
                                    ("Атина", "Atina"), ("subotca", "Subotica")])
def test_search_finds_names_in_any_script_and_with_typos(seed_atlas, q, name):
    assert top_names(seed_atlas, q)[0] == name
    page = fetch(seed_atlas, address("/search", q=q))
    assert page.status == 200
    assert re.search(r'<ol class="results">\s*<li><a href="/record/[^"]+">' + re.escape(name) + "</a>", page.text)


def test_search_never_finds_a_hidden_record_for_the_public(layered_atlas):
    cookie = login(layered_atlas, "ina")
    for q in ("Quietwater", "Kestrel", "Secret Shelter", "Ravenhollow", "Nightjar", "Zeta", "Omega", "Hidden Haven"):
        found = {r["id"] for r in fetch(layered_atlas, address("/api/search", q=q)).json()["results"]}
        assert not found & HIDDEN_IDS["public"], q
        offered = " ".join(fetch(layered_atlas, address("/api/suggest", q=q[:4])).json()).lower()
        assert not [w for w in FORBIDDEN["public"] if w.lower() in offered], q
        # the internal account does find them (the search can find them at all)
        found = {r["id"] for r in fetch(layered_atlas, address("/api/search", q=q), cookie=cookie).json()["results"]}
        assert found & HIDDEN_IDS["public"], q


# --- 7. reloading changed data -------------------------------------------------------------------

GOOD_ACTOR = """\
- id: bluebell-counselling
  name: Bluebell Counselling Centre
  sector: ngo
  type: ngo
  level: local
  located_in: [nis]
  sources: [irc-serbia-country-program]
"""
SECOND_ACTOR = """\
- id: thistle-aid
  name: Thistle Aid Collective
  sector: ngo
  type: ngo
  level: local
  located_in: [{place}]
  sources: [irc-serbia-country-program]
"""


def wait_for(condition, seconds: float = 10.0, what: str = "") -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def found(base: str, q: str) -> bool:
    return any(q.lower() in r["name"].lower() for r in fetch(base, address("/api/search", q=q)).json()["results"])


def banner(reply: Reply) -> str | None:
    m = re.search(r'<div class="banner" role="alert">(.*?)</div>', reply.text, re.DOTALL)
    return m.group(1) if m else None


def test_changed_data_is_served_and_data_with_errors_never(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SEED, data)
    users = make_users(tmp_path / "users.json")
    extra = data / "actors-extra.yaml"
    with running_atlas([data], users=users, watch_seconds=0.3) as base:
        ina = login(base, "ina")
        assert not found(base, "Bluebell Counselling")
        extra.write_text(GOOD_ACTOR, encoding="utf-8")
        wait_for(lambda: found(base, "Bluebell Counselling"), what="the new record served")

        # a validation error: the whole change waits, the last good data stays served
        extra.write_text(GOOD_ACTOR + SECOND_ACTOR.format(place="atlantis-nowhere"), encoding="utf-8")
        wait_for(lambda: banner(fetch(base, "/", cookie=ina)) is not None, what="the maintainers' banner")
        alert = banner(fetch(base, "/", cookie=ina))
        assert "atlantis-nowhere" in alert
        assert found(base, "Bluebell Counselling") and not found(base, "Thistle Aid")
        for path in ("/", "/status", "/api/health", address("/search", q="Thistle"), address("/who", place="Niš")):
            for cookie in (None, login(base, "pat")):
                shown = fetch(base, path, cookie=cookie).text
                assert 'role="alert"' not in shown, path
                assert "atlantis" not in shown and "has errors" not in shown and str(data) not in shown, path
        status = fetch(base, "/status", cookie=ina)
        assert "atlantis-nowhere" in status.text

        # a YAML syntax error: the same
        extra.write_text(GOOD_ACTOR + "- id: [broken\n  name: : :\n", encoding="utf-8")
        wait_for(lambda: "atlantis" not in (banner(fetch(base, "/", cookie=ina)) or "atlantis"),
                 what="the banner of the new error")
        assert banner(fetch(base, "/", cookie=ina))
        assert "has errors" not in fetch(base, "/").text
        assert found(base, "Bluebell Counselling")

        # fixed: served, and the banner gone
        extra.write_text(GOOD_ACTOR + SECOND_ACTOR.format(place="nis"), encoding="utf-8")
        wait_for(lambda: found(base, "Thistle Aid"), what="the fixed data served")
        assert found(base, "Bluebell Counselling")
        assert banner(fetch(base, "/", cookie=ina)) is None


def test_a_broken_file_taken_away_again_ends_the_warning(tmp_path):
    """A maintainer drops in a file with errors, sees the banner, and takes the file away: the
    data is again exactly what is served, so the banner saying the changed data is not served
    must go."""
    data = tmp_path / "data"
    shutil.copytree(SEED, data)
    users = make_users(tmp_path / "users.json")
    with running_atlas([data], users=users, watch_seconds=0.3) as base:
        ina = login(base, "ina")
        assert banner(fetch(base, "/", cookie=ina)) is None
        broken = data / "actors-broken.yaml"
        broken.write_text(SECOND_ACTOR.format(place="atlantis-nowhere"), encoding="utf-8")
        wait_for(lambda: banner(fetch(base, "/", cookie=ina)) is not None, what="the maintainers' banner")
        broken.unlink()
        wait_for(lambda: banner(fetch(base, "/", cookie=ina)) is None, what="the banner gone with the broken file")
        assert "atlantis-nowhere" not in fetch(base, "/status", cookie=ina).text


# --- 8. the commands, for real ---------------------------------------------------------------------


def test_serve_runs_the_atlas_and_stops_cleanly(tmp_path):
    users = make_users(tmp_path / "users.json")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        process = subprocess.Popen([sys.executable, "-m", "stakeholder_graph", "serve", "--port", str(port),
                                    "--users", str(users)], env=dict(os.environ), cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                health = fetch(base, "/api/health")
                if health.status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "serve did not answer /api/health: " + log.read_text()
            time.sleep(0.1)
        assert health.json()["status"] == "ok"
        reply = fetch(base, address("/api/who", population="children", place="Niš"))
        assert reply.status == 200
        assert reply.json()["results"]
        assert reply.header("server") is None  # no server banner
        # its accounts, and its trust in the local proxy's https
        secure = fetch(base, "/login", "POST", form={"name": "pat", "password": ACCOUNTS["pat"][0]},
                       headers={"X-Forwarded-Proto": "https"})
        assert secure.status == 303
        assert "secure" in set_cookie(secure)[1]
        assert "Signed in as pat" in fetch(base, "/", cookie=set_cookie(secure)[0]).text
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("serve did not stop on SIGTERM")
    said = log.read_text()
    assert code in (0, -signal.SIGTERM), (code, said)
    assert "Traceback" not in said and "ERROR" not in said, said
    assert "serving" in said


def test_serve_help_shows_an_example(run):
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert re.search(r"^\s+stakeholder-graph .*serve", result.stdout, re.MULTILINE)


def test_serve_refuses_a_users_file_that_is_not_there(run, tmp_path):
    result = run("serve", "--port", free_port(), "--users", tmp_path / "missing.json")
    assert result.exit_code == 2
    assert "missing.json" in result.stderr and "users add" in result.stderr


def test_users_add_list_remove(run, tmp_path):
    users = tmp_path / "conf" / "users.json"
    password = "a-long-enough-password"
    result = run("users", "add", "maria", "--audience", "partners", "--users", users, "--password-stdin",
                 input=password + "\n")
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert password not in users.read_text()
    result = run("users", "add", "ana", "--audience", "internal", "--users", users, "--password-stdin",
                 input="another-long-password\n")
    assert result.exit_code == 0, result.stderr

    listed = run("users", "list", "--users", users, "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout) == [{"name": "ana", "audience": "internal"},
                                         {"name": "maria", "audience": "partners"}]
    assert "$argon2" not in listed.stdout + listed.stderr and "hash" not in listed.stdout

    # the password given is the one that logs in
    from stakeholder_graph.web.accounts import Accounts

    accounts = Accounts(users)
    assert accounts.login("maria", password, "test")[0] is not None
    assert accounts.login("maria", password + "x", "test")[0] is None

    result = run("users", "remove", "maria", "--users", users)
    assert result.exit_code == 0, result.stderr
    listed = run("users", "list", "--users", users, "--format", "json")
    assert json.loads(listed.stdout) == [{"name": "ana", "audience": "internal"}]
    assert stat.S_IMODE(users.stat().st_mode) == 0o600


def test_a_too_short_password_is_a_clear_error(run, tmp_path):
    users = tmp_path / "users.json"
    result = run("users", "add", "bob", "--audience", "public", "--users", users, "--password-stdin",
                 input="short\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "too short" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not users.exists()


# --- found in review: links, languages, one spelling of a parameter, the cache ----------------

def test_the_language_links_stay_on_this_site(seed_atlas):
    for path in ("//evil.example/x", "/%2F%2Fevil.example", "/record/nope"):
        page = fetch(seed_atlas, path)
        links = Links()
        links.feed(page.text)
        switch = [href for href in links.links if "lang=" in href]
        assert len(switch) == 3, (path, links.links)
        assert all(href.startswith("?") for href in switch), switch  # relative to the page itself


def test_one_parameter_in_two_spellings_or_an_unknown_language_is_refused(seed_atlas):
    both = fetch(seed_atlas, address("/api/who", population="children", place="Niš", **{"as_of": "2020-01-01",
                                                                                            "as-of": "2026-01-01"}))
    assert both.status == 400 and "given 2 times" in both.json()["error"]
    for lang in ("klingon", "xx"):
        assert fetch(seed_atlas, address("/api/who", population="children", place="Niš", lang=lang)).status == 400
        assert fetch(seed_atlas, address("/", lang=lang)).status == 400
    assert fetch(seed_atlas, address("/map", place="nis", depth="3")).status == 400  # depth is around a record


def test_error_pages_speak_the_visitors_language(seed_atlas):
    page = fetch(seed_atlas, address("/record/nope", lang="sr-Cyrl"))
    assert page.status == 404 and "Нема записа са овом ознаком." in page.text


def test_an_echoed_bidi_control_shows_as_an_escape(seed_atlas):
    page = fetch(seed_atlas, address("/search", q="Niš\u202egnp.exe"))
    assert "\u202e" not in page.text and "\\u202e" in page.text


def test_the_answer_cache_is_bounded_in_bytes_and_keeps_no_chosen_date():
    from stakeholder_graph.web.atlas import AnswerCache

    cache = AnswerCache(size=100, budget=1000)
    for n in range(20):
        cache.put(("map", n), b"x" * 100)
    kept = [n for n in range(20) if cache.get(("map", n)) is not None]
    assert kept == list(range(10, 20))  # the newest ten: 1,000 bytes
    cache.put(("huge",), b"x" * 200)  # more than an eighth of the budget: never kept
    assert cache.get(("huge",)) is None


def test_answers_for_a_chosen_date_are_not_cached_and_todays_are():
    with running_atlas([SEED]) as base:
        for day in range(1, 11):
            assert fetch(base, address("/api/who", population="children", place="Niš",
                                       as_of=f"2020-02-{day:02d}")).status == 200
        assert not base.atlas.cache._items
        assert fetch(base, address("/api/who", population="children", place="Niš")).status == 200
        assert len(base.atlas.cache._items) == 1


def test_https_pages_ask_browsers_to_stay_on_https(layered_atlas):
    assert fetch(layered_atlas, "/", headers={"X-Forwarded-Proto": "https"}).header("strict-transport-security")
    assert fetch(layered_atlas, "/").header("strict-transport-security") is None


def test_a_client_that_accepts_gzip_gets_the_same_answer_packed(seed_atlas):
    import gzip

    path = address("/api/who", population="children", place="Niš")
    plain = fetch(seed_atlas, path)
    for _ in range(2):  # computed, then from the cache
        packed = fetch(seed_atlas, path, headers={"Accept-Encoding": "gzip, deflate"})
        assert packed.header("content-encoding") == "gzip" and "Accept-Encoding" in packed.header("vary")
        assert gzip.decompress(packed.body) == plain.body
    assert plain.header("content-encoding") is None


def test_the_atlas_answers_from_a_bolt_server_as_from_the_files(run, db):
    """--data bolt://...: the atlas reads the shared copy (ArcadeDB's Bolt server, started by the
    tests) and answers as the CLI does from the files."""
    from stakeholder_graph.exports.neo4j import push

    from helpers import graph_of

    push(graph_of(SEED), db, audience="public")
    with running_atlas([db.uri]) as base:
        reply = fetch(base, address("/api/who", population="children", place="Niš"))
        assert reply.status == 200
        cli = run("who", "--population", "children", "--place", "Niš", "--format", "json")
        assert reply.body.decode("utf-8") == cli.stdout.rstrip("\n")
        assert "Atina" in fetch(base, "/record/atina").text
