"""Page fingerprints and the digests of plain values they are made of: a fingerprint changes with
each input a page's bytes depend on and with nothing else, whichever objects carry the values."""

from __future__ import annotations

from kotacerdas.core import records
import datetime as dt
from types import SimpleNamespace
from typing import Any, cast

import pytest
from markupsafe import Markup

from kotacerdas.build.fingerprints import page_fingerprint
from kotacerdas.content.types import NewsItem, Participation, Region, Source
from kotacerdas.core.digest import digest_of_values
from kotacerdas.core.memo import Memo
from kotacerdas.model.site import SiteModel, _facts, _region_facts
from kotacerdas.site.pages import PageSpec

MODEL = cast(SiteModel, SimpleNamespace(fingerprints={"site": "all-of-it"}))
SPEC = PageSpec("berita/halaman/2/", "news_list.html", "Berita (2)", (("Beranda", ""),),
                dt.date(2024, 3, 4), "Semua berita", {"items": (), "number": 2, "next": None},
                ("d1", "d2"), "id")
CHANGES: dict[str, dict[str, Any]] = {
    "route": {"route": "berita/halaman/3/"},
    "template": {"template": "tag.html"},
    "title": {"title": "Berita (3)"},
    "title as markup": {"title": Markup("Berita (2)")},  # not escaped: other bytes
    "breadcrumbs": {"breadcrumbs": (("Beranda", ""), ("Berita", "berita/"))},
    "date": {"updated": dt.date(2024, 3, 5)},
    "no date": {"updated": None},
    "description": {"description": "Semua kabar"},
    "language": {"lang": "en"},
    "deps": {"deps": ("d1", "d3")},
    "no deps": {"deps": None},
    "a scalar": {"context": {"items": (), "number": 3, "next": None}},
    "a scalar's type": {"context": {"items": (), "number": "2", "next": None}},
    "a bool for an int": {"context": {"items": (), "number": 2, "next": False}},
    "a new scalar": {"context": {"items": (), "number": 2, "next": None, "count": 4}},
}


def fingerprint(spec: PageSpec, memo: Memo | None = None, site: str = "site") -> str:
    return page_fingerprint(site, MODEL, spec, memo)


def test_a_page_fingerprint_changes_with_each_input() -> None:
    """Each thing the page's bytes depend on gives it a fingerprint of its own."""
    found = {what: fingerprint(records.replace(SPEC, **change))
             for what, change in CHANGES.items()}
    assert len(set(found.values()) | {fingerprint(SPEC), fingerprint(SPEC, site="other")}) \
        == len(CHANGES) + 2
    assert fingerprint(SPEC, Memo()) == fingerprint(SPEC)


def test_a_page_fingerprint_ignores_what_its_deps_name_and_the_contexts_order() -> None:
    """The body (its file's digest is in deps), values that are not scalars and the order of the
    context leave the fingerprint as it is."""
    context = {"next": None, "body": "<p>Teks</p>", "items": ("another",), "number": 2}
    assert fingerprint(records.replace(SPEC, context=context)) == fingerprint(SPEC)


def test_equal_values_have_one_digest_whatever_objects_carry_them() -> None:
    """Strings made apart (not interned, not shared) digest as the same strings shared."""
    shared = "kota-cerdas"
    apart = ("".join(["kota", "-cerdas"]), "".join(["kota-", "cerdas"]))
    assert digest_of_values((shared, shared, (shared,))) == \
        digest_of_values((apart[0], apart[1], (apart[0],)))


@pytest.mark.parametrize("other", [(1,), (True,), (1.0,), ("1",), (None,), ((1,),), (b"1",),
                                   (dt.date(2024, 1, 1),), (Markup("1"),)])
def test_values_of_other_types_have_other_digests(other: tuple[Any, ...]) -> None:
    """1, True, 1.0 and '1' are equal or look alike, never the same input (nor a date, nor
    markup, which marshal does not take: their repr is digested, tagged apart)."""
    kinds = [(1,), (True,), (1.0,), ("1",), (None,), ((1,),), (b"1",), (dt.date(2024, 1, 1),),
             (Markup("1"),)]
    assert [digest_of_values(k) == digest_of_values(other) for k in kinds].count(True) == 1
    assert digest_of_values(other) == digest_of_values(other)


