"""Indexing against torch: get and set with ints, slices, None, Ellipsis, lists, bool masks and
int tensors; views vs copies, dtypes, errors and gradients."""
import warnings

import numpy as np
import pytest
import torch

from helpers import (ALL_TORCH_DTYPES, check, check_grad, dtype_id, gradchecks, outcomes,
                     raises_same, sample)
import ember

INDICES = {
    'int': lambda T: 1, 'neg_int': lambda T: -1, 'slice': lambda T: slice(1, None),
    'step': lambda T: (slice(None, None, 2), slice(None, None, 3)), 'neg_slice': lambda T: slice(-2, None),
    'tuple': lambda T: (1, 2), 'int_slice': lambda T: (0, slice(1, 3)), 'none': lambda T: None,
    'none_mid': lambda T: (slice(None), None, 1), 'ellipsis': lambda T: (Ellipsis, 1),
    'ellipsis_none': lambda T: (None, Ellipsis, None), 'full': lambda T: (Ellipsis,),
    'empty_slice': lambda T: slice(3, 1), 'oversized_slice': lambda T: slice(-100, 100),
    'list': lambda T: [0, 2, 1], 'list_repeat': lambda T: [1, 1, 0], 'list_neg': lambda T: [-1, 0],
    'nested_list': lambda T: [[0, 1], [2, 0]], 'list_pair': lambda T: ([0, 1], [2, 3]),
    'long_tensor': lambda T: T.tensor([2, 0]), 'long_tensor_2d': lambda T: T.tensor([[1], [0]]),
    'tensor_and_slice': lambda T: (slice(None), T.tensor([3, 0, 1])),
    'int_and_tensor': lambda T: (1, T.tensor([3, 0])), 'zero_dim_tensor': lambda T: T.tensor(1),
    'bool_mask': lambda T: T.tensor([True, False, True]),
    'bool_mask_2d': lambda T: T.tensor([[True, False, True, False]] * 3),
    'bool_list': lambda T: [True, False, True], 'python_true': lambda T: True,
    'python_false': lambda T: False, 'bool_mask_dim1': lambda T: (slice(None), T.tensor([True, False, False, True])),
    'split_advanced': lambda T: (T.tensor([0, 2]), slice(None), T.tensor([1, 3])),
    'empty_list': lambda T: T.tensor([], dtype=T.int64), 'int32_tensor': lambda T: T.tensor([1, 0], dtype=T.int32),
    'uint8_mask': lambda T: T.tensor([1, 0, 1], dtype=T.uint8),
}
ERRORS = {
    'oob_int': lambda T: 3, 'oob_neg': lambda T: -4, 'oob_second': lambda T: (0, 4),
    'oob_tensor': lambda T: T.tensor([0, 5]), 'oob_list': lambda T: [0, 3],
    'too_many': lambda T: (0, 0, 0), 'float_index': lambda T: 1.5,
    'float_tensor': lambda T: T.tensor([1.0]), 'mask_shape': lambda T: T.tensor([True, False]),
    'string': lambda T: 'a',
}


@pytest.mark.parametrize('name', list(INDICES))
def test_getitem(name):
    for dtype in (torch.float32, torch.int64, torch.bool, torch.complex64, torch.bfloat16):
        check(lambda T, a: a[INDICES[name](T)], sample((3, 4), dtype, seed=1), exact=True)
    check(lambda T, a: a[INDICES[name](T)], sample((3, 4, 5), 'float32', seed=1), exact=True)


@pytest.mark.parametrize('name', list(ERRORS))
def test_getitem_errors(name):
    check(lambda T, a: a[ERRORS[name](T)], sample((3, 4), 'float32'))


@pytest.mark.parametrize('name', list(ERRORS))
def test_setitem_errors(name):
    def fn(T, a):
        a[ERRORS[name](T)] = 1.0
    check(fn, sample((3, 4), 'float32'))


def test_zero_dim_indexing():
    x = torch.tensor(3.5)
    check(lambda T, a: a[()], x)
    check(lambda T, a: a[...], x)
    check(lambda T, a: a[None], x)
    check(lambda T, a: a[0], x)
    check(lambda T, a: a[T.tensor(True)], x)


VALUES = {
    'scalar_int': lambda T: 7, 'scalar_float': lambda T: -2.5, 'scalar_bool': lambda T: True,
    'zero_dim': lambda T: T.tensor(9.0), 'row': lambda T: T.tensor([1.0, 2.0, 3.0, 4.0]),
    'col': lambda T: T.tensor([[1.0], [2.0], [3.0]]), 'double': lambda T: T.tensor([1.5], dtype=T.float64),
    'int_tensor': lambda T: T.tensor([5]),
}
SET_INDICES = ['int', 'slice', 'step', 'tuple', 'none_mid', 'ellipsis', 'list', 'list_repeat',
               'long_tensor', 'tensor_and_slice', 'bool_mask', 'bool_mask_2d', 'bool_mask_dim1',
               'split_advanced', 'zero_dim_tensor', 'python_true', 'empty_list']


@pytest.mark.parametrize('index', SET_INDICES)
@pytest.mark.parametrize('value', list(VALUES))
def test_setitem(index, value):
    for dtype in (torch.float32, torch.int32, torch.float16):
        def fn(T, a):
            a = a.clone()
            a[INDICES[index](T)] = VALUES[value](T)
            return a
        check(fn, sample((3, 4), dtype, seed=1), exact=True)


def test_setitem_views_and_versions():
    def fn(T, a):
        a = a.clone()
        row = a[1]
        row[2] = 100.0
        a[:, 0] = -1.0
        col = a[:, 3]
        a[a > 1] = 0.5
        sub = a[[0, 2]]     # advanced: a copy
        sub[0] = 99.0
        return a, row, col, sub, a._version, row._version
    check(fn, sample((3, 4), 'float32'))


def test_setitem_wrong_shape_and_dtype():
    def broadcast_error(T, a):
        a[0] = T.ones(3)
    check(broadcast_error, sample((3, 4), 'float32'))

    def complex_into_float(T, a):
        a[0] = T.tensor([1j, 2j, 3j, 4j])
        return a
    check(complex_into_float, sample((3, 4), 'float32'))

    def float_into_int(T, a):
        a[0] = 2.7
        return a
    check(float_into_int, sample((3, 4), 'int64'))


def test_split_advanced_gradients():
    fn = lambda T, a: a[T.tensor([0, 2]), :, T.tensor([1, 3])] * 2  # noqa: E731
    check_grad(fn, sample((3, 4, 5), 'float32', seed=2))
    gradchecks(fn, sample((3, 2, 4), 'float64', seed=2))


