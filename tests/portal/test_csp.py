"""Content-Security-Policy: a strict <meta> policy on every page, and nothing in the pages needs more.

GitHub Pages cannot send headers, so the policy travels in a <meta> right after <meta charset>
(it applies only to what follows it). It has no 'unsafe-inline' or 'unsafe-eval'; inline code is
either a JSON-LD data block (not executed) or listed by its hash. Directives that a <meta> policy
ignores (frame-ancestors, report-uri, sandbox) are refused so nobody believes they protect us.
The browser test loads one page of every type with the policy active and expects no violation.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from conftest import FixtureSite
from htmlcheck import pages, soup
from page_types import representative_pages, route_of

CSP = "content-security-policy"
FORBIDDEN_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:")
NO_DATA_URLS = ("default-src", "script-src", "style-src", "object-src")
"""data: and blob: would let injected markup bring its own code; images may use data: URLs."""
META_IGNORED = ("frame-ancestors", "report-uri", "report-to", "sandbox")
DATA_BLOCKS = ("application/ld+json", "application/json")


def parse_policy(text: str) -> dict[str, list[str]]:
    """'default-src 'none'; img-src 'self' data:' → {'default-src': ["'none'"], 'img-src': [...]}."""
    policy: dict[str, list[str]] = {}
    for part in text.split(";"):
        words = part.split()
        if words:
            policy.setdefault(words[0].lower(), words[1:])
    return policy


def script_hash(text: str) -> str:
    """The CSP source expression that allows one inline script: 'sha256-…'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy_problems(html: str) -> list[str]:
    """Everything wrong with one page's policy and with what the page would need beyond it."""
    doc = BeautifulSoup(html, "html.parser")
    head = doc.head
    if head is None:
        return ["no <head>"]
    first = [c for c in head.children if isinstance(c, Tag)][:2]
    if len(first) < 2 or first[0].name != "meta" or not first[0].has_attr("charset"):
        return ["<meta charset> is not the first element of <head>"]
    meta = first[1]
    if meta.name != "meta" or meta.get("http-equiv", "").lower() != CSP:
        return ["the Content-Security-Policy <meta> does not follow <meta charset> directly"]
    if len(doc.find_all("meta", attrs={"http-equiv": re.compile(f"^{CSP}$", re.I)})) != 1:
        return ["more than one Content-Security-Policy <meta>"]
    policy = parse_policy(meta.get("content", ""))
    problems = []
    for name in META_IGNORED:
        if name in policy:
            problems.append(f"'{name}' is ignored in a <meta> policy; remove it")
    if policy.get("default-src") not in (["'none'"], ["'self'"]):
        problems.append(f"default-src must be 'none' or 'self', not {policy.get('default-src')}")
    if policy.get("base-uri") not in (["'none'"], ["'self'"]):
        problems.append("base-uri must be 'none' or 'self'")
    if "form-action" not in policy:
        problems.append("form-action is missing (it does not fall back to default-src)")
    for directive, sources in policy.items():
        lowered = [s.lower() for s in sources]
        bad = FORBIDDEN_SOURCES + (("data:", "blob:") if directive in NO_DATA_URLS else ())
        problems.extend(f"{directive} allows {b}" for b in bad if b in lowered)
    allowed_scripts = set(policy.get("script-src", policy.get("default-src", [])))
    for script in doc.find_all("script"):
        if script.has_attr("src"):
            continue
        if script.get("type", "").lower() in DATA_BLOCKS:
            text = script.string or ""
            if "<" in text:
                problems.append("a '<' inside a JSON data block (write \\u003c): it could close "
                                "the element or open a comment")
            try:
                json.loads(text)
            except ValueError:
                problems.append(f"a data block that is not JSON: {text[:60]!r}")
            continue
        if script_hash(script.string or "") not in allowed_scripts:
            problems.append(f"inline <script> not covered by a hash: {str(script)[:80]}")
    if doc.find("style"):
        problems.append("a <style> element (move it into templates/assets/style.css)")
    for tag in doc.find_all(True):
        if tag.has_attr("style"):
            problems.append(f"style attribute on <{tag.name}> (use a class)")
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        if handlers:
            problems.append(f"event handler {handlers} on <{tag.name}>")
        for attr in ("href", "src", "action", "formaction", "data", "poster", "xlink:href"):
            if re.sub(r"[\s\x00-\x1f]", "", str(tag.get(attr, ""))).lower().startswith(
                    ("javascript:", "vbscript:", "data:text")):
                problems.append(f"executable URL in {attr} of <{tag.name}>")
    if not doc.find("meta", attrs={"name": "referrer"}):
        problems.append("no <meta name=referrer>")
    return problems


