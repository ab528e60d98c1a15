"""Tensor creation: torch.tensor, as_tensor, from_numpy, the filled factories and ranges.

Fill values and range bounds are converted as c10::Scalar::to<T> converts them (torch's
overflow errors). arange and linspace give ATen's CPU kernels' bits: arange is the AVX2
vectorised nullary loop (each vector of 32 bytes starts at ``start + step * i`` and adds
``lane * step``; the tail of each parallel chunk is scalar), both round ``a * b + c`` once
as GCC's contracted FMA does, and arange splits its range into at::parallel_for chunks
(GRAIN_SIZE elements, torch's default thread count) whose vectors start at the chunk.
"""
import collections.abc
import functools
import math
import operator

import numpy

from . import _dtype
from ._config import get_num_threads
from ._dtype import dtype_arg
from ._exact import fma
from ._arguments import class_name, invalid_combination, not_tensor, type_name
from ._device import (CPU, array_module, as_device, backend, cast, check_unpinned, device_of,
                      float_errors_quiet, from_storage, is_dense, iteration_order,
                      quiet_float_errors, to_host, with_strides)
from ._ops.primitive import write_out
from ._scalar import C_NAMES, as_number, fill_scalar, read_float, read_number, scalar_to
from ._tensor import (SCALAR_OF_GRAPH, Tensor, _make, channels_last, channels_last_3d,
                      contiguous_format, memory_format as memory_format_type, preserve_format, wrap)
from ._warnings import warn_at_caller, warn_once
from .autograd.grad_mode import state as grad_state

_NOT_GIVEN = object()   # an argument torch requires, missing: its parser's error, not Python's
_GRAIN_SIZE = 32768   # at::internal::GRAIN_SIZE
_VECTOR_BYTES = 32    # AVX2's Vectorized<T>
_FACTORY_OPTIONS = ('torch.dtype dtype = None, torch.layout layout = None, torch.device device = '
                    'None, bool pin_memory = False, bool requires_grad = False')


def _cast(host, dtype):
    """A NumPy array as ``dtype``; 16-bit floats from float64 round through float32 as c10 does."""
    if dtype.itemsize == 2 and dtype.category == _dtype.FLOAT and host.dtype.itemsize > 4:
        host = cast(host, numpy.dtype(numpy.float32))
    return cast(host, dtype.np)


def _c_int_cast(values, np_type):
    """float64 values as C's static_cast to an integer type on x86: truncated, through int32
    for narrower types, the lowest value of int32/int64 where out of range."""
    wide = numpy.int64 if np_type == numpy.int64 else numpy.int32
    info = numpy.iinfo(wide)
    with numpy.errstate(invalid='ignore'):
        fits = (values >= info.min) & (values < -float(info.min))
        return numpy.where(fits, numpy.trunc(numpy.where(fits, values, 0)), info.min).astype(
            wide).astype(np_type)


def _quiet_floats(function):
    """``function``, rerun under quiet_float_errors where NumPy raised a float error (the user
    set numpy.seterr(all='raise') or made warnings errors): torch's casts and ranges overflow
    to inf and give NaN silently."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (FloatingPointError, RuntimeWarning):
            if float_errors_quiet():
                raise
            with quiet_float_errors():
                return function(*args, **kwargs)
    return run


def _not_implemented(kernel, dtype):
    raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype.scalar_name}\'')


# -------------------------------------------------------------------- results and out=

def _finish(t, requires_grad):
    """A factory's new tensor ``t``, made to require grad when asked."""
    if requires_grad:
        if t.dtype.category < _dtype.FLOAT:  # torch's factories word it apart from requires_grad_
            raise RuntimeError('Only Tensors of floating point and complex dtype can require '
                               'gradients')
        t.requires_grad_(True)
    return t


def _out_dtype(out, dtype):
    """The dtype of a factory with ``out=``: out's own, which an explicit dtype must match."""
    if out is None:
        return dtype
    if dtype is not None and dtype is not out.dtype:
        raise RuntimeError(f'dtype {dtype.scalar_name} does not match dtype of out '
                           f'parameter ({out.dtype.scalar_name})')
    return out.dtype


def _result(host, device, requires_grad, out, name, pin_memory=False):
    """The new tensor of factory ``name``, or ``out`` resized and filled with it."""
    if out is None:
        xp = backend(as_device(device))
        check_unpinned(pin_memory)
        return _finish(wrap(xp.asarray(host)), requires_grad)
    return write_factory_out(wrap(host), out, requires_grad, name)


def _range_result(values, device, requires_grad, out, name, pin_memory):
    """_result of arange/linspace/logspace, whose kernels resize an ``out`` only where its
    number of elements differs (it keeps its shape otherwise)."""
    if out is not None and out.numel() == values.size:
        values = values.reshape(out.shape)
    return _result(values, device, requires_grad, out, name, pin_memory)


def write_factory_out(result, out, requires_grad, name):
    """``out`` filled with factory ``name``'s ``result``: resized without write_out's warning
    (torch's factories resize it themselves), and made to require grad when asked."""
    if out._data.shape != result._data.shape and not out.requires_grad:
        out._data = array_module(out._data).empty(result._data.shape, out._data.dtype)
    return _finish(write_out(result, out, f'aten::{name}'), requires_grad)


# -------------------------------------------------------------------- torch.tensor

def _check_array(array, shares_memory, dtype=None):
    """torch's checks of a NumPy array it converts (writeable, strides, byte order, in its
    order); the array's ember dtype, or None for torch's uint16/32/64, which ember lacks,
    when the array is to be copied as ``dtype``."""
    if shares_memory and not array.flags.writeable:
        warn_once(_NOT_WRITABLE)
    if array.itemsize and any(s % array.itemsize for s in array.strides):
        raise ValueError('given numpy array strides not a multiple of the element byte size. Copy '
                         'the numpy array to reallocate the memory.')
    if any(s < 0 for s in array.strides):
        raise ValueError('At least one stride in the given numpy array is negative, and tensors with '
                         'negative strides are not currently supported. (You can probably work '
                         'around this by making a copy of your array  with array.copy().) ')
    if not array.dtype.isnative:
        raise ValueError('given numpy array has byte order different from the native byte order. '
                         'Conversion between byte orders is currently not supported.')
    if dtype is not None and array.dtype.type in _UNSIGNED:
        return None
    return _dtype.from_numpy_dtype(array.dtype)


