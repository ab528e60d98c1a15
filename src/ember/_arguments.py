"""torch's argument-parser errors (python_arg_parser.cpp), for the functions ember parses as
torch parses its overloads: how an argument's type is named, and the TypeError when no
overload takes the arguments."""
import operator

__all__ = ['type_name', 'class_name', 'described', 'invalid_combination', 'match_overload',
           'parse_arguments', 'tensor_argument', 'not_tensor',
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


def match_overload(function, args, kwargs, overloads, fits):
    """The first of ``overloads`` taking ``args`` and ``kwargs`` as torch's parser matches them,
    as (its index, the values of its parameters): an overload is a tuple of (type, name)
    parameters, all required, and ``fits(value, type)`` says whether a value fits a type.
    Where none does, torch's TypeError listing them, with the parser's note on each that takes
    as many arguments."""
    count = len(args) + len(kwargs)
    for index, params in enumerate(overloads):
        rest = params[len(args):]
        if len(params) == count and set(kwargs) == {name for _, name in rest}:
            values = args + tuple(kwargs[name] for _, name in rest)
            if all(fits(value, kind) for value, (kind, _) in zip(values, params)):
                return index, values
    signatures = []
    for params in overloads:
        listed = f"({', '.join(f'{kind} {name}' for kind, name in params)})"
        if len(params) == count:
            listed += '\n      ' + _mismatch(args, kwargs, params)
        signatures.append(listed)
    raise invalid_combination(function, args, kwargs, signatures)


def _mismatch(args, kwargs, params):
    """The parser's note on why an overload of as many parameters didn't take the arguments:
    the keywords not among its last parameters, else the arguments, marked !...! where their
    type doesn't fit (the notes never take a Python number for a Number, as torch's)."""
    last = [name for _, name in params[len(params) - len(kwargs):]] if kwargs else []
    wrong = [name for name in kwargs if name not in last]
    if wrong:
        return f"didn't match because some of the keywords were incorrect: {', '.join(wrong)}"
    given = [(kind, '', value) for value, (kind, _) in zip(args, params)]
    given += [(kind, f'{name}=', kwargs[name]) for kind, name in params[len(args):]]
    marked = ', '.join(f'{name}{described(value)}' if kind == 'Tensor' and _is_tensor(value)
                       else f'!{name}{described(value)}!' for kind, name, value in given)
    return ("didn't match because some of the arguments have invalid types: "
            f"({marked}{', ' * (not args)})")


def _is_tensor(value):
    from ._tensor import Tensor
    return isinstance(value, Tensor)


def parse_arguments(function, names, args, kwargs):
    """The values of the required parameters ``names`` of a function of one signature, from
    its ``args`` and ``kwargs``, with torch's parser's TypeErrors: too many positional
    arguments, then missing ones (from the first missing, every one after it named, and
    'arguments' said where that is one, as torch's), then a keyword that is not one of the
    rest."""
    if len(args) > len(names):
        raise TypeError(f"{function}() takes {len(names)} positional "
                        f"argument{'s' * (len(names) != 1)} but {len(args)} were given")
    rest = names[len(args):]
    for i, name in enumerate(rest):
        if name not in kwargs:
            missing = rest[i:]
            raise TypeError(f"{function}() missing {len(missing)} required positional "
                            f"argument{'s' * (len(missing) == 1)}: "
                            + ', '.join(f'"{name}"' for name in missing))
    for name in kwargs:
        if name not in rest:
            raise TypeError(f"{function}() got multiple values for argument '{name}'"
                            if name in names else
                            f"{function}() got an unexpected keyword argument '{name}'")
    return args + tuple(kwargs[name] for name in rest)


def tensor_argument(function, value, argument='input', position=1):
    """``value``, which must be a tensor, else torch's parser's TypeError (not_tensor)."""
    if not _is_tensor(value):
        raise not_tensor(function, value, argument, position)
    return value


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
