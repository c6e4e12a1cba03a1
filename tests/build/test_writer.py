"""The output folder: only the generator's own is replaced, always whole and at once.

A build refuses an existing folder it did not make (D8); a build killed at any moment leaves
output/ as the last good build or as the new one, never missing and never a mix, and the next
build removes what it left; two builds at once both succeed (D16).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, FixtureSite, tree, write_tree
from faults import run_with_fault
from kotacerdas.build import writer

NEWS = "content/news/2019-05-15-tahap-tiga.md"


def _siblings(site: FixtureSite) -> list[str]:
    """What lies beside output/ that a build makes (the spare, and leftovers if any)."""
    return sorted(p.name for p in site.root.iterdir() if p.name.startswith(".output"))


def _version_b(site: FixtureSite) -> None:
    """An edit that changes every page (the site title) and one announcement."""
    config = site.root / "site_config.yaml"
    config.write_text(config.read_text().replace('title: "Portal Uji"', 'title: "Portal Uji B"'))
    news = site.root / NEWS
    news.write_text(news.read_text() + "\nKalimat versi B.\n")


def _trees_a_and_b(site: FixtureSite, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes],
                                                                dict[str, bytes], dict[str, bytes]]:
    """(tree A, tree B, sources A, sources B): the site's two versions and what each builds."""
    sources_a = {rel: (site.root / rel).read_bytes() for rel in ("site_config.yaml", NEWS)}
    assert site.run("build", "--no-cache", "--output", str(tmp_path / "a")).returncode == 0
    _version_b(site)
    sources_b = {rel: (site.root / rel).read_bytes() for rel in ("site_config.yaml", NEWS)}
    assert site.run("build", "--no-cache", "--output", str(tmp_path / "b")).returncode == 0
    _use(site, sources_a)
    return tree(tmp_path / "a"), tree(tmp_path / "b"), sources_a, sources_b


def _use(site: FixtureSite, sources: dict[str, bytes]) -> None:
    for rel, data in sources.items():
        (site.root / rel).write_bytes(data)


# --- D8: only the generator's own folder is replaced ---------------------------------------------

