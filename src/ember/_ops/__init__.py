"""ember's built-in ops. Each module defines primitives and the public functions using them;
``TENSOR_METHODS`` of each module become Tensor methods, so a method and its function are
one definition."""
from .._tensor import Tensor
from . import blas, indexing, pointwise, reduction, shape

MODULES = (pointwise, reduction, shape, indexing, blas)


def _attach_methods():
    for module in MODULES:
        for name, method in module.TENSOR_METHODS.items():
            setattr(Tensor, name, method)


_attach_methods()

__all__ = [name for module in MODULES for name in getattr(module, 'FUNCTIONS', ())]
globals().update({name: getattr(module, name) for module in MODULES
                  for name in getattr(module, 'FUNCTIONS', ())})
