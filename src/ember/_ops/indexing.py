"""Indexing: ``x[index]`` and ``x[index] = value``.

Basic indices (ints, slices, None, Ellipsis) give views; indices holding tensors, lists
or bools are advanced (a copy, torch's IndexBackward0). Both backward through one
primitive that places a gradient into zeros of the input's shape.
"""
import numbers
import re

from .._device import array_module, with_strides
from .._scalar import scalar_to
from .._tensor import Tensor, _contiguous_strides, _make
from ..autograd.grad_mode import state as grad_state
from .primitive import (Primitive, check_inference_inplace, check_no_partial_overlap,
                        check_writeable as _check_writeable)


def normalize_index(index):
    """A backend-ready index and whether it is basic (a view)."""
    items = index if isinstance(index, tuple) else \
        tuple(index) if _sequence_as_tuple(index) else (index,)
    basic = True
    out = []
    for item in items:
        if isinstance(item, Tensor):
            if item.ndim == 0 and item.dtype.category == 1 and item.dtype.name != 'uint8':
                item = int(item.item())
            else:
                item, basic = item._data, False
                if item.dtype.kind == 'u':
                    item = item.astype(bool)    # uint8 indices are (deprecated) masks in torch
                elif item.dtype.name not in _INDEX_DTYPES:
                    raise IndexError('tensors used as indices must be long, int, byte or bool '
                                     'tensors')
        elif isinstance(item, slice):
            if item.step is not None and item.step <= 0:
                raise ValueError('step must be greater than zero' if item.step else
                                 'slice step cannot be zero')
        elif isinstance(item, (list, bool)) or hasattr(item, '__array__'):
            basic = False
            if isinstance(item, list):
                item = _list_index(item)
        elif not (item is None or item is Ellipsis or isinstance(item, int)):
            if hasattr(item, '__index__'):
                item = item.__index__()
            elif isinstance(item, str):
                raise TypeError(f"new(): invalid data type 'str'")
            else:
                raise IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or '
                                 'byte Variables are valid indices (got '
                                 f'{type(item).__name__})')
        out.append(item)
    return tuple(out), basic


_INDEX_DTYPES = ('int64', 'int32', 'bool')


def _sequence_as_tuple(index):
    """torch's treatSequenceAsTuple: a list holding tensors, sequences, slices, Ellipsis or
    None indexes several dims, like a tuple (NumPy's legacy rule)."""
    if not isinstance(index, list) or len(index) >= 32:
        return False
    return any(isinstance(x, (Tensor, list, tuple, slice)) or x is None or x is Ellipsis
               for x in index)


def _list_index(items):
    import numpy
    array = numpy.asarray([i._data if isinstance(i, Tensor) else i for i in items])
    return array if array.dtype.kind in 'biu' else array.astype(numpy.int64)


