"""Indexing: ``x[index]`` and ``x[index] = value``.

Basic indices (ints, slices, None, Ellipsis) give views; indices holding tensors, lists
or bools are advanced (a copy, torch's IndexBackward0). Both backward through one
primitive that places a gradient into zeros of the input's shape.

As torch, an index tuple is applied item by item where it is recorded (_sliced: each
basic item a view op, then the index tensors one IndexBackward0 of that view), and an
advanced index always reads or writes through that view, which fixes its layout.
"""
import numbers
import re

import numpy

from .. import _dtype
from .._arguments import type_name
from .._creation import _check_array, _python_data
from .._device import array_module, cast, iteration_order, laid_out, with_strides
from .._scalar import scalar_to
from .._tensor import Tensor, _make
from ..autograd.grad_mode import state as grad_state
from .._warnings import warn_at_caller
from .pointwise import MaskedFillBackward0
from .primitive import (OVERLAP_MESSAGE, Primitive, cast_scalar,
                        check_inplace_allowed, check_no_partial_overlap, has_repeats, same_data,
                        writable)


def normalize_index(index):
    """A backend-ready index and whether it is basic (a view)."""
    items = index if isinstance(index, tuple) else \
        tuple(index) if _sequence_as_tuple(index) else (index,)
    basic = True
    out = []
    for item in items:
        if isinstance(item, Tensor):
            item, basic_item = _array_index(item._data)
            basic = basic and basic_item
        elif isinstance(item, slice):
            if item.step is not None and item.step <= 0:
                raise ValueError('step must be greater than zero' if item.step else
                                 'slice step cannot be zero')
        elif isinstance(item, bool):
            basic = False
        elif isinstance(item, (list, tuple, range)) or (
                hasattr(item, '__array__') and not isinstance(item, numpy.generic)):
            # (a tuple in an index tuple is a sequence)
            item, basic_item = _array_index(_data_index(item))
            basic = basic and basic_item
        elif not (item is None or item is Ellipsis or isinstance(item, int)):
            if hasattr(item, '__index__'):
                item = item.__index__()
            elif isinstance(item, str):
                raise TypeError("new(): invalid data type 'str'")
            else:
                raise IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or '
                                 'byte Variables are valid indices (got '
                                 f'{type_name(item)})')
        out.append(item)
    if len(out) > 1:
        out = _one_ellipsis(out)
    return tuple(out), basic


_INDEX_DTYPES = ('int64', 'int32', 'bool')
_SEQUENCES = (Tensor, list, tuple, slice, str, range, numpy.ndarray)   # (PySequence_Check)
_UINT8_INDEX = ('indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool '
                'instead. (Triggered internally at '
                '/__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)')


def _one_ellipsis(items):
    """The index items with at most one Ellipsis, as torch reads several: each later one
    moves past all the dims (none are left for items after it), so trailing ones change
    nothing."""
    ellipses = [i for i, item in enumerate(items) if item is Ellipsis]
    if len(ellipses) < 2:
        return items
    if any(item is not Ellipsis for item in items[ellipses[1]:]):
        raise IndexError("an index can only use its dims after its first ellipsis ('...')")
    return items[:ellipses[1]]


def _sequence_as_tuple(index):
    """torch's treatSequenceAsTuple: a list (or str) holding sequences, slices, Ellipsis or
    None indexes several dims, like a tuple (NumPy's legacy rule), with torch's deprecation
    warning."""
    if not isinstance(index, (list, str)) or len(index) >= 32:
        return False
    for x in index:
        if isinstance(x, _SEQUENCES) or x is None or x is Ellipsis:
            line = 359 if x is None or x is Ellipsis else 349
            warn_at_caller(
                'Using a non-tuple sequence for multidimensional indexing is deprecated and will '
                'be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 '
                'this will be interpreted as tensor index, x[torch.tensor(seq)], which will '
                'result either in an error or a different result (Triggered internally at '
                f'/__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:{line}.)')
            return True
    return False


def _data_index(data):
    """torch's indexing_tensor_from_data: the array of a list, range or array given as an
    index, bool or uint8 as it is, otherwise int64: a list's items stored as int64 (torch's
    overflow errors), an array's cast (floats truncated) after torch's checks of its memory."""
    if isinstance(data, numpy.ndarray):
        if data.dtype.kind != 'u':   # (torch's uint16 to uint64, which ember lacks, pass)
            _check_array(data, shares_memory=True)
        array = data
    else:
        array = numpy.asarray([item._data if isinstance(item, Tensor) else item for item in data]
                              if isinstance(data, (list, tuple)) else data)
        if array.dtype.kind in 'fcO' or array.dtype == numpy.uint64:   # beyond int64?
            array = _python_data(data, _dtype.int64)[0]
    return array if array.dtype.kind == 'b' or array.dtype == numpy.uint8 else \
        cast(array, numpy.dtype(numpy.int64))


