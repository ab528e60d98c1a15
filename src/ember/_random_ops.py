"""torch's random sampling functions and in-place samplers (torch/_C random ops).

The numbers come from ``ember._generator``, which draws them on the host exactly as torch's
CPU kernels do. This module gives them torch's signatures, argument checks and errors, a
device, and a place in the autograd graph: each in-place sampler is a graph node named like
torch's (``UniformBackward0``, ...) whose gradient is zero.
"""
import functools
import math
import operator

import numpy

from . import _dtype
from ._dtype import dtype_arg
from . import _generator as sampler
from ._arguments import invalid_combination, not_tensor, tensor_argument, type_name
from ._creation import (_fill_axes, _finish, _out_dtype, allocation_error, check_int64_sizes,
                        like_layout, write_factory_out)
from ._device import CPU, array_module, as_device, backend, check_unpinned, defaults, to_host
from ._generator import Generator, default_generator
from ._ops.primitive import (NotImplementedDerivative, Primitive, _any_requires_grad,
                              check_inplace_allowed, check_out, has_repeats,
                              out_requires_grad_error, warn_resized, write_into, write_out)
from .autograd.grad_mode import state as grad_state
from ._ops.shape import _sizes, expand, infer_size
from ._scalar import is_number
from ._tensor import Tensor, _make, memory_format as memory_format_type
from ._warnings import warn_at_caller

__all__ = ['rand', 'randn', 'randint', 'randperm', 'normal', 'bernoulli', 'multinomial',
           'poisson', 'binomial', 'rand_like', 'randn_like', 'randint_like']

_MISSING = object()  # an argument not given (None is a value some take)
_DIGITS = {_dtype.float16: 11, _dtype.bfloat16: 8, _dtype.float32: 24, _dtype.float64: 53}
_INT64_MIN = -2**63


# ---------------------------------------------------------------- shared helpers

_FACTORY = ('Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, '
            'torch.device device = None, bool pin_memory = False, bool requires_grad = False)')
_LIKE = ('torch.memory_format memory_format = None, torch.dtype dtype = None, torch.layout '
         'layout = None, torch.device device = None, bool pin_memory = False, bool '
         'requires_grad = False)')


def _overloads(tail, *leads):
    """A factory's overloads as torch lists them: each with a generator, then without."""
    return tuple(f'({lead}*, {generator}{tail}' for lead in leads
                 for generator in ('torch.Generator generator, ', ''))


# The overloads torch's parser lists where none takes a call's arguments
_SIGNATURES = {
    'rand': _overloads(_FACTORY, 'tuple of ints size, '),
    'randn': _overloads(_FACTORY, 'tuple of ints size, '),
    'randperm': _overloads(_FACTORY, 'int n, '),
    'randint': _overloads(_FACTORY, 'int high, tuple of ints size, ',
                          'int low, int high, tuple of ints size, '),
    'randint_like': _overloads(_LIKE, 'Tensor input, int low, int high, ',
                               'Tensor input, Tensor high, ', 'Tensor input, int high, '),
    'normal': (
        '(Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
        '(Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)',
        '(float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
        f'(float mean, float std, tuple of ints size, *, torch.Generator generator = None, '
        f'{_FACTORY}'),
    'random_': ('(*, torch.Generator generator = None)',
                '(int from, int to, *, torch.Generator generator = None)',
                '(int to, *, torch.Generator generator = None)'),
    'bernoulli': ('(Tensor input, *, torch.Generator generator = None, Tensor out = None)',
                  '(Tensor input, float p, *, torch.Generator generator = None)'),
    'bernoulli_': ('(Tensor p, *, torch.Generator generator = None)',
                   '(float p = 0.5, *, torch.Generator generator = None)'),
}


def _invalid(function, args, kwargs=()):
    """torch's TypeError when no overload of ``function`` takes the arguments."""
    return invalid_combination(function, args, kwargs, _SIGNATURES.get(function, ()))


