"""Devices and the array backend behind them: NumPy for 'cpu', CuPy for 'cuda'.

Op code never imports numpy for array math: it asks for the module of its arrays
(``array_module``) or of a device (``backend``), so CuPy slots in unchanged.
"""
import re
import threading

import numpy

from ._arguments import described, invalid_combination
from ._warnings import warn_once


DEVICE_TYPES = ('cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've',
                'fpga', 'maia', 'xla', 'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'mtia',
                'privateuseone')   # torch's, in the order its error message lists them
_DEVICE_STRING = re.compile(r'([a-zA-Z_]+)(?::([1-9][0-9]*|0))?')  # c10::Device's grammar
NO_ACCELERATOR = 'Cannot access accelerator device when none is available.'
ATEN_CUDA_MISSING = (   # the end of torch's errors for CUDA's generator or initialisation
    'without ATen_cuda library. PyTorch splits its backend into two shared libraries: a CPU '
    'library and a CUDA library; this error has occurred because you are trying to use some '
    'CUDA functionality, but the CUDA library has not been loaded by the dynamic linker for some '
    "reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any symbols from "
    'the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in your link '
    "arguments; many dynamic linkers will delete dynamic library dependencies if you don't "
    'depend on any of their symbols.  You can check if this has occurred by using ldd on your '
    'binary to see if there is a dependency on *_cuda.so library.')


class device:
    """torch.device: a device type ('cpu', 'cuda', ...) and an optional index; as a context
    manager, the default device of the factory functions inside it."""

    __slots__ = ('type', 'index', '_previous')

    def __init__(self, *args, **kwargs):
        kind, index = _device_arguments(args, kwargs)
        if isinstance(kind, device):
            self.type, self.index = kind.type, kind.index
            return
        if not kind:
            raise RuntimeError('Device string must not be empty')
        match = _DEVICE_STRING.fullmatch(kind)
        if match is None:
            raise RuntimeError(f'Invalid device string: {kind!r}')
        name, digits = match.groups()
        if name not in DEVICE_TYPES:
            raise RuntimeError(f'Expected one of {", ".join(DEVICE_TYPES)} device type at start '
                               f'of device string: {kind}')
        if digits is not None:
            if index is not None:
                raise RuntimeError('type (string) must not include an index because index was '
                                   f'passed explicitly: {kind}')
            if len(digits) > 9 and int(digits) >= 2 ** 31:   # (std::stoi's range)
                raise RuntimeError(f"Could not parse device index '{digits}' in device string "
                                   f"'{kind}'")
            index = int(digits)
        elif index is not None and index < 0:
            raise RuntimeError('Device index must not be negative')
        self.type, self.index = name, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f'{self.type}:{self.index}'

    def __eq__(self, other):   # (a string is no device: torch.device('cpu') != 'cpu')
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return device, (self.type, self.index) if self.index is not None else (self.type,)

    def __enter__(self):
        self._previous = defaults.device
        set_default_device(self)
        return self

    def __exit__(self, *exc_info):
        defaults.device = self._previous


def _device_arguments(args, kwargs):
    """(type, index) from torch.device's two signatures: (torch.device device) and
    (str type, int index=-1), with torch's argument-parser errors."""
    for name in kwargs:
        if name not in ('type', 'index', 'device'):
            raise TypeError(f"device() got an unexpected keyword argument '{name}'")
    if len(args) + len(kwargs) == 1:
        only = args[0] if args else kwargs.get('device')
        if isinstance(only, device) or isinstance(only, str) and 'device' in kwargs:
            return only, None
        if isinstance(only, int) and not isinstance(only, bool):  # the current accelerator's
            raise RuntimeError('Device index must not be negative' if only < 0
                               else NO_ACCELERATOR)
    names = ('type', 'index')
    if len(args) <= 2 and set(kwargs) <= set(names[len(args):]):
        values = dict(zip(names, args), **kwargs)
        kind, index = values.get('type'), values.get('index')
        if isinstance(kind, str):
            if index is None or (isinstance(index, int) and not isinstance(index, bool)):
                return kind, index
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                            f'{type(index).__name__}')
        if isinstance(kind, device) and 'type' not in kwargs:
            raise TypeError("device(): argument 'type' (position 1) must be str, not torch.device")
    raise _device_signature_error(args, kwargs)


