"""Devices and the array backend behind them: NumPy for 'cpu', CuPy for 'cuda'.

Op code never imports numpy for array math: it asks for the module of its arrays
(``array_module``) or of a device (``backend``), so CuPy slots in unchanged.
"""
import numpy


class device:
    """torch.device: a device type ('cpu' or 'cuda') and an optional index."""

    __slots__ = ('type', 'index')

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f'device() received an invalid combination of arguments - got ({type.__class__.__name__})')
        name, _, idx = type.partition(':')
        if name not in ('cpu', 'cuda', 'meta'):
            raise RuntimeError(
                f'Expected one of cpu, cuda, meta device type at start of device string: {type}')
        if idx:
            if index is not None:
                raise RuntimeError(f'type (string) must not include an index because index was passed explicitly: {type}')
            if not idx.isdigit():
                raise RuntimeError(f'Invalid device string: {type!r}')
            index = int(idx)
        self.type, self.index = name, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f'{self.type}:{self.index}'

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return device, (str(self),)


CPU = device('cpu')


def as_device(d):
    """Normalise a device argument (None, str, int or device) to a device object."""
    if d is None or d is CPU:
        return CPU
    if isinstance(d, int):
        return device('cuda', d)
    d = d if isinstance(d, device) else device(d)
    if d.type == 'cuda' and d.index is None:
        return device('cuda', 0)
    return d


def backend(d):
    """The array module (numpy or cupy) that holds tensors of device ``d``."""
    if d.type == 'cpu':
        return numpy
    return _cupy()


def _cupy():
    try:
        import cupy
    except ImportError:
        raise RuntimeError('Torch not compiled with CUDA enabled') from None
    return cupy


def array_module(array):
    """The module (numpy or cupy) of an array: Chainer's get_array_module."""
    if array.__class__ is numpy.ndarray:  # the common case, without a call
        return numpy
    return _cupy() if _on_gpu(array) else numpy


def device_of(array):
    """The ember device an array lives on."""
    if array.__class__ is numpy.ndarray:
        return CPU
    return device('cuda', array.device.id) if _on_gpu(array) else CPU


def is_dense(array):
    """Whether an array's elements fill its memory without gaps or overlaps, in any dim order
    (torch's is_non_overlapping_and_dense; a negative stride, which no tensor has, is not)."""
    if array.flags.c_contiguous or array.flags.f_contiguous:
        return True
    expected = array.itemsize
    for stride, size in sorted(zip(array.strides, array.shape)):
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


def to_host(array):
    """A NumPy array with the values of ``array`` (no copy for NumPy arrays)."""
    return array.get() if _on_gpu(array) else array


def _on_gpu(array):
    cls = array.__class__
    if cls is numpy.ndarray:
        return False
    on_gpu = _ON_GPU.get(cls)
    if on_gpu is None:
        on_gpu = _ON_GPU[cls] = cls.__module__.startswith('cupy')
    return on_gpu


_ON_GPU = {}  # class -> whether its instances are CuPy (GPU) arrays


def quiet_float_errors():
    """A context in which NumPy neither warns nor raises on float overflow, division by zero
    or invalid results (torch returns inf and nan silently), where the user set
    numpy.seterr(all='raise') or turned warnings into errors. CuPy never raises these."""
    return numpy.errstate(all='ignore')


def as_array(value):
    """A 0-d array for a NumPy scalar: NumPy returns scalars from ops on 0-d arrays (CuPy
    returns 0-d arrays, so a scalar result is always a host one)."""
    return numpy.asarray(value)


def memory_owner(array):
    """The array that owns ``array``'s memory (the end of its chain of bases)."""
    while isinstance(array.base, type(array)):
        array = array.base
    return array


def with_strides(array, strides):
    """A view of ``array``'s elements with other ``strides`` (bytes), for the free strides of
    size-1 dims (torch's depend on how a dim was made); NumPy only."""
    view = _view_on_owner(array, strides)
    if view is None:
        return array
    if not array.flags.writeable:
        view.flags.writeable = False
    return view


def writable_alias(array):
    """A writable view of the elements of a read-only view (an expanded tensor's), or None
    where the memory itself is read-only; NumPy only."""
    view = _view_on_owner(array, array.strides)
    return view if view is not None and view.flags.writeable else None


