"""The book builds with every page executed, no warnings, no errors, and offline assets.

These tests share one build (the ``book`` fixture in conftest.py). They need no browser;
tests/test_browser.py opens the pages in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, toc_pages

PAGES = toc_pages()
MAX_PAGE_SECONDS = 30.0
VENDOR = ROOT / "book" / "_vendor"


class _Images(HTMLParser):
    """Collects (src, alt) of the images in a page's main content."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.depth += 1
        if tag == "img" and self.depth:
            self.images.append((a.get("src", ""), a.get("alt")))

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


class _Assets(HTMLParser):
    """Collects the URLs a page loads by itself (scripts, stylesheets, images, fonts...)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.urls.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def _html(book, page: str) -> str:
    return (book.html / f"{page}.html").read_text(encoding="utf-8")


def test_toc_lists_pages():
    assert PAGES[0] == "book/preface"
    assert len(PAGES) == len(set(PAGES)) >= 30
    for page in PAGES:
        assert (ROOT / f"{page}.md").is_file(), page


def test_every_bib_file_is_configured():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    configured = set(config["bibtex_bibfiles"])
    assert len(configured) == len(config["bibtex_bibfiles"]), "a .bib file is listed twice"
    present = {p.relative_to(ROOT).as_posix() for p in (ROOT / "book" / "bib").glob("*.bib")}
    assert present <= configured, f"add to bibtex_bibfiles in _config.yml: {present - configured}"
    assert all((ROOT / f).is_file() for f in configured)


def test_build_succeeds_without_warnings(book):
    assert book.returncode == 0
    warnings = [line for line in book.log.splitlines()
                if re.search(r"\bWARNING\b|\bERROR\b|Traceback", line)]
    assert warnings == [], "\n".join(warnings[:40])


@pytest.mark.parametrize("page", PAGES)
def test_page_built_without_error_outputs(book, page):
    path = book.html / f"{page}.html"
    assert path.is_file(), f"{page} produced no HTML"
    html = path.read_text(encoding="utf-8")
    assert '<main id="main-content"' in html
    # myst-nb marks errors and stderr this way (execution errors also fail the build)
    for marker in ('class="output traceback', 'class="output stderr', "ipythontb",
                   "Traceback (most recent call last)", 'class="output error'):
        assert marker not in html, f"{page} shows an error output ({marker})"


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_has_alt_text(book, page):
    parser = _Images()
    parser.feed(_html(book, page))
    missing = []
    for src, alt in parser.images:
        name = Path(urlparse(src).path).name if not src.startswith("data:") else ""
        # docutils falls back to the file name when a page gives no alt text
        if not alt or not alt.strip() or (name and Path(alt).name == name) or alt == src:
            missing.append(src[:80])
    assert missing == [], f"{page}: images without alt text: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_page_offers_its_notebook(book, page):
    html = _html(book, page)
    parser = _Assets()
    parser.feed(html)
    name = Path(page).name + ".ipynb"
    hrefs = [h for h in parser.links if h.endswith(f"_sources/{page}.ipynb")]
    assert hrefs, f"{page} has no link to {name}"
    target = (book.html / page).parent / hrefs[0]
    assert target.resolve().is_file()
    import nbformat

    notebook = nbformat.read(target, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    assert sum(c.cell_type == "code" for c in notebook.cells) == source.count("```{code-cell}")


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_from_other_hosts(book, page):
    parser = _Assets()
    parser.feed(_html(book, page))
    remote = [u for u in parser.urls if urlparse(u).scheme in ("http", "https", "")
              and urlparse(u).netloc]
    assert remote == []
    for url in parser.urls:   # every local asset exists
        path = urlparse(url).path
        if path and not urlparse(url).scheme and not path.startswith("#"):
            assert ((book.html / page).parent / path).resolve().exists(), f"{page}: {url}"


def test_widget_pages_use_the_vendored_manager(book):
    widget_pages = [p for p in PAGES if "widget-state+json" in _html(book, p)]
    assert {"book/explore/activation_explorer", "book/explore/gradient_flow_explorer",
            "book/explore/maxout_explorer", "book/explore/selu_explorer"} <= set(widget_pages)
    for page in widget_pages:
        html = _html(book, page)
        assert "_static/requirejs/require.js" in html
        assert "_static/html-manager/embed-amd.js" in html


def test_mathjax_is_served_by_the_book(book):
    html = _html(book, "book/explore/activation_explorer")
    assert "_static/mathjax/tex-chtml.js" in html
    assert (book.html / "_static/mathjax/output/chtml/fonts/woff-v2").is_dir()


def test_no_thebe_on_pages(book):
    for page in PAGES:
        html = _html(book, page)
        assert "THEBE_JS_URL" not in html and "sphinx-thebe.js" not in html, page


def test_vendored_files_carry_versions_and_licences():
    for name in ("mathjax", "requirejs", "html-manager"):
        folder = VENDOR / name
        assert (folder / "VERSION").read_text().strip(), name
        assert (folder / "LICENSE").stat().st_size > 500, name
    import ipywidgets

    # the embed bundle speaks the widget protocol of the installed ipywidgets (8.x <-> 1.x)
    assert ipywidgets.__version__.startswith("8.")
    assert (VENDOR / "html-manager" / "VERSION").read_text().startswith("1.")


def test_every_page_executes_within_budget(book):
    times = json.loads((book.build_dir / "exec_times.json").read_text(encoding="utf-8"))
    executed = [p for p in PAGES if "```{code-cell}" in (ROOT / f"{p}.md").read_text("utf-8")]
    missing = [p for p in executed if p not in times]
    assert missing == [], f"pages without execution data: {missing}"
    slow = {p: t for p, t in times.items() if t > MAX_PAGE_SECONDS}
    assert slow == {}, f"pages over {MAX_PAGE_SECONDS} s: {slow}"
