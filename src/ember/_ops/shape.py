"""Shape ops: views (view, reshape, transpose, permute, expand, squeeze, unsqueeze),
joining (cat, stack), copies (clone, to) and broadcasting rules."""
import collections.abc
import math
import operator

from .. import _dtype
from .._arguments import (MethodArgumentError, described, int_argument, invalid_combination,
                          is_index, is_int_argument, tensor_argument, type_name, wrong_type)
from .._device import device as device_type
from .._device import (array_module, as_device, broadcast_view, cast, iteration_order,
                       laid_out, unavailable, with_strides)
from .._tensor import Size, Tensor, _wrap_dim, contiguous_format
from .._warnings import warn_once
from ..autograd.grad_mode import state as grad_state
from .primitive import (OVERLAP_MESSAGE, Primitive, check_inplace_allowed,
                        check_no_partial_overlap, check_output_shape, warn_resized, write_out)


def infer_size(*shapes):
    """The shape operands of these shapes broadcast to, with ATen's infer_size error: it names
    the last mismatching dim, between the shapes before (a) and this one (b)."""
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        offset = ndim - len(shape)
        for i in range(len(shape) - 1, -1, -1):
            size, j = shape[i], i + offset
            if size == result[j] or size == 1:
                continue
            if result[j] != 1:
                raise RuntimeError(f'The size of tensor a ({result[j]}) must match the size of '
                                   f'tensor b ({size}) at non-singleton dimension {j}')
            result[j] = size
    return Size(result)


def broadcast_shapes(*shapes):
    """torch.broadcast_shapes: the shape tensors of these shapes (or ints) broadcast to."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    for shape in shapes:
        if not isinstance(shape, collections.abc.Sequence):
            raise RuntimeError('Input shapes should be of type ints, a tuple of ints, or a list of '
                               f'ints, got {shape}')
    common = [1] * max((len(s) for s in shapes), default=0)
    for position, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == common[i]:
                continue
            if common[i] == 1:
                if shape[i] < 0:
                    raise ValueError('Attempting to broadcast a dimension with negative length!')
                common[i] = shape[i]
            elif shape[i] != 1:
                raise RuntimeError(
                    f'Attempting to broadcast a dimension of length {shape[i]} at {i}! Mismatching '
                    f'argument at index {position} had {shape}; but expected shape should be '
                    f'broadcastable to {common}')
    return Size(common)


def _sizes(args, keyword=None, name=None, argument='size'):
    """Sizes given as f(2, 3), f((2, 3)), f(torch.Size([2, 3])) or by keyword
    (f(size=(2, 3)), passed here as ``keyword``); with ``name``, torch's TypeError where its
    parser reads no sizes: a bool first (it checks only the first item of an int list)."""
    if keyword is not None:
        if args and name is not None:
            raise TypeError(f"{name}() got multiple values for argument '{argument}'")
        args = (keyword, *args)
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
        if name is not None and args and _not_size(args[0]):
            raise wrong_type(name, argument, 1, 'must be tuple of ints, but found element of '
                                                f'type {type_name(args[0])} at pos 0')
    elif name is not None and (not args or _not_size(args[0])):
        raise _no_sizes(name, argument, args)
    try:
        return tuple(map(operator.index, args))
    except TypeError:
        if name is None:
            raise
        raise _unpack_error(name, argument, args) from None


def _not_size(value):
    """Whether torch's parser refuses ``value`` as the first item of an int list (it checks
    only that one): a bool or no integer (NumPy ints and 0-d int tensors are integers)."""
    return not is_int_argument(value, symint=True)


def _no_sizes(name, argument, args):
    """torch's TypeError for sizes given one by one that are none, or don't start with an int
    (then its parser takes them for one tuple of ints and extra arguments)."""
    if not args:
        return TypeError(f'{name}() missing 1 required positional arguments: "{argument}"')
    if len(args) > 1:
        return TypeError(f'{name}() takes 1 positional argument but {len(args)} were given')
    return wrong_type(name, argument, 1, f'must be tuple of ints, not {type_name(args[0])}')


def _unpack_error(name, argument, sizes):
    """torch's TypeError for a later item of an int list that is no integer."""
    position, value = next((i, v) for i, v in enumerate(sizes, 1) if not is_index(v))
    return TypeError(f"{name}(): argument '{argument}' failed to unpack the object at pos "
                     f'{position} with error "type must be tuple of ints,but got '
                     f'{type_name(value)}"')


def infer_shape(shape, numel):
    """Resolve one -1 in a view/reshape target shape, with torch's errors."""
    # (min without default=: its keyword parsing costs more than the rest of this check)
    if -1 not in shape and math.prod(shape) == numel and (not shape or min(shape) >= 0):
        return shape
    shape = list(shape)
    unknown, known = [], 1
    for i, s in enumerate(shape):   # in order, as torch's errors
        if s == -1:
            if unknown:
                raise RuntimeError('only one dimension can be inferred')
            unknown.append(i)
        elif s < 0:
            raise RuntimeError(f'invalid shape dimension {s} at index {i} of shape {shape}')
        else:
            known *= s
    if unknown and known != 0 and numel % known == 0:
        shape[unknown[0]] = numel // known
    elif unknown and numel == 0:
        raise RuntimeError(f'cannot reshape tensor of 0 elements into shape {shape} because the '
                           'unspecified dimension size -1 can be any value and is ambiguous')
    elif unknown or known != numel:
        raise RuntimeError(f"shape '{list(_sizes_for_message(shape, unknown))}' is invalid for "
                           f"input of size {numel}")
    return tuple(shape)


def _sizes_for_message(shape, unknown):
    return [-1 if i in unknown else s for i, s in enumerate(shape)]


# -------------------------------------------------------------------- views

