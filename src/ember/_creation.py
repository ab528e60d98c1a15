"""Tensor creation: torch.tensor, as_tensor, from_numpy and the filled factories."""
import builtins
import math
import warnings

import numpy

from . import _dtype
from ._device import array_module, as_device, backend, to_host
from ._ops.shape import _sizes
from ._tensor import Tensor, _make, wrap


def _finish(data, requires_grad):
    t = wrap(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_dtype(host):
    """torch's dtype for data built from Python values: floats take the default dtype."""
    kind = host.dtype.kind
    if kind == 'f' and host.dtype == numpy.float64:
        return _dtype.get_default_dtype()
    if kind == 'c' and host.dtype == numpy.complex128:
        return _dtype.default_complex_dtype()
    if kind in 'iu' and host.dtype != numpy.uint8:
        return _dtype.int64
    if kind == 'O':
        raise TypeError(f"Could not infer dtype of {type(host.flat[0]).__name__}")
    return _dtype.from_numpy_dtype(host.dtype)


def _host_array(data):
    """A NumPy array of Python (nested) data, with torch's error for ragged input."""
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flat(data)):
        data = _unwrap_nested(data)
    try:
        return numpy.asarray(data)
    except ValueError as error:
        raise ValueError(_ragged_message(data) or str(error)) from None


def _flat(data):
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        else:
            yield item


def _unwrap_nested(data):
    if isinstance(data, Tensor):
        return data.item() if data.ndim == 0 else _unwrap_nested(data.tolist())
    if isinstance(data, (list, tuple)):
        return [_unwrap_nested(x) for x in data]
    return data


def _ragged_message(data, dim=0):
    if not isinstance(data, (list, tuple)) or not data:
        return None
    lengths = [len(x) if isinstance(x, (list, tuple)) else None for x in data]
    first = lengths[0]
    for n in lengths[1:]:
        if n != first:
            return f'expected sequence of length {first} at dim {dim + 1} (got {n})'
    for x in data:
        message = _ragged_message(x, dim + 1)
        if message:
            return message
    return None


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: a new tensor copying ``data`` (scalars, nested lists, arrays, tensors)."""
    if isinstance(data, Tensor):
        warnings.warn(
            'To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() '
            'or sourceTensor.detach().clone().requires_grad_(True), rather than '
            'torch.tensor(sourceTensor).', UserWarning, stacklevel=2)
        host = to_host(data._data)
        inferred = data.dtype
    else:
        host = _host_array(data)
        inferred = _infer_dtype(host) if not isinstance(data, numpy.ndarray) else \
            _dtype.from_numpy_dtype(host.dtype)
    dtype = dtype or inferred
    xp = backend(as_device(device))
    return _finish(xp.array(host, dtype=dtype.np, copy=True), requires_grad)


def as_tensor(data, dtype=None, device=None):
    """torch.as_tensor: share memory with ``data`` when dtype and device allow."""
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data.dtype) and (device is None or as_device(device) == data.device):
            return data
        return data.to(dtype or data.dtype)
    if isinstance(data, numpy.ndarray) and device is None:
        array_dtype = _dtype.from_numpy_dtype(data.dtype)
        if dtype is None or dtype is array_dtype:
            return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    """torch.from_numpy: a tensor sharing memory with a NumPy array."""
    if not isinstance(array, numpy.ndarray):
        raise TypeError(f'expected np.ndarray (got {type(array).__name__})')
    return _make(array, _dtype.from_numpy_dtype(array.dtype))


def _factory(shape, dtype, device, requires_grad, fill):
    dtype = dtype or _dtype.get_default_dtype()
    xp = backend(as_device(device))
    return _finish(fill(xp, shape, dtype.np), requires_grad)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    return _factory(_sizes(size), dtype, device, requires_grad, lambda xp, s, d: xp.zeros(s, d))


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    return _factory(_sizes(size), dtype, device, requires_grad, lambda xp, s, d: xp.ones(s, d))


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """torch.empty: ember fills with zeros (uninitialised memory has no defined value anyway)."""
    return _factory(_sizes(size), dtype, device, requires_grad, lambda xp, s, d: xp.zeros(s, d))


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """torch.full: the dtype follows fill_value (bool, int64, default float, complex)."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = dtype or _dtype._scalar_dtype(fill_value)
    return _factory(_sizes((size,)), dtype, device, requires_grad,
                    lambda xp, s, d: xp.full(s, fill_value, d))


