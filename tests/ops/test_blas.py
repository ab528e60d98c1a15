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