class Reshape(Primitive):
    """Same elements, new shape; the gradient is reshaped back. The base of the family
    (view, reshape's copy, squeeze, unsqueeze), which differ in torch's names and checks."""

    def forward(ctx, a, shape):
        ctx.input_shape = a.shape
        return a.reshape(shape)

    def backward(ctx, grad):
        return reshape_to(grad, ctx.input_shape)


class ViewBackward0(Reshape):
    is_view = True

    def forward(ctx, a, shape):
        out = Reshape.forward(ctx, a, shape)
        if out.base is not (a if a.base is None else a.base):  # NumPy had to copy
            raise RuntimeError('view size is not compatible with input tensor\'s size and stride '
                               '(at least one dimension spans across two contiguous subspaces). '
                               'Use .reshape(...) instead.')
        # NumPy's strides of size-1 dims are torch's only for a contiguous input without any
        if 1 in shape and out.size and not (a.flags.c_contiguous and 1 not in a.shape):
            strides = _view_strides(a, shape)
            if strides != out.strides:
                out = with_strides(out, strides)
        return out


def _view_strides(a, shape):
    """The strides (bytes) torch gives a view of array ``a`` (not empty) in ``shape``
    (ATen's computeStride): a size-1 dim gets the stride of the elements that follow it in its
    chunk of ``a``'s memory (a run of dims that NumPy could merge)."""
    if not a.ndim:
        return (a.itemsize,) * len(shape)
    strides = [0] * len(shape)
    view_d, chunk_stride = len(shape) - 1, a.strides[-1]
    tensor_numel = view_numel = 1
    for d in range(a.ndim - 1, -1, -1):
        tensor_numel *= a.shape[d]
        if d and (a.shape[d - 1] == 1 or a.strides[d - 1] == tensor_numel * chunk_stride):
            continue   # dim d - 1 continues this chunk
        while view_d >= 0 and (view_numel < tensor_numel or shape[view_d] == 1):
            strides[view_d] = view_numel * chunk_stride
            view_numel *= shape[view_d]
            view_d -= 1
        if d:
            chunk_stride, tensor_numel, view_numel = a.strides[d - 1], 1, 1
    return tuple(strides)


class ViewDtype(Primitive):
    """view(dtype): the memory read as another dtype (see _view_dtype)."""
    differentiable = False

    def forward(ctx, a, dtype):
        return a.view(dtype.np)


class ReshapeAliasBackward0(ViewBackward0):
    """reshape of a non-contiguous tensor whose memory can be viewed in the new shape (torch
    reshapes it with _reshape_alias, contiguous ones with view)."""


class UnsafeViewBackward0(Reshape):
    """reshape of a tensor whose memory can't be viewed in the new shape, applied to its clone
    (a view of that fresh copy, which autograd does not track as a view)."""


class TransposeBackward0(Primitive):
    is_view = True

    def forward(ctx, a, dim0, dim1):
        if not a.ndim:
            return a.view()  # 0-d: dims 0 / -1, an alias
        axes = list(range(a.ndim))  # ndarray.transpose(axes): cheaper than swapaxes
        axes[dim0], axes[dim1] = dim1, dim0
        return a.transpose(axes)

    def backward(ctx, grad):
        return grad.transpose(ctx.dim0, ctx.dim1)


class TBackward0(Primitive):
    is_view = True

    def forward(ctx, a):
        return a.T

    def backward(ctx, grad):
        return grad.t()


class PermuteBackward0(Primitive):
    is_view = True

    def forward(ctx, a, dims):
        return a.transpose(dims)

    def backward(ctx, grad):
        inverse = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inverse[d] = i
        return grad.permute(inverse)


class ExpandBackward0(Primitive):
    """Broadcast to a larger shape without copying; the engine sums the gradient back."""
    is_view = True

    def forward(ctx, a, shape):
        if 1 not in shape or not a.ndim:
            return broadcast_view(a, shape)
        if _reshapes_to(a, shape):
            return a.reshape(shape)
        out = broadcast_view(a, shape)   # NumPy's strides of size-1 dims are not torch's
        strides = _expanded_strides(a, shape)
        return out if strides == out.strides or not out.size else with_strides(out, strides)

    def backward(ctx, grad):
        return grad


def _expanded_strides(a, shape):
    """The strides (bytes) torch gives array ``a`` (not 0-d) expanded to ``shape``: a dim kept
    keeps its stride, a repeated one has 0, and a new leading dim of size 1 the size times the
    stride of the dim after it."""
    lead = len(shape) - a.ndim
    strides = [0] * lead + [stride if size == shape[lead + i] else 0
                            for i, (size, stride) in enumerate(zip(a.shape, a.strides))]
    for i in range(lead - 1, -1, -1):
        if shape[i] == 1:
            strides[i] = shape[i + 1] * strides[i + 1]
    return tuple(strides)


def _reshapes_to(a, shape):
    """Whether NumPy's reshape of array ``a`` (a cheap view) is its expansion to ``shape`` with
    torch's strides: nothing repeated, of a contiguous array without size-1 dims."""
    return math.prod(shape) == a.size and a.flags.c_contiguous and 1 not in a.shape


class SqueezeBackward0(Reshape):
    """squeeze() of every size-1 dim (``dims``: those dropped; the others keep their strides)."""
    is_view = True

    def forward(ctx, a, dims):
        ctx.input_shape = a.shape
        return a.squeeze(dims)


class SqueezeBackward1(SqueezeBackward0):
    """squeeze(dim)."""


class SqueezeBackward2(SqueezeBackward0):
    """squeeze(dims)."""


