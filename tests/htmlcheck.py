"""Reading built pages the way a browser would: parse HTML, collect links, resolve them in output/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    """Parse one output file."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages(output: Path) -> list[Path]:
    """Every HTML file of a built site."""
    return sorted(output.rglob("*.html"))


def resolve(output: Path, base_path: str, url: str) -> Path | None:
    """The file a root-relative URL under ``base_path`` serves, as a static server would."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path):]
    target = output / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def internal_links(page: Path, origin: str) -> list[tuple[str, str]]:
    """(attribute value, fragment) of every internal href/src on a page."""
    doc = soup(page)
    found = []
    for tag in doc.find_all(href=True) + doc.find_all(src=True):
        value = tag.get("href") or tag.get("src")
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.scheme in ("mailto", "tel"):
            continue
        found.append((value, parts.fragment))
    return found


def ids(page: Path) -> set[str]:
    """Every id on a page (fragment targets)."""
    return {t["id"] for t in soup(page).find_all(id=True)}


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal link or fragment in output/ that does not resolve, as 'page → url'."""
    parts = urlsplit(base_url)
    origin, base_path = f"{parts.scheme}://{parts.netloc}", parts.path
    broken = []
    id_cache: dict[Path, set[str]] = {}
    for page in pages(output):
        for value, fragment in internal_links(page, origin):
            if value.startswith("#"):
                target = page
            else:
                path = urlsplit(value).path
                if not path.startswith("/"):
                    broken.append(f"{page.relative_to(output)} → {value} (relative link)")
                    continue
                target = resolve(output, base_path, value)
            if target is None or not target.is_file():
                broken.append(f"{page.relative_to(output)} → {value}")
                continue
            if fragment:
                if target not in id_cache:
                    id_cache[target] = ids(target)
                if fragment not in id_cache[target]:
                    broken.append(f"{page.relative_to(output)} → {value} (no id '{fragment}')")
    return broken