def _generator(generator, function=None, args=None):
    """The generator argument (the default one for None), with the parser error of
    ``function``: of several overloads when its positional ``args`` are given."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        if args is not None:  # (None: an optional argument not given)
            given = [a for a in args if a is not None]
            raise _invalid(function, given, {'generator': generator})
        if function:
            raise TypeError(f"{function}(): argument 'generator' must be torch.Generator, not "
                            f"{type(generator).__name__}")
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator


def _is_float(value):
    """Whether torch's parser takes ``value`` as a float: a real Python number or any NumPy
    numeric scalar (a complex one too: its real part, with NumPy's ComplexWarning)."""
    return is_number(value) and (not isinstance(value, complex) or
                                 isinstance(value, numpy.generic))


def _index(value):
    """An int argument as torch's parser reads it (ints, NumPy ints, one-element integer
    tensors), or None for anything else (bools and floats included)."""
    if isinstance(value, Tensor):
        is_int = value.dtype.category == _dtype.INT and value.numel() == 1
        return int(value.item()) if is_int else None
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _index64(value):
    """An int64 argument as torch's parser reads it: ``_index`` less the one-element tensors
    of more than 0 dimensions (which its SymInt arguments take)."""
    if isinstance(value, Tensor) and (value.dim() or value.requires_grad):
        return None
    return _index(value)


def _int_arg(value, function, name, position):
    """``_index(value)``, or torch's error for argument ``name`` at ``position``."""
    index = _index(value)
    if index is None:
        raise TypeError(f"{function}(): argument '{name}' (position {position}) must be int, not "
                        f"{type_name(value)}")
    return index


def _size_error(function, size, position):
    """torch's parser error for a size that is not ints (varargs, or one sequence or value)."""
    if len(size) == 1 and not isinstance(size[0], (tuple, list)):
        return TypeError(f"{function}(): argument 'size' (position {position}) must be tuple of "
                         f"ints, not {type_name(size[0])}")
    if len(size) > 1 and (_index(size[0]) is None or size[0].__class__ is bool):
        return _invalid(function, size)  # a first size not an int (a sequence), then more
    # The parser checks a sequence's first item (not a bool); the others fail as they are
    # unpacked (bools read as ints there), as do varargs after the first.
    items = size[0] if len(size) == 1 else size
    pos, bad = next((i, v) for i, v in enumerate(items)
                    if _index(v) is None and not (i and v.__class__ is bool))
    if len(size) == 1 and not pos:
        return TypeError(f"{function}(): argument 'size' (position {position}) must be tuple of "
                         f"ints, but found element of type {type_name(bad)} at pos {pos}")
    return TypeError(f"{function}(): argument 'size' failed to unpack the object at pos {pos + 1} "
                     f'with error "type must be tuple of ints,but got {type_name(bad)}"')


def _no_size(function, *keywords):
    """torch's error for ``function()`` called without a size, given these keyword values."""
    if any(value is not None and value is not False for value in keywords):
        return TypeError(f'{function}() missing 1 required positional arguments: "size"')
    return _invalid(function, ())


def _given_size(function, sizes, size, *keywords):
    """rand's or randn's size= (given by keyword: torch's error where also one by one, or not
    a sequence of ints); ``keywords``: the other keyword arguments' values."""
    if sizes:
        raise _invalid(function, sizes, {'size': size})
    if _int_list(size):
        return (size,)
    given = dict(zip(('generator', 'out', 'dtype', 'layout', 'device', 'requires_grad',
                      'pin_memory'), keywords))
    given = {k: v for k, v in given.items() if v is not None and v is not False}
    if given:
        raise _invalid(function, (), dict(given, size=size))
    raise TypeError(f"{function}(): argument 'size' must be tuple of ints, not "
                    f'{type_name(size)}')


def _shape(size, name=None, position=1):
    """The shape given as ``f(2, 3)``, ``f((2, 3))`` or ``f(Size([2, 3]))``, none negative;
    with a function ``name``, torch's errors for sizes that are not ints."""
    try:
        shape = _sizes(size)
    except TypeError:
        if name is None:
            raise
        raise _size_error(name, size, position) from None
    if name and (1 in shape or 0 in shape):  # torch's parser checks the first size's type:
                                             # not a bool (which reads as 0 or 1)
        first = size[0][0] if isinstance(size[0], (tuple, list)) and size[0] else size[0]
        if first.__class__ is bool:
            raise _size_error(name, size, position)
    for s in shape:  # (a loop costs less than min() for the few dimensions a shape has)
        if s < 0:
            check_int64_sizes(shape, name)
            raise RuntimeError(f'Trying to create tensor with negative dimension {s}: '
                               f'{list(shape)}')
    return shape


@functools.cache
def _limits(dtype):
    """(lowest, highest) of a real dtype, bool's (0, 1) included (finfo and iinfo cost
    microseconds to build)."""
    if dtype is _dtype.bool:
        return 0, 1
    info = _dtype.finfo(dtype) if dtype.category == _dtype.FLOAT else _dtype.iinfo(dtype)
    return info.min, info.max


def _not_implemented(kernel, dtype):
    return NotImplementedError(f'"{kernel}" not implemented for \'{dtype.scalar_name}\'')


def _require_floating(dtype, kernel):
    if dtype.category not in (_dtype.FLOAT, _dtype.COMPLEX):
        raise _not_implemented(kernel, dtype)


def _new(shape, dtype, device, requires_grad, out, gen, sample, *params, pin_memory=False,
         name=None):
    """A new tensor of ``shape`` (or ``out``) filled by ``sample(gen, n, numpy_dtype, *params)``,
    one of ``ember._generator``'s samplers; torch's errors, as function ``name``'s, for a shape
    NumPy can't allocate."""
    if out is not None:
        kept = _check_factory_out(out, name)
        if out._data.shape != shape:  # resized, as a new contiguous tensor
            result = _new(shape, out.dtype, out.device, False, None, gen, sample, *params)
        else:
            values = sample(gen, math.prod(shape), out.dtype.np, *params)  # filled in place
            result = _make(_in_fill_order(out._data, values), out.dtype)
        if kept:  # torch writes it, and it keeps its history
            write_into(out, result._data)
            out._vc.value += 1
            return out
        return write_factory_out(result, out, requires_grad, name)
    target = defaults.device if device is None else as_device(device)
    xp = None if target is CPU else backend(target)  # (before any draw, as torch's)
    check_unpinned(pin_memory)
    try:
        host = sample(gen, math.prod(shape), dtype.np, *params)
    except (ValueError, MemoryError, OverflowError) as error:
        raise allocation_error(shape, dtype, name, error) from None
    if len(shape) != 1:  # the flat samples have the shape of a 1-d tensor
        host = host.reshape(shape)
    return _finish(_make(host if xp is None else xp.asarray(host), dtype), requires_grad)


def _check_factory_out(out, name):
    """The checks torch makes of a factory's out= before it draws: a leaf requiring grad
    refused by rand and normal(mean, std, size) (a non-leaf is written, keeping its history:
    returns True), any tensor requiring grad by randn, whose out is resized; one whose
    elements share memory by all but randperm (which writes through it)."""
    if grad_state.enabled and out.requires_grad:
        if name == 'randn':
            raise RuntimeError('cannot resize variables that require grad')
        if name in ('rand', 'normal'):
            if out._grad_fn is None:
                raise out_requires_grad_error(f'aten::{name}')
            _check_no_internal_overlap(out)
            return True
    if name != 'randperm':
        _check_no_internal_overlap(out)
    return False


def _fills_contiguously(out, shape):
    """Whether a factory's samples fill contiguous memory: a new tensor's, or out's unless it
    is a non-contiguous tensor of the right shape (torch samples into it in place)."""
    return out is None or out._data.shape != shape or bool(out._data.flags.c_contiguous)


def _draw(gen, sample, *params):
    """An in-place sampler's draw: ``sample(gen, n, numpy_dtype, *params)`` for its target."""
    return lambda n, np_dtype, contiguous: sample(gen, n, np_dtype, *params)


def _in_fill_order(a, values):
    """Flat ``values`` laid out in ``a``'s shape in the order torch's TensorIterator writes
    memory (see _fill_axes)."""
    if a.ndim < 2 or a.flags.c_contiguous:
        return values.reshape(a.shape)
    axes = _fill_axes(a)
    inverse = sorted(range(a.ndim), key=axes.__getitem__)
    return values.reshape([a.shape[i] for i in axes]).transpose(inverse)


def _check_writable(self, *operands):
    """The autograd layer's check of an in-place sampler's target (a leaf, or a view of one,
    that requires grad), which torch makes before its kernel checks anything."""
    if grad_state.enabled and _any_requires_grad(self, operands):
        check_inplace_allowed(self)


def _check_no_internal_overlap(self):
    """TensorIterator's refusal of a target whose elements share memory (an expanded tensor),
    made where the kernel builds its iterator: before any draw."""
    if has_repeats(self._data):
        raise RuntimeError('unsupported operation: more than one element of the written-to '
                           'tensor refers to a single memory location. Please clone() the '
                           'tensor before performing the operation.')


class _Sampled(Primitive):
    """An in-place sampler: new values replace the old ones, so no gradient flows back."""

    def forward(ctx, a, *operands, draw):
        values = draw(a.size, a.dtype, bool(a.flags.c_contiguous))
        return array_module(a).asarray(_in_fill_order(a, values))

    def backward(ctx, grad):
        zero = grad.new_zeros(grad.shape)  # torch's zeros_like: no nan from an inf grad
        return zero if len(ctx.next_functions) == 1 else (zero,) * len(ctx.next_functions)


class UniformBackward0(_Sampled):
    pass


class NormalBackward0(_Sampled):
    pass


class RandomBackward0(_Sampled):  # random_(from, to)
    pass


class RandomBackward1(_Sampled):  # random_(to)
    pass


class RandomBackward2(_Sampled):  # random_()
    pass


class BernoulliBackward2(_Sampled):  # bernoulli_(float p)
    pass


class ExponentialBackward0(_Sampled):
    pass


def _state_tensor(state):
    """Generator.get_state's tensor around the state bytes."""
    return _make(state, _dtype.uint8)


def _state_array(state):
    """The bytes of a state tensor given to Generator.set_state."""
    if not isinstance(state, Tensor):
        raise TypeError(f'expected a torch.ByteTensor, but got {type_name(state)}')
    if state.dtype is not _dtype.uint8:
        raise TypeError('RNG state must be a torch.ByteTensor')
    if not state.is_contiguous():
        raise RuntimeError('RNG state must be contiguous')
    return to_host(state._data).reshape(-1)


# ---------------------------------------------------------------- uniform

def _check_uniform(dtype, low, high):
    _require_floating(dtype, 'check_uniform_bounds')
    if -65504.0 <= low and high <= 65504.0 and 0.0 <= high - low <= 65504.0:
        return  # within every floating dtype's range
    real = dtype.to_real()
    lowest, highest = _limits(real)
    for value, name in ((low, 'from'), (high, 'to')):
        if not lowest <= value <= highest:
            raise RuntimeError(f'{name} is out of bounds for {real.cpp_name}')
    if not low <= high:
        raise RuntimeError(f'uniform_ expects to return a [from, to) range, but found '
                           f'from={low:g} > to={high:g}')
    if high - low > highest:
        raise RuntimeError(
            f'uniform_ expects to-from <= std::numeric_limits<{dtype.to_real().scalar_name}>'
            f'::max(), but found to={high:g} and from={low:g} which result in to-from to exceed '
            'the limit')


def uniform_(self, *args, generator=None, **kwargs):
    """Tensor.uniform_(from=0, to=1): fill with U[from, to) in place."""
    (low, to), gen = _sampler_params('uniform_', args, kwargs, {'from': 0.0, 'to': 1.0},
                                     generator)
    _check_writable(self)
    _check_uniform(self.dtype, low, to)
    _check_no_internal_overlap(self)
    draw = _draw(gen, sampler.uniform, low, to)
    return UniformBackward0.apply_(self, draw=draw)


def rand(*sizes, size=_MISSING, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """torch.rand: U[0, 1) samples of the default (or given) floating dtype."""
    dtype = dtype_arg(dtype, 'rand')
    if size is not _MISSING:
        sizes = _given_size('rand', sizes, size, generator, out, dtype, layout, device,
                            requires_grad, pin_memory)
    size = sizes
    gen = _generator(generator, 'rand', size)  # torch checks its arguments' types first
    if not size:
        raise _no_size('rand', generator, out, dtype, layout, device, requires_grad, pin_memory)
    dtype = _out_dtype(out, dtype) or _dtype.get_default_dtype()
    _require_floating(dtype, 'check_uniform_bounds')
    return _new(_shape(size, 'rand'), dtype, device, requires_grad, out, gen, sampler.unit,
                pin_memory=pin_memory, name='rand')


def _like_layout(input, memory_format, function, args):
    """like_layout, with torch's parser error for ``function`` called with ``args`` when
    memory_format is no memory format."""
    if not (memory_format is None or isinstance(memory_format, memory_format_type)):
        raise _invalid(function, args, {'memory_format': memory_format})
    return like_layout(input, memory_format)


def _new_like(input, layout, dtype, device, requires_grad, gen, sample, *params,
              pin_memory=False):
    """_new for the *_like factories: a tensor laid out as array ``layout`` (_like_layout),
    which the samples fill in memory order."""
    xp = backend(input.device if device is None else as_device(device))
    check_unpinned(pin_memory)
    host = _in_fill_order(layout, sample(gen, input.numel(), dtype.np, *params))
    return _finish(_make(xp.asarray(host), dtype), requires_grad)


def _fills_in_c_order(a):
    """Whether a tensor laid out like ``a`` is contiguous (size-1 dimensions aside)."""
    axes = [i for i in _fill_axes(a) if a.shape[i] > 1]
    return axes == sorted(axes)


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None, pin_memory=False):
    """torch.rand_like: rand with input's shape, layout, dtype and device unless given."""
    dtype = dtype_arg(dtype, 'rand_like') or tensor_argument('rand_like', input).dtype
    gen = _generator(generator, 'rand_like', (input,))
    layout = _like_layout(input, memory_format, 'rand_like', (input,))
    _check_uniform(dtype, 0.0, 1.0)
    return _new_like(input, layout, dtype, device, requires_grad, gen, sampler.unit,
                     pin_memory=pin_memory)


# ---------------------------------------------------------------- normal

def _check_std(std):
    if not std >= 0.0:
        raise RuntimeError(f'normal expects std >= 0.0, but found std {std:g}')


def _normal_std(std, dtype, numel):
    """normal_impl_'s checks (no kernel, so no dtype check, for no element), and the std it
    samples with: complex tensors sample both parts with std / sqrt(2)."""
    _check_std(std)
    if numel:
        _require_floating(dtype, 'normal_kernel_cpu')
    return std / math.sqrt(2) if dtype.category == _dtype.COMPLEX else std


def _normal_draw(mean, std, gen, dtype, numel):
    """normal_impl_'s draw of N(mean, std**2) samples into a tensor of ``dtype``."""
    std = _normal_std(std, dtype, numel)
    return lambda n, np_dtype, contiguous: sampler.normal(gen, n, np_dtype, mean, std, contiguous)


def normal_(self, *args, generator=None, **kwargs):
    """Tensor.normal_(mean=0, std=1): fill with N(mean, std**2) in place."""
    (mean, std), gen = _sampler_params('normal_', args, kwargs, {'mean': 0.0, 'std': 1.0},
                                       generator)
    _check_writable(self)
    draw = _normal_draw(mean, std, gen, self.dtype, self._data.size)
    _check_no_internal_overlap(self)
    return NormalBackward0.apply_(self, draw=draw)


def randn(*sizes, size=_MISSING, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """torch.randn: standard normal samples of the default (or given) floating dtype."""
    dtype = dtype_arg(dtype, 'randn')
    if size is not _MISSING:
        sizes = _given_size('randn', sizes, size, generator, out, dtype, layout, device,
                            requires_grad, pin_memory)
    size = sizes
    if not size:
        raise _no_size('randn', generator, out, dtype, layout, device, requires_grad, pin_memory)
    dtype = _out_dtype(out, dtype) or _dtype.get_default_dtype()
    gen = _generator(generator, 'randn', size)
    shape = _shape(size, 'randn')
    std = _normal_std(1, dtype, math.prod(shape))
    return _new(shape, dtype, device, requires_grad, out, gen, sampler.normal, 0, std,
                _fills_contiguously(out, shape), pin_memory=pin_memory, name='randn')


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None, pin_memory=False):
    """torch.randn_like: randn with input's shape, layout, dtype and device unless given."""
    dtype = dtype_arg(dtype, 'randn_like') or tensor_argument('randn_like', input).dtype
    gen = _generator(generator, 'randn_like', (input,))
    layout = _like_layout(input, memory_format, 'randn_like', (input,))
    std = _normal_std(1, dtype, input.numel())
    return _new_like(input, layout, dtype, device, requires_grad, gen, sampler.normal, 0, std,
                     _fills_in_c_order(layout), pin_memory=pin_memory)


class _NormalTensors(Primitive):
    """normal with a tensor mean and/or std, as normal_out_impl computes it: samples drawn
    into the output, then ``mul_(std)`` and/or ``add_(mean)``. No gradient flows back."""

    def forward(ctx, *operands, shape, dtype, device, steps, draw, layout):
        """``layout``: the array of an out= tensor of this shape, which torch samples into."""
        if layout is None:
            z = draw(math.prod(shape), dtype.np, True).reshape(shape)
        else:
            z = _in_fill_order(layout, draw(layout.size, dtype.np, layout.flags.c_contiguous))
        z = backend(device).asarray(z)
        for operand, step in zip(operands, steps):
            z = step(z, operand).astype(dtype.np)
        return z

    def backward(ctx, grad):
        zero = grad.new_zeros(grad.shape)  # torch's zeros_like: no nan from an inf grad
        return zero if len(ctx.next_functions) == 1 else (zero, zero)


class NormalBackward1(_NormalTensors):  # normal(Tensor mean, float std)
    pass


class NormalBackward2(_NormalTensors):  # normal(float mean, Tensor std)
    pass


class NormalBackward3(_NormalTensors):  # normal(Tensor mean, Tensor std)
    pass


def _add(z, mean):
    return z + mean


def _mul(z, std):
    return z * std


def _check_std_tensor(std):
    """CHECK_NORMAL_TENSOR_STD."""
    if std.dtype.category == _dtype.COMPLEX:
        raise RuntimeError('normal expects standard deviation to be non-complex')
    if std.numel() and not bool((to_host(std._data) >= 0).all()):
        raise RuntimeError('normal expects all elements of std >= 0.0')


_NORMAL_PARAMETERS = ('mean', 'std', 'size')
_FACTORY_KEYWORDS = ('dtype', 'layout', 'device', 'pin_memory', 'requires_grad')
def _float_like(value):
    """Whether torch's parser takes ``value`` for a float parameter (a 0-d tensor that does not
    require grad too)."""
    if isinstance(value, Tensor):
        return value.dim() == 0 and not value.requires_grad
    return _is_float(value)


def _int_list(value):
    """Whether torch's parser takes ``value`` for a tuple of ints: it checks the type of the
    first item only (not a bool), and reads a bool later on as an int."""
    return isinstance(value, (tuple, list)) and (not value or _index(value[0]) is not None) \
        and all(_index(v) is not None or v.__class__ is bool for v in value)


def _normal_arguments(args, kwargs):
    """normal's overload (0: tensor mean and std, 1: tensor mean, 2: tensor std, 3: floats and
    a size) and its (mean, std, size), with torch's parser errors."""
    values = dict(zip(_NORMAL_PARAMETERS, args))
    named = {k: v for k, v in kwargs.items() if k in _NORMAL_PARAMETERS}
    keywords = {k: v for k, v in kwargs.items() if k not in _NORMAL_PARAMETERS}
    valid = len(args) <= 3 and not set(named) & set(values) and set(keywords) <= {
        'generator', 'out', *_FACTORY_KEYWORDS}
    values.update(named)
    mean, std, size = (values.get(k, _MISSING) for k in _NORMAL_PARAMETERS)
    generator, out = kwargs.get('generator'), kwargs.get('out')
    typed = (generator is None or isinstance(generator, Generator)) and (
        out is None or isinstance(out, Tensor))
    if valid and typed and size is _MISSING and not set(keywords) & set(_FACTORY_KEYWORDS):
        if isinstance(mean, Tensor):
            if isinstance(std, Tensor):
                return 0, mean, std, size
            if std is _MISSING or _float_like(std):
                std = 1.0 if std is _MISSING else _float_arg(std, 'normal', 'std', 2)
                return 1, mean, std, size
        if isinstance(std, Tensor) and _float_like(mean):
            return 2, _float_arg(mean, 'normal', 'mean', 1), std, size
    if valid and typed and _float_like(mean) and _float_like(std) and _int_list(size):
        return 3, _float_arg(mean, 'normal', 'mean', 1), _float_arg(std, 'normal', 'std', 2), size
    count = len(args) + len(kwargs)
    if count == 1:  # only normal(Tensor mean, float std=1) takes one argument: its error
        if mean is _MISSING:
            raise TypeError('normal() missing 1 required positional arguments: "mean"')
        where = ' (position 1)' if args else ''
        raise TypeError(f"normal(): argument 'mean'{where} must be Tensor, not "
                        f'{type_name(mean)}')
    if count >= 5 and valid:  # only the floats-and-size overload takes five or more
        for position, (name, value) in enumerate(zip(_NORMAL_PARAMETERS, (mean, std, size)), 1):
            where = f' (position {position})' if position <= len(args) else ''
            if value is _MISSING:
                raise TypeError(f'normal() missing 1 required positional arguments: "{name}"')
            if name == 'size' and not _int_list(value):
                raise _size_error('normal', (value,), position)
            if name != 'size' and not _float_like(value):
                raise TypeError(f"normal(): argument '{name}'{where} must be float, not "
                                f'{type_name(value)}')
        _generator(generator, 'normal')
        if out is not None and not isinstance(out, Tensor):
            raise TypeError(f"normal(): argument 'out' must be Tensor, not {type_name(out)}")
    raise _invalid('normal', args, kwargs)


def normal(*args, **kwargs):
    """torch.normal(mean, std=1, size=None, *, generator=None, out=None, dtype=None,
    layout=None, device=None, pin_memory=False, requires_grad=False): all four overloads
    (tensor/float mean and std, or floats with a size)."""
    overload, mean, std, size = _normal_arguments(args, kwargs)
    generator, out = kwargs.get('generator'), kwargs.get('out')
    dtype, device = kwargs.get('dtype'), kwargs.get('device')
    if overload == 3:
        dtype = _out_dtype(out, dtype_arg(dtype, 'normal')) or _dtype.get_default_dtype()
        gen = _generator(generator)
        shape = _shape(size)
        std = _normal_std(std, dtype, math.prod(shape))
        return _new(shape, dtype, device, kwargs.get('requires_grad', False), out, gen,
                    sampler.normal, mean, std, _fills_contiguously(out, shape),
                    pin_memory=kwargs.get('pin_memory', False), name='normal')
    gen = _generator(generator)
    if out is not None:  # (before any draw)
        if grad_state.enabled and out.requires_grad:
            raise out_requires_grad_error('normal')
        _check_no_internal_overlap(out)
    mean_is_tensor, std_is_tensor = overload != 2, overload != 1
    if std_is_tensor:
        _check_std_tensor(std)
    like = mean if mean_is_tensor else std
    if not std_is_tensor:  # normal_out_impl broadcasts mean with out
        node, operands, steps, draw_std = NormalBackward1, (mean,), (_add,), std
        shape = mean.shape if out is None else infer_size(mean.shape, out.shape)
    else:
        node = NormalBackward3 if mean_is_tensor else NormalBackward2
        operands, steps, draw_std = (std, mean), (_mul, _add), 1
        shape = infer_size(mean.shape, std.shape) if mean_is_tensor else std.shape
    dtype = like.dtype if out is None else out.dtype  # samples are drawn into the output
    shape = tuple(shape)
    layout = None if _fills_contiguously(out, shape) else out._data
    draw = _normal_draw(0, draw_std, gen, dtype, math.prod(shape))
    if mean_is_tensor and mean.dtype.category == _dtype.COMPLEX \
            and dtype.category != _dtype.COMPLEX:  # out.add_(mean) fails after the draw
        draw(math.prod(shape), dtype.np, layout is None)
        promoted = _dtype.promote_types(mean.dtype, dtype)
        raise RuntimeError(f"result type {promoted.scalar_name} can't be cast to the desired "
                           f'output type {dtype.scalar_name}')
    result = node.apply(*operands, shape=shape, dtype=dtype, device=like.device, steps=steps,
                        draw=draw, layout=layout)
    return result if out is None else write_out(result, out)


# ---------------------------------------------------------------- random_, randint, randperm

def _int64(value):
    value = int(value)
    if not _INT64_MIN <= value < 2**63:
        raise ValueError('Overflow when unpacking long long')
    return value


def _bit_shift_fix(value, dtype):
    """The 2**k step update_from/update_to take: k from value's magnitude and dtype's digits."""
    return 1 << (max(abs(value).bit_length() - 1, 0) - _DIGITS[dtype] + 1)


def _update_from(low, dtype):
    """update_from: the smallest int64 that survives a round trip through dtype."""
    low_plus_1 = sampler.int_through(low + 1, dtype.np)
    return low_plus_1 + _bit_shift_fix(low + 1, dtype) if low_plus_1 < low else low


def _update_to(high, dtype):
    """update_to: the largest int64 that survives a round trip through dtype."""
    high_minus_1 = sampler.int_through(high - 1, dtype.np)
    return high_minus_1 - _bit_shift_fix(high - 1, dtype) if high_minus_1 >= high else high


def _check_in_range(low, high_inclusive, dtype):
    """check_from_to_in_range: errors outside the dtype, warnings past its exact integers."""
    lowest, highest = _limits(dtype)
    for value, name in ((low, 'from'), (high_inclusive, 'to - 1')):
        if not lowest <= value <= highest:
            raise RuntimeError(f'{name} is out of bounds for {dtype.cpp_name}')
    if dtype.category == _dtype.FLOAT:
        digits = _DIGITS[dtype]
        for value, name in ((low, 'from'), (high_inclusive, 'to - 1')):
            if not -(1 << digits) <= value <= 1 << digits:
                warn_at_caller(
                    f'{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision '
                    f'limitations {dtype.cpp_name} can support discrete uniform distribution '
                    'only within this range. This warning will become an error in version 1.7 '
                    'release, please fix the code in advance (Triggered internally at '
                    '/__w/pytorch/pytorch/aten/src/ATen/native/DistributionTemplates.h:111.)')


def _require_random_dtype(dtype, kernel):
    if dtype.category == _dtype.COMPLEX:
        raise _not_implemented(kernel, dtype)


def _random_sampler(dtype, low, high, numel=1):
    """random_from_to_impl: the sampler and its parameters for [low, high), or [low, max] when
    high is None; the full 64-bit range checks its dtype only where there is an element to
    fill (torch returns before its kernel for an empty tensor)."""
    low = _int64(low)
    if high is None and low == _INT64_MIN:
        return _full_range_sampler(dtype) if numel else (sampler.random_full_range,)
    if high is not None:
        high = _int64(high)
        if not low < high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        if dtype.category == _dtype.COMPLEX:
            raise RuntimeError('check_random_bounds handles only integral, floating-point and '
                               'boolean types')
        if dtype.category == _dtype.FLOAT:
            low, high = _update_from(low, dtype), _update_to(high, dtype)
            if not low < high:
                raise RuntimeError(f"random_ expects 'from' casted to dtype to be less than 'to' "
                                   f"casted to dtype, but got from={low} >= to={high}")
        high_inclusive = high - 1
    elif dtype.category == _dtype.FLOAT:
        high_inclusive = min(1 << _DIGITS[dtype], 2**63 - 1)
        low = _update_from(low, dtype)
        if not low < high_inclusive:
            raise RuntimeError(f"random_ expects 'from' casted to dtype to be less than or equal "
                               f"to 'to_inc' casted to dtype, but got from={low} > "
                               f"to_inc={high_inclusive}")
    elif dtype.category == _dtype.COMPLEX:
        raise RuntimeError('random_from_to_impl handles only integral, floating-point and '
                           'boolean types')
    else:
        high_inclusive = _limits(dtype)[1]
    _check_in_range(low, high_inclusive, dtype)
    span = (high_inclusive - low + 1) % 2**64
    return sampler.random_from_to, span, low


def _full_range_sampler(dtype):
    """random_full_64_bits_range_kernel: [int64 min, int64 max] for 64-bit-capable dtypes."""
    if dtype in (_dtype.float16, _dtype.bool) or dtype.category == _dtype.COMPLEX:
        raise _not_implemented('random_full_64_bits_range_kernel_cpu', dtype)
    if dtype not in (_dtype.int64, _dtype.float32, _dtype.float64, _dtype.bfloat16):
        raise RuntimeError('random_full_64_bits_range_kernel_cpu handles only int64, double, '
                           'float and bfloat16')
    return (sampler.random_full_range,)


def _random_bounds(args, bounds, generator):
    """random_'s (from, to) from its overloads random_(to) and random_(from, to) (to None: up
    to the dtype's maximum), with torch's parser errors."""
    if not bounds and 0 < len(args) <= 2 and type(args[0]) is int and (
            len(args) == 1 or type(args[1]) is int or args[1] is None):
        return (0, args[0]) if len(args) == 1 else args  # the common forms, parsed at once
    if len(args) > 2:
        raise TypeError(f'random_() takes 2 positional arguments but {len(args)} were given')
    given = dict(zip(('to',) if len(args) == 1 and not bounds else ('from', 'to'), args))
    valid = not set(given) & set(bounds) and not set(bounds) - {'from', 'to'}
    given.update(bounds)
    low, high = given.get('from', 0), given.get('to')
    if not valid or 'to' not in given or _index64(low) is None or (
            _index64(high) is None and not (high is None and 'from' in given)):
        keywords = dict(bounds, **({} if generator is None else {'generator': generator}))
        raise _invalid('random_', args, keywords)
    return _index64(low), high if high is None else _index64(high)


def random_(self, *args, generator=None, **bounds):
    """Tensor.random_: random_(), random_(to) or random_(from, to=None) in place."""
    if not args and not bounds:
        gen = _generator(generator, 'random_', ())
        _check_writable(self)
        if self._data.size:  # (torch returns before its kernel for an empty tensor)
            _require_random_dtype(self.dtype, 'random_kernel_cpu')
        _check_no_internal_overlap(self)
        return RandomBackward2.apply_(self, draw=_draw(gen, sampler.random_bits))
    low, high = _random_bounds(args, bounds, generator)
    gen = _generator(generator, 'random_', args)
    _check_writable(self)
    _check_no_internal_overlap(self)  # (random_from_to_impl's iterator, then its checks)
    node = RandomBackward1 if len(args) + len(bounds) == 1 and 'from' not in bounds \
        else RandomBackward0
    return node.apply_(self, draw=_draw(gen, *_random_sampler(self.dtype, low, high,
                                                                self._data.size)))


def _randint_arguments(low, high, size):
    """randint's (low, high, size) from its two overloads, with torch's parser errors."""
    if type(low) is int and type(high) is int and type(size) is tuple \
            and all(type(s) is int for s in size):
        return low, high, size  # the common form, parsed at once
    if size is None or high is None:  # randint(high, size)
        high, size = low, high if size is None else size
        if size is None:
            raise _invalid('randint', (high,))
        high = _int_arg(high, 'randint', 'high', 1)
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not "
                            f"{type_name(size)}")
        return 0, high, size
    if _index(low) is None or _index(high) is None or not _int_list(size):
        raise _invalid('randint', (low, high, size))
    return _index(low), _index(high), size