class UnsqueezeBackward0(SqueezeBackward0):
    """unsqueeze(dim): torch's stride for the new dim is the size times the stride of the dim
    it comes before (1 element at the end)."""

    def forward(ctx, a, dim):
        shape = ctx.input_shape = a.shape
        out = a.reshape(shape[:dim] + (1,) + shape[dim:])
        if (1 in shape or not a.flags.c_contiguous) and out.size:   # NumPy's strides may differ
            strides = a.strides
            stride = shape[dim] * strides[dim] if dim < len(shape) else a.itemsize
            strides = strides[:dim] + (stride,) + strides[dim:]
            if out.strides != strides:
                out = with_strides(out, strides)
        return out


class AliasBackward0(Primitive):
    is_view = True

    def forward(ctx, a):
        return a.view()

    def backward(ctx, grad):
        return grad


# -------------------------------------------------------------------- joining, copies

class CatBackward0(Primitive):
    """torch.cat; 1-d empty operands take part in type promotion only (as in torch, which
    skips them) and get an empty gradient."""
    promote = 'common'

    def forward(ctx, *arrays, dim):
        joined = [a for a in arrays if a.shape != (0,)] or arrays[:1]
        ctx.sizes = [None if a.shape == (0,) else a.shape[dim] for a in arrays]
        return _joined_layout(array_module(arrays[0]).concatenate(joined, axis=dim), arrays)

    def backward(ctx, grad):
        pieces, start = [], 0
        for size in ctx.sizes:
            if size is None:
                pieces.append(grad.new_zeros(0))
                continue
            pieces.append(grad.narrow(ctx.dim, start, size))
            start += size
        return tuple(pieces)


def _joined_layout(out, arrays):
    """cat's (and stack's) result laid out as torch's: contiguous, unless every input is a 4-d
    channels-last one (NumPy's concatenate follows its inputs' layout)."""
    if out.flags.c_contiguous or all(a.ndim == 4 and a.transpose(0, 2, 3, 1).flags.c_contiguous
                                     for a in arrays):
        return out
    return array_module(out).ascontiguousarray(out)


class StackBackward0(Primitive):
    promote = 'common'

    def forward(ctx, *arrays, dim):
        # concatenate of size-1 views: the same as xp.stack, without its Python-level checks
        index = (slice(None),) * dim + (None,)
        return _joined_layout(array_module(arrays[0]).concatenate([a[index] for a in arrays],
                                                                  axis=dim), arrays)

    def backward(ctx, grad):
        return tuple(grad.select(ctx.dim, i) for i in range(grad.shape[ctx.dim]))


class CloneBackward0(Primitive):
    """A copy laid out as the input (torch's preserve_format: a dense input's strides, else
    its dims in the order of their strides), or C-contiguous with ``contiguous=True``."""

    def forward(ctx, a, contiguous=False):
        if contiguous:
            return a.copy(order='C')
        out = a.copy(order='C') if a.flags.c_contiguous else laid_out(
            a, iteration_order(a.shape, [a.strides]), copy=True)
        if 1 in a.shape and out.size and _dense_as(out, a):
            out = with_strides(out, a.strides)   # torch's empty_strided keeps size-1 strides
        return out

    def backward(ctx, grad):
        return grad


def _dense_as(out, a):
    """Whether dense array ``out`` has ``a``'s strides in every dim of size above 1 (then
    ``a`` is dense too, and torch's copy of it keeps all of its strides)."""
    return out.strides != a.strides and all(
        size == 1 or s == t for size, s, t in zip(a.shape, out.strides, a.strides))


class FlipBackward0(Primitive):
    """A copy reversed along ``dims``, laid out as the input (preserve_format, as clone)."""

    def forward(ctx, a, dims):
        flipped = array_module(a).flip(a, dims)
        return laid_out(flipped, iteration_order(a.shape, [a.strides]), copy=True)

    def backward(ctx, grad):
        return FlipBackward0.apply(grad, dims=ctx.dims)


class ToCopyBackward0(Primitive):
    """A cast (or device copy); the engine casts the gradient back to the input's dtype."""

    def forward(ctx, a, dtype):
        return cast(a, dtype.np, copy=True)

    def backward(ctx, grad):
        return grad


class CopyBackwards(Primitive):
    """dst.copy_(src): src broadcast and cast into dst's memory."""
    copies = True

    def name(self):
        return 'torch::autograd::CopyBackwards'

    def forward(ctx, dst, src):
        xp = array_module(dst)
        if getattr(src, 'shape', dst.shape) != dst.shape:
            check_output_shape(dst.shape, src.shape)
        return xp.broadcast_to(cast(xp.asarray(src), dst.dtype), dst.shape)

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape), grad


# -------------------------------------------------------------------- public functions

def view(input, *shape, size=None, dtype=None):
    """torch.Tensor.view(*shape), or view(dtype) reading the same memory as another dtype."""
    if dtype is not None or len(shape) == 1 and isinstance(shape[0], (_dtype.dtype, type)):
        if shape and dtype is not None or size is not None:
            kwargs = {k: v for k, v in (('size', size), ('dtype', dtype)) if v is not None}
            raise invalid_combination('view', shape, kwargs,
                                      ('(torch.dtype dtype)', '(tuple of ints size)'))
        return _view_dtype(input, _dtype.dtype_arg(dtype or shape[0], 'view'))
    if not shape and size is None or shape and (size is not None or _starts_without_size(shape)):
        raise _view_error(shape, {} if size is None else {'size': size})
    shape = infer_shape(_sizes(shape, size, 'view'), input._data.size)
    return ViewBackward0.apply(input, shape=shape)


def _starts_without_size(sizes):
    """Whether torch's parser refuses these sizes of view: it checks an int list's first item."""
    first = sizes[0]
    if len(sizes) == 1 and isinstance(first, (tuple, list)):
        return bool(first) and _not_size(first[0])
    return _not_size(first)


