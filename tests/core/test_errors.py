"""Problems name files relative to the site folder, always as pathlib would."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.core.errors import Problems

PATHS = ["/tmp/site/content/a.md", "/tmp/site//content/a.md", "/tmp/site/./x", "/tmp/sitex/a",
         "/other/a", "/tmp/site/content/", "./content/x", "content/x", "site/content/a",
         "site//a", "site/./b", "site/"]


@pytest.mark.parametrize("root", [Path("/tmp/site"), Path("."), Path("site"), Path("/")])
def test_the_quick_display_is_the_one_pathlib_gives(root: Path) -> None:
    """``display`` skips pathlib for plain paths under the site; it must never differ from it
    (the current folder as the site, '.', is one that plain text cannot tell)."""
    problems = Problems(root)
    for text in PATHS:
        slow = Path(text)
        try:
            slow = slow.relative_to(root)
        except ValueError:
            pass
        assert problems.display(text) == slow.as_posix(), (root, text)
        assert problems.display(Path(text)) == slow.as_posix(), (root, text)
