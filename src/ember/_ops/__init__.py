"""ember's built-in ops. Each module defines primitives and the public functions using them;
``TENSOR_METHODS`` of each module become Tensor methods, so a method and its function are
one definition (a method runs its function's code without the ``out=`` torch's methods
don't take)."""
import functools
import types

import numpy

from .._arguments import MethodArgumentError, not_tensor
from .._creation import from_numpy
from .._tensor import Tensor
from . import blas, indexing, pointwise, reduction, shape
from .primitive import OutNotTensor

MODULES = (pointwise, reduction, shape, indexing, blas)


def _attach_methods():
    for module in MODULES:
        for name, method in module.TENSOR_METHODS.items():
            if name in _BINARY_OPERATORS:
                method = _operator(name, method)
            elif 'out' in (getattr(method, '__kwdefaults__', None) or ()):
                # named as torch's: x.multiply is 'multiply', x.__neg__ is x.neg
                method = _without_out(method, method.__name__ if name.startswith('__') else name)
            elif isinstance(method, types.FunctionType) and not name.startswith('__'):
                method = _named(method, name)   # Python's TypeErrors say x.add_, x.greater
            setattr(Tensor, name, method)
    for name, attribute in list(vars(Tensor).items()):
        if isinstance(attribute, property) and attribute.fset is None:
            setattr(Tensor, name, attribute.setter(_not_writable(name)))
        elif (isinstance(attribute, types.FunctionType) and not name.startswith('__')
              and attribute.__module__ == Tensor.__module__ and name not in _PYTHON_METHODS):
            setattr(Tensor, name, _named(attribute, _c_method_name(attribute, name)))


def _c_method_name(method, name):
    """The name Python's TypeErrors give torch's C method ``name``: its parser's 'numpy()', or
    'TensorBase.item()' for one taking no argument (a plain C method, METH_NOARGS)."""
    code = method.__code__
    if code.co_argcount == 1 and not code.co_kwonlyargcount and not code.co_flags & 0x0C:
        return f'TensorBase.{name}'   # (0x0C: *args, **kwargs)
    return name


# The Tensor methods torch defines in Python (torch/_tensor.py): its TypeErrors name them
# 'Tensor.backward()', as Python's name ember's
_PYTHON_METHODS = {'backward', 'register_hook', 'register_post_accumulate_grad_hook', 'is_shared'}


def _not_writable(name):
    """The setter of a read-only Tensor attribute: torch's error (its are C getters)."""
    def refuse(self, value):
        raise AttributeError(f"attribute '{name}' of 'torch._C.TensorBase' objects is not writable")
    return refuse


def _named(function, name):
    """``function`` named ``name`` (its own code, a copy where it is named otherwise: an alias,
    a helper's closure), so that Python's TypeErrors name it as torch does: "greater() got an
    unexpected keyword argument", not "gt()" or "_compare.<locals>.function()"."""
    if function.__qualname__ == name:
        return function
    named = types.FunctionType(function.__code__, function.__globals__, name,
                               function.__defaults__, function.__closure__)
    named.__kwdefaults__, named.__doc__ = function.__kwdefaults__, function.__doc__
    named.__dict__.update(function.__dict__)
    named.__qualname__ = name
    return named


def _without_out(function, name):
    """Tensor method ``name`` of ``function`` without its ``out=``, which torch's methods don't
    take: the function's own code with that parameter renamed, so that Python's call binding
    refuses ``out=`` as torch does ("add() got an unexpected keyword argument 'out'") at no
    cost to other calls (a wrapper checking for it adds a call, 5% of ``x.add(y)``). The new
    name is far from 'out', so that Python 3.13 suggests nothing ("Did you mean '_out'?")."""
    code = function.__code__
    renamed = {'out': '_function_only_out'}
    method = types.FunctionType(
        code.replace(co_varnames=tuple(renamed.get(v, v) for v in code.co_varnames)),
        function.__globals__, name, function.__defaults__, function.__closure__)
    method.__kwdefaults__ = {renamed.get(k, k): v for k, v in function.__kwdefaults__.items()}
    method.__qualname__, method.__doc__ = name, function.__doc__
    return method


