"""The referral atlas in a real browser: headless Chromium (Playwright, Debian's `chromium`)
against the app served for real by uvicorn on 127.0.0.1 (tests/atlas_server.py), over the seed
data, a partners layer and a layer of hostile records whose text is script.

    a coordinator's flow  ask in English and in Cyrillic (same actors first), open an actor,
                          the pathway form, print the pathway to an A4 PDF
    hostile data          every page kind and the suggestions as one types: shown as text, run never
    no outside request    everything the pages load comes from 127.0.0.1
    accessibility         axe-core finds no serious or critical violation; every control is labelled
    keyboard only         Tab, type, Enter from the question box to an actor's page, focus visible
    logging in            the cookie is HttpOnly and SameSite=Strict; the header says who; sign out

One server and one browser (conftest.py's, shared with test_maps.py) for the module; each test
opens its own browser context. Nothing is skipped: a missing browser or axe-core fails with the
command that installs it (`bash .ci/run` installs everything).
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from atlas_server import ACCOUNTS, hostile_layer, make_users, running_atlas
from helpers import ROOT, SEED, write_files
from layers import PARTNERS_LAYER

NODE_DIR = Path(__file__).resolve().parent / ".node"  # git-ignored; .ci/run installs axe-core here
AXE_JS = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"

ASK_EN = "who handles child victims in Niš?"
ASK_CYRL = "ко помаже деци жртвама трговине у Нишу?"
ACTOR = "centre-for-protection-of-victims"  # a seed actor on the contact-first list for children in Niš
PARTNERS_ONLY = "Quietwater Outreach"  # an actor of PARTNERS_LAYER, seen by `pat` only
# the hostile layer's records as the pages must show them: literally
XSS_NGO = '<img src=x onerror="window.__xss=1"> Harbour NGO'
XSS_SERVICE = '"><script>window.__xss=1</script> Harbour drop-in'
XSS_SOURCE = '"><script>window.__xss=1</script> Source title'
XSS_DESCRIPTION = "</script><script>window.__xss=1</script> helps children"


def axe_pin() -> str:
    """The axe-core version .ci/run installs (the one place it is pinned)."""
    found = re.search(r"^AXE_CORE=axe-core@(\S+)", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    assert found, ".ci/run no longer pins axe-core (AXE_CORE=axe-core@<version>)"
    return found.group(1)


def axe_install_command() -> str:
    return f"npm install --no-audit --no-fund --prefix {NODE_DIR} axe-core@{axe_pin()}"


# --- the server and the visits --------------------------------------------------------------


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    """The atlas over the seed data, a partners layer and the hostile layer, with accounts."""
    tmp = tmp_path_factory.mktemp("atlas")
    data = [SEED, write_files(tmp / "partners", PARTNERS_LAYER), hostile_layer(tmp / "hostile")]
    with running_atlas(data, users=make_users(tmp / "users.json")) as base:
        yield base


class Visit:
    """One browser context with one page on the atlas, seeing every request, dialog, new
    window, script error and console error (where a load the policy refused shows)."""

    def __init__(self, browser, base: str, **options):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.popups: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("page", lambda p: self.popups.append(p.url) if p is not self.page else None)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # a load the policy refused, a script error: the console says so
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def go(self, path: str, status: int = 200):
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == status, (path, response and response.status)
        return response

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def xss(self) -> str:
        return self.page.evaluate("typeof window.__xss")

    def outside(self) -> list[str]:
        """Requests to anywhere but this atlas."""
        own = urlsplit(self.base).netloc
        return [u for u in self.requests if urlsplit(u).scheme != "http" or urlsplit(u).netloc != own]

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def contact_first(self) -> list[str]:
        """The hrefs of the actors on the answer's "contact first" list, in order."""
        return self.page.locator("section.contact-first ol.first > li > strong > a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")

    def focused(self) -> dict:
        return self.page.evaluate("""() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
                    focusVisible: el.matches(':focus-visible')};
        }""")


