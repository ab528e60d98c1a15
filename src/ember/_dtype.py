"""dtypes and torch's type-promotion rules (torch/_C dtype objects, c10/core/ScalarType.h)."""
import builtins
import sys

import ml_dtypes
import numpy as np

from ._arguments import invalid_combination, parse_arguments

# Categories order the promotion lattice: bool < integer < floating < complex.
BOOL, INT, FLOAT, COMPLEX = 0, 1, 2, 3


class _ReadOnly:
    """Base of the objects whose attributes torch makes read-only (dtype, finfo, iinfo): a
    write raises torch's error, and a missing attribute is named as torch names its class."""
    __slots__ = ()

    def _set(self, **values):
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __getattr__(self, name):   # (only for an attribute it lacks)
        raise self._missing(name)

    def _missing(self, name, detail=''):
        return AttributeError(f"'torch.{type(self).__name__}' object has no attribute '{name}'"
                              + detail)

    def __setattr__(self, name, value):
        self.__delattr__(name)

    def __delattr__(self, name):
        if name in dir(self):
            raise AttributeError(f"attribute '{name}' of 'torch.{type(self).__name__}' objects "
                                 'is not writable')
        raise self._missing(name, _NO_DICT)


# What Python 3.13 adds to the error of a new attribute's write on an object without __dict__
_NO_DICT = ' and no __dict__ for setting new attributes' if sys.version_info >= (3, 13) else ''


class dtype(_ReadOnly):
    """A tensor element type; prints as ``torch.float32`` like torch's dtype objects."""

    __slots__ = ('name', 'np', 'itemsize', 'category', 'is_signed', 'abbr', '_aliases',
                 'scalar_name', 'cpp_name')

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'torch.dtype' instances")

    @classmethod
    def _define(cls, name, np_dtype, category, scalar_name, cpp_name, aliases=()):
        """One of the dtypes ember has (torch's can't be created either)."""
        self = object.__new__(cls)
        np_dtype = np.dtype(np_dtype)
        self._set(name=name, np=np_dtype, itemsize=np_dtype.itemsize, category=category,
                  is_signed=category != BOOL and not name.startswith('uint'), _aliases=aliases,
                  abbr='b8' if category == BOOL else (   # 'bf16', 'u8', 'c64'...
                      name.replace('float', 'f').replace('complex', 'c').replace('uint', 'u')
                      .replace('int', 'i')),
                  scalar_name=scalar_name,  # c10's ScalarType name ('Float'), for torch's messages
                  cpp_name=cpp_name)        # the C++ type ('float'), as caffe2::TypeMeta prints it
        return self

    @property
    def is_floating_point(self):
        return self.category == FLOAT

    @property
    def is_complex(self):
        return self.category == COMPLEX

    def to_real(self):
        return _COMPLEX_TO_REAL.get(self, self)

    def to_complex(self):
        if self.category < FLOAT:
            raise RuntimeError(f'Unknown Complex ScalarType for {self.scalar_name}')
        return _REAL_TO_COMPLEX.get(self, self)

    def __repr__(self):
        return 'torch.' + self.name

    def __reduce__(self):
        return self.name


bool = dtype._define('bool', np.bool_, BOOL, 'Bool', 'bool')
uint8 = dtype._define('uint8', np.uint8, INT, 'Byte', 'unsigned char')
int8 = dtype._define('int8', np.int8, INT, 'Char', 'signed char')
int16 = dtype._define('int16', np.int16, INT, 'Short', 'short int', ('short',))
int32 = dtype._define('int32', np.int32, INT, 'Int', 'int', ('int',))
int64 = dtype._define('int64', np.int64, INT, 'Long', 'long int', ('long',))
float16 = dtype._define('float16', np.float16, FLOAT, 'Half', 'c10::Half', ('half',))
bfloat16 = dtype._define('bfloat16', ml_dtypes.bfloat16, FLOAT, 'BFloat16', 'c10::BFloat16')
float32 = dtype._define('float32', np.float32, FLOAT, 'Float', 'float', ('float',))
float64 = dtype._define('float64', np.float64, FLOAT, 'Double', 'double', ('double',))
complex64 = dtype._define('complex64', np.complex64, COMPLEX, 'ComplexFloat',
                          'c10::complex<float>', ('cfloat',))
