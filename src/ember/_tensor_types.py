"""torch's legacy tensor types (torch.FloatTensor, torch.LongTensor, ...): each makes tensors of
one dtype as torch.Tensor(...) makes them, and isinstance(t, torch.FloatTensor) checks a
tensor's dtype."""
from . import _dtype
from ._tensor import LEGACY_TYPES, Tensor, typed_new


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