def test_numpy_index():
    x = sample((3, 4), 'float32')
    check(lambda T, a: a[np.array([0, 2])], x)
    check(lambda T, a: a[np.int64(1)], x)
    check(lambda T, a: a[np.array([True, False, True])], x)


GRAD_INDICES = ['int', 'slice', 'step', 'none_mid', 'ellipsis', 'list', 'list_repeat', 'nested_list',
                'long_tensor_2d', 'tensor_and_slice', 'bool_mask', 'bool_mask_2d']


@pytest.mark.parametrize('name', GRAD_INDICES)
def test_getitem_gradients(name):
    check_grad(lambda T, a: a[INDICES[name](T)] * 2, sample((3, 4), 'float32', seed=2))
    gradchecks(lambda T, a: a[INDICES[name](T)] ** 2, sample((3, 4), 'float64', seed=2))


@pytest.mark.parametrize('name', ['int', 'slice', 'list', 'bool_mask', 'tensor_and_slice'])
def test_setitem_gradients(name):
    def fn(T, a, v):
        h = a * 1
        h[INDICES[name](T)] = v.sum() * 3
        return h * a
    check_grad(fn, sample((3, 4), 'float32', seed=2), sample((2,), 'float32', seed=3))
    gradchecks(fn, sample((3, 4), 'float64', seed=2), sample((2,), 'float64', seed=3))


@pytest.mark.parametrize('index', [lambda L: (slice(None), [0, 3]),
                                   lambda L: (slice(0, 2), L.tensor([1, 3])), lambda L: [0, 2],
                                   lambda L: (slice(None), [0, 2], slice(None))])
def test_advanced_index_results_are_contiguous(index):
    """torch writes advanced indexing results of a contiguous tensor contiguously (NumPy lays
    a slice-then-array result out column-first), so strides and is_contiguous() match."""
    def strided(lib):
        out = lib.arange(24.).reshape(2, 3, 4)[index(lib)]
        return out, out.stride(), out.is_contiguous()
    check(strided, exact=True)


@pytest.mark.parametrize('index', [(1, 2, 3, 0), (None, 1, 2, 3, 0), (slice(None), [0, 5]),
                                   ([0, 1], slice(None), [0, 9]), (Ellipsis, [0, 9]), (0, [0, 5]),
                                   (5, [0, 1]), ([[0, 1]], [[0, 9]]), (slice(None), [-9])])
@pytest.mark.parametrize('write', [False, True])
def test_index_errors(index, write):
    """torch's words: "too many indices for tensor of dimension 3", and an out-of-bounds index
    tensor named by its position among the index tensors."""
    def indexed(lib):
        x = lib.arange(24.).reshape(2, 3, 4)
        if write:
            x[index] = 1
        return x[index]
    raises_same(indexed)


@pytest.mark.parametrize('index', ['[T.tensor([0])]', '[..., T.tensor([0]), T.tensor([-1])]',
                                   '[T.tensor([[0]])]', '[:, T.tensor([0])]', '[0]',
                                   '[T.tensor([], dtype=T.long)]'])
@pytest.mark.parametrize('shape', [(0, 3), (3, 0)])
@pytest.mark.parametrize('write', [False, True])
def test_index_tensor_into_an_empty_dim(index, shape, write):
    """torch refuses a non-empty index tensor into a dim of size 0 before it reads any index
    ("index is out of bounds for dimension with size 0")."""
    def indexed(T):
        x = T.ones(shape)
        if write:
            exec(f'x{index} = 1.')
        return eval(f'x{index}')
    check(indexed, match_message=True)


@pytest.mark.parametrize('index', [
    'x[:, None]', 'x[None]', 'x[..., None]', 'x.t()[:, None]', 'x[:, None, 1:]', 'x[None, :, None]',
    'x[:, None][0]', 'x[1:, None]', 'x[:, ::2][:, None]', 'x[0, None]', 'x[None, ..., None]',
    'x[None, ::2]', 'y[None, ::2]', 'y[::2, None]', 'z[None, None]', 'x.expand(2, 2, 3)[:, None]',
    'y[None, m, None]', 'x[None, [0, 1]]', 'x[[0, 1], None]', 'x[None, :, [0, 1]]', 'y[None, m]',
    'x[None, [1]][..., None]', 'x.t()[None, [0, 1]]'])
def test_strides_of_dims_none_makes(index):
    """A size-1 dim's stride is free, and torch's follows how the dim was made: None is
    unsqueeze's (size times stride of the next dim, taken in turn); an advanced index's result
    is contiguous with torch's strides (matmul's folding reads them)."""
    def strides(T):
        x, y, z = T.arange(6.).reshape(2, 3), T.arange(5.), T.tensor(2.)
        m = T.tensor([True, False, True, False, True])
        result = eval(index)
        return result.shape, result.stride(), result.storage_offset(), result.is_contiguous()
    check(strides)


class _Unassignable:
    """A class defined in Python: torch names it bare (its tp_name), not module.name."""


@pytest.mark.parametrize('value', [[7., 8., 9., 10.], (1, 2), np.array([1., 2., 3., 4.]), 'a', None,
                                   np.float32(1.5), np.bool_(True), np.float64(2.5), np.int32(4),
                                   2.7, 1 + 0j, 1 + 2j, float('inf'), -1, True, _Unassignable()])
@pytest.mark.parametrize('dtype', ['float32', 'int64', 'uint8'])
def test_setitem_values(value, dtype):
    """x[i] = value takes a tensor or a number, converted as c10 converts it (its overflow
    errors, uint8 wrapping); anything else is torch's "can't assign a list to a ...Tensor"."""
    def assign(lib):
        x = lib.arange(12).reshape(3, 4).to(getattr(lib, dtype))
        x[0] = value
        return x
    check(assign, exact=True, match_message=True)


# -------------------------------------------------------------------- index forms torch rejects

INDEX_ERRORS = {
    'int8_tensor': lambda T: T.tensor([1, 0], dtype=T.int8),
    'int16_tensor': lambda T: (slice(None), T.tensor([1, -1], dtype=T.int16)),
    'float_tensor': lambda T: T.tensor([1.0, 0.0]), 'empty_float': lambda T: T.tensor([]),
    'negative_step': lambda T: slice(None, None, -1), 'zero_step': lambda T: slice(None, None, 0),
    'negative_step_second': lambda T: (0, slice(3, 0, -2)),
    'mask_too_long': lambda T: T.tensor([True, False, True, False]),
    'mask_dim1': lambda T: (slice(None), T.tensor([True, False])),
    'mask_after_int': lambda T: (0, T.tensor([True, False])),
    'mask_2d': lambda T: T.tensor([[True, False]]),
    'mask_after_none_slice': lambda T: (None, slice(1, None), T.tensor([True, False])),
    'mask_after_tensor': lambda T: (T.tensor([0, 1]), T.tensor([True, False, True])),
    'broadcast_mismatch': lambda T: (T.tensor([0, 1]), T.tensor([0, 1, 2])),
    'broadcast_mismatch_2d': lambda T: (T.tensor([[0], [1]]), T.tensor([[0, 1, 2]] * 3)),
}