complex128 = dtype._define('complex128', np.complex128, COMPLEX, 'ComplexDouble',
                           'c10::complex<double>', ('cdouble',))

# The dtype torch's parser gives a Python int in [2**63, 2**64): it takes part in promotion
# (which refuses it with anything but a float), and names result_type of two such ints; ember
# has no uint64 tensors.
_UINT64 = dtype._define('uint64', np.uint64, INT, 'UInt64', 'unsigned long')

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
              complex64, complex128)
_BY_NUMPY = {d.np: d for d in ALL_DTYPES}
_COMPLEX_TO_REAL = {complex64: float32, complex128: float64}
_REAL_TO_COMPLEX = {float16: complex64, bfloat16: complex64, float32: complex64,
                    float64: complex128}

_PYTHON_TYPES = {float: float64, int: int64, builtins.bool: bool, complex: complex128}


def dtype_arg(value, function, argument="argument 'dtype'"):
    """A ``dtype=`` argument as torch's parser reads it: None, a dtype, or a Python number type
    (float is float64, int int64...); torch's TypeError for anything else."""
    if value is None or value.__class__ is dtype:
        return value
    return _python_dtype(value, f'{function}(): {argument}')


def required_dtype(value, function, name, position):
    """A dtype parameter that may not be None (finfo's type, promote_types' type1...)."""
    if value.__class__ is dtype:
        return value
    return _python_dtype(value, f"{function}(): argument '{name}' (position {position})")


def _python_dtype(value, argument):
    python_type = _PYTHON_TYPES.get(value) if isinstance(value, type) else None
    if python_type is None:
        raise TypeError(f'{argument} must be torch.dtype, not {type(value).__name__}')
    return python_type


# Public aliases (torch.long, torch.half, ...) exported by ember/__init__.py.
ALIASES = {alias: d for d in ALL_DTYPES for alias in d._aliases}


def from_numpy_dtype(np_dtype):
    """The ember dtype of a NumPy dtype; TypeError for ones torch has no equivalent of."""
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        name = np.dtype(np_dtype).type.__name__
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{name}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, "
            "and bool.") from None


# ---------------------------------------------------------------- default dtype

_default = [float32]


def get_default_dtype():
    return _default[0]


def set_default_dtype(d, /):
    """torch.set_default_dtype: the dtype of Python floats (float32, float64, or 16-bit)."""
    if not isinstance(d, dtype):
        raise TypeError('invalid dtype object: only floating-point types are supported as the '
                        'default type')
    if d.category != FLOAT:
        raise TypeError('only floating-point types are supported as the default type')
    _default[0] = d


def default_complex_dtype():
    """The dtype of Python complex numbers (ember has no complex32: float16 gives complex64)."""
    return complex128 if _default[0] is float64 else complex64


# ---------------------------------------------------------------- promotion

def promote_types(*args, **kwargs):
    """torch.promote_types(type1, type2): the smallest dtype both types cast to safely."""
    type1, type2 = parse_arguments('promote_types', ('type1', 'type2'), args, kwargs)
    return _promote(required_dtype(type1, 'promote_types', 'type1', 1),
                    required_dtype(type2, 'promote_types', 'type2', 2))


def _promote(a, b):
    if a is b:
        return a
    if a.category != b.category:
        high, low = (a, b) if a.category > b.category else (b, a)
        if high is _UINT64 or low is _UINT64 and high.category != FLOAT:
            raise _unsigned_promotion(a, b)
        if high.category == COMPLEX and low is float64:
            return complex128
        return high
    if {a, b} == {float16, bfloat16}:
        return float32
    if _UINT64 in (a, b):
        raise _unsigned_promotion(a, b)
    return _BY_NUMPY[np.promote_types(a.np, b.np)]


def _unsigned_promotion(a, b):
    return RuntimeError('Promotion for uint16, uint32, uint64 types is not supported, '
                        f'attempted to promote {a.scalar_name} and {b.scalar_name}')


def check_int_scalar(value):
    """torch's parser's OverflowError for a Python int that is neither an int64 nor a uint64."""
    if not -2 ** 63 <= value < 2 ** 64:
        raise OverflowError("can't convert negative int to unsigned" if value < 0
                            else 'int too big to convert')