def randint(low=_MISSING, high=None, size=None, *, generator=None, out=None, dtype=None,
            layout=None, device=None, requires_grad=False, pin_memory=False):
    """torch.randint: integers in [low, high) (``randint(high, size)`` takes low = 0)."""
    dtype = dtype_arg(dtype, 'randint')
    if low is _MISSING:  # randint(high=..., size=...) takes low = 0
        low = None if high is None and size is None else 0
    gen = _generator(generator, 'randint', (low, high, size))  # torch checks argument types first
    if low is None and high is None and size is None:
        raise _invalid('randint', ())
    low, high, size = _randint_arguments(low, high, size)
    shape = _shape((size,), 'randint', 2)
    dtype = _out_dtype(out, dtype) or _dtype.int64
    return _new(shape, dtype, device, requires_grad, out, gen, *_random_sampler(dtype, low, high),
                pin_memory=pin_memory, name='randint')


def _scalar_high(high):
    """randint_like's Tensor high: ``high.item<int64_t>()`` of a 0-d tensor."""
    if high.dim() or high.numel() != 1:
        raise RuntimeError('high must be a scalar tensor and on CPU')
    value = high.item()
    if isinstance(value, complex):
        if value.imag:
            raise RuntimeError('value cannot be converted to type int64_t without overflow')
        value = value.real
    if isinstance(value, float) and not -2.0**63 <= value < 2.0**63:  # (nan, inf too)
        raise RuntimeError('value cannot be converted to type int64_t without overflow')
    return int(value)


