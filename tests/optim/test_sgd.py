"""ember.optim.SGD against torch.optim.SGD: bit-identical parameters after many steps."""
import itertools

import numpy
import pytest
import torch

import ember
from helpers import assert_same
from test_optimizer import assert_same_error, assert_same_steps, both, run_optimizer

OPTIONS = [dict(lr=lr, momentum=m, dampening=d, nesterov=n, weight_decay=wd, maximize=mx)
           for lr, m, d, n, wd, mx in itertools.product(
               (0.1, 1e-3), (0, 0.9), (0, 0.3), (False, True), (0, 0.01), (False, True))
           if not (n and (m == 0 or d != 0))]


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('kwargs', OPTIONS, ids=str)
def test_bit_identical(kwargs, dtype):
    for shape in ((3, 1), (7,), (33, 31)):
        expected, topt = run_optimizer(torch, 'SGD', kwargs, shape, dtype, 20)
        actual, eopt = run_optimizer(ember, 'SGD', kwargs, shape, dtype, 20)
        numpy.testing.assert_array_equal(actual, expected)
        if kwargs['momentum']:
            numpy.testing.assert_array_equal(eopt.state_dict()['state'][0]['momentum_buffer'].numpy(),
                                             topt.state_dict()['state'][0]['momentum_buffer'].numpy())


def test_tensor_lr_and_foreach():
    for kwargs in (dict(lr=torch.tensor(0.1), momentum=0.9), dict(lr=0.1, foreach=True)):
        expected, _ = run_optimizer(torch, 'SGD', kwargs, (5,), 'float32', 10)
        kwargs = {k: ember.tensor(0.1) if k == 'lr' and isinstance(v, torch.Tensor) else v
                  for k, v in kwargs.items()}
        actual, _ = run_optimizer(ember, 'SGD', kwargs, (5,), 'float32', 10)
        numpy.testing.assert_array_equal(actual, expected)


def test_params_without_grad_are_skipped():
    def run(lib):
        a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
        opt = lib.optim.SGD([a, b], lr=0.1, momentum=0.9)
        a.grad = lib.tensor([0.5])
        opt.step()
        return a.tolist(), b.tolist(), list(opt.state_dict()['state'])
    assert run(torch) == run(ember)


@pytest.mark.parametrize('kwargs', [
    dict(lr=-1.0), dict(momentum=-0.1), dict(weight_decay=-1.0), dict(nesterov=True),
    dict(momentum=0.9, dampening=0.1, nesterov=True), dict(fused=True, foreach=True),
    dict(fused=True, differentiable=True),
])
def test_errors(kwargs):
    assert_same_error(lambda lib: lib.optim.SGD([lib.tensor([1.0], requires_grad=True)], **kwargs))


def test_tensor_lr_errors():
    assert_same_error(lambda lib: lib.optim.SGD([lib.tensor([1.0], requires_grad=True)],
                                                lr=lib.tensor([0.1, 0.2])))


def test_fused_rejects_integer_params():
    def run(lib):
        w = lib.tensor([1, 2])
        w.grad = lib.tensor([1, 1])
        lib.optim.SGD([w], fused=True).step()
    assert_same_error(run)


LOW_PRECISION_OPTIONS = [dict(lr=0.1, momentum=m, dampening=d, nesterov=n, weight_decay=wd,
                              maximize=mx, foreach=fe)
                         for m, d, n, wd, mx, fe in itertools.product(
                             (0, 0.9), (0, 0.3), (False, True), (0, 0.01), (False, True),
                             (None, True))
                         if not (n and (m == 0 or d != 0)) and not (mx and wd)]


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16', 'complex64', 'complex128'])
@pytest.mark.parametrize('kwargs', LOW_PRECISION_OPTIONS, ids=str)
def test_bit_identical_low_precision_and_complex(kwargs, dtype):
    """torch.add's rounding (float32 opmath, unfused complex), mul_ by the momentum in opmath
    (and rounded to the dtype by foreach's _foreach_mul_)."""
    assert_same_steps('SGD', kwargs, [(3, 1), (40,)], dtype, 8)