_UNSIGNED = (numpy.uint16, numpy.uint32, numpy.uint64)   # torch's, which ember lacks
_NOT_WRITABLE = (
    'The given NumPy array is not writable, and PyTorch does not support non-writable tensors. '
    'This means writing to this tensor will result in undefined behavior. You may want to copy '
    'the array to protect its data or make it writable before converting it to a tensor. This '
    'type of warning will be suppressed for the rest of this program. (Triggered internally at '
    '/__w/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:213.)')
_LIST_OF_ARRAYS = (
    'Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider '
    'converting the list to a single numpy.ndarray with numpy.array() before converting to a '
    'tensor. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)')


def _is_sequence(kind):
    """Whether torch reads objects of type ``kind`` as nested data (PySequence_Check, strings
    and the leaf types excepted): lists, tuples (torch.Size), ranges, deques..."""
    return kind in (list, tuple) or issubclass(kind, _SEQUENCES) and not issubclass(
        kind, (str, bytes, Tensor, numpy.ndarray))


_SEQUENCES = (list, tuple, range, collections.abc.Sequence, collections.abc.MutableSequence)


def _collect_leaves(data, found, tensors, dims):
    """Add to ``found`` the type of each leaf of nested sequences (the dtype of tensors/arrays),
    and to ``tensors`` each tensor leaf; True when some sequence is not a list or tuple, or
    is a tensor. ``data`` spans ``dims`` levels of the shape: a tensor above its last level
    is a sequence to torch (its 0-d tensors, read without grad)."""
    if not data:
        found.add(float)   # an empty sequence has the default dtype
    other = False
    for kind in set(map(type, data)):
        items = (x for x in data if type(x) is kind)
        if _is_sequence(kind):
            other = other or kind not in (list, tuple)
            for item in items:
                other = _collect_leaves(item, found, tensors, dims - 1) or other
        elif issubclass(kind, Tensor):
            for item in items:
                found.add(item.dtype)
                if dims > 1 and item.ndim:
                    other = _collect_leaves(list(item.detach()), found, tensors, dims - 1) or True
                else:
                    tensors.append(item)
        elif issubclass(kind, numpy.ndarray):
            warn_once(_LIST_OF_ARRAYS)
            found.update(item.dtype.type for item in items)   # torch reads its NumPy scalars
        else:
            found.add(kind)
    return other


_NUMBERS = (bool, int, float, complex, numpy.generic)


