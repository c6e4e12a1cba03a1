"""Shared fixtures: small real sites written into temporary folders, and ways to build them; and
the helpers of tests that count what a build does again (``spy``, ``files_read``) or control what
a file's stamp says (``freeze_times``, ``stamp_times``)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterator
from unittest.mock import call

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EDITIONS = (("", "id"), ("en/", "en"))
"""Every language edition: (output prefix, language)."""


def strings(language: str) -> dict[str, str]:
    """The built-in interface strings of one language (templates/strings/<language>.yaml)."""
    import yaml

    return yaml.safe_load((REPO / "templates" / "strings" / f"{language}.yaml").read_text("utf-8"))

CONFIG = """\
title: "Portal Uji"
description: "Situs uji."
base_url: "https://contoh.github.io/kota-cerdas/"
language: id
timezone: Asia/Jakarta
news_per_page: 2
translations:
  en:
    description: "A test site."
"""

PROVINCES = """\
- {code: "32", name: Jawa Barat, lat: -6.9, lon: 107.6}
- {code: "34", name: Daerah Istimewa Yogyakarta, aliases: [DI Yogyakarta], lat: -7.9, lon: 110.4}
"""

KABKOTA = """\
- {code: "32.73", name: Kota Bandung, short_name: Bandung, type: kota, province_code: "32"}
- {code: "32.04", name: Kabupaten Bandung, short_name: Bandung, type: kabupaten, province_code: "32"}
- {code: "32.76", name: Kota Depok, short_name: Depok, type: kota, province_code: "32"}
- {code: "34.03", name: Kabupaten Gunungkidul, short_name: Gunungkidul, type: kabupaten, province_code: "34"}
- {code: "34.71", name: Kota Yogyakarta, short_name: Yogyakarta, type: kota, province_code: "34"}
"""

COHORTS = """\
- {year: 2017, announced: 25, stage: Tahap I, sources: ["https://example.org/2017"],
   note: "Tahap I dimulai di Makassar.", note_en: "Stage I began in Makassar.",
   research_note: "RISET-ANGKATAN-2017 list of 25 in source"}
- {year: 2018, announced: 50, sources: ["https://example.org/2018"],
   note: "Tahap II dimulai di Jakarta."}
"""

REGIONS = {
    "kota-bandung": """\
name: Kota Bandung
type: kota
province: Jawa Barat
code: "32.73"
cohort: 2017
sources:
  - https://example.org/bandung
summary: Bandung menyusun masterplan.
""",
    "kota-depok": """\
name: Kota Depok
type: kota
province: Jawa Barat
code: "32.76"
cohort:
  - 2017
  - year: 2018
    status: uncertain
    note: "Dua sumber menyebut tahun yang berbeda."
    note_en: "Two sources give different years."
    research_note: "2018: UNCERTAIN: conflicting sources"
