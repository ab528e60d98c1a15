"""nn.functional.mse_loss against torch: reductions, broadcasting warning, dtypes, gradients."""
import warnings

import pytest
import torch

import ember
from helpers import assert_same, check, check_grad, gradchecks, sample


@pytest.mark.parametrize('reduction', ['mean', 'sum', 'none'])
@pytest.mark.parametrize('shapes', [((3, 4), (3, 4)), ((), ()), ((3, 4), (4,)), ((0,), (0,))], ids=str)
def test_mse_loss(reduction, shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    fn = lambda T, x, y: T.nn.functional.mse_loss(x, y, reduction=reduction)  # noqa: E731
    check(fn, a, b)
    if shapes[0] != (0,):
        check_grad(fn, a, b, rtol=1e-4, atol=1e-5)
        gradchecks(fn, sample(shapes[0], 'float64', seed=1), sample(shapes[1], 'float64', seed=2))


def test_mse_loss_dtypes_and_errors():
    for da, db in (('float64', 'float32'), ('float16', 'float32'), ('bfloat16', 'bfloat16')):
        check(lambda T, x, y: T.nn.functional.mse_loss(x, y), sample((3,), da), sample((3,), db),
              rtol=1e-2, atol=1e-2)
    check(lambda T, x, y: T.nn.functional.mse_loss(x, y, reduction='avg'), sample((3,), 'float32'), sample((3,), 'float32'))
    check(lambda T, x, y: T.nn.functional.mse_loss(x, y), sample((3,), 'float32'), sample((2,), 'float32'))
    check(lambda T, x, y: T.nn.functional.mse_loss(x, y, size_average=False), sample((3,), 'float32'), sample((3,), 'float32'))


@pytest.mark.parametrize('reduction', ['mean', 'sum', 'none'])
def test_mse_loss_gradient_rounds_as_torchs_kernel(reduction):
    """(norm * (input - target)) * grad in float32, bit for bit, and torch's node names."""
    import numpy as np
    import torch
    import ember
    rng = np.random.default_rng(0)
    x, t, g = (rng.standard_normal(257).astype(np.float32) * 100 for _ in range(3))
    grads = []
    for lib in (torch, ember):
        xi = lib.tensor(x, requires_grad=True)
        loss = lib.nn.functional.mse_loss(xi, lib.tensor(t), reduction=reduction)
        seed = lib.tensor(g) if reduction == 'none' else None
        (grad,) = lib.autograd.grad(loss, xi, seed, create_graph=True)
        grads.append((grad.detach().numpy(), grad.grad_fn.name()))
    np.testing.assert_array_equal(grads[0][0], grads[1][0])
    assert grads[0][1] == grads[1][1] == 'MseLossBackwardBackward0'


@pytest.mark.parametrize('flags', [dict(size_average=False), dict(reduce=False),
                                   dict(size_average=True, reduce=True)])
def test_mse_loss_legacy_flags_warn(flags):
    """size_average / reduce still work, with torch's deprecation warning naming the
    reduction to use instead."""
    results = []
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            loss = lib.nn.functional.mse_loss(lib.tensor([1., 2.]), lib.tensor([0., 4.]), **flags)
        results.append((loss, [(w.category, str(w.message)) for w in caught]))
    assert results[1][1] == results[0][1]
    assert_same(results[1][0], results[0][0])


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16'])
@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_mse_loss_half_precision_reduces_in_float32(dtype, reduction):
    """16-bit losses accumulate in float32 and round once: bit-identical to torch."""
    a, b = sample((7, 9), dtype, seed=1), sample((7, 9), dtype, seed=2)
    check(lambda T, x, y: T.nn.functional.mse_loss(x, y, reduction=reduction), a, b, exact=True)


def test_mse_loss_expands_only_the_broadcast_operand():
    """torch.broadcast_tensors expands only an operand whose shape changes: the other one stays
    a direct edge of MseLossBackward0."""
    names = []
    for lib in (torch, ember):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            x = lib.ones(3, requires_grad=True)
            y = lib.ones(2, 3, requires_grad=True)
            losses = (lib.nn.functional.mse_loss(x, y), lib.nn.functional.mse_loss(x, x * 2))
        names.append([[type(fn).__name__ for fn, _ in loss.grad_fn.next_functions]
                      for loss in losses])
    assert names[1] == names[0]


@pytest.mark.parametrize('reduction', ['mean', 'sum', 'none', 'avg'])
@pytest.mark.parametrize('shapes', [((3, 4), (3, 4), (3, 4)), ((4,), (3, 4), (4,)),
                                    ((3, 4), (3, 4), (4,)), ((3,), (2,), (3,))], ids=str)
def test_mse_loss_weight(reduction, shapes):
    """The weight must have the input's (not the broadcast) size; the weighted branch's own
    invalid-reduction message."""
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    w = sample(shapes[2], 'float32', seed=3, low=0.1, high=2.0)
    check(lambda T, x, y, z: T.nn.functional.mse_loss(x, y, reduction=reduction, weight=z),
          a, b, w, match_message=True)


def test_mse_loss_checks_shapes_before_reduction():
    check(lambda T, x, y: T.nn.functional.mse_loss(x, y, reduction='avg'),
          sample((3,), 'float32'), sample((2,), 'float32'), match_message=True)


@pytest.mark.parametrize('reduction', ['mean', 'sum', 'none'])
def test_mse_loss_of_no_elements_backward(reduction):
    """(2 / numel is inf for 'mean': the gradient is empty, not a ZeroDivisionError.)"""
    def run(T):
        x = T.zeros(0, dtype=T.float64, requires_grad=True)
        loss = T.nn.functional.mse_loss(x, T.zeros(0, dtype=T.float64), reduction=reduction)
        g, = T.autograd.grad(loss.sum(), x, create_graph=True)
        return loss, g, T.autograd.grad(g.sum(), x, allow_unused=True)

    check(run)


def test_mse_loss_of_an_empty_mask():
    def run(T):
        x = T.tensor([1., -2.], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')   # (target size differs)
            loss = T.nn.functional.mse_loss(x[x > 5], T.zeros(1))
        loss.backward()
        return loss, x.grad
    check(run)