@pytest.mark.parametrize('name', list(INDEX_ERRORS))
def test_index_errors_match_torch(name):
    """IndexError / ValueError and torch's message, for get and set."""
    def set_(T, a):
        a[INDEX_ERRORS[name](T)] = 1.0
    x = sample((3, 4, 5), 'float32', seed=2)
    check(lambda T, a: a[INDEX_ERRORS[name](T)], x, match_message=True)
    check(set_, x, match_message=True)


def test_zero_dim_small_int_tensor_index():
    """A 0-dim tensor of any integer dtype is an integer index (int8 tensors with dims aren't
    indices)."""
    x = sample((3, 4), 'float32', seed=3)
    for dtype in (torch.int8, torch.int16, torch.int32, torch.uint8, torch.int64):
        check(lambda T, a, d: a[T.tensor(1, dtype=d)], x, dtype, exact=True)


def _set(index, value):
    def fn(T, a):
        a = a.clone()
        a[index(T)] = value(T)
        return a
    return fn


MASK_FILL_WRITES = {   # one value through one mask: torch's masked_fill_ path
    'uint8_mask_number': (lambda T: T.tensor([1, 0, 1], dtype=T.uint8), lambda T: 7),
    'uint8_mask_0d': (lambda T: T.tensor([1, 0, 1], dtype=T.uint8), lambda T: T.tensor(2.0)),
    'uint8_mask_and_int': (lambda T: (T.tensor([1, 0, 1], dtype=T.uint8), 0), lambda T: 1),
    'uint8_mask_one_element': (lambda T: T.tensor([1, 0, 1], dtype=T.uint8), lambda T: T.ones(1)),
    'uint8_mask_row': (lambda T: T.tensor([1, 0, 1], dtype=T.uint8), lambda T: T.ones(4)),
    'bool_mask_complex': (lambda T: T.tensor([True, False, True]), lambda T: T.tensor(1j)),
    'bool_mask_real_complex': (lambda T: T.tensor([True, False, True]), lambda T: T.tensor(2 + 0j)),
    'bool_mask_overflow': (lambda T: T.tensor([True, False, True]), lambda T: T.tensor(1e300, dtype=T.float64)),
    'bool_mask_int64': (lambda T: T.tensor([True, False, True]), lambda T: T.tensor(5)),
}


@pytest.mark.parametrize('name', list(MASK_FILL_WRITES))
@pytest.mark.parametrize('dtype', [torch.float32, torch.int8], ids=dtype_id)
def test_setitem_one_value_through_mask(name, dtype):
    index, value = MASK_FILL_WRITES[name]
    check(_set(index, value), sample((3, 4), dtype, seed=4), exact=True, match_message=True)


@pytest.mark.parametrize('value', [lambda T: T.tensor([1.0, 2.0, 3.0, 4.0], dtype=T.float64),
                                   lambda T: T.tensor(5), lambda T: T.ones(1, 1, 4),
                                   lambda T: 5, lambda T: T.tensor([1.0, 2.0, 3.0, 4.0])])
@pytest.mark.parametrize('index', [lambda T: True, lambda T: (True, 0), lambda T: (None, False)])
def test_setitem_python_bool_index_dtype(index, value):
    """A Python bool in the index is an index tensor in torch: index_put_'s dtype check."""
    check(_set(index, value), sample((3, 4), 'float32', seed=5), exact=True, match_message=True)


# ------------------------------------------------------------------ found by tests/test_fuzz.py

@pytest.mark.parametrize('code', ['x[0]', 'x[-1]', 'x[3]', 'x[0:1]', 'x[(0,)]', 'x[0] = 2',
                                  'x[0:1] = 2', 'x[3] = 1'])
def test_lone_int_or_slice_of_0d_tensor_errors(code):
    for_both = []
    for lib in (torch, ember):
        x = lib.tensor(3.0)
        with pytest.raises(IndexError) as info:
            exec(code, {'x': x})
        for_both.append(str(info.value))
    assert for_both[0] == for_both[1]


@pytest.mark.parametrize('index', ['[..., 5]', '[None, None, 0, 9]', '[0, ..., 9]', '[:, None, 7]',
                                   '[T.tensor([0]), 7]', '[None, ..., 9]'])
def test_int_out_of_bounds_names_its_place_in_the_index(index):
    check(lambda T: eval('T.ones(2, 3, 4)' + index, {'T': T}), match_message=True)


@pytest.mark.parametrize('code', [
    'y = T.zeros(1, 3); y[None] = x.reshape(3, 1)',       # the value's expand error, not copy_'s
    'y = T.zeros(2, 3, requires_grad=True); y[1:2] = T.ones(2, 6)',   # before the leaf error
    'y = T.zeros(3, requires_grad=True); y[-1, 0, T.tensor([False])] = 1',
    'y = T.zeros(3, 2); y[1:5, T.tensor([-1])] = x.reshape(3, 1)',
    'y = T.zeros(3, requires_grad=True) * 1; y[T.tensor([False, False, False])] = T.ones(2, 3)',
])
def test_setitem_errors_while_recording(code):
    def run(T):
        x = T.ones(3, requires_grad=True)
        exec(code, {'T': T, 'x': x})
    check(run, match_message=True)


# Ints mixed with index tensors: torch applies the ints first, so an int never separates the
# tensors, whose dims then stay in place (NumPy would move them to the front).
INT_AND_TENSOR_INDICES = {
    'int_slice_tensor': lambda T: (0, slice(None), T.tensor([1, 2])),
    'int_none_tensor': lambda T: (0, None, T.tensor([2, -2])),
    'slice_int_none_tensor': lambda T: (slice(None), 0, None, T.tensor([0, 1])),
    'int_ellipsis_tensor': lambda T: (0, Ellipsis, T.tensor([0, 1])),
    'int_slice_mask': lambda T: (0, slice(None), T.tensor([True, False, True, False])),
    'int_slice_2d_tensor': lambda T: (1, slice(1, 3), T.tensor([[0, 1], [2, 3]])),
    'int_slice_column': lambda T: (0, slice(1, 3), T.tensor([[0], [1]])),
    'tensor_slice_int': lambda T: (T.tensor([1, 0]), slice(None), 1),
    'tensor_none_int': lambda T: (T.tensor([0, 1]), None, 0),
    'tensor_int_tensor': lambda T: (T.tensor([1, 0]), 0, T.tensor([1, 2])),
}


