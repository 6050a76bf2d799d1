"""The built book in a real browser: offline, no console errors, math, images, widgets.

Headless Chromium (Debian's ``chromium`` package) driven by Playwright's Python package.
Every page of the table of contents is opened from a local server on 127.0.0.1 while
every request to any other host is aborted and recorded. Without /usr/bin/chromium these
tests are skipped (install it with ``apt-get install chromium``), except when the ``CI``
environment variable is set: then a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import toc_pages

CHROMIUM = Path(os.environ.get("MINIGRAD_CHROMIUM", "/usr/bin/chromium"))
PAGES = toc_pages()
EXPLORERS = [p for p in PAGES if p.startswith("book/explore/")]
LOCAL_HOSTS = {"127.0.0.1"}

MISSING = None
if not CHROMIUM.exists():
    MISSING = (f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
               "(Debian/Ubuntu) to run the browser tests")
    if not os.environ.get("CI"):
        pytest.skip(MISSING, allow_module_level=True)
    # with CI set, every browser test fails (through the `browser` fixture)

playwright_api = pytest.importorskip("playwright.sync_api")

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--mute-audio"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if MISSING:
        pytest.fail(MISSING + " (CI is set, so a missing browser is an error)", pytrace=False)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        yield b
        b.close()


class PageRecord:
    """What happened while a page was open."""

    def __init__(self):
        self.blocked: list[str] = []        # requests to other hosts (aborted)
        self.failed: list[str] = []         # requests that failed or returned >= 400
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []


@pytest.fixture(scope="session")
def context(browser, book_server):
    """A browser context that aborts every request to a host other than 127.0.0.1."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    ctx.records = {}

    def route(route_obj):
        host = urlparse(route_obj.request.url).hostname
        if route_obj.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route_obj.continue_()
        else:
            ctx.current.blocked.append(route_obj.request.url)
            route_obj.abort("blockedbyclient")

    ctx.route("**/*", route)
    yield ctx
    ctx.close()