def _leaf_dtype(kind):
    """torch's dtype for one leaf type of Python data (infer_scalar_type)."""
    if isinstance(kind, _dtype.dtype):
        return kind
    if issubclass(kind, numpy.generic):
        return _dtype.from_numpy_dtype(numpy.dtype(kind))
    if kind is complex and _dtype.get_default_dtype() is _dtype.bfloat16:
        raise RuntimeError('invalid default scalar type for complex')
    if kind in (bool, int, float, complex):
        return _dtype._scalar_dtype(kind())
    if issubclass(kind, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{class_name(kind)}'")
    raise RuntimeError(f'Could not infer dtype of {kind.__name__}')


def _check_leaves(kinds, dtype):
    """torch's TypeErrors for leaves that cannot be stored as ``dtype``."""
    integral = dtype.category in (_dtype.INT, _dtype.BOOL)
    for kind in kinds:
        if not isinstance(kind, type):
            continue
        name = class_name(kind)
        if not issubclass(kind, _NUMBERS):
            raise TypeError(f"'{name}' object cannot be interpreted as an integer" if integral
                            else f'must be real number, not {name}')
        if dtype.category in (_dtype.FLOAT, _dtype.COMPLEX) and kind is not complex:
            continue
        numpy_inexact = issubclass(kind, numpy.inexact) and not issubclass(kind, (float, complex))
        # torch reads an int through __index__, which NumPy's bool has before NumPy 2.3 only
        unindexable_bool = issubclass(kind, numpy.bool_) and not hasattr(kind, '__index__')
        if dtype.category == _dtype.INT and (issubclass(kind, complex) or unindexable_bool) \
                or integral and numpy_inexact:
            raise TypeError(f"'{name}' object cannot be interpreted as an integer")
        if dtype.category == _dtype.FLOAT:
            raise TypeError(f'must be real number, not {name}')


def _check_tensor_leaves(tensors, dtype):
    """torch reads a tensor leaf as a Python number of ``dtype``'s kind (__index__, __float__
    or __complex__), with their errors."""
    for leaf in tensors:
        if dtype.category <= _dtype.INT:
            if leaf.dtype.category > _dtype.INT or leaf.numel() != 1:
                raise TypeError('only integer tensors of a single element can be converted to '
                                'an index')
        else:
            if leaf._requires_grad:   # (read with __float__ or __complex__, which warn)
                warn_once(SCALAR_OF_GRAPH)
            if leaf.numel() != 1:
                raise ValueError('only one element tensors can be converted to Python scalars')
            if dtype.category == _dtype.FLOAT and leaf.dtype.category == _dtype.COMPLEX \
                    and leaf.item().imag:
                raise RuntimeError('value cannot be converted to type double without overflow')


def _python_data(data, dtype):
    """Nested Python data as a NumPy array and its dtype (``dtype``, or torch's inferred one),
    with torch's errors."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type_name(data)}'")
    kinds, tensors = set(), []
    shape = _first_shape(data)
    top = data if isinstance(data, (list, tuple)) else [data]
    dims = len(shape) + (top is not data)
    other_sequences = _collect_leaves(top, kinds, tensors, dims)
    target = dtype or functools.reduce(_dtype.promote_types, map(_leaf_dtype, kinds))
    host_type = _host_type(target, kinds)
    if 0 in shape:   # torch stores no element, so reads no leaf
        return numpy.zeros(shape, host_type), target
    if tensors:   # torch reads a tensor leaf where it stores it, depth first
        _check_nesting(data, shape, target)
    _check_leaves(kinds, target)
    if tensors or other_sequences:
        data = _as_lists(data, target.category == _dtype.COMPLEX, len(shape))
    try:
        host = numpy.asarray(data, dtype=host_type)
    except OverflowError:
        raise ValueError('Overflow when unpacking long long') from None
    except ValueError as error:
        _check_nesting(data, shape, target)
        raise ValueError(str(error)) from None
    if target.category == _dtype.INT and host.size:
        info = numpy.iinfo(target.np)
        low = -info.max if target is _dtype.uint8 and host.dtype.kind == 'i' else info.min
        if numpy.isnan(host.min()) or host.min() < low or host.max() > info.max:
            raise RuntimeError(f'value cannot be converted to type {target.name} without overflow')
    return host, target


def _host_type(target, kinds):
    """The NumPy type Python data is read as before the cast to ``target`` (floats stored in
    an integer type truncate as C casts do, NaN included)."""
    if target.category == _dtype.INT:
        has_float = any(isinstance(k, type) and issubclass(k, float) for k in kinds)
        return numpy.float64 if has_float else numpy.int64
    return {_dtype.BOOL: numpy.bool_, _dtype.COMPLEX: numpy.complex128}.get(
        target.category, numpy.float64)


def _as_lists(data, complex_target, dims):
    """Nested data of ``dims`` levels as nested lists of numbers (tensor leaves read as numbers,
    the imaginary part dropped unless the target is complex; tensors above the last level
    iterated)."""
    if isinstance(data, Tensor) and not (dims > 0 and data.ndim):
        value = data.item()
        return value if complex_target or not isinstance(value, complex) else value.real
    if isinstance(data, Tensor) or _is_sequence(type(data)):
        return [_as_lists(x, complex_target, dims - 1) for x in data]
    return data


def _first_shape(data):
    """torch's shape of nested sequences: the lengths along the first elements."""
    shape = []
    while _is_sequence(type(data)) or isinstance(data, str):
        if isinstance(data, str) and data:   # a str's first item is a str again, forever
            raise ValueError("too many dimensions 'str'")
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    if isinstance(data, numpy.ndarray) and not data.ndim and shape:
        raise TypeError('len() of unsized object')   # torch reads a first array as a sequence
    return tuple(shape)


def _check_nesting(data, shape, dtype, dim=0):
    """torch's error for nested data that does not fill ``shape`` or has a tensor leaf it can't
    read as ``dtype`` (recursive_store's checks, in its depth-first order)."""
    if dim == len(shape):
        if isinstance(data, (list, tuple)):
            name = type(data).__name__
            raise TypeError(f"'{name}' object cannot be interpreted as an integer"
                            if dtype.category <= _dtype.INT else f'must be real number, not {name}')
        if isinstance(data, Tensor):
            _check_tensor_leaves([data], dtype)
        return
    if isinstance(data, Tensor) and data.ndim:
        data = list(data.detach())
    elif not _is_sequence(type(data)):
        raise TypeError('not a sequence')
    if len(data) != shape[dim]:
        raise ValueError(f'expected sequence of length {shape[dim]} at dim {dim} (got {len(data)})')
    for item in data:
        _check_nesting(item, shape, dtype, dim + 1)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: a new tensor copying ``data`` (scalars, nested lists, arrays, tensors)."""
    return _copied(data, dtype_arg(dtype, 'tensor'), device, requires_grad, pin_memory,
                   'torch.tensor')


@_quiet_floats
def _copied(data, dtype, device, requires_grad, pin_memory, caller):
    """torch.tensor's (or ``caller``'s) new tensor copying ``data``."""
    if isinstance(data, Tensor):
        warn_at_caller(
            'To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() '
            'or sourceTensor.detach().clone().requires_grad_(True), rather than '
            f'{caller}(sourceTensor).')
        host, inferred = to_host(data._data), data.dtype
    elif isinstance(data, numpy.ndarray):
        host, inferred = data, _check_array(data, shares_memory=False, dtype=dtype)
    else:
        host, inferred = _python_data(data, dtype)
    dtype = dtype or inferred
    xp = backend(as_device(device))
    check_unpinned(pin_memory)
    order = 'K' if is_dense(host) else 'C'   # torch's copy keeps dense strides only
    return _finish(_make(xp.array(_cast(host, dtype), copy=True, order=order), dtype),
                   requires_grad)


def as_tensor(data, *, dtype=None, device=None):
    """torch.as_tensor: share memory with ``data`` when dtype and device allow."""
    dtype = dtype_arg(dtype, 'as_tensor')
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data.dtype) and (device is None or as_device(device) == data.device):
            return data
        return data.to(device=device, dtype=dtype or data.dtype)
    if isinstance(data, numpy.ndarray) and as_device(device) == CPU:
        array_dtype = _check_array(data, shares_memory=True, dtype=dtype)
        if array_dtype is not None and dtype in (None, array_dtype):
            return _make(data, array_dtype)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(*args, **kwargs):
    """torch.from_numpy(ndarray): a tensor sharing memory with a NumPy array (a builtin taking
    one positional argument: its TypeErrors)."""
    if kwargs or len(args) != 1:
        raise TypeError('torch._VariableFunctionsClass.from_numpy() takes ' + (
            'no keyword arguments' if kwargs else f'exactly one argument ({len(args)} given)'))
    array, = args
    if not isinstance(array, numpy.ndarray):
        raise TypeError(f'expected np.ndarray (got {type_name(array)})')
    return _make(array, _check_array(array, shares_memory=True))


# -------------------------------------------------------------------- filled factories

def _size_arg(args, name, size=_NOT_GIVEN):
    """The size of f(2, 3), f((2, 3)), f([2, 3]), f(torch.Size([2, 3])) or f(size=...), with
    torch's argument errors."""
    if size is not _NOT_GIVEN:
        if args:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        if not isinstance(size, (tuple, list)) or size and not _is_size(size[0]):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, not "
                            f"{type_name(size)}")
        return _size_items(size, name)
    if len(args) == 1:
        return _size_list(args[0], name)
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if not _is_size(args[0]):
        raise TypeError(f'{name}() takes 1 positional argument but {len(args)} were given')
    return _size_items(args, name)