@pytest.mark.parametrize('foreach', [None, True])
def test_groups_and_params_without_grad(foreach):
    groups = [{'params': [0], 'lr': 0.05, 'momentum': 0.5},
              {'params': [1, 2], 'nesterov': True, 'momentum': 0.9, 'weight_decay': 0.1}]

    def run(lib):
        ws = [lib.tensor(v, dtype=lib.float16, requires_grad=True)
              for v in ([1.5, -2.0], [[0.25] * 40], [3.0] * 17)]
        opt = lib.optim.SGD([dict(g, params=[ws[i] for i in g['params']]) for g in groups],
                            lr=0.1, foreach=foreach)
        for step in range(6):
            for i, w in enumerate(ws):
                w.grad = None if (step + i) % 3 == 0 else lib.full_like(w, 0.1 * step - 0.3)
            opt.step()
        return ws, opt.state_dict()
    (t_ws, t_sd), (e_ws, e_sd) = run(torch), run(ember)
    assert_same(e_ws, t_ws, exact=True)
    assert repr(e_sd) == repr(t_sd)


def test_foreach_nesterov_overwrites_grad():
    """_multi_tensor_sgd adds the momentum buffer to the gradient in place (when the gradient
    is p.grad itself, without maximize or weight decay)."""
    def run(lib, **kwargs):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, **kwargs)
        for _ in range(3):
            w.grad = lib.tensor([0.5, 0.25])
            opt.step()
        return w.grad.tolist(), w.tolist()
    for kwargs in (dict(foreach=True), dict(foreach=False), dict(foreach=True, maximize=True),
                   dict(foreach=True, weight_decay=0.1)):
        assert run(ember, **kwargs) == run(torch, **kwargs), kwargs


def test_integer_params_reject_float_lr():
    def run(lib, lr):
        w = lib.tensor([1, 2])
        w.grad = lib.tensor([1, 1])
        lib.optim.SGD([w], lr=lr).step()
        return w.tolist()
    assert_same_error(lambda lib: run(lib, 0.1))
    assert run(ember, 1) == run(torch, 1)


@pytest.mark.parametrize('foreach', [None, True])
@pytest.mark.parametrize('nesterov', [False, True])
def test_parameter_listed_twice(foreach, nesterov):
    """torch reads every momentum buffer before updating and writes them back after (the
    last write wins); foreach runs each torch._foreach_ op over all the parameters in turn."""
    import warnings

    def run(lib):
        rng = numpy.random.default_rng(0)
        a, b = (lib.tensor(rng.standard_normal(5), requires_grad=True) for _ in range(2))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            opt = lib.optim.SGD([a, a, b], lr=0.1, momentum=0.9, nesterov=nesterov,
                                weight_decay=0.1, foreach=foreach)
        out = []
        for _ in range(4):
            for p in (a, b):
                p.grad = lib.tensor(rng.standard_normal(5))
            opt.step()
            state = opt.state_dict()['state']
            out.append([a, b, a.grad, sorted(state), [s['momentum_buffer'] for s in state.values()]])
        return out, a._version, a.grad._version
    (t_steps, *t_versions), (e_steps, *e_versions) = run(torch), run(ember)
    assert_same(e_steps, t_steps, exact=True)
    assert e_versions == t_versions


@pytest.mark.parametrize('kwargs', [dict(), dict(maximize=True), dict(foreach=True),
                                    dict(foreach=True, maximize=True)])
def test_weight_decay_tensor_that_requires_grad(kwargs):
    """_single_tensor_sgd adds it by grad.addcmul_ (p.grad itself, unless maximize negated
    it); torch._foreach_add refuses it as alpha."""
    def run(lib):
        w = lib.tensor([1.0, -3.0, 0.3], requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1, weight_decay=lib.tensor(0.1, requires_grad=True),
                            **kwargs)
        w.grad = lib.tensor([0.5, 0.25, 1 / 3])
        opt.step()
        return w, w.grad, w.grad._version
    t, e = both(run)
    if isinstance(t, Exception):
        assert type(t) is type(e) and str(t) == str(e), (t, e)
    else:
        assert_same(e, t, exact=True)


def test_fused_momentum_buffer_missing_after_the_first_step():
    """_fused_sgd makes every buffer on its first step only: a parameter whose first .grad
    comes later is torch's TypeError; the fused dtype check runs once per optimizer."""
    def run(lib, second):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.SGD([a, second(lib)], momentum=0.9, fused=True)
        a.grad = lib.ones(2)
        opt.step()
        opt.param_groups[0]['params'][1].grad = lib.ones(2, dtype=opt.param_groups[0]['params'][1].dtype)
        opt.step()
    assert_same_error(lambda lib: run(lib, lambda lib: lib.tensor([1.0, 2.0], requires_grad=True)))
    assert_same_error(lambda lib: run(lib, lambda lib: lib.tensor([1, 2])))
