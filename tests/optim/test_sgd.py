"""ember.optim.SGD against torch.optim.SGD: bit-identical parameters after many steps."""
import itertools

import numpy
import pytest
import torch

import ember
from test_optimizer import assert_same_error, run_optimizer

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
