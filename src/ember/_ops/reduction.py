"""Reductions: sum, mean, and sum_to (what the engine un-broadcasts gradients with)."""
import operator

from .. import _dtype
from .._arguments import invalid_combination, not_tensor, type_name, wrong_type
from .._device import array_module, cast
from .._dtype import dtype_arg
from .._tensor import Tensor, _wrap_dim
from ..autograd.grad_mode import state as grad_state
from .pointwise import DivBackward1, _opmath_param
from .primitive import Primitive, check_out_grad, write_out
from .shape import _is_dim, _sizes


def _reduced_dims(dim, ndim, name):
    """dim argument of reduction ``name`` -> sorted tuple of non-negative dims (None: all of
    them), with torch's argument errors."""
    if dim is None:
        return tuple(range(ndim))
    if dim.__class__ is int:
        dim = _wrap_dim(dim, ndim)
        return (dim,) if ndim else ()
    wrapped = [_wrap_dim(d, ndim) for d in _dim_list(dim, name)]
    if len(set(wrapped)) != len(wrapped):
        repeated = next(d for i, d in enumerate(wrapped) if d in wrapped[:i])
        raise RuntimeError(f'dim {repeated} appears multiple times in the list of dims')
    dims = tuple(sorted(wrapped))
    if ndim == 0:
        return ()   # a 0-dim tensor accepts dim 0 / -1 and has nothing to reduce
    return dims or tuple(range(ndim))


def _dim_list(dim, name):
    """The ints of a dim argument that is not one int, as torch's parser reads them (checking
    an int list's first item only)."""
    if not isinstance(dim, (tuple, list)) or dim and dim[0].__class__ is bool:
        if _is_dim(dim):  # a NumPy int, a 0-d int tensor
            return (operator.index(dim),)
        raise invalid_combination(name, (dim,), (), (
            '(*, torch.dtype dtype = None)',
            '(tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)'))
    dims = []
    for pos, d in enumerate(dim):
        if not hasattr(d, '__index__'):
            error = f'type must be tuple of ints,but got {type(d).__name__}'
        elif not -2 ** 63 <= operator.index(d) < 2 ** 63:
            error = 'Overflow when unpacking long long'
        else:
            dims.append(operator.index(d))
            continue
        raise TypeError(f"{name}(): argument 'dim' failed to unpack the object at pos {pos + 1} "
                        f'with error "{error}"')
    return tuple(dims)


def _expand_back(grad, ctx):
    """A reduced gradient broadcast back over the input's shape, as ATen's sum_backward: the
    dims reduced away unsqueezed back one by one (a reduction of all dims expands its 0-d
    gradient as it is)."""
    if not ctx.keepdim and ctx.__class__ not in _ALL_DIMS:
        for d in ctx.dims:
            grad = grad.unsqueeze(d)
    return grad.expand(ctx.input_shape)


class SumBackward0(Primitive):
    """sum over all elements."""

    def forward(ctx, a, dims, keepdim, dtype):
        ctx.input_shape = a.shape
        if dtype is not None:
            a = _complex_cast(a, dtype)
        result_dtype = a.dtype if dtype is None else dtype
        if result_dtype in _HALF_PRECISION:
            # 16-bit floats (the input cast to the result's dtype) accumulate in float32
            # (torch's opmath type), then round once
            return _contiguous(_add_reduce(a.astype(result_dtype, copy=False), dims, keepdim,
                                           'float32').astype(result_dtype), a)
        return _contiguous(_add_reduce(a, dims, keepdim, dtype), a)

    def backward(ctx, grad):
        _check_real_input(ctx, grad)
        return _expand_back(grad, ctx)


class SumBackward1(SumBackward0):
    """sum over the given dims."""


_HALF_PRECISION = (_dtype.float16.np, _dtype.bfloat16.np)
_FLOAT32 = _dtype.float32.np


def _complex_cast(a, dtype):
    """A complex input reduced into a real ``dtype``: its real part, as torch casts the input
    first (with its warning)."""
    return cast(a, dtype) if a.dtype.kind == 'c' else a