def _view_error(sizes, kwargs):
    """torch's TypeError for view given no sizes, sizes twice or a bool first; with one
    argument its notes say why each overload refused it."""
    signatures = ['(torch.dtype dtype)', '(tuple of ints size)']
    if len(sizes) == 1 and not kwargs:
        signatures = [f"{s}\n      didn't match because some of the arguments have invalid types: "
                      f'(!{described(sizes[0])}!)' for s in signatures]
    return invalid_combination('view', sizes, kwargs, signatures)


def _view_dtype(input, dtype):
    """Tensor.view(dtype), with torch's checks where the element size changes (the last dim
    then holds more or fewer elements). Not differentiable, and not a view autograd tracks,
    though writes through it count in the input's version, as torch's."""
    old = input.dtype
    if old.itemsize != dtype.itemsize:
        how = f'to view {old.scalar_name} as {dtype.scalar_name} (different element sizes)'
        if not input.ndim:
            raise RuntimeError(f'self.dim() cannot be 0 {how}')
        strides, ratio = input.stride(), dtype.itemsize // old.itemsize
        # torch's order: a larger element checks size and offset before the strides
        if ratio > 1:
            _check_divisible(ratio, how, [('size(-1)', input._data.shape[-1]),
                                          ('storage_offset()', input.storage_offset())])
        if strides[-1] != 1:
            raise RuntimeError(f'self.stride(-1) must be 1 {how}, but got {strides[-1]}')
        if ratio > 1:
            _check_divisible(ratio, how, [(f'stride({i})', s) for i, s in enumerate(strides[:-1])])
    result = ViewDtype.apply(input, dtype=dtype)
    result._vc = input._vc
    return result


def _check_divisible(ratio, how, values):
    """view(dtype)'s error for the first of these (name, value) not divisible by ``ratio``."""
    for what, value in values:
        if value % ratio:
            raise RuntimeError(f'self.{what} must be divisible by {ratio} {how}, but got {value}')


def reshape(input, shape):
    """torch.reshape: a view when the memory allows, else a copy."""
    if not isinstance(shape, (tuple, list)):
        raise wrong_type('reshape', 'shape', 1, f'must be tuple of ints, not {type_name(shape)}')
    return _reshape_method(input, shape)


def _reshape_method(input, *sizes, shape=None):
    """Tensor.reshape: the sizes also one by one, or by keyword."""
    return reshape_to(input, infer_shape(_sizes(sizes, shape, 'reshape', 'shape'),
                                         input._data.size))


def reshape_to(input, shape):
    """reshape to a valid shape tuple (no -1): a view when the memory allows, else a copy."""
    if input._data.flags.c_contiguous:
        return ViewBackward0.apply(input, shape=shape)
    try:
        return ReshapeAliasBackward0.apply(input, shape=shape)
    except RuntimeError:  # torch: _unsafe_view(input.clone()), two nodes
        return UnsafeViewBackward0.apply(CloneBackward0.apply(input, contiguous=True), shape=shape)


def view_as(input, other):
    return view(input, tensor_argument('view_as', other, 'other').shape)


def reshape_as(input, other):
    return reshape(input, tensor_argument('reshape_as', other, 'other').shape)


def flatten(input, start_dim=0, end_dim=-1):
    start_dim = int_argument('flatten', 'start_dim', 1, start_dim)
    end_dim = int_argument('flatten', 'end_dim', 2, end_dim)
    ndim = input.ndim
    start, end = _wrap_dim(start_dim, ndim), _wrap_dim(end_dim, ndim)
    if ndim == 0:
        return reshape(input, (1,))
    if start > end:
        raise RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim')
    if start == end:
        return input   # torch returns the tensor itself, not a view
    shape = input.shape
    middle = 1
    for s in shape[start:end + 1]:
        middle *= s
    return reshape(input, tuple(shape[:start]) + (middle,) + tuple(shape[end + 1:]))


def transpose(input, dim0, dim1):
    return _transposed(input, dim0, dim1, 'transpose')


def swapdims(input, dim0, dim1):
    return _transposed(input, dim0, dim1, 'swapdims')


def swapaxes(input, axis0, axis1):
    """torch.swapaxes: transpose under NumPy's argument names."""
    return _transposed(input, axis0, axis1, 'swapaxes', _AXIS_NAMES)


_DIM_NAMES, _AXIS_NAMES = ('dim0', 'dim1'), ('axis0', 'axis1')


def _transposed(input, dim0, dim1, name, arguments=_DIM_NAMES):
    """transpose, swapdims, swapaxes and their in-place variants: errors name them."""
    dim0 = int_argument(name, arguments[0], 1, dim0)
    dim1 = int_argument(name, arguments[1], 2, dim1)
    ndim = input._data.ndim
    return TransposeBackward0.apply(input, dim0=_wrap_dim(dim0, ndim), dim1=_wrap_dim(dim1, ndim))


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f't() expects a tensor with <= 2 dimensions, but self is {input.ndim}D')
    return TBackward0.apply(input)


def permute(input, dims):
    """torch.permute: the dims reordered."""
    return _permute_method(input, dims)


def _permute_method(input, *order, dims=None):
    """Tensor.permute: the dims reordered (given as permute(2, 0, 1), permute((2, 0, 1)) or
    permute(dims=(2, 0, 1)))."""
    if not order and dims is None:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _sizes(order, dims, 'permute', 'dims')
    ndim = input.ndim
    if len(dims) != ndim:
        raise RuntimeError(f'permute(sparse_coo): number of dimensions in the tensor input does '
                           f'not match the length of the desired ordering of dimensions i.e. input.dim() = '
                           f'{ndim} is not equal to len(dims) = {len(dims)}')
    dims = tuple(_wrap_dim(d, ndim) for d in dims)
    if len(set(dims)) != ndim:
        raise RuntimeError('permute(): duplicate dims are not allowed.')
    return PermuteBackward0.apply(input, dims=dims)


