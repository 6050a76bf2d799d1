"""Tests for minigrad.optim against hand-computed steps of PyTorch's published equations."""

import math
import warnings

import numpy as np
import pytest

from minigrad import Tensor, Value, optim


def run(opt_cls, grads, theta0=1.0, **hyper):
    """Apply ``opt_cls`` to one parameter fed the gradients ``grads`` in turn."""
    p = Tensor([theta0], requires_grad=True)
    opt = opt_cls([p], **hyper)
    out = []
    for g in grads:
        p.grad = np.array([g])
        opt.step()
        out.append(float(p.data[0]))
    return out


# ---------------------------------------------------------------- SGD, by hand

def test_sgd_plain_step():
    # theta <- theta - lr * g
    assert run(optim.SGD, [2.0, -4.0], lr=0.25) == [0.5, 1.5]


def test_sgd_momentum_weight_decay_three_steps():
    # lr=0.1, mu=0.9, wd=0.1, theta0=1, gradients 2, -1, 0.5
    # t=1: g = 2 + 0.1*1 = 2.1;            b = 2.1;                       theta = 0.79
    # t=2: g = -1 + 0.1*0.79 = -0.921;     b = 0.9*2.1 - 0.921 = 0.969;   theta = 0.6931
    # t=3: g = 0.5 + 0.06931 = 0.56931;    b = 0.8721 + 0.56931 = 1.44141; theta = 0.548959
    got = run(optim.SGD, [2.0, -1.0, 0.5], lr=0.1, momentum=0.9, weight_decay=0.1)
    assert got == pytest.approx([0.79, 0.6931, 0.548959], rel=1e-13)


def test_sgd_nesterov_two_steps():
    # lr=0.1, mu=0.5, gradients 1, 1
    # t=1: b = 1;               g = 1 + 0.5*1   = 1.5;  theta = 1 - 0.15  = 0.85
    # t=2: b = 0.5*1 + 1 = 1.5; g = 1 + 0.5*1.5 = 1.75; theta = 0.85 - 0.175 = 0.675
    got = run(optim.SGD, [1.0, 1.0], lr=0.1, momentum=0.5, nesterov=True)
    assert got == pytest.approx([0.85, 0.675], rel=1e-13)


def test_sgd_dampening_skips_first_step():
    # lr=1, mu=0.9, tau=0.5, theta0=0, gradients 1, 1
    # t=1: b = g = 1 (no dampening on the first step); theta = -1
    # t=2: b = 0.9*1 + 0.5*1 = 1.4;                     theta = -2.4
    got = run(optim.SGD, [1.0, 1.0], theta0=0.0, lr=1.0, momentum=0.9, dampening=0.5)
    assert got == pytest.approx([-1.0, -2.4], rel=1e-14)


def test_sgd_maximize_ascends():
    assert run(optim.SGD, [2.0], lr=0.5, maximize=True) == [2.0]


def quadratic_descent(opt_factory, steps):
    # f(x, y) = (x^2 + 10 y^2) / 2, minimum at 0; the gradient comes from backward()
    p = Tensor([5.0, -3.0], requires_grad=True)
    scale = np.array([1.0, 10.0])
    opt = opt_factory([p])
    for _ in range(steps):
        opt.zero_grad()
        loss = (p * p * scale).sum() * 0.5
        loss.backward()
        opt.step()
    return np.abs(p.data).max()


def test_sgd_momentum_converges_on_a_quadratic_and_beats_plain_sgd():
    with_momentum = quadratic_descent(lambda ps: optim.SGD(ps, lr=0.02, momentum=0.9), 300)
    plain = quadratic_descent(lambda ps: optim.SGD(ps, lr=0.02), 300)
    nesterov = quadratic_descent(
        lambda ps: optim.SGD(ps, lr=0.02, momentum=0.9, nesterov=True), 300)
    assert with_momentum < 1e-6 and nesterov < 1e-6
    assert plain > 1e-3        # x contracts by only (1 - 0.02) per step
    assert quadratic_descent(lambda ps: optim.Adam(ps, lr=0.05), 2000) < 1e-3


# ---------------------------------------------------------------- Adam, by hand