def randint_like(input, low=None, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None, pin_memory=False):
    """torch.randint_like: randint with input's shape, layout, dtype and device unless given
    (``randint_like(input, high)`` takes low = 0, and its high may be a 0-d tensor)."""
    bounds = tuple(b for b in (low, high) if b is not None)
    # (input, Tensor high) comes before (input, int high); (input, low, high) takes SymInts
    tensor_high = len(bounds) == 1 and isinstance(bounds[0], Tensor)
    ints = [(_index if len(bounds) == 2 else _index64)(b) for b in bounds]
    if not (bounds and isinstance(input, Tensor)) or (None in ints and not tensor_high):
        raise _invalid('randint_like', (input,) + bounds)
    dtype = dtype_arg(dtype, 'randint_like') or input.dtype
    gen = _generator(generator, 'randint_like', (input,) + bounds)
    layout = _like_layout(input, memory_format, 'randint_like', (input,) + bounds)
    if tensor_high:
        ints = [_scalar_high(bounds[0])]
    low, high = (0, *ints) if len(ints) == 1 else ints
    return _new_like(input, layout, dtype, device, requires_grad, gen,
                     *_random_sampler(dtype, low, high), pin_memory=pin_memory)


def _check_randperm(n, dtype):
    """check_supported_max_int_with_precision and the dtype's own range."""
    if dtype.category not in (_dtype.INT, _dtype.FLOAT):
        raise _not_implemented('randperm', dtype)
    limits = {_dtype.float16: (2049, '2049'), _dtype.float32: (2**24 + 1, '2^24+1'),
              _dtype.float64: (2**53 + 1, '2^53+1')}
    if dtype in limits and n > limits[dtype][0]:
        raise RuntimeError(f'n cannot be greater than {limits[dtype][1]} for '
                           f'{dtype.scalar_name} type.')
    if dtype.category == _dtype.INT and n - 1 > _limits(dtype)[1]:
        raise RuntimeError(f'value cannot be converted to type {dtype.name}_t without overflow')


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """torch.randperm: a random permutation of 0..n-1 (int64 unless dtype is given)."""
    dtype = dtype_arg(dtype, 'randperm')
    gen = _generator(generator, 'randperm', (n,))  # torch checks its arguments' types first
    n = _int64(_int_arg(n, 'randperm', 'n', 1))
    dtype = _out_dtype(out, dtype) or _dtype.int64
    shape = _shape((n,))
    _check_randperm(n, dtype)
    return _new(shape, dtype, device, requires_grad, out, gen, sampler.randperm,
                pin_memory=pin_memory, name='randperm')