def _like(input, dtype, device, requires_grad, fill):
    xp = array_module(input._data) if device is None else backend(as_device(device))
    dtype = dtype or input.dtype
    return _finish(fill(xp, input._data.shape, dtype.np), requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like(input, dtype, device, requires_grad, lambda xp, s, d: xp.zeros(s, d))


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like(input, dtype, device, requires_grad, lambda xp, s, d: xp.ones(s, d))


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like(input, dtype, device, requires_grad, lambda xp, s, d: xp.zeros(s, d))


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like(input, dtype, device, requires_grad, lambda xp, s, d: xp.full(s, fill_value, d))


def _range_dtype(values, dtype):
    if dtype is not None:
        return dtype
    if any(isinstance(v, float) or (isinstance(v, Tensor) and v.is_floating_point())
           for v in values):
        return _dtype.get_default_dtype()
    return _dtype.int64


def _scalar(value):
    return value.item() if isinstance(value, Tensor) else value


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """torch.arange: values start + i * step, computed in double like torch's CPU kernel."""
    if end is None:
        start, end = 0, start
    dtype = _range_dtype((start, end, step), dtype)
    start, end, step = _scalar(start), _scalar(end), _scalar(step)
    if step == 0:
        raise RuntimeError('step must be nonzero')
    if (end - start) * step < 0:
        raise RuntimeError('upper bound and larger bound inconsistent with step sign')
    count = math.ceil((end - start) / step)
    if dtype.category == _dtype.INT:
        host = start + numpy.arange(count, dtype=numpy.int64) * step
    else:
        host = start + numpy.arange(count, dtype=numpy.float64) * step
    xp = backend(as_device(device))
    return _finish(xp.asarray(host.astype(dtype.np)), requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """torch.linspace: the first half counts up from start, the second half down from end."""
    dtype = dtype or _dtype.get_default_dtype()
    host = _linspace_host(_scalar(start), _scalar(end), steps, dtype)
    xp = backend(as_device(device))
    return _finish(xp.asarray(host), requires_grad)


def _linspace_host(start, end, steps, dtype):
    if steps < 0:
        raise RuntimeError('number of steps must be non-negative')
    compute = dtype.np if dtype.category in (_dtype.FLOAT, _dtype.COMPLEX) else numpy.dtype(numpy.float64)
    if steps <= 1:
        return numpy.full(steps, start, dtype=compute).astype(dtype.np)
    start_c, end_c = compute.type(start), compute.type(end)
    step = (end_c - start_c) / compute.type(steps - 1)
    index = numpy.arange(steps)
    halfway = steps // 2
    values = numpy.where(index < halfway, start_c + step * index.astype(compute),
                         end_c - step * (steps - index - 1).astype(compute))
    return values.astype(compute).astype(dtype.np)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    dtype = dtype or _dtype.get_default_dtype()
    exponents = _linspace_host(_scalar(start), _scalar(end), steps, _dtype.float64)
    host = numpy.power(float(base), exponents).astype(dtype.np)
    return _finish(backend(as_device(device)).asarray(host), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    dtype = dtype or _dtype.get_default_dtype()
    xp = backend(as_device(device))
    return _finish(xp.eye(n, n if m is None else m, dtype=dtype.np), requires_grad)


def _rebuild_tensor(host, dtype_name, requires_grad):
    """Unpickling counterpart of Tensor.__reduce_ex__."""
    t = _make(host, getattr(_dtype, dtype_name))
    t._requires_grad = requires_grad
    return t


FUNCTIONS = ('tensor', 'as_tensor', 'from_numpy', 'zeros', 'ones', 'empty', 'full',
             'zeros_like', 'ones_like', 'empty_like', 'full_like', 'arange', 'linspace',
             'logspace', 'eye')