@pytest.mark.parametrize('name', list(INT_AND_TENSOR_INDICES))
def test_ints_mixed_with_index_tensors(name):
    index = INT_AND_TENSOR_INDICES[name]
    x = sample((2, 3, 4), 'float64')
    check(lambda T, a: a[index(T)], x)
    check(lambda T, a: a[index(T)].is_contiguous(), x)
    check_grad(lambda T, a: a[index(T)] * 1, x)
    check_grad(lambda T, a: (a * 1).__getitem__(index(T)), x)


@pytest.mark.parametrize('name', list(INT_AND_TENSOR_INDICES))
def test_ints_mixed_with_index_tensors_set(name):
    index = INT_AND_TENSOR_INDICES[name]
    x = sample((2, 3, 4), 'float64')

    def write(T, a, requires_grad):
        region = a[index(T)]
        value = T.arange(region.numel(), dtype=a.dtype).reshape(region.shape)
        a = a.clone().requires_grad_(requires_grad) * 1
        a[index(T)] = value
        a[index(T)] = value[..., :1] * 2 if value.ndim and value.shape[-1] else value  # broadcast
        return a

    check(lambda T, a: write(T, a, False), x)
    check_grad(lambda T, a: write(T, a, True), x)


@pytest.mark.parametrize('code', [
    'x[None, T.tensor([True, True]), -1:5:2] = x', 'x[..., T.tensor([0]), 0] = x[0]',
    'x[0, T.tensor([0, 1])] = x[1, 0, :2]', 'x[0, T.tensor([0, 1])] = x[1, :2]',
    'x[0, 0, T.tensor([0, 1])] = x[0, 0, 2:]', 'x[1:, T.tensor([0, 1])] = x[0, :2]',
    'y = x * 1; y[0, T.tensor([0, 1])] = y[1, :3]', 'y = x * 1; y[0, 0, T.tensor([0, 1])] = y[0, 0, :2]'])
def test_setitem_index_put_overlap_is_with_the_view_written(code):
    """index_put_ checks the value's overlap with the view its basic items make (a strided
    view: an overlap torch can't judge, so the shape error comes first), not the whole tensor."""
    def fn(T):
        x = T.ones(2, 3, 4, requires_grad=code.startswith('y'))
        env = {'x': x, 'T': T}
        exec(code, env)
        return env.get('y', x)
    check(fn, match_message=True)


@pytest.mark.parametrize('code', [
    'x[1:] = x[:-1]', 'x[1:] = x[1]', 'x[1:] = x[1:2]', 'x[:] = x',
    'x[torch_.tensor([0, 1])] = x[2:4]', 'x[torch_.tensor([True, False, True, True, False, True])] = x[2]',
    'y = x * 1; y[1:] = y[1]', 'y = x * 1; y[1:] = y[:-1]', 'y = x * 1; y[[0]] = y',
    'y = x.view(6, 1) * 1; y[torch_.tensor([0]), -1:5:2] = y[:, 0]',
    'y = x.view(6, 1) * 1; y[..., torch_.tensor([False]), -1:5:2] = y',
    'x = x[:0]; x[torch_.tensor([], dtype=torch_.long)] = x',
    'y = x[:0] * 1; y[torch_.tensor([], dtype=torch_.long)] = y',
    'x[torch_.tensor([False, True, False, False, False, False])] = x[0]',
    'y = x * 1; y[torch_.tensor([False, True, False, False, False, False])] = y[0]',
    'y = x * 1; y[torch_.tensor([1])] = y[0]'])
def test_setitem_value_overlapping_target(code):
    """torch's copy_ / index_put_ overlap checks of x[i] = a view of x; a 0-d value is a fill,
    and one value through a mask is masked_fill_'s, which checks no overlap."""
    def fn(t):
        x = t.arange(6.)
        env = {'x': x.requires_grad_() if code.startswith('y') else x, 'torch_': t}
        exec(code, env)
        return env.get('y', env['x'])
    check(fn, match_message=True)


def test_setitem_from_itself_with_new_dims():
    """torch expands the value to the region before its overlap check: x[None, ...] = x is
    a full overlap, allowed, recorded or not (fuzzer seed 2278); index errors come before the
    overlap check (seed 2746)."""
    def write(T, requires_grad):
        x = T.cat([T.tensor([1.0, -2.0, 3.0], requires_grad=requires_grad)] * 2)
        x[None, ...] = x
        return x
    check(lambda T: write(T, False))
    check(lambda T: write(T, True))

    def too_many(T):
        x = T.linspace(-1, 3.5, 5)
        x[T.tensor([4, -2]), T.tensor([0]), 0] = x
    check(too_many, match_message=True)


# A write with index tensors: torch applies the basic items first (applySlicing), and where
# they make a view (an int, None, a bool, a slice other than 0 to the end in steps of 1) it
# writes through that view, so the base records CopySlices; where they leave the tensor
# itself (whole-dim slices, Ellipsis) it records IndexPutBackward0.
SETITEM_GRAD_FNS = {
    'mask_slice': lambda T: (T.tensor([True, False, True]), slice(1, None)),
    'mask_int': lambda T: (T.tensor([True, False, True]), 1),
    'mask_step': lambda T: (T.tensor([True, False, True]), slice(None, None, 2)),
    'none_mask': lambda T: (None, T.tensor([True, False, True])),
    'int_mask': lambda T: (0, T.tensor([True, False, True, False])),
    'slice_tensor': lambda T: (slice(1, None), T.tensor([1, 3])),
    'tensor_stop': lambda T: (T.tensor([2, 0]), slice(None, 2)),
    'tensor_negative_start': lambda T: (T.tensor([2, 0]), slice(-4, None)),  # whole, yet a view
    'tensor_none': lambda T: (T.tensor([2, 0]), None),
    'tensor_slice_tensor': lambda T: (T.tensor([2, 0]), slice(1, None), T.tensor([4, 0])),
    'tensor_ellipsis_slice': lambda T: (T.tensor([2, 0]), Ellipsis, slice(1, None)),
    'tensor_python_bool': lambda T: (T.tensor([2, 0]), True),
    'tensor_0d_int': lambda T: (T.tensor([2, 0]), T.tensor(1)),
    'tensor_0d_bool': lambda T: (T.tensor([2, 0]), T.tensor(True)),
    'numpy_int_tensor': lambda T: (np.int64(1), T.tensor([2, 0])),
    'python_true': lambda T: True, 'false_in_tuple': lambda T: (False,),
    '0d_false': lambda T: T.tensor(False),
    'mask': lambda T: T.tensor([True, False, True]),
    'mask_whole_slice': lambda T: (T.tensor([True, False, True]), slice(None)),
    'tensor_slice_to_end': lambda T: (T.tensor([2, 0]), slice(0, 4)),
    'tensor_slice_past_end': lambda T: (T.tensor([2, 0]), slice(0, 100)),
    'tensor_step_1': lambda T: (T.tensor([2, 0]), slice(None, None, 1)),
    'tensor_ellipsis_tensor': lambda T: (T.tensor([2, 0]), Ellipsis, T.tensor([4, 0])),
    'python_false': lambda T: False,   # torch writes nothing
}


