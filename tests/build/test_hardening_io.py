"""I/O failures end in one sentence, and output/ stays the last good build (D19).

Disk full (ENOSPC, EDQUOT), a read-only disk (EROFS), no permission (EACCES), anywhere in the
site or only in the build cache: ``build`` exits 1 with one line on stderr that names the
folder and says what to do, never a traceback, and output/ is byte for byte what it was, with
nothing left beside it. The faults are injected in a child process (tests/faults.py): tests
run as root in CI, where permissions stop nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FixtureSite, tree
from faults import run_with_fault
from kotacerdas.build import cache, writer

NEWS = "content/news/2019-05-15-tahap-tiga.md"
REASONS = {"ENOSPC": "the disk is full", "EDQUOT": "your disk quota is used up",
           "EROFS": "it is on a read-only disk", "EACCES": "you are not allowed to write there"}


def _prepared(site: FixtureSite) -> tuple[dict[str, bytes], list[str]]:
    """A site built twice (so a spare tree and a trusted cache exist), then edited."""
    for text in ("\nSatu.\n", "\nDua.\n"):
        site.write(NEWS, (site.root / NEWS).read_text() + text)
        assert site.run("build").returncode == 0
    site.write(NEWS, (site.root / NEWS).read_text().replace('summary: "Tahap tiga."',
                                                           'summary: "Tahap tiga, lagi."')
               + "\nTiga.\n")  # front matter too: a new entry for the parse cache
    return tree(site.output), sorted(p.name for p in site.root.iterdir())


def _assert_one_sentence(result, fault: str, folder: str) -> None:  # noqa: ANN001
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: could not write the folder {folder}"), lines[0]
    assert REASONS[fault.partition(":")[0]] in lines[0] and "was left as it was" in lines[0]


@pytest.mark.parametrize("fault", ["ENOSPC:0", "ENOSPC:60000", "EDQUOT:0", "EROFS", "EACCES"])
@pytest.mark.parametrize("cached", [True, False])
def test_a_failing_disk_leaves_output_as_it_was(site: FixtureSite, fault: str, cached: bool) -> None:
    """The whole site's disk fails (at the first byte, or part way through the new tree)."""
    before, names = _prepared(site)
    flags = () if cached else ("--no-cache",)
    result = run_with_fault(fault, site.root, "build", "--site", str(site.root), *flags)
    _assert_one_sentence(result, fault, str(site.root))
    assert tree(site.output) == before
    assert sorted(p.name for p in site.root.iterdir()) == names
    assert writer.leftovers(site.output) == []
    assert site.run("build", *flags).returncode == 0
    assert "Tiga." in (site.output / "berita/tahap-tiga/index.html").read_text()


@pytest.mark.parametrize("fault, where", [
    ("ENOSPC:0", ""),                        # the first write into the cache
    ("ENOSPC:0", f".{cache.PAGES_FILE}"),    # the page fingerprints (a temporary file, renamed)
    ("ENOSPC:0", f".{cache.FILE}"),          # the main file, the last write before the exchange
    ("EDQUOT:0", cache.PARSED_FILE),         # appended to
    ("EROFS", ""),
])
def test_a_cache_that_cannot_be_written_leaves_output_as_it_was(site: FixtureSite, tmp_path: Path,
                                                                fault: str, where: str) -> None:
    """Every cache write happens before the new tree takes output/'s place; the cache is then
    consistent (its main file forgotten: the next build is a full one, and right)."""
    before, names = _prepared(site)
    folder = site.root / ".build-cache"
    prefix = f"{folder}/{where}"
    result = run_with_fault(fault, prefix, "build", "--site", str(site.root))
    _assert_one_sentence(result, fault, str(folder))
    assert f"{site.output} was left as it was" in result.stderr
    assert tree(site.output) == before
    assert sorted(p.name for p in site.root.iterdir()) == names
    assert not (folder / cache.FILE).exists() or where == ""  # forgotten once writing began
    result = site.run("build")
    assert result.returncode == 0 and "nothing changed" not in result.stdout
    assert site.run("build", "--no-cache", "--output", str(tmp_path / "full")).returncode == 0
    assert tree(site.output) == tree(tmp_path / "full")