def test_every_page_has_the_policy_and_needs_nothing_more(real_site: Path) -> None:
    found = {}
    for path in pages(real_site):
        problems = policy_problems(path.read_text(encoding="utf-8"))
        if problems:
            found[path.relative_to(real_site).as_posix()] = problems
    assert not found, "\n".join(f"{p}: {'; '.join(v)}" for p, v in sorted(found.items())[:40])


def test_hostile_front_matter_needs_nothing_more(site: FixtureSite) -> None:
    """Values that try to end a <script> or open a comment stay inert text on every page."""
    site.write("content/news/2019-05-15-tahap-tiga.md", """\
        ---
        title: "</script><script>alert(1)</script><!--"
        date: 2019-05-15
        summary: "<script>alert(2)</script> \\u2028 ]]> --> <style>*{}</style>"
        tags: [peluncuran]
        ---
        <p style="color:red" onclick="x()">Teks</p><script>alert(3)</script>
        """)
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Barat
        code: "32.73"
        cohort: 2017
        summary: "</script><script>alert(4)</script>"
        note: "<!--<script>"
        """)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    found = {}
    for path in pages(site.output):
        problems = policy_problems(path.read_text(encoding="utf-8"))
        if problems:
            found[path.relative_to(site.output).as_posix()] = problems
    assert not found, found
    data = soup(site.output / "berita/tahap-tiga/index.html").find("script", type="application/ld+json")
    assert data is not None and "</script><script>alert(1)" in json.loads(data.string)["headline"]


def test_the_checker_catches_what_it_must() -> None:
    good = ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-'
            'Policy" content="default-src \'none\'; script-src \'self\' {h}; style-src \'self\'; '
            'base-uri \'none\'; form-action \'self\'"><meta name="referrer" content="no-referrer">'
            '<title>x</title></head><body>{body}</body></html>')
    inline = "console.log(1)"
    assert policy_problems(good.format(h="", body="<p>x</p>")) == []
    assert policy_problems(good.format(h=script_hash(inline), body=f"<script>{inline}</script>")) == []
    assert policy_problems(good.format(h="", body='<script type="application/ld+json">{}</script>')) == []
    assert policy_problems(good.format(h="", body='<script type="application/ld+json">{"a": "<!--"}</script>'))
    assert policy_problems(good.format(h="", body='<script type="application/ld+json">{a}</script>'))
    for body in (f"<script>{inline}</script>", "<style>p{}</style>", '<p style="color:red">x</p>',
                 '<img alt="" src="x.png" onerror="x()">', '<a href=" java\tscript:x()">x</a>'):
        assert policy_problems(good.format(h="", body=body)), body
    weak = good.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    assert any("unsafe-inline" in p for p in policy_problems(weak.format(h="", body="")))
    framed = good.replace("base-uri", "frame-ancestors 'none'; base-uri")
    assert any("frame-ancestors" in p for p in policy_problems(framed.format(h="", body="")))
    late = good.replace('<meta charset="utf-8">', '<meta charset="utf-8"><title>t</title>')
    assert policy_problems(late.format(h="", body=""))


def test_browser_reports_no_violation_on_any_page_type(chromium, real_site: Path,
                                                       real_site_url: str) -> None:
    """With the policy enforced, our own CSS, scripts, images and fonts all load."""
    context = chromium.new_context()
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    """)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    found = {}
    try:
        for kind, rel in representative_pages(real_site).items():
            messages.clear()
            page.goto(real_site_url + route_of(rel))
            page.wait_for_load_state("networkidle")
            violations = page.evaluate("window.__csp") + messages
            styled = page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
            if violations or styled != "absolute":
                found[kind] = violations or ["the stylesheet did not apply"]
    finally:
        context.close()
    assert not found, found
