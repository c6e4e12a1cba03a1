"""GitHub workflow annotations: the escaping GitHub requires, read back the way the runner reads it."""

from __future__ import annotations

import re

import pytest

from kotacerdas.cli.annotate import (annotation, default_format, escape_data, escape_property,
                                 format_problems)
from kotacerdas.core.errors import Problem
from kotacerdas.core.lines import one_line

_COMMAND = re.compile(r"^::(?P<cmd>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command as the Actions runner does: split at '::', props at ','."""
    assert "\n" not in line and "\r" not in line, "a command must stay on one line"
    m = _COMMAND.match(line)
    assert m, line
    props = {}
    for pair in (m["props"] or "").split(","):
        key, _, value = pair.partition("=")
        props[key] = _unescape_property(value)
    return m["cmd"], props, _unescape_data(m["data"])


def test_error_with_file_and_line() -> None:
    line = annotation(Problem("content/news/2021-01-01-x.md", 12, "missing required field 'summary'"))
    assert line == ("::error file=content/news/2021-01-01-x.md,line=12,title=Kota Cerdas::"
                    "missing required field 'summary'")


def test_no_line_when_the_problem_has_none() -> None:
    cmd, props, data = parse(annotation(Problem("site_config.yaml", 0, "is missing")))
    assert cmd == "error" and "line" not in props and props["file"] == "site_config.yaml"


@pytest.mark.parametrize("message", [
    "100% done",
    "first line\nsecond line",
    "windows\r\nline end",
    "already %0A escaped-looking text and %25",
    "colons: and, commas :: and '::error' inside",
])
def test_message_escaping_round_trips(message: str) -> None:
    cmd, props, data = parse(annotation(Problem("content/a.md", 3, message)))
    assert (cmd, data) == ("error", message)
    assert props["line"] == "3"


def test_property_escaping_keeps_commas_and_colons_inside_the_path() -> None:
    path = "content/pages/a,b:c%d.md"
    cmd, props, data = parse(annotation(Problem(path, 7, "x"), title="Cek: konten, tautan"))
    assert props == {"file": path, "line": "7", "title": "Cek: konten, tautan"}
    assert escape_property("a,b:c") == "a%2Cb%3Ac"
    assert escape_data("a,b:c") == "a,b:c"
    assert escape_data("%\r\n") == "%25%0D%0A"


def test_site_folder_prefix_makes_paths_relative_to_the_repository() -> None:
    _, props, _ = parse(annotation(Problem("content/news/x.md", 1, "m"), prefix="site/"))
    assert props["file"] == "site/content/news/x.md"
    _, props, _ = parse(annotation(Problem("content/news/x.md", 1, "m"), prefix="."))
    assert props["file"] == "content/news/x.md"


def test_levels() -> None:
    assert annotation(Problem("a", 1, "m"), level="warning").startswith("::warning ")
    with pytest.raises(ValueError):
        annotation(Problem("a", 1, "m"), level="fatal")


def test_format_choice_follows_github_actions_environment() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({"GITHUB_ACTIONS": "false"}) == "text"
    assert default_format({}) == "text"
    problems = [Problem("content/a.md", 2, "bad")]
    assert format_problems(problems, "text") == ["content/a.md:2: bad"]
    assert format_problems(problems, "github")[0].startswith("::error file=content/a.md,line=2")
    with pytest.raises(ValueError):
        format_problems(problems, "json")


@pytest.mark.parametrize("char", ["\x1b", "\x85", "\u2028", "\u2029", "\x0b", "\x9b", "\x00"])
def test_other_control_characters_are_shown_not_sent(char: str) -> None:
    """The runner decodes only %25, %0D and %0A; anything else that could end a line for another
    reader or colour the log is written as a visible escape."""
    line = annotation(Problem(f"content/a{char}.md", 3, f"bad {char}[31m value\nnext"))
    assert line.splitlines() == [line] and char not in line
    cmd, props, data = parse(line)
    assert data == f"bad {one_line(char)}[31m value\nnext"
    assert props["file"] == f"content/a{one_line(char)}.md"