def _array_index(array):
    """An index tensor's array as the backend takes it, and whether that is basic: a 0-d
    integer one is an int (torch selects), uint8 is a bool mask (deprecated, unless 0-d)."""
    name = array.dtype.name
    if array.ndim == 0 and array.dtype.kind in 'iu' and name != 'uint8':
        return int(array), True
    if name == 'uint8':
        if array.ndim:
            warn_at_caller(_UINT8_INDEX)
        return array.astype(bool), False
    if name not in _INDEX_DTYPES:
        raise IndexError('tensors used as indices must be long, int, byte or bool tensors')
    return array, False


def _index_errors(func, index, *value):
    """func(index, *value) (an array's __getitem__ or __setitem__), with NumPy's IndexError
    messages worded as torch's."""
    try:
        return func(index, *value)
    except IndexError as error:
        raise _torch_index_error(str(error), index, func.__self__) from None


def _check_long_longs(index):
    """torch reads an int in an index as a C long long: beyond one, its ValueError."""
    if any(item.__class__ is int and not -2 ** 63 <= item < 2 ** 63
           for item in (index if isinstance(index, tuple) else (index,))):
        raise ValueError('Overflow when unpacking long long') from None


def _torch_index_error(message, index, array):
    ndim = array.ndim
    too_many = _TOO_MANY_INDICES.match(message)
    if too_many:
        return IndexError(f'too many indices for tensor of dimension {too_many[1]}')
    bounds = _OUT_OF_BOUNDS.match(message)
    if bounds:
        item, dim = _indexed_by(index, int(bounds['axis']), ndim)
        if bounds['size'] == '0' and hasattr(item, 'ndim'):  # checked before any index value
            return IndexError('index is out of bounds for dimension with size 0')
        return IndexError(f"index {bounds['index']} is out of bounds for dimension "
                          f"{bounds['axis'] if dim is None else dim} with size {bounds['size']}")
    mask = _MASK_MISMATCH.match(message)
    if mask:
        return _mask_error(index, int(mask[1]), array)
    if message.startswith('shape mismatch: indexing arrays'):
        shapes = ', '.join(str(list(map(int, re.findall(r'\d+', s))))
                           for s in re.findall(r'\([^)]*\)', message))
        return IndexError('shape mismatch: indexing tensors could not be broadcast together '
                          f'with shapes {shapes}')
    return IndexError(message.replace('axis', 'dimension'))


_TOO_MANY_INDICES = re.compile(r'too many indices for array: array is (\d+)-dimensional')
_OUT_OF_BOUNDS = re.compile(
    r'index (?P<index>-?\d+) is out of bounds for axis (?P<axis>\d+) with size (?P<size>\d+)')
_MASK_MISMATCH = re.compile(r'boolean index did not match indexed array along (?:axis|dimension) '
                            r'(\d+)')


def _mask_error(index, axis, array):
    """torch's error for a bool mask whose shape doesn't match the dims it indexes at array
    ``axis``: torch names the dims of the tensor left after the basic indices (ints, slices,
    None), in which each index tensor keeps its dims (a bool adds a dim, as None)."""
    index = tuple(None if item.__class__ is bool else item for item in index)
    arrays = [hasattr(item, 'ndim') for item in index]
    sliced = array[tuple(slice(None) if is_array else item
                         for item, is_array in zip(index, arrays))].shape
    used = sum(item.ndim if is_array and _is_mask(item) else 1
               for item, is_array in zip(index, arrays) if item is not None and item is not Ellipsis)
    start = position = 0   # the dim in the array, and in the sliced tensor
    for item, is_array in zip(index, arrays):
        width = item.ndim if is_array and _is_mask(item) else \
            array.ndim - used if item is Ellipsis else 0 if item is None else 1
        if is_array and start <= axis < start + width:   # torch names its first wrong dim
            j = next(j for j, (n, m) in enumerate(zip(item.shape, array.shape[start:])) if n != m)
            return IndexError(f'The shape of the mask {list(item.shape)} at index {j} does not '
                              f'match the shape of the indexed tensor {list(sliced)} at index '
                              f'{position + j}')
        position += 1 if item is None else 0 if isinstance(item, int) else width
        start += width
    return IndexError(f'The shape of a mask does not match the shape of the indexed tensor '
                      f'{list(sliced)}')