def _contiguous(result, a):
    """A reduction's ``result`` with the contiguous strides torch allocates it with (NumPy's
    follow the order of a non-contiguous input ``a``)."""
    return result.copy() if result.ndim > 1 and not a.flags.c_contiguous else result


def _add_reduce(a, dims, keepdim, dtype):
    """a.sum(...) called as the ufunc itself, so that NumPy's float warnings (inf - inf) come
    from ember's code, where ember mutes them, not from NumPy's own sum wrapper."""
    return array_module(a).add.reduce(a, axis=dims, dtype=dtype, keepdims=keepdim)


def _check_real_input(ctx, grad):
    """torch's engine error for the complex gradient of a real input (a sum or mean of it
    with a complex dtype=), which no formula turns real there."""
    if grad.dtype.category == _dtype.COMPLEX and ctx._input_meta[0][1].category < _dtype.COMPLEX:
        raise RuntimeError('Expected isFloatingType(grad.scalar_type()) || (input_is_complex == '
                           'grad_is_complex) to be true, but got false.  (Could this error '
                           'message be improved?  If so, please report an enhancement request '
                           'to PyTorch.)')


def mean_of(a, dims=None, keepdim=False, dtype=None, count=None):
    """torch's mean on arrays: the sum, then divided by the count (as ATen's mean_out does;
    also far cheaper than NumPy's mean on small arrays)."""
    result_dtype = a.dtype if dtype is None else dtype
    if result_dtype in _HALF_PRECISION:
        # a 16-bit float mean is summed (of the input cast to float32, a complex one's real
        # part) and divided in float32, then rounded once
        total = _add_reduce(_complex_cast(a, _FLOAT32), dims, keepdim, _FLOAT32)
        return (total / (a.size if count is None else count)).astype(result_dtype)
    if dtype is not None:
        a = _complex_cast(a, dtype)
    total = _add_reduce(a, dims, keepdim, dtype)
    return total / (a.size if count is None else count)


class MeanBackward0(Primitive):
    """mean over all elements."""

    def forward(ctx, a, dims, keepdim, dtype):
        ctx.input_shape = a.shape
        count = 1
        for d in dims:
            count *= a.shape[d]
        ctx.count = count
        return _contiguous(mean_of(a, dims, keepdim, dtype, count), a)

    def backward(ctx, grad):
        _check_real_input(ctx, grad)
        grad = _expand_back(grad, ctx)   # then divided, as ATen's mean_backward
        return DivBackward1.apply(grad, ctx.count, **_opmath_param(grad, ctx.count))


class MeanBackward1(MeanBackward0):
    """mean over the given dims."""


_ALL_DIMS = (SumBackward0, MeanBackward0)