def _device_signature_error(args, kwargs):
    """torch's error for torch.device arguments that match neither signature."""
    note = ''
    if len(args) == 1 and not kwargs:
        note = ("\n      didn't match because some of the arguments have invalid types: "
                f'(!{described(args[0])}!)')
    elif kwargs and not args and 'device' not in kwargs:
        note = ("\n      didn't match because some of the keywords were incorrect: "
                f'{", ".join(kwargs)}')
    return invalid_combination('device', args, kwargs,
                               ('(torch.device device)' + note, '(str type, int index = -1)'))


CPU = device('cpu')


class _Defaults(threading.local):
    """The default device of factory functions in this thread (torch.set_default_device)."""

    def __init__(self):
        self.device = CPU


defaults = _Defaults()


def check_unpinned(pin_memory):
    """torch's error for a factory's pin_memory=True: page-locked memory is for copies to an
    accelerator, which ember has none of (as torch's CPU-only build)."""
    if pin_memory:
        raise RuntimeError('pin_memory=True requires a CUDA or other accelerator backend; no '
                           'pinned memory allocator is available on this system.')


def set_default_device(d):
    """torch.set_default_device: the device factory functions use when given none (None: the
    CPU)."""
    defaults.device = CPU if d is None else d if isinstance(d, device) else device(d)


def get_default_device():
    """torch.get_default_device."""
    d = defaults.device
    if d.index is None and d.type != 'cpu':   # torch makes a tensor there to learn the index
        raise unavailable(d)
    return d


def as_device(d):
    """Normalise a device argument (None: the default, str, int or device) to a device."""
    if d is None:
        return defaults.device
    if d is CPU:
        return CPU
    return d if isinstance(d, device) else device(d)   # (an int: device's accelerator errors)


def backend(d):
    """The array module that holds tensors of device ``d``: NumPy for the CPU. (ember has no
    other backend yet: CuPy for 'cuda' comes with the CUDA issue.)"""
    if d.type == 'cpu':
        return numpy
    raise unavailable(d)


def unavailable(d, moving=False):
    """The error torch's CPU-only build raises for a tensor made on device ``d`` (or moved
    there, when ``moving``), which ember doesn't have."""
    kind = d.type
    if kind in ('cuda', 'xpu'):
        return AssertionError(f'Torch not compiled with {kind.upper()} enabled')
    if kind == 'meta':
        return NotImplementedError('ember has no meta tensors')
    if moving and kind != 'lazy':
        return RuntimeError(f'PyTorch is not linked with support for {kind} devices')
    return NotImplementedError(f'ember has no {kind} backend')


def _cupy():
    try:
        import cupy
    except ImportError:
        raise unavailable(device('cuda')) from None
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


def float_errors_quiet():
    """Whether NumPy's float errors are quiet already (in quiet_float_errors, or set so): a
    RuntimeWarning raised then is no float error to retry quietly."""
    return set(numpy.geterr().values()) == {'ignore'}


def as_array(value):
    """A 0-d array for a NumPy scalar: NumPy returns scalars from ops on 0-d arrays (CuPy
    returns 0-d arrays, so a scalar result is always a host one)."""
    return numpy.asarray(value)


def warn_complex_to_real():
    """torch's copy kernel's warning (once) where it casts complex values to a real dtype."""
    warn_once('Casting complex values to real discards the imaginary part (Triggered '
              'internally at /__w/pytorch/pytorch/aten/src/ATen/native/Copy.cpp:307.)')