def _indexed_by(index, axis, ndim):
    """The item of ``index`` at array ``axis``, and where torch's advanced indexing reports an
    out-of-bounds index there: the position of its index tensor among the index tensors
    (torch moves their dims first; a bool mask counts as one tensor per dim). For an int, its
    place in the index (torch counts every item before it, None and Ellipsis included)."""
    used = _dims_indexed(index)
    start = position = 0
    for place, item in enumerate(index):
        if item is None:
            continue
        if item is Ellipsis:
            start += ndim - used
            continue
        tensor = hasattr(item, 'ndim')
        width = item.ndim if tensor and _is_mask(item) else 1
        if start <= axis < start + width:
            return item, (position + axis - start if tensor else place)
        start += width
        position += width if tensor else 0
    return None, None


def _indexed_shape(input, index):
    """The shape of ``input[index]`` (a normalized index) in torch's layout: that of the view
    its basic items make (see _sliced), indexed by its index tensors as NumPy lays it out."""
    view, into = _sliced(input, index, recorded=False)
    if into is None:
        return view._data.shape
    try:
        return _index_errors(view._data.__getitem__, into).shape
    except IndexError as error:
        if not _out_of_bounds(error):
            raise
        return _index_iteration(view._data, into)[0]   # torch sizes it before reading an index


def _out_of_bounds(error):
    """Whether an IndexError (worded as torch's) is an index value out of bounds: torch finds
    those only as it reads each element, after every size check."""
    return _VALUE_OUT_OF_BOUNDS.match(str(error)) is not None


_VALUE_OUT_OF_BOUNDS = re.compile(r'index -?\d+ is out of bounds for dimension')


class BasicIndex(Primitive):
    """A view picked by ints, slices, None and Ellipsis; subclasses carry torch's names, and
    that of the node of their gradient (``scatter``)."""
    is_view = True

    def forward(ctx, a, index):
        ctx.input_shape = a.shape
        out = _index_errors(a.__getitem__, index)
        if not isinstance(out, type(a)):   # NumPy gives a scalar copy for all-int indices:
            out = a[index + (Ellipsis,)]   # with an Ellipsis it is a 0-d view, as in torch
        if None in index:
            out = with_strides(out, _unsqueezed_strides(a, index, out))
        return out

    def backward(ctx, grad):
        return ctx.scatter.apply(grad, shape=ctx.input_shape, index=ctx.index)


def _unsqueezed_strides(a, index, out):
    """The strides of ``out = a[index]`` (a basic index) with torch's for the dims None makes
    (NumPy's are 0): torch applies the items in turn, and unsqueeze's stride is the size times
    the stride of the dim that follows, still untouched (1 element at the end)."""
    strides = list(out.strides)
    used = _dims_indexed(index)
    dim = position = 0   # the next dim of ``a`` the index reaches, and of ``out``
    for item in index:
        if item is None:
            strides[position] = a.shape[dim] * a.strides[dim] if dim < a.ndim else a.itemsize
            position += 1
        elif item is Ellipsis:
            dim += a.ndim - used
            position += a.ndim - used
        else:
            dim += 1
            position += isinstance(item, slice)
    return strides


class SelectBackward0(BasicIndex):
    pass


class SliceBackward0(BasicIndex):
    pass


class UnsqueezeIndexBackward0(BasicIndex):
    pass


class AliasIndexBackward0(BasicIndex):
    def backward(ctx, grad):
        return grad   # (the index takes every element, in place)


UnsqueezeIndexBackward0.__name__ = 'UnsqueezeBackward0'
AliasIndexBackward0.__name__ = 'AliasBackward0'


class UnbindBackward0(Primitive):
    """torch.unbind: the slices along ``dim``, views that are the outputs of one node."""

    def forward(ctx, a, dim):
        ctx.input_shape = a.shape
        before = (slice(None),) * dim
        return [a[before + (i, Ellipsis)] for i in range(a.shape[dim])]  # Ellipsis: 0-d views

    @staticmethod
    def view_step(nr, dim):
        return SelectBackward0, {'index': (slice(None),) * dim + (nr,)}

    def backward(ctx, *grads):
        from .._creation import zeros
        from .shape import stack
        like = next(g for g in grads if g is not None)
        missing = zeros(ctx.input_shape[:ctx.dim] + ctx.input_shape[ctx.dim + 1:],
                        dtype=like.dtype)
        return stack([missing if g is None else g for g in grads], ctx.dim)