# ---------------------------------------------------------------- bernoulli, exponential

_P_RANGE_MESSAGE = ('Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this '
                    'error message be improved?  If so, please report an enhancement request '
                    'to PyTorch.)')


def _bernoulli_tensor_draw(self, p, generator):
    """bernoulli_tensor kernel: each element compared with its own probability (``p``
    expanded to ``self``)."""
    if not self._data.size:  # torch returns at once: no kernel runs, nothing is checked
        return lambda a, np_dtype: array_module(a).empty(0, np_dtype)
    if self.dtype.category == _dtype.COMPLEX:
        raise _not_implemented('bernoulli_tensor_cpu_self_', self.dtype)
    if p._data.shape != self._data.shape:
        expand(p, self.shape)  # torch's errors for a p that does not expand to self
    if p.dtype.category != _dtype.FLOAT:
        raise _not_implemented('bernoulli_tensor_cpu_p_', p.dtype)
    gen = _generator(generator)

    def draw(a, np_dtype):
        probs = _flat_in_fill_order(a, to_host(p._data))
        valid = (probs >= 0) & (probs <= 1)
        if not valid.all():  # checked element by element: those before the first bad one draw
            sampler.bernoulli_tensor(gen, probs[:int(valid.argmin())], np_dtype)
            raise RuntimeError(_P_RANGE_MESSAGE)
        return sampler.bernoulli_tensor(gen, probs, np_dtype)
    return draw


