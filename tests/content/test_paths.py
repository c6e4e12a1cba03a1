"""Nothing an editor commits can write outside output/ or read from outside the site.

File names, slugs, tags and region references become folders in output/; each hostile spelling
(.., percent-encoded dots, absolute paths, full-width letters, look-alike slashes) must be a clear
content error naming the file, never a file written elsewhere. Symbolic links in content/ are
refused (Git can commit them, and they could publish files from the build machine), and names
that differ only in case are an error: GitHub Pages is case-sensitive, editors' laptops often
are not. The writer refuses anything that would still slip through.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FixtureSite, tree, write_tree
from kotacerdas.core.errors import ContentError
from kotacerdas.build.pipeline import build
from kotacerdas.core.writeguard import UnsafeWrite
from kotacerdas.build.writer import MARKER

REGION = 'name: Kota Bandung\ntype: kota\nprovince: Jawa Barat\ncode: "32.73"\ncohort: 2017\n'
NEWS = "---\ntitle: T\ndate: 2020-01-01\nsummary: S\n{extra}---\nx\n"
PAGE = "---\ntitle: T\n---\nx\n"

HOSTILE_NAMES = [
    "a..", "kota..%2f..%2fetc", "%2e%2e", "%2E%2E%2Fx", "a%2fb", "kota..\\..\\x", "C:x",
    "ｋｏｔａ-ｂａｎｄｕｎｇ",          # full-width letters (NFKC would fold them to ASCII)
    "kota\u2215bandung",             # division slash, looks like '/'
    "kota\u2044bandung",             # fraction slash
    "\uff0e\uff0e",                  # full-width dots
    "kota-bandung\u00a0",            # no-break space
    "kota\u200bbandung",             # zero-width space
    "Kota-Bandung", "KOTA", "kota bandung", "kota_bandung", "-kota", "kota-",
    "kota--bandung", "kota.bandung", "kota\tbandung",
]

HOSTILE_VALUES = ["../../evil", "..", "%2e%2e", "/etc/passwd", "ｅｖｉｌ", "C:\\evil", "evil/../../x",
                  "Peluncuran", "a b", "", "evil\u2215x", "\uff0e\uff0e"]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root except the site's own output (what a build may change)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and "output" not in p.relative_to(root).parts[:2]}


def build_problems(site: FixtureSite) -> list[str]:
    """Build in-process; it must refuse with content problems, and write nothing anywhere."""
    root = site.root.parent
    before = snapshot(root)
    with pytest.raises(ContentError) as info:
        build(site.root, site.root / "output")
    assert snapshot(root) == before
    assert not (site.root / "output").exists()
    assert not [p for p in root.rglob("*") if p.name.startswith(".output.")]
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_are_content_errors(site: FixtureSite, name: str) -> None:
    site.write(f"content/regions/{name}.yaml", REGION.replace("32.73", "32.04")
               .replace("Kota Bandung", "Kabupaten Bandung").replace("type: kota", "type: kabupaten"))
    site.write(f"content/pages/{name}.md", PAGE)
    site.write(f"content/news/2020-01-01-{name}.md", NEWS.format(extra=""))
    found = build_problems(site)
    for rel in (f"content/regions/{name}.yaml", f"content/pages/{name}.md",
                f"content/news/2020-01-01-{name}.md"):
        assert any(p.startswith(rel + ":") and "file name" in p for p in found), (rel, found)


def test_hidden_files_are_ignored(site: FixtureSite) -> None:
    """'...yaml' or '..md' start with a dot: hidden files (like .gitkeep) are never read."""
    site.write("content/regions/...yaml", "rahasia: [")
    site.write("content/pages/..md", "rahasia")
    site.write("content/news/.2020-01-01-x.md", "rahasia")
    build(site.root, site.root / "output")
    assert not [p for p in (site.root / "output").rglob("*")
                if p.is_file() and b"rahasia" in p.read_bytes()]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("field", ["tags", "regions"])
def test_hostile_tags_and_references_are_content_errors(site: FixtureSite, field: str,
                                                        value: str) -> None:
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    site.write("content/news/2020-01-01-uji.md", NEWS.format(extra=f'{field}: ["{quoted}"]\n'))
    found = build_problems(site)
    assert any(p.startswith("content/news/2020-01-01-uji.md:5:") and field in p for p in found), found


@pytest.mark.parametrize("where", ["file name", "tag"])
def test_a_trailing_newline_is_not_a_slug(site: FixtureSite, where: str) -> None:
    if where == "tag":
        site.write("content/news/2020-01-01-uji.md", NEWS.format(extra='tags: ["peluncuran\\n"]\n'))
    else:
        site.write("content/pages/kontak\n.md", PAGE)
    assert build_problems(site)


def test_symlinked_file_and_folders_in_content_are_refused(site: FixtureSite, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "news").mkdir(parents=True)
    (outside / "news" / "2020-01-01-rahasia.md").write_text(NEWS.format(extra=""))
    (outside / "secret.md").write_text(PAGE)
    shutil.rmtree(site.root / "content/news")
    os.symlink(outside / "news", site.root / "content/news")
    os.symlink(outside / "secret.md", site.root / "content/pages/rahasia.md")
    os.symlink(outside, site.root / "content/regions/tautan")
    found = build_problems(site)
    for rel in ("content/news", "content/pages/rahasia.md", "content/regions/tautan"):
        assert any(p.startswith(rel + ":") and "symbolic link" in p for p in found), (rel, found)


def test_a_symlinked_content_folder_is_refused(site: FixtureSite, tmp_path: Path) -> None:
    """content/ itself may not point elsewhere (say, at a folder of the build machine)."""
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site.root / "content", elsewhere)
    os.symlink(elsewhere, site.root / "content")
    found = build_problems(site)
    assert any(p.startswith("content:") and "symbolic link" in p for p in found), found


@pytest.mark.parametrize("link", ["templates", "templates/assets", "templates/assets/key.css"])
def test_symlinks_in_the_site_templates_are_refused(site: FixtureSite, tmp_path: Path,
                                                    link: str) -> None:
    """A site's own templates/assets/ are copied into output/: a link there could publish a secret."""
    secret = tmp_path / "secret"
    (secret / "assets").mkdir(parents=True)
    (secret / "assets" / "id_rsa").write_text("PRIVATE KEY")
    target = {"templates": secret, "templates/assets": secret / "assets",
              "templates/assets/key.css": secret / "assets" / "id_rsa"}[link]
    (site.root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, site.root / link)
    found = build_problems(site)
    assert any(p.startswith(link + ":") and "symbolic link" in p for p in found), found