def _size_list(size, name, int_allowed=True):
    """One size argument: a sequence of ints (or, where ``int_allowed``, one int)."""
    if isinstance(size, (tuple, list)):
        if size and not _is_size(size[0]):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type {type_name(size[0])} at pos 0")
        return _size_items(size, name)
    if not (int_allowed and _is_size(size)):
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                        f"not {type_name(size)}")
    return (operator.index(size),)


def _is_size(value):
    """Whether torch's parser reads ``value`` as one size (ints, not bools; integer tensors of
    one element)."""
    if value.__class__ is int:
        return True
    if isinstance(value, Tensor):
        return value.dtype.category == _dtype.INT and value.numel() == 1
    return hasattr(value, '__index__') and not isinstance(value, bool) \
        and not getattr(value, 'ndim', 0)   # (a NumPy array is one only without dims)


def _size_items(sizes, name):
    try:
        return tuple(map(operator.index, sizes))
    except TypeError:
        pos, bad = next((i, s) for i, s in enumerate(sizes) if not _is_size(s)
                        and not isinstance(s, bool))
        raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos {pos + 1} "
                        f'with error "type must be tuple of ints,but got {type_name(bad)}"') from None


def _filled(shape, value, dtype, device, requires_grad, out=None, name=None, pin_memory=False):
    """The one path of every filled factory: ``shape`` filled with ``value`` as ``dtype``."""
    if shape and min(shape) < 0:
        _negative_size(shape, name)
    dtype = _out_dtype(out, dtype) or _dtype.get_default_dtype()
    fill = _fill_value(value, dtype, shape)
    try:
        if out is not None:
            return write_factory_out(wrap(numpy.full(shape, fill, dtype.np)), out, requires_grad,
                                     name)
        xp = backend(as_device(device))
        check_unpinned(pin_memory)
        if fill.__class__ is int and not fill:  # zeros straight from the allocator
            data = xp.zeros(shape, dtype.np)
        else:
            data = xp.empty(shape, dtype.np)
            data.fill(fill)
    except (ValueError, MemoryError) as error:   # NumPy's for sizes it can't allocate
        raise allocation_error(shape, dtype, name or 'empty', error) from None
    return _finish(_make(data, dtype), requires_grad)


def allocation_error(shape, dtype, name, error):
    """torch's error for a tensor of ``shape`` that NumPy failed to allocate with ``error``: the
    parser's for a size beyond int64, c10's where the bytes overflow int64 (its product of the
    sizes wraps in uint64, so a later 0 doesn't save it), else the CPU allocator's."""
    check_int64_sizes(shape, name)
    count, overflowed = 1, False
    for size in shape:
        count *= size
        overflowed = overflowed or count >= 2 ** 64
        count %= 2 ** 64
    if overflowed or count * dtype.itemsize >= 2 ** 63:
        return RuntimeError(f'Storage size calculation overflowed with sizes={list(shape)}')
    if isinstance(error, MemoryError):
        return RuntimeError(
            '[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can\'t allocate '
            f'memory: you tried to allocate {count * dtype.itemsize} bytes. Error code 12 (Cannot '
            'allocate memory)')
    return error


def check_int64_sizes(shape, name):
    """torch's parser error for a size beyond int64 (as ``name``'s)."""
    for pos, size in enumerate(shape):
        if not -2 ** 63 <= size < 2 ** 63:
            raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos "
                            f'{pos + 1} with error "Overflow when unpacking long long"')


def _negative_size(shape, name):
    """torch's error for a shape with a negative size (zeros has its own)."""
    check_int64_sizes(shape, name or 'empty')
    if name == 'zeros':
        raise RuntimeError('zeros: Dimension size must be non-negative.')
    negative = next(s for s in shape if s < 0)
    raise RuntimeError(f'Trying to create tensor with negative dimension {negative}: '
                       f'{list(shape)}')


def _fill_value(value, dtype, shape):
    """``value`` as torch's fill_ converts it to a ``shape`` of ``dtype`` (fill_scalar); the
    Python ints 0 and 1, exact in every dtype, as they are (NumPy stores them faster than its
    own scalars)."""
    if value.__class__ is int and 0 <= value <= 1:
        return value
    return fill_scalar(value, dtype, math.prod(shape))


