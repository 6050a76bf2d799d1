"""Local Sphinx extension for the book: offline pages, a quiet build, .ipynb downloads.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It does these small things
(and runs the page kernels with one BLAS thread each, see ``_single_threaded_blas``):

1. Removes sphinx-thebe's scripts and stylesheet. The book has no Thebe button
   (``launch_buttons.thebe: false``) but Jupyter Book loads sphinx-thebe anyway, and its
   inline ``const THEBE_JS_URL = ...`` script is added twice, which throws
   "Identifier 'THEBE_JS_URL' has already been declared" in the console on every page
   (and would point at unpkg.com, a CDN).
2. Writes every Markdown page as ``_sources/<page>.ipynb`` (converted by jupytext, without
   outputs: the reader runs it) and adds it to the theme's download menu.
3. Asks jupyter_client for CurveZMQ-encrypted kernel connections where the kernel
   supports them, so that ipykernel >= 7 does not print "Kernel is running over TCP
   without encryption" once per executed page. Kernel start-ups (from choosing free
   ports until the kernel answers) take turns under a file lock, so that kernels started
   at the same time (item 5, or two builds on one machine) never pick the same port.
4. Writes ``_build/exec_times.json`` (page -> execution seconds, from myst-nb's cache
   records) and logs the slowest pages, so the 30 s per page budget can be checked.
5. Executes the pages that are not in the execution cache yet in parallel (one process
   per CPU, with jupyter-cache's "local-parallel" executor) before Sphinx reads them one
   by one; myst-nb then finds every page in the cache. On 2 cores this nearly halves a
   clean build. A page that fails is executed again by myst-nb, which reports the error
   and fails the build as usual. Set ``book_parallel_execution: false`` (sphinx config)
   to turn it off.
"""

from __future__ import annotations

import json
import logging as std_logging
import os
import tempfile
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

_THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe", "thebe@")


def _is_thebe(asset) -> bool:
    """Whether a registered script/stylesheet belongs to sphinx-thebe."""
    filename = getattr(asset, "filename", None) or (asset[0] if isinstance(asset, tuple) else "")
    attributes = getattr(asset, "attributes", None) or (
        asset[1] if isinstance(asset, tuple) and len(asset) > 1 else {})
    text = f"{filename or ''} {attributes.get('body', '') if isinstance(attributes, dict) else ''}"
    return any(marker in text for marker in _THEBE_MARKERS)


def remove_thebe_assets(app, *args) -> None:
    """Drop sphinx-thebe's scripts and CSS from the builder and the registry."""
    for owner, names in ((app.registry, ("js_files", "css_files")),
                         (getattr(app, "builder", None), ("script_files", "css_files",
                                                          "_js_files", "_css_files"))):
        if owner is None:
            continue
        for name in names:
            files = getattr(owner, name, None)
            if isinstance(files, list):
                files[:] = [f for f in files if not _is_thebe(f)]


def _is_markdown_page(path: Path) -> bool:
    """A Markdown page (a MyST notebook, or plain MyST text: both become notebooks)."""
    return path.suffix == ".md" and path.is_file()


