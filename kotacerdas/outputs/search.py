"""The site search index: one compact JSON file, built with the site, that search.js filters.

It answers "is my kabupaten in the movement?": besides participants, announcements, rounds and
pages, it lists every other kabupaten/kota of the Kemendagri reference, so a search for one that
is not a participant can say so plainly. Names are searched, not full text, so the index is small
(about 12 KB gzipped for the real site) and needs no WebAssembly (Pagefind would: a CSP exception).

Format: ``{"items": [entry, ...]}``, each entry with short keys:

- ``y`` type: ``peserta``, ``wilayah-non-peserta``, ``provinsi``, ``berita`` or ``halaman``
- ``t`` title, ``u`` URL (root-relative, under the base path), ``d`` short text
- ``w`` (optional) a caveat shown as a badge: the rounds a participant is unverified for
- ``n`` (optional) why, after the badge: each unverified round's note in the edition's language
  (or what its status means); never a research note. ``l``: the language of ``n`` when it is
  not the edition's (a note not yet translated)
- ``k`` search keys: names as ``normalize`` leaves them, place names without their
  Kabupaten/Kota prefix (aliases included), so 'Gunung Kidul' and 'kab. gunungkidul' both match

search.js applies the same ``normalize`` and ``PREFIXES`` (``content/placenames.py``) to the
query; keep them in step.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable

from kotacerdas.core import urls
from kotacerdas.content.placenames import normalize, place_key
from kotacerdas.core.jsontext import compact_json
from kotacerdas.core.memo import Memo
from kotacerdas.content.types import Kabkota, NewsItem, Page, Province, Region, note_in
from kotacerdas.model.i18n import Catalogue
from kotacerdas.model.site import CohortSummary, SiteModel

def _keys(*names: str) -> list[str]:
    """Distinct non-empty keys, in order."""
    return list(dict.fromkeys(k for k in names if k))


def _entry(kind: str, title: str, url: str, text: str, keys: list[str], badge: str = "",
           why: str = "") -> dict[str, Any]:
    entry: dict[str, Any] = {"y": kind, "t": title, "u": url, "d": text}
    if badge:
        entry["w"] = badge
    if why:
        entry["n"] = why
    entry["k"] = keys
    return entry


def participant(m: SiteModel, t: Catalogue, r: Region) -> dict[str, Any]:
    """A participating kabupaten/kota: its province, rounds and any unverified round, with why."""
    years = ", ".join(map(str, r.cohorts))
    text = f"{m.province_of[r.slug].name} · {t('field_cohorts').lower()} {years}"
    badge = t("unverified_in_list", years=", ".join(map(str, r.unverified_cohorts))) \
        if r.unverified else ""
    unverified = [p for p in r.participations if p.unverified]
    notes = [note_in(p, m.language) for p in unverified]
    why = " ".join(note or t(f"status_why_{p.status}") for p, (note, _) in zip(unverified, notes))
    entry = _entry("peserta", r.name, m.urls.path(urls.region(r.slug)), text,
                   _keys(place_key(r.name), *(place_key(a) for a in r.aliases)), badge, why)
    languages = {lang if note else m.language for note, lang in notes}
    if len(languages) == 1 and languages != {m.language}:
        entry["l"] = languages.pop()  # a note not yet translated: search.js marks its language
    return entry


def _sentence(text: str) -> str:
    """Text with its first letter upper-case (the rest as written)."""
    return text[:1].upper() + text[1:]


def named_only(m: SiteModel, t: Catalogue, r: Region) -> dict[str, Any]:
    """A region named for rounds it did not take part in: not a participant; its page says so."""
    years = ", ".join(str(p.year) for p in r.withdrawn)
    return _entry("wilayah-non-peserta", r.name, m.urls.path(urls.region(r.slug)),
                  _sentence(t("withdrawn_in_list", years=years)),
                  _keys(place_key(r.name), *(place_key(a) for a in r.aliases)))


def non_participant(m: SiteModel, t: Catalogue, k: Kabkota, home: Province) -> dict[str, Any]:
    """A kabupaten/kota not recorded as a participant; it links to its province page."""
    return _entry("wilayah-non-peserta", k.name, m.urls.path(urls.province(home.slug)),
                  t("province_title", name=home.name),
                  _keys(place_key(k.name), place_key(k.short_name)))


def province(m: SiteModel, t: Catalogue, p: Province) -> dict[str, Any]:
    """A province with how many of its kabupaten/kota take part."""
    count = len(m.regions_in_province.get(p.slug, ()))
    total = len(m.kabkota_in_province.get(p.code, ()))
    text = t("search_province_text", count=count, total=total) if total else \
        t("search_province_text_no_ref", count=count)
    return _entry("provinsi", t("province_title", name=p.name),
                  m.urls.path(urls.province(p.slug)), text,
                  _keys(place_key(p.name), *(place_key(a) for a in p.aliases)))


def announcement(m: SiteModel, t: Catalogue, n: NewsItem) -> dict[str, Any]:
    """An announcement: its date and summary; found by words of its title, summary and topics."""
    return _entry("berita", n.title, m.urls.path(urls.announcement(n.slug)),
                  f"{t.date(n.date)} · {n.summary}",
                  [normalize(" ".join((n.title, n.summary, *n.tags)))])


def cohort(m: SiteModel, t: Catalogue, c: CohortSummary) -> dict[str, Any]:
    """A yearly round's page."""
    title = t("cohort_title", year=c.cohort.year)
    return _entry("halaman", title, m.urls.path(urls.cohort(c.cohort.year)),
                  t("cohort_description", year=c.cohort.year),
                  [normalize(f"{title} {c.cohort.stage}")])