@pytest.mark.parametrize('name', list(SETITEM_GRAD_FNS))
@pytest.mark.parametrize('value', ['number', '0d', 'one_element'])
def test_setitem_grad_fn_of_index_tensor_writes(name, value):
    def write(T):
        a = T.tensor(np.arange(60.).reshape(3, 4, 5), requires_grad=True)
        v = T.tensor([[3.]], dtype=T.float64, requires_grad=True)
        h = a * 1
        values = {'number': 2., '0d': v.sum() * 1, 'one_element': v[0] * 1}
        h[SETITEM_GRAD_FNS[name](T)] = values[value]
        fn, version = h.grad_fn.name(), h._version
        (h * T.arange(1., 61.).reshape(3, 4, 5)).sum().backward()
        return fn, version, h, a.grad, v.grad
    check(write)


@pytest.mark.parametrize('index', ['...', '()', ':', ':, :', '0:2', '::1', ':5', '..., :', 'None',
                                   '0', '-2:', '..., None'])
@pytest.mark.parametrize('value', ['2', 'True', 'T.tensor(2.)', 'T.ones(3)', 'w', 'w * 1',
                                   'T.ones(1, 3)'])
def test_setitem_basic_writes_name_torch_nodes(index, value):
    """torch's copy_to: where a basic index leaves the tensor whole, it is written itself
    (FillBackward3 for a number or 0-d value, else CopyBackwards, after an expand); otherwise
    through a view (CopySlices)."""
    def write(T):
        x = T.ones(2, 3, requires_grad=True) * 1
        w = T.ones(3, requires_grad=True)
        exec(f'x[{index}] = {value}', {'T': T, 'x': x, 'w': w})
        (x * T.arange(1., 7.).reshape(2, 3)).sum().backward()
        return x.grad_fn.name(), x._version, x, w.grad
    check(write)


@pytest.mark.parametrize('code', [
    'x = T.zeros(3, 4, requires_grad=True); x[T.tensor([True, False, True]), 1:] = 2.',
    'x = T.zeros(3, 4, requires_grad=True); x[0, T.tensor([1])] = 2.',
    'x = T.zeros(3, 4, requires_grad=True); x[True] = 2.',
    'x = T.zeros(2, 3) * 1; x[True] = T.ones(5)',   # x.unsqueeze(0).copy_: expand's error
    'x = T.zeros(2, 3, requires_grad=True) * 1; x[True] = T.ones(5)',
])
def test_setitem_errors_through_a_view(code):
    """Written through a view: torch's view-of-a-leaf error, and for x[True] = v copy_'s
    expand error, word for word (the view-of-a-leaf error holds the leaf error's words)."""
    (_, t_error, _), (_, e_error, _) = outcomes(lambda T: exec(code, {'T': T}))
    assert type(e_error) is type(t_error) and str(e_error) == str(t_error)


@pytest.mark.parametrize('requires_grad', [False, True])
def test_setitem_python_bools(requires_grad):
    """x[True] = v is a copy_ to x.unsqueeze(0) (a cast); x[False] = v converts the value and
    writes nothing, not even a version; in a tuple a bool takes no dim."""
    def write(T):
        x = T.arange(6.).reshape(2, 3).requires_grad_(requires_grad) * 1
        x[True] = T.tensor([1, 2, 3])
        x[False] = T.ones(5)
        x[True, 0, 1] = 7.
        return x, x._version
    check(write, exact=True)
    check(lambda T: T.zeros(2).__setitem__(False, 'a'), match_message=True)


# ------------------------------------------------------------------ indexing as torch records it

def _chain(fn):
    """The grad_fn names from ``fn`` back to the first node that is not indexing's."""
    names = []
    while fn is not None and type(fn).__name__ not in ('MulBackward0', 'AccumulateGrad'):
        names.append(type(fn).__name__)
        fn = fn.next_functions[0][0]
    return names


INDEX_CHAINS = [
    'y[0, 1:]', 'y[1:, 0]', 'y[0, 1]', 'y[:, 1:3]', 'y[None, 0]', 'y[..., 1]', 'y[0][1:]',
    'y[[0, 1], 1:]', 'y[1:, [0, 1]]', 'y[0, [1, 2]]', 'y[:, None, 1]', 'y[1:2, 1:3]', 'y[0, ...]',
    'y[-1, ::2]', 'y[:]', 'y[...]', 'y[0:3]', 'y[None]', 'y[True]', 'y[None, None]',
    'y[0:3, 0:4]', 'y[(slice(None),)]', 'y[(0,)]', 'y[(None,)]', 'y[(...,)]', 'y[..., 0, :]',
    'y[:, :, :]', 'y[-3:, 1]', 'y[0:100, 1]', 'y[[slice(1, None)]]', 'y[1:, True]', 'y[1:, False]',
    'y[T.tensor(1), 1:]', 'y[0, None, [1]]', 'y[[0], :, None]', 'y[0, ..., None, 1]',
    'y[None, [1], None, 1:2, [0]]', 'y[[[0, 1]], 1:, [[1], [2]]]', 'y[:, [0, 1], 1:, None]',
    'y[T.tensor([True, False, True]), 1:]', 'y.narrow(0, -3, 3)', 'y.select(1, 0)',
    'y.transpose(0, 1)[1:3, [1, 2], 1]', 'y.transpose(0, 1)[0, [1, 2]]', 'list(y)[1]']