def zeros(*args, size=_NOT_GIVEN, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """torch.zeros."""
    dtype = dtype_arg(dtype, 'zeros')
    return _filled(_size_arg(args, 'zeros', size), 0, dtype, device, requires_grad, out, 'zeros',
                   pin_memory)


def ones(*args, size=_NOT_GIVEN, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """torch.ones."""
    dtype = dtype_arg(dtype, 'ones')
    return _filled(_size_arg(args, 'ones', size), 1, dtype, device, requires_grad, out, 'ones',
                   pin_memory)


def empty(*args, size=_NOT_GIVEN, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """torch.empty: ember fills with zeros (uninitialised memory has no defined value anyway)."""
    dtype = dtype_arg(dtype, 'empty')
    shape = _size_arg(args, 'empty', size)
    _check_memory_format(memory_format, 'empty')
    if out is not None and memory_format is not None:
        _out_dtype(out, dtype)   # (torch's binding checks it first)
        raise RuntimeError("'memory_format' argument is incompatible with 'out' tensor argument")
    if out is not None and out.requires_grad and grad_state.enabled:  # (torch resizes it first)
        raise RuntimeError('cannot resize variables that require grad')
    strides = None if memory_format is None else _format_strides(shape, memory_format)
    t = _filled(shape, 0, dtype, device, requires_grad, out, 'empty', pin_memory)
    if strides is not None and t._data.size:
        t._data = with_strides(t._data, tuple(s * t._data.itemsize for s in strides))
    return t


def _format_strides(shape, memory_format):
    """The strides, in elements, of a new tensor of ``shape`` in ``memory_format`` (None for
    C-contiguous), with torch's errors."""
    if memory_format is contiguous_format:
        return None
    if memory_format is preserve_format:
        raise RuntimeError('unsupported memory format Preserve')
    rank = {channels_last: 4, channels_last_3d: 5}[memory_format]
    if len(shape) != rank:
        raise RuntimeError(f'required rank {rank} tensor to use {memory_format.name} format')
    return _dense_strides(shape, (0, *range(2, rank), 1))


def _check_memory_format(memory_format, name):
    """torch's parser error for a memory_format argument of another type."""
    if not (memory_format is None or isinstance(memory_format, memory_format_type)):
        raise TypeError(f"{name}(): argument 'memory_format' must be torch.memory_format, not "
                        f'{type_name(memory_format)}')


def _dense_strides(shape, axes):
    """The strides, in elements, of ``shape`` laid out densely, dims ``axes`` outermost first."""
    strides, step = [0] * len(shape), 1
    for dim in reversed(axes):
        strides[dim] = step
        step *= shape[dim]
    return tuple(strides)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """torch.full: the dtype follows fill_value (bool, int64, default float, complex)."""
    dtype = dtype_arg(dtype, 'full')
    size = _size_list(size, 'full', int_allowed=False)
    fill_value = _fill_arg(fill_value, 'full')
    if dtype is None and out is None:
        dtype = _dtype._scalar_dtype(fill_value)
    return _filled(size, fill_value, dtype, device, requires_grad, out, 'full', pin_memory)


def _fill_arg(value, name):
    """A fill_value as torch's parser reads a Number (see read_number)."""
    number = read_number(value)
    if number is None:
        raise TypeError(f"{name}(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type_name(value)}")
    return number


def _like(input, value, dtype, device, requires_grad, name, pin_memory, memory_format):
    """A filled tensor shaped as ``input``, with at::empty_like's strides for ``memory_format``
    (see _like_strides; a C-contiguous input without size-1 dims has the new array's)."""
    try:
        data = input._data
    except AttributeError:
        raise not_tensor(name, input) from None
    device = device_of(data) if device is None else device
    if memory_format is None and data.flags.c_contiguous and 1 not in data.shape:
        return _filled(data.shape, value, dtype or input.dtype, device, requires_grad,
                       pin_memory=pin_memory)
    strides = _like_strides(input, memory_format, name)
    t = _filled(data.shape, value, dtype or input.dtype, device, requires_grad,
                pin_memory=pin_memory)
    if data.size:   # (a constant fill may take any dense layout)
        t._data = with_strides(t._data, tuple(s * t._data.itemsize for s in strides))
    return t


def _like_strides(input, memory_format, name):
    """The strides, in elements, of at::empty_like(input, memory_format), with torch's errors:
    a dense input's own (preserve_format: those of its size-1 dims too), else its dims' order
    made dense (infer_dense_strides); C-contiguous; channels last (NHWC, NDHWC)."""
    _check_memory_format(memory_format, name)
    layout = like_layout(input, memory_format)
    if layout is not input._data or is_dense(layout):
        return tuple(s // layout.itemsize for s in layout.strides)
    return _dense_strides(layout.shape, _fill_axes(layout))


def like_layout(input, memory_format):
    """An array laid out as at::empty_like(input, memory_format) lays out its result: like
    input (preserve_format), C-contiguous, or channels last (NHWC, NDHWC), with torch's
    errors for a memory format it can't take."""
    data = input._data
    if memory_format is None or memory_format is preserve_format:
        return data
    strides = _format_strides(data.shape, memory_format)   # (in elements: bytes of bools)
    layout = numpy.empty(data.shape, numpy.bool_)
    return layout if strides is None else with_strides(layout, strides)


def _fill_axes(a):
    """``a``'s dimensions, outermost first, in the order TensorIterator (and empty_like's
    infer_dense_strides) walks them."""
    return iteration_order(a.shape, [a.strides])[::-1]


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, pin_memory=False):
    """torch.zeros_like."""
    dtype = dtype_arg(dtype, 'zeros_like')
    return _like(input, 0, dtype, device, requires_grad, 'zeros_like', pin_memory,
                 memory_format)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, pin_memory=False):
    """torch.ones_like."""
    dtype = dtype_arg(dtype, 'ones_like')
    return _like(input, 1, dtype, device, requires_grad, 'ones_like', pin_memory,
                 memory_format)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, pin_memory=False):
    """torch.empty_like (zeros, as ember's empty)."""
    dtype = dtype_arg(dtype, 'empty_like')
    return _like(input, 0, dtype, device, requires_grad, 'empty_like', pin_memory,
                 memory_format)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, pin_memory=False):
    """torch.full_like: the input's dtype unless one is given."""
    dtype = dtype_arg(dtype, 'full_like')
    return _like(input, _fill_arg(fill_value, 'full_like'), dtype, device, requires_grad,
                 'full_like', pin_memory, memory_format)


def eye(n=_NOT_GIVEN, m=_NOT_GIVEN, *, out=None, dtype=None, layout=None, device=None,
        requires_grad=False, pin_memory=False):
    """torch.eye: ones on the diagonal of an n x m matrix."""
    given = [value for value in (n, m) if value is not _NOT_GIVEN]
    if n is _NOT_GIVEN or not all(map(_is_size, given)):
        _eye_argument_error(n, given, _given_options(out, dtype, layout, device, pin_memory,
                                                     requires_grad))
    dtype = dtype_arg(dtype, 'eye')
    n, m = (operator.index(value) for value in (n, n if m is _NOT_GIVEN else m))
    for name, value in (('n', n), ('m', m)):
        if not -2 ** 63 <= value < 2 ** 63:
            raise ValueError('Overflow when unpacking long long')
        if value < 0:
            raise RuntimeError(f'{name} must be greater or equal to 0, got {value}')
    dtype = _out_dtype(out, dtype) or _dtype.get_default_dtype()
    return _result(numpy.eye(n, m, dtype=dtype.np), device, requires_grad, out, 'eye', pin_memory)


_EYE_SIGNATURES = tuple(f'(int n, {m}*, Tensor out = None, {_FACTORY_OPTIONS})'
                        for m in ('', 'int m, '))


def _eye_argument_error(n, given, options):
    """torch's parser error for eye's arguments: only eye(n) takes one argument (keywords
    counted), so one bad or missing n is that overload's error, anything else lists both."""
    if len(given) + len(options) != 1:
        raise invalid_combination('eye', given, reversed(options.items()), _EYE_SIGNATURES)
    if n is _NOT_GIVEN:
        raise TypeError('eye() missing 1 required positional arguments: "n"')
    raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {type_name(n)}")


