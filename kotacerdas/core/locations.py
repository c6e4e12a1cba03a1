"""Where the generator's own files are, and which of a site's files a build reads.

One definition for the cache key (``PACKAGE``: every ``.py`` file under it is hashed), the
template search order (the renderer), the input stamps (``build.cache.input_digest``) and the
files the preview watches (``preview.serve``).
"""

from __future__ import annotations

from pathlib import Path, PurePath

PACKAGE = Path(__file__).resolve().parent.parent
"""The ``kotacerdas/`` package root (not this subpackage): the code the cache key covers."""
BUILTIN_TEMPLATES = PACKAGE.parent / "templates"
"""The built-in templates, interface strings and theme assets, used where a site has none of its
own."""
CONFIG = "site_config.yaml"


def is_scratch(name: str) -> bool:
    """Whether a file or folder name is an editor's or a system's scratch file, never part of a
    site: dot-files (vim's .x.swp, emacs's .#x lock, which is a symbolic link, macOS's
    .DS_Store, a .gitkeep), emacs's #x# auto-save, backups x~ (emacs, gedit, nano) and vim's 4913
    write test. Such a file is not read, refused, published or stamped, and saving one rebuilds
    nothing: editing a file must never break the build or the preview (Jekyll skips the same)."""
    return name.startswith(".") or name.endswith("~") or name == "4913" \
        or (len(name) > 1 and name.startswith("#") and name.endswith("#"))


def in_scratch(rel: PurePath) -> bool:
    """Whether a path inside a site folder is a scratch file or lies inside a scratch folder
    (``is_scratch`` of any of its parts: templates/assets/.sass-cache/x.css is one)."""
    return any(is_scratch(part) for part in rel.parts)


def template_dirs(site: Path) -> list[Path]:
    """The site's templates folder (if any) before the built-in one: a site overrides one file."""
    own = site / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []
    return dirs + [BUILTIN_TEMPLATES]


def template_files(dirs: list[Path]) -> dict[str, Path]:
    """Each template name (``page.html``, ``partials/meta.html``) → the file that renders it: the
    first of ``dirs`` (``template_dirs``) that has it, as the renderer's loader finds it."""
    found: dict[str, Path] = {}
    for folder in dirs:
        for path in sorted(folder.rglob("*.html")):
            rel = path.relative_to(folder)
            if path.is_file() and not in_scratch(rel):
                found.setdefault(rel.as_posix(), path)
    return found


def own_templates(files: dict[str, Path]) -> set[str]:
    """The templates of ``files`` (``template_files``) that are the site's own: not the
    built-in file, nor a byte-for-byte copy of it (a copy renders exactly what it would)."""
    own = set()
    for name, path in files.items():
        if not path.is_relative_to(BUILTIN_TEMPLATES):
            builtin = BUILTIN_TEMPLATES / name
            try:
                same = builtin.is_file() and builtin.read_bytes() == path.read_bytes()
            except OSError:  # unreadable: the renderer reports it; here it counts as the site's
                same = False
            if not same:
                own.add(name)
    return own


def input_folders(site: Path) -> list[tuple[str, Path]]:
    """The folders a build reads, by the name the input stamps record them under."""
    return [("content/", site / "content"), ("templates/", site / "templates"),
            ("builtin/", BUILTIN_TEMPLATES)]


def cache_folder(site: Path) -> Path:
    """Where ``build`` keeps its cache unless ``--cache DIR`` says otherwise (and the preview
    looks for one to start from)."""
    return site / ".build-cache"


def config_file(site: Path) -> Path:
    """The site's configuration file."""
    return site / CONFIG


def watched_paths(site: Path) -> list[Path]:
    """What a change to should trigger a rebuild: the folders the input stamps cover (the
    site's templates/ too before it exists: making it changes the site) and the config."""
    return [folder for _, folder in input_folders(site)] + [config_file(site)]
