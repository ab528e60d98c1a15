"""torch.autograd.Variable: the legacy wrapper of a tensor, kept for old code.

Since torch 0.4 every tensor is a Variable: ``isinstance(t, Variable)`` holds for any
tensor, and ``Variable(t, requires_grad=True)`` is ``t.detach()`` (the same memory and
version counter) as a new leaf that requires grad.
"""
import operator
import sys
import warnings

from .._tensor import Tensor

__all__ = ['Variable']

_ARGUMENTS = ('data', 'requires_grad', 'volatile', '_grad_fn', 'name')


class VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, Tensor)


class Variable(metaclass=VariableMeta):
    """torch.autograd.Variable(data=None, requires_grad=False, volatile=False): a new leaf
    of ``data``'s memory; an empty tensor of the default dtype without ``data``."""

    def __new__(cls, *args, **kwargs):
        data, requires_grad, volatile, grad_fn, name = _parsed(args, kwargs)
        if volatile:
            warnings.warn('volatile was removed and now has no effect. Use `with torch.no_grad():` '
                          'instead.', stacklevel=2)
            if requires_grad:
                raise ValueError("Variable can't be volatile and require_grad at the same time!")
        if grad_fn is not None:
            from .function import FunctionCtx
            if not isinstance(grad_fn, FunctionCtx):
                raise TypeError('_grad_fn has to be a Function object or None, but got '
                                f'{type(grad_fn).__name__}')
        if data is None:
            from .._creation import empty
            tensor = empty(0)
        elif isinstance(data, Tensor):
            tensor = data.detach()
        else:
            raise TypeError(f'Variable data has to be a tensor, but got {type(data).__name__}')
        if grad_fn is not None:
            raise RuntimeError('_grad_fn argument to legacy Variable constructor is no longer '
                               'supported.  Instead, please invoke your _grad_fn to produce a '
                               'variable with it as the _grad_fn.')
        if requires_grad and not tensor.dtype.is_floating_point and not tensor.dtype.is_complex:
            raise RuntimeError('Only Tensors of floating point and complex dtype can require '
                               'gradients')
        tensor._requires_grad = bool(requires_grad)
        return tensor


def _parsed(args, kwargs):
    """Variable's arguments as CPython's argument parser takes them for torch's constructor."""
    if len(args) > len(_ARGUMENTS):
        raise TypeError(f'function takes at most {len(_ARGUMENTS)} arguments '
                        f'({len(args) + len(kwargs)} given)')
    values = dict(zip(_ARGUMENTS, args))
    for key, value in kwargs.items():
        if key not in _ARGUMENTS:  # (CPython's parser words it so since 3.13)
            raise TypeError(f"this function got an unexpected keyword argument '{key}'"
                            if sys.version_info >= (3, 13) else
                            f"'{key}' is an invalid keyword argument for this function")
        if key in values:
            raise TypeError(f"argument for function given by name ('{key}') and position "
                            f'({_ARGUMENTS.index(key) + 1})')
        values[key] = value
    for flag in ('requires_grad', 'volatile'):  # read as the parser's 'b' format: integers
        values[flag] = operator.index(values.get(flag, False))
    name = values.get('name')
    if name is not None and not isinstance(name, str):
        raise TypeError(f'argument 5 must be str or None, not {type(name).__name__}')
    return (values.get('data'), values['requires_grad'], values['volatile'],
            values.get('_grad_fn'), name)