@pytest.mark.parametrize('index', INDEX_CHAINS)
@pytest.mark.parametrize('requires_grad', [True, False])
def test_indexing_records_one_node_per_item_as_torch(index, requires_grad):
    """torch applies an index tuple's items in turn: each int, slice (unless it keeps its whole
    dim) and None is a view op of its own, the index tensors one IndexBackward0 of the last
    view, and an index that leaves the tensor whole its alias; the layout of the result
    follows (strides of size-1 dims and of advanced results of non-contiguous views)."""
    def run(T):
        x = T.arange(12., requires_grad=requires_grad)
        y = x.view(3, 4) * 1
        r = eval(index, {'T': T, 'y': y})
        return _chain(r.grad_fn), r, r.stride(), r.storage_offset() if r._base is not None else -1
    check(run, exact=True)


@pytest.mark.parametrize('layout', ['x', 'x.transpose(0, 2)', 'x[..., ::2]', 'x.permute(1, 2, 0)',
                                    'x[:1].expand(3, 4, 5)', 'x.transpose(0, 1)[:, None]'])
@pytest.mark.parametrize('index', [
    '[i]', '[:, i]', '[..., i]', '[i, :, j]', '[:, i, j]', '[i2, 1:]', '[1:, i2.t()]', '[m]',
    '[:, None, i]', '[0, i, None]', '[i, ..., 0]', '[True, i]', '[i, None, 1:3]'])
def test_advanced_index_result_layout(layout, index):
    """torch's index kernel allocates its result in the order TensorIterator walks the
    (sliced) input and the index tensors: its strides, for any layout of the input."""
    def run(T):
        x = T.arange(60.).reshape(3, 4, 5)
        v = eval(layout, {'x': x})
        i, j = T.tensor([2, 0]), T.tensor([1, 1])
        i2, m = T.tensor([[0, 1], [2, 0]]), v[..., 0] > 20
        r = eval('v' + index, {'v': v, 'i': i, 'j': j, 'i2': i2, 'm': m})
        return r, r.stride()
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    'x[1:1, [0, 7]]', 'x[..., 0:0, [5]]', 'x[[5], 0:0]', 'x[1:1, [0, 7]] = 1.',
    'x[..., 0:0, [5]] = T.ones(3, 0, 1)', 'x[[5], 0:0] = 2.', 'x[:, [0, 7]]', 'x[:, [0, 7]] = 1.',
    'x[:, T.tensor([[0], [1]])] = T.ones(2)', 'x[T.tensor([5]), ..., T.tensor([1])] = T.ones(5)',
    'x[T.tensor([], dtype=T.long)] = T.zeros(2, 0)', 'x[1:1][[0, 1]] = T.zeros(3, 0)'])
def test_index_out_of_bounds_where_nothing_is_read(code):
    """torch finds an index out of bounds only as it reads an element: an empty result (or
    write) is no error; a value that doesn't fit the indexed shape is the error before it."""
    def run(T):
        x = T.arange(12.).reshape(3, 4)
        if ' = ' not in code:
            return eval(code, {'T': T, 'x': x})
        exec(code, {'T': T, 'x': x})
        return x, x._version
    check(run, match_message=True)


@pytest.mark.parametrize('requires_grad', [False, True])
@pytest.mark.parametrize('code', [
    'x[:, [0, 1], ..., [1, 2]] = T.arange(10.).reshape(5, 2)',
    'x[0:5, T.tensor([[0, 1], [0, 1]]), ..., T.tensor([[1, 0], [1, 0]])] = v',
    'x[[0, 1], ..., [2, 1]] = T.arange(8.).reshape(2, 4)',
    'x[True, ..., [True, False, True]] = T.ones(1, 5, 4, 2)',
    'x[..., [0, 2]][..., 1] = 5.', 'x[..., 0] = T.ones(1)', 'x[1] = T.ones(1, 1, 3)',
    'x[0, ..., T.tensor([True, True, False])] = T.ones(4, 2)',
    'x[True, ..., T.tensor([True, False])] = 1.', 'x[0, 0, 0, 0, [1]] = 1.'])
def test_setitem_writes_through_the_view_torch_writes(code, requires_grad):
    """x[index] = value writes through the view the basic items make, indexed by the index
    tensors at their dims: NumPy moves index tensors apart (an Ellipsis between them, even an
    empty one) to the front, torch only those apart in the view. A value of more than 0 dims
    is copied (CopyBackwards), a 0-d one filled."""
    def run(T):
        leaf = T.arange(60., requires_grad=requires_grad)
        x = leaf.view(5, 4, 3) * 1
        v = T.arange(20., requires_grad=requires_grad).reshape(5, 2, 2)
        exec(code, {'T': T, 'x': x, 'v': v})
        if requires_grad:
            (x * T.arange(60.).view(5, 4, 3)).sum().backward()
        return x, _chain(x.grad_fn), leaf.grad, v.grad
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'x[..., T.tensor([True])] = T.ones(3, 1, dtype=T.float16)',
    'x[T.tensor([0, 1]), T.tensor([False])] = T.ones(2, dtype=T.float16)',
    'x[T.tensor([0, 1])] = T.ones(2, dtype=T.float16)', 'x[T.tensor([5])] = T.ones(1)'])
def test_setitem_on_a_leaf_checks_the_leaf_before_index_put(code):
    """index_put_'s index, shape and dtype errors come after its leaf check."""
    def run(T):
        x = T.tensor([-1.25, 0.75, -2.0], dtype=T.float64, requires_grad=True)
        exec(code, {'T': T, 'x': x})
    check(run, match_message=True)


def test_none_dims_of_a_view_of_fortran_ordered_memory():
    """Dims made by None have unsqueeze's strides where the memory is in Fortran order too."""
    def run(T):
        z = T.arange(8.).reshape(4, 2).t() * 1   # a result laid out as its transposed input
        w = z[..., None]
        w[0, 1, 0] = 100.
        return z.stride(), w.stride(), w._base is z, z
    check(run)


@pytest.mark.parametrize('index', ['x[-1:, None]', 'x[1:][None]', 'x[2:, None, None]',
                                   'x[1:, ..., None]', 'x[-1:].unsqueeze(1)'])
@pytest.mark.parametrize('requires_grad', [False, True])
def test_none_index_of_an_empty_slice_past_its_start(index, requires_grad):
    """(fuzzer seed 16617) An empty slice starting past its tensor's first element gets the
    dims None makes (NumPy refused to view its empty buffer at that offset)."""
    def run(T):
        x = T.rand((3, 0), dtype=T.float64, requires_grad=requires_grad)
        x = x * 1 if requires_grad else x
        result = eval(index, {'x': x})
        return result.shape, result.requires_grad
    check(run)


