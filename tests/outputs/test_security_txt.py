"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, linked from every footer.

Expires comes from the content (a year after its newest date), never from the clock, so two
builds of the same commit are byte-identical.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import CONFIG, FixtureSite, strings
from htmlcheck import pages, soup
from page_types import language_of


def fields(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            out.setdefault(name, []).append(value)
    return out


def test_real_site_has_security_txt_linked_from_every_footer(real_site: Path) -> None:
    path = real_site / ".well-known" / "security.txt"
    f = fields(path)
    assert f["Contact"] and all(c.startswith(("https://", "mailto:")) for c in f["Contact"])
    assert f["Canonical"] == ["https://kominfo.github.io/kota-cerdas/.well-known/security.txt"]
    assert f["Preferred-Languages"] == ["id, en"]
    expires = dt.datetime.fromisoformat(f["Expires"][0].replace("Z", "+00:00"))
    assert expires.tzinfo is not None
    assert set(f) == {"Contact", "Expires", "Preferred-Languages", "Canonical"}
    for page in pages(real_site):
        links = soup(page).select(".site-footer a[href='/kota-cerdas/.well-known/security.txt']")
        language = language_of(page.relative_to(real_site).as_posix())
        assert [a.get_text() for a in links] == [strings(language)["footer_security"]], page


def test_expires_is_a_year_after_the_newest_content(site: FixtureSite) -> None:
    site.write("site_config.yaml", CONFIG + "contact:\n  feedback_url: "
                                            "https://contoh.github.io/kota-cerdas/masukan/\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    f = fields(site.output / ".well-known" / "security.txt")
    # Newest date in the fixture: content/pages/data.md, updated 2026-11-02.
    assert f["Expires"] == ["2027-11-02T00:00:00Z"]
    assert f["Contact"] == ["https://contoh.github.io/kota-cerdas/masukan/"]
    assert f["Canonical"] == ["https://contoh.github.io/kota-cerdas/.well-known/security.txt"]


def test_no_contact_means_no_file_and_no_link(built: FixtureSite) -> None:
    """The fixture's configuration has no contact."""
    site = built
    assert "contact" not in CONFIG
    assert not (site.output / ".well-known").exists()
    assert "kerentanan" not in (site.output / "index.html").read_text(encoding="utf-8")


def test_email_contact_comes_first(site: FixtureSite) -> None:
    site.write("site_config.yaml", CONFIG + "contact:\n  email: keamanan@contoh.go.id\n"
                                            "  feedback_url: https://contoh.go.id/lapor\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    f = fields(site.output / ".well-known" / "security.txt")
    assert f["Contact"] == ["mailto:keamanan@contoh.go.id", "https://contoh.go.id/lapor"]


# --- no text from the configuration adds a line (hostile-findings D5) ----------------------------


def test_title_with_a_line_break_is_a_content_error(site: FixtureSite) -> None:
    """Reported: the title's newline added a Contact line, listed before the real one."""
    contact = 'contact:\n  email: "csirt@example.go.id"\n'
    for title in ("Portal Uji\\nContact: mailto:attacker@evil.example",
                  "Portal Uji\\u2028Contact: mailto:attacker@evil.example",
                  "Portal Uji\\nEncryption: https://evil.example/key\\n"):
        site.write("site_config.yaml", CONFIG.replace('title: "Portal Uji"', f'title: "{title}"')
                   + contact)
        result = site.run("build", "--no-cache")
        assert result.returncode == 1, title
        assert "site_config.yaml:1: 'title' must be one line of text" in result.stderr
        assert not (site.output / ".well-known").exists()


def test_security_txt_lines_are_the_ones_the_portal_writes(site: FixtureSite) -> None:
    """Whatever a value holds, every line is one of the five fields (the writer's own guarantee,
    whatever the schema lets through; a trailing line break in an e-mail address is refused)."""
    from types import SimpleNamespace

    from kotacerdas.site.pages import security_txt
    from kotacerdas.core.urls import Urls

    for breaker in ("\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"):
        model = SimpleNamespace(
            config=SimpleNamespace(title=f"Portal{breaker}Contact: mailto:attacker@evil.example",
                                   contact={"email": f"csirt@example.go.id{breaker}Encryption: x",
                                            "feedback_url": f"https://example.go.id/lapor{breaker}"}),
            site_updated=dt.date(2026, 1, 1), urls=Urls("https://contoh.go.id/"))
        [file] = list(security_txt(model))
        lines = file.produce().decode("utf-8").splitlines()
        assert len(lines) == 6, (breaker, lines)
        assert [line.split(":")[0] for line in lines[1:]] == [
            "Contact", "Contact", "Expires", "Preferred-Languages", "Canonical"]
        assert lines[1].startswith("Contact: mailto:csirt@example.go.id\\")

    site.write("site_config.yaml", CONFIG + 'contact:\n  email: "csirt@example.go.id\\n"\n')
    result = site.run("build", "--no-cache")
    assert result.returncode == 1 and "must be an e-mail address" in result.stderr
