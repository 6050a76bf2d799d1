"""Properties of the activations, computed from the catalog's code, never typed by hand.

:func:`properties` evaluates an elementwise entry (with its default parameters, or those
given) and returns a :class:`Properties` record; the book's overview table is generated
from it. Definitions (all from ``entry.forward`` / ``entry.derivative``):

* **range**: infimum and supremum of f over a dense grid on [-10, 10] (plus the kinks)
  together with the limits f(-inf), f(+inf); an end is *closed* when a finite x attains
  it (on the grid), *open* when it is only approached at +-inf.
* **bounded below / above**: that end of the range is finite.
* **monotonic**: f never decreases (or never increases) on the grid [-50, 50], and f'
  has one sign there; *strictly* (``'increasing'``) when f' vanishes only at isolated
  grid points (tanhshrink at 0), ``'non-decreasing'`` when it is 0 on an interval (ReLU).
* **smooth** (C^1): f and f' are continuous at every kink (f'(k - h) vs f'(k + h) for a
  small h); an entry without kinks is C^1 (its derivative is one continuous formula).
* **zero-centred**: f(0) = 0 and f takes both signs (inf f < 0 < sup f), so a layer's
  outputs can average to zero. (ReLU has f(0) = 0 but no negative values: not
  zero-centred; sigmoid has f(0) = 1/2: not zero-centred.)
* **saturates** on a side: |f'(x)| < 1e-5 for |x| in [1e6, 1e7] on that side; *hard*
  when f' is exactly 0 on that whole side beyond the outermost kink (ReLU's left side),
  *soft* when it only tends to 0 (sigmoid).
* **f(0)** and **f'(0)** with the catalog's (PyTorch's) kink convention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .catalog import Activation, entries, lookup

__all__ = ["Properties", "properties", "table"]


@dataclass(frozen=True)
class Properties:
    """Computed properties of one activation (see the module docstring)."""

    name: str
    low: float
    high: float
    low_closed: bool
    high_closed: bool
    bounded_below: bool
    bounded_above: bool
    monotonic: str | None      # 'increasing', 'non-decreasing', 'decreasing', ... or None
    continuous: bool
    smooth: bool               # C^1
    zero_centred: bool
    saturates_left: str | None   # 'hard', 'soft' or None
    saturates_right: str | None
    f0: float
    df0: float

    @property
    def bounded(self) -> bool:
        """Bounded above and below."""
        return self.bounded_below and self.bounded_above

    def range_text(self, digits: int = 4) -> str:
        """The range in interval notation, e.g. ``(0, 1)``, ``[0, inf)``, ``(-1.758, inf)``."""
        def fmt(v):
            if math.isinf(v):
                return "∞" if v > 0 else "-∞"
            r = float(f"{v:.{digits}g}")
            return str(int(r)) if r.is_integer() else repr(r)
        lo = ("[" if self.low_closed else "(") + fmt(self.low)
        hi = fmt(self.high) + ("]" if self.high_closed else ")")
        return f"{lo}, {hi}"

    @property
    def saturates(self) -> str:
        """'both', 'left', 'right' or 'none'."""
        left, right = self.saturates_left is not None, self.saturates_right is not None
        return {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
            (left, right), "none")


def properties(entry: Activation | str, **params) -> Properties:
    """Compute the :class:`Properties` of an elementwise entry (name or entry) with its
    default (or example, for required) parameters, or with ``params``. TypeError for a
    non-elementwise entry."""
    e = lookup(entry)
    if not e.elementwise or e.derivative is None:
        raise TypeError(f"{e.name} is not elementwise: range, monotonicity etc. are not "
                        "defined for it")
    p = e.resolve((), {**e.example_params, **params})
    p = {k: (np.asarray(v, dtype=float) if isinstance(v, (tuple, list)) else v)
         for k, v in p.items()}
    kinks = [float(k) for k in e.kinks(**p)]

    def f(x):
        return np.asarray(e.forward(np.asarray(x, dtype=np.float64), **p), dtype=np.float64)

    def df(x):
        x = np.asarray(x, dtype=np.float64)
        return np.asarray(e.derivative(x, e.forward(x, **p), **p), dtype=np.float64)

    with np.errstate(all="ignore"):
        grid = np.union1d(np.linspace(-10.0, 10.0, 20001), [k for k in kinks if abs(k) <= 10])
        fg = f(grid)
        finite = fg[~np.isnan(fg)]
        lims = f(np.array([-np.inf, np.inf]))
        lims = lims[~np.isnan(lims)]
        gmin, gmax = float(finite.min()), float(finite.max())
        lmin = float(lims.min()) if lims.size else math.inf
        lmax = float(lims.max()) if lims.size else -math.inf
        low, low_closed = (lmin, False) if lmin < gmin else (gmin, True)
        high, high_closed = (lmax, False) if lmax > gmax else (gmax, True)
        if math.isinf(low):
            low_closed = False
        if math.isinf(high):
            high_closed = False

        wide = np.union1d(np.linspace(-50.0, 50.0, 100001), kinks)
        fw, dw = f(wide), df(wide)
        diff = np.diff(fw)
        tol = 1e-12 * np.maximum(1.0, np.abs(fw[1:]))
        monotonic = None
        flat = dw == 0
        isolated = not np.any(flat[1:] & flat[:-1])   # f' = 0 only at isolated points
        if np.all(diff >= -tol) and np.all(dw >= 0):
            monotonic = "increasing" if isolated else "non-decreasing"
        elif np.all(diff <= tol) and np.all(dw <= 0):
            monotonic = "decreasing" if isolated else "non-increasing"

        continuous, smooth = True, True
        for k in kinks:
            h = 1e-7 * max(1.0, abs(k))
            fl, fr = f([k - h, k + h])
            dl, dr = df([k - h, k + h])
            scale = max(1.0, abs(fl), abs(fr))
            if abs(fl - fr) > 1e-5 * scale:
                continuous = False
            if abs(dl - dr) > 1e-4 * max(1.0, abs(dl), abs(dr)):
                smooth = False
        smooth = smooth and continuous

        start = 1.0 + max([abs(k) for k in kinks], default=0.0)

        def sat(sign):
            far = sign * np.geomspace(1e6, 1e7, 11)
            if not np.all(np.abs(df(far)) < 1e-5):
                return None
            beyond = sign * np.geomspace(start, 1e7, 200)
            return "hard" if np.all(df(beyond) == 0.0) else "soft"

        f0, df0 = float(f(0.0)) + 0.0, float(df(0.0)) + 0.0   # + 0.0: no -0.0
    return Properties(
        name=e.name, low=low, high=high, low_closed=low_closed, high_closed=high_closed,
        bounded_below=math.isfinite(low), bounded_above=math.isfinite(high),
        monotonic=monotonic, continuous=continuous, smooth=smooth,
        zero_centred=(f0 == 0.0 and low < 0.0 < high),
        saturates_left=sat(-1.0), saturates_right=sat(1.0), f0=f0, df0=df0)


def table() -> list[Properties]:
    """Properties of every elementwise entry, in catalog order."""
    return [properties(e) for e in entries(elementwise=True)]
