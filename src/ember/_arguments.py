"""torch's argument-parser errors (python_arg_parser.cpp), for the functions ember parses as
torch parses its overloads: how an argument's type is named, and the TypeError when no
overload takes the arguments."""
import operator

__all__ = ['type_name', 'class_name', 'described', 'invalid_combination', 'not_tensor',
           'MethodArgumentError', 'wrong_type', 'int_argument',
           'is_int_argument']

# ember's stand-ins for torch's C types, named as torch's (their CPython tp_name)
_TORCH_NAMES = {'dtype': 'torch.dtype', 'device': 'torch.device', 'Size': 'torch.Size',
                'Generator': 'torch._C.Generator', 'layout': 'torch.layout',
                'memory_format': 'torch.memory_format'}
_HEAP_TYPE = 1 << 9   # Py_TPFLAGS_HEAPTYPE


def class_name(kind):
    """A class as CPython's tp_name names it: 'list', 'numpy.float32', the bare name of a
    class defined in Python ('Tensor'), and ember's stand-ins for torch's types as torch's."""
    if kind.__module__.startswith('ember') and kind.__name__ in _TORCH_NAMES:
        return _TORCH_NAMES[kind.__name__]
    if kind.__module__ == 'builtins' or kind.__flags__ & _HEAP_TYPE:
        return kind.__name__
    return f'{kind.__module__}.{kind.__name__}'


def type_name(value):
    """The type of an argument as torch's parser names it (see class_name)."""
    return class_name(type(value))


def described(value):
    """An argument as torch's parser describes it where it says why an overload failed:
    sequences with their items' types ('list of [int, float]')."""
    if isinstance(value, list):
        return f"list of [{', '.join(map(type_name, value))}]"
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(map(type_name, value))}{',' * (len(value) == 1)})"
    return type_name(value)


def invalid_combination(function, args, kwargs=(), signatures=()):
    """torch's TypeError when no overload of ``function`` takes ``args`` and ``kwargs``: their
    types, then the overloads' ``signatures`` (each may carry the parser's note on why it
    failed, on its next line)."""
    kwargs = dict(kwargs)
    got = ', '.join([type_name(a) for a in args] +
                    [f'{k}={type_name(v)}' for k, v in kwargs.items()])
    if kwargs and not args:
        got += ', '
    listed = ''.join(f' * {signature}\n' for signature in signatures)
    return TypeError(f'{function}() received an invalid combination of arguments - got ({got}), '
                     f'but expected one of:\n{listed}')


def not_tensor(function, value, argument='input', position=1):
    """torch's TypeError for an argument that must be a Tensor and is not (its type named as
    torch's parser names it: 'numpy.float64')."""
    return TypeError(f"{function}(): argument '{argument}' (position {position}) must be Tensor, "
                     f'not {type_name(value)}')


class MethodArgumentError(TypeError):
    """A TypeError of torch's parser as a method reports it (self not counted in positions,
    not listed in overloads); torch.f (ember._ops' function wrapper) raises ``in_function()``,
    the function's (the input counted and listed)."""

    def __init__(self, message, in_function):
        super().__init__(message)
        self.in_function = in_function


MethodArgumentError.__name__ = MethodArgumentError.__qualname__ = 'TypeError'  # as printed
MethodArgumentError.__module__ = 'builtins'


def wrong_type(function, argument, position, requirement, leading=0):
    """torch's "f(): argument 'dim' (position 1) must be int, not bool" (``leading``: 1 for
    the function, whose input is position 1)."""
    message = (f"{function}(): argument '{argument}' (position {position + leading}) "
               f'{requirement}')
    if leading:
        return TypeError(message)
    return MethodArgumentError(message, lambda: wrong_type(function, argument, position,
                                                           requirement, 1))


def int_argument(function, argument, position, value, symint=False):
    """``value`` as the int torch's parser wants there, else its TypeError: for a bool (Python's
    bool is an int), a float, a tensor not integral or (but for a SymInt) of more than 0 dims."""
    if value.__class__ is int:
        return value
    if is_int_argument(value, symint):
        return operator.index(value)
    raise wrong_type(function, argument, position, f'must be int, not {type_name(value)}')


def is_int_argument(value, symint=False):
    """Whether torch's parser takes ``value`` for an int: NumPy ints and 0-d integer tensors too
    (for a SymInt, integer tensors of one element), no bool."""
    if value.__class__ is int:
        return True
    if value.__class__ is bool or not symint and getattr(value, 'ndim', 0):
        return False
    return is_index(value)


def is_index(value):
    """Whether Python reads ``value`` as an integer (``__index__``: bools, NumPy ints, integer
    tensors of one element too)."""
    try:
        operator.index(value)
    except TypeError:
        return False
    return True
