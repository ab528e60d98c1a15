"""matmul / @ against torch: every rank combination, dtypes, errors, gradients."""
import pytest
import torch

from helpers import ALL_TORCH_DTYPES, check, check_grad, dtype_id, gradchecks, raises_same, sample

SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
          ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 4)),
          ((5, 2, 3), (3,)), ((2, 1, 2, 3), (3, 3, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
          ((0,), (0,))]


@pytest.mark.parametrize('shapes', SHAPES, ids=str)
def test_shapes(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y: x @ y, a, b, rtol=1e-5, atol=1e-5)
    check(lambda T, x, y: T.matmul(x, y), a, b, rtol=1e-5, atol=1e-5)
    check(lambda T, x, y: x.matmul(y), a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_dtypes(dtype):
    for shapes in SHAPES[:7]:
        a, b = sample(shapes[0], dtype, seed=1, low=-3, high=3), sample(shapes[1], dtype, seed=2, low=-3, high=3)
        check(lambda T, x, y: x @ y, a, b, rtol=1e-2, atol=1e-2)


def test_mixed_dtype_errors():
    check(lambda T, x, y: x @ y, sample((2, 3), 'float32'), sample((3, 2), 'float64'))
    check(lambda T, x, y: x @ y, sample((3,), 'float32'), sample((3,), 'int64'))
    check(lambda T, x, y: x @ y, sample((2, 3, 3), 'float32'), sample((3, 2), 'float64'))


@pytest.mark.parametrize('shapes', [((2, 3), (4, 2)), ((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 2)),
                                    ((5, 2, 3), (4, 2)), ((5, 2, 3), (4, 3, 2)), ((), (3,)),
                                    ((3,), ()), ((2, 2, 3), (3, 3, 2))], ids=str)
def test_shape_errors(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y: x @ y, a, b)


def test_non_tensor_operand():
    check(lambda T, x: x @ 2, sample((2, 2), 'float32'))
    check(lambda T, x: T.matmul(x, [[1.0, 2.0], [3.0, 4.0]]), sample((2, 2), 'float32'))


def test_out():
    a, b = sample((2, 3), 'float32', seed=1), sample((3, 4), 'float32', seed=2)

    def fn(T, x, y):
        out = T.empty(0)
        assert T.matmul(x, y, out=out) is out
        return out
    check(fn, a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('shapes', SHAPES[:-3], ids=str)
def test_gradients(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check_grad(lambda T, x, y: x @ y, a, b, rtol=1e-4, atol=1e-5)
    gradchecks(lambda T, x, y: x @ y, sample(shapes[0], 'float64', seed=3),
               sample(shapes[1], 'float64', seed=4), second_order=len(shapes[0]) < 3)


def test_complex_gradients():
    a, b = sample((2, 3), 'complex64', seed=1), sample((3, 2), 'complex64', seed=2)
    check_grad(lambda T, x, y: x @ y, a, b, rtol=1e-4, atol=1e-5)
    check_grad(lambda T, x, y: x[0] @ y, a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_mixed_dtype_error_names_the_types(dtype):
    """"expected m1 and m2 to have the same dtype, but got: signed char != double": C++ names."""
    other = 'float32' if str(dtype) == 'torch.float64' else 'float64'
    raises_same(lambda L: L.ones(2, 2, dtype=getattr(L, str(dtype)[6:]))
                @ L.ones(2, 2, dtype=getattr(L, other)))


RANKS = [((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 4)), ((2, 3), (4, 4)), ((2, 2, 3), (4,)),
         ((3,), (2, 4, 4)), ((2, 5, 2, 3), (4, 4)), ((2, 2, 3), (2, 4, 4)), ((2, 2, 3), (3, 3, 4)),
         ((2, 2, 3), (3, 4, 4)), ((3, 1), (5, 4, 3, 2)), ((2, 2, 2, 3), (2, 4, 4)),
         ((2, 0, 3), (4,)), ((0, 2, 3), (0, 4, 5))]


@pytest.mark.parametrize('shapes', RANKS + [(a, a[:-2] + (a[-1], 2) if len(a) > 1 else a)
                                            for a, _ in RANKS if 0 not in a], ids=str)
def test_error_messages_by_rank(shapes):
    """Shape errors come before dtype errors (except for dot), and name the sizes of the
    kernel torch folds the operands into; dtype and bool errors name that kernel too.
    (torch's bmm skips its dtype check for empty operands: not reproduced.)"""
    sa, sb = shapes
    for da, db in ((torch.float32, torch.float32), (torch.float32, torch.float64),
                   (torch.float64, torch.int32), (torch.bool, torch.bool)):
        check(lambda T, a, b: a @ b, torch.ones(sa, dtype=da), torch.ones(sb, dtype=db),
              match_message=True)


@pytest.mark.parametrize('shapes', [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
                                    ((2, 3), (3, 4)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4)),
                                    ((2, 2, 3), (3, 4)), ((2, 2, 3), (2, 3, 4))], ids=str)
@pytest.mark.parametrize('out_dtype', [torch.float64, torch.int64, torch.float32], ids=dtype_id)
def test_out_dtype(shapes, out_dtype):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y, d: T.matmul(x, y, out=T.empty(0, dtype=d)), a, b, out_dtype,
          rtol=1e-5, atol=1e-5, match_message=True)
    if len(shapes[0]) == len(shapes[1]) == 2:
        check(lambda T, x, y, d: T.mm(x, y, out=T.empty(0, dtype=d)), a, b, out_dtype,
              rtol=1e-5, atol=1e-5, match_message=True)


DOT_MV_BMM = {
    'dot': ((3,), (3,)), 'dot_2d': ((2, 3), (3,)), 'dot_size': ((3,), (4,)),
    'mv': ((2, 3), (3,)), 'mv_1d': ((3,), (3,)), 'mv_2d': ((2, 3), (2, 3)), 'mv_size': ((2, 3), (4,)),
    'bmm': ((2, 2, 3), (2, 3, 4)), 'bmm_2d': ((2, 3), (3, 2)), 'bmm_2d_second': ((2, 2, 3), (3, 2)),
    'bmm_no_broadcast': ((1, 2, 3), (2, 3, 2)), 'bmm_inner': ((2, 2, 3), (2, 4, 2)),
}


@pytest.mark.parametrize('name', list(DOT_MV_BMM))
@pytest.mark.parametrize('dtypes', [(torch.float32, torch.float32), (torch.float32, torch.float64),
                                    (torch.int64, torch.int64), (torch.bool, torch.bool)], ids=str)
def test_dot_mv_bmm(name, dtypes):
    """torch.dot / mv / bmm (functions and methods): rank, size, dtype checks and values."""
    fn = name.split('_')[0]
    (sa, sb), (da, db) = DOT_MV_BMM[name], dtypes
    a, b = sample(sa, da, seed=1), sample(sb, db, seed=2)
    check(lambda T, x, y: getattr(T, fn)(x, y), a, b, rtol=1e-5, atol=1e-5, match_message=True)
    check(lambda T, x, y: getattr(x, fn)(y), a, b, rtol=1e-5, atol=1e-5, match_message=True)


@pytest.mark.parametrize('name', ['dot', 'mv', 'bmm'])
def test_dot_mv_bmm_gradients(name):
    sa, sb = DOT_MV_BMM[name]
    fn = lambda T, x, y: getattr(T, name)(x, y)  # noqa: E731
    check_grad(fn, sample(sa, 'float64', seed=1), sample(sb, 'float64', seed=2))
    check_grad(fn, sample(sa, 'complex128', seed=1), sample(sb, 'complex128', seed=2))
    gradchecks(fn, sample(sa, 'float64', seed=1), sample(sb, 'float64', seed=2))


ADJOINTS = {
    'mT': lambda T, a: a.mT, 'mH': lambda T, a: a.mH, 'adjoint': lambda T, a: T.adjoint(a),
    'adjoint_method': lambda T, a: a.adjoint(), 'H': lambda T, a: a.H,
}


@pytest.mark.parametrize('name', list(ADJOINTS))
@pytest.mark.parametrize('shape', [(3, 4), (2, 3, 4), (4,), ()], ids=str)
@pytest.mark.parametrize('dtype', [torch.float32, torch.complex64, torch.int64], ids=dtype_id)
def test_conjugate_transposes(name, shape, dtype):
    check(ADJOINTS[name], sample(shape, dtype, seed=3), exact=True, match_message=True)


@pytest.mark.parametrize('name', list(ADJOINTS))
def test_conjugate_transpose_gradients(name):
    check_grad(lambda T, a: ADJOINTS[name](T, a) * 2, sample((3, 4), 'complex128', seed=4))
    gradchecks(ADJOINTS[name], sample((3, 4), 'float64', seed=5))


def test_transposes_of_0d_warn_once_each():
    """mT, mH, H and adjoint() of a 0-D tensor: TORCH_WARN_ONCE deprecations, one per name."""
    import subprocess
    import sys
    script = ('import warnings; warnings.simplefilter("always"); import {0} as T; x = T.tensor(1.);'
              'x.mT; x.mT; x.mH; x.H; x.adjoint(); x.adjoint()')
    outputs = [subprocess.run([sys.executable, '-c', script.format(name)], capture_output=True,
                              text=True).stderr.splitlines() for name in ('torch', 'ember')]
    assert [line.split('Warning: ')[-1] for line in outputs[1]] == \
        [line.split('Warning: ')[-1] for line in outputs[0]]
    assert len(outputs[0]) == 4