NEWS = NewsItem("tahap-dua", "Tahap dua", dt.date(2018, 5, 8), "Dimulai.", "Teks.", "n.md",
                ("gerakan",), ("kota-depok",),
                (Source("Berita", "https://a.example/b", "Kompas", dt.date(2018, 5, 9), "id"),),
                digest="d")
"""An announcement whose every listed field is set."""


@pytest.mark.parametrize("change", [
    {"title": "Tahap baru"}, {"date": dt.date(2018, 5, 9)}, {"updated": dt.date(2019, 1, 1)},
    {"summary": "Mulai."}, {"tags": ("lain",)}, {"regions": ("kota-bogor",)}, {"lang": "en"},
    {"slug": "tahap-tiga"}, {"sources": ()}, {"translation": "missing"},
    {"original_updated": dt.date(2018, 6, 1)}])
def test_news_facts_follow_what_listings_show(change: dict[str, Any]) -> None:
    assert _facts(records.replace(NEWS, **change)) != _facts(NEWS)


@pytest.mark.parametrize("change", [{"title": "Berita lain"}, {"url": None},
                                    {"publisher": "Tempo"}, {"date": None},
                                    {"date": dt.date(2018, 5, 10)}, {"language": "en"}])
def test_news_facts_follow_each_field_of_a_source(change: dict[str, Any]) -> None:
    """A source is digested field by field (not by its repr): each field still counts."""
    source = records.replace(NEWS.sources[0], **change)
    assert _facts(records.replace(NEWS, sources=(source,))) != _facts(NEWS)


def test_news_facts_leave_out_the_text() -> None:
    """Editing an announcement's body leaves what listings show (search index, open data) be."""
    assert _facts(records.replace(NEWS, body="Teks baru.", digest="e")) == _facts(NEWS)


REGION = Region("kota-depok", "Kota Depok", "kota", "Jawa Barat", "32.76",
                (Participation(2017, note="Terpilih.", note_en="Chosen."),
                 Participation(2018, "uncertain", "Dua sumber.", "Two sources.")),
                "r.yaml", (Source(None, "https://a.example/depok"),), "Catatan umum.",
                "A general note.", ("Depok",), "https://depok.go.id", (-6.4, 106.8), "Ringkas.",
                "selesai", ("Satu",), dt.date(2026, 1, 1), "d")
"""A region with a confirmed and a not yet verified round, and every field of its own page."""


def _rounds(*rounds: Participation) -> dict[str, Any]:
    return {"rounds": rounds}


@pytest.mark.parametrize("change", [
    {"name": "Kota Depok Raya"}, {"type": "kabupaten"}, {"province": "Banten"},
    {"code": "32.77"}, {"coordinates": (-6.5, 106.8)}, {"coordinates": None}, {"slug": "depok"},
    _rounds(REGION.rounds[0]),  # a round gone
    _rounds(records.replace(REGION.rounds[0], year=2016), REGION.rounds[1]),
    _rounds(REGION.rounds[0], records.replace(REGION.rounds[1], status="inferred")),
    _rounds(REGION.rounds[0], records.replace(REGION.rounds[1], note="Satu sumber.")),
    _rounds(REGION.rounds[0], records.replace(REGION.rounds[1], note_en="One source."))])
def test_region_facts_follow_what_lists_show(change: dict[str, Any]) -> None:
    """Lists, counts and the map show a region's name, type, province, code, place, rounds and
    the notes of the rounds they explain (not yet verified or withdrawn)."""
    assert _region_facts(records.replace(REGION, **change)) != _region_facts(REGION)


@pytest.mark.parametrize("change", [
    {"note": "Lain."}, {"note_en": "Other."}, {"sources": ()}, {"aliases": ()},
    {"website": None}, {"summary": ""}, {"masterplan_status": ""}, {"quick_wins": ()},
    {"digest": "e"}, {"path": "s.yaml"},
    _rounds(records.replace(REGION.rounds[0], note="Lain.", note_en="Other."),
            REGION.rounds[1]),
    _rounds(records.replace(REGION.rounds[0], sources=(Source(None, "https://b.example"),)),
            records.replace(REGION.rounds[1], research_note="RISET"))])
def test_region_facts_leave_out_what_its_own_page_alone_shows(change: dict[str, Any]) -> None:
    """Its general notes and sources, a confirmed round's note, any round's sources: only the
    region's page shows them, so editing them renders that page and none of the lists."""
    assert _region_facts(records.replace(REGION, **change)) == _region_facts(REGION)