def _reversed_dims(input):
    """Tensor.T: the dims reversed by a permute; torch warns once (per process) that this is
    deprecated for other than 2 dims, and once for 0-d tensors."""
    ndim = input.ndim
    if ndim != 2:
        warn_once(_T_WARNINGS[min(ndim, 1)])
    return PermuteBackward0.apply(input, dims=tuple(range(ndim - 1, -1, -1)))


_T_WARNINGS = (
    'Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. '
    '(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)',
    'The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated '
    'and it will throw an error in a future release. Consider `x.mT` to transpose batches of '
    'matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a '
    'tensor. (Triggered internally at '
    '/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)')


def expand(input, *sizes, size=None, implicit=False):
    sizes = _sizes(sizes, size, 'expand')
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f'expand({input._c10_type()}{{{list(shape)}}}, size={list(sizes)}): the '
                           f'number of sizes provided ({len(sizes)}) must be greater or equal to '
                           f'the number of dimensions in the tensor ({len(shape)})')
    target = list(sizes)
    offset = len(sizes) - len(shape)
    for i in range(len(sizes) - 1, -1, -1):   # last dim first, as ATen checks
        size = sizes[i]
        existing = shape[i - offset] if i >= offset else 1
        if size == -1:
            if not shape:   # torch expands a 0-d tensor to the sizes as given
                raise RuntimeError('numel: integer multiplication overflow')
            if i < offset:
                raise RuntimeError(f'The expanded size of the tensor (-1) isn\'t allowed in a leading, '
                                   f'non-existing dimension {i}')
            target[i] = existing
        elif existing != 1 and existing != size:
            raise RuntimeError(f'The expanded size of the tensor ({size}) must match the existing '
                               f'size ({existing}) at non-singleton dimension {i}.  Target sizes: '
                               f'{list(sizes)}.  Tensor sizes: {list(shape)}')
    try:
        return ExpandBackward0.apply(input, shape=tuple(target))
    except RuntimeError:   # NumPy's negative dimensions: torch's fail computing the numel
        if min(target) < 0:
            raise RuntimeError('numel: integer multiplication overflow') from None
        raise


def expand_as(input, other):
    return expand(input, tensor_argument('expand_as', other, 'other').shape)


def broadcast_to(input, size):
    return expand(input, _sizes((size,), None, 'broadcast_to'))


def _broadcast_to_method(self, *sizes, size=None):
    """Tensor.broadcast_to, which also takes the sizes one by one (as Tensor.expand)."""
    return expand(self, _sizes(sizes, size, 'broadcast_to'))


_ALL_DIMS = object()   # squeeze without dim (torch's overload squeeze(Tensor input))


def squeeze(input, dim=_ALL_DIMS):
    """torch.squeeze: drop size-1 dims (all, one, or a tuple of them)."""
    shape = input._data.shape
    if dim is _ALL_DIMS:
        return SqueezeBackward0.apply(input, dims=tuple(i for i, s in enumerate(shape) if s == 1))
    if dim.__class__ is int or _is_dim(dim):
        d = _wrap_dim(dim, len(shape))
        return SqueezeBackward1.apply(input, dims=(d,) if shape and shape[d] == 1 else ())
    if not _is_dim_list(dim):
        raise _squeeze_error('squeeze', (input,), dim)
    dims = _distinct_dims(dim, len(shape))
    dropped = tuple(d for d in sorted(dims) if shape and shape[d] == 1)   # (a 0-d one: none)
    return SqueezeBackward2.apply(input, dims=dropped)


def _is_dim(value):
    """An int argument as torch's parser takes it: no bool (nor None, float, float tensor...)."""
    return is_int_argument(value, symint=True)


def _is_dim_list(value):
    return isinstance(value, (tuple, list)) and all(map(_is_dim, value))


def _squeeze_method(self, *dims, dim=_ALL_DIMS):
    """Tensor.squeeze, which also takes the dims one by one (x.squeeze(0, 2))."""
    return squeeze(self, _squeeze_method_dim('squeeze', self, dims, dim))


def _squeeze_method_dim(name, self, dims, dim):
    """The dim of x.squeeze(*dims, dim=dim), with torch's errors where it takes none."""
    if dims and dim is not _ALL_DIMS or len(dims) > 1 and not _is_dim(dims[0]):
        raise invalid_combination(name, dims, {} if dim is _ALL_DIMS else {'dim': dim},
                                  [f'({s})' for s in _SQUEEZE_OVERLOADS])
    if len(dims) > 1:   # the dims one by one: later ones may be bools (as ints)
        for position, d in enumerate(dims, 1):
            if not hasattr(d, '__index__'):
                raise TypeError(f"{name}(): argument 'dim' failed to unpack the object at pos "
                                f'{position} with error "type must be tuple of ints,but got '
                                f'{type_name(d)}"')
        return tuple(map(operator.index, dims))
    dim = dims[0] if dims else dim
    if not (dim is _ALL_DIMS or _is_dim(dim) or _is_dim_list(dim)):
        raise _squeeze_error(name, (), dim, keyword=not dims)
    return dim


_SQUEEZE_OVERLOADS = ('', 'int dim', 'tuple of ints dim')


