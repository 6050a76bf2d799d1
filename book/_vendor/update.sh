#!/usr/bin/env bash
# Refresh the vendored browser libraries in book/_vendor/ (run at development time only;
# building the book needs pip packages only). Needs npm. Usage:
#     book/_vendor/update.sh [MATHJAX_VERSION] [REQUIREJS_VERSION] [HTML_MANAGER_VERSION]
# Pick HTML_MANAGER_VERSION to match the installed ipywidgets: the @jupyter-widgets/controls
# it depends on (`npm view @jupyter-widgets/html-manager@X dependencies`) should be the one
# jupyterlab_widgets ships (share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager/package.json).
set -euo pipefail
MATHJAX=${1:-3.2.2}
REQUIREJS=${2:-2.3.8}
HTML_MANAGER=${3:-1.0.15}
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack -q "mathjax@$MATHJAX" "requirejs@$REQUIREJS" "@jupyter-widgets/html-manager@$HTML_MANAGER" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done

# MathJax 3: the TeX input + CommonHTML output component, its woff2 fonts, the TeX
# extensions it autoloads, and the accessibility modules its menu can switch on.
rm -rf "$here/mathjax"; mkdir -p "$here/mathjax/output/chtml/fonts" "$here/mathjax/input/tex"
mj="mathjax-$MATHJAX/package"
cp "$mj/LICENSE" "$mj/es5/tex-chtml.js" "$here/mathjax/"
cp -r "$mj/es5/output/chtml/fonts/woff-v2" "$here/mathjax/output/chtml/fonts/"
cp -r "$mj/es5/input/tex/extensions" "$here/mathjax/input/tex/"
cp -r "$mj/es5/a11y" "$mj/es5/sre" "$mj/es5/ui" "$here/mathjax/"
echo "$MATHJAX" > "$here/mathjax/VERSION"

# require.js (AMD loader the widget manager needs).
rm -rf "$here/requirejs"; mkdir -p "$here/requirejs"
cp "requirejs-$REQUIREJS/package/require.js" "$here/requirejs/"
cp "$here/licenses/requirejs-MIT.txt" "$here/requirejs/LICENSE"
echo "$REQUIREJS" > "$here/requirejs/VERSION"

# @jupyter-widgets/html-manager: the AMD embed bundle (base, controls, output built in)
# and the icon fonts its CSS refers to (woff2/woff/ttf; Chromium and Firefox use woff2).
rm -rf "$here/html-manager"; mkdir -p "$here/html-manager"
hm="jupyter-widgets-html-manager-$HTML_MANAGER/package/dist"
cp "$hm/embed-amd.js" "$hm/embed.js.LICENSE.txt" "$here/html-manager/"
cp "$here/licenses/jupyter-widgets-BSD-3-Clause.txt" "$here/html-manager/LICENSE"
cp "$hm"/*.woff2 "$hm"/*.woff "$hm"/*.ttf "$here/html-manager/"
echo "$HTML_MANAGER" > "$here/html-manager/VERSION"
echo "Updated: mathjax $MATHJAX, requirejs $REQUIREJS, @jupyter-widgets/html-manager $HTML_MANAGER"