def _flat_in_fill_order(a, values):
    """``values`` broadcast to ``a``'s shape, flattened in the order torch fills ``a``."""
    axes = _fill_axes(a)
    xp = array_module(values)
    return xp.broadcast_to(values, a.shape).transpose(axes).reshape(-1)


class _SampledPerElement(_Sampled):
    """An in-place sampler whose draw reads the target's layout (per-element parameters)."""

    def forward(ctx, a, *operands, draw):
        return array_module(a).asarray(_in_fill_order(a, draw(a, a.dtype)))


class BernoulliBackward0(_SampledPerElement):  # bernoulli(Tensor p)
    def forward(ctx, p, draw, layout):
        """A new tensor filled in memory order: contiguous (empty_like's legacy contiguous
        format), or laid out as array ``layout`` (an out= tensor bernoulli fills in place)."""
        target = p if p.ndim <= 1 else array_module(p).empty(p.shape, p.dtype)
        if layout is not None:
            target = _in_fill_order(layout, array_module(p).empty(p.size, p.dtype))
        return _SampledPerElement.forward(ctx, target, draw=draw)


class BernoulliBackward1(_SampledPerElement):  # bernoulli_(Tensor p)
    pass


class _BernoulliOfP(NotImplementedDerivative):
    """bernoulli(input, float p): a new tensor like input, filled by ``fill``; torch has no
    derivative for it."""
    aten = 'bernoulli'

    def forward(ctx, input, fill):
        return fill(input)


def bernoulli(input, p=None, *, generator=None, out=None):
    """torch.bernoulli / Tensor.bernoulli: 1 with probability input (or p), else 0."""
    if p is not None:
        if not _is_float(p):
            raise _invalid('bernoulli', (input, p))   # (its p is a float; bernoulli_'s a tensor too)
        gen = _generator(generator, 'bernoulli', (input, p))
        return _BernoulliOfP.apply(input, fill=lambda data: bernoulli_(
            _make(array_module(data).empty(data.shape, data.dtype), input.dtype), p,
            generator=gen)._data)
    gen = _generator(generator, 'bernoulli', (input,))
    if out is not None:   # torch: out.resize_(input.shape).bernoulli_(input), any dtype, silently
        check_out(out)
        if grad_state.enabled and out.requires_grad:
            raise out_requires_grad_error('bernoulli')
        _check_no_internal_overlap(out)
        if out._data.shape != input._data.shape:
            out._data = array_module(out._data).empty(input._data.shape, out._data.dtype)
        return bernoulli_(out, input, generator=gen)
    draw = _bernoulli_tensor_draw(input, input, gen)
    return BernoulliBackward0.apply(input, draw=draw, layout=None)


def bernoulli_(self, *args, generator=None, **kwargs):
    """Tensor.bernoulli_(p=0.5): fill with 1 with probability p (a float or a tensor), else 0."""
    p = args[0] if args else kwargs.get('p', 0.5)
    if len(args) + len(kwargs) > 1 or set(kwargs) - {'p'} or not (
            isinstance(p, Tensor) or _is_float(p)) or not (
            generator is None or isinstance(generator, Generator)):
        raise _invalid('bernoulli_', args, dict(
            kwargs, **({} if generator is None else {'generator': generator})))
    _check_writable(self, p)
    if isinstance(p, Tensor):
        _check_no_internal_overlap(self)
        draw = _bernoulli_tensor_draw(self, p, generator)
        return BernoulliBackward1.apply_(self, p, draw=draw)
    p = float(p)
    if not 0 <= p <= 1:
        raise RuntimeError(f'bernoulli_ expects p to be in [0, 1], but got p={p:g}')
    if self.dtype.category == _dtype.COMPLEX and self._data.size:  # (no kernel runs for none)
        raise _not_implemented('bernoulli_scalar_cpu_', self.dtype)
    _check_no_internal_overlap(self)
    return BernoulliBackward2.apply_(
        self, draw=_draw(_generator(generator), sampler.bernoulli_scalar, p))