def _squeeze_error(name, leading, dim, keyword=False):
    """torch's TypeError for a squeeze dim no overload takes (``leading``: the function's
    input, none for the method); its note on each overload says why it failed."""
    value = f'!dim={described(dim)}!' if keyword else f'!{described(dim)}!'
    marked = ', '.join(['Tensor'] * len(leading) + [value]) + (', )' if keyword and not leading
                                                               else ')')
    why = "\n      didn't match because some of the arguments have invalid types: ("
    signatures = []
    for overload in _SQUEEZE_OVERLOADS:
        params = ', '.join(['Tensor input'] * len(leading) + [overload] * bool(overload))
        if not overload and leading:
            note = ''       # the function's (Tensor input) takes fewer arguments
        elif not overload and keyword:
            note = "\n      didn't match because some of the keywords were incorrect: dim"
        else:
            note = why + marked
        signatures.append(f'({params}){note}')
    args, kwargs = (*leading, dim), {}
    if keyword:
        args, kwargs = leading, {'dim': dim}
    return invalid_combination(name, args, kwargs, signatures)


def _distinct_dims(dims, ndim):
    """The wrapped dims of a dim list, with torch's error for one given twice."""
    wrapped = set()
    for d in dims:
        d = _wrap_dim(d, ndim)
        if d in wrapped:
            raise RuntimeError(f'dim {d} appears multiple times in the list of dims')
        wrapped.add(d)
    return wrapped


def unsqueeze(input, dim):
    dim = int_argument('unsqueeze', 'dim', 1, dim)
    return UnsqueezeBackward0.apply(input, dim=_wrap_dim(dim, input._data.ndim + 1))


def narrow(input, dim, start, length):
    """torch.narrow: ``length`` elements from ``start`` (may be negative) along ``dim``."""
    from .indexing import getitem
    if not (is_int_argument(dim) and is_int_argument(length, symint=True) and (
            isinstance(start, Tensor) or is_int_argument(start, symint=True))):
        raise _narrow_error(input, (dim, start, length))
    dim, length = operator.index(dim), operator.index(length)
    if input.ndim == 0:
        raise RuntimeError('narrow() cannot be applied to a 0-dim tensor.')
    if length < 0:
        raise RuntimeError('narrow(): length must be non-negative.')
    dim = _wrap_dim(dim, input.ndim)
    size = input._data.shape[dim]
    start = _narrow_start(start)
    if not -size <= start <= size:
        raise IndexError(f'start out of range (expected to be in range of [{-size}, {size}], but '
                         f'got {start})')
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f'start ({start}) + length ({length}) exceeds dimension size ({size}).')
    return getitem(input, (slice(None),) * dim + (slice(start, start + length),), normalized=True)


def _narrow_error(input, args, function=False):
    """torch's TypeError for narrow given an argument no overload takes (as Tensor.narrow's, or
    torch.narrow's), its notes marking the arguments each overload refuses."""
    leading = (input,) * function
    signatures = []
    for start_type in ('Tensor', 'int'):
        params = ', '.join(['Tensor input'] * len(leading) + [
            'int dim', f'{start_type} start', 'int length'])
        marks = ['Tensor'] * len(leading) + [
            f'!{type_name(a)}!' if _narrow_refuses(start_type, i, a) else type_name(a)
            for i, a in enumerate(args)]
        signatures.append(f"({params})\n      didn't match because some of the arguments have "
                          f"invalid types: ({', '.join(marks)})")
    error = invalid_combination('narrow', (*leading, *args), (), signatures)
    if function:
        return error
    return MethodArgumentError(str(error), lambda: _narrow_error(input, args, True))


def _narrow_refuses(start_type, i, value):
    """Whether narrow's overload whose start is of ``start_type`` refuses its ``i``-th argument
    (dim, start, length)."""
    if i == 1 and start_type == 'Tensor':
        return not isinstance(value, Tensor)
    return isinstance(value, Tensor) and i == 1 or not is_int_argument(value, symint=i > 0)


def _narrow_start(start):
    """narrow's start: an int, or a 0-dim integral tensor."""
    if isinstance(start, Tensor):
        if start.ndim or start.dtype.category != _dtype.INT:
            raise RuntimeError('start must be an 0-dim integral Tensor.')
        return int(start.item())
    return operator.index(start)


def select(input, dim, index):
    """torch.select: the slice at ``index`` along ``dim``, a view with that dim removed."""
    from .indexing import getitem
    dim = int_argument('select', 'dim', 1, dim)
    index = int_argument('select', 'index', 2, index, symint=True)
    if input.ndim == 0:
        raise IndexError('select() cannot be applied to a 0-dim tensor.')
    dim = _wrap_dim(dim, input.ndim)
    size, index = input._data.shape[dim], operator.index(index)
    if not -size <= index < size:
        raise IndexError(f'select(): index {index} out of range for tensor of size '
                         f'{list(input._data.shape)} at dimension {dim}')
    return getitem(input, (slice(None),) * dim + (index,), normalized=True)


def unbind(input, dim=0):
    """torch.unbind: the slices along ``dim``."""
    from .indexing import UnbindBackward0
    dim = int_argument('unbind', 'dim', 1, dim)
    dim = _wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        raise IndexError('Dimension specified as 0 but tensor has no dimensions')
    return UnbindBackward0.apply_views(input, dim=dim)