def _refused(site: FixtureSite, output: Path) -> None:
    """A build into ``output`` is refused with a sentence saying what to do, and changes nothing."""
    before = tree(output) if output.is_dir() and not output.is_symlink() else None
    result = site.run("build", "--no-cache", "--output", str(output))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    if before is not None:
        assert tree(output) == before
    assert not [p for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.")]


def test_an_unrelated_folder_is_refused(site: FixtureSite, tmp_path: Path) -> None:
    """The report: ``--output`` a folder holding a thesis."""
    precious = tmp_path / "Documents"
    (precious / "thesis").mkdir(parents=True)
    (precious / "thesis" / "chapter1.docx").write_text("penting")
    _refused(site, precious)
    result = site.run("build", "--no-cache", "--output", str(precious))
    assert "choose an empty or new folder" in result.stderr
    assert f"or delete {precious} yourself" in result.stderr
    assert (precious / "thesis" / "chapter1.docx").read_text() == "penting"


@pytest.mark.parametrize("content", ["git", "one file", "user file in an old output"])
def test_other_folders_the_generator_did_not_make_are_refused(site: FixtureSite, tmp_path: Path,
                                                              content: str) -> None:
    folder = tmp_path / "folder"
    if content == "git":
        (folder / ".git").mkdir(parents=True)
        (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    elif content == "one file":
        folder.mkdir()
        (folder / "catatan.txt").write_text("x")
    else:  # an old build minus one of the files every build wrote: not recognisably ours
        assert site.run("build", "--no-cache", "--output", str(folder)).returncode == 0
        (folder / writer.MARKER).unlink()
        (folder / "sitemap.xml").unlink()
    _refused(site, folder)


def test_an_output_folder_inside_the_site_with_a_users_file_is_refused(site: FixtureSite) -> None:
    site.write("docs/panduan.md", "milik editor")
    _refused(site, site.root / "docs")
    site.write("output/catatan.txt", "milik editor")  # the default output/, not made by a build
    result = site.run("build")
    assert result.returncode == 2 and "choose an empty or new folder" in result.stderr
    assert tree(site.output) == {"catatan.txt": b"milik editor"}


@pytest.mark.parametrize("points_to", ["an empty folder", "an earlier output"])
def test_an_output_path_that_is_a_symlink_is_refused(site: FixtureSite, tmp_path: Path,
                                                     points_to: str) -> None:
    real = tmp_path / "real"
    if points_to == "an empty folder":
        real.mkdir()
    else:
        assert site.run("build", "--no-cache", "--output", str(real)).returncode == 0
    before = tree(real)
    link = tmp_path / "link"
    os.symlink(real, link)
    result = site.run("build", "--no-cache", "--output", str(link))
    assert result.returncode == 2 and "is a symbolic link" in result.stderr
    assert link.is_symlink() and tree(real) == before


def test_an_output_of_an_earlier_version_is_replaced(built: FixtureSite) -> None:
    """output/ built before the marker existed is recognised by what every build wrote, so the
    editor has nothing to do; the new build adds the marker."""
    (built.output / writer.MARKER).unlink()
    assert writer.is_generated(built.output)
    built.write(NEWS, (built.root / NEWS).read_text() + "\nLagi.\n")
    result = built.run("build")
    assert result.returncode == 0, result.stderr
    assert (built.output / writer.MARKER).read_bytes() == writer.MARKER_BYTES
    assert "Lagi." in (built.output / "berita/tahap-tiga/index.html").read_text()


def test_empty_and_new_folders_are_accepted(site: FixtureSite, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        assert site.run("build", "--no-cache", "--output", str(folder)).returncode == 0
        assert (folder / "index.html").is_file()
        assert (folder / writer.MARKER).read_bytes() == writer.MARKER_BYTES


# --- D16: whole and at once -----------------------------------------------------------------

@pytest.mark.parametrize("fault, expected", [
    ("kill-before-exchange", "A"), ("kill-after-exchange", "B"), ("kill-reported", "B"),
    ("kill-no-exchange", "B"),
])
@pytest.mark.parametrize("cached", [False, True])
def test_a_kill_at_the_exchange_leaves_old_or_new(site: FixtureSite, tmp_path: Path, fault: str,
                                                  expected: str, cached: bool) -> None:
    """SIGKILL right before or after the one exchange: output/ is A or B, never absent; the
    report's repro (a kill after output/ was renamed away) finds no such moment any more."""
    tree_a, tree_b, _, sources_b = _trees_a_and_b(site, tmp_path)
    flags = () if cached else ("--no-cache",)
    for _ in range(2):  # twice: the second build leaves a spare tree, which the third reuses
        (site.root / NEWS).write_bytes((site.root / NEWS).read_bytes())  # a new mtime
        assert site.run("build", *flags).returncode == 0
    assert tree(site.output) == tree_a
    _use(site, sources_b)
    result = run_with_fault(fault, site.root, "build", "--site", str(site.root), *flags)
    assert result.returncode == (0 if fault in ("kill-reported", "kill-no-exchange") else -9)
    assert tree(site.output) == (tree_a if expected == "A" else tree_b)
    assert site.run("build", *flags).returncode == 0
    assert tree(site.output) == tree_b
    assert writer.leftovers(site.output) == [] and _siblings(site) == [".output.spare"]


def test_without_the_exchange_a_kill_between_the_renames_is_repaired(site: FixtureSite,
                                                                     tmp_path: Path) -> None:
    """The documented window of systems without ``renameat2``: between the two renames output/
    is missing; the next build puts the site back and removes what the kill left."""
    _, tree_b, _, sources_b = _trees_a_and_b(site, tmp_path)
    assert site.run("build").returncode == 0
    _use(site, sources_b)
    result = run_with_fault("kill-between-renames", site.root, "build", "--site", str(site.root))
    assert result.returncode == -9 and not site.output.exists()
    assert writer.leftovers(site.output)  # the old tree, in .output.old-*/tree
    assert site.run("build").returncode == 0
    assert tree(site.output) == tree_b and writer.leftovers(site.output) == []


def test_random_kills_leave_old_or_new(site: FixtureSite, tmp_path: Path) -> None:
    """SIGKILL at random moments of full and cached builds (A ↔ B, every page differs): output/
    is always exactly A or exactly B; the next build is right and removes what kills left."""
    tree_a, tree_b, sources_a, sources_b = _trees_a_and_b(site, tmp_path)
    rng = random.Random(16)
    start = time.monotonic()
    assert site.run("build").returncode == 0
    duration = time.monotonic() - start
    current, seen = "A", []
    for round_ in range(12):
        cached = round_ % 2 == 1
        flags = () if cached else ("--no-cache",)
        if cached:  # a trusted cache for what output/ holds, so this is a patching build
            _use(site, sources_a if current == "A" else sources_b)
            assert site.run("build").returncode == 0
        _use(site, sources_b if current == "A" else sources_a)
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site",
                                 str(site.root), *flags], cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.5 * duration))
        proc.kill()
        proc.wait()
        now = tree(site.output)
        assert now in (tree_a, tree_b), f"round {round_}: a mix of A and B"
        current = "A" if now == tree_a else "B"
        seen.append((current, proc.returncode))
    assert len({state for state, _ in seen}) == 2, seen  # both outcomes happened
    assert site.run("build").returncode == 0
    assert tree(site.output) == (tree_b if current == "A" else tree_a)
    assert writer.leftovers(site.output) == [] and _siblings(site) == [".output.spare"]