class IndexBackward0(Primitive):
    """Advanced indexing by an index made by _sliced (index tensors and full slices): a copy
    of the picked elements, laid out as torch's index kernel lays them out."""
    saves_index = True

    def forward(ctx, a, index):
        ctx.input_shape = a.shape
        try:
            out = _index_errors(a.__getitem__, index)
        except IndexError as error:   # no error where no element is read
            shape = _index_iteration(a, index)[0] if _out_of_bounds(error) else ()
            if 0 not in shape:
                raise
            return array_module(a).empty(shape, a.dtype)
        if not out.size:
            _check_empty_masks(a, index)
            return out
        if out.ndim > 1 and not _in_c_order(a, *[item for item in index if hasattr(item, 'ndim')]):
            return laid_out(out, iteration_order(*_index_iteration(a, index)))
        # operands in C order (or a result of one dim) iterate in C order
        if out.flags.c_contiguous:
            return out if _in_c_order(out) else out.copy()
        return array_module(out).ascontiguousarray(out)

    def backward(ctx, grad):
        return IndexPutImplBackward0.apply(grad, shape=ctx.input_shape, index=ctx.saved_index,
                                           accumulate=True)


def _in_c_order(*arrays):
    """Whether the arrays' strides are C order's, those of size-1 dims too."""
    for array in arrays:
        step = array.itemsize
        for size, stride in zip(reversed(array.shape), reversed(array.strides)):
            if stride != step:
                return False
            step *= size
    return True


