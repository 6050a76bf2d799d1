"""Shared fixtures: the book, built once per test session, and served on 127.0.0.1.

The build runs ``jupyter-book build . --all -W --keep-going`` (every page executed, with
jupyter-cache reusing the results of unchanged pages; warnings are errors). Its output
goes to ``_build/`` at the repository root, or under ``$MINIGRAD_BOOK_OUTPUT`` when set
(e.g. a scratch directory, so that parallel runs do not share one ``_build``).
``MINIGRAD_BOOK_HTML=/path/to/_build/html`` skips the build and tests that HTML instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_BUILD_SECONDS: list[float] = []


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` (root, part chapters and their sections), in order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(items):
        for item in items or ():
            if "file" in item:
                pages.append(item["file"])
            walk(item.get("sections"))
            walk(item.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", ()):
        walk(part.get("chapters"))
    return [str(Path(p).with_suffix("")) for p in pages]


@dataclass
class BookBuild:
    """The outcome of the session's book build."""

    html: Path               # the built site (…/_build/html)
    returncode: int
    log: str                 # stdout + stderr of the build
    seconds: float

    @property
    def build_dir(self) -> Path:
        return self.html.parent


@pytest.fixture(scope="session")
def book() -> BookBuild:
    """Build the book once per session (warnings are errors); fail loudly if it fails."""
    prebuilt = os.environ.get("MINIGRAD_BOOK_HTML")
    if prebuilt:
        html = Path(prebuilt).resolve()
        if not (html / "index.html").is_file():
            pytest.fail(f"MINIGRAD_BOOK_HTML={prebuilt} has no index.html")
        return BookBuild(html=html, returncode=0, log="", seconds=0.0)
    output = Path(os.environ.get("MINIGRAD_BOOK_OUTPUT", ROOT)).resolve()
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
           "build", str(ROOT), "--all", "-W", "--keep-going", "--path-output", str(output)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    result = BookBuild(html=output / "_build" / "html", returncode=proc.returncode,
                       log=proc.stdout + proc.stderr, seconds=seconds)
    _BUILD_SECONDS.append(seconds)
    if proc.returncode != 0:
        tail = "\n".join(result.log.splitlines()[-80:])
        pytest.fail(f"the book build failed (exit {proc.returncode}):\n{tail}", pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter):
    """Report how long the book build took (the README quotes it)."""
    for seconds in _BUILD_SECONDS:
        terminalreporter.write_line(f"book build (jupyter-book build --all -W): {seconds:.0f} s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def book_server(book):
    """Serve the built HTML on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
