"""Language editions: which text each edition shows, and what is not translated yet.

The default edition (Bahasa Indonesia) shows the originals. Another edition ('en') shows an
announcement or page from its translation ``<name>.en.md`` when there is one, else the original,
marked as such, so an English page never 404s. A translation is *outdated* when its original was
updated after it (dates only: editors can see and set them in the GitHub web editor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from kotacerdas.content.types import Content, NewsItem, Page, SiteConfig, Translation
from kotacerdas.core.digest import digest_of
from kotacerdas.core.records import record, replace

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"
Item = TypeVar("Item", NewsItem, Page)


def edition_config(config: SiteConfig, language: str) -> SiteConfig:
    """The configuration as one edition sees it: its language, title and description."""
    if language == config.language:
        return config
    own = config.translations.get(language, {})
    return replace(config, language=language, title=own.get("title", config.title),
                   description=own.get("description", config.description),
                   organisation={**config.organisation, **own.get("organisation", {})})


def status(original: NewsItem | Page, translation: Translation | None) -> str:
    """'current', 'outdated' (the original changed after the translation) or 'missing'."""
    if translation is None:
        return MISSING
    changed = _changed(original)
    if changed is None:
        return CURRENT
    translated = translation.updated or (original.date if isinstance(original, NewsItem) else None)
    return OUTDATED if translated is None or translated < changed else CURRENT


def _changed(original: NewsItem | Page) -> dt.date | None:
    """When the original's text last changed, as far as its dates say."""
    return original.last_updated if isinstance(original, NewsItem) else original.updated


def translations_by_item(content: Content, language: str) -> dict[tuple[str, str], Translation]:
    """The translations into one language by (kind, slug)."""
    return {(t.kind, t.slug): t for t in content.translations if t.language == language}


def localize(content: Content, language: str) -> Content:
    """The content one edition shows: translated text where there is some, else marked originals."""
    if language == content.config.language:
        return content
    found = translations_by_item(content, language)
    return replace(content, config=edition_config(content.config, language),
                   news=tuple(_localized(n, found.get(("news", n.slug)), content.config.language)
                              for n in content.news),
                   pages=tuple(_localized(p, found.get(("page", p.slug)), content.config.language)
                               for p in content.pages))


def _localized(item: Item, translation: Translation | None, default_language: str) -> Item:
    """One announcement or page as another edition shows it."""
    state = status(item, translation)
    if translation is None:
        return replace(item, lang=default_language, translation=state)
    updated = translation.updated
    if isinstance(item, NewsItem) and updated is not None and updated <= item.date:
        updated = None  # a translation made on the day of publication is not an update
    return replace(item, title=translation.title, summary=translation.summary,
                   body=translation.body, updated=updated, lang=translation.language,
                   translation=state, path=translation.path,
                   front_matter=translation.front_matter,
                   original_updated=_changed(item),
                   digest=digest_of(item.digest + translation.digest))


@record
class Gap:
    """One thing an edition lacks: a missing or outdated translation, or an interface string."""

    language: str
    kind: str  # "missing", "outdated" or "string"
    path: str
    message: str


def completeness(content: Content, strings: Mapping[str, Mapping[str, object]],
                 default_strings: Mapping[str, object]) -> list[Gap]:
    """Every missing or outdated translation and every untranslated interface string, per edition.

    ``strings`` maps each other language to its catalogue; ``default_strings`` is the default
    language's catalogue, which lists every key the templates may use.
    """
    gaps: list[Gap] = []
    default = content.config.language
    for language in content.config.languages[1:]:
        found = translations_by_item(content, language)
        groups: tuple[tuple[str, tuple[Page | NewsItem, ...]], ...] = (
            ("page", content.pages), ("news", content.news))
        for kind, items in groups:
            for item in sorted(items, key=lambda i: i.path):
                translation = found.get((kind, item.slug))
                state = status(item, translation)
                name = item.path[:-len(".md")] + f".{language}.md"
                if state == MISSING:
                    gaps.append(Gap(language, MISSING, item.path,
                                    f"has no '{language}' translation; write it in {name}"))
                elif state == OUTDATED and translation is not None:
                    when = translation.updated.isoformat() if translation.updated else "no date"
                    gaps.append(Gap(language, OUTDATED, translation.path,
                                    f"is older than its original {item.path} (translation "
                                    f"updated: {when}, original: {_changed(item)}); bring it up "
                                    f"to date and set 'updated: {_changed(item)}'"))
        catalogue = strings.get(language, {})
        for key in sorted(set(default_strings) - set(catalogue)):
            gaps.append(Gap(language, "string", f"templates/strings/{language}.yaml",
                            f"interface string '{key}' has no '{language}' text; add "
                            f"'{key}: …' (the {default} text is shown meanwhile)"))
    return gaps
