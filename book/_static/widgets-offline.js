// Loaded (by myst-nb, on pages with widgets) between require.js and the vendored
// @jupyter-widgets/html-manager bundle. The bundle finds its icon fonts relative to the
// URL require.js gives its module "@jupyter-widgets/html-manager/dist/libembed-amd", by
// default a path relative to the page (book/part/@jupyter-widgets/...). Point that module
// name at the vendored copy, where the fonts are.
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");  // .../_static/
  require.config({
    paths: { "@jupyter-widgets/html-manager/dist": here + "html-manager" }
  });
})();

// The widget manager typesets LaTeX in widget labels with MathJax 2's API
// (MathJax.Hub.Queue); the book serves MathJax 3, which has no Hub. Give it a small
// MathJax 2 shim that forwards to MathJax 3's typesetPromise. MathJax 3 replaces the
// window.MathJax config object when it loads (deferred, before DOMContentLoaded), so the
// shim is installed on the loaded object; the widgets render later, on "load".
(function () {
  function install() {
    var mj = window.MathJax;
    if (!mj || mj.Hub || !mj.version) return;
    mj.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        var ready = (mj.startup && mj.startup.promise) || Promise.resolve();
        ready.then(function () {
          return mj.typesetPromise ? mj.typesetPromise(element ? [element] : undefined) : null;
        }).catch(function (err) { console.warn("MathJax typesetting failed", err); });
      }
    };
  }
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install, true);
})();