def exponential_(self, *args, generator=None, **kwargs):
    """Tensor.exponential_(lambd=1): fill with Exp(lambd) samples in place."""
    (lambd,), gen = _sampler_params('exponential_', args, kwargs, {'lambd': 1.0}, generator)
    _check_writable(self)
    if not lambd > 0:
        raise RuntimeError(f'exponential_ expects lambda > 0.0, but found lambda={lambd:g}')
    if self._data.size:  # (torch returns before its dtype check for an empty tensor)
        _require_continuous(self.dtype, 'Exponential', self.dtype.scalar_name)
    _check_no_internal_overlap(self)
    return ExponentialBackward0.apply_(self, draw=_draw(gen, sampler.exponential, lambd))


# ---------------------------------------------------------------- poisson

class PoissonBackward0(Primitive):
    """poisson(rates): a new tensor of samples (its gradient: zeros)."""

    def forward(ctx, rates, draw):
        """_s_poisson_cpu's TensorIterator writes a new contiguous tensor in C order."""
        host = to_host(rates)
        samples, error = draw(numpy.ascontiguousarray(host).reshape(-1), host.dtype)
        if error is not None:
            raise error
        return array_module(rates).asarray(samples.reshape(host.shape))

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape)


def _trailing_generator(function, args, generator, position):
    """The generator of ``function``, whose last parameter it is (number ``position``), given
    positionally (``args``) or by keyword, with the errors of torch's parser."""
    if len(args) > 1:
        raise TypeError(f'{function}() takes from {position - 1} to {position} positional '
                        f'arguments but {len(args) + position - 1} were given')
    if args:
        if generator is not None:
            raise TypeError(f"{function}() got multiple values for argument 'generator'")
        generator = args[0]
        if generator is not None and not isinstance(generator, Generator):
            raise TypeError(f"{function}(): argument 'generator' (position {position}) must be "
                            f'torch.Generator, not {type_name(generator)}')
    return _generator(generator, function)


def poisson(input, *args, generator=None):
    """torch.poisson(input, generator=None): Poisson samples with the rates of input."""
    if not isinstance(input, Tensor):
        raise not_tensor('poisson', input)
    gen = _trailing_generator('poisson', args, generator, 2)
    if input.dtype.category != _dtype.FLOAT:
        raise _not_implemented('poisson_cpu', input.dtype)
    return PoissonBackward0.apply(input, draw=lambda rates, np_dtype: sampler.poisson(
        gen, rates, np_dtype))


# ---------------------------------------------------------------- binomial

class _Binomial(NotImplementedDerivative):
    """binomial(count, prob): torch has no derivative for it."""
    aten = 'binomial'

    def forward(ctx, count, prob, draw):
        """_s_binomial_cpu: a new tensor of count's shape, resized (with torch's warning) to
        the broadcast shape, filled in C order."""
        count, prob = to_host(count), to_host(prob)
        shape = tuple(infer_size(count.shape, prob.shape))
        if shape != count.shape and count.size:
            warn_resized(count.shape, shape)
        samples = draw(numpy.broadcast_to(count, shape).reshape(-1),
                       numpy.broadcast_to(prob, shape).reshape(-1))
        return array_module(count).asarray(samples.reshape(shape))


def binomial(count, prob, *args, generator=None):
    """torch.binomial(count, prob, generator=None): the number of successes of count trials
    of probability prob."""
    for position, (name, value) in enumerate((('count', count), ('prob', prob)), 1):
        if not isinstance(value, Tensor):
            raise not_tensor('binomial', value, name, position)
    gen = _trailing_generator('binomial', args, generator, 3)
    for name, value in (('count', count), ('prob', prob)):
        if value.dtype.category != _dtype.FLOAT:
            raise ValueError(f'binomial only supports floating-point dtypes for {name}, got: '
                             f'{value.dtype.scalar_name}')
    if prob.dtype is not count.dtype:
        raise RuntimeError(f'Found dtype {prob.dtype.scalar_name} but expected '
                           f'{count.dtype.scalar_name}')
    if count.dtype not in (_dtype.float32, _dtype.float64):
        raise _not_implemented('binomial_cpu', count.dtype)
    return _Binomial.apply(count, prob, draw=lambda counts, probs: sampler.binomial(
        gen, counts, probs))


# ---------------------------------------------------------------- geometric, log-normal, cauchy

def _float_arg(value, function, name, position):
    """A float argument as torch's parser reads it (real numbers, 0-d tensors not requiring
    grad)."""
    if isinstance(value, Tensor) and value.dim() == 0 and not value.requires_grad:
        value = value.item()
        if isinstance(value, complex):
            raise RuntimeError('value cannot be converted to type double without overflow')
    if not _is_float(value):
        where = f' (position {position})' if position else ''
        raise TypeError(f"{function}(): argument '{name}'{where} must be float, not "
                        f"{type_name(value)}")
    return float(value)


def _sampler_params(function, args, kwargs, defaults, generator):
    """An in-place sampler's float parameters (``defaults``: name to default, None where
    required) from its positional and keyword arguments, and its generator, with torch's parser
    errors."""
    names = list(defaults)
    if len(args) > len(names):
        required = sum(d is None for d in defaults.values())
        takes = (f'{len(names)} positional argument' if required == len(names) == 1 else
                 f'from {required} to {len(names)} positional arguments')
        raise TypeError(f'{function}() takes {takes} but {len(args)} were given')
    for name in kwargs:
        if name not in defaults:
            raise TypeError(f"{function}() got an unexpected keyword argument '{name}'")
        if names.index(name) < len(args):
            raise TypeError(f"{function}() got multiple values for argument '{name}'")
    values = []
    for position, name in enumerate(names, 1):
        if position <= len(args):
            values.append(_float_arg(args[position - 1], function, name, position))
        elif name in kwargs:
            values.append(_float_arg(kwargs[name], function, name, None))
        elif defaults[name] is None:
            raise TypeError(f'{function}() missing 1 required positional arguments: "{name}"')
        else:
            values.append(defaults[name])
    return values, _generator(generator, function)


def _require_continuous(dtype, distribution, type_name):
    if dtype.category != _dtype.FLOAT:
        raise RuntimeError(f'{distribution} distribution is a continuous probability '
                           f'distribution. dtype must be a floating point but you specified '
                           f'{type_name}')


class GeometricBackward0(_Sampled):
    pass


class LogNormalBackward0(_Sampled):
    pass


class CauchyBackward0(_Sampled):
    pass


def geometric_(self, *args, generator=None, **kwargs):
    """Tensor.geometric_(p): fill with the number of Bernoulli(p) trials up to the first
    success, in place (integer dtypes too)."""
    (p,), gen = _sampler_params('geometric_', args, kwargs, {'p': None}, generator)
    _check_writable(self)
    if not 0 < p < 1:
        raise RuntimeError(f'geometric_ expects p to be in (0, 1), but got p={p:g}')
    if self.dtype.category not in (_dtype.INT, _dtype.FLOAT) and self._data.size:
        raise _not_implemented('geometric_cpu', self.dtype)  # (no kernel runs for no element)
    _check_no_internal_overlap(self)
    return GeometricBackward0.apply_(self, draw=_draw(gen, sampler.geometric, p))