def test_names_that_differ_only_in_case_are_an_error(site: FixtureSite) -> None:
    site.write("content/pages/Kontak.md", PAGE)
    site.write("content/regions/Kota-bandung.yaml", REGION)
    found = build_problems(site)
    assert "content/pages/kontak.md: differs from Kontak.md only in upper/lower case; GitHub " \
           "Pages treats them as two pages, most laptops as one: rename one" in found
    assert any(p.startswith("content/regions/kota-bandung.yaml: differs from Kota-bandung.yaml "
                            "only in upper/lower case") for p in found), found


def test_two_names_with_one_address_are_an_error(site: FixtureSite) -> None:
    """Province names become slugs; two that become the same folder may not overwrite each other."""
    site.write("content/reference/provinces.yaml",
               '- {code: "32", name: Jawa Barat}\n- {code: "34", name: "JAWA-BARAT", aliases: [DI Yogyakarta]}\n')
    found = build_problems(site)
    assert any("provinsi/jawa-barat/index.html" in p for p in found), found


@pytest.mark.parametrize("name", ["..", "...", "/", "---", "!?"])
def test_a_province_name_without_letters_is_an_error(site: FixtureSite, name: str) -> None:
    """A name with nothing to make a slug of would become provinsi//, the province index itself."""
    site.write("content/reference/provinces.yaml",
               f'- {{code: "32", name: "{name}", aliases: [Jawa Barat]}}\n'
               '- {code: "34", name: Daerah Istimewa Yogyakarta, aliases: [DI Yogyakarta]}\n')
    assert build_problems(site)


@pytest.mark.parametrize("rel", ["../x.html", "a/../../x.html", "/tmp/x.html", "a/../../../etc/x",
                                 "..", "./../x"])
def test_the_writer_never_writes_outside_output(tmp_path: Path, rel: str) -> None:
    output = tmp_path / "deep" / "output"
    with pytest.raises(UnsafeWrite, match="not a plain relative file name"):
        write_tree({"index.html": b"ok", rel: b"evil"}, output)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_odd_but_harmless_names_stay_inside_output(tmp_path: Path) -> None:
    """Encoded and full-width dots are ordinary characters to the file system: they stay inside."""
    output = tmp_path / "output"
    write_tree({"%2e%2e/x.html": b"a", "\uff0e\uff0e/x.html": b"b"}, output)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["output/%2e%2e/x.html", f"output/{MARKER}", "output/\uff0e\uff0e/x.html"]


SCRATCH = {  # what editors and systems leave beside the files they edit
    "content/news/.#2018-05-08-tahap-dua.md": "link",        # emacs's lock while a buffer is modified
    "content/news/#2018-05-08-tahap-dua.md#": "---\ntitle: [\n",  # emacs's auto-save, half typed
    "content/pages/tentang.md~": "---\ntitle: lama\n",       # emacs's, gedit's and nano's backup
    "content/regions/.kota-bandung.yaml.swp": "\x00vim",     # vim's swap file
    "content/.DS_Store": "\x00\x01",
    "content/news/4913": "",                                 # vim's write test
    "templates/.#base.html": "link",
    "templates/assets/.DS_Store": "\x00\x01",
    "templates/assets/style.css~": "body{}",
    "templates/assets/.sass-cache/x.css": "body{}",
}


def test_scratch_files_beside_the_content_never_break_or_change_a_build(
        site: FixtureSite, tmp_path: Path) -> None:
    """An editor with a file open (emacs's lock is a symbolic link to nowhere, its auto-save a
    half-typed copy) still gets a build, and none of it is read or published
    (core/locations.is_scratch): the output is exactly the one without them."""
    assert site.run("build", "--no-cache", "--output", str(tmp_path / "clean")).returncode == 0
    for rel, text in SCRATCH.items():
        if text == "link":
            (site.root / rel).parent.mkdir(parents=True, exist_ok=True)
            os.symlink("editor@host.4242:1764547200", site.root / rel)
        else:
            site.write(rel, text)
    result = site.run("build", "--no-cache", "--output", str(tmp_path / "with"))
    assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "with") == tree(tmp_path / "clean")
    again = site.run("build")  # with the cache: twice, the second finds nothing changed
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in site.run("build").stdout


def test_a_link_that_is_not_a_scratch_name_is_still_refused(site: FixtureSite,
                                                             tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text(PAGE)
    os.symlink(tmp_path / "secret.md", site.root / "content/pages/lock#.md")
    assert any(p.startswith("content/pages/lock#.md:") and "symbolic link" in p
               for p in build_problems(site))