def _index_iteration(a, index):
    """The shape of ``a[index]`` and the strides of the operands of torch's index kernel, a
    TensorIterator (see iteration_order): ``a`` with the indexed dims replaced by the index
    tensors' (0 strides; moved to the front where the index tensors are apart), and the index
    tensors broadcast to them (a bool mask as the columns of its nonzero(), each of stride
    its ndim)."""
    xp = array_module(a)
    tensors = []   # per dim of a: (shape, strides in elements) of its index tensor, or None
    for item in index:
        if not hasattr(item, 'ndim'):   # a full slice
            tensors.append(None)
        elif _is_mask(item):
            tensors += [((int(xp.count_nonzero(item)),), (item.ndim,))] * item.ndim
        else:
            tensors.append((item.shape, tuple(st // item.itemsize for st in item.strides)))
    tensors += [None] * (a.ndim - len(tensors))
    indexed = [dim for dim, t in enumerate(tensors) if t is not None]
    dims = list(range(a.ndim))
    if indexed[-1] - indexed[0] != len(indexed) - 1:
        dims = indexed + [dim for dim in dims if tensors[dim] is None]
    before = dims.index(indexed[0])
    after = dims[before + len(indexed):]
    block = xp.broadcast_shapes(*(tensors[dim][0] for dim in indexed))
    shape = tuple(a.shape[d] for d in dims[:before]) + block + tuple(a.shape[d] for d in after)
    source = ([a.strides[d] for d in dims[:before]] + [0] * len(block) +
              [a.strides[d] for d in after])
    operands = [source]
    reshaped = (1,) * before + block + (1,) * len(after)
    for dim in indexed:   # expanded to the block, then reshaped with the dims around it
        size, strides = tensors[dim]
        lead = len(block) - len(size)
        expanded = [0] * lead + [st if n == m else 0
                                 for n, m, st in zip(size, block[lead:], strides)]
        padded = _view_strides(block, expanded, reshaped)
        operands.append([0 if n == 1 and m != 1 else st
                         for n, m, st in zip(reshaped, shape, padded)])
    return shape, operands


def _view_strides(shape, strides, new_shape):
    """torch's computeStride, for a non-empty tensor viewed with size-1 dims added: the strides
    of the view, given chunk by chunk of dims contiguous with each other, from the last."""
    if not shape:
        return [1] * len(new_shape)
    new_strides = [0] * len(new_shape)
    view_dim = len(new_shape) - 1
    base, numel, view_numel = strides[-1], 1, 1
    for dim in range(len(shape) - 1, -1, -1):
        numel *= shape[dim]
        if dim == 0 or (shape[dim - 1] != 1 and strides[dim - 1] != numel * base):
            while view_dim >= 0 and (view_numel < numel or new_shape[view_dim] == 1):
                new_strides[view_dim] = view_numel * base
                view_numel *= new_shape[view_dim]
                view_dim -= 1
            if dim:
                base, numel, view_numel = strides[dim - 1], 1, 1
    return new_strides


class ScatterIntoZeros(Primitive):
    """zeros(shape) with ``src`` placed (or added, for repeated indices) at ``index``."""
    saves_index = True

    def forward(ctx, src, shape, index, accumulate=False):
        xp = array_module(src)
        out = xp.zeros(shape, dtype=src.dtype)
        if not src.size:   # nothing placed: no index is checked (as torch, which reads none)
            return out
        if accumulate:
            xp.add.at(out, index, src)
        else:
            out[index] = src
        return out

    def backward(ctx, grad):
        return getitem(grad, ctx.saved_index, normalized=True)


class SelectBackwardBackward0(ScatterIntoZeros):
    """The nodes of the gradients of indexing, named as torch's backward formulas' ops."""


class SliceBackwardBackward0(ScatterIntoZeros):
    pass


class SqueezeIndexBackward1(ScatterIntoZeros):
    pass


class IndexPutImplBackward0(ScatterIntoZeros):
    pass


SqueezeIndexBackward1.__name__ = 'SqueezeBackward1'
SelectBackward0.scatter = SelectBackwardBackward0
SliceBackward0.scatter = SliceBackwardBackward0
UnsqueezeIndexBackward0.scatter = SqueezeIndexBackward1


class IndexPutBackward0(Primitive):
    """index_put_: a copy of ``a`` with ``values`` written at ``index``."""
    saves_index = True
    full_overlap_allowed = False
    writes_repeated = True
    repeated_write_warning = (
        'Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before '
        'performing this operation. This also applies to advanced indexing e.g. '
        'tensor[indices] = tensor (Triggered internally at '
        '/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:976.)')

    def forward(ctx, a, values, index):
        out = a.copy()
        try:
            _put(out, index, values)
        except (ValueError, TypeError):   # TypeError: NumPy's words for a mask's value
            raise RuntimeError(f'shape mismatch: value tensor of shape {list(values.shape)} cannot '
                               f'be broadcast to indexing result of shape '
                               f'{list(_index_iteration(out, index)[0])}') from None
        return out

    def backward(ctx, grad):
        index = ctx.saved_index
        return (grad.masked_fill(_written_at(grad, index), 0),  # zeros, even where grad is inf
                getitem(grad, index, normalized=True))


def _put(array, index, values):
    """``array[index] = values`` for an index made by _sliced, with torch's order of errors:
    values that don't broadcast to the indexed shape (ValueError) before an index out of
    bounds, which is no error where no element is written."""
    try:
        _index_errors(array.__setitem__, index, values)
    except IndexError as error:
        if not _out_of_bounds(error):
            raise
        shape = _index_iteration(array, index)[0]
        _check_broadcasts(array, values, shape)
        if 0 not in shape:
            raise
        return
    if not getattr(values, 'size', 1):   # NumPy writes nothing from them, whatever the shape
        _check_broadcasts(array, values, _index_iteration(array, index)[0])
    _check_empty_masks(array, index)


def _check_empty_masks(array, index):
    """torch's error for an empty bool mask whose shape doesn't match the dims it indexes
    (NumPy takes an empty mask as an empty integer index)."""
    index = tuple(None if item.__class__ is bool else item for item in index)
    used = sum(item.ndim if _is_mask(item) else 1 for item in index
               if item is not None and item is not Ellipsis)
    start = 0   # the array's dim the item indexes
    for item in index:
        if _is_mask(item) and not item.size:
            for j, (n, m) in enumerate(zip(item.shape, array.shape[start:])):
                if n != m:
                    raise _mask_error(index, start + j, array)
        start += (item.ndim if _is_mask(item) else array.ndim - used if item is Ellipsis
                  else 0 if item is None else 1)


def _check_broadcasts(array, values, shape):
    """ValueError where ``values`` (for ``array``) don't broadcast to ``shape``."""
    xp = array_module(array)
    if xp.broadcast_shapes(getattr(values, 'shape', ()), shape) != shape:
        raise ValueError('shape mismatch')


class MaskedFillIndexPutBackward0(IndexPutBackward0):
    """x[mask] = one value: torch's index_put_ writes it with masked_fill_, which reads the
    value as a number, so it checks no overlap with it."""
    overlap_checked = ()


MaskedFillIndexPutBackward0.__name__ = 'IndexPutBackward0'


def _written_at(like, index):
    """A constant bool tensor of like's shape: True where ``index`` points."""
    from .._tensor import wrap
    data = array_module(like._data).zeros(like._data.shape, dtype=bool)
    _put(data, index, True)
    return wrap(data)


def _name_for(index):
    """torch's grad_fn name for a basic index: that of its last effective component."""
    for item in reversed(index):
        if item is Ellipsis:
            continue
        if item is None:
            return UnsqueezeIndexBackward0
        return SliceBackward0 if isinstance(item, slice) else SelectBackward0
    return AliasIndexBackward0


def getitem(input, index, normalized=False):
    """torch.Tensor.__getitem__."""
    try:
        if normalized:   # one op's index: _sliced's (backward formulas), narrow's, select's
            basic = not any(hasattr(item, 'ndim') for item in index)
            return (_name_for(index) if basic else IndexBackward0).apply(input, index=index)
        items, basic = normalize_index(index)
        if not basic and len(items) == 1 and getattr(items[0], 'ndim', 0):
            return IndexBackward0.apply(input, index=items)   # the index _sliced would make
        if basic and (not isinstance(index, (tuple, list)) or not (
                grad_state.enabled and input.requires_grad)):
            return _name_for(items).apply(input, index=items)   # one view: torch's result
        return _in_turn(input, items)
    except (IndexError, OverflowError):
        _raise_zero_dim_error(input, index)
        _check_long_longs(index)
        raise


def _in_turn(input, items):
    """``input[items]`` as torch computes (and records) it: the basic items' views in turn
    (see _sliced), then IndexBackward0 of the last by the index tensors; where no item makes
    a view, the input's alias."""
    _check_dims_indexed(input, items)
    view, into = _sliced(input, items, recorded=grad_state.enabled and input.requires_grad)
    if into is not None:
        return IndexBackward0.apply(view, index=into)
    return AliasIndexBackward0.apply(input, index=(Ellipsis,)) if view is input else view


def setitem(input, index, value):
    """torch.Tensor.__setitem__: an in-place write, differentiable for non-leaf tensors."""
    given = index
    try:
        if not isinstance(value, Tensor):
            value = _assigned_number(input, value)
        if given is False:   # torch writes nothing, not even a version
            return
        # torch writes x[True] = v as a copy_ to x.unsqueeze(0) (a cast, expand's errors)
        index, basic = ((None,), True) if given is True else normalize_index(index)
        if not basic:
            _check_dims_indexed(input, index)
        masked_fill = not basic and (not isinstance(value, Tensor) or value._data.size == 1) \
            and _check_masked_fill(input, given, index, value)
        given_value_ndim = value.ndim if isinstance(value, Tensor) else 0
        if given_value_ndim and value._data.shape[0] == 1:
            value = _strip_leading_ones(value)
        check_dtype = not basic and isinstance(value, Tensor) and value.dtype is not input.dtype
        recording = grad_state.enabled and (
            input.requires_grad or (isinstance(value, Tensor) and value.requires_grad))
        if not recording:
            if check_dtype:
                _check_index_put_dtype(input, index, value)
            data = cast(value._data, input._data.dtype) if isinstance(value, Tensor) else value
            if isinstance(value, Tensor) and value._vc is input._vc and not masked_fill:
                _check_value_overlap(input, index, basic, value)
            try:
                if basic:   # a copy into the region (which may be part of an expanded tensor)
                    region = BasicIndex.forward(BasicIndex._unrecorded, input._data, index)
                    if not _is_region(data, region):
                        writable(region)[...] = data
                else:   # through the view its basic items make, as torch's index_put_
                    view, into = _sliced(input, index, recorded=False)
                    _put(writable(view._data, IndexPutBackward0), into, data)
            except (ValueError, TypeError):
                raise _shape_error(input, index, basic, value) from None
            input._vc.value += 1
            _warn_if_masked_fill_of_repeats(masked_fill, input)
            return
        # torch's Python-side index errors, and for a view its value's expand, come before its
        # in-place checks (a leaf's error); index_put_'s own checks come after them
        if basic:
            region = _index_errors(input._data.__getitem__, index).shape
            if isinstance(value, Tensor) and value._data.shape != region:
                _check_fits(input, index, basic, value, region)
        if basic:
            # torch's copy_to, into the tensor itself where the index leaves it whole
            region = _sliced(input, index)[0]
            if not isinstance(value, Tensor):  # torch writes a number as a 0-d tensor
                value = _make(array_module(input._data).asarray(value), input.dtype)
            if value._data.shape == region._data.shape:
                region.copy_(value)
            elif not given_value_ndim:   # as torch's copy_to: a 0-d value is a fill
                region.fill_(value)
            else:
                region.copy_(value.expand(region.shape))
        else:
            target, into = _sliced(input, index)
            if check_dtype:   # index_put_'s own check, after its leaf check
                check_inplace_allowed(target)
                _check_index_put_dtype(input, index, value)
            put = MaskedFillIndexPutBackward0 if masked_fill else IndexPutBackward0
            put.apply_(target, value, index=into)   # a view's base: CopySlices
            _warn_if_masked_fill_of_repeats(masked_fill, input)
    except (IndexError, OverflowError):
        _raise_zero_dim_error(input, given)
        _check_long_longs(given)
        raise


def _is_region(data, region):
    """Whether ``data`` (a value's array, broadcast) is the written-to region's memory itself:
    torch's copy_ then writes nothing (nor checks the region for repeated elements)."""
    if not hasattr(data, 'shape') or not data.size:
        return False
    try:
        data = array_module(data).broadcast_to(data, region.shape)
    except ValueError:
        return False
    return same_data(region, data)


def _sliced(input, index, recorded=True):
    """torch's applySlicing of a normalized ``index``: the view its basic items make, one view
    op each in turn (ints select, None and bools unsqueeze, a slice narrows unless it starts
    at 0 with step 1 and stops at or past the dim's end), and the index of that view by the
    index tensors at their dims (a bool indexes its new dim with [0] or nothing), or None where
    there are none. The view is ``input`` itself where no item makes one; unless ``recorded``,
    it only shares input's memory (no graph, no version counter)."""
    def step(cls, view, item_index):
        if recorded:
            return cls.apply(view, index=item_index)
        return _make(cls.forward(cls._unrecorded, view._data, item_index), view.dtype)

    view, into, dim, covered = input, [], 0, 0
    for place, item in enumerate(index):
        if item is Ellipsis:
            dim += input.ndim - _dims_indexed(index)
            continue
        if isinstance(item, slice):
            if not (item.start in (None, 0) and item.step in (None, 1) and (
                    item.stop is None or item.stop >= view._data.shape[dim])):
                view = step(SliceBackward0, view, _at(dim, item))
            dim += 1
            continue
        if item is None or item.__class__ is bool or (
                _is_mask(item) and not item.ndim):
            view = step(UnsqueezeIndexBackward0, view, _at(dim, None))
            if item is None:
                dim += 1
                continue
            item = array_module(input._data).arange(int(item))
        elif not getattr(item, 'ndim', 0):   # an int, Python's or NumPy's
            size = view._data.shape[dim]
            if not -size <= item < size:   # torch names the item's place in the index
                _check_long_longs(index)
                raise IndexError(f'index {item} is out of bounds for dimension {place} with '
                                 f'size {size}')
            view = step(SelectBackward0, view, _at(dim, item))
            continue
        into += [slice(None)] * (dim - covered) + [item]
        dim = covered = dim + (item.ndim if _is_mask(item) else 1)
    return view, (tuple(into) if into else None)


def _at(dim, item):
    """An index of ``item`` at ``dim``."""
    return (slice(None),) * dim + (item,)


def _check_value_overlap(input, index, basic, value):
    """torch's overlap checks of ``input[index] = value`` where value is a view of input's
    memory: a copy_ to the region, or index_put_'s stricter check (a 0-d value is a fill)."""
    if not value.ndim:
        return
    if not basic:
        target = _sliced(input, index, recorded=False)[0]   # index_put_ writes into this view
        if target is value:   # the tensor itself: a full overlap, even empty (as torch)
            raise RuntimeError(OVERLAP_MESSAGE)
        check_no_partial_overlap(target._data, value._data, full_allowed=False)
        return
    region = _index_errors(input._data.__getitem__, index)
    try:   # torch's copy_to expands the value to the region first (x[None] = x is a no-op)
        expanded = array_module(region).broadcast_to(value._data, region.shape)
    except ValueError:
        return   # the write reports the shape error
    check_no_partial_overlap(region, expanded)


def _raise_zero_dim_error(input, index):
    """torch's own errors for a lone int or slice (not in a tuple) indexing a 0-dim tensor."""
    if input.ndim or not isinstance(index, (int, slice)):
        return
    if isinstance(index, slice):
        raise IndexError('slice() cannot be applied to a 0-dim tensor.') from None
    if index == 0:
        raise IndexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or '
                         '`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number') from None
    raise IndexError(f'index {index} is out of bounds for dimension 0 with size 0') from None


def _assigned_number(input, value):
    """A number written by x[i] = value, converted as c10 converts it (its overflow errors);
    torch takes no other kind of value than a tensor or a number."""
    if not isinstance(value, (numbers.Integral, float, complex)):  # NumPy ints, not its floats
        raise TypeError(f"can't assign a {type_name(value)} to a {input.type()}")
    if value.__class__ is not bool and isinstance(value, numbers.Integral) and not (
            -2 ** 63 <= value < 2 ** 63):
        raise ValueError('Overflow when unpacking long long')  # torch reads it as a C long long
    if input.dtype in (_dtype.float16, _dtype.bfloat16):
        # torch makes a double tensor of it and casts that (through float): inf out of range
        value = scalar_to(value, _dtype.float64).item()
        return cast_scalar(value, _dtype.float32.np).astype(input.dtype.np)
    return scalar_to(value, input.dtype)


def _check_masked_fill(input, given, index, value):
    """torch writes a one-element value through a single mask (and no other index tensor)
    with masked_fill_, which takes no uint8 mask and converts the value to input's dtype.
    Whether it does here."""
    if not _one_mask([i for i in index if hasattr(i, 'ndim') or i.__class__ is bool]):
        return False
    for item in given if isinstance(given, (tuple, list)) else (given,):
        if getattr(item, 'ndim', 0) and str(item.dtype).endswith('uint8'):   # (0-d: an int)
            _indexed_shape(input, index)   # torch checks the mask's shape first
            raise RuntimeError('masked_fill_ only supports boolean masks, but got mask with '
                               'dtype unsigned char')
    if isinstance(value, Tensor):
        scalar_to(value, input.dtype)
    return True


def _warn_if_masked_fill_of_repeats(masked_fill, input):
    """masked_fill_'s deprecation warning, after index_put_'s, for a write through a mask
    into an expanded tensor."""
    if masked_fill and has_repeats(input._data):
        warn_at_caller(MaskedFillBackward0.repeated_write_warning)


def _strip_leading_ones(value):
    """torch drops a value's leading size-1 dims before writing (slicePrefix1sDims)."""
    shape = value._data.shape
    first = 0
    while first < len(shape) and shape[first] == 1:
        first += 1
    return value.reshape(shape[first:])


def _check_index_put_dtype(input, index, value):
    """torch's index_put_ needs matching dtypes, except where it takes the masked_fill path
    (one bool mask, one value); a Python bool in an index tuple is an index tensor in torch."""
    arrays = [i for i in index if hasattr(i, 'ndim') or i.__class__ is bool]  # x[True]: an index
    if not arrays or (_one_mask(arrays) and value.numel() == 1):
        return
    from .shape import infer_size
    target = _indexed_shape(input, index)
    try:
        fits = infer_size(value.shape, target) == target
    except RuntimeError:
        fits = False
    if not fits:
        raise _shape_error(input, index, False, value)
    raise RuntimeError('Index put requires the source and destination dtypes match, got '
                       f'{input.dtype.scalar_name} for the destination and '
                       f'{value.dtype.scalar_name} for the source.')


def _is_mask(item):
    """Whether an item of a normalized index is a bool array."""
    return hasattr(item, 'ndim') and item.dtype.kind == 'b'


def _one_mask(arrays):
    """Whether the index tensors ``arrays`` are one bool mask that index_put_ may write through
    with masked_fill_ (torch's index of a 0-d mask is an integer one)."""
    return len(arrays) == 1 and _is_mask(arrays[0]) and arrays[0].ndim > 0


def _dims_indexed(index):
    """How many of the tensor's dims a normalized index uses (a mask: one per its dims)."""
    return sum(item.ndim if _is_mask(item) else 1
               for item in index if item is not None and item is not Ellipsis
               and item.__class__ is not bool)   # a Python bool adds a dim, as None


def _check_dims_indexed(input, index):
    """torch's error for an index that uses more dims than the tensor has."""
    if _dims_indexed(index) > input.ndim:
        raise IndexError(f'too many indices for tensor of dimension {input.ndim}')


def _check_fits(input, index, basic, value, region):
    """``value`` broadcasts to the indexed ``region``'s shape, or torch's error (an expand's
    for a basic index)."""
    from .shape import infer_size
    try:
        fits = infer_size(region, value._data.shape) == region
    except RuntimeError:
        fits = False
    if not fits:
        raise _shape_error(input, index, basic, value)


def _shape_error(input, index, basic, value):
    """torch's error for a value that doesn't broadcast to the indexed region."""
    from .._tensor import wrap
    from .shape import expand
    target = _indexed_shape(input, index)
    if not isinstance(value, Tensor):
        return RuntimeError(f'could not assign {type(value).__name__} to a tensor region of '
                            f'shape {list(target)}')
    if basic:
        try:
            expand(wrap(value._data), target)
        except RuntimeError as error:
            return error
    return RuntimeError(f'shape mismatch: value tensor of shape {list(value.shape)} cannot be '
                        f'broadcast to indexing result of shape {list(target)}')


TENSOR_METHODS = {'__getitem__': getitem, '__setitem__': setitem}