sources: [https://example.org/depok]
""",
    "kabupaten-gunungkidul": """\
name: Kabupaten Gunungkidul
type: kabupaten
province: DI Yogyakarta
code: "34.03"
cohort: 2018
aliases: [Kabupaten Gunung Kidul]
""",
}

STATUS_REGIONS = {
    # named for 2017 but did not take part; 2018 only deduced
    "kota-yogyakarta": """\
name: Kota Yogyakarta
type: kota
province: DI Yogyakarta
code: "34.71"
cohort:
  - year: 2017
    status: withdrawn
    note: "Disebut pada Mei 2017, lalu dibatalkan; bergabung pada 2018."
    note_en: "Named in May 2017, then cancelled; joined in 2018."
    research_note: "RISET-YOGYA-2017 cancelled per Diskominfo head"
    sources:
      - {url: "https://www.example.org/yogya/batal", title: "Yogyakarta batal ikut",
         publisher: "Humas Yogyakarta", date: 2017-06-01, language: id}
  - year: 2018
    status: inferred
    note: "Hadir dalam forum daerah peserta 2018."
    note_en: "Attended the 2018 participants' forum."
    research_note: "INFERRED: RISET-YOGYA-2018 at the forum"
    sources: ["https://example.org/yogya/forum"]
coordinates: [-7.80, 110.37]
""",
    # named for 2018 only, and did not take part: not a participant; its note is not translated
    "kabupaten-bandung": """\
name: Kabupaten Bandung
type: kabupaten
province: Jawa Barat
code: "32.04"
cohort:
  - year: 2018
    status: withdrawn
    note: "Tercantum dalam daftar Mei 2018, tetapi digantikan daerah lain."
    research_note: "RISET-KABBANDUNG replaced"
""",
}
"""Regions with every status (added by the tests that need them; the base fixture has none)."""

NEWS = {
    "2017-05-22-peluncuran": """\
---
title: "Peluncuran gerakan"
date: 2017-05-22
summary: "Gerakan diluncurkan."
tags: [peluncuran]
regions: [kota-bandung]
sources:
  - https://example.org/berita
---

Isi berita dengan [tautan](/daerah/kota-bandung/).
""",
    "2018-05-08-tahap-dua": """\
---
title: "Tahap dua"
date: 2018-05-08
summary: "Tahap dua dimulai."
tags: [peluncuran, angkatan-2018]
regions: [kota-depok, kabupaten-gunungkidul]
---

## Rincian

Teks.
""",
    "2019-05-15-tahap-tiga": """\
---
title: "Tahap tiga"
date: 2019-05-15
summary: "Tahap tiga."
---

Teks.
""",
}

PAGES = {
    "tentang": "---\ntitle: Tentang\nsummary: Tentang gerakan.\nupdated: 2026-11-01\n---\n\nIsi tentang.\n",
    "data": "---\ntitle: Data\nupdated: 2026-11-02\n---\n\nIsi data.\n",
    "kontak": "---\ntitle: Kontak\n---\n\nHubungi kami.\n",
}

TRANSLATIONS = {
    # up to date: the original has no later date than the translation
    "news/2017-05-22-peluncuran.en.md": "---\ntitle: \"Launch of the movement\"\nsummary: "
                                        "\"The movement was launched.\"\n---\n\nText with a "
                                        "[link](/daerah/kota-bandung/).\n",
    "pages/tentang.en.md": "---\ntitle: About\nsummary: About the movement.\nupdated: 2026-11-01\n"
                           "---\n\nAbout text.\n",
    # outdated: the original was updated on 2026-11-02, after this translation
    "pages/data.en.md": "---\ntitle: Data\nupdated: 2026-10-01\n---\n\nData text.\n",
}
"""English translations in the fixture; kontak and two announcements have none (fallback)."""


def real_participants() -> dict[str, dict]:
    """The repository's region files (slug → data) with a round that was not withdrawn: the
    participants, read from the YAML itself rather than through the generator."""
    import yaml

    out = {}
    for path in sorted((REPO / "content" / "regions").glob("*.yaml")):
        region = yaml.safe_load(path.read_text(encoding="utf-8"))
        rounds = region["cohort"] if isinstance(region["cohort"], list) else [region["cohort"]]
        if any(not isinstance(r, dict) or r.get("status") != "withdrawn" for r in rounds):
            out[path.stem] = region
    return out


@dataclass
class FixtureSite:
    """A site folder in tmp, with helpers to change files and build it."""

    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        """Create or replace a file under the site (text is dedented)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        """Delete a file under the site."""
        (self.root / rel).unlink()

    @property
    def output(self) -> Path:
        return self.root / "output"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run build.py as an editor would, in a fresh process."""
        return run_build(*args, "--site", str(self.root))


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS`` from the repository, capturing output."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def write_site(root: Path, reference: bool = True) -> FixtureSite:
    """A small but complete site: config, reference data, three regions, three news, pages."""
    site = FixtureSite(root)
    site.write("site_config.yaml", CONFIG)
    if reference:
        site.write("content/reference/provinces.yaml", PROVINCES)
        site.write("content/reference/kabupaten-kota.yaml", KABKOTA)
        site.write("content/reference/cohorts.yaml", COHORTS)
    for slug, text in REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    for name, text in NEWS.items():
        site.write(f"content/news/{name}.md", text)
    for slug, text in PAGES.items():
        site.write(f"content/pages/{slug}.md", text)
    for rel, text in TRANSLATIONS.items():
        site.write(f"content/{rel}", text)
    return site


LOCAL_BASE = "http://127.0.0.1:8000/kota-cerdas/"
"""The base URL the tests that call the build in process build under (the preview's)."""
FIXTURE_TODAY = dt.date(2026, 11, 28)
"""A build day on or after every date of the fixture site."""


def with_repository_reference(site: FixtureSite) -> FixtureSite:
    """The fixture site with the repository's own reference data in place of its small one:
    every province and kab/kota, the rounds and the map's boundaries."""
    shutil.rmtree(site.root / "content" / "reference")
    shutil.copytree(REPO / "content" / "reference", site.root / "content" / "reference")
    return site


@pytest.fixture
def site(tmp_path: Path) -> FixtureSite:
    """A fresh fixture site."""
    return write_site(tmp_path / "site")


@pytest.fixture
def built(site: FixtureSite) -> FixtureSite:
    """A fixture site that has been built into its output/."""
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def status_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site plus STATUS_REGIONS (every status of a round), built once: its output/."""
    site = write_site(tmp_path_factory.mktemp("status") / "site")
    for slug, text in STATUS_REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    return site.output


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once under the GitHub Pages project subpath."""
    out = tmp_path_factory.mktemp("real") / "output"
    result = run_build("build", "--site", str(REPO), "--output", str(out),
                       "--base-url", "https://kominfo.github.io/kota-cerdas/")
    assert result.returncode == 0, result.stderr
    return out


Tree = Callable[[Path], dict[str, bytes]]


def write_tree(files: dict[str, bytes], output: Path) -> None:
    """Put a tree holding ``files`` in ``output``'s place through the build's own sink
    (writer.TreeSink, new_tree, settle), as a build does with its pages."""
    from kotacerdas.build import writer
    with writer.locked(output), writer.new_tree(output) as root:
        sink = writer.TreeSink(root)
        for rel, data in sorted(files.items()):
            sink(rel, data)
        writer.settle(root, output, set(files), {})


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the session (see tests/browser.py)."""
    from browser import launch_chromium
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    """The real site served over HTTP under /kota-cerdas/, as GitHub Pages would."""
    from browser import serve
    with serve(real_site, "/kota-cerdas/") as url:
        yield url


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
        record: Callable[..., Any] = call) -> list[Any]:
    """Wrap ``owner.name`` for the rest of the test, so that a test can tell what was made again
    and what was not: each call is noted in the list returned (its arguments, as
    ``unittest.mock.call(...)``, or what ``record`` maps them to), then made as before."""
    real = getattr(owner, name)
    calls: list[Any] = []

    @functools.wraps(real)
    def spied(*args: Any, **kwargs: Any) -> Any:
        calls.append(record(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spied)
    return calls


def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files read from now on (every input goes through content/read.read_file)."""
    from kotacerdas.content import read

    return spy(monkeypatch, read, "read_file", record=lambda path, *a: Path(path).name)


def freeze_times(path: Path, at: int | os.stat_result) -> None:
    """Set a file's access and modification times: to ``at`` nanoseconds after the epoch, or to
    those of a stat taken before an edit (which then keeps them, and its size if it kept that).
    Its change time moves to now whatever is set: nothing can set it back."""
    times = (at, at) if isinstance(at, int) else (at.st_atime_ns, at.st_mtime_ns)
    os.utime(path, ns=times)


def stamp_times(monkeypatch: pytest.MonkeyPatch, like: os.stat_result) -> None:
    """Make every ``os.lstat`` for the rest of the test report the modification and change times
    of ``like``: a file saved again within one tick of the file system's clock keeps its stamp
    that way (same size, same times), the case content/read.settled_stamp must never trust."""
    real = os.lstat

    def same_times(path: Any) -> Any:
        st = real(path)
        return SimpleNamespace(st_mode=st.st_mode, st_dev=st.st_dev, st_ino=st.st_ino,
                               st_size=st.st_size, st_mtime_ns=like.st_mtime_ns,
                               st_ctime_ns=like.st_ctime_ns)

    monkeypatch.setattr(os, "lstat", same_times)
