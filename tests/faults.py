"""Run ``build.py`` in a fresh process with a system fault injected: a full disk, a read-only
disk, no permission, or a SIGKILL at an exact point of the output exchange.

Tests run as root in CI, where permissions stop nothing and no small disk can be mounted, so
the faults are made by patching ``os`` in the child before the generator is imported. Every byte
the generator writes goes through ``os.open``/``os.write`` (kotacerdas/core/writeguard.py), so a
budget on ``os.write`` is a full disk for all of it (a name opened relative to a folder's
descriptor, ``dir_fd``, is judged by that folder's path).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

CHILD = r'''
import errno, os, signal, sys
repo, fault, prefix, *argv = sys.argv[1:]
sys.path.insert(0, repo)


def under(path, dir_fd=None):
    """Whether a path argument (relative to the folder ``dir_fd``, if given) names something
    under the faulty prefix."""
    try:
        name = os.fsdecode(path)
    except TypeError:  # a file descriptor
        return False
    if dir_fd is not None and not os.path.isabs(name):
        name = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), name)
    return os.path.abspath(name).startswith(prefix)


def die(*_):
    os.kill(os.getpid(), signal.SIGKILL)


if fault.startswith("kill-"):
    from kotacerdas.build import writer
    real_swap = writer._swap_names

    def swap(a, b):
        if fault == "kill-before-exchange":
            die()
        done = real_swap(a, b)
        if fault == "kill-after-exchange":
            die()
        return done

    writer._swap_names = swap
    if fault in ("kill-between-renames", "kill-no-exchange"):  # a system without renameat2
        writer._renameat2 = lambda: None
    if fault in ("kill-between-renames", "kill-reported"):
        real_rename = os.rename

        def rename(a, b):
            real_rename(a, b)
            if str(b).endswith("/tree"):  # the report's repro: right after output/ moved away
                die()

        os.rename = rename
else:
    name, _, budget = fault.partition(":")
    code = getattr(errno, name)
    left = [int(budget or 0)]
    refuse_all = budget == ""  # a read-only disk or no permission: nothing may be written
    tracked = set()
    real_open, real_write, real_close = os.open, os.write, os.close
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def fail(path=None):
        return OSError(code, os.strerror(code), path)

    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if flags & writing and under(path, dir_fd):
            if refuse_all:
                raise fail(path)
            fd = real_open(path, flags, mode, dir_fd=dir_fd)
            tracked.add(fd)
            return fd
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def write(fd, data):
        if fd in tracked:
            if left[0] < len(data):
                raise fail()
            left[0] -= len(data)
        return real_write(fd, data)

    def close(fd):
        tracked.discard(fd)
        return real_close(fd)

    os.open, os.write, os.close = open_, write, close
    if refuse_all:
        for call in ("mkdir", "rename", "replace", "link", "unlink", "rmdir", "chmod"):
            def refusing(*args, _real=getattr(os, call), **kwargs):
                folders = [kwargs.get("src_dir_fd"), kwargs.get("dst_dir_fd")] \
                    if call == "link" else [kwargs.get("dir_fd")] * len(args)
                if any(under(a, d) for a, d in zip(args, folders)
                       if isinstance(a, (str, bytes, os.PathLike))):
                    raise fail(args[0])
                return _real(*args, **kwargs)
            setattr(os, call, refusing)

from kotacerdas.cli.main import main
sys.exit(main(argv))
'''


def run_with_fault(fault: str, prefix: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS`` with ``fault`` under ``prefix`` (a path prefix, not only a folder):

    - ``ENOSPC:N`` / ``EDQUOT:N``: writes of files under ``prefix`` fail once N bytes are written;
    - ``EROFS`` / ``EACCES``: nothing under ``prefix`` may be created, written, renamed or removed;
    - ``kill-before-exchange`` / ``kill-after-exchange``: SIGKILL around the output exchange;
    - ``kill-no-exchange``: as a system without ``renameat2`` (two renames), no kill;
    - ``kill-between-renames``: that system, killed between its two renames;
    - ``kill-reported``: the report's repro (SIGKILL after any rename onto ``…/tree``).
    """
    return subprocess.run([sys.executable, "-c", CHILD, str(REPO), fault, str(prefix), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
