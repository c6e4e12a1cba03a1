"""Safe YAML loading that remembers line numbers and refuses duplicate keys.

PyYAML's C loader is used when available; only the safe constructors are ever involved.
Mappings and sequences come back as ``LineDict``/``LineList``, which are plain ``dict``/``list``
subclasses carrying the 1-based source line of each key or item, so validation errors can point
at the exact line an editor has to fix. Two things are refused before or after parsing: nesting
deeper than ``MAX_DEPTH`` (libyaml's C composer would overflow the stack and kill the process)
and invisible control characters in any text (``find_invisible``), however they were written.

PyYAML is imported with the first text parsed or written (``_pyyaml``): the content stage imports
this module for ``line_of`` and the line-carrying types, and a rebuild whose files all come from
the parse cache (parsecache.py) parses no YAML.
"""

from __future__ import annotations

import re
import unicodedata
from kotacerdas.core.records import record
from functools import cache
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from types import ModuleType

    import yaml

MAX_DEPTH = 100
"""Deepest nesting of lists and mappings accepted. Real content nests fewer than 10 levels;
libyaml's composer recurses in C once per level and overflows the stack (the process dies with
no message) at about 25,000 levels, and Python's recursion limit is near 1,000."""

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text display in another order
than it is stored ("Trojan Source"). The marks U+200E/U+200F/U+061C stay allowed: they only set
the direction of the neutral characters beside them, and mixed-script names can need them."""

_CONTROL_NAMES = {0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0B: "VERTICAL TAB",
                  0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
                  0x85: "NEXT LINE"}


class LineDict(dict[Any, Any]):
    """A dict that knows the line of each of its keys (``lines``) and of itself (``line``)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}


class LineList(list[Any]):
    """A list that knows the line of each of its items."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.lines: list[int] = []


@record
class YamlProblem:
    """A YAML-level problem (syntax error or duplicate key) at a 1-based line."""

    line: int
    message: str
    first_line: int = 0

    def text(self, offset: int = 0) -> str:
        """The message, naming the first occurrence of a duplicate key when there is one."""
        if self.first_line:
            return (f"{self.message} (first given on line {self.first_line + offset}); "
                    "keep one and delete the other")
        return self.message


@cache
def _pyyaml() -> ModuleType:
    """PyYAML: the one place it is imported."""
    import yaml

    return yaml


def _base_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, libyaml's C one when PyYAML was built with it."""
    pyyaml = _pyyaml()
    base: type[yaml.SafeLoader] = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
    return base


@cache
def _loader() -> type[Any]:
    """The safe loader with line tracking, which collects duplicate keys instead of overwriting
    (made once, with the first text parsed)."""

    class Loader(_base_loader()):  # type: ignore[misc]
        def __init__(self, stream: str):
            super().__init__(stream)
            self.duplicates: list[YamlProblem] = []

    Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    return Loader


def _construct_map(loader: Any, node: yaml.MappingNode) -> Iterable[LineDict]:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            loader.duplicates.append(YamlProblem(line, "a key must be plain text"))
            continue
        if key in mapping:
            loader.duplicates.append(
                YamlProblem(line, f"duplicate key '{key}'", mapping.lines[key]))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> Iterable[LineList]:
    seq = LineList()
    seq.line = node.start_mark.line + 1
    yield seq
    for item in node.value:
        seq.append(loader.construct_object(item, deep=True))
        seq.lines.append(item.start_mark.line + 1)


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """Dates that do not exist (2021-13-45) stay text, so validation can name the field."""
    try:
        return _pyyaml().SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def find_invisible(text: str) -> tuple[int, str] | None:
    """The index of the first invisible control character in ``text`` (see _INVISIBLE) and a
    sentence saying what it is and what to do, or None when there is none."""
    found = _INVISIBLE.search(text)
    if found is None:
        return None
    char = found.group()
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "a control character")
    if 0x202A <= code <= 0x2069:
        why = "makes the text around it display in another order than it is written"
    else:
        why = ("does not belong in text (it often comes from copying out of a terminal or a word "
               "processor)")
    return found.start(), (f"contains the invisible character U+{code:04X} ({name}), which {why}; "
                           "delete it")


