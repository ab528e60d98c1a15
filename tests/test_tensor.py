"""Tensor basics against torch: metadata, Python conversions, NumPy interop, errors."""
import numpy as np
import pytest
import torch

import ember
from helpers import ALL_TORCH_DTYPES, check, dtype_id, sample


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