@pytest.mark.parametrize('index', [
    'x[..., ...]', 'x[..., 1, ...]', 'x[1, ..., ...]', 'x[..., None, ...]', 'x[0, ..., 1, ...]',
    'x[None, ..., ...]', 'x[..., ..., ...]', 'x[..., [0, 1], ...]', 'x[..., 1:, ...]',
    'x[..., ..., None]', 'x[..., ..., 0]', 'x[..., 0, ..., 1]', 'T.tensor(5)[..., ...]',
    'x[(0, 1),]', 'x[(0, 1), 1]', 'x[((0, 1), (1, 2))]', 'x[(0, 1), (1, 2)]', 'x[1, (0, 2)]'])
def test_several_ellipses_and_tuples_in_an_index(index):
    """torch reads each Ellipsis after the first as moving past all dims, and a tuple inside an
    index tuple as a sequence (an index tensor)."""
    check(lambda T: eval(index, {'T': T, 'x': T.arange(24).reshape(2, 3, 4)}))


@pytest.mark.parametrize('code', [
    'r = x[[[0, 1], [1, 0]]]', 'r = x[[0, slice(None)]]', 'r = x[[None, 0]]', 'r = x[[0, 1]]',
    'r = x[[True, False]]', 'r = x[T.tensor([1, 0], dtype=T.uint8)]',
    'x[T.tensor([1, 0], dtype=T.uint8)] = T.zeros(1, 3, 4, dtype=T.int64); r = x',
    'x[[[0, 1], [1, 0]]] = 7; r = x', 'x[T.tensor([1, 0], dtype=T.uint8)] = 5'])
def test_deprecated_indices_warn(code):
    def run(T):
        namespace = {'T': T, 'x': T.arange(24).reshape(2, 3, 4), 'r': None}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            exec(code, namespace)
        return [str(w.message) for w in caught], namespace['r']
    check(run, match_message=True)


@pytest.mark.parametrize('index', ['[0, 5]', '[[0, 5]]', '[:, [0, 7]]'])
def test_out_of_range_indices_that_pick_no_element(index):
    """torch's index kernels read nothing, so check no index, where the result is empty."""
    def run(T):
        x = T.zeros(2, 0, dtype=T.float64, requires_grad=True)
        y = eval(f'x{index}', {'x': x})
        y.sum().backward()
        return y, x.grad
    check(run)


@pytest.mark.parametrize('code', [
    'x[T.tensor([0, 2])]', 'x[x > 0]', 'x[[0, 1]]', 'x[T.tensor([True, False, True])]',
    'x[1:]', 'x.masked_fill(x > 1, 0.)', 'set(x.clone(), T.tensor([0]), 5.)',
    'set(x.clone(), T.tensor([0]), w)', 'set(x.clone(), x > 1, 0.)'])
def test_a_second_backward_through_an_index(code):
    """torch saves the index tensors (freed after backward), not basic indices."""
    def set_item(t, index, value):
        t[index] = value
        return t

    def run(T):
        x = T.tensor([1., 2., 3.], requires_grad=True)
        w = T.tensor(2., requires_grad=True)
        y = eval(code, {'T': T, 'x': x, 'w': w, 'set': set_item}).sum()
        y.backward(retain_graph=True)
        y.backward()
        y.backward()
    check(run, match_message=True)


_WRITTEN_INDICES = ['0', 'slice(None)', 'T.tensor([True, False])', 'T.tensor([1])', '(Ellipsis,)']


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16', 'float32', 'int64', 'complex64'])
@pytest.mark.parametrize('value', ['1e10', '-1e300', 'np.float64(1e10)', '2 ** 63 - 1',
                                   '1e10 + 0j', '1e10j', '1e39', 'True'])
@pytest.mark.parametrize('requires_grad', [False, True])
def test_writing_a_number_out_of_a_16_bit_float_range(dtype, value, requires_grad):
    """torch writes a number into a float16/bfloat16 tensor by index through a double tensor
    it casts: inf beyond the range (other dtypes check the conversion: 1e39 into float32;
    a complex's imaginary part is checked converting it to double)."""
    def run(T):
        results = []
        for index in _WRITTEN_INDICES:
            y = T.zeros(2, dtype=getattr(T, dtype), requires_grad=requires_grad and
                        dtype in ('float16', 'bfloat16', 'float32', 'complex64')).clone()
            y[eval(index, {'T': T})] = eval(value, {'np': np})
            results.append(y.detach())
        return results
    check(run, exact=True, match_message=True)


@pytest.mark.parametrize('dtype', ['float16', 'float32', 'int64', 'int8', 'bool', 'complex128'])
@pytest.mark.parametrize('value', ['2 ** 63', '2 ** 64', '-2 ** 63 - 1', '2 ** 63 - 1', '-2 ** 63',
                                   'np.uint64(2 ** 63)', '10 ** 30'])
def test_writing_an_int_beyond_long_long(dtype, value):
    """torch reads an integer written by index as a C long long: beyond it, its ValueError
    whatever the tensor's dtype."""
    def run(T):
        results = []
        for index in _WRITTEN_INDICES:
            y = T.zeros(2, dtype=getattr(T, dtype))
            y[eval(index, {'T': T})] = eval(value, {'np': np})
            results.append(y)
        return results
    check(run, exact=True, match_message=True)


@pytest.mark.parametrize('index', [
    '[:, e]', '[e]', '[..., e]', '[None, 0, e]', '[T.zeros(0, 3, dtype=T.bool)]', '[e, 1]'])
@pytest.mark.parametrize('shape', [(2, 3), (0, 3), (2, 0)])
@pytest.mark.parametrize('form', ['get', 'set', 'set recorded'])
def test_empty_mask_of_another_shape(index, shape, form):
    """An empty bool mask must match the dims it indexes, as any mask (NumPy takes it as an
    empty integer index)."""
    def run(T):
        x = T.zeros(shape, requires_grad=form == 'set recorded').clone()
        names = {'T': T, 'x': x, 'e': T.tensor([], dtype=T.bool)}
        if form == 'get':
            return eval(f'x{index}', names)
        exec(f'x{index} = 1.', names)
        return x.detach()
    check(run, match_message=True)