@pytest.mark.parametrize("unchanged", [False, True])
def test_leftovers_of_killed_builds_are_removed(built: FixtureSite, unchanged: bool) -> None:
    """Trees an earlier version's killed builds left (``.output.new-*``, ``.output.old-*``) go
    with the next build, even one that has nothing else to do."""
    for name in (".output.new-abc123", ".output.old-def456/tree/berita"):
        (built.root / name).mkdir(parents=True)
        (built.root / name / "index.html").write_text("lama")
    (built.root / ".output.new-file").write_text("not a folder: not ours")
    if not unchanged:
        built.write(NEWS, (built.root / NEWS).read_text() + "\nLagi.\n")
    result = built.run("build")
    assert result.returncode == 0
    assert ("nothing changed" in result.stdout) == unchanged
    assert writer.leftovers(built.output) == []
    assert (built.root / ".output.new-file").is_file()


def test_two_builds_at_once_both_succeed(site: FixtureSite, tmp_path: Path) -> None:
    assert site.run("build").returncode == 0
    expected = tmp_path / "expected"
    for round_ in range(3):
        site.write(NEWS, (site.root / NEWS).read_text() + f"\nPutaran {round_}.\n")
        assert site.run("build", "--no-cache", "--output", str(expected)).returncode == 0
        procs = [subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site",
                                   str(site.root), *flags], cwd=REPO, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for flags in ((), ("--no-cache",) if round_ == 1 else ())]
        for proc in procs:
            _, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err
        assert tree(site.output) == tree(expected)
        assert writer.leftovers(site.output) == []


def test_the_spare_tree_never_changes_the_published_files(built: FixtureSite) -> None:
    """Cached rebuilds share unchanged files with output/ by hard links; the next build writes
    over those names in the spare, never into the shared files: the tree it replaces is, byte
    for byte, what was published."""
    built.write(NEWS, (built.root / NEWS).read_text() + "\nSatu.\n")
    assert built.run("build").returncode == 0
    assert [p for p in (built.root / ".output.spare").rglob("*.html") if p.stat().st_nlink > 1]
    published = tree(built.output)
    built.write("site_config.yaml", (built.root / "site_config.yaml").read_text()
                .replace('title: "Portal Uji"', 'title: "Portal Uji Baru"'))
    assert built.run("build", "--no-cache").returncode == 0  # rewrites every page in the spare
    assert tree(built.root / ".output.spare") == published
    assert tree(built.output) != published


# --- the tree functions --------------------------------------------------------------------------

def test_a_spare_in_a_strange_state_is_set_right(tmp_path: Path) -> None:
    """Whatever a killed build left in the spare (a folder where a file goes, a link, a stray
    file), the next tree holds exactly the site."""
    output = tmp_path / "out"
    write_tree({"a/index.html": b"a", "b.html": b"b"}, output)
    spare = tmp_path / ".out.spare"
    spare.mkdir()
    (spare / "b.html").mkdir()
    (spare / "b.html" / "x").write_text("in the way")
    (spare / "stray.txt").write_text("old")
    os.symlink(tmp_path, spare / "a")
    write_tree({"a/index.html": b"A", "b.html": b"B"}, output)
    assert tree(output) == {"a/index.html": b"A", "b.html": b"B", writer.MARKER: writer.MARKER_BYTES}
    assert tree(tmp_path / ".out.spare") == {"a/index.html": b"a", "b.html": b"b",
                                              writer.MARKER: writer.MARKER_BYTES}