def write_ipynb(app, pagename, templatename, context, doctree) -> None:
    """Write the page's notebook into ``_sources/`` and offer it in the download menu."""
    if doctree is None or pagename not in app.env.found_docs:
        return
    source = Path(app.env.doc2path(pagename))
    if not _is_markdown_page(source):
        return
    import jupytext
    import nbformat

    notebook = jupytext.read(source, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.setdefault("kernelspec", {"display_name": "Python 3",
                                                "language": "python", "name": "python3"})
    for index, cell in enumerate(notebook.cells):  # stable ids: the same file every build
        cell["id"] = f"cell-{index}"
    notebook.metadata.setdefault("language_info", {"name": "python"})
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(notebook, version=4)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    # sphinx-book-theme adds a ".ipynb" entry to its download menu when this is set.
    context["ipynb_source"] = f"{pagename}.ipynb"


def report_exec_times(app, exception) -> None:
    """Record each page's execution time (seconds) in ``<outdir>/../exec_times.json``."""
    if exception is not None or app.builder.format != "html":
        return
    try:
        from myst_nb.sphinx_ import NbMetadataCollector
    except ImportError:  # pragma: no cover
        return
    data = getattr(app.env, "nb_metadata", {}) or {}
    times = {}
    for docname in sorted(data):
        exec_data = NbMetadataCollector.get_exec_data(app.env, docname) or {}
        runtime = exec_data.get("runtime")
        if runtime is not None:
            times[docname] = round(float(runtime), 2)
    target = Path(app.outdir).parent / "exec_times.json"
    target.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if times:
        slowest = sorted(times.items(), key=lambda kv: -kv[1])[:3]
        logger.info("[book_offline] executed %d pages, %.1f s in total; slowest: %s",
                    len(times), sum(times.values()),
                    ", ".join(f"{name} {sec:.1f} s" for name, sec in slowest))


def pre_execute_in_parallel(app, env, docnames) -> None:
    """Execute the uncached notebook pages among ``docnames`` in parallel (jupyter-cache)."""
    if not app.config.book_parallel_execution or (os.cpu_count() or 1) < 2:
        return
    nb_config = getattr(env, "mystnb_config", None)
    if nb_config is None or nb_config.execution_mode != "cache":
        return
    from fnmatch import fnmatch

    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor
    from myst_nb.core.read import create_nb_reader

    cache = get_cache(nb_config.execution_cache_path or ".jupyter_cache")
    pending = []
    for docname in sorted(docnames):
        path = str(env.doc2path(docname))
        if any(fnmatch(path, pattern) for pattern in nb_config.execution_excludepatterns):
            continue
        try:
            content = Path(path).read_text(encoding="utf-8")
        except OSError:
            continue
        reader = create_nb_reader(path, env.myst_config, nb_config, content)
        if reader is None or reader.read_fmt is None:
            continue
        notebook = reader.read(content)
        if not any(c.cell_type == "code" for c in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue                                   # already executed and cached
        except KeyError:
            pass
        pending.append(cache.add_nb_to_project(path, read_data=reader.read_fmt).pk)
    if len(pending) < 2:
        return                                         # nothing to gain: myst-nb does it
    quiet = std_logging.getLogger("book_offline.jupyter_cache")
    quiet.setLevel(std_logging.CRITICAL)   # failures are re-run and reported by myst-nb
    start = time.perf_counter()
    executor = load_executor("local-parallel", cache, logger=quiet)
    result = executor.run_and_cache(filter_pks=pending, timeout=nb_config.execution_timeout,
                                    allow_errors=nb_config.execution_allow_errors)
    failed = list(result.excepted) + list(result.errored)
    logger.info("[book_offline] executed %d pages on %d processes in %.1f s (%d to retry)",
                len(pending), os.cpu_count(), time.perf_counter() - start, len(failed))
    for uri in failed:  # myst-nb executes these again, and reports a real error properly
        try:
            trace = (cache.get_project_record(uri).traceback or "").strip().splitlines()
        except Exception:  # noqa: BLE001 - only a diagnostic
            trace = []
        logger.info("[book_offline]   retry %s (%s)", uri, trace[-1][:200] if trace else "?")


def _encrypt_kernel_connections() -> None:
    """Provision CurveZMQ keys for kernels that declare support (quiets ipykernel >= 7)."""
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:  # pragma: no cover
        return
    trait = KernelManager.class_traits().get("transport_encryption")
    if trait is not None and zmq.has("curve"):
        trait.default_value = "auto"


_LOCK_PATH = Path(tempfile.gettempdir()) / "book_offline-kernel-start.lock"


def _serialise_kernel_startups() -> None:
    """Hold a machine-wide lock from a kernel's port choice until it is ready."""
    import fcntl

    from nbclient.client import NotebookClient

    if getattr(NotebookClient, "_book_offline_patched", False):
        return
    start_kernel = NotebookClient.async_start_new_kernel
    start_client = NotebookClient.async_start_new_kernel_client

    def release(client):
        handle = client.__dict__.pop("_book_offline_lock", None)
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    async def async_start_new_kernel(self, **kwargs):
        # Blocking on purpose: this process should wait for its turn. Released when the
        # kernel is ready (async_start_new_kernel_client) or failed to start.
        handle = open(_LOCK_PATH, "a")  # noqa: ASYNC230, SIM115
        fcntl.flock(handle, fcntl.LOCK_EX)
        self.__dict__["_book_offline_lock"] = handle
        try:
            return await start_kernel(self, **kwargs)
        except BaseException:
            release(self)
            raise

    async def async_start_new_kernel_client(self):
        try:
            return await start_client(self)
        finally:
            release(self)

    NotebookClient.async_start_new_kernel = async_start_new_kernel
    NotebookClient.async_start_new_kernel_client = async_start_new_kernel_client
    NotebookClient._book_offline_patched = True


def _single_threaded_blas() -> None:
    """Run the page kernels with one BLAS/OpenMP thread each (unless the caller chose).

    The pages multiply small matrices, where OpenBLAS's worker threads cost far more than
    they save, and two pages execute at once (one per core): on a 2-core machine a
    0.4 ms product took 20-200 ms with threads. Kernels inherit this process's
    environment, so setting it here is enough.
    """
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def setup(app):
    """Register the event handlers."""
    _single_threaded_blas()
    _encrypt_kernel_connections()
    _serialise_kernel_startups()
    app.add_config_value("book_parallel_execution", True, "env")
    app.connect("env-before-read-docs", pre_execute_in_parallel, priority=900)
    app.connect("builder-inited", remove_thebe_assets, priority=900)
    app.connect("env-before-read-docs", remove_thebe_assets, priority=900)
    app.connect("env-updated", remove_thebe_assets, priority=900)
    app.connect("html-page-context", write_ipynb, priority=400)
    app.connect("build-finished", report_exec_times)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
