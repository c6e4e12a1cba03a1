"""Values derived from input, kept from one build to the next of a long-lived session.

The live preview builds the same site again on every save; most of what a build derives (the
map's province shapes, a region file's record, a download's bytes) comes from input that did not
change. A ``Memo`` hands back what an earlier build made from exactly the same input: each key
names everything its value is made from (the digest of a file's text, the rows of a table), so a
value can only stand for the input it came from, and a build with an empty memo makes the same
bytes. Values must be immutable, since every build that asks shares them.

What a build does not ask for is dropped once it succeeds (``settle``), so memory follows the
size of the site, not the number of saves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from kotacerdas.core.errors import Problem, Problems

T = TypeVar("T")


class Memo:
    """Derived values by a key naming their whole input."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, Any] = {}
        self._asked: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value for ``key``: kept from an earlier build, or made now (and kept)."""
        if key in self._asked:
            value: T = self._asked[key]
        elif key in self._kept:
            value = self._asked[key] = self._kept[key]
        else:
            value = self._asked[key] = make()
        return value

    def text(self, key: tuple[str, ...], make: Callable[[], str]) -> str:
        """As ``get``, for a text made from exactly what ``key``'s texts name (a file's digest,
        an edition's address and language; a kind first): a memo that outlives the process
        (content/stored.StoredMemo) also finds the text the last build made."""
        return self.get(key, make)

    def known_text(self, key: tuple[str, ...]) -> str | None:
        """The text ``text`` would hand out for ``key`` without making it (one this build or the
        last made, or one a memo that outlives the process finds), else None; asking does not
        keep it for the next build."""
        value = self._asked[key] if key in self._asked else self._kept.get(key)
        return value if type(value) is str else None

    def has(self, key: Hashable) -> bool:
        """Whether ``key``'s value is at hand (asked this build, or kept from the last)."""
        return key in self._asked or key in self._kept

    def checked(self, key: Hashable, problems: Problems, make: Callable[[Problems], T]) -> T:
        """As ``get``, for a value whose making reports problems: ``make`` records them in a
        collector of its own, and they are added to ``problems`` each time the value is handed
        out, so a remembered file is reported exactly as a file read afresh."""
        value, found = self.get(key, lambda: with_problems(make, problems.root))
        problems.items.extend(found)
        return value

    def hand(self, key: Hashable, outcome: tuple[Any, tuple[Problem, ...]], root: Path) -> None:
        """Take for ``key`` the outcome (value and problems, as ``with_problems`` gives) that
        ``checked`` would make, made elsewhere (a forked worker): ``checked`` then hands it out
        and replays its problems as if it had made it itself."""
        value, found = outcome

        def replay(problems: Problems) -> Any:
            problems.items.extend(found)
            return value

        self.checked(key, Problems(root), replay)

    def take(self, key: Hashable, outcome: tuple[T, tuple[Problem, ...]], problems: Problems) -> T:
        """Hand out for ``key``, which is not at hand, an outcome made without ``checked`` (value
        and problems, as ``with_problems`` gives): kept as ``checked`` would keep it, and its
        problems added to ``problems``, in one step."""
        self._asked[key] = outcome
        problems.items.extend(outcome[1])
        return outcome[0]

    def settle(self) -> None:
        """After a successful build: keep only what it asked for."""
        self._kept, self._asked = self._asked, {}


def with_problems(make: Callable[[Problems], T], root: Path) -> tuple[T, tuple[Problem, ...]]:
    """What ``make`` gives, and the problems it recorded."""
    problems = Problems(root)
    return make(problems), tuple(problems.items)