def open_page(context, base_url: str, page_name: str):
    """Open a book page and wait until MathJax and the widget manager have finished."""
    record = PageRecord()
    context.current = record
    page = context.new_page()
    page.on("console", lambda m: record.console_errors.append(m.text)
            if m.type == "error" else None)
    page.on("pageerror", lambda e: record.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: record.failed.append(f"{r.url} ({r.failure})")
            if urlparse(r.url).hostname in LOCAL_HOSTS else None)
    page.on("response", lambda r: record.failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    page.goto(f"{base_url}/{page_name}.html", wait_until="load")
    # MathJax 3 resolves this promise once the first typesetting pass is done.
    page.wait_for_function(
        "() => !document.querySelector('.math') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.promise && "
        " (window.__mjDone || (MathJax.startup.promise.then(() => window.__mjDone = true),"
        " false)))", timeout=30_000)
    if page.locator("script[type='application/vnd.jupyter.widget-state+json']").count():
        # every widget output has been replaced by a rendered widget
        page.wait_for_function(
            "() => document.querySelectorAll('.jupyter-widgets').length > 0 && "
            "[...document.querySelectorAll("
            "'script[type=\"application/vnd.jupyter.widget-view+json\"]')]"
            ".every(s => s.parentElement.querySelector('.jupyter-widgets'))",
            timeout=60_000)
    page.wait_for_load_state("networkidle")
    return page, record


@pytest.mark.parametrize("page_name", PAGES)
def test_page_works_offline(context, book_server, page_name):
    page, record = open_page(context, book_server, page_name)
    try:
        assert record.blocked == [], f"requests to other hosts: {record.blocked}"
        assert record.failed == [], f"failed requests: {record.failed}"
        assert record.console_errors == [], f"console errors: {record.console_errors}"
        assert record.page_errors == [], f"uncaught errors: {record.page_errors}"

        # every image loaded (scroll lazy images into view first)
        page.evaluate("() => document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
        page.wait_for_function("() => [...document.images].every(i => i.complete)",
                               timeout=15_000)
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src)")
        assert broken == [], f"images that did not load: {broken}"

        # every math element typeset, no TeX source left in the text
        math = page.evaluate("""() => {
            const els = [...document.querySelectorAll('.math, .amsmath')];
            return {total: els.length,
                    untypeset: els.filter(e => !e.querySelector('mjx-container'))
                                  .map(e => e.textContent.slice(0, 80))};
        }""")
        assert math["untypeset"] == [], f"math not typeset: {math['untypeset']}"
        text = page.evaluate("""() => {
            const main = document.querySelector('main') || document.body;
            const clone = main.cloneNode(true);
            clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, '
                                   + 'mjx-assistive-mml').forEach(e => e.remove());
            return clone.textContent;
        }""")
        leftovers = re.findall(r"\\\(|\\\)|\\\[|\\\]|\$\$|(?<![\w$])\$[^\s$][^$\n]{0,80}\$", text)
        assert leftovers == [], f"raw TeX left on the page: {leftovers[:5]}"
        if math["total"]:
            assert page.locator("mjx-container").count() >= math["total"]
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# Widgets: every control changes what is shown, driven from the keyboard.
# ---------------------------------------------------------------------------------------

VISIBLE_STATE = """(root) => {
    // What the explorer shows: the visible frames (SVG accessible names, image data).
    const out = [];
    for (const el of root.querySelectorAll('svg[role=img], img')) {
        if (!el.getClientRects().length) continue;          // hidden (works for SVG too)
        out.push(el.getAttribute('aria-label') || (el.src || '').slice(-64));
    }
    return out.join('|');
}"""

CONTROLS = """(root) => {
    // Visible controls, each tagged with a stable id so the test can find it again.
    const found = [];
    const tag = (el, kind) => {
        if (!el.getClientRects().length) return;            // not visible
        if (!el.dataset.testId) el.dataset.testId = 'c' + Math.random().toString(36).slice(2);
        const box = el.closest('.widget-inline-hbox, .widget-hbox, .jupyter-widgets');
        const label = box ? (box.querySelector('.widget-label') || {}).textContent || '' : '';
        found.push({id: el.dataset.testId, kind, label: label.trim()});
    };
    root.querySelectorAll('select').forEach(e => tag(e, 'select'));
    root.querySelectorAll('.noUi-handle, input[type=range]').forEach(e => tag(e, 'slider'));
    root.querySelectorAll('.widget-toggle-buttons').forEach(e => tag(e, 'buttons'));
    return found;
}"""


def _state(page, root):
    return root.evaluate(VISIBLE_STATE)


def _change(page, root, control) -> list[str]:
    """Operate one control from the keyboard through all its positions (at most 60);
    return the explorer's visible state after each step."""
    el = root.locator(f"[data-test-id='{control['id']}']")
    states = []
    if control["kind"] == "select":
        n = el.evaluate("e => e.options.length")
        el.focus()
        for _ in range(min(n - 1, 60)):
            page.keyboard.press("ArrowDown")
            states.append(_state(page, root))
    elif control["kind"] == "slider":
        el.focus()
        for key in ("Home",) + ("ArrowRight",) * 60:
            before = _state(page, root)
            page.keyboard.press(key)
            page.wait_for_timeout(20)
            after = _state(page, root)
            if key != "Home" and after == before:
                break                       # reached the end
            states.append(after)
    else:  # toggle buttons: Tab to each button and press Space
        buttons = el.locator("button")
        for i in range(buttons.count()):
            buttons.nth(i).focus()
            page.keyboard.press("Space")
            states.append(_state(page, root))
    return states


@pytest.mark.parametrize("page_name", EXPLORERS)
def test_every_control_changes_the_view(context, book_server, page_name):
    page, record = open_page(context, book_server, page_name)
    try:
        # the outermost explorers (an explorer may contain others, e.g. one per function)
        n_roots = page.evaluate("""() => {
            const tops = [...document.querySelectorAll('.minigrad-explorer')]
                .filter(e => !e.parentElement.closest('.minigrad-explorer'));
            tops.forEach((e, i) => e.dataset.testRoot = 'r' + i);
            return tops.length;
        }""")
        roots = [page.locator(f"[data-test-root='r{i}']") for i in range(n_roots)]
        assert roots, f"{page_name} shows no explorer"
        tested = 0
        for root in roots:
            seen = set()
            pending = [c for c in root.evaluate(CONTROLS) if c["id"] not in seen]
            while pending:
                control = pending.pop(0)
                if control["id"] in seen or not root.locator(
                        f"[data-test-id='{control['id']}']").count():
                    continue        # tested, or re-rendered since (found again below)
                seen.add(control["id"])
                assert control["label"], f"{page_name}: a control has no label"
                start = _state(page, root)
                assert start, f"{page_name}: the explorer shows no frame"
                states = _change(page, root, control)
                assert states and all(s for s in states)
                changed = [s for s in states if s != start]
                assert changed, (f"{page_name}: control {control['label']!r} did not change "
                                 "what is shown")
                tested += 1
                # a dropdown may reveal other controls (e.g. one slider per function):
                # walk the dropdown again and test each newly visible control.
                if control["kind"] == "select":
                    sel = root.locator(f"[data-test-id='{control['id']}']")
                    n = sel.evaluate("e => e.options.length")
                    for i in range(n):
                        sel.select_option(index=i)
                        for c in root.evaluate(CONTROLS):
                            if c["id"] not in seen and c["kind"] != "select":
                                seen.add(c["id"])
                                assert c["label"], f"{page_name}: a control has no label"
                                start = _state(page, root)
                                states = _change(page, root, c)
                                assert any(s != start for s in states), (
                                    f"{page_name}: control {c['label']!r} (with option {i} "
                                    "of the dropdown) did not change what is shown")
                                tested += 1
                    sel.select_option(index=0)
                pending.extend(c for c in root.evaluate(CONTROLS) if c["id"] not in seen)
        assert tested >= 1
        print(f"{page_name}: {tested} controls operated from the keyboard")
        assert record.console_errors == [], record.console_errors
        assert record.page_errors == [], record.page_errors
    finally:
        page.close()


def test_explorer_pixels_change(context, book_server):
    """A screenshot check: the first explorer's pixels change when its first control does."""
    page, _ = open_page(context, book_server, EXPLORERS[0])
    try:
        root = page.locator(".minigrad-explorer").first
        before = root.screenshot()
        control = root.locator("select, .noUi-handle").first
        control.focus()
        page.keyboard.press("ArrowDown" if control.evaluate("e => e.tagName") == "SELECT"
                            else "ArrowRight")
        page.wait_for_timeout(100)
        assert root.screenshot() != before
    finally:
        page.close()