# Binary operators whose TypeError torch turns into NotImplemented, so that Python tries the
# other operand: x == None is False, x + None and x += None raise Python's own "unsupported
# operand".
_BINARY_OPERATORS = {f'__{name}__' for op in (
    'add', 'sub', 'mul', 'truediv', 'div', 'floordiv', 'mod', 'pow', 'matmul', 'and', 'or',
    'xor') for name in (op, 'r' + op, 'i' + op) if name != 'imatmul'} | {
    '__eq__', '__ne__', '__lt__', '__le__', '__gt__', '__ge__'}
# Those torch defines in C (on TensorBase, not in torch/_tensor.py): called unbound with
# another type as self (Tensor.__radd__(2, 3)), they raise the descriptor's TypeError.
_DESCRIPTORS = _BINARY_OPERATORS - {'__rsub__', '__rtruediv__', '__rdiv__', '__floordiv__',
                                    '__rfloordiv__', '__rmod__', '__pow__', '__rpow__',
                                    '__ipow__', '__rmatmul__'}


def _operator(name, function):
    """The dunder method ``name`` of ``function``: NotImplemented where it raises TypeError."""
    descriptor = name in _DESCRIPTORS

    def method(self, other, third=None, **keywords):   # (pow(x, 2, 5); x.__iadd__(y, alpha=2))
        if not isinstance(self, Tensor):
            if descriptor:
                raise TypeError(f"descriptor '{name}' for 'torch._C.TensorBase' objects doesn't "
                                f"apply to a '{type(self).__name__}' object")
            if name in ('__pow__', '__ipow__'):  # TensorBase.pow(_), whose TypeError is caught
                return NotImplemented
        try:
            if third is None and not keywords:
                return function(self, other)
            return function(self, other, *() if third is None else (third,), **keywords)
        except TypeError:
            if name != '__eq__' or not isinstance(other, numpy.ndarray):
                return NotImplemented
        return _equal_to_array(self, other)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = function.__doc__
    return method


def _equal_to_array(tensor, array):
    """``tensor == array``: torch's __eq__ (its only operator to) takes a NumPy array as the
    tensor from_numpy makes of it (its errors: ValueError for negative strides)."""
    try:
        return pointwise.eq(tensor, from_numpy(array))
    except TypeError:   # (a dtype torch has no tensor of: str, object)
        return NotImplemented


# The functions whose input torch's argument parser also takes as a Python number (a 0-d
# tensor: torch.add(2, x)) or whose TypeError for other inputs ember's code already raises.
_NUMBER_INPUTS = {
    'add', 'sub', 'subtract', 'rsub', 'mul', 'multiply', 'div', 'divide', 'true_divide',
    'floor_divide', 'remainder', 'pow', 'eq', 'ne', 'not_equal', 'lt', 'le', 'gt', 'ge',
    'less', 'less_equal', 'greater', 'greater_equal', 'bitwise_and', 'bitwise_or', 'bitwise_xor',
    'masked_fill'}


def _function(name, function):
    """torch.<name>: ``function``, refusing an input that is not a tensor with torch's TypeError
    (ember's own code would fail later, on an attribute, or compute on a number)."""
    function = _named(function, name)
    code = function.__code__
    if name in _NUMBER_INPUTS or code.co_argcount == 0 or code.co_varnames[0] != 'input':
        return function

    @functools.wraps(function)
    def checked(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise not_tensor(name, input)
        try:
            return function(input, *args, **kwargs)
        except MethodArgumentError as error:   # (no cost in Python 3.11 until raised)
            raise error.in_function() from None
        except OutNotTensor as error:
            raise TypeError(f'{name}(): {error}') from None
    checked.__name__ = checked.__qualname__ = name
    return checked


_attach_methods()

__all__ = [name for module in MODULES for name in getattr(module, 'FUNCTIONS', ())]
globals().update({name: _function(name, getattr(module, name)) for module in MODULES
                  for name in getattr(module, 'FUNCTIONS', ())})