@pytest.fixture
def visit(browser, atlas):
    """visit(**context options) -> Visit; every one of them must, whatever the test, have sent
    no request beyond 127.0.0.1 and run no payload of the hostile data."""
    opened: list[Visit] = []

    def opener(**options) -> Visit:
        v = Visit(browser, atlas, **options)
        opened.append(v)
        return v

    yield opener
    try:
        for v in opened:
            assert v.outside() == [], v.outside()
            assert v.dialogs == [] and v.popups == [] and v.errors == [], (v.dialogs, v.popups, v.errors)
            if not v.page.is_closed():
                assert v.xss() == "undefined"
    finally:
        for v in opened:
            v.context.close()


# --- 1. a coordinator's flow ----------------------------------------------------------------


def ask_by_typing(v: Visit, question: str) -> None:
    """Type the question into the home page's question box and submit it with Enter."""
    v.page.locator("#q").click()
    v.page.keyboard.type(question)
    with v.page.expect_navigation(wait_until="load"):
        v.page.keyboard.press("Enter")
    assert urlsplit(v.page.url).path == "/ask"


def step_headings(v: Visit) -> list[str]:
    """Each step's heading ("1. first contact"), without its note ("alongside the other steps")."""
    return v.page.locator("ol.steps > li.step > h2").evaluate_all("""hs => hs.map(h => {
        const c = h.cloneNode(true);
        c.querySelectorAll('.meta').forEach(m => m.remove());
        return c.textContent.replace(/\\s+/g, ' ').trim();
    })""")