def test_the_preview_writes_through_the_same_guarded_sink(site: FixtureSite, tmp_path: Path) -> None:
    """The preview's folder is written like a build's tree: a link planted in its spare tree is
    removed, never followed, and the folder ends up holding what a full build writes."""
    from kotacerdas.build.pipeline import build
    from kotacerdas.preview.incremental import Builder
    today = dt.date(2026, 11, 28)
    outside = tmp_path / "outside"
    outside.mkdir()
    live = Builder(site.root, tmp_path / "live", today=today)
    assert live.rebuild().ok and live.rebuild().ok  # the second one leaves the first tree as the spare
    spare = tmp_path / ".live.spare"
    shutil.rmtree(spare / "berita")
    os.symlink(outside, spare / "berita")
    outcome = live.rebuild()
    assert outcome.ok and outcome.written == ()
    assert list(outside.iterdir()) == []
    build(site.root, tmp_path / "full", today=today)
    assert tree(tmp_path / "live") == tree(tmp_path / "full")


def test_the_mirror_replaces_every_name_that_is_not_outputs_own_file(tmp_path: Path) -> None:
    """The spare is checked by inode, one scandir per folder: a copy with output/'s bytes, size
    and mtime but another inode, a link to output/'s very file, a folder at a file's name and a
    stray file are all set right; afterwards every name is output/'s own file."""
    from kotacerdas.build.cache import output_stamps, tree_inodes
    output, spare = tmp_path / "out", tmp_path / "spare"
    files = {"copy.html": b"c", "linked.html": b"l", "dir.html": b"d", "kept/index.html": b"k"}
    for rel, data in files.items():
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_bytes(data)
    (spare / "kept").mkdir(parents=True)
    os.link(output / "kept/index.html", spare / "kept/index.html")
    shutil.copy2(output / "copy.html", spare / "copy.html")  # the same stamp but its inode
    os.symlink(output / "linked.html", spare / "linked.html")
    (spare / "dir.html").mkdir()
    (spare / "stray").mkdir()
    (spare / "stray" / "old.html").write_bytes(b"old")
    writer._mirror(spare, output, output_stamps(output), tree_inodes(spare))
    assert tree(spare) == files and not (spare / "stray").exists()
    for rel in files:
        assert not (spare / rel).is_symlink()
        assert os.lstat(spare / rel).st_ino == os.stat(output / rel).st_ino, rel


def test_publish_replaces_each_file_whole_and_never_follows_a_link(tmp_path: Path) -> None:
    """The preview's first pass writes into the live folder (writer.publish): a changed file is a
    new file renamed over the name (a hard link elsewhere keeps the old bytes), a file holding
    the same bytes is kept as it is, a new one gets its folders, and a link at a name is
    replaced, never written through; the stamps returned are the folder's own."""
    from kotacerdas.build.cache import output_stamps
    output, outside = tmp_path / "out", tmp_path / "outside.html"
    write_tree({"a.html": b"a", "same.html": b"s", "link.html": b"x"}, output)
    outside.write_bytes(b"not ours")
    (output / "link.html").unlink()
    os.symlink(outside, output / "link.html")
    os.link(output / "a.html", tmp_path / "a-elsewhere.html")
    same = os.lstat(output / "same.html").st_ino
    stamps = writer.publish(output, {"a.html": b"A", "same.html": b"s", "link.html": b"L",
                                     "new/index.html": b"N"}, {})
    assert tree(output) == {"a.html": b"A", "same.html": b"s", "link.html": b"L",
                            "new/index.html": b"N", writer.MARKER: writer.MARKER_BYTES}
    assert (tmp_path / "a-elsewhere.html").read_bytes() == b"a"
    assert outside.read_bytes() == b"not ours" and not (output / "link.html").is_symlink()
    assert os.lstat(output / "same.html").st_ino == same
    assert stamps == {rel: st for rel, st in output_stamps(output).items() if rel != writer.MARKER}
