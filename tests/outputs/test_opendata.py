"""Open data downloads: valid Frictionless package, RFC 4180 CSV, and the same numbers as the pages."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import frictionless
import pytest
from babel.numbers import format_decimal

from conftest import EDITIONS, FixtureSite, real_participants, spy
from htmlcheck import soup

from kotacerdas.outputs.opendata import PESERTA, Column, Table, spreadsheet_text, to_csv

PREFIX = "/kota-cerdas/"
BASE = "https://kominfo.github.io/kota-cerdas/"
FILES = ("peserta.csv", "peserta.json", "peserta.geojson", "keikutsertaan.csv",
         "keikutsertaan.json", "angkatan.csv", "angkatan.json", "provinsi.csv", "berita.json",
         "datapackage.json")


def raw_csv(path: Path) -> list[dict[str, str]]:
    """The cells as a spreadsheet receives them."""
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def read_csv(path: Path) -> list[dict[str, str]]:
    """The cells as the package says to read them: the first apostrophe of a text cell that
    begins with one was added against formulas (data_csv_text_cells), so it is removed."""
    return [{k: v[1:] if v.startswith("'") else v for k, v in row.items()} for row in raw_csv(path)]


def read_json(path: Path) -> Any:
    return json.loads(path.read_bytes().decode("utf-8"))


def years(cell: str) -> list[int]:
    return [int(y) for y in cell.split(";")] if cell else []


def number(text: str) -> int | None:
    """A count as a page shows it ('1.234', or 'tidak diketahui' for none)."""
    digits = text.strip().replace(".", "")
    return int(digits) if digits.isdigit() else None


def assert_valid_package(data: Path) -> dict[str, Any]:
    """frictionless validates schemas, types, keys and CSV hashes; hashes of JSON are checked here."""
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    package = read_json(data / "datapackage.json")
    for res in package["resources"]:
        body = (data / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(body).hexdigest(), res["path"]
    return package


# --- the real site ----------------------------------------------------------------------------


def test_every_download_exists_and_the_package_is_valid(real_site: Path) -> None:
    data = real_site / "data"
    assert {p.name for p in data.iterdir() if p.is_file()} == {*FILES, "index.html"}
    package = assert_valid_package(data)
    assert package["name"] == "gerakan-menuju-smart-city"
    assert package["homepage"] == BASE + "data/"
    assert sorted(r["path"] for r in package["resources"]) == sorted(set(FILES) - {"datapackage.json"})
    for res in package["resources"]:
        assert not res["path"].startswith(("/", "http")) and res["encoding"] == "utf-8"
        assert res["sources"], res["name"]
    peserta = next(r for r in package["resources"] if r["name"] == "peserta")
    code = next(f for f in peserta["schema"]["fields"] if f["name"] == "kode_wilayah")
    assert code["constraints"]["pattern"] == r"^\d{2}\.\d{2}$"
    assert peserta["schema"]["primaryKey"] == ["kode_wilayah"]
    assert peserta["schema"]["foreignKeys"] == [
        {"fields": ["kode_provinsi"], "reference": {"resource": "provinsi", "fields": ["kode_provinsi"]}}]
    # Only the reference table carries a licence; nobody chose one for the compiled facts.
    assert [r["name"] for r in package["resources"] if "licenses" in r] == ["provinsi"]
    assert "licenses" not in package and "belum menetapkan lisensi" in package["description"]


def test_csv_files_follow_rfc_4180(real_site: Path) -> None:
    package = read_json(real_site / "data" / "datapackage.json")
    for res in package["resources"]:
        if res["format"] != "csv":
            continue
        raw = (real_site / "data" / res["path"]).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
        text = raw.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        canonical = io.StringIO(newline="")
        csv.writer(canonical, lineterminator="\r\n").writerows(rows)
        assert text == canonical.getvalue(), f"{res['path']}: CRLF records, quotes only where needed"
        assert rows[0] == [f["name"] for f in res["schema"]["fields"]]
        assert len({len(r) for r in rows}) == 1


def test_participants_csv_json_geojson_and_region_pages_agree(real_site: Path) -> None:
    data = real_site / "data"
    rows = read_csv(data / "peserta.csv")
    records = read_json(data / "peserta.json")
    features = read_json(data / "peserta.geojson")["features"]
    participants = set(real_participants())
    assert len(rows) == len(records) == len(participants)
    pages = {p.parent.name for p in (real_site / "daerah").glob("*/index.html")}
    assert participants <= pages  # a region named for a round it did not take part in has a page
    assert {r["url"] for r in rows} == {BASE + f"daerah/{slug}/" for slug in participants}
    assert [r["kode_wilayah"] for r in rows] == sorted(r["kode_wilayah"] for r in rows)
    by_code = {f["id"]: f for f in features}
    for row, rec in zip(rows, records):
        for key in ("kode_wilayah", "slug", "nama", "jenis", "kode_provinsi", "provinsi", "url"):
            assert row[key] == rec[key], key
        assert years(row["angkatan"]) == rec["angkatan"]
        assert years(row["tahun_belum_terverifikasi"]) == rec["tahun_belum_terverifikasi"]
        assert set(rec["tahun_belum_terverifikasi"]) <= set(rec["angkatan"])
        assert row["sumber"].split() == [s["url"] for s in rec["sumber"] if s["url"]]
        page = soup(real_site / "daerah" / row["slug"] / "index.html")
        assert page.h1.text.strip() == row["nama"]
        facts = {dt.text.strip(): dd for dt, dd in zip(page.select(".facts dt"), page.select(".facts dd"))}
        assert facts["Kode wilayah Kemendagri"].text.strip() == row["kode_wilayah"]
        assert facts["Provinsi"].text.strip() == row["provinsi"]
        shown = [int(a.text) for a in facts["Angkatan"].select("a[href*='/angkatan/']")]
        assert shown == rec["angkatan"]
        assert bool(page.select_one(".warning")) == bool(rec["tahun_belum_terverifikasi"])
        cited = [a["href"] for a in page.select("#sumber + ol.sources a")]
        assert cited == [s["url"] for s in rec["sumber"] if s["url"]]
        if rec["lintang"] is None:
            assert row["kode_wilayah"] not in by_code
        else:
            coords = facts["Koordinat (titik tengah wilayah)"].text.strip()
            assert coords == f"{rec['lintang']}, {rec['bujur']}" == f"{row['lintang']}, {row['bujur']}"
            feature = by_code[row["kode_wilayah"]]
            assert feature["geometry"] == {"type": "Point", "coordinates": [rec["bujur"], rec["lintang"]]}
            assert feature["properties"]["url"] == rec["url"]
    assert len(features) == sum(1 for r in records if r["lintang"] is not None)


def test_rounds_agree_with_round_pages_and_home_table(real_site: Path) -> None:
    data = real_site / "data"
    rows = read_csv(data / "angkatan.csv")
    records = read_json(data / "angkatan.json")
    participants = read_json(data / "peserta.json")
    home = soup(real_site / "index.html").select("section[aria-labelledby=kelengkapan] tbody tr")
    table = {int(tr.th.a.text): [number(td.text) for td in tr.select("td")] for tr in home}
    assert sorted(table) == [int(r["tahun"]) for r in rows]
    for row, rec in zip(rows, records):
        year = int(row["tahun"])
        assert rec["tahun"] == year and rec["tercatat"] == int(row["tercatat"])
        assert rec["diumumkan"] == (int(row["diumumkan"]) if row["diumumkan"] else None)
        assert table[year] == [rec["diumumkan"], rec["tercatat"], rec["belum_terverifikasi"]]
        in_round = [p for p in participants if year in p["angkatan"]]
        assert rec["tercatat"] == len(in_round)
        assert rec["belum_terverifikasi"] == sum(year in p["tahun_belum_terverifikasi"] for p in in_round)
        page = soup(real_site / "angkatan" / str(year) / "index.html")
        listed = page.select("main .region-list li")
        assert {li.a["href"] for li in listed} == {PREFIX + p["url"][len(BASE):] for p in in_round}
        assert sum(1 for li in listed if li.select_one(".badge-warning")) == rec["belum_terverifikasi"]
        if rec["diumumkan"]:
            assert rec["belum_tercatat"] == max(rec["diumumkan"] - rec["tercatat"], 0)
            assert page.select_one("meter")["value"] == str(rec["tercatat"])
        assert len(page.select("main .withdrawn-list li")) == rec["tidak_ikut_serta"]
        assert [s["url"] for s in rec["sumber"]] == \
            [a["href"] for a in page.select("#sumber + ol.sources a")]


def test_participations_agree_with_region_files_and_pages(real_site: Path) -> None:
    import yaml
    from conftest import REPO
    data = real_site / "data"
    rows, records = read_csv(data / "keikutsertaan.csv"), read_json(data / "keikutsertaan.json")
    expected = []
    for path in sorted((REPO / "content" / "regions").glob("*.yaml")):
        region = yaml.safe_load(path.read_text(encoding="utf-8"))
        rounds = region["cohort"] if isinstance(region["cohort"], list) else [region["cohort"]]
        for r in rounds:
            r = r if isinstance(r, dict) else {"year": r}
            expected.append((region["code"], r["year"], r.get("status", "confirmed"), path.stem))
    codes = {"confirmed": "terkonfirmasi", "uncertain": "tahun_belum_pasti",
             "inferred": "disimpulkan", "withdrawn": "tidak_ikut_serta"}
    assert [(r["kode_wilayah"], r["tahun"], r["status"]) for r in records] == \
        [(code, year, codes[status]) for code, year, status, _ in sorted(expected)]
    assert [(r["kode_wilayah"], int(r["tahun"]), r["status"]) for r in rows] == \
        [(r["kode_wilayah"], r["tahun"], r["status"]) for r in records]
    peserta = {r["kode_wilayah"]: r for r in read_json(data / "peserta.json")}
    for rec, (_, year, status, slug) in zip(records, sorted(expected)):
        assert rec["url"] == BASE + f"daerah/{slug}/"
        took_part = status != "withdrawn"
        assert (year in peserta[rec["kode_wilayah"]]["angkatan"]) == took_part \
            if rec["kode_wilayah"] in peserta else not took_part
        round_page = soup(real_site / "angkatan" / str(year) / "index.html")
        href = f"{PREFIX}daerah/{slug}/"
        assert bool(round_page.select_one(f"main .region-list a[href='{href}']")) == took_part


def test_provinces_agree_with_province_pages(real_site: Path) -> None:
    rows = read_csv(real_site / "data" / "provinsi.csv")
    assert len(rows) == 38
    participants = read_csv(real_site / "data" / "peserta.csv")
    for row in rows:
        page = soup(real_site / "provinsi" / row["slug"] / "index.html")
        listed = page.select("main .region-list li")
        assert len(listed) == int(row["jumlah_peserta"])
        assert int(row["jumlah_peserta"]) == sum(p["kode_provinsi"] == row["kode_provinsi"]
                                                 for p in participants)
        others = len(page.select("main ul.columns li"))
        named = len(page.select("main ul.withdrawn-list li"))  # named for a round, took part in none
        assert int(row["jumlah_kabupaten_kota"]) == len(listed) + named + others


def test_announcements_json_agrees_with_news_pages(real_site: Path) -> None:
    records = read_json(real_site / "data" / "berita.json")
    pages = {p.parent.name for p in (real_site / "berita").glob("*/index.html")} - {"halaman"}
    assert {r["slug"] for r in records} == pages and len(records) == 14
    listed = []
    for page in [real_site / "berita" / "index.html",
                 *sorted((real_site / "berita" / "halaman").glob("*/index.html"))]:
        listed += [a["href"] for a in soup(page).select(".news-list .news-title a")]
    assert listed == [PREFIX + r["url"][len(BASE):] for r in records], "same order as the list"
    for rec in records:
        page = soup(real_site / "berita" / rec["slug"] / "index.html")
        assert page.h1.text.strip() == rec["judul"]
        assert page.select_one("main .meta time")["datetime"] == rec["tanggal"]
        assert page.select_one("main .lead").text.strip() == rec["ringkasan"]
        assert [a.text for a in page.select("ul.tags a")] == rec["topik"]
        assert [a["href"] for a in page.select("article ul.region-list a")] == \
            [f"{PREFIX}daerah/{slug}/" for slug in rec["daerah"]]
        assert [a["href"] for a in page.select("#sumber + ol.sources a")] == \
            [s["url"] for s in rec["sumber"] if s["url"]]


def test_data_page_documents_every_download(real_site: Path) -> None:
    data = real_site / "data"
    page = soup(data / "index.html")
    package = read_json(data / "datapackage.json")
    links = {a["href"]: a for a in page.select("section[aria-labelledby=unduh-data] a[type]")}
    assert set(links) == {f"{PREFIX}data/{name}" for name in FILES}
    for href, a in links.items():
        size = (data / href.rsplit("/", 1)[1]).stat().st_size
        shown = a.find_next_sibling("span").text
        expected = (f"{size} bita" if size < 1000
                    else f"{format_decimal(round(size / 1000, 1), locale='id')} kB")
        assert expected in shown, (href, shown)
    for res in package["resources"]:
        if "schema" not in res or res["format"] == "json" and res["name"] != "berita":
            continue
        section = page.select_one(f"section[aria-labelledby=unduh-{res['name']}]")
        names = [th.text for th in section.select("tbody th code")]
        assert names == [f["name"] for f in res["schema"]["fields"]]
        for heading in ("Lisensi", "Sumber", "Kelengkapan"):
            assert section.find("h4", string=heading), (res["name"], heading)
    peserta = page.select_one("section[aria-labelledby=unduh-peserta]")
    rows = {tr.th.text: tr for tr in peserta.select("tbody tr")}
    assert rows["lintang"].select_one(".field-type").text == "bilangan desimal"
    assert rows["lintang"].select_one(".field-unit").text == "derajat desimal (WGS 84)"
    assert rows["angkatan"].select_one(".field-type").text == "teks (CSV), daftar (JSON)"
    assert rows["kode_wilayah"].select_one(".field-unit") is None
    records = read_json(data / "peserta.json")
    facts = peserta.select(".completeness-facts li")
    assert facts[0].text == f"{len(records)} daerah peserta."
    unverified = sum(1 for r in records if r["tahun_belum_terverifikasi"])
    assert facts[1].text.startswith(f"{unverified} daerah")
    assert "belum menetapkan lisensi" in peserta.text and "MIT" in peserta.text


def test_downloads_are_byte_identical_across_builds(real_site: Path, tmp_path: Path) -> None:
    from conftest import REPO, run_build
    out = tmp_path / "again"
    result = run_build("build", "--site", str(REPO), "--output", str(out), "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (out / "data" / name).read_bytes() == (real_site / "data" / name).read_bytes(), name


# --- a small fixture site --------------------------------------------------------------------


def test_fixture_site_downloads_follow_content_and_leave_out_drafts(site: FixtureSite) -> None:
    site.write("content/regions/kota-yogyakarta.yaml", """\
        name: Kota Yogyakarta
        type: kota
        province: DI Yogyakarta
        code: "34.71"
        cohort: [2017, 2018]
        website: https://jogjakota.go.id
        coordinates: [-7.80, 110.37]
        note: 'Catatan, dengan "kutip" dan koma'
        sources:
          - {title: Surat Kominfo, publisher: Kominfo, date: 2018-05-08}
          - https://example.org/yogya
        """)
    site.write("content/news/2019-06-01-rahasia.md",
               "---\ntitle: Rahasia\ndate: 2019-06-01\nsummary: Draf.\ndraft: true\n---\n\nTeks.\n")
    site.write("content/news/2099-01-01-masa-depan.md",
               "---\ntitle: Nanti\ndate: 2099-01-01\nsummary: Belum terbit.\n---\n\nTeks.\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    data = site.output / "data"
    assert_valid_package(data)
    rows = read_csv(data / "peserta.csv")
    assert [r["kode_wilayah"] for r in rows] == ["32.73", "32.76", "34.03", "34.71"]
    yogya = next(r for r in read_json(data / "peserta.json") if r["slug"] == "kota-yogyakarta")
    assert yogya["sumber"] == [
        {"judul": "Surat Kominfo", "url": None, "penerbit": "Kominfo", "tanggal": "2018-05-08",
         "bahasa": None},
        {"judul": None, "url": "https://example.org/yogya", "penerbit": None, "tanggal": None,
         "bahasa": None}]  # an address is not a title
    row = next(r for r in rows if r["slug"] == "kota-yogyakarta")
    assert row["sumber"] == "https://example.org/yogya"
    assert row["catatan"] == 'Catatan, dengan "kutip" dan koma'
    assert b'"Catatan, dengan ""kutip"" dan koma"' in (data / "peserta.csv").read_bytes()
    assert row["angkatan"] == "2017;2018" and row["url"] == "https://contoh.github.io/kota-cerdas/daerah/kota-yogyakarta/"
    depok = next(r for r in rows if r["slug"] == "kota-depok")
    assert depok["tahun_belum_terverifikasi"] == "2018" and depok["lintang"] == ""
    features = read_json(data / "peserta.geojson")["features"]
    assert [f["id"] for f in features] == ["34.71"]
    assert features[0]["geometry"]["coordinates"] == [110.37, -7.8]
    assert [r["slug"] for r in read_json(data / "berita.json")] == [
        "tahap-tiga", "tahap-dua", "peluncuran"]
    rounds = read_csv(data / "angkatan.csv")
    assert [(r["tahun"], r["diumumkan"], r["tercatat"], r["belum_terverifikasi"],
             r["tidak_ikut_serta"], r["belum_tercatat"]) for r in rounds] == [
        ("2017", "25", "3", "0", "0", "22"), ("2018", "50", "3", "1", "0", "47")]
    page = soup(site.output / "data" / "index.html")
    missing = page.select("section[aria-labelledby=unduh-peserta] .region-list a")
    assert [a.text for a in missing] == ["Kota Bandung", "Kota Depok", "Kabupaten Gunungkidul"]
    assert page.select_one("a[href='/kota-cerdas/data/peserta.csv']")


def test_fixture_site_without_reference_data_claims_no_licence(tmp_path: Path) -> None:
    from conftest import write_site
    site = write_site(tmp_path / "site", reference=False)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    package = assert_valid_package(site.output / "data")
    assert not any("licenses" in r for r in package["resources"])
    assert not any("cahyadsn" in json.dumps(r.get("sources")) for r in package["resources"])
    provinces = read_csv(site.output / "data" / "provinsi.csv")
    assert {p["jumlah_kabupaten_kota"] for p in provinces} == {""}


@pytest.fixture
def status_site(status_output: Path) -> Path:
    """The fixture site with a withdrawn, an inferred and a withdrawn-only region, built."""
    return status_output


@pytest.mark.parametrize("prefix", [prefix for prefix, _ in EDITIONS])
def test_participations_carry_status_notes_and_citations(status_site: Path, prefix: str) -> None:
    data = status_site / prefix / "data"
    package = assert_valid_package(data)
    table = next(r for r in package["resources"] if r["name"] == "keikutsertaan")
    assert table["schema"]["primaryKey"] == ["kode_wilayah", "tahun"]
    assert table["schema"]["foreignKeys"] == [
        {"fields": ["tahun"], "reference": {"resource": "angkatan", "fields": ["tahun"]}}]
    rows, records = read_csv(data / "keikutsertaan.csv"), read_json(data / "keikutsertaan.json")
    assert [(r["kode_wilayah"], r["tahun"], r["status"]) for r in rows] == [
        ("32.04", "2018", "tidak_ikut_serta"), ("32.73", "2017", "terkonfirmasi"),
        ("32.76", "2017", "terkonfirmasi"), ("32.76", "2018", "tahun_belum_pasti"),
        ("34.03", "2018", "terkonfirmasi"), ("34.71", "2017", "tidak_ikut_serta"),
        ("34.71", "2018", "disimpulkan")]
    assert [(r["kode_wilayah"], r["tahun"], r["status"]) for r in records] == \
        [(r["kode_wilayah"], int(r["tahun"]), r["status"]) for r in rows]
    yogya = records[5]
    assert yogya["catatan"] == "Disebut pada Mei 2017, lalu dibatalkan; bergabung pada 2018."
    assert yogya["catatan_en"] == "Named in May 2017, then cancelled; joined in 2018."
    assert yogya["sumber"] == [{"judul": "Yogyakarta batal ikut",
                                "url": "https://www.example.org/yogya/batal",
                                "penerbit": "Humas Yogyakarta", "tanggal": "2017-06-01",
                                "bahasa": "id"}]
    assert rows[5]["sumber"] == "https://www.example.org/yogya/batal"
    assert records[0]["catatan_en"] is None and rows[0]["catatan_en"] == ""
    # peserta: participants only, their years without the withdrawn ones
    peserta = {r["kode_wilayah"]: r for r in read_json(data / "peserta.json")}
    assert sorted(peserta) == ["32.73", "32.76", "34.03", "34.71"]
    assert peserta["34.71"]["angkatan"] == [2018] and peserta["34.71"]["tahun_belum_terverifikasi"] == [2018]
    assert [s["url"] for s in peserta["34.71"]["sumber"]] == [
        "https://www.example.org/yogya/batal", "https://example.org/yogya/forum"]
    for record in records:  # every participation's region is a participant, and only those
        took_part = record["status"] != "tidak_ikut_serta"
        assert not took_part or record["kode_wilayah"] in peserta
    assert "32.04" not in peserta
    rounds = {r["tahun"]: r for r in read_json(data / "angkatan.json")}
    assert [(y, r["tercatat"], r["belum_terverifikasi"], r["tidak_ikut_serta"], r["belum_tercatat"])
            for y, r in rounds.items()] == [(2017, 2, 0, 1, 23), (2018, 3, 2, 1, 47)]
    assert rounds[2017]["catatan"] == "Tahap I dimulai di Makassar."
    assert rounds[2017]["catatan_en"] == "Stage I began in Makassar."
    assert rounds[2017]["sumber"] == [{"judul": None, "url": "https://example.org/2017",
                                       "penerbit": None, "tanggal": None, "bahasa": None}]


@pytest.mark.parametrize("prefix", [prefix for prefix, _ in EDITIONS])
def test_participations_equal_the_region_and_round_pages(status_site: Path, prefix: str) -> None:
    records = read_json(status_site / prefix / "data" / "keikutsertaan.json")
    for rec in records:
        slug = rec["url"].rsplit("/", 2)[1]
        page = soup(status_site / prefix / "daerah" / slug / "index.html")
        shown = {int(li.a["href"].rstrip("/").rsplit("/", 1)[1]): li
                 for li in page.select("ul.rounds > li")}
        li = shown[rec["tahun"]]
        assert ("round-withdrawn" in li["class"]) == (rec["status"] == "tidak_ikut_serta")
        assert bool(li.select_one(".badge-warning")) == (rec["status"] in ("tahun_belum_pasti",
                                                                            "disimpulkan"))
        note = rec["catatan_en"] or rec["catatan"] if prefix else rec["catatan"]
        assert (li.select_one(".note").text if li.select_one(".note") else None) == note
        assert [a["href"] for a in li.select(".meta a")] == [s["url"] for s in rec["sumber"]]
        round_page = soup(status_site / prefix / "angkatan" / str(rec["tahun"]) / "index.html")
        region_link = f"{PREFIX}{prefix}daerah/{slug}/"
        listed = round_page.select_one(f"main .region-list a[href='{region_link}']")
        apart = round_page.select_one(f"main .withdrawn-list a[href='{region_link}']")
        assert (listed is None, apart is None) == ((False, True) if rec["status"] != "tidak_ikut_serta"
                                                   else (True, False))


@pytest.mark.parametrize("value", ["a,b", 'kata "kutip"', "baris\nbaru", " spasi ", ""])
def test_csv_cells_round_trip(value: str) -> None:
    table = Table("x", (Column("a", "string"), Column("b", "string")), ("csv",))
    body = to_csv(table, [{"a": value, "b": "z"}])
    assert body.endswith(b"\r\n") and body.startswith(b"a,b\r\n")
    assert list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) == [["a", "b"], [value, "z"]]


def test_list_cells_are_joined_by_their_separator() -> None:
    body = to_csv(PESERTA, [{c.name: None for c in PESERTA.columns} | {
        "angkatan": [2018, 2019], "sumber": [{"url": "https://a.example/x"}, {"url": None},
                                             {"url": "https://b.example/y"}]}])
    row = next(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert row["angkatan"] == "2018;2019"
    assert row["sumber"] == "https://a.example/x https://b.example/y"
    assert {v for k, v in row.items() if k not in ("angkatan", "sumber")} == {""}


# --- CSV cells a spreadsheet would run as formulas (hostile-findings D4) ------------------------

FORMULAS = ["=HYPERLINK(\"https://evil.example/\",\"Klik\")", "+cmd|' /C calc'!A0", "-2+3+cmd|calc",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\tTabbed", "\rCR", "\r=1+1", "  =1+1", "\u3000@SUM(1)",
            "\n+1", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "'quoted"]


def opens_as_formula(cell: str) -> bool:
    """What Excel, LibreOffice and Google Sheets (and, for the full-width forms, East Asian
    input) may run: =, +, -, @ first (after white space), or a leading TAB or CR."""
    first = cell.lstrip()[:1]
    return cell[:1] in ("\t", "\r") or (first != "" and first in "=+-@\uff1d\uff0b\uff0d\uff20")


@pytest.mark.parametrize("value", FORMULAS)
def test_text_cells_never_open_as_formulas(value: str) -> None:
    safe = spreadsheet_text(value)
    assert not opens_as_formula(safe) and safe == "'" + value


@pytest.mark.parametrize("value", ["Kota Bandung", "2017;2018", "https://example.org/a", "a=b",
                                   "Catatan - dengan tanda", "", " spasi", "2018: UNCERTAIN"])
def test_ordinary_text_cells_are_left_alone(value: str) -> None:
    assert spreadsheet_text(value) == value


def test_formula_in_a_region_note_is_neutralised(site: FixtureSite) -> None:
    """Reported: a note '=HYPERLINK(…)' became a live formula in peserta.csv; also a round's
    stage and note from cohorts.yaml in angkatan.csv."""
    from conftest import COHORTS
    note = FORMULAS[0]
    path = site.root / "content/regions/kota-bandung.yaml"
    path.write_text(path.read_text() + f"note: '{note}'\ncoordinates: [-6.91, 107.61]\n")
    site.write("content/reference/cohorts.yaml",
               COHORTS.replace("stage: Tahap I", 'stage: "=1+1"')
               .replace('"Tahap I dimulai di Makassar."', '"\uff0dcmd|calc"'))
    assert site.run("build", "--no-cache").returncode == 0
    data = site.output / "data"
    assert_valid_package(data)
    for name in ("peserta.csv", "provinsi.csv", "angkatan.csv"):
        for cells in raw_csv(data / name):
            assert not any(opens_as_formula(v) for k, v in cells.items() if k not in ("lintang", "bujur"))
    rounds = read_csv(data / "angkatan.csv")
    assert (rounds[0]["tahap"], rounds[0]["catatan"]) == ("=1+1", "\uff0dcmd|calc")
    assert (raw_csv(data / "angkatan.csv")[0]["tahap"], raw_csv(data / "angkatan.csv")[0]["catatan"]) \
        == ("'=1+1", "'\uff0dcmd|calc")
    assert read_json(data / "angkatan.json")[0]["tahap"] == "=1+1"
    bandung = next(r for r in raw_csv(data / "peserta.csv") if r["slug"] == "kota-bandung")
    assert bandung["catatan"] == "'" + note and bandung["lintang"] == "-6.91"
    assert next(r for r in read_csv(data / "peserta.csv") if r["slug"] == "kota-bandung")["catatan"] == note
    assert next(r for r in read_json(data / "peserta.json") if r["slug"] == "kota-bandung")["catatan"] == note
    page = soup(site.output / "daerah" / "kota-bandung" / "index.html")
    assert note in page.get_text()


def test_formulas_in_names_and_provinces_are_neutralised(tmp_path: Path) -> None:
    """Without reference data, names and provinces are free text. (A CR cannot reach a
    cell from content: the loader refuses control characters; the unit test above has it.)"""
    from conftest import write_site
    site = write_site(tmp_path / "site", reference=False)
    for slug in ("kota-bandung", "kota-depok", "kabupaten-gunungkidul"):
        site.remove(f"content/regions/{slug}.yaml")
    for i, (name, province, note) in enumerate([
            (FORMULAS[1], FORMULAS[2], FORMULAS[3]), (FORMULAS[4], FORMULAS[9], FORMULAS[7]),
            (FORMULAS[10], FORMULAS[13], FORMULAS[8])]):
        site.write(f"content/regions/kota-{i}.yaml",
                   f"name: {json.dumps(name)}\ntype: kota\nprovince: {json.dumps(province)}\n"
                   f'code: "3{i}.7{i}"\ncohort: 2017\nnote: {json.dumps(note)}\n'
                   "coordinates: [-6.9, 107.6]\n")
    for news in ("2017-05-22-peluncuran", "2018-05-08-tahap-dua"):
        body = (site.root / f"content/news/{news}.md").read_text()
        site.write(f"content/news/{news}.md", re.sub(r"regions: \[.*\]\n", "", body))
    result = site.run("build", "--no-cache")
    assert result.returncode == 0, result.stderr
    data = site.output / "data"
    assert_valid_package(data)
    for name in ("peserta.csv", "provinsi.csv", "angkatan.csv"):
        for cells in raw_csv(data / name):
            numbers = ("lintang", "bujur") if name != "angkatan.csv" else ()
            assert not any(opens_as_formula(v) for k, v in cells.items() if k not in numbers), (name, cells)
    records = {r["slug"]: r for r in read_json(data / "peserta.json")}
    for row in read_csv(data / "peserta.csv"):
        record = records[row["slug"]]
        assert (row["nama"], row["provinsi"], row["catatan"]) == (
            record["nama"], record["provinsi"], record["catatan"])
        assert record["nama"] in FORMULAS and row["lintang"] == "-6.9"
    assert sorted(p["nama"] for p in read_csv(data / "provinsi.csv")) == sorted(
        [FORMULAS[2], FORMULAS[9], FORMULAS[13]])
    package = read_json(data / "datapackage.json")
    assert all("'" in r["description"] and "JSON" in r["description"]
               for r in package["resources"] if r["format"] == "csv")


def test_the_data_page_and_the_downloads_share_one_computation(site: FixtureSite, monkeypatch) -> None:
    """The site map computes the downloads once, when first asked, and hands them to the data
    page and to each file; another site map (another model) computes its own: no memo outside
    the call."""
    import datetime as dt

    from kotacerdas.content.load import load_site
    from kotacerdas.core import urls
    from kotacerdas.core.errors import Problems
    from kotacerdas.content.strings import read_strings
    from kotacerdas.core.locations import template_dirs
    from kotacerdas.model.i18n import Catalogue
    from kotacerdas.model.site import build_model
    from kotacerdas.outputs import opendata
    from kotacerdas.site.pages import DataFile, PageSpec, site_pages

    today = dt.date(2030, 1, 1)
    model = build_model(load_site(site.root, today), today=today)
    language = model.config.language
    catalogue = Catalogue(language, read_strings(language, template_dirs(site.root),
                                                 Problems(site.root)))
    calls = spy(monkeypatch, opendata, "produce_all")
    specs = site_pages(model, catalogue)
    files = {s.route: s.produce() for s in specs
             if isinstance(s, DataFile) and s.route.startswith(urls.DATA)}
    assert len(calls) == 1 and urls.data_file(opendata.DATAPACKAGE) in files
    page = next(s for s in specs if isinstance(s, PageSpec) and s.route == urls.DATA)
    assert len(calls) == 1  # the data page's part is made when it is rendered, from the same
    values = page.values()
    listed = [*(d for ds in values["datasets"] for d in ds.downloads), values["package"]]
    assert sorted(d.route for d in listed) == sorted(files)
    assert all(d.size == len(files[d.route]) for d in listed)
    again = site_pages(model, catalogue)
    assert len(calls) == 1  # nothing asked for the downloads yet: none made
    next(s for s in again if isinstance(s, PageSpec) and s.route == urls.DATA).values()
    assert len(calls) == 2


def test_a_table_whose_inputs_did_not_change_is_not_gathered_again(
        site: FixtureSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A session's memo keeps each table's rows and files under the inputs they are made from:
    a news title edit makes and encodes the one row that changed and gathers no other table,
    and the files are those of a build without memo; another edition's address is another
    table."""
    import datetime as dt

    from kotacerdas.content.load import load_site
    from kotacerdas.core.memo import Memo
    from kotacerdas.model.i18n import Catalogue
    from kotacerdas.model.site import build_model
    from kotacerdas.outputs import opendata

    from conftest import strings

    today = dt.date(2030, 1, 1)
    catalogue = Catalogue("id", strings("id"))
    gathered: list[str] = []
    made = spy(monkeypatch, opendata, "_announcement_row", record=lambda m, n: n.slug)
    encoded = spy(monkeypatch, opendata, "_json_row", record=lambda row: row["slug"])
    for name, rows in opendata.ROWS.items():
        monkeypatch.setitem(opendata.ROWS, name,
                            lambda m, name=name, rows=rows: gathered.append(name) or rows(m))

    def files(memo: Memo | None, language: str | None = None) -> dict[str, bytes]:
        model = build_model(load_site(site.root, today), today=today, language=language)
        return opendata.produce_all(model, catalogue, memo)

    memo = Memo()
    files(memo)
    memo.settle()
    assert sorted(gathered) == sorted(opendata.ROWS) and len(made) == len(encoded) == 3
    gathered.clear()
    made.clear()
    encoded.clear()
    files(memo)
    memo.settle()
    assert gathered == made == encoded == []
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Judul baru ', 1))
    kept = files(memo)
    assert gathered == [] and made == encoded == ["tahap-dua"]
    assert b"Judul baru" in kept["berita.json"] and kept == files(None)
    gathered.clear()
    made.clear()
    files(memo, "en")
    assert sorted(gathered) == sorted(opendata.ROWS) and len(made) == 3


@pytest.mark.parametrize("rows", [[], [{"a": 1}], [
    {"slug": "x", "judul": "Ä \"kutip\"\nbaris", "topik": [], "sumber": [{"url": "u", "n": None}],
     "daerah": ["a", "b"], "lintang": -6.5, "ok": True, "kosong": {}},
    {"slug": "y", "nested": [[1, [2]], {"k": [{"z": 0}]}]}]])
def test_a_json_file_made_row_by_row_is_the_whole_tables_json(rows: list[dict[str, Any]]) -> None:
    """berita.json is joined from each row's kept text; the bytes are those json.dumps writes for
    the whole list."""
    from kotacerdas.outputs.opendata import _json_bytes, _json_row, _json_table
    assert _json_table([_json_row(row) for row in rows]) == _json_bytes(rows)