def adam_reference(grads, theta, lr, b1, b2, eps, amsgrad=False):
    """Algorithm 1 of Kingma & Ba written out with Python floats."""
    m = v = vmax = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = max(vmax, v)
        m_hat = m / (1 - b1**t)
        v_hat = (vmax if amsgrad else v) / (1 - b2**t)
        theta = theta - lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(theta)
    return out


def test_adam_first_two_steps_by_hand():
    # lr=0.1, betas=(0.9, 0.999), eps=1e-8, theta0=1, gradients 2, -1
    # t=1: m = 0.2, v = 0.004, m_hat = 2, v_hat = 4, theta = 1 - 0.1*2/(2 + 1e-8)
    # t=2: m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
    #      m_hat = 0.08/0.19, v_hat = 0.004996/0.001999
    got = run(optim.Adam, [2.0, -1.0], lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    t1 = 1 - 0.1 * 2 / (2 + 1e-8)
    t2 = t1 - 0.1 * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + 1e-8)
    assert got == pytest.approx([t1, t2], rel=1e-13)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("beta1", [0.8, 0.3])
def test_adam_matches_reference_over_many_steps(amsgrad, beta1):
    g = np.random.default_rng(0).normal(size=50) * np.geomspace(10, 0.01, 50)
    got = run(optim.Adam, list(g), lr=0.01, betas=(beta1, 0.99), eps=1e-6, amsgrad=amsgrad)
    ref = adam_reference(g, 1.0, 0.01, beta1, 0.99, 1e-6, amsgrad=amsgrad)
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_amsgrad_differs_when_gradients_shrink():
    plain = run(optim.Adam, [10.0, 0.1, 0.1], lr=0.1)
    ams = run(optim.Adam, [10.0, 0.1, 0.1], lr=0.1, amsgrad=True)
    assert plain[0] == ams[0] and plain[2] != pytest.approx(ams[2], rel=1e-6)


@pytest.mark.parametrize("g", [1e-3, 1.0, 1e3, -5.0])
def test_adam_bias_correction_makes_the_first_step_lr(g):
    # m_hat = g and v_hat = g^2 after one step, so the step is lr * sign(g) whatever |g|
    # (without the correction it would be lr * 0.1 / sqrt(0.001) = 3.16 lr).
    (theta,) = run(optim.Adam, [g], theta0=0.0, lr=0.01, eps=0.0)
    assert theta == pytest.approx(-0.01 * math.copysign(1, g), rel=1e-14)


def test_adam_l2_weight_decay_vs_adamw_decoupled():
    # Adam: g = 2 + 0.1*1 = 2.1 is added to the gradient, first step still lr: 1 - 0.1
    (adam,) = run(optim.Adam, [2.0], lr=0.1, weight_decay=0.1, eps=0.0)
    assert adam == pytest.approx(0.9, rel=1e-14)
    # AdamW: theta *= (1 - lr*wd) = 0.99 first, then the Adam step of lr: 0.89
    (adamw,) = run(optim.AdamW, [2.0], lr=0.1, weight_decay=0.1, eps=0.0)
    assert adamw == pytest.approx(0.89, rel=1e-14)


def test_updates_are_in_place_and_keep_float32():
    p = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    data = p.data
    for opt in (optim.SGD([p], lr=0.1, momentum=0.9), optim.Adam([p])):
        p.grad = np.full(3, 0.5, dtype=np.float32)
        opt.step()
        assert p.data is data and p.data.dtype == np.float32


def test_parameters_without_grad_are_skipped():
    a = Tensor([1.0], requires_grad=True)
    b = Tensor([1.0], requires_grad=True)
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = np.array([1.0])
    opt.step()
    assert b.data[0] == 1.0 and a.data[0] != 1.0


def test_zero_grad():
    p = Tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    opt.zero_grad()
    assert p.grad is None
    (p * p).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert np.array_equal(p.grad, [0.0, 0.0])


def test_optimisers_work_on_micrograd_style_values():
    w = Value(3.0)
    opt = optim.SGD([w], lr=0.1, momentum=0.5)
    for step in range(200):
        opt.zero_grad()
        assert w.grad == 0
        loss = w * w
        loss.backward()
        opt.step()
        if step == 0:
            assert w.data == pytest.approx(3.0 - 0.1 * 6.0, rel=1e-15)
    assert abs(w.data) < 1e-6