def static_page(m: SiteModel, t: Catalogue, p: Page) -> dict[str, Any]:
    """A page from content/pages/: its summary; found by words of its title and summary."""
    return _entry("halaman", p.title, m.urls.path(urls.static_page(p.slug)), p.summary,
                  [normalize(f"{p.title} {p.summary}")])


def entries(m: SiteModel, t: Catalogue, memo: Memo | None = None) -> Iterable[str]:
    """Every entry's JSON text, in a fixed order: participants, other kabupaten/kota, provinces,
    news, rounds, pages. ``memo`` keeps each announcement's (most of a big site's index) under
    its file's digest, the edition's address and language; the others read interface strings,
    whose absence each build must record (Catalogue.missing), so they are made every time."""
    memo = Memo() if memo is None else memo
    yield from (compact_json(participant(m, t, r)) for r in m.regions)
    yield from (compact_json(named_only(m, t, r)) for r in m.withdrawn_only)
    taking_part = {r.code for r in (*m.regions, *m.withdrawn_only)}
    by_code = {p.code: p for p in m.provinces}
    for k in sorted(m.content.kabkota, key=lambda k: k.code):
        if k.code not in taking_part and k.province_code in by_code:
            yield compact_json(non_participant(m, t, k, by_code[k.province_code]))
    yield from (compact_json(province(m, t, p)) for p in m.provinces)
    yield from (memo.text(("search-entry", n.digest, m.urls.base_path, m.urls.prefix, t.language),
                         functools.partial(_announcement_text, m, t, n)) for n in m.news)
    yield from (compact_json(cohort(m, t, c)) for c in m.cohorts)
    yield from (compact_json(static_page(m, t, p)) for p in m.pages)


def _announcement_text(m: SiteModel, t: Catalogue, n: NewsItem) -> str:
    """An announcement's entry as JSON text (what the memo keeps)."""
    return compact_json(announcement(m, t, n))


def index_json(m: SiteModel, t: Catalogue, memo: Memo | None = None) -> bytes:
    """The index file, ``{"items": [entry, ...]}``: compact, UTF-8, byte-identical for the same
    content (each entry's text as compact_json writes it inside the whole)."""
    return ('{"items":[' + ",".join(entries(m, t, memo)) + "]}").encode("utf-8")
