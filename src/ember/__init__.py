"""ember: PyTorch's Python API on NumPy. ``import ember as torch``."""
__version__ = '0.1.0'

import math
import warnings as _warnings

# NumPy warns where float arithmetic overflows or makes a nan (float32 3e38 * 10); torch gives
# the same inf or nan silently. Only these warnings, raised from ember's own code, are muted.
_warnings.filterwarnings('ignore', r'(overflow|invalid value|divide by zero|underflow) encountered',
                         RuntimeWarning, r'ember(\.|$)')

from . import _dtype
from ._dtype import (bfloat16, bool, complex64, complex128, dtype, finfo, float16, float32,
                     float64, get_default_dtype, iinfo, int8, int16, int32, int64,
                     promote_types, set_default_dtype, uint8)
from ._arguments import (match_overload as _match_overload, not_tensor as _not_tensor,
                         tensor_argument as _tensor_argument)
from ._device import device, get_default_device, set_default_device
from ._tensor import (Size, Tensor, channels_last, channels_last_3d, contiguous_format, layout,
                      memory_format, preserve_format, strided)
from ._scalar import checked_number as _checked_number, is_number as _is_number
from ._config import (are_deterministic_algorithms_enabled, get_float32_matmul_precision,
                      get_num_threads, is_deterministic_algorithms_warn_only_enabled,
                      is_warn_always_enabled, set_float32_matmul_precision, set_num_threads,
                      set_warn_always, use_deterministic_algorithms)
from ._tensor_str import set_printoptions
from ._tensor_types import LEGACY_CLASSES as _LEGACY_CLASSES, set_default_tensor_type
from . import _ops
from ._ops import *  # noqa: F401,F403  (the op functions: add, mul, matmul, cat, ...)
from ._creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                        linspace, logspace, ones, ones_like, tensor, zeros, zeros_like)
from ._random_ops import *  # noqa: F401,F403  (rand, randn, randint, randperm, normal, ...)
from . import _random_ops, random
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._generator import Generator, default_generator
from ._lazy import lazy_submodules as _lazy_submodules
from . import autograd
from .autograd import enable_grad, inference_mode, no_grad, set_grad_enabled
from .autograd.grad_mode import is_grad_enabled, is_inference_mode_enabled
from .autograd.anomaly_mode import (is_anomaly_check_nan_enabled, is_anomaly_enabled,
                                    set_anomaly_enabled)

for _name, _method in _random_ops.TENSOR_METHODS.items():
    setattr(Tensor, _name, _method)
for _name, _method in _creation.TENSOR_METHODS.items():  # new_tensor, new_zeros, ...
    setattr(Tensor, _name, _method)
globals().update(_dtype.ALIASES)  # torch.long, torch.half, torch.double, ...
globals().update(_LEGACY_CLASSES)  # torch.FloatTensor, torch.LongTensor, ...
cfloat, cdouble = complex64, complex128


# ember.nn, ember.optim... are there as in torch, imported on first use: a script that never
# touches them doesn't pay for their import
__getattr__, __dir__ = _lazy_submodules(
    __name__, ('nn', 'optim', 'cuda', 'backends', 'accelerator', 'version'), globals())


pi, e, inf, nan, newaxis = math.pi, math.e, math.inf, math.nan, None


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_storage(obj):
    """torch.is_storage: ember has no storage objects."""
    return False


def is_inference(input):
    """torch.is_inference."""
    if not isinstance(input, Tensor):
        raise _not_tensor('is_inference', input)
    return input.is_inference()


def typename(obj, /):
    """torch.typename: a tensor's type() ('torch.FloatTensor'), else the qualified name of
    the object, or of its class."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, '__module__', '') or ''
    qualname = getattr(obj, '__qualname__', None) or getattr(obj, '__name__', None)
    if qualname is None:
        module, qualname = obj.__class__.__module__ or '', obj.__class__.__qualname__
    return qualname if module in ('', 'builtins') else f'{module}.{qualname}'


def is_floating_point(input):
    """torch.is_floating_point: whether a tensor's dtype is a float one."""
    return _tensor_argument('is_floating_point', input).is_floating_point()


def is_complex(input):
    """torch.is_complex: whether a tensor's dtype is a complex one."""
    return _tensor_argument('is_complex', input).is_complex()


def is_signed(input):
    """torch.is_signed: whether a tensor's dtype is signed."""
    return _tensor_argument('is_signed', input).is_signed()


def numel(input):
    return input.numel()


def result_type(*args, **kwargs):
    """torch.result_type(tensor, other) (each a tensor or a number): the dtype an op on these
    operands computes in."""
    _, operands = _match_overload('result_type', args, kwargs, _RESULT_TYPE_OVERLOADS, _fits)
    # torch reads the numbers (an int's range too) as C++ evaluates its call's arguments: right
    # to left
    return _dtype.result_type_of([_checked_number(x) for x in reversed(operands)][::-1])


_RESULT_TYPE_OVERLOADS = ((('Tensor', 'tensor'), ('Tensor', 'other')),
                          (('Number', 'scalar'), ('Tensor', 'tensor')),
                          (('Tensor', 'tensor'), ('Number', 'other')),
                          (('Number', 'scalar1'), ('Number', 'scalar2')))


def _fits(value, kind):
    """Whether torch's parser takes ``value`` as a ``kind`` ('Tensor' or 'Number': a number, or
    a 0-dim tensor that doesn't require grad)."""
    if isinstance(value, Tensor):
        return kind == 'Tensor' or not value.ndim and not value.requires_grad
    return kind == 'Number' and _is_number(value)


can_cast = _dtype.can_cast


def is_nonzero(input):
    """torch.is_nonzero: the truth of a one-element tensor (torch's errors otherwise)."""
    if not isinstance(input, Tensor):
        raise _not_tensor('is_nonzero', input)
    return input.__bool__()  # (bool here is ember.bool, the dtype)


Tensor.is_nonzero = is_nonzero
