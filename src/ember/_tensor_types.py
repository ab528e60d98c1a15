"""torch's legacy tensor types (torch.FloatTensor, torch.LongTensor, ...): each makes tensors of
one dtype as torch.Tensor(...) makes them, and isinstance(t, torch.FloatTensor) checks a
tensor's dtype. Their CUDA twins (torch.cuda.FloatTensor, ...) make nothing: ember has no
CUDA backend yet, and they raise as torch's CPU-only build does."""
import importlib
import sys

from . import _dtype
from ._tensor import CUDA_LEGACY_TYPES, LEGACY_TYPES, Tensor, typed_new
from ._warnings import warn_once


class tensortype(type):
    """The metaclass of the legacy types (torch.tensortype): a class per dtype."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls.dtype

    def __call__(cls, *args, **kwargs):
        return typed_new(cls.dtype, args, kwargs)


def _legacy_type(dtype):
    name = f'{dtype.scalar_name}Tensor'
    cls = tensortype(name, (), {'__module__': 'torch', 'dtype': dtype, 'is_cuda': False,
                                '__doc__': f'torch.{name}: tensors of dtype {dtype}.'})
    LEGACY_TYPES[cls] = dtype
    return cls


# torch has none for complex dtypes (their type() names, torch.ComplexFloatTensor, name no class).
LEGACY_CLASSES = {cls.__name__: cls for cls in map(_legacy_type, (
    d for d in _dtype.ALL_DTYPES if d.category != _dtype.COMPLEX))}


class cuda_tensortype(type):
    """The metaclass of torch.cuda's legacy types: no tensor is one, and none can be made."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and instance.dtype is cls.dtype and instance.is_cuda

    def __call__(cls, *args, **kwargs):
        raise TypeError(f'type torch.cuda.{cls.__name__} not available. Torch not compiled with '
                        'CUDA enabled.')


def _cuda_legacy_type(cpu_class):
    name = cpu_class.__name__
    cls = cuda_tensortype(name, (), {'__module__': 'torch.cuda', 'dtype': cpu_class.dtype,
                                     'is_cuda': True, '__doc__': f'torch.cuda.{name}.'})
    CUDA_LEGACY_TYPES.update((cls, f'torch.cuda.{name}'))
    return cls


CUDA_LEGACY_CLASSES = {name: _cuda_legacy_type(cls) for name, cls in LEGACY_CLASSES.items()}


def set_default_tensor_type(t, /):
    """torch.set_default_tensor_type (deprecated): the default dtype from a legacy type
    (torch.DoubleTensor) or its dotted name ('torch.DoubleTensor', 'torch' being ember)."""
    if isinstance(t, str):
        t = _import_dotted_name(t)
    warn_once('torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use '
              'torch.set_default_dtype() and torch.set_default_device() as alternatives. '
              '(Triggered internally at '
              '/__w/pytorch/pytorch/torch/csrc/tensor/python_tensor.cpp:434.)')
    if isinstance(t, cuda_tensortype):
        t()   # torch's error: no CUDA
    if not isinstance(t, tensortype):
        raise TypeError('invalid type object: only floating-point types are supported as the '
                        'default type')
    _dtype.set_default_dtype(t.dtype)


def _import_dotted_name(name):
    """The object a dotted name names, as torch's _import_dotted_name finds it."""
    first, *rest = name.split('.')
    found = sys.modules[__package__] if first == 'torch' else importlib.import_module(first)
    for component in rest:
        found = getattr(found, component)
    return found
