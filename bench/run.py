#!/usr/bin/env python3
"""Build-time benchmark: our generator against Hugo and Pelican on the same synthetic corpora.

    .venv/bin/python bench/run.py [--sizes 100,2000,10000] [--runs N] [--peers hugo,pelican]
                                  [--quick] [--translations]

One command: generates the corpora with ../shared/bench/make_corpus.py, installs the peers into a
throwaway virtualenv (once), then per corpus runs rounds of
    us cold → Hugo cold → Pelican cold → us warm, nothing changed → us warm, one announcement
    edited → us warm, that announcement edited once more (the spare tree exists by then) → us
    warm, its title changed
and prints medians, paired ratios vs Hugo, peak memory and ms/page (method: ../shared/bench/
BASELINES.md). With --translations each round also builds a two-edition copy of the corpus
(English edition, every announcement translated: english.py), cold, unchanged and after one edit,
as the tool "us id+en". It measures and reports; it never fails because of a number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from english import TRANSLATION_NAME, add_english_edition  # noqa: E402
from peers import Peer, make_peers  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared" / "bench"
DEFAULT_SIZES = "100,2000,10000"
MIB = 1024 * 1024
US = "us"
US_EN = "us id+en"
"""Our build of the two-edition copy of a corpus (--translations)."""
COLD, WARM_SAME, WARM_EDIT = "cold", "warm, no change", "warm, 1 edit"
WARM_EDIT_AGAIN = "warm, 1 more edit"
"""A second edit right after the first: the first cached build after a cold one also makes the
spare tree (writer.new_tree), which every later build reuses; this one shows a build between two
saves."""
WARM_TITLE = "warm, 1 title edit"
"""The same announcement's title changed (front matter, as editors most often change it): its
front matter is parsed and validated again, and every list that shows it is rendered again."""


@dataclass
class Sample:
    """One timed process, measured from outside."""

    round: int
    wall: float
    cpu: float
    """user + system seconds of the whole process tree (workers included)."""
    max_rss_mib: float
    """largest single process's peak RSS (ru_maxrss from wait4), as in BASELINES.md."""
    tree_pss_mib: float | None
    """sampled peak of the summed PSS of the process tree (forked workers, shared pages once)."""
    files: int = 0
    written: int | None = None
    """warm builds: output files created, changed or removed (inode, mtime, ctime or size)."""
    note: str = ""


@dataclass
class Corpus:
    news: int
    regions: int
    path: Path
    runs: int
    warmup: int
    edit_file: Path | None = None
    english: Path | None = None
    """The two-edition copy of the corpus (--translations), beside it."""
    busy: list[tuple[float, float | None]] = field(default_factory=list)
    """(1-minute load average, CPU pressure %) at the start of each timed round: other work."""
    samples: dict[tuple[str, str], list[Sample]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


class BuildFailed(RuntimeError):
    pass


class TreeMemory(threading.Thread):
    """Samples the summed RSS/PSS of a process and all its descendants (forked workers)."""

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak_pss_kib = max(self.peak_pss_kib, self._sample())

    def finish(self) -> float | None:
        self._done.set()
        self.join()
        return self.peak_pss_kib / 1024 if self.peak_pss_kib else None

    def _sample(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            # Descendants were created after the root, so (short of PID wrap-around) have higher
            # PIDs: skipping older processes keeps each sample to a few files.
            if not entry.name.isdigit() or int(entry.name) <= self.pid:
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
        tree, i = [self.pid], 0
        while i < len(tree):
            tree += children.get(tree[i], [])
            i += 1
        total = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
                            break
            except OSError:
                continue
        return total


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None, log: Path, interval: float,
          round_: int) -> Sample:
    """Run one process to completion: wall time from outside, its tree's CPU and peak memory."""
    with open(log, "ab") as out:
        out.write(f"\n$ {shlex.join(argv)}\n".encode())
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(proc.pid, interval) if interval > 0 else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    pss = sampler.finish() if sampler else None
    if proc.returncode != 0:
        raise BuildFailed(f"exit status {proc.returncode}: {shlex.join(argv)}\n"
                          f"--- last lines of {log} ---\n" + tail(log))
    return Sample(round_, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, pss)


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


Snapshot = dict[str, tuple[int, int, int]]
"""What ``snapshot`` records: each file's path from the root → inode, mtime, ctime, size."""


def snapshot(root: Path) -> Snapshot:
    """Every file under root with what a write would change: inode, mtime, size. Not the change
    time: a build's new tree shares its unchanged files with the old one by hard links, which
    changes their ctime but not their bytes (build/writer.py)."""
    state: Snapshot = {}
    for folder, _, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(folder, name))
            state[os.path.relpath(os.path.join(folder, name), root)] = (
                st.st_ino, st.st_mtime_ns, st.st_size)
    return state