def _check_joinable(tensors, dim, name):
    """torch's errors for the arguments of cat and stack: no tensor list, no int dim, no
    tensor."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f'{name}(): argument \'tensors\' (position 1) must be tuple of Tensors, '
                        f'not {type(tensors).__name__}')
    if not is_int_argument(dim):
        raise wrong_type(name, 'dim', 1, f'must be int, not {type_name(dim)}', 1)
    if not tensors:
        if name == 'stack':
            raise RuntimeError('stack expects a non-empty TensorList')
        raise ValueError(f'torch.{name}(): expected a non-empty list of Tensors')


def _not_tensor_error(tensors):
    """torch's TypeError for the first element of a tensor list that isn't a tensor."""
    i, t = next((i, t) for i, t in enumerate(tensors) if not isinstance(t, Tensor))
    return TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")


def _joined_out(name, result, out, tensors):
    """Write cat's or stack's result into ``out``, with torch's errors for a dtype it can't
    take and for an input sharing its memory (assert_no_overlap: a whole input too)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type_name(out)}")
    if not _dtype.can_cast(result.dtype, out.dtype):
        raise TypeError(f"torch.cat(): input types can't be cast to the desired output type "
                        f"{out.dtype.scalar_name}")
    try:
        for t in tensors:
            if t is out and result._data.size:   # out= is resized to the result first: so is t
                raise RuntimeError(OVERLAP_MESSAGE)
            check_no_partial_overlap(out._data, t._data, full_allowed=False)
    except RuntimeError:
        if out._data.size and out._data.shape != result._data.shape:   # torch resized it first
            warn_resized(out._data.shape, result._data.shape)
        raise
    return write_out(result, out, name)


def cat(tensors, dim=0, *, out=None, axis=None):
    """torch.cat: join along an existing dim (1-d empty tensors are skipped, as in torch);
    axis= is NumPy's name for dim, which torch takes too."""
    dim = dim if axis is None else axis
    _check_joinable(tensors, dim, 'cat')
    if not all(isinstance(t, Tensor) for t in tensors):
        raise _not_tensor_error(tensors)
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f'zero-dimensional tensor (at position {i}) cannot be concatenated')
    joined = [t for t in tensors if t.shape != (0,)]
    if joined:
        ref, dim = joined[0], _wrap_dim(dim, joined[0].ndim)
    else:   # all 1-d and empty: torch wraps no dim (legacy_cat_wrap_dim)
        ref, dim = tensors[0], 0
    for i, t in enumerate(tensors):
        if t.shape == (0,) and ref.shape != (0,):
            continue
        if t.ndim != ref.ndim:
            raise RuntimeError(f'Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}')
        for d in range(ref.ndim):
            if d != dim and t.shape[d] != ref.shape[d]:
                raise RuntimeError(f'Sizes of tensors must match except in dimension {dim}. Expected '
                                   f'size {ref.shape[d]} but got size {t.shape[d]} for tensor number '
                                   f'{i} in the list.')
    result = CatBackward0.apply(*tensors, dim=dim)
    return result if out is None else _joined_out('cat', result, out, tensors)


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None, axis=None):
    """torch.stack: join along a new dim (axis= is NumPy's name for it, which torch takes)."""
    dim = dim if axis is None else axis
    _check_joinable(tensors, dim, 'stack')
    try:
        ref = tensors[0]._data.shape
        dim = _wrap_dim(dim, len(ref) + 1)   # torch checks the dim (of the first) before sizes
        for i, t in enumerate(tensors):
            if t._data.shape != ref:
                raise RuntimeError(f'stack expects each tensor to be equal size, but got '
                                   f'{list(ref)} at entry 0 and {list(t.shape)} at entry {i}')
    except AttributeError:
        raise _not_tensor_error(tensors) from None
    result = StackBackward0.apply(*tensors, dim=dim)
    return result if out is None else _joined_out('stack', result, out, tensors)


def clone(input, *, memory_format=None):
    """torch.clone: laid out as ``input`` unless memory_format=torch.contiguous_format."""
    if memory_format is contiguous_format:
        return CloneBackward0.apply(input, contiguous=True)
    return CloneBackward0.apply(input)


def contiguous(input, *, memory_format=None):
    return input if input._data.flags.c_contiguous else CloneBackward0.apply(input,
                                                                              contiguous=True)


def _to_dtype(input, dtype, copy=False):
    if dtype is input.dtype and not copy:
        return input
    return ToCopyBackward0.apply(input, dtype=dtype)


def to(input, *args, dtype=None, device=None, non_blocking=False, copy=False, tensor=None,
       memory_format=None):
    """torch.Tensor.to(device=None, dtype=None, ...), to(dtype, ...) or to(tensor, ...)."""
    keywords = {name: value for name, value in (
        ('device', device), ('dtype', dtype), ('tensor', tensor), ('non_blocking', non_blocking),
        ('copy', copy)) if value is not None and value is not False}
    bound = _to_overload(args, keywords)
    if bound is None:
        raise invalid_combination('to', args, keywords, [
            f'({first}bool non_blocking = False, bool copy = False, *, torch.memory_format '
            'memory_format = None)' for first in (
                'torch.device device = None, torch.dtype dtype = None, ', 'torch.dtype dtype, ',
                'Tensor tensor, ')])
    if 'tensor' in bound:
        bound['dtype'], bound['device'] = bound['tensor'].dtype, bound['tensor'].device
    if bound.get('device') is not None:
        _check_on_cpu(as_device(bound['device']))
    dtype = bound.get('dtype')
    return _to_dtype(input, input.dtype if dtype is None else _dtype.dtype_arg(dtype, 'to'),
                     bound.get('copy', False))


def type_as(input, other):
    """torch.Tensor.type_as: ``input`` cast to ``other``'s dtype (itself if it has it)."""
    return to(input, tensor_argument('type_as', other, 'other'))


def _is_dtype(value):
    return isinstance(value, (_dtype.dtype, type))   # float, int... for float64, int64...


def _is_flag(value):
    return value.__class__ is bool


# Tensor.to's overloads, as torch's parser tries them: each parameter and the values it takes
_TO_OVERLOADS = (
    (('device', lambda v: v is None or isinstance(v, (str, int, device_type)) and v.__class__
      is not bool), ('dtype', lambda v: v is None or _is_dtype(v)), ('non_blocking', _is_flag),
     ('copy', _is_flag)),
    (('dtype', _is_dtype), ('non_blocking', _is_flag), ('copy', _is_flag)),
    (('tensor', lambda v: isinstance(v, Tensor)), ('non_blocking', _is_flag), ('copy', _is_flag)))