def _scalar_dtype(value):
    """The dtype a Python scalar takes when it stands alone as an operand: NumPy's integers are
    ints, its complex128 is a complex, its other scalars (bools too) are floats."""
    t = type(value)
    if t is builtins.bool:
        return bool
    if t is builtins.int:
        check_int_scalar(value)
        return int64
    if t is builtins.float:
        return _default[0]
    if t is builtins.complex:
        return default_complex_dtype()
    if isinstance(value, (np.number, np.bool_)):   # torch parses these as Python numbers
        if isinstance(value, np.integer):
            return int64
        return default_complex_dtype() if isinstance(value, builtins.complex) else _default[0]
    raise TypeError(f'unsupported operand type: {t.__name__}')


def _combine(higher, lower):
    # at::native::combine_categories: a lower-priority class may only raise the category.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == COMPLEX:
        return higher
    if lower.category == COMPLEX:
        return higher.to_complex() if higher.category == FLOAT else lower
    if higher.category == FLOAT:
        return higher
    if higher is bool or lower.category == FLOAT:
        return _promote(higher, lower)
    return higher


def result_type_of(operands):
    """torch.result_type over tensors and Python scalars (dimensioned > 0-dim > scalar)."""
    dim_result = zero_result = scalar_result = None
    for x in operands:
        d = getattr(x, 'dtype', None)
        if isinstance(d, dtype) and hasattr(x, 'ndim'):
            if x.ndim:
                dim_result = d if dim_result is None else _promote(dim_result, d)
            else:
                zero_result = d if zero_result is None else _promote(zero_result, d)
        else:
            d = _scalar_dtype(x)
            if d is int64 and x.__class__ is builtins.int and x >= 2 ** 63:
                d = _UINT64
            scalar_result = d if scalar_result is None else _promote(scalar_result, d)
    return _combine(dim_result, _combine(zero_result, scalar_result))


def can_cast(*args, **kwargs):
    """torch.can_cast(from_, to): False only when the cast would lower the category."""
    from_, to = parse_arguments('can_cast', ('from_', 'to'), args, kwargs)
    return (required_dtype(from_, 'can_cast', 'from_', 1).category
            <= required_dtype(to, 'can_cast', 'to', 2).category)


class _TypeInfo(_ReadOnly):
    """Base of finfo and iinfo: two are equal where they describe one dtype, and they can't
    be hashed or pickled, as torch's."""
    __slots__ = ('bits', 'max', 'min', 'dtype')

    def __eq__(self, other):
        return isinstance(other, type(self)) and self.dtype == other.dtype

    def __hash__(self):
        raise TypeError(f"unhashable type: 'torch.{type(self).__name__}'")

    def __reduce_ex__(self, protocol):
        raise TypeError(f"cannot pickle 'torch.{type(self).__name__}' object")


class finfo(_TypeInfo):
    """torch.finfo: machine limits of a floating dtype."""
    __slots__ = ('eps', 'tiny', 'smallest_normal', 'resolution')

    def __init__(self, *args, **kwargs):
        if len(args) + len(kwargs) > 1:   # neither of torch's overloads, (type) and ()
            raise invalid_combination('finfo', args, kwargs, ('(torch.dtype type)', '()'))
        type = _default[0] if not (args or kwargs) else required_dtype(
            *parse_arguments('finfo', ('type',), args, kwargs), 'finfo', 'type', 1)
        if type.category not in (FLOAT, COMPLEX):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to "
                            "handle 'torch.finfo'")
        info = ml_dtypes.finfo(type.to_real().np)
        self._set(bits=info.bits, eps=float(info.eps), max=float(info.max), min=float(info.min),
                  tiny=float(info.tiny), smallest_normal=float(info.tiny),
                  resolution=10.0 ** -int(info.precision),   # torch: exactly 1e-3, 1e-6, ...
                  dtype=type.to_real().name)

    def __repr__(self):
        return (f'finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, '
                f'eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, '
                f'dtype={self.dtype})')


class iinfo(_TypeInfo):
    """torch.iinfo: limits of an integer dtype."""
    __slots__ = ()

    def __init__(self, *args, **kwargs):
        type, = parse_arguments('iinfo', ('type',), args, kwargs)
        type = required_dtype(type, 'iinfo', 'type', 1)
        if type is bool:
            raise TypeError('torch.bool is not supported by torch.iinfo')
        if type.category != INT:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self._set(bits=info.bits, max=int(info.max), min=int(info.min), dtype=type.name)

    def __repr__(self):
        return f'iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})'