def _index_errors(func, index, *value):
    """func(index, *value) (an array's __getitem__ or __setitem__), with NumPy's IndexError
    messages worded as torch's."""
    try:
        return func(index, *value)
    except IndexError as error:
        raise _torch_index_error(str(error), index, func.__self__) from None


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
    None), in which each index tensor keeps its dims."""
    arrays = [hasattr(item, 'ndim') for item in index]
    sliced = array[tuple(slice(None) if is_array else item
                         for item, is_array in zip(index, arrays))].shape
    used = sum(item.ndim if is_array and item.dtype == bool else 1
               for item, is_array in zip(index, arrays) if item is not None and item is not Ellipsis)
    start = position = 0   # the dim in the array, and in the sliced tensor
    for item, is_array in zip(index, arrays):
        width = item.ndim if is_array and item.dtype == bool else \
            array.ndim - used if item is Ellipsis else 0 if item is None else 1
        if is_array and start <= axis < start + width:
            return IndexError(f'The shape of the mask {list(item.shape)} at index {axis - start} '
                              f'does not match the shape of the indexed tensor {list(sliced)} at '
                              f'index {position + axis - start}')
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
        width = item.ndim if tensor and item.dtype == bool else 1
        if start <= axis < start + width:
            return item, (position + axis - start if tensor else place)
        start += width
        position += width if tensor else 0
    return None, None


def _moved_block(index, ndim):
    """Where NumPy and torch place the dims of an advanced index's result differently: torch
    applies int indices first, so ints never separate the index tensors, which then keep their
    place (x[0, :, t] is (rows, len(t))), while NumPy moves their dims to the front. Returns
    (size, torch's position) of that block of dims, or None where the layouts agree."""
    kinds = ['a' if hasattr(item, 'ndim') or item.__class__ is bool else
             'i' if isinstance(item, int) else 'o' for item in index]
    if 'i' not in kinds:
        return None
    numpy_run = ''.join(kinds).strip('o')          # the advanced run, ints included
    torch_run = numpy_run.replace('i', '').strip('o')
    if not torch_run or 'o' not in numpy_run or 'o' in torch_run:  # no tensor, NumPy adjacent,
        return None                                  # or torch moves them first too
    size = max(1 if item.__class__ is bool or item.dtype == bool else item.ndim
               for item, kind in zip(index, kinds) if kind == 'a')
    position = 0
    for item, kind in zip(index, kinds):
        if kind == 'a':
            return size, position
        if item is Ellipsis:
            position += ndim - _dims_indexed(index)
        elif kind == 'o':                           # a slice or None: one dim of the result
            position += 1
    return None


def _torch_layout(out, index, ndim):
    """NumPy's result of ``array[index]`` laid out as torch's (see _moved_block)."""
    block = _moved_block(index, ndim)
    if block is None:
        return out
    size, position = block
    return array_module(out).moveaxis(out, range(size), range(position, position + size))


def _indexed_shape(array, index):
    """The shape of ``array[index]`` in torch's layout."""
    shape = _index_errors(array.__getitem__, index).shape
    block = _moved_block(index, array.ndim)
    if block is None:
        return shape
    size, position = block
    return shape[size:size + position] + shape[:size] + shape[size + position:]


def _numpy_layout(values, index, array):
    """Values for ``array[index] = values`` given in torch's layout, laid out as NumPy's."""
    block = _moved_block(index, array.ndim)
    if block is None:
        return values
    xp = array_module(array)
    size, position = block
    target = _indexed_shape(array, index)
    try:
        values = xp.broadcast_to(values, target)
    except ValueError:   # left for the write to report
        return values
    return xp.moveaxis(values, range(position, position + size), range(size))


class BasicIndex(Primitive):
    """A view picked by ints, slices, None and Ellipsis; subclasses carry torch's names."""
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
        return ScatterIntoZeros.apply(grad, shape=ctx.input_shape, index=ctx.index)


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
    pass


UnsqueezeIndexBackward0.__name__ = 'UnsqueezeBackward0'
AliasIndexBackward0.__name__ = 'AliasBackward0'


class IndexBackward0(Primitive):
    """Advanced indexing: a copy of the picked elements."""

    def forward(ctx, a, index):
        ctx.input_shape = a.shape
        out = _torch_layout(_index_errors(a.__getitem__, index), index, a.ndim)
        if not out.flags.c_contiguous:
            if not a.flags.c_contiguous:
                return out
            # NumPy lays a slice-then-array result out column-first; torch's is contiguous
            out = array_module(out).ascontiguousarray(out)
        strides = tuple(s * out.itemsize for s in _contiguous_strides(out.shape))
        # torch's, for size-1 dims too (NumPy's moved or new axes may have others)
        return out if out.strides == strides or not out.size else with_strides(out, strides)

    def backward(ctx, grad):
        return ScatterIntoZeros.apply(grad, shape=ctx.input_shape, index=ctx.index,
                                      accumulate=True)


class ScatterIntoZeros(Primitive):
    """zeros(shape) with ``src`` placed (or added, for repeated indices) at ``index``."""

    def forward(ctx, src, shape, index, accumulate=False):
        xp = array_module(src)
        out = xp.zeros(shape, dtype=src.dtype)
        src = _numpy_layout(src, index, out)
        if accumulate:
            xp.add.at(out, index, src)
        else:
            out[index] = src
        return out

    def backward(ctx, grad):
        return getitem(grad, ctx.index, normalized=True)


class IndexPutBackward0(Primitive):
    """index_put_: a copy of ``a`` with ``values`` written at ``index``."""

    def forward(ctx, a, values, index):
        out = a.copy()
        try:
            _index_errors(out.__setitem__, index, _numpy_layout(values, index, out))
        except (ValueError, TypeError):   # TypeError: NumPy's words for a mask's value
            raise RuntimeError(f'shape mismatch: value tensor of shape {list(values.shape)} cannot '
                               f'be broadcast to indexing result of shape '
                               f'{list(_indexed_shape(out, index))}') from None
        return out

    def backward(ctx, grad):
        return (grad.masked_fill(_written_at(grad, ctx.index), 0),  # zeros, even where grad is inf
                getitem(grad, ctx.index, normalized=True))


def _written_at(like, index):
    """A constant bool tensor of like's shape: True where ``index`` points."""
    from .._tensor import wrap
    data = array_module(like._data).zeros(like._data.shape, dtype=bool)
    data[index] = True
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
        if normalized:
            items, basic = index, not any(hasattr(i, 'ndim') for i in index)
        else:
            items, basic = normalize_index(index)
        if basic:
            return _name_for(items).apply(input, index=items)
        return IndexBackward0.apply(input, index=items)
    except IndexError:
        _raise_zero_dim_error(input, index)
        raise


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
        if not basic and (not isinstance(value, Tensor) or value._data.size == 1):
            _check_masked_fill(input, given, index, value)
        if isinstance(value, Tensor) and value.ndim and value._data.shape[0] == 1:
            value = _strip_leading_ones(value)
        if not basic and isinstance(value, Tensor) and value.dtype is not input.dtype:
            _check_index_put_dtype(input, index, value)
        recording = grad_state.enabled and (
            input.requires_grad or (isinstance(value, Tensor) and value.requires_grad))
        if not recording:
            data = value._data if isinstance(value, Tensor) else value
            check_inference_inplace(input)
            _check_writeable(input._data)
            if isinstance(value, Tensor) and value._vc is input._vc:
                _check_value_overlap(input, index, basic, value)
            try:
                _index_errors(input._data.__setitem__, index,
                              data if basic else _numpy_layout(data, index, input._data))
            except (ValueError, TypeError):
                raise _shape_error(input, index, basic, value) from None
            input._vc.value += 1
            return
        # torch's Python-side index errors, and for a view its value's expand, come before its
        # in-place checks (a leaf's error); index_put_'s own checks come after them
        if basic:
            region = _index_errors(input._data.__getitem__, index).shape
            if isinstance(value, Tensor) and value._data.shape != region:
                _check_fits(input, index, basic, value, region)
        elif _dims_indexed(index) > input.ndim:
            raise IndexError(f'too many indices for tensor of dimension {input.ndim}')
        if basic:
            # torch's copy_to, into the tensor itself where the index leaves it whole
            whole = _view_written(input._data, index)[0] is None
            region = input if whole else getitem(input, index, normalized=True)
            if not isinstance(value, Tensor):  # torch writes a number as a 0-d tensor
                value = _make(array_module(input._data).asarray(value), input.dtype)
            if value._data.shape == region._data.shape:
                region.copy_(value)
            elif not value.ndim:
                region.fill_(value)
            else:
                region.copy_(value.expand(region.shape))
        else:
            view, index = _view_written(input._data, index)
            target = input if view is None else getitem(input, view, normalized=True)
            IndexPutBackward0.apply_(target, value, index=index)  # a view's base: CopySlices
    except IndexError:
        _raise_zero_dim_error(input, given)
        raise


def _view_written(array, index):
    """torch's applySlicing before index_put_: the basic items of an advanced ``index`` make
    a view (ints select, None and bools unsqueeze, a slice narrows unless it starts at 0 with
    step 1 and stops at or past the dim's end), through which index_put_ writes with the index
    tensors (a bool as an index of its new dim: [0] or none). Returns the view's index and
    the index into the view, or None and ``index`` where the basic items leave the tensor
    itself."""
    view, into, dim, viewed = [], [], 0, False
    for item in index:
        if item is Ellipsis:
            dim += array.ndim - _dims_indexed(index)
            view.append(item)
            into.append(item)
        elif isinstance(item, slice):
            view.append(item)
            into.append(slice(None))
            viewed = viewed or not (item.start in (None, 0) and item.step in (None, 1) and (
                item.stop is None or item.stop >= array.shape[dim]))
            dim += 1
        elif item is None or item.__class__ is bool or (
                getattr(item, 'dtype', None) == bool and not item.ndim):
            view.append(None)
            into.append(slice(None) if item is None else array_module(array).arange(int(item)))
            viewed = True
        elif not getattr(item, 'ndim', 0):   # an int, Python's or NumPy's
            view.append(int(item))
            dim += 1
            viewed = True
        else:
            width = item.ndim if item.dtype == bool else 1
            view.extend([slice(None)] * width)
            into.append(item)
            dim += width
    return (tuple(view), tuple(into)) if viewed else (None, index)


def _check_value_overlap(input, index, basic, value):
    """torch's overlap checks of ``input[index] = value`` where value is a view of input's
    memory: a copy_ to the region, or index_put_'s stricter check (a 0-d value is a fill)."""
    if not value.ndim:
        return
    if not basic:
        if _dims_indexed(index) > input.ndim:   # torch's index errors come first
            raise IndexError(f'too many indices for tensor of dimension {input.ndim}')
        view = _view_written(input._data, index)[0]   # index_put_ writes into this view
        target = input._data if view is None else input._data[view]
        check_no_partial_overlap(target, value._data, full_allowed=False)
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
        from .._creation import _type_name  # (a cycle at import time)
        raise TypeError(f"can't assign a {_type_name(value)} to a {input.type()}")
    return scalar_to(value, input.dtype)


def _check_masked_fill(input, given, index, value):
    """torch writes a one-element value through a single mask (and no other index tensor)
    with masked_fill_, which takes no uint8 mask and converts the value to input's dtype."""
    tensors = [i for i in index if hasattr(i, 'ndim') or i.__class__ is bool]
    if len(tensors) != 1 or getattr(tensors[0], 'dtype', None) != bool:
        return
    for item in given if isinstance(given, tuple) else (given,):
        if isinstance(item, Tensor) and item.dtype.name == 'uint8':
            raise RuntimeError('masked_fill_ only supports boolean masks, but got mask with '
                               'dtype unsigned char')
    if isinstance(value, Tensor):
        scalar_to(value, input.dtype)


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
    if not arrays or (len(arrays) == 1 and getattr(arrays[0], 'dtype', None) == bool
                      and value.numel() == 1):
        return
    from .shape import infer_size
    target = _indexed_shape(input._data, index)
    try:
        fits = infer_size(value.shape, target) == target
    except RuntimeError:
        fits = False
    if not fits:
        raise _shape_error(input, index, False, value)
    raise RuntimeError('Index put requires the source and destination dtypes match, got '
                       f'{input.dtype.scalar_name} for the destination and '
                       f'{value.dtype.scalar_name} for the source.')


def _dims_indexed(index):
    """How many of the tensor's dims a normalized index uses (a mask: one per its dims)."""
    return sum(item.ndim if getattr(item, 'dtype', None) == bool else 1
               for item in index if item is not None and item is not Ellipsis
               and item.__class__ is not bool)   # a Python bool adds a dim, as None


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
    target = _indexed_shape(input._data, index)
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