def _to_overload(args, keywords):
    """The arguments of Tensor.to by name, bound to the first overload that takes them (the
    first parameter of the last two is required), or None."""
    for params in _TO_OVERLOADS:
        if len(args) > len(params):
            continue
        bound = dict(zip((name for name, _ in params), args))
        if any(name in bound for name in keywords) or not keywords.keys() <= dict(params).keys():
            continue
        bound.update(keywords)
        if params[0][0] != 'device' and params[0][0] not in bound:
            continue
        if all(check(bound[name]) for name, check in params if name in bound):
            return bound
    return None


def _check_on_cpu(device):
    """torch's error for moving a tensor to a device ember has none of (only the CPU yet)."""
    if device.type != 'cpu':
        raise unavailable(device, moving=True)


def cuda(input, device=None, non_blocking=False, memory_format=None):
    """torch.Tensor.cuda: a copy on a CUDA device. ember has no CUDA backend yet, and raises as
    torch's CPU-only build does."""
    device = as_device('cuda' if device is None else device)
    if device.type != 'cuda':
        raise RuntimeError('Invalid device, must be cuda device')
    raise unavailable(device, moving=True)


def copy_(input, other, non_blocking=False):
    """torch.Tensor.copy_: write other (broadcast, cast) into input's memory (torch 2.13 names
    the source ``other``)."""
    return CopyBackwards.apply_(input, other)


# The in-place view ops' nodes, named as torch names them (x.t_(): TBackward1).
_INPLACE_NODES = {cls: type(name, (cls,), {'__module__': __name__, '__qualname__': name})
                  for cls, name in ((SqueezeBackward0, 'SqueezeBackward3'),
                                    (SqueezeBackward1, 'SqueezeBackward4'),
                                    (SqueezeBackward2, 'SqueezeBackward5'),
                                    (UnsqueezeBackward0, 'UnsqueezeBackward1'),
                                    (TransposeBackward0, 'TransposeBackward1'),
                                    (TBackward0, 'TBackward1'))}


def _viewed_in_place(self, view, *args):
    """An in-place view op (t_, squeeze_...): the tensor takes ``view(self, *args)``'s shape
    and strides, a new version, and the view's place in the graph."""
    if grad_state.enabled and self.requires_grad:
        check_inplace_allowed(self)
    result = view(self, *args)
    node = result._grad_fn
    if node is not None:
        node.__class__ = _INPLACE_NODES[node.__class__]
        self._grad_fn = node
        self._output_nr = 0
    self._data = result._data
    self._vc.value += 1
    if self._base is not None:  # a view stays a view of its base, one op further
        self._view_fn = result._view_fn
        self._view_version = self._vc.value
    return self


def _t_(self):
    return _viewed_in_place(self, t)


def _transpose_(self, dim0, dim1):
    return _viewed_in_place(self, _transposed, dim0, dim1, 'transpose_')


def _swapaxes_(self, axis0, axis1):
    return _viewed_in_place(self, _transposed, axis0, axis1, 'swapaxes_', _AXIS_NAMES)


def _swapdims_(self, dim0, dim1):
    return _viewed_in_place(self, _transposed, dim0, dim1, 'swapdims_')


def _squeeze_(self, *dims, dim=_ALL_DIMS):
    return _viewed_in_place(self, squeeze, _squeeze_method_dim('squeeze_', self, dims, dim))


def _unsqueeze_(self, dim):
    int_argument('unsqueeze_', 'dim', 1, dim)
    return _viewed_in_place(self, unsqueeze, dim)


def _cast_method(dtype):
    def method(self, *, memory_format=None):
        return _to_dtype(self, dtype)
    return method


TENSOR_METHODS = {
    'view': view, 'reshape': _reshape_method, 'view_as': view_as, 'reshape_as': reshape_as,
    'flatten': flatten, 'transpose': transpose, 'swapaxes': swapaxes, 'swapdims': swapdims,
    't': t, 'T': property(_reversed_dims), 'permute': _permute_method, 'expand': expand,
    'expand_as': expand_as,
    'broadcast_to': _broadcast_to_method, 'squeeze': _squeeze_method, 'unsqueeze': unsqueeze, 'narrow': narrow,
    'select': select, 'unbind': unbind, 'clone': clone, 'contiguous': contiguous, 'to': to,
    'type_as': type_as, 'copy_': copy_, 't_': _t_, 'transpose_': _transpose_, 'swapaxes_': _swapaxes_,
    'swapdims_': _swapdims_, 'squeeze_': _squeeze_, 'unsqueeze_': _unsqueeze_,
    'float': _cast_method(_dtype.float32), 'double': _cast_method(_dtype.float64),
    'half': _cast_method(_dtype.float16), 'bfloat16': _cast_method(_dtype.bfloat16),
    'long': _cast_method(_dtype.int64), 'int': _cast_method(_dtype.int32),
    'short': _cast_method(_dtype.int16), 'char': _cast_method(_dtype.int8),
    'byte': _cast_method(_dtype.uint8), 'bool': _cast_method(_dtype.bool),
    'cfloat': _cast_method(_dtype.complex64), 'cdouble': _cast_method(_dtype.complex128),
    'cpu': lambda self, memory_format=None: self, 'cuda': cuda,
}
FUNCTIONS = ('broadcast_shapes', 'reshape', 'flatten', 'transpose', 'swapaxes', 'swapdims', 't',
             'permute', 'squeeze', 'unsqueeze', 'narrow', 'select', 'unbind', 'cat', 'concat',
             'concatenate', 'stack', 'clone', 'broadcast_to')
