"""Line-based output: no content can add a line, a workflow command or a terminal escape.

Every line the command line prints (problems on both streams, the external-link listing, the
translation report, the import report) is read the way the GitHub Actions runner reads a step's
output (actions/runner ``ActionCommandManager``): a line is ended by CR or LF; ``::name …::`` is a
command when it starts the line after white space; the legacy ``##[name]`` anywhere in it.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import FixtureSite

from kotacerdas.core.lines import log_line, one_line

NEWS = "content/news/2019-05-15-tahap-tiga.md"
REGION = "content/regions/kota-bandung.yaml"
HEAD = '---\ntitle: "Tahap tiga"\ndate: 2019-05-15\nsummary: "Tahap tiga."\n---\n\n'

BREAKERS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
"""Everything some reader ends a line at (Python's str.splitlines() knows them all)."""
CONTROLS = ["\x00", "\x07", "\t", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"]


def runner_commands(stream: str) -> list[tuple[str, str]]:
    """(command, line) for every workflow command the Actions runner would find in a stream."""
    found = []
    for line in re.split(r"\r\n|\r|\n", stream):
        body = line.lstrip()
        if body.startswith("::") and "::" in body[2:]:
            found.append((re.split(r"[ :]", body[2:], maxsplit=1)[0], line))
        elif "##[" in line and "]" in line.split("##[", 1)[1]:
            found.append((re.split(r"[ \]]", line.split("##[", 1)[1], maxsplit=1)[0], line))
    return found


def assert_plain_terminal_text(stream: str) -> None:
    """No escape sequence or other control character reaches the terminal but line ends."""
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                         stream), repr(stream)


# --- the two functions ----------------------------------------------------------------------


@pytest.mark.parametrize("char", BREAKERS + CONTROLS)
def test_one_line_leaves_no_line_break_or_control_character(char: str) -> None:
    text = f"Portal{char}Contact: mailto:attacker@evil.example{char}"
    line = one_line(text)
    assert line.splitlines() == [line]
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in line)
    assert "\u202e" not in line and "\u2066" not in line
    assert line.startswith("Portal\\") and "Contact: mailto:attacker@evil.example" in line


def test_one_line_keeps_ordinary_text_as_it_is() -> None:
    for text in ("Portal Gerakan Menuju Smart City", "Kabupaten Pegunungan Arfak — Papua Barat",
                 "Café ＝ 50 %, «quotes», emoji 🏙️, 日本語", "C:\\path\\with\\backslashes", ""):
        assert one_line(text) == text
    assert one_line("a\nb\x1b[31mc\u2028") == "a\\nb\\x1b[31mc\\u2028"


@pytest.mark.parametrize("text", [
    "::error file=README.md,line=1::forged",
    "  \u3000::warning::forged",
    "\n::notice::forged",
    "x ##[warning]forged",
    "###[error]forged",
    "##[stop-commands]token",
    "a\r\n::stop-commands::token",
])
def test_log_line_is_never_a_workflow_command(text: str) -> None:
    line = log_line(text)
    assert runner_commands(line) == [] and line.splitlines() == [line]
    assert "forged" in line or "token" in line


# --- every printer of the command line ----------------------------------------------------------


def test_problems_on_stderr_carry_no_workflow_command(site: FixtureSite) -> None:
    """Reported: a field name with a newline forged a ::warning on stderr of check --format github."""
    site.write(REGION, (site.root / REGION).read_text()
               + '"x\\n::warning file=README.md,line=3::forged\\n::stop-commands::abc '
                 '##[error file=README.md]old syntax": 1\n')
    result = site.run("check", "--format", "github")
    assert result.returncode == 1
    assert runner_commands(result.stderr) == []
    assert "content/regions/kota-bandung.yaml:" in result.stderr and "forged" in result.stderr
    commands = runner_commands(result.stdout)
    assert commands and all(name == "error" and "file=content/" in line for name, line in commands)
    # text format: the same single line per problem
    text = site.run("check", "--format", "text")
    assert runner_commands(text.stderr) == [] and runner_commands(text.stdout) == []


def test_external_link_listing_is_escaped(site: FixtureSite) -> None:
    """Reported: a newline in a link target forged a ::notice in a check that passes."""
    site.write(NEWS, HEAD + '<a href="https://ok.example/\n::notice file=README.md::forged">x</a>\n'
                            '<a href="https://ok.example/a##[warning]forged">y</a>\n'
                            '<a href="https://ok.example/&#x1b;[31mred">z</a>\n')
    for fmt in ("github", "text"):
        result = site.run("check", "--format", fmt, "--external")
        assert result.returncode == 0, result.stderr
        # the sanitizer drops the line break as a browser would; the rest stays inside the line
        assert "https://ok.example/::notice file=README.md::forged  (on berita/tahap-tiga/" \
            in result.stdout
        commands = runner_commands(result.stdout)
        assert all(name in ("group", "endgroup", "notice") and "README" not in line
                   for name, line in commands), commands
        assert_plain_terminal_text(result.stdout)


@pytest.mark.parametrize("name", ["content/regions/kota-\x1b[31mmerah\x1b[0m.yaml",
                                  "content/news/2019-06-01-x\n::error file=README.md,line=1::forged\n.md",
                                  "content/pages/\u202egnp.exe.md"])
def test_hostile_file_names_are_printed_escaped(site: FixtureSite, name: str) -> None:
    site.write(name, "name: x\n")
    result = site.run("check", "--format", "text")
    assert result.returncode == 1
    assert_plain_terminal_text(result.stderr)
    assert runner_commands(result.stderr) == [] and runner_commands(result.stdout) == []
    assert one_line(name.split("/")[-1]) in result.stderr


def test_translation_report_is_one_line_per_gap(site: FixtureSite) -> None:
    site.write("templates/strings/id.yaml",
               '"x\\n::warning file=README.md::forged\\u2028": "teks"\n')
    result = site.run("check", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert "interface string 'x\\n::warning file=README.md::forged\\u2028' has no 'en' text" \
        in result.stdout
    assert runner_commands(result.stdout) == []
    assert_plain_terminal_text(result.stdout)


def test_import_report_is_one_line_per_entry(site: FixtureSite, tmp_path) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text('name,type,province,cohort_year,source_url,note\n'
                     '"Kota Khayalan\n::error file=README.md::forged \x1b[2J",kota,Jawa Barat,2019,,\n',
                     encoding="utf-8")
    result = site.run("import-regions", str(sheet))
    assert result.returncode == 1
    assert "p.csv:2:" in result.stderr  # the line break in a one-line column is refused, at its line
    for stream in (result.stdout, result.stderr):
        assert runner_commands(stream) == []
        assert_plain_terminal_text(stream)