def test_adam_on_values_matches_adam_on_tensors():
    w, t = Value(1.5), Tensor([1.5], requires_grad=True)
    ow, ot = optim.Adam([w], lr=0.1, weight_decay=0.01), optim.Adam([t], lr=0.1,
                                                                  weight_decay=0.01)
    for _ in range(5):
        ow.zero_grad()
        ot.zero_grad()
        (w * w * w).backward()
        (t * t * t).sum().backward()
        ow.step()
        ot.step()
    assert w.data == pytest.approx(float(t.data[0]), rel=1e-15)


def test_nonfinite_gradients_propagate_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = run(optim.Adam, [math.inf])
        assert math.isnan(got[0])
        got = run(optim.SGD, [math.nan], lr=0.1, momentum=0.9)
        assert math.isnan(got[0])


# ---------------------------------------------------------------- clipping

def test_clip_grad_norm():
    a = Tensor([0.0, 0.0], requires_grad=True)
    b = Tensor([0.0], requires_grad=True)
    a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])
    total = optim.clip_grad_norm_([a, b], max_norm=1.0)
    assert total == pytest.approx(5.0, rel=1e-15)
    np.testing.assert_allclose(np.concatenate([a.grad, b.grad]), [0.6, 0, 0.8], rtol=1e-5)
    # below the threshold nothing changes
    assert optim.clip_grad_norm_([a, b], max_norm=10.0) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(b.grad, [0.8], rtol=1e-5)


def test_clip_grad_norm_huge_and_inf_norm():
    a = Tensor([0.0, 0.0], requires_grad=True)
    a.grad = np.array([3e200, -4e200])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert optim.clip_grad_norm_([a], 1.0) == pytest.approx(5e200, rel=1e-14)
    np.testing.assert_allclose(a.grad, [0.6, -0.8], rtol=1e-12)
    a.grad = np.array([3.0, -4.0])
    assert optim.clip_grad_norm_([a], 100.0, norm_type=math.inf) == 4.0


def test_clip_grad_value():
    a = Tensor([0.0, 0.0, 0.0], requires_grad=True)
    a.grad = np.array([-3.0, 0.5, 7.0])
    optim.clip_grad_value_([a], 1.0)
    assert np.array_equal(a.grad, [-1.0, 0.5, 1.0])


# ---------------------------------------------------------------- bad input

def P():
    return [Tensor([1.0], requires_grad=True)]


@pytest.mark.parametrize("make, exc, words", [
    (lambda: optim.SGD(P(), lr=-0.1), ValueError, "lr"),
    (lambda: optim.SGD(P(), lr=math.nan), ValueError, "lr"),
    (lambda: optim.SGD(P(), lr="0.1"), TypeError, "lr"),
    (lambda: optim.SGD(P(), lr=0.1, momentum=-0.5), ValueError, "momentum"),
    (lambda: optim.SGD(P(), lr=0.1, weight_decay=-1), ValueError, "weight_decay"),
    (lambda: optim.SGD(P(), lr=0.1, nesterov=True), ValueError, "Nesterov"),
    (lambda: optim.SGD(P(), lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     ValueError, "dampening"),
    (lambda: optim.Adam(P(), betas=(1.0, 0.999)), ValueError, "beta1"),
    (lambda: optim.Adam(P(), betas=(0.9, -0.1)), ValueError, "beta2"),
    (lambda: optim.Adam(P(), betas=0.9), TypeError, "betas"),
    (lambda: optim.Adam(P(), eps=-1e-8), ValueError, "eps"),
    (lambda: optim.Adam([]), ValueError, "empty"),
    (lambda: optim.Adam(Tensor([1.0], requires_grad=True)), TypeError, "single"),
    (lambda: optim.Adam([np.ones(3)]), TypeError, "ndarray"),
    (lambda: optim.Adam([Tensor([1.0])]), ValueError, "requires_grad"),
    (lambda: optim.Adam(P() * 2), ValueError, "more than once"),
])
def test_bad_hyperparameters_are_reported(make, exc, words):
    with pytest.raises(exc, match=words):
        make()


def test_duplicate_detection_uses_identity():
    p = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="more than once"):
        optim.SGD([p, p], lr=0.1)


def test_gradient_of_wrong_shape_is_reported():
    p = Tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.ones(3)
    with pytest.raises(ValueError, match="shape"):
        opt.step()