def log_normal_(self, *args, generator=None, **kwargs):
    """Tensor.log_normal_(mean=1, std=2): fill with exp of N(mean, std**2) samples in place."""
    (mean, std), gen = _sampler_params('log_normal_', args, kwargs, {'mean': 1.0, 'std': 2.0},
                                       generator)
    _check_writable(self)
    if not std > 0:
        raise RuntimeError(f'log_normal_ expects std > 0.0, but found std={std:g}')
    if self.dtype.category != _dtype.FLOAT and self._data.size:
        raise _not_implemented('log_normal_cpu', self.dtype)  # (no kernel runs for no element)
    _check_no_internal_overlap(self)
    return LogNormalBackward0.apply_(self, draw=_draw(gen, sampler.log_normal, mean, std))


def cauchy_(self, *args, generator=None, **kwargs):
    """Tensor.cauchy_(median=0, sigma=1): fill with Cauchy(median, sigma) samples in place."""
    (median, sigma), gen = _sampler_params('cauchy_', args, kwargs,
                                           {'median': 0.0, 'sigma': 1.0}, generator)
    _check_writable(self)
    if not sigma > 0:
        raise RuntimeError(f'cauchy_ expects sigma > 0.0, but found sigma={sigma:g}')
    _require_continuous(self.dtype, 'Cauchy', self.dtype.cpp_name)
    _check_no_internal_overlap(self)
    return CauchyBackward0.apply_(self, draw=_draw(gen, sampler.cauchy, median, sigma))


# ---------------------------------------------------------------- multinomial

def _check_multinomial(input, num_samples, replacement):
    if input.dim() not in (1, 2):
        raise RuntimeError('prob_dist must be 1 or 2 dim')
    if input.dtype.category != _dtype.FLOAT:
        raise RuntimeError(f'multinomial only supports floating-point dtypes for input, got: '
                           f'{input.dtype.scalar_name}')
    if num_samples <= 0:
        raise RuntimeError('cannot sample n_sample <= 0 samples')
    if not replacement and num_samples > input.shape[-1]:
        raise RuntimeError('cannot sample n_sample > prob_dist.size(-1) samples without '
                           'replacement')
    if input.shape[-1] > 2**24:
        raise RuntimeError('number of categories cannot exceed 2^24')


def _check_probabilities(probs):
    """The fast path's check of the whole tensor at once (before any draw)."""
    if not ((probs >= 0) & (abs(probs) != float('inf'))).all():  # (NaN fails the first)
        raise RuntimeError('probability tensor contains either `inf`, `nan` or element < 0')
    if not (probs.astype('float64').sum(axis=-1) > 0).all():
        raise RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)')


def _first_invalid_row(probs):
    """multinomial_with_replacement's checks, a row at a time and entry by entry: the index of
    the first row that fails and its error, or None."""
    entries = (probs >= 0) & (abs(probs) != float('inf'))
    bad = ~(entries.all(axis=-1) & (probs.astype('float64').sum(axis=-1) > 0))
    if not bad.any():
        return None
    row = int(bad.argmax())
    if entries[row].all():
        return row, RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)')
    value = probs[row][int(entries[row].argmin())]
    if not value >= 0:  # (NaN too: torch checks val >= 0 first)
        return row, RuntimeError('invalid multinomial distribution (encountering probability '
                                 'entry < 0)')
    return row, RuntimeError('invalid multinomial distribution (encountering probability entry '
                             '= infinity or NaN)')


_MULTINOMIAL_PARAMETERS = ('num_samples', 'replacement')


def _multinomial_arguments(args, kwargs, leading):
    """multinomial's (num_samples, replacement) with torch's parser errors; ``leading``: 1 for
    the function, whose input counts as position 1, 0 for the method."""
    if len(args) > 2:
        raise TypeError(f'multinomial() takes from {1 + leading} to {2 + leading} positional '
                        f'arguments but {len(args) + leading} were given')
    values = dict(zip(_MULTINOMIAL_PARAMETERS, args))
    for name in kwargs:
        if name not in _MULTINOMIAL_PARAMETERS:
            raise TypeError(f"multinomial() got an unexpected keyword argument '{name}'")
        if name in values:
            raise TypeError(f"multinomial() got multiple values for argument '{name}'")
    values.update(kwargs)
    if 'num_samples' not in values:
        raise TypeError('multinomial() missing 1 required positional arguments: "num_samples"')
    num_samples, replacement = values['num_samples'], values.get('replacement', False)
    for position, (name, value, requirement) in enumerate(
            (('num_samples', num_samples, 'int'), ('replacement', replacement, 'bool')), 1):
        if _index(value) is None if requirement == 'int' else type(value) is not bool:
            where = f' (position {position + leading})' if position <= len(args) else ''
            raise TypeError(f"multinomial(): argument '{name}'{where} must be {requirement}, "
                            f'not {type_name(value)}')
    return _index(num_samples), replacement


def _multinomial_method(self, *args, generator=None, **kwargs):
    """Tensor.multinomial(num_samples, replacement=False, *, generator=None)."""
    num_samples, replacement = _multinomial_arguments(args, kwargs, 0)
    return _multinomial(self, num_samples, replacement, _generator(generator, 'multinomial'),
                        None)


def multinomial(input, *args, generator=None, out=None, **kwargs):
    """torch.multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    category indices drawn from each row."""
    if not isinstance(input, Tensor):
        raise not_tensor('multinomial', input)
    num_samples, replacement = _multinomial_arguments(args, kwargs, 1)
    gen = _generator(generator, 'multinomial')
    if out is not None and not isinstance(out, Tensor):
        raise TypeError(f"multinomial(): argument 'out' must be Tensor, not {type_name(out)}")
    return _multinomial(input, num_samples, replacement, gen, out)


def _multinomial(input, num_samples, replacement, gen, out):
    if out is not None and out.dtype is not _dtype.int64:
        raise RuntimeError(f'multinomial expects Long tensor out, got: {out.dtype.scalar_name}')
    _check_multinomial(input, num_samples, replacement)
    host = to_host(input._data)
    probs = host.reshape(math.prod(host.shape[:-1]), host.shape[-1])
    shape = host.shape[:-1] + (num_samples,)
    if probs.size:
        if not replacement or num_samples == 1:
            _check_probabilities(probs)
        else:
            invalid = _first_invalid_row(probs)
            if invalid:  # the rows before it have drawn their samples
                sampler.multinomial(gen, probs[:invalid[0]], num_samples, True, None)
                raise invalid[1]
        # the exponential keys fill a tensor laid out like input (at::empty_like)
        host = sampler.multinomial(gen, probs, num_samples, replacement,
                                   lambda q: _in_fill_order(host, q)).reshape(shape)
    elif len(probs):
        raise RuntimeError('invalid multinomial distribution (sum of probabilities <= 0)')
    else:
        host = probs.astype('int64').reshape(shape)
    result = _make(backend(input.device).asarray(host), _dtype.int64)
    return result if out is None else write_out(result, out)


_multinomial_method.__name__ = _multinomial_method.__qualname__ = 'multinomial'
# Tensor's methods here, by name
TENSOR_METHODS = {name: globals()[name] for name in (
    'uniform_', 'normal_', 'random_', 'bernoulli', 'bernoulli_', 'exponential_', 'geometric_',
    'log_normal_', 'cauchy_')}
TENSOR_METHODS['multinomial'] = _multinomial_method