def test_coordinator_asks_in_two_scripts_opens_an_actor_and_prints_the_pathway(visit, tmp_path_factory):
    from pypdf import PdfReader

    v = visit()
    v.go("/")
    ask_by_typing(v, ASK_EN)
    first = v.page.locator("#first-heading")
    assert first.is_visible() and first.inner_text() == "Contact first"
    english = v.contact_first()
    assert len(english) >= 3 and f"/record/{ACTOR}" in english, english
    assert all(re.fullmatch(r"/record/[a-z0-9-]+", href) for href in english), english

    v.go("/")
    ask_by_typing(v, ASK_CYRL)
    assert v.page.locator("html").get_attribute("lang") == "sr-Cyrl"  # answered in the question's script
    assert first.is_visible() and first.inner_text() == "Прво контактирајте"
    assert v.contact_first() == english

    with v.page.expect_navigation(wait_until="load"):
        v.page.locator(f'section.contact-first a[href="/record/{ACTOR}"]').click()
    assert v.path() == f"/record/{ACTOR}"
    assert v.page.locator("h1").is_visible()
    assert v.page.locator("section[aria-labelledby=relations-heading] table tbody tr").count() > 0

    v.go("/?lang=en")
    form = v.page.locator("form[action='/pathway']")
    form.locator("#pathway-population").fill("unaccompanied children")
    form.locator("#pathway-place").fill("Subotica")
    with v.page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert urlsplit(v.page.url).path == "/pathway"
    headings = step_headings(v)
    assert len(headings) >= 5 and headings[0].startswith("1. "), headings

    out = tmp_path_factory.mktemp("printed")
    v.page.emulate_media(media="print")
    pdf = v.page.pdf(format="A4")
    (out / "pathway.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    width, height = (float(x) * 25.4 / 72 for x in (box.width, box.height))  # points -> mm
    assert abs(width - 210) < 1.5 and abs(height - 297) < 1.5, (width, height)  # A4
    # the PDF's text, its ligatures ("ﬁ") undone
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", " ".join(p.extract_text() or "" for p in reader.pages)))
    at = 0
    for heading in headings:  # every step heading, in order
        found = text.find(heading, at)
        assert found >= 0, f"step heading {heading!r} is not in the PDF after position {at}: {text[:2000]}"
        at = found + len(heading)
    assert "Printed from the referral atlas" in text  # the print-only line
    assert "Skip to the answer" not in text and "Open this pathway as an interactive map" not in text

    # The print view at the width of A4 inside the page margins (210 mm - 2 x 12 mm at 96 dpi):
    # nothing wider than the page, so nothing is cut off at the right edge of the paper.
    v.page.set_viewport_size({"width": 703, "height": 994})
    overflow = v.page.evaluate("""() => {
        const limit = document.documentElement.clientWidth + 1;
        return [...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > limit)
            .map(el => el.tagName + ' ' + (el.textContent || '').slice(0, 60));
    }""")
    assert overflow == [] and v.page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"), overflow
    v.page.screenshot(path=str(out / "pathway-print.png"), full_page=True)
    print(f"\nthe printed pathway: {out / 'pathway.pdf'}, its print view: {out / 'pathway-print.png'}")


# --- 2 and 3. hostile data, and no request beyond 127.0.0.1 ----------------------------------

WHO_NIS = "/who?population=children&place=nis"
PAGES = {  # every page kind -> the hostile text it must show literally (None: a page that need not)
    "home": ("/", None),
    "ask (who handles)": ("/ask?q=" + quote(ASK_EN), XSS_NGO),
    "ask in Cyrillic": ("/ask?q=" + quote(ASK_CYRL), XSS_NGO),
    "who": (WHO_NIS, XSS_NGO),
    "who in Cyrillic": (WHO_NIS + "&lang=sr-Cyrl", XSS_NGO),
    "pathway": ("/pathway?population=children&place=nis", XSS_SERVICE),
    "record of the NGO": ("/record/xss-ngo", XSS_DESCRIPTION),
    "record of the service": ("/record/xss-service", XSS_SERVICE),
    "record of the source": ("/record/xss-source", XSS_SOURCE),
    "search": ("/search?q=Harbour", XSS_NGO),
    "sources": ("/sources", XSS_SOURCE),
    "gaps": ("/gaps?service=drop_in_centre&population=children&country=serbia", None),
    "login": ("/login", None),
}


@pytest.fixture(scope="module")
def hostile_tour(browser, atlas):
    """Every page kind once, and the suggestions as one types, in one context: what each page
    showed and whether anything ran."""
    v = Visit(browser, atlas)
    seen: dict[str, dict] = {}

    def look(name: str, expected: str | None):
        main = v.page.locator("main")
        seen.setdefault(name, {}).update({
            "xss": v.xss(), "dialogs": list(v.dialogs),
            "shown": expected is None or expected in main.inner_text(),
            "javascript links": v.page.locator('a[href^="javascript:" i], [src^="javascript:" i]').count(),
        })

    try:
        for name, (path, expected) in PAGES.items():
            v.go(path)
            look(name, expected)
        # the NGO's name as a link on the answer, and on its own page as the heading
        v.go(WHO_NIS)
        link = v.page.locator('section.contact-first a[href="/record/xss-ngo"]')
        seen["who"]["link text"] = link.inner_text() if link.is_visible() else None
        v.go("/record/xss-ngo")
        seen["record of the NGO"]["heading"] = v.page.locator("h1").inner_text()

        # suggestions as one types: /api/suggest fills the datalists (the search box: any kind)
        v.go("/search")
        with v.page.expect_response(lambda r: "/api/suggest?" in r.url) as answered:
            v.page.locator("#search-q").type("<img src", delay=20)
        assert answered.value.status == 200
        options = v.page.locator("#search-suggestions option")
        options.first.wait_for(state="attached")
        seen["suggestions"] = {"options": options.evaluate_all("os => os.map(o => o.value)")}
        v.page.locator("#search-q").fill("")
        with v.page.expect_response(lambda r: "q=Harbour" in r.url):
            v.page.locator("#search-q").type("Harbour", delay=20)
        v.page.wait_for_function("document.querySelectorAll('#search-suggestions option').length >= 2")
        seen["suggestions"]["Harbour"] = options.evaluate_all("os => os.map(o => o.value)")
        look("suggestions", None)

        v.go("/")  # the home page's lists hold every place and group already: typing keeps them whole
        before = v.page.locator("#places option").count()
        asked: list[str] = []
        v.page.on("request", lambda r: asked.append(r.url) if "/api/suggest" in r.url else None)
        for box, typed in (("#who-place", "<svg onload"), ("#who-population", '"><script>'), ("#gaps-country", "Ni")):
            v.page.locator(box).type(typed, delay=20)
        v.page.wait_for_timeout(400)  # longer than the script's pause before it would ask
        assert not asked and v.page.locator("#places option").count() == before > 100
        look("home, typing", None)

        v.go("/map?population=children&place=nis")  # the interactive map: its own page and scripts
        v.page.wait_for_selector("body[data-drawn=yes]")
        v.page.locator("#search").type("Harbour", delay=20)
        v.page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        seen["map"] = {"xss": v.xss(), "dialogs": list(v.dialogs), "results": v.page.locator(
            "#search-results").inner_text(), "javascript links": 0, "shown": True}
        v.page.wait_for_timeout(300)  # a late request (an image of a payload, a favicon) would show up here
        yield {"seen": seen, "requests": list(v.requests), "outside": v.outside(), "popups": v.popups,
               "errors": v.errors, "base": atlas}
    finally:
        v.context.close()


def test_hostile_data_is_shown_as_text_and_never_runs(hostile_tour):
    seen = hostile_tour["seen"]
    assert set(PAGES) <= set(seen) and {"suggestions", "home, typing", "map"} <= set(seen)
    ran = {name: s["xss"] for name, s in seen.items() if s["xss"] != "undefined"}
    assert ran == {}, f"a payload ran on: {ran}"
    assert all(s["dialogs"] == [] for s in seen.values()) and hostile_tour["popups"] == []
    assert {name for name, s in seen.items() if not s["shown"]} == set(), "a payload was not shown as text"
    assert all(s["javascript links"] == 0 for s in seen.values())
    assert seen["who"]["link text"] == XSS_NGO
    assert seen["record of the NGO"]["heading"].startswith(XSS_NGO)
    assert XSS_NGO in seen["suggestions"]["options"]
    assert {XSS_NGO, XSS_SERVICE} <= set(seen["suggestions"]["Harbour"])
    assert XSS_NGO in seen["map"]["results"]
    assert hostile_tour["errors"] == []


def test_no_request_leaves_127_0_0_1(hostile_tour):
    requests = hostile_tour["requests"]
    assert hostile_tour["outside"] == [], hostile_tour["outside"]
    assert {urlsplit(u).hostname for u in requests} == {"127.0.0.1"}
    paths = {urlsplit(u).path for u in requests}  # the recording saw the pages' own loads
    assert {"/static/atlas.js", "/static/atlas.css", "/api/suggest", "/map", "/record/xss-ngo"} <= paths, paths


# --- 4. accessibility -----------------------------------------------------------------------

A11Y_PAGES = {
    "home": {"en": "/?lang=en", "sr-Cyrl": "/?lang=sr-Cyrl"},
    "answer": {"en": "/ask?lang=en&q=" + quote(ASK_EN), "sr-Cyrl": "/ask?lang=sr-Cyrl&q=" + quote(ASK_CYRL)},
    "pathway": {lang: f"/pathway?population=unaccompanied+children&place=Subotica&lang={lang}"
                for lang in ("en", "sr-Cyrl")},
    "actor": {lang: f"/record/{ACTOR}?lang={lang}" for lang in ("en", "sr-Cyrl")},
}
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden')
    .filter(el => {
        if ((el.getAttribute('aria-label') || '').trim()) return false;
        const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        if (by.length && by.every(id => (document.getElementById(id)?.textContent || '').trim())) return false;
        return ![...el.labels].some(label => label.textContent.trim());
    })
    .map(el => el.outerHTML)"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    pin = axe_pin()
    if not AXE_JS.is_file():  # never skipped: fail with the command that installs it
        pytest.fail(f"axe-core is not installed at {AXE_JS}: run `{axe_install_command()}` (or bash .ci/run)")
    installed = json.loads((AXE_JS.parent / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != pin:
        pytest.fail(f"axe-core {installed} is installed, .ci/run pins {pin}: run `{axe_install_command()}`")
    return AXE_JS


@pytest.mark.parametrize("lang", ["en", "sr-Cyrl"])
@pytest.mark.parametrize("kind", list(A11Y_PAGES))
def test_no_serious_accessibility_violation_and_every_control_labelled(visit, axe_script, kind, lang):
    # the atlas's policy allows no injected script: this context alone bypasses it, for axe
    v = visit(bypass_csp=True)
    v.go(A11Y_PAGES[kind][lang])
    assert v.page.locator("html").get_attribute("lang") == lang
    v.page.add_script_tag(path=str(axe_script))
    result = v.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{x['impact']} {x['id']}: {x['help']} at " + "; ".join(
        " ".join(n["target"]) + " " + n["html"][:160] for n in x["nodes"][:5])
        for x in result["violations"] if x["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(serious)
    if kind in ("home", "answer"):  # the question box, the forms; "ask another question"
        assert v.page.locator("main input, main select").count() > 0
    assert v.page.evaluate(UNLABELLED) == []


# --- 5. keyboard only -----------------------------------------------------------------------


def tab_to(v: Visit, matches, limit: int = 60) -> list[dict]:
    """Press Tab until the focused element matches; every element focused on the way."""
    passed = []
    for _ in range(limit):
        v.page.keyboard.press("Tab")
        now = v.focused()
        passed.append(now)
        if matches(now):
            return passed
    raise AssertionError(f"{limit} presses of Tab never reached it; focused: {passed}")


def visible_focus(f: dict) -> bool:
    return f["outline"] != "none" and f["width"] > 0


def test_keyboard_only_from_the_question_box_to_an_actor(visit):
    v = visit()
    v.go("/?lang=en")
    passed = tab_to(v, lambda f: f["id"] == "q")
    assert passed[0]["href"] == "#main"  # the skip link comes first
    assert visible_focus(passed[-1]) and passed[-1]["focusVisible"], passed[-1]
    v.page.keyboard.type(ASK_EN)
    with v.page.expect_navigation(wait_until="load"):
        v.page.keyboard.press("Enter")
    assert urlsplit(v.page.url).path == "/ask"
    first = v.contact_first()[0]
    passed = tab_to(v, lambda f: f["href"] == first)
    assert all(visible_focus(f) for f in passed), [f for f in passed if not visible_focus(f)]
    with v.page.expect_navigation(wait_until="load"):
        v.page.keyboard.press("Enter")
    assert v.path() == first


# --- 6. logging in --------------------------------------------------------------------------


def test_sign_in_and_out_in_the_browser(visit):
    name, (password, audience) = "pat", ACCOUNTS["pat"]
    v = visit()
    v.go(WHO_NIS)
    assert PARTNERS_ONLY not in v.main_text()
    with v.page.expect_navigation(wait_until="load"):
        v.page.locator(".account a").click()
    assert urlsplit(v.page.url).path == "/login"

    v.page.locator("#login-name").fill(name)
    v.page.locator("#login-password").fill("not-the-password")
    with v.page.expect_navigation(wait_until="load"):
        v.page.locator("main form button[type=submit]").click()
    assert v.page.locator("main .problem").inner_text() == "Wrong name or password."
    assert v.errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    v.errors.clear()
    assert not [c for c in v.context.cookies() if c["name"] == "sg_login"]

    v.page.locator("#login-name").fill(name)
    v.page.locator("#login-password").fill(password)
    with v.page.expect_navigation(wait_until="load"):
        v.page.locator("main form button[type=submit]").click()
    assert v.path() == WHO_NIS  # back where the visitor was
    cookies = [c for c in v.context.cookies() if c["name"] == "sg_login"]
    assert len(cookies) == 1, v.context.cookies()
    assert cookies[0]["httpOnly"] is True and cookies[0]["sameSite"] == "Strict", cookies[0]
    assert "sg_login" not in v.page.evaluate("document.cookie")
    header = v.page.locator("header .account").inner_text()
    assert f"Signed in as {name} (sees: {audience})" in header, header
    assert PARTNERS_ONLY in v.main_text()  # the login's audience shapes the answer

    with v.page.expect_navigation(wait_until="load"):
        v.page.locator("header .account button[type=submit]").click()
    assert v.path() == "/"
    assert not [c for c in v.context.cookies() if c["name"] == "sg_login"]
    assert v.page.locator("header .account a").inner_text() == "Sign in"
    v.go(WHO_NIS)
    assert PARTNERS_ONLY not in v.main_text()