def load(text: str, line_offset: int = 0) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; return (data, problems). Data is None when it cannot be parsed.

    ``line_offset`` shifts reported lines, for YAML that starts further down a file (front matter).
    """
    deep = _too_deep(text)
    if deep is not None:
        return None, [YamlProblem(deep + line_offset,
                                  f"lists and fields are nested more than {MAX_DEPTH} levels deep "
                                  "here; real content needs only a few: close the '[' and '{' "
                                  "you opened, or write the value as a simple list")]
    pyyaml = _pyyaml()
    loader = _loader()(text)
    try:
        data = loader.get_single_data()
    except pyyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        return None, [YamlProblem(line, f"YAML syntax error: {what}; check indentation, colons "
                                        "and quotes on this line or the one above")]
    except (pyyaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return None, [YamlProblem(1 + line_offset, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    problems = [YamlProblem(p.line + line_offset, p.text(line_offset)) for p in loader.duplicates]
    if "\\" in text or _INVISIBLE.search(text):  # escapes such as "\e" write what the file cannot
        problems += [YamlProblem(p.line + line_offset, p.message) for p in _invisible_values(data)]
    if line_offset:
        _shift_lines(data, line_offset)
    return data, problems


def _too_deep(text: str) -> int | None:
    """The 1-based line where lists and mappings first nest deeper than MAX_DEPTH, if they do.

    Counted over libyaml's parse events, before anything is composed: its parser keeps a stack
    instead of recursing, and counting its own events means no quoting, comment, tag or
    indentation trick can hide a level from the count.
    """
    # Each level opens with its own '[', '{', '-', '?' or ':'; with fewer of those than the
    # limit the text cannot nest too deep, and nothing is parsed twice (most files stop here).
    if sum(map(text.count, "[{-?:")) <= MAX_DEPTH:
        return None
    depth = 0
    pyyaml = _pyyaml()
    opening: tuple[type[yaml.Event], ...] = (pyyaml.MappingStartEvent, pyyaml.SequenceStartEvent)
    closing: tuple[type[yaml.Event], ...] = (pyyaml.MappingEndEvent, pyyaml.SequenceEndEvent)
    try:
        for event in pyyaml.parse(text, Loader=_base_loader()):
            if isinstance(event, opening):
                depth += 1
                if depth > MAX_DEPTH:
                    assert event.start_mark is not None  # the parser marks every event
                    return event.start_mark.line + 1
            elif isinstance(event, closing):
                depth -= 1
    except pyyaml.YAMLError:
        pass  # the load that follows reports the syntax error
    return None


def _invisible_values(data: Any) -> list[YamlProblem]:
    """One problem per key or text value holding an invisible control character, at its line."""
    found = []
    seen: set[int] = set()  # aliases share objects: each is looked at once
    stack: list[tuple[Any, int]] = [(data, getattr(data, "line", 0) or 1)]
    while stack:
        item, line = stack.pop()
        if isinstance(item, str):
            bad = find_invisible(item)
            if bad is not None:
                found.append(YamlProblem(line, f"the text {bad[1]}"))
        elif isinstance(item, (LineDict, LineList)) and id(item) not in seen:
            seen.add(id(item))
            if isinstance(item, LineDict):
                stack.extend((x, item.lines.get(k, item.line)) for k, v in item.items()
                             for x in (k, v))
            else:
                stack.extend((v, item.lines[i] if i < len(item.lines) else item.line)
                             for i, v in enumerate(item))
    return found


def _shift_lines(data: Any, offset: int) -> None:
    """Move every recorded line down by ``offset``."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, LineDict):
            item.line += offset
            item.lines = {k: v + offset for k, v in item.lines.items()}
            stack.extend(item.values())
        elif isinstance(item, LineList):
            item.line += offset
            item.lines = [v + offset for v in item.lines]
            stack.extend(item)


def line_of(data: Any, path: Iterable[Any]) -> int:
    """The line of the value at ``path`` inside loaded data (deepest known line)."""
    line = getattr(data, "line", 0)
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node.lines:
            line = node.lines[step]
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node.lines):
            line = node.lines[step]
            node = node[step]
        else:
            break
    return line


def dump(data: Any) -> str:
    """Serialise plain data as block-style YAML, keys in the given order, Unicode kept."""
    text: str = _pyyaml().dump(_plain(data), Dumper=_dumper(), allow_unicode=True,
                               sort_keys=False, default_flow_style=False, width=100)
    return text


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """The safe dumper that indents list items under their key, as editors expect, and writes
    multi-line text as a block (made once, with the first data written)."""
    safe: type[yaml.SafeDumper] = _pyyaml().SafeDumper

    class Dumper(safe):  # type: ignore[misc, valid-type]
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
            return super().increase_indent(flow, False)

    Dumper.add_representer(str, _represent_str)
    return Dumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line text as a '|' block, which editors can read and edit line by line."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