NUMPY_AND_RANGE_INDICES = [
    'np.int64(1)', 'np.uint8(1)', 'np.array(1)', 'np.array(-1)', 'np.array(1.5)', '(0, np.array(2))',
    'np.array([1.7, 0.2])', 'np.array([[1.9]])', 'np.array([], dtype=float)',
    '(slice(None), np.array([1.2, 2.]))', 'np.array([1, 0], dtype=np.uint16)',
    'np.array([1, 0], dtype=np.uint8)', 'np.array([1], dtype=np.uint8)', 'np.array(True)',
    'np.array(1, dtype=np.uint8)', 'range(2)', 'range(0)', 'range(1, 3)', '(range(2),)',
    '[np.array([0]), 1]', '[0, range(2)]', 'np.float32(1)', 'np.bool_(True)']


@pytest.mark.parametrize('index', NUMPY_AND_RANGE_INDICES)
@pytest.mark.parametrize('form', ['get', 'set', 'set recorded'])
def test_numpy_and_range_index_items(index, form):
    """torch reads NumPy integers and 0-d integer arrays as ints (a view), other arrays and
    ranges as index tensors of their data: int64 (floats truncated) unless bool or uint8, and
    a 0-d one an int; NumPy's floats and bools are invalid indices."""
    def run(T):
        x = T.arange(24.).reshape(2, 3, 4)
        names = {'T': T, 'np': np, 'x': x}
        if form == 'get':
            r = eval(f'x[{index}]', names)
            return r, r._base is x, r.storage_offset()
        if form == 'set recorded':
            names['x'] = x = x.requires_grad_().clone()
        exec(f'x[{index}] = T.tensor(-1.)', names)
        return x.detach(), x._version, type(x.grad_fn).__name__
    check(run, exact=True, match_message=True)


@pytest.mark.parametrize('index', ['T.tensor(1, dtype=T.uint8)', 'T.tensor([1, 0], dtype=T.uint8)',
                                   'np.array([1, 0], dtype=np.uint8)', "'a'", '[range(2)]',
                                   '[np.array([0]), 1]', '[np.int64(0), 1]'])
def test_index_warnings(index):
    """uint8 masks warn but a 0-d one (torch's bool); a list or str holding sequences is
    read as a tuple, with torch's deprecation warning."""
    def warned(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                eval(f'x[{index}]', {'T': T, 'np': np, 'x': T.zeros(2, 3)})
            except (IndexError, TypeError):
                pass
        return [str(w.message) for w in caught]
    assert warned(ember) == warned(torch)


@pytest.mark.parametrize('layout', ['x.transpose(0, 2)', 'x.permute(1, 2, 0)', 'x[:, ::2]',
                                    'x[0, :1].expand(2, 3, 4)'])
@pytest.mark.parametrize('requires_grad', [False, True])
def test_zero_dim_true_mask_of_a_strided_tensor(layout, requires_grad):
    """A lone 0-d True mask is torch's unsqueeze then an index of the new dim by [0]: the
    result is laid out as the input."""
    def run(T):
        x = T.arange(24.).reshape(2, 3, 4).requires_grad_(requires_grad)
        r = eval(layout, {'x': x})[T.tensor(True)]
        return r, r.stride(), type(r.grad_fn).__name__
    check(run, exact=True)


@pytest.mark.parametrize('index', ['T.tensor(True)', 'T.tensor(False)', '0, T.tensor(True)',
                                   'None, T.tensor(False)'])
@pytest.mark.parametrize('value', ['T.tensor(3)', 'T.tensor([3])', 'T.tensor(3.)', '5'])
@pytest.mark.parametrize('requires_grad', [False, True])
def test_write_through_a_zero_dim_mask_is_index_put(index, value, requires_grad):
    """torch indexes by a 0-d mask with an integer index tensor, so a write of one value
    through it is index_put_'s (its dtype check), not masked_fill_'s."""
    def run(T):
        x = T.zeros(3, 4, requires_grad=requires_grad).clone()
        exec(f'x[{index}] = {value}', {'T': T, 'x': x})
        return x.detach(), x._version, type(x.grad_fn).__name__
    check(run, exact=True, match_message=True)


@pytest.mark.parametrize('index', ['0', '1:', '::2', '[0, 0]', 'x > 4', '..., [1, 1]', '...', 'None',
                                   'T.tensor(True)', '0, [1, 2]', 'None, [0, 1]', '1, None'])
def test_gradient_nodes_of_indexing(index):
    """With create_graph, the gradient of an index is made by torch's backward formula's op:
    select_backward, slice_backward, index_put_ into zeros, squeeze (for None), or the
    gradient itself (for a view of everything)."""
    def run(T):
        x = T.arange(12.).reshape(3, 4)
        w = x.clone().requires_grad_()
        y = eval(f'w[{index}]', {'T': T, 'w': w, 'x': x})
        g, = T.autograd.grad((y ** 2).sum(), w, create_graph=True)
        g2, = T.autograd.grad(g.sum(), w)
        return g, g2, type(g.grad_fn).__name__
    check(run, exact=True)


@pytest.mark.parametrize('index', ['2 ** 63', '-2 ** 63 - 1', '2 ** 64', '0, 2 ** 63', '..., 2 ** 64',
                                   '[0], 2 ** 63', '2 ** 63, [0]', '[2 ** 63]', '[0, 2 ** 63]',
                                   '[[2 ** 64]]', '[-2 ** 63]'])
@pytest.mark.parametrize('form', ['get', 'get recorded', 'set', 'set recorded'])
def test_index_int_beyond_long_long(index, form):
    """torch reads the ints of an index (and of a list index) as C long longs: beyond them,
    its ValueError."""
    def run(T):
        x = T.arange(24.).reshape(2, 3, 4).requires_grad_(form.endswith('recorded'))
        if form.startswith('get'):
            return eval(f'x[{index}]', {'x': x})
        x = x.clone()
        exec(f'x[{index}] = 1.', {'x': x})
        return x.detach()
    check(run, match_message=True)


@pytest.mark.parametrize('index', ['[1.5, 0.2]', '[1e20]', '[float("nan")]', '[[0, 1.5]]', '[1 + 0j]',
                                   '[T.tensor(1.5), 0]', 'np.array([1, 0])[::-1]',
                                   'np.array([1], dtype=np.uint32)', 'np.array([1.5, np.nan])[:1]',
                                   'np.array([1], dtype=object)', 'np.array(["a"])'])
def test_list_and_array_index_conversion(index):
    """torch stores a list index's items as int64 (its overflow errors; floats truncated) and
    reads an array index's own memory (its errors for strides and dtypes it can't read: their
    message lists uint16 to uint64, which ember lacks)."""
    check(lambda T: eval(f'x[{index}]', {'T': T, 'np': np, 'x': T.arange(6.).reshape(2, 3)}),
          exact=True, match_message='dtype=object' not in index and '"a"' not in index)
