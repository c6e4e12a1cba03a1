"""The site model: who counts as a participant of which round, the headline numbers, and a
document the converter cannot handle reported as a content error naming its file."""

from __future__ import annotations

from kotacerdas.core import records
import datetime as dt

import pytest

from conftest import STATUS_REGIONS, FixtureSite

from kotacerdas.content.types import Participation, Region, note_in
from kotacerdas.core.errors import ContentError
from kotacerdas.content.load import load_site
from kotacerdas.model.site import SiteModel, build_model, facts_digest


def model_of(site: FixtureSite, language: str = "id") -> SiteModel:
    for slug, text in STATUS_REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    return build_model(load_site(site.root, dt.date(2026, 12, 1)), today=dt.date(2026, 12, 1), language=language)


def test_withdrawn_rounds_are_not_participations(site: FixtureSite) -> None:
    m = model_of(site)
    assert [r.slug for r in m.regions] == ["kota-bandung", "kota-depok", "kabupaten-gunungkidul",
                                           "kota-yogyakarta"]
    assert [r.slug for r in m.withdrawn_only] == ["kabupaten-bandung"]
    assert m.region_by_slug["kabupaten-bandung"].name == "Kabupaten Bandung"  # it keeps a page
    assert m.stats["participants"] == 4
    assert m.stats["participations"] == 5  # Yogyakarta's withdrawn 2017 and Kab. Bandung not counted
    assert m.stats["unverified"] == 2
    assert [r.slug for r in m.regions_in_province["jawa-barat"]] == ["kota-bandung", "kota-depok"]
    rounds = {c.cohort.year: c for c in m.cohorts}
    assert [r.slug for r in rounds[2017].regions] == ["kota-bandung", "kota-depok"]
    assert [r.slug for r in rounds[2017].withdrawn] == ["kota-yogyakarta"]
    assert (rounds[2017].known, rounds[2017].unverified, rounds[2017].missing) == (2, 0, 23)
    assert [r.slug for r in rounds[2018].withdrawn] == ["kabupaten-bandung"]
    assert (rounds[2018].known, rounds[2018].unverified, rounds[2018].missing) == (3, 2, 47)


def test_a_year_named_only_by_a_withdrawn_round_is_a_round_with_nobody_recorded(
        site: FixtureSite) -> None:
    site.write("content/regions/kabupaten-bandung.yaml",
               STATUS_REGIONS["kabupaten-bandung"].replace("2018", "2019"))
    rounds = {c.cohort.year: c for c in build_model(load_site(site.root, dt.date(2026, 12, 1))).cohorts}
    assert rounds[2019].known == 0 and [r.slug for r in rounds[2019].withdrawn] == \
        ["kabupaten-bandung"]


def test_notes_in_the_readers_language_never_the_research_note() -> None:
    both = Participation(2018, note="Catatan.", note_en="Note.", research_note="RISET")
    assert note_in(both, "id") == ("Catatan.", "id") and note_in(both, "en") == ("Note.", "en")
    only_id = Participation(2018, note="Catatan.", research_note="RISET")
    assert note_in(only_id, "en") == ("Catatan.", "id")  # shown, marked as Indonesian
    only_en = Participation(2018, note_en="Note.")
    assert note_in(only_en, "id") == ("Note.", "en")
    assert note_in(Participation(2018, research_note="RISET"), "id") == ("", "")


def test_all_sources_lists_each_address_once_rounds_first() -> None:
    from kotacerdas.content.types import Source
    a, b, c = (Source(title=u, url=u) for u in ("https://a.example/", "https://b.example/",
                                               "https://c.example/"))
    region = Region("kota-x", "Kota X", "kota", "P", "00.01",
                    (Participation(2017, sources=(b,)), Participation(2018, sources=(a, b))),
                    "content/regions/kota-x.yaml", sources=(c, a))
    assert region.all_sources == (b, a, c)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_failed_conversion_names_the_file(site: FixtureSite, language: str) -> None:
    """mdlimits refuses what is known to recurse; anything it misses still names its file."""
    content = load_site(site.root, dt.date(2026, 12, 1))
    news = tuple(records.replace(n, body="* " * 10000 + "a\n") if n.slug == "tahap-tiga" else n
                 for n in content.news)
    with pytest.raises(ContentError) as caught:
        build_model(records.replace(content, news=news), language=language)
    [problem] = caught.value.problems
    assert problem.path == "content/news/2019-05-15-tahap-tiga.md"
    assert "nests lists, quotes, links or emphasis too deeply" in problem.message


def test_round_summaries_match_their_definition_on_the_real_data() -> None:
    """Each round's participants (in directory order), unverified count and withdrawn regions,
    gathered in one pass, are exactly what the per-round definition gives for the real site."""
    from conftest import REPO
    from kotacerdas.model.site import cohort_summaries, region_sort_key
    content = load_site(REPO, dt.date(2026, 12, 1))
    every = tuple(sorted(content.regions, key=region_sort_key))
    taking = tuple(r for r in every if r.participant)
    found = cohort_summaries(content.cohorts, taking, every)
    assert [s.cohort for s in found] == list(content.cohorts)
    for s in found:
        year = s.cohort.year
        assert s.regions == tuple(r for r in taking if year in r.cohorts)
        assert s.unverified == sum(1 for r in taking if year in r.unverified_cohorts)
        assert s.withdrawn == tuple(r for r in every if any(p.year == year for p in r.withdrawn))
    assert sum(s.known for s in found) == sum(len(r.cohorts) for r in taking) > 200
    assert any(s.withdrawn for s in found) and any(s.unverified for s in found)


def test_news_facts_follow_what_listings_show_and_not_the_text(site: FixtureSite) -> None:
    """The digest of what listings show of the announcements (site_pages' listings) changes
    with a title, not with a body; kept per announcement in a memo, it is the same digest."""
    from kotacerdas.core.memo import Memo
    memo = Memo()
    before = facts_digest(model_of(site).listed_facts(memo))
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text() + "\nKalimat baru.\n")
    assert facts_digest(model_of(site).listed_facts(memo)) == before
    path.write_text(path.read_text().replace('title: "Tahap dua"', 'title: "Tahap baru"'))
    after = model_of(site)
    assert facts_digest(after.listed_facts(memo)) == facts_digest(after.listed_facts()) != before
    assert facts_digest(model_of(site, "en").listed_facts(memo)) != facts_digest(
        after.listed_facts(memo))  # another edition's