def _sum_dtype(input, dtype):
    if dtype is not None:
        return dtype.np
    if input.dtype.category < _dtype.FLOAT:
        return _dtype.int64.np
    return None


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    """torch.sum: integer and bool inputs sum to int64 unless dtype is given."""
    dim, keepdim = _numpy_names(dim, keepdim, axis, keepdims)
    if dtype is not None:
        dtype = dtype_arg(dtype, 'sum')
    if keepdim.__class__ is not bool:
        raise _not_bool('sum', input, dim, keepdim)
    if out is not None:
        _check_out(out, input, 'sum')
        dtype = out.dtype if dtype is None else dtype   # torch sums straight into out's dtype
    try:
        dims = _reduced_dims(dim, input.ndim, 'sum')
    except AttributeError:
        raise not_tensor('sum', input) from None
    _check_out_dtype(dtype, out)
    if dtype is not None and dtype.category < _dtype.FLOAT and input.requires_grad and \
            grad_state.enabled:
        raise RuntimeError(f'Autograd not support dtype: {dtype.scalar_name}')
    op = SumBackward0 if dim is None else SumBackward1
    result = op.apply(input, dims=dims, keepdim=keepdim, dtype=_sum_dtype(input, dtype))
    return result if out is None else write_out(result, out, op)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    """torch.mean: floating or complex inputs only (or dtype= one)."""
    dim, keepdim = _numpy_names(dim, keepdim, axis, keepdims)
    if not isinstance(input, Tensor):
        raise not_tensor('mean', input)
    if keepdim.__class__ is not bool:
        raise _not_bool('mean', input, dim, keepdim)
    if dim is not None and dim.__class__ is not int:
        _dim_list(dim, 'mean')   # (torch's parser checks its type before the dtype)
    if dtype is not None:
        dtype = dtype_arg(dtype, 'mean')
    if out is not None:
        _check_out(out, input, 'mean')
        if dim is None and not _dtype.can_cast(input.dtype, out.dtype):   # (mean.dtype_out's)
            raise RuntimeError(f"mean.dtype_out(): input types can't be cast to the desired "
                               f'output type {out.dtype.scalar_name}')
    if (dtype or input.dtype).category < _dtype.FLOAT:
        which = 'Input' if dtype is None else 'Optional'
        raise RuntimeError(
            f'mean(): could not infer output dtype. {which} dtype must be either a floating point '
            f'or complex dtype. Got: {(dtype or input.dtype).scalar_name}')
    dims = _reduced_dims(dim, input.ndim, 'mean')
    _check_out_dtype(dtype, out)
    op = MeanBackward0 if dim is None else MeanBackward1
    if out is None:
        return op.apply(input, dims=dims, keepdim=keepdim, dtype=dtype.np if dtype else None)
    if out.dtype.category < _dtype.FLOAT:
        # torch sums into out, then its division's float result can't be cast to out's dtype
        write_out(SumBackward1.apply(input, dims=dims, keepdim=keepdim, dtype=out.dtype.np),
                  out, op)
        raise RuntimeError(f"result type {_dtype.get_default_dtype().scalar_name} can't be cast "
                           f'to the desired output type {out.dtype.scalar_name}')
    # the mean is computed in out's dtype, as torch's mean_out does
    return write_out(op.apply(input, dims=dims, keepdim=keepdim, dtype=out.dtype.np), out, op)


def _check_out(out, input, name):
    """torch's first checks of an out= (a tensor, and no autograd: before all others)."""
    if not isinstance(input, Tensor):
        raise not_tensor(name, input)
    check_out_grad(name, out, input)


def _not_bool(name, input, dim, keepdim):
    """torch's TypeError for a keepdim that is not a bool (1, None, a NumPy bool); torch.mean
    lists its overloads there."""
    error = wrong_type(name, 'keepdim', 2, f'must be bool, not {type_name(keepdim)}')
    if name == 'mean':
        error.in_function = lambda: invalid_combination('mean', (input, dim, keepdim), (), (
            '(Tensor input, *, torch.dtype dtype = None, Tensor out = None)',
            '(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = '
            'None, Tensor out = None)'))
    return error


def _check_out_dtype(dtype, out):
    """torch's error for an out= whose dtype is not the dtype= given."""
    if dtype is not None and out is not None and out.dtype is not dtype:
        raise RuntimeError(f'Expected out tensor to have dtype {dtype.cpp_name}, but got '
                           f'{out.dtype.cpp_name} instead')


def _numpy_names(dim, keepdim, axis, keepdims):
    """dim and keepdim, also given by NumPy's names axis= and keepdims= (torch takes both)."""
    return (dim if axis is None else axis), (keepdim if keepdims is None else keepdims)


def sum_to(grad, shape):
    """Sum ``grad`` down to ``shape`` (leading dims and size-1 dims it was broadcast over)."""
    lead = grad.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and grad.shape[i + lead] != 1)
    if dims:
        grad = sum(grad, dims, keepdim=True)
    return grad.reshape(shape) if lead else grad


def sum_to_size(input, *size):
    """torch.Tensor.sum_to_size: sum broadcast dims away to reach ``size``."""
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    size, shape = _sizes(size), input._data.shape
    if len(size) > len(shape) or any(s != 1 and s != t for s, t in zip(size[::-1], shape[::-1])):
        raise RuntimeError(f'size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.')
    return sum_to(input, size)


TENSOR_METHODS = {'sum': sum, 'mean': mean, 'sum_to_size': sum_to_size}
FUNCTIONS = ('sum', 'mean')