def changed(before: Snapshot, after: Snapshot) -> int:
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root))


def contains(root: Path, marker: bytes) -> bool:
    """Whether any built page shows the edited text (checks that the warm build is correct)."""
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith((".html", ".xml", ".json")):
                with open(os.path.join(folder, name), "rb") as f:
                    if marker in f.read():
                        return True
    return False


# --- our generator ----------------------------------------------------------------------------

class Us:
    """Our build as a user runs it: python build.py build --site CORPUS --output OUT."""

    def __init__(self, python: Path, workdir: Path, log: Path) -> None:
        self.python, self.workdir, self.log = python, workdir, log
        done = subprocess.run([str(python), "build.py", "build", "--help"], cwd=REPO,
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"`{python} build.py build --help` failed:\n{done.stderr}")
        # Our modules' bytecode, compiled once as pip compiles an installed package: where
        # PYTHONDONTWRITEBYTECODE is set (this machine sets it) every timed run would otherwise
        # compile them from source again (about 0.13 s of a one-edit build).
        subprocess.run([str(python), "-m", "compileall", "-q", "kotacerdas", "build.py"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        self.cache_supported = "--cache" in done.stdout
        # `--cache DIR` takes a folder: pass the default one explicitly, so the cache is used
        # even if it turns out to be opt-in. A bare flag is left at its default.
        self.cache_takes_dir = bool(re.search(r"--cache[ =][A-Z_]+", done.stdout))

    def output(self, site: Path) -> Path:
        return self.workdir / "out" / f"{US}-{site.name}"

    def cache(self, site: Path) -> Path:
        return site / ".build-cache"

    def argv(self, site: Path) -> list[str]:
        argv = [str(self.python), "build.py", "build", "--site", str(site),
                "--output", str(self.output(site))]
        if self.cache_supported and self.cache_takes_dir:
            argv += ["--cache", str(self.cache(site))]
        return argv

    def cold(self, site: Path, interval: float, round_: int) -> Sample:
        """Output and build cache removed inside the timed process (like the peers' rm -rf)."""
        argv = ["sh", "-c", 'rm -rf -- "$1" "$2"; shift 2; exec "$@"', "sh",
                str(self.output(site)), str(self.cache(site)), *self.argv(site)]
        sample = timed(argv, REPO, None, self.log, interval, round_)
        sample.files = count_files(self.output(site))
        return sample

    def warm(self, site: Path, interval: float, round_: int, marker: bytes | None) -> Sample:
        """Rebuild with cache and output present; count the output files the build touched."""
        out = self.output(site)
        before, before_dir = snapshot(out), out.stat().st_ino
        sample = timed(self.argv(site), REPO, None, self.log, interval, round_)
        after = snapshot(out)
        sample.files, sample.written = len(after), changed(before, after)
        notes = []
        if out.stat().st_ino != before_dir:
            notes.append("output folder replaced")
        if marker is not None and not contains(out, marker):
            notes.append("EDIT NOT IN OUTPUT")
        sample.note = "; ".join(notes)
        return sample


# --- the run ----------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[tuple[int, int]]:
    """"100,2000,10000" or "2000/514": announcements[/regions]; 146 regions up to 100 news."""
    sizes = []
    for part in text.split(","):
        news, _, regions = part.strip().partition("/")
        sizes.append((int(news), int(regions) if regions else (146 if int(news) <= 100 else 514)))
    return sizes


def generate(shared: Path, corpus: Corpus, seed: int, log: Path) -> None:
    """The corpus from make_corpus.py, and its two-edition copy when ``corpus.english`` is set."""
    with open(log, "ab") as out:
        subprocess.run([sys.executable, str(shared / "make_corpus.py"), str(corpus.path),
                        "--news", str(corpus.news), "--regions", str(corpus.regions),
                        "--seed", str(seed), "--force"], stdout=out, stderr=subprocess.STDOUT,
                       check=True)
    news = sorted((corpus.path / "content" / "news").glob("*.md"))
    corpus.edit_file = news[len(news) // 2] if news else None
    if corpus.english is not None:
        shutil.rmtree(corpus.english, ignore_errors=True)
        shutil.copytree(corpus.path, corpus.english)
        count = add_english_edition(corpus.english, seed)
        with open(log, "a", encoding="utf-8") as text:
            text.write(f"{corpus.english}: English edition, {count} translations\n")


def counterpart(corpus: Corpus, file: Path) -> Path:
    """The same file in the two-edition copy (its original, never a translation)."""
    assert corpus.english is not None and not TRANSLATION_NAME.search(file.name)
    return corpus.english / file.relative_to(corpus.path)


def busy() -> tuple[float, float | None]:
    """How busy the machine is: 1-minute load average and the share of the last 10 s in which
    some runnable task waited for a CPU (Linux PSI; None where unavailable)."""
    try:
        with open("/proc/pressure/cpu") as f:
            pressure = float(f.readline().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        pressure = None
    return os.getloadavg()[0], pressure


def wait_idle(limit: float) -> float:
    """Before a round, wait up to ``limit`` seconds for other work to calm down (CPU pressure
    under 20 %, or load under the number of CPUs without PSI). Returns the seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        load, pressure = busy()
        if (pressure < 20) if pressure is not None else (load < (os.cpu_count() or 1)):
            break
        time.sleep(2)
    return time.perf_counter() - start


def one_round(corpus: Corpus, us: Us, peers: list[Peer], args: argparse.Namespace, round_: int,
              keep: bool) -> None:
    """us cold (and us id+en cold), each peer cold, then (with a cache) us warm unchanged and us
    warm after one edit (and the same for us id+en)."""
    label = f"{corpus.name} {'round ' + str(round_) if keep else 'warm-up'}"
    results: list[tuple[str, str, Sample]] = []
    waited = wait_idle(args.wait_idle)
    load, pressure = busy()
    sites = [(US, corpus.path, corpus.edit_file)]
    if corpus.english is not None:
        edit = counterpart(corpus, corpus.edit_file) if corpus.edit_file else None
        sites.append((US_EN, corpus.english, edit))
    for tool, site, _ in sites:
        results.append((tool, COLD, us.cold(site, args.mem_interval, round_)))
    for peer in peers:
        out = args.workdir / "out" / f"{peer.name}-{corpus.name}"
        argv, env = peer.build_command(corpus.path, out, args.workdir)
        sample = timed(argv, REPO, env, us.log, args.mem_interval, round_)
        sample.files = count_files(out)
        results.append((peer.name, COLD, sample))
    if us.cache_supported:
        for tool, site, edit_file in sites:
            results += [(tool, scenario, sample) for scenario, sample
                        in warm_rounds(us, site, edit_file, args.mem_interval, round_)]
    print(f"  {label} (load {load:.1f}, cpu pressure {fmt(pressure, '.0f')} %"
          + (f", waited {waited:.0f} s" if waited >= 1 else "") + "): " + " | ".join(
        f"{tool} {scen} {s.wall:.2f} s"
        + (f" ({s.written} written)" if s.written is not None else "")
        + (f" [{s.note}]" if s.note else "") for tool, scen, s in results), flush=True)
    if keep:
        corpus.busy.append((load, pressure))
        for tool, scen, sample in results:
            corpus.samples.setdefault((tool, scen), []).append(sample)


def warm_rounds(us: Us, site: Path, edit_file: Path | None, interval: float, round_: int
                ) -> list[tuple[str, Sample]]:
    """us warm with nothing changed, then after one announcement got a line, then after it got
    another, then after its title changed too (restored after)."""
    results = [(WARM_SAME, us.warm(site, interval, round_, None))]
    if edit_file is not None:
        original = edit_file.read_bytes()
        try:
            for scenario, step in ((WARM_EDIT, "1"), (WARM_EDIT_AGAIN, "2")):
                marker = f"Pembaruan uji kinerja putaran {round_}.{step}.".encode()
                edit_file.write_bytes(original.rstrip(b"\n") + b"\n\n" + marker + b"\n")
                results.append((scenario, us.warm(site, interval, round_, marker)))
            marker = f"Judul uji {round_}".encode()
            titled, found = re.subn(rb"^title: *\"?", lambda m: m.group(0) + marker + b" ",
                                    edit_file.read_bytes(), count=1, flags=re.M)
            if found:
                edit_file.write_bytes(titled)
                results.append((WARM_TITLE, us.warm(site, interval, round_, marker)))
        finally:
            edit_file.write_bytes(original)
    return results


def paired(a: list[Sample], b: list[Sample], what: str = "wall") -> float | None:
    """Median of per-round a/b (both measured in the same round), of wall or cpu seconds."""
    by_round = {s.round: getattr(s, what) for s in b}
    ratios = [getattr(s, what) / by_round[s.round] for s in a if by_round.get(s.round)]
    return statistics.median(ratios) if ratios else None


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def table(corpora: list[Corpus]) -> str:
    rows = ["| corpus | tool | scenario | wall s, median [min–max] | × Hugo (paired) "
            "| peak RSS MiB | tree PSS MiB | cpu s | cpu × Hugo | n | files | ms/page "
            "| files written |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in corpora:
        hugo = c.samples.get(("hugo", COLD))
        for (tool, scen), samples in c.samples.items():
            walls = [s.wall for s in samples]
            med = statistics.median(walls)
            files = samples[-1].files
            ratio = "1" if tool == "hugo" else fmt(paired(samples, hugo) if hugo else None, ".3f")
            cpu_ratio = "1" if tool == "hugo" else fmt(
                paired(samples, hugo, "cpu") if hugo else None, ".2f")
            written = [s.written for s in samples if s.written is not None]
            pss = [s.tree_pss_mib for s in samples if s.tree_pss_mib is not None]
            notes = sorted({s.note for s in samples if s.note})
            rows.append(
                f"| {c.name} | {tool} | {scen} | **{med:.2f}** [{min(walls):.2f}–{max(walls):.2f}] "
                f"| {ratio} | {max(s.max_rss_mib for s in samples):.0f} "
                f"| {fmt(max(pss) if pss else None, '.0f')} "
                f"| {statistics.median(s.cpu for s in samples):.2f} | {cpu_ratio} "
                f"| {len(samples)} | {files} "
                f"| {med / files * 1000:.2f} | "
                + (f"{statistics.median(written):g} [max {max(written)}]" if written else "–")
                + (f" ({'; '.join(notes)})" if notes else "") + " |")
    return "\n".join(rows)


def goals(corpora: list[Corpus]) -> list[str]:
    """Issue 15's targets next to the measured values (information, never a pass/fail exit)."""
    lines = []
    for c in corpora:
        cold = c.samples.get((US, COLD))
        hugo = c.samples.get(("hugo", COLD))
        if not cold:
            continue
        if hugo:
            lines.append(f"{c.name}: us cold / Hugo cold = {fmt(paired(cold, hugo), '.3f')} "
                         f"(goal ≤ 2.5 at n2000 and n10000)")
        for (tool, scen), samples in sorted(c.samples.items()):
            if tool not in (US, US_EN, "hugo") and scen == COLD:
                lines.append(f"{c.name}: {tool} cold / us cold = "
                             f"{fmt(paired(samples, cold), '.2f')} (goal ≥ 2)")
        for scenario in (WARM_EDIT, WARM_EDIT_AGAIN, WARM_TITLE):
            edit = c.samples.get((US, scenario))
            if edit and hugo:
                r = paired(edit, hugo)
                lines.append(f"{c.name}: Hugo cold / us {scenario} = "
                             f"{fmt(1 / r if r else None, '.1f')}×, us {scenario} "
                             f"{statistics.median(s.wall for s in edit):.2f} s median (goal ≥ 9 "
                             f"and ≤ 0.15 s at n2000, ≤ 0.4 s at n10000, ≤ 0.3 s for the real "
                             f"site)")
        same = c.samples.get((US, WARM_SAME))
        if same:
            lines.append(f"{c.name}: us warm no-change = "
                         f"{statistics.median(s.wall for s in same):.2f} s median, "
                         f"files written max {max(s.written or 0 for s in same)} "
                         f"(goal: 0 files, ≤ 0.15 s at n10000)")
        pss = [s.tree_pss_mib for s in cold if s.tree_pss_mib is not None]
        lines.append(f"{c.name}: us cold peak memory: largest process "
                     f"{max(s.max_rss_mib for s in cold):.0f} MiB, process tree (PSS) "
                     f"{fmt(max(pss) if pss else None, '.0f')} MiB (goal < 500 MB at n10000)")
        per_page = statistics.median(s.wall for s in cold) / cold[-1].files * 1000
        cpu_page = statistics.median(s.cpu for s in cold) / cold[-1].files * 1000
        lines.append(f"{c.name}: us cold {per_page:.2f} ms/page wall, {cpu_page:.2f} ms/page cpu, "
                     f"over {cold[-1].files} files")
        lines += two_editions(c)
        loads = [b[0] for b in c.busy]
        psi = [b[1] for b in c.busy if b[1] is not None]
        lines.append(f"{c.name}: other work at the start of the rounds: 1-minute load average "
                     f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs"
                     + (f", CPU pressure (some, avg10) {min(psi):.0f}–{max(psi):.0f} %"
                        if psi else ""))
    big = [c for c in corpora if c.samples.get((US, COLD))]
    for a, b in zip(big, big[1:]):
        sa, sb = a.samples[(US, COLD)], b.samples[(US, COLD)]
        fa, fb = sa[-1].files, sb[-1].files
        if fb == fa:
            continue
        marginal = {what: (statistics.median(getattr(s, what) for s in sb)
                           - statistics.median(getattr(s, what) for s in sa)) / (fb - fa) * 1000
                    for what in ("wall", "cpu")}
        lines.append(f"{a.name} → {b.name}: us cold marginal cost {marginal['wall']:.2f} ms wall, "
                     f"{marginal['cpu']:.2f} ms cpu per extra file (linear growth keeps it near "
                     f"the per-page figures)")
        growth = (statistics.median(s.wall for s in sb) / fb) \
            / (statistics.median(s.wall for s in sa) / fa)
        lines.append(f"{a.name} → {b.name}: us cold cost per page × {growth:.2f} "
                     f"(goal ≤ 1.2: linear)")
    return lines


def two_editions(c: Corpus) -> list[str]:
    """The two-edition build (--translations) against Hugo's one-edition build and our own."""
    cold, one = c.samples.get((US_EN, COLD)), c.samples.get((US, COLD))
    if not cold or not one:
        return []
    hugo = c.samples.get(("hugo", COLD))
    lines = [f"{c.name}: {US_EN} cold / us cold = {fmt(paired(cold, one), '.3f')} wall, "
             f"{fmt(paired(cold, one, 'cpu'), '.3f')} cpu (what the English edition adds; "
             f"{cold[-1].files} files against {one[-1].files})"]
    if hugo:
        lines.append(f"{c.name}: {US_EN} cold / Hugo cold (one edition) = "
                     f"{fmt(paired(cold, hugo), '.3f')}")
    edit, same = c.samples.get((US_EN, WARM_EDIT)), c.samples.get((US_EN, WARM_SAME))
    if edit and hugo:
        r = paired(edit, hugo)
        lines.append(f"{c.name}: Hugo cold (one edition) / {US_EN} warm 1-edit = "
                     f"{fmt(1 / r if r else None, '.1f')}×")
    if same:
        lines.append(f"{c.name}: {US_EN} warm no-change = "
                     f"{statistics.median(s.wall for s in same):.2f} s median, "
                     f"files written max {max(s.written or 0 for s in same)}")
    pss = [s.tree_pss_mib for s in cold if s.tree_pss_mib is not None]
    lines.append(f"{c.name}: {US_EN} cold peak memory: largest process "
                 f"{max(s.max_rss_mib for s in cold):.0f} MiB, process tree (PSS) "
                 f"{fmt(max(pss) if pss else None, '.0f')} MiB")
    return lines


def header(args: argparse.Namespace, versions: dict[str, str], us: Us) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True,
                           text=True).stdout
    return [
        f"date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"command: {shlex.join([Path(sys.executable).name, *sys.argv])}",
        f"machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.platform()}",
        f"repository: {git or '?'}"
        + (f" + {len(dirty.splitlines())} uncommitted changes" if dirty else ""),
        "cache: " + ("`--cache` supported" + (" (passed explicitly)" if us.cache_takes_dir else "")
                     if us.cache_supported
                     else "no `--cache` in `build.py build --help`: warm scenarios skipped"),
        *(f"{name}: {v}" for name, v in versions.items()),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None,
                    help=f"announcements[/regions], comma separated (default {DEFAULT_SIZES})")
    ap.add_argument("--runs", type=int, default=None,
                    help="timed rounds per corpus "
                         "(default 5 up to 100 news, 3 up to 2000, 2 above)")
    ap.add_argument("--warmup", type=int, default=None,
                    help="untimed rounds first (default 1 up to 2000 news, 0 above)")
    ap.add_argument("--peers", default="hugo,pelican", help="comma separated, or 'none'")
    ap.add_argument("--quick", action="store_true", help="smoke run: 100 and 2000 news, 2 rounds")
    ap.add_argument("--translations", action="store_true",
                    help="also build each corpus as two editions (English edition, every "
                         "announcement translated) and report both")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kc-bench"),
                    help="corpora, outputs, peer projects, logs, results (default /tmp/kc-bench)")
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("KC_BENCH_SHARED", DEFAULT_SHARED)),
                    help="the shared bench folder with make_corpus.py and peers/ "
                         "(default ../shared/bench)")
    ap.add_argument("--venv", type=Path, default=None,
                    help="peers' virtualenv (default WORKDIR/peers-venv)")
    ap.add_argument("--python", type=Path, default=None,
                    help="Python that runs build.py (default .venv/bin/python)")
    ap.add_argument("--mem-interval", type=float, default=0.2,
                    help="seconds between process-tree memory samples; 0 turns sampling off")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each round wait up to this long for the machine to be idle "
                         "(a shared machine); default 0: do not wait")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw samples here")
    args = ap.parse_args(argv)

    if args.quick:
        args.sizes = args.sizes or "100,2000"
        args.runs = args.runs or 2
    sizes = parse_sizes(args.sizes or DEFAULT_SIZES)
    shared = args.shared.resolve()
    if not (shared / "make_corpus.py").exists():
        sys.exit(f"the corpus generator is expected at {shared}/make_corpus.py (the shared bench "
                 f"folder beside this repository); pass --shared DIR or set KC_BENCH_SHARED")
    args.workdir = args.workdir.resolve()
    for sub in ("corpora", "out", "logs", "results"):
        (args.workdir / sub).mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    log = args.workdir / "logs" / f"{stamp}.log"
    python = args.python or (REPO / ".venv" / "bin" / "python")
    if not python.exists():
        python = Path(sys.executable)

    names = [] if args.peers.strip() in ("", "none") else [p.strip() for p in args.peers.split(",")]
    venv = (args.venv or args.workdir / "peers-venv").resolve()
    peers, versions = make_peers(names, shared, venv, log)
    us = Us(python, args.workdir, log)
    head = header(args, versions, us)
    print("\n".join(head), flush=True)
    print(f"log: {log}", flush=True)

    corpora = []
    for news, regions in sizes:
        name = f"n{news}" if regions == (146 if news <= 100 else 514) else f"n{news}-r{regions}"
        runs = args.runs or (5 if news <= 100 else 3 if news <= 2000 else 2)
        if args.warmup is not None:
            warmup = args.warmup
        else:
            warmup = 1 if news <= (100 if args.quick else 2000) else 0
        path = args.workdir / "corpora" / name
        english = path.with_name(f"{name}-en") if args.translations else None
        corpora.append(Corpus(news, regions, path, runs, warmup, english=english))

    failed = None
    started = time.perf_counter()
    try:
        for corpus in corpora:
            print(f"{corpus.name}: generating {corpus.news} announcements / {corpus.regions} "
                  f"regions" + (" and their English translations" if corpus.english else "")
                  + ", preparing peers (untimed)", flush=True)
            generate(shared, corpus, args.seed, log)
            for peer in peers:
                peer.prepare(corpus.path, args.workdir, log)
            for i in range(corpus.warmup):
                one_round(corpus, us, peers, args, -1 - i, keep=False)
            for r in range(1, corpus.runs + 1):
                one_round(corpus, us, peers, args, r, keep=True)
    except BuildFailed as err:
        failed = str(err)
    except KeyboardInterrupt:
        failed = "interrupted"

    print(f"\n## Results ({time.perf_counter() - started:.0f} s in all)\n")
    print("\n".join(f"- {line}" for line in head))
    print()
    print(table(corpora))
    print()
    print("\n".join(f"- {line}" for line in goals(corpora)))
    raw = {"header": head, "corpora": [
        {"name": c.name, "news": c.news, "regions": c.regions, "runs": c.runs, "warmup": c.warmup,
         "english": str(c.english) if c.english else None,
         "busy": c.busy,
         "samples": [{"tool": t, "scenario": s, **asdict(x)}
                     for (t, s), xs in c.samples.items() for x in xs]}
        for c in corpora]}
    for path in filter(None, [args.workdir / "results" / f"{stamp}.json", args.json]):
        path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    print(f"\nraw samples: {args.workdir / 'results' / (stamp + '.json')}")
    if failed:
        print(f"\nA BUILD FAILED, results above are partial:\n{failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
