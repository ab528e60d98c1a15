"""Numbers as c10::Scalar::to<T> converts them to a dtype, with torch's overflow errors."""
import functools
import math
import operator

import numpy

from . import _dtype
from ._tensor import Tensor

# The C++ type names c10's conversion errors print.
C_NAMES = {'bool': 'bool', 'uint8': 'uint8_t', 'int8': 'int8_t', 'int16': 'int16_t',
           'int32': 'int', 'int64': 'int64_t', 'float16': 'c10::Half',
           'bfloat16': 'c10::BFloat16', 'float32': 'float', 'float64': 'double',
           'complex64': 'c10::complex<float>', 'complex128': 'c10::complex<double>'}


def as_number(value):
    """A Python number from a number, a NumPy scalar or a one-element tensor."""
    return value.item() if isinstance(value, (Tensor, numpy.generic)) else value


NUMPY_REALS = (numpy.integer, numpy.floating, numpy.bool_)   # read by torch as int or double


def is_number(value):
    """Whether torch's parser takes ``value`` as a Number: a Python int, float or complex or a
    NumPy numeric scalar (bool_ too), not a NumPy string, bytes or datetime, nor a Fraction or
    Decimal."""
    return isinstance(value, _NUMBERS)


_NUMBERS = (int, float, complex, numpy.number, numpy.bool_)


def parsed_number(value):
    """A Number argument as torch's parser reads it: a NumPy integer as an int, complex128 (a
    Python complex) as a complex, any other NumPy scalar as a double (bool_ too, and
    complex64's real part, with NumPy's ComplexWarning as in torch)."""
    if not isinstance(value, _NUMBERS[3:]):   # (a NumPy string or date is no number)
        return value
    if isinstance(value, numpy.integer):
        return operator.index(value)   # (torch's TypeError for a timedelta64)
    return complex(value) if isinstance(value, complex) else float(value)


def checked_number(value):
    """A number as torch's parser reads it (parsed_number), with its OverflowError for an int
    that is neither an int64 nor a uint64; anything else as it is."""
    value = parsed_number(value)
    if value.__class__ is int:
        _dtype.check_int_scalar(value)
    return value


def read_number(value):
    """``value`` as torch's argument parser reads a Number (scalar_slow), or None where it takes
    none (strings, arrays, tensors of several elements or requiring grad; a 0-d tensor is read
    as its value), NumPy's scalars as parsed_number reads them."""
    if value.__class__ in (int, float, bool, complex):
        return value
    if isinstance(value, Tensor):
        return value.item() if not value.ndim and not value.requires_grad else None
    return parsed_number(value) if is_number(value) else None


def read_float(value):
    """``value`` as torch's parser reads a float argument: a Number that is not Python's
    complex (NumPy's complex scalars are read through float()), or None."""
    if isinstance(value, numpy.complexfloating):
        return float(value)
    number = read_number(value)
    return None if number is None or number.__class__ is complex else float(number)


def scalar_to(value, dtype):
    """c10::Scalar::to<T>: ``value`` as a NumPy scalar of ``dtype``, torch's overflow error."""
    value = value.item() if isinstance(value, Tensor) else parsed_number(value)
    if value.__class__ is int:
        _dtype.check_int_scalar(value)
    if dtype is _dtype.bool:
        return dtype.np.type(value)
    if dtype.category == _dtype.COMPLEX:
        value = complex(value)
        largest = _largest(dtype.to_real())
        if any(math.isfinite(part) and abs(part) > largest for part in (value.real, value.imag)):
            _overflow(dtype)
        return dtype.np.type(value)
    if isinstance(value, complex):
        if value.imag:
           _overflow(dtype)
        value = value.real
    if dtype.category == _dtype.INT:
        return _int_scalar(value, dtype)
    value = float(value)
    if math.isfinite(value) and abs(value) > _largest(dtype):
        _overflow(dtype)
    return numpy.float32(value).astype(dtype.np) if dtype.itemsize == 2 else dtype.np.type(value)


def fill_scalar(value, dtype, numel):
    """``value`` as torch's fill_ writes it into ``numel`` elements of ``dtype``: scalar_to's,
    except that its CPU fill of one float16/bfloat16 element converts through a double,
    unchecked (1e10 is inf; a complex's imaginary part is refused as a double's)."""
    if numel == 1 and dtype in (_dtype.float16, _dtype.bfloat16):
        with numpy.errstate(over='ignore'):
            return numpy.float32(scalar_to(value, _dtype.float64)).astype(dtype.np)
    return scalar_to(value, dtype)


@functools.cache
def _largest(dtype):
    """The largest finite value of a floating dtype (finfo is too slow to build per call)."""
    return float(_dtype.finfo(dtype).max)


def _int_scalar(value, dtype):
    info = numpy.iinfo(dtype.np)
    wraps = dtype is _dtype.uint8 and isinstance(value, int) and -info.max <= value < 0
    if not (info.min <= value <= info.max or wraps):   # NaN fails too
        _overflow(dtype)
    return numpy.array(int(value)).astype(dtype.np)[()]


def _overflow(dtype):
    raise RuntimeError(f'value cannot be converted to type {C_NAMES[dtype.name]} without overflow')