def _view_on_owner(array, strides):
    """A view of ``array``'s elements built on the memory's owner, so that its base is an array
    as NumPy's own views' (as_strided's is not); None where NumPy can't take the owner as a
    buffer (not contiguous) or for CuPy arrays."""
    if array.__class__ is not numpy.ndarray:
        return None
    if not array.size:   # no element to share (and NumPy refuses an offset past an empty buffer)
        return numpy.ndarray(array.shape, array.dtype, strides=strides)
    owner = memory_owner(array)
    if not owner.flags.c_contiguous:
        if not owner.flags.f_contiguous:
            return None
        owner = owner.T   # the same memory, as a buffer NumPy takes
    offset = array.__array_interface__['data'][0] - owner.__array_interface__['data'][0]
    return numpy.ndarray(array.shape, array.dtype, owner, offset, strides)


def broadcast_view(array, shape):
    """A view of ``array`` broadcast to ``shape`` (xp.broadcast_to), read-only where it repeats
    elements (torch refuses in-place writes to those; other expands are plain views). For
    contiguous NumPy arrays it is built directly from strides: NumPy's broadcast_to costs far
    more."""
    lead = len(shape) - array.ndim
    if tuple(shape[lead:]) == array.shape and all(size == 1 for size in shape[:lead]):
        return array[(None,) * lead + (...,)]  # nothing repeated: new size-1 dims at most
                                                # (the Ellipsis keeps a 0-d array's view a view)
    if array.__class__ is not numpy.ndarray or not array.flags.c_contiguous:
        return array_module(array).broadcast_to(array, shape)
    strides = [0] * lead
    for size, own_size, stride in zip(shape[lead:], array.shape, array.strides):
        strides.append(stride if own_size == size else 0)
    view = numpy.ndarray(shape, array.dtype, array, 0, strides)
    view.flags.writeable = False
    return view


def iteration_order(shape, operand_strides):
    """The dims of ``shape``, innermost first, in the order torch's TensorIterator walks its
    operands (reorder_dimensions): an insertion sort by the strides of each operand in turn,
    where a 0 stride (a broadcast dim) decides nothing and equal strides put the smaller dim
    inside; the first operand that orders two dims decides."""
    def outer(dim0, dim1):   # 1: dim0 goes outside dim1, -1: inside, 0: undecided
        for strides in operand_strides:
            stride0, stride1 = strides[dim0], strides[dim1]
            if not stride0 or not stride1:
                continue
            if stride0 != stride1:
                return 1 if stride0 > stride1 else -1
            if shape[dim0] > shape[dim1]:
                return 1
        return 0

    order = list(range(len(shape) - 1, -1, -1))
    for i in range(1, len(shape)):
        moving = i
        for j in range(i - 1, -1, -1):
            decided = outer(order[j], order[moving])
            if decided > 0:
                order[j], order[moving] = order[moving], order[j]
                moving = j
            elif decided < 0:
                break
    return order


def iterator_layout(out, operands):
    """``out``, the elementwise result of ``operands`` (arrays and numbers), laid out as torch's
    TensorIterator allocates it: in the iteration order of the operands' strides (a
    broadcast dim deciding nothing, the first operand that orders two dims deciding).
    NumPy's own order differs where operands' layouts conflict (it then lays out in C
    order)."""
    shape = out.shape
    operand_strides = []
    for a in operands:
        if getattr(a, 'ndim', 0):
            lead = len(shape) - a.ndim
            operand_strides.append(
                (0,) * lead + tuple(0 if size == 1 and shape[lead + i] != 1 else stride
                                    for i, (size, stride) in enumerate(zip(a.shape, a.strides))))
    return laid_out(out, iteration_order(shape, operand_strides))


def laid_out(array, order, copy=False):
    """``array``'s values in new memory, dims laid out innermost first in ``order`` (as
    TensorIterator allocates an output); ``array`` itself where its strides are those,
    unless ``copy``."""
    xp = array_module(array)
    shape = [array.shape[dim] for dim in reversed(order)]
    strides, step = [0] * array.ndim, array.itemsize
    for dim in order:
        strides[dim] = step
        step *= array.shape[dim]
    if tuple(strides) == array.strides and not copy:
        return array
    out = xp.empty(shape, array.dtype).transpose([order[::-1].index(d) for d in range(array.ndim)])
    out[...] = array
    return out