# -------------------------------------------------------------------- Tensor.new_*

def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None):
    """torch.Tensor.new_tensor: torch.tensor with this tensor's dtype and device by default."""
    return _copied(data, dtype_arg(dtype, 'new_tensor') or self.dtype, device or self.device,
                   requires_grad, False, 'tensor.new_tensor')


def new_zeros(self, *args, size=_NOT_GIVEN, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    """torch.Tensor.new_zeros."""
    return _filled(_size_arg(args, 'new_zeros', size), 0, dtype or self.dtype, device or self.device,
                   requires_grad, name='new_zeros', pin_memory=pin_memory)


def new_ones(self, *args, size=_NOT_GIVEN, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    """torch.Tensor.new_ones."""
    return _filled(_size_arg(args, 'new_ones', size), 1, dtype or self.dtype, device or self.device,
                   requires_grad, name='new_ones', pin_memory=pin_memory)


def new_empty(self, *args, size=_NOT_GIVEN, dtype=None, device=None, requires_grad=False, layout=None,
              pin_memory=False):
    """torch.Tensor.new_empty (zeros, as ember's empty)."""
    return _filled(_size_arg(args, 'new_empty', size), 0, dtype or self.dtype, device or self.device,
                   requires_grad, name='new_empty', pin_memory=pin_memory)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    """torch.Tensor.new_full."""
    return _filled(_size_list(size, 'new_full', int_allowed=False),
                   _fill_arg(fill_value, 'new_full'), dtype or self.dtype, device or self.device,
                   requires_grad, name='new_full', pin_memory=pin_memory)


# -------------------------------------------------------------------- exact arithmetic

def _fma(a, b, c, np_type):
    """a * b + c rounded once to ``np_type`` (float32 or float64), as ATen's fused kernels."""
    a, b, c = numpy.broadcast_arrays(*(numpy.asarray(x, np_type) for x in (a, b, c)))
    with numpy.errstate(all='ignore'):
        return fma(a, b, c)


# -------------------------------------------------------------------- ranges

def _vector_layout(n, lanes):
    """For each index of ATen's vectorised nullary loop: where its vector starts, and its lane
    (0 in each parallel chunk's scalar tail)."""
    start, lane = numpy.arange(n), numpy.zeros(n, numpy.int64)
    threads = get_num_threads()
    chunk = n if n < _GRAIN_SIZE or threads == 1 else -(-n // min(threads, -(-n // _GRAIN_SIZE)))
    for begin in range(0, n, max(chunk, 1)):
        vectorised = numpy.arange(min(chunk, n - begin) // (2 * lanes) * 2 * lanes)
        start[begin:begin + vectorised.size] = begin + vectorised // lanes * lanes
        lane[begin:begin + vectorised.size] = vectorised % lanes
    return start, lane


_ARANGE_OVERLOADS = (('end',), ('start', 'end'), ('start', 'end', 'step'))
_ARANGE_SIGNATURES = (f'(Number end, *, Tensor out = None, {_FACTORY_OPTIONS})',
                      f'(Number start, Number end, *, {_FACTORY_OPTIONS})',
                      f'(Number start, Number end, Number step = 1, *, Tensor out = None, '
                      f'{_FACTORY_OPTIONS})')


def _given_options(out, dtype, layout, device, pin_memory, requires_grad):
    """A factory's options that are not their defaults, by name (for torch's parser errors)."""
    return {name: value for name, value, default in (
        ('out', out, None), ('dtype', dtype, None), ('layout', layout, None),
        ('device', device, None), ('pin_memory', pin_memory, False),
        ('requires_grad', requires_grad, False)) if value is not default}


def _arange_bounds(args, bounds, options):
    """(start, end, step) of arange's overloads (end), (start, end) and (start, end, step=1),
    given by position or keyword, as torch's parser matches them; its errors otherwise (the
    one overload's where only one takes that many arguments: one argument, ``end``)."""
    for names in _ARANGE_OVERLOADS:
        given = dict(zip(names, args))
        if len(args) > len(names) or given.keys() & bounds.keys():
            continue
        given.update(bounds)
        numbers = {name: read_number(value) for name, value in given.items()}
        if given.keys() <= set(names) and {'start', 'end'} & set(names) <= given.keys() \
                and None not in numbers.values():
            return numbers.get('start', 0), numbers['end'], numbers.get('step', 1)
    if len(args) + len(bounds) + len(options) == 1:
        if not args and 'end' not in bounds:
            raise TypeError('arange() missing 1 required positional arguments: "end"')
        where, end = (' (position 1)', args[0]) if args else ('', bounds['end'])
        raise TypeError(f"arange(): argument 'end'{where} must be Number, not {type_name(end)}")
    raise invalid_combination('arange', args, {**bounds, **options}, _ARANGE_SIGNATURES)


def _arange_count(start, end, step, dtype):
    """ATen's compute_arange_size: checks in double; int64 counts in (wrapping) int64."""
    d_start, d_end, d_step = (float(scalar_to(v, _dtype.float64)) for v in (start, end, step))
    if not (d_step > 0 or d_step < 0):   # (NaN too)
        raise RuntimeError('step must be nonzero')
    if not (math.isfinite(d_start) and math.isfinite(d_end)):
        raise RuntimeError(f'unsupported range: {d_start:g} -> {d_end:g}')
    if (d_step > 0 and d_end < d_start) or (d_step < 0 and d_end > d_start):
        raise RuntimeError('upper bound and lower bound inconsistent with step sign')
    if dtype is _dtype.int64:
        x_start, x_end, x_step = (int(scalar_to(v, _dtype.int64)) for v in (start, end, step))
        if not x_step:
            raise ValueError('step must be nonzero')
        wrap64 = lambda x: (x + 2 ** 63) % 2 ** 64 - 2 ** 63  # noqa: E731
        numerator = wrap64(wrap64(x_end - x_start) + x_step - (1 if x_step > 0 else -1))
        size = float(abs(numerator) // abs(x_step) * (1 if (numerator < 0) == (x_step < 0) else -1))
    else:
        with numpy.errstate(all='ignore'):
            size = float(numpy.ceil(numpy.float64(d_end - d_start) / d_step))
    if not 0 <= size <= float(2 ** 63 - 1):
        raise RuntimeError('invalid size, possible overflow?')
    return int(size) if size < 2 ** 63 else -2 ** 63   # (2**63 passes the check, as C casts it)


def _arange_values(start, step, count, dtype):
    """ATen's arange_kernel: int types exactly in int64; floats in the accumulate type."""
    if dtype.category == _dtype.INT:
        start, step = (int(scalar_to(v, _dtype.int64)) for v in (start, step))
        return (numpy.arange(count, dtype=numpy.int64) * numpy.int64(step) + start).astype(dtype.np)
    acc = _dtype.float32 if dtype.itemsize == 2 else _dtype.float64
    start, step = scalar_to(start, acc), scalar_to(step, acc)
    vector_start, lane = _vector_layout(count, _VECTOR_BYTES // dtype.itemsize)
    base = _fma(step, vector_start.astype(acc.np), start, acc.np).astype(dtype.np)
    return _fma(lane.astype(acc.np), step, base.astype(acc.np), acc.np).astype(dtype.np)


@_quiet_floats
def arange(*args, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False, **bounds):
    """torch.arange(end), arange(start, end, step=1): start + i * step as ATen's vectorised CPU
    kernel rounds it."""
    options = _given_options(out, dtype, layout, device, pin_memory, requires_grad)
    start, end, step = _arange_bounds(args, bounds, options)
    dtype = dtype_arg(dtype, 'arange')
    floating = any(isinstance(v, (float, complex)) for v in (start, end, step))
    dtype = _out_dtype(out, dtype) or (_dtype.get_default_dtype() if floating else _dtype.int64)
    if dtype.category in (_dtype.BOOL, _dtype.COMPLEX):
        _not_implemented('arange_cpu', dtype)
    count = _arange_count(start, end, step, dtype)
    if out is not None and out.numel() not in (0, count):
        warn_at_caller(f'The number of elements in the out tensor of shape {list(out.shape)} is '
                       f'{out.numel()} which does not match the computed number of elements '
                       f'{count}. Note that this may occur as a result of rounding error. The out '
                       f'tensor will be resized to a tensor of shape ({count},). (Triggered '
                       'internally at /__w/pytorch/pytorch/aten/src/ATen/native/'
                       'RangeFactories.cpp:199.)')
    if count < 0:
        raise RuntimeError(f'IntArrayRef contains an int that cannot be represented as a SymInt: '
                           f'{count}')
    values = _range_values('arange', (count,), dtype, _arange_values, start, step, count, dtype)
    return _range_result(values, device, requires_grad, out, 'arange', pin_memory)


def _space_signatures(name):
    base = ', float base = 10.0' if name == 'logspace' else ''
    return tuple(f'({first} start, {second} end, int steps{base}, *, Tensor out = None, '
                 f'{_FACTORY_OPTIONS})' for first, second in (
                     ('Tensor', 'Tensor'), ('Number', 'Tensor'), ('Tensor', 'Number'),
                     ('Number', 'Number')))


def _space_args(name, start, end, steps, options, base=10.0):
    """(start, end, steps, base) of linspace/logspace as torch's parser reads its overloads
    (each bound a Tensor or a Number, steps an int, base a float), with torch's errors (which
    name the keywords given in reverse, here in reverse order of the signature); only
    0-dimensional tensors bound a range."""
    bounds = [b if isinstance(b, Tensor) else read_number(b) for b in (start, end)]
    count = _steps_arg(steps)
    power = read_float(base)
    if None in bounds or count is None or power is None:
        if not (base.__class__ is float and base == 10.0):
            options = {'base': base, **options}
        given = (start, end) if steps is _NOT_GIVEN else (start, end, steps)
        raise invalid_combination(name, given, reversed(options.items()), _space_signatures(name))
    dims = [f'{which} with {b.ndim} dimension(s)' for which, b in zip(('start', 'end'), bounds)
            if isinstance(b, Tensor) and b.ndim]
    if dims:
        raise RuntimeError(f'{name} only supports 0-dimensional start and end tensors, but got '
                           f'{" and ".join(dims)}.')
    return bounds[0], bounds[1], count, power


def _steps_arg(steps):
    """An int argument as torch's parser reads it (no bools; 0-d integer tensors), or None."""
    if isinstance(steps, Tensor):
        return int(steps.item()) if not steps.ndim and steps.dtype.category == _dtype.INT else None
    if isinstance(steps, bool) or not hasattr(steps, '__index__'):
        return None
    return operator.index(steps)


def _space_dtype(name, start, end, steps, out, dtype):
    """The dtype of linspace/logspace (complex bounds make it complex), with torch's checks (a
    bool range has no kernel, which one of at most one element doesn't run)."""
    if steps < 0:
        raise RuntimeError('number of steps must be non-negative')
    dtype = _out_dtype(out, dtype)
    if any(isinstance(v, complex) or (isinstance(v, Tensor) and v.is_complex())
           for v in (start, end)):
        inferred = _dtype.default_complex_dtype()
        if dtype is not None and dtype.category != _dtype.COMPLEX:
            raise RuntimeError(f"torch.{name}(): inferred dtype {C_NAMES[inferred.name]} can't be "
                               f'safely cast to passed dtype {dtype.scalar_name}')
        dtype = dtype or inferred
    dtype = dtype or _dtype.get_default_dtype()
    if dtype is _dtype.bool and steps > 1:
        _not_implemented(f'{name}_cpu', dtype)
    return dtype


def _range_values(name, shape, dtype, compute, *args):
    """``compute(*args)``, the values of a range of ``shape``; torch's errors where NumPy can't
    allocate them."""
    try:
        return compute(*args)
    except (ValueError, MemoryError) as error:
        raise allocation_error(shape, dtype, name, error) from None


def _halves(steps):
    """Which indices count up from start (the first steps // 2), and each one's distance."""
    index = numpy.arange(steps)
    low = index < steps // 2
    return low, numpy.where(low, index, steps - 1 - index)


def _linspace_real(start, end, steps, np_type):
    """ATen's linspace_kernel for a real type: start + step * i, then end - step * (n - 1 - i)."""
    low, distance = _halves(steps)
    origin = numpy.where(low, start, end)
    if np_type.kind in 'iu':   # step in double, results truncated
        step = (float(end) - float(start)) / (steps - 1)
        return _c_int_cast(_fma(numpy.where(low, step, -step), distance, origin, numpy.float64),
                           np_type)
    if np_type.itemsize == 2:   # Half/BFloat16 operators: float32 math rounded to the type
        rounded = lambda x: numpy.asarray(x, numpy.float32).astype(np_type).astype(numpy.float32)  # noqa: E731
        step = rounded(rounded(numpy.float32(end) - numpy.float32(start)) / rounded(steps - 1))
        product = rounded(step * rounded(distance))
        return rounded(origin.astype(numpy.float32) + numpy.where(low, product, -product)).astype(np_type)
    step = (np_type.type(end) - np_type.type(start)) / np_type.type(steps - 1)
    return _fma(numpy.where(low, step, -step), distance.astype(np_type), origin, np_type.type)


def _linspace_values(start, end, steps, dtype):
    if steps <= 1:   # ATen fills a one-element result with start, converting no other bound
        return numpy.full(steps, _fill_value(start, dtype, (1,)) if steps else 0, dtype.np)
    start, end = scalar_to(start, dtype), scalar_to(end, dtype)
    if dtype.category != _dtype.COMPLEX:
        return _linspace_real(start, end, steps, dtype.np)
    real = dtype.to_real().np
    parts = (_linspace_real(getattr(start, p), getattr(end, p), steps, real) for p in ('real', 'imag'))
    values = numpy.empty(steps, dtype.np)
    values.real, values.imag = parts
    return values


@_quiet_floats
def linspace(start, end, steps=_NOT_GIVEN, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """torch.linspace: the first half counts up from start, the second half down from end."""
    start, end, steps, _ = _space_args('linspace', start, end, steps, _given_options(
        out, dtype, layout, device, pin_memory, requires_grad))
    dtype = dtype_arg(dtype, 'linspace')
    dtype = _space_dtype('linspace', start, end, steps, out, dtype)
    values = _range_values('linspace', (steps,), dtype, _linspace_values, start, end, steps, dtype)
    return _range_result(values, device, requires_grad, out, 'linspace', pin_memory)


def _logspace_exponents(start, end, steps, dtype):
    """logspace's exponents in double (complex: in dtype), as RangeFactories.cpp computes them."""
    low, distance = _halves(steps)
    if dtype.category == _dtype.COMPLEX:
        step = (end - start) / dtype.np.type(steps - 1)
        return numpy.where(low, start + step * distance, end - step * distance)
    if dtype.category == _dtype.INT:
        difference = int(end) - int(start)
    elif dtype.itemsize == 2:   # Half - Half: float32 math rounded to the type
        difference = (numpy.float32(end) - numpy.float32(start)).astype(dtype.np)
    else:
        difference = end - start
    step = float(difference) / (steps - 1)
    return numpy.where(low, float(start) + step * distance, float(end) - step * distance)


def _std_pow(base, exponent, complex_exponent):
    """libstdc++'s std::pow(double base, double or complex<double> exponent): C's pow, NaN for a
    negative base and fractional exponent; with a complex exponent, polar(pow(base, re), im *
    log(base)) for a positive base, else exp(exponent * log(base)) as complex numbers."""
    with numpy.errstate(all='ignore'):
        base = numpy.float64(base)
        if not complex_exponent:
            return base ** numpy.float64(exponent)
        exponent = numpy.complex128(exponent)
        if base > 0:
            rho, theta = base ** exponent.real, exponent.imag * numpy.log(base)
            return complex(rho * numpy.cos(theta), rho * numpy.sin(theta))
        return complex(numpy.exp(exponent * numpy.log(numpy.complex128(base))))


@_quiet_floats
def logspace(start, end, steps=_NOT_GIVEN, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """torch.logspace: base ** linspace(start, end, steps), exponents as ATen computes them."""
    start, end, steps, base = _space_args('logspace', start, end, steps, _given_options(
        out, dtype, layout, device, pin_memory, requires_grad), base)
    dtype = dtype_arg(dtype, 'logspace')
    dtype = _space_dtype('logspace', start, end, steps, out, dtype)
    if steps <= 1:   # ATen fills a one-element result with std::pow(base, start)
        fill = _fill_value(_std_pow(base, as_number(start), dtype.category == _dtype.COMPLEX),
                           dtype, (1,)) if steps else 0
        return _range_result(numpy.full(steps, fill, dtype.np), device, requires_grad, out,
                             'logspace', pin_memory)
    start, end = scalar_to(start, dtype), scalar_to(end, dtype)
    exponents = _range_values('logspace', (steps,), dtype, _logspace_exponents, start, end, steps,
                              dtype)
    with numpy.errstate(all='ignore'):
        values = numpy.power(dtype.np.type(base) if dtype.category == _dtype.COMPLEX else float(base),
                             exponents)
    if dtype.category == _dtype.INT:
        values = _c_int_cast(values, dtype.np)
    return _range_result(_cast(values, dtype), device, requires_grad, out, 'logspace',
                         pin_memory)


def _rebuild_tensor(host, dtype_name, requires_grad, offset=0, shape=None, strides=None,
                    writeable=True, cls=Tensor):
    """Unpickling counterpart of Tensor.__reduce_ex__: a view of the pickled memory (``host``
    itself from pickles without a layout), of the pickled tensor's class."""
    if shape is not None:
        host = from_storage(host, offset, shape, strides, writeable)
    t = _make(host, getattr(_dtype, dtype_name))
    t._vc.value += 1   # (torch's set_ to the unpickled storage)
    t.__class__ = cls
    t._requires_grad = requires_grad
    return t


FUNCTIONS = ('tensor', 'as_tensor', 'from_numpy', 'zeros', 'ones', 'empty', 'full',
             'zeros_like', 'ones_like', 'empty_like', 'full_like', 'arange', 'linspace',
             'logspace', 'eye')
TENSOR_METHODS = {name: globals()[name] for name in
                  ('new_tensor', 'new_zeros', 'new_ones', 'new_empty', 'new_full')}