def cast(array, np_dtype, copy=False):
    """``array`` as ``np_dtype`` (unless ``copy``, itself or a view of it where it can be), as
    torch's copy kernel casts: complex values to a real dtype lose their imaginary part, with
    torch's warning (once; not NumPy's ComplexWarning), and to bool test both parts; a copy is
    laid out as torch's preserve_format lays it out; a double out of uint8's range wraps as
    torch's compiled cast wraps it, through int64 (NumPy's goes through int32)."""
    if array.dtype.kind == 'c' and np_dtype.kind not in 'cb':
        warn_complex_to_real()
        array = array.real
    if np_dtype.char == 'B' and array.dtype.char == 'd':
        array = array.astype('int64')
    if 0 in array.strides and (copy or array.dtype != np_dtype):
        # NumPy's order 'K' puts broadcast dims innermost; torch's copy lays them out in
        # TensorIterator's order (a 0 stride decides nothing), as empty_like would
        out = empty_in_order(array_module(array), array.shape, np_dtype,
                             iteration_order(array.shape, [array.strides]))
        out[...] = array
        return out
    return array.astype(np_dtype, copy=copy)


def memory_owner(array):
    """The array that owns ``array``'s memory (the end of its chain of bases)."""
    while isinstance(array.base, type(array)):
        array = array.base
    return array


def deep_copied(array, memo):
    """``array``'s copy for copy.deepcopy: the same view of a copy of its memory (made once per
    ``memo``, so views copied together share it, as torch's storages do: offset and strides
    kept); a plain copy where that can't be made (CuPy, memory NumPy can't view)."""
    owner = memory_owner(array)
    if array.__class__ is not numpy.ndarray or not (owner.flags.c_contiguous
                                                    or owner.flags.f_contiguous):
        return array.copy()
    copy = memo.get(id(owner))
    if copy is None:
        copy = memo[id(owner)] = owner.copy(order='K')
    buffer = copy if copy.flags.c_contiguous else copy.T
    offset = array.__array_interface__['data'][0] - owner.__array_interface__['data'][0]
    view = numpy.ndarray(array.shape, array.dtype, buffer, offset, array.strides)
    if not array.flags.writeable:
        view.flags.writeable = False
    return view


def storage_parts(array):
    """(memory, byte offset, byte strides): the whole memory ``array`` views, as a C-contiguous
    NumPy array of its own (as torch pickles a tensor's whole storage, once per tensor), and
    where and how ``array`` views it; for memory NumPy can't take as a buffer (and CuPy's), a
    contiguous copy of ``array``."""
    if array.__class__ is numpy.ndarray and array.size:
        owner = memory_owner(array)
        if owner.flags.f_contiguous and not owner.flags.c_contiguous:
            owner = owner.T   # the same memory, as a buffer NumPy takes
        if owner.flags.c_contiguous:
            offset = array.__array_interface__['data'][0] - owner.__array_interface__['data'][0]
            return owner.view(), offset, array.strides   # (a new object: pickled apart)
    host = numpy.ascontiguousarray(to_host(array))
    return host, 0, host.strides


def from_storage(memory, offset, shape, strides, writeable=True):
    """The array ``storage_parts`` took apart, viewing ``memory``."""
    view = numpy.ndarray(shape, memory.dtype, memory, offset, strides)
    if not writeable:
        view.flags.writeable = False
    return view


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
    strides, step = [0] * array.ndim, array.itemsize
    for dim in order:
        strides[dim] = step
        step *= array.shape[dim]
    if tuple(strides) == array.strides and not copy:
        return array
    out = empty_in_order(array_module(array), array.shape, array.dtype, order)
    out[...] = array
    return out


def empty_strided(xp, shape, dtype, strides):
    """An uninitialised array of ``shape`` with dense ``strides`` (bytes, size-1 dims' too), as
    at::empty_strided makes one."""
    return with_strides(empty_in_order(xp, shape, dtype, iteration_order(shape, [strides])),
                        strides)


def empty_in_order(xp, shape, dtype, order):
    """An uninitialised array of ``shape`` whose dims are laid out innermost first in
    ``order`` (at::empty_strided for dense strides)."""
    out = xp.empty([shape[dim] for dim in reversed(order)], dtype)
    return out.transpose([order[::-1].index(d) for d in range(len(shape))])
