"""Tensor basics against torch: metadata, Python conversions, NumPy interop, errors."""
import numpy as np
import pytest
import torch

import ember
from helpers import (ALL_TORCH_DTYPES, assert_same, check, check_grad, dtype_id, raises_same,
                     sample)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_metadata_and_conversions(dtype):
    for shape in ((), (3,), (2, 3), (0, 2)):
        x = sample(shape, dtype, seed=1)
        check(lambda T, a: (a.shape, a.size(), a.dim(), a.ndim, a.numel(), a.dtype, a.device,
                            a.is_floating_point(), a.tolist(), a.element_size()), x)
        check(lambda T, a: a.size(-1), x)
        check(lambda T, a: len(a), x)
        check(lambda T, a: [t for t in a], x)
        check(lambda T, a: a.item(), x)
        check(lambda T, a: (bool(a), float(a) if not a.is_complex() else 0, int(a) if not a.is_complex() else 0), x)
        check(lambda T, a: [10, 20, 30][a], x)
        if dtype is not torch.bfloat16:   # torch refuses bfloat16 here; ember hands out ml_dtypes
            check(lambda T, a: np.asarray(a).tolist(), x)


def test_size_prints_like_torch():
    x = torch.zeros(3, 4)
    e = ember.zeros(3, 4)
    assert repr(e.shape) == repr(x.shape) == 'torch.Size([3, 4])'
    assert str(e.size()) == str(x.size())
    assert e.shape == (3, 4) and e.shape[1:] == x.shape[1:] and type(e.shape[1:]) is ember.Size


def test_numpy_shares_memory_and_requires_grad_error():
    for lib in (torch, ember):
        t = lib.zeros(3)
        n = t.numpy()
        n[0] = 4
        assert t[0].item() == 4
        t[1] = 7
        assert n[1] == 7
        with pytest.raises(RuntimeError, match='requires grad'):
            lib.ones(2, requires_grad=True).numpy()
        assert lib.ones(2, requires_grad=True).detach().numpy().tolist() == [1, 1]


def test_scalar_conversion_errors():
    x = sample((3,), 'float32')
    check(lambda T, a: a.item(), x)
    check(lambda T, a: bool(a), x)
    check(lambda T, a: float(a), x)
    check(lambda T, a: int(a), x)
    check(lambda T, a: [1, 2, 3][a], x)
    check(lambda T, a: [1, 2, 3][a[0]], x)
    check(lambda T, a: len(a[0]), x)
    check(lambda T, a: list(a[0]), x)
    check(lambda T, a: a.size(2), x)


def test_clone_independent():
    def fn(T, a):
        c = a.clone()
        c[0] = 100
        return a, c
    check(fn, sample((3,), 'float32'))


@pytest.mark.parametrize('expression', [
    lambda L: L.ones(2) == None, lambda L: L.ones(2) != None,  # noqa: E711
    lambda L: L.ones(2) == 'a', lambda L: None == L.ones(2),  # noqa: E711
    lambda L: L.ones(2) == [1, 1], lambda L: L.ones(2) < None,
    lambda L: L.ones(2) + None, lambda L: None + L.ones(2), lambda L: L.ones(2) * 'ab',
    lambda L: L.ones(2) @ None, lambda L: L.ones(2) ** 'a', lambda L: [1] + L.ones(2)])
def test_operators_with_foreign_operands(expression):
    """torch's binary operators turn a TypeError into NotImplemented, so Python tries the
    other operand: x == None is False, x + None is Python's own TypeError."""
    check(expression, match_message=True)


def test_data():
    """.data: the same memory out of the graph with a version counter of its own; assigning
    it swaps the memory (shape and dtype too) and keeps requires_grad."""
    results = []
    for lib in (torch, ember):
        w = lib.ones(3, requires_grad=True)
        d = w.data
        state = [d.requires_grad, d.is_leaf, d.grad_fn is None]
        d.add_(1)
        state += [w._version, d._version, w.data.data_ptr() == w.data_ptr()]
        x = lib.ones(2, requires_grad=True)
        z = x * x
        x.data.mul_(3)   # escapes the version check, as in torch
        z.sum().backward()
        w.data = lib.zeros(2, 2, dtype=lib.float64)
        results.append((state, w, x.grad, (w * 1).grad_fn is not None))
    assert_same(*results)
    raises_same(lambda L: setattr(L.ones(2), 'data', [1, 2]))


@pytest.mark.parametrize('shape', [(2, 3), (2, 3, 4), (3,), ()])
def test_T(shape):
    """Tensor.T reverses the dims by a permute (torch warns once for other than 2 dims)."""
    check_grad(lambda L, a: a.T * 1, sample(shape, 'float64'))
    check(lambda L: L.zeros(shape).T.stride())


@pytest.mark.parametrize('name', ['torch.DoubleTensor', 'torch.LongTensor', 'torch.BoolTensor',
                                  'DoubleTensor', 'foo'])
def test_type_by_name(name):
    check(lambda L: L.ones(2, 3).type(name), exact=True)


def test_bool_of_empty_and_many():
    raises_same(lambda L: bool(L.tensor([])))
    raises_same(lambda L: bool(L.ones(2)))


@pytest.mark.parametrize('expression', [
    lambda L: np.exp(L.ones(2)), lambda L: np.add(L.ones(2), 1),
    lambda L: np.greater(L.ones(2), 0),
    lambda L: np.array([1., 2.]) + L.ones(2), lambda L: L.ones(2) * np.array([2.5]),
    lambda L: np.asarray(L.ones(2, requires_grad=True)),
    lambda L: L.ones(2, 2).reshape(np.int64(4)),
    lambda L: L.zeros(np.int64(3)),
    lambda L: (2 in L.tensor([1, 2]), L.tensor([1, 2]).__contains__(L.tensor(3))),
    lambda L: L.tensor([1, 2]).__contains__('a')])
def test_numpy_interplay(expression):
    """NumPy ufuncs on tensors give tensors (torch's __array_wrap__: bool results as uint8), an
    ndarray operand works through them, __array__ refuses tensors that require grad as
    numpy() does, and NumPy ints are sizes."""
    check(expression, exact=True, match_message=True)


@pytest.mark.parametrize('expression', [
    lambda L, s: (4,) + s, lambda L, s: s + (4,), lambda L, s: s * 2, lambda L, s: 2 * s,
    lambda L, s: s[1:], lambda L, s: s + [4], lambda L, s: L.Size([2.5]), lambda L, s: L.Size(['a']),
    lambda L, s: L.Size([L.tensor(2), np.int64(3), True])])
def test_size(expression):
    """torch.Size stays a Size through + and * (a list is refused), and holds only ints
    (NumPy ints, bools and 0-d int tensors are read as ints)."""
    check(lambda L: repr(expression(L, L.Size([2, 3]))), match_message=True)
