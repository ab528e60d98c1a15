"""Elementwise ops: arithmetic, unary math and comparisons (torch's pointwise ops)."""
import cmath
import math
import numbers
import operator

from .. import _dtype
from .._arguments import described, invalid_combination, type_name
from .._device import array_module, cast, warn_complex_to_real
from .._dtype import _BY_NUMPY
from .._exact import fma
from .._scalar import NUMPY_REALS, fill_scalar, is_number, parsed_number, scalar_to
from .._warnings import warn_deprecated_overload
from .._tensor import Tensor
from .primitive import (CONTIGUOUS, ITERATOR, NotImplementedDerivative, Primitive,
                        check_operand_types, check_out, check_output_shape, target_error_first,
                        write_out)
from .shape import infer_size


def _xp(*arrays):
    """The array module of the first operand that is an array (others may be scalars)."""
    for a in arrays:
        if hasattr(a, 'ndim') and not isinstance(a, (int, float, complex)):
            return array_module(a)
    return array_module(arrays[0])


def _dtype_of(*operands):
    """The NumPy dtype of the first operand that has one (Python scalars may come first)."""
    for x in operands:
        dtype = getattr(x, 'dtype', None)
        if dtype is not None:
            return dtype
    return None


def _not_implemented(kernel, array):
    """torch's error for a kernel with no implementation for this dtype."""
    name = _BY_NUMPY[array.dtype].scalar_name
    return NotImplementedError(f'"{kernel}" not implemented for \'{name}\'')


def _no_binary_kernel(kernel, a, b, dtype):
    """torch's error for a binary kernel with no implementation for ``dtype``, after its shape
    check (TensorIterator broadcasts the operands first: apply words NumPy's ValueError)."""
    xp = _xp(a, b)
    xp.broadcast_shapes(xp.shape(a), xp.shape(b))
    return _not_implemented(kernel, xp.empty(0, dtype))


def _check_int_divisor(xp, a, b):
    """torch's error for an integer division by zero, where some element is computed (an empty
    result divides nothing)."""
    if xp.any(xp.asarray(b) == 0) and math.prod(xp.broadcast_shapes(xp.shape(a), xp.shape(b))):
        raise RuntimeError('ZeroDivisionError')


def _conj(t):
    if isinstance(t, Tensor):
        return t.conj() if t.dtype.category == _dtype.COMPLEX else t
    return t.conjugate() if isinstance(t, complex) else t


# -------------------------------------------------------------------- arithmetic

class AddBackward0(Primitive):
    """a + alpha * b (alpha, a Python number, is passed only when it is not 1)."""
    layout = ITERATOR
    promote = 'common'
    alpha = 1

    def forward(ctx, a, b, alpha=1):
        # complex: a + alpha * b for alpha 1 too, as ATen (1 * (inf + 0j) is inf + nanj)
        if alpha != 1 or a.dtype.kind == 'c':
            return _scaled_sum(a, b, alpha)
        return a + b

    def backward(ctx, grad):
        return grad, _scaled(grad, ctx.alpha)


class SubBackward0(Primitive):
    """a - alpha * b."""
    layout = ITERATOR
    promote = 'common'
    alpha = 1

    def forward(ctx, a, b, alpha=1):
        if alpha != 1 or a.dtype.kind == 'c':  # as AddBackward0
            return _scaled_sum(a, b, -alpha)
        return a - b

    def backward(ctx, grad):
        return grad, _scaled(-grad, ctx.alpha)


class RsubBackward0(Primitive):
    """torch.rsub(input, other) = other - alpha * input, for a tensor ``other``."""
    layout = (1, 0)   # other - input
    promote = 'common'
    alpha = 1

    def forward(ctx, a, b, alpha=1):
        if alpha != 1 or a.dtype.kind == 'c':  # as AddBackward0
            return _scaled_sum(b, a, -alpha)
        return b - a

    def backward(ctx, grad):
        return _scaled(-grad, ctx.alpha), grad


def _scaled_sum(a, b, alpha):
    """a + alpha * b as ATen's add kernel computes it, alpha first cast to the dtype: exact
    for integers and bool, a product then a sum for complex, and for floats see
    _vectorised_scaled_sum."""
    xp = _xp(a, b)
    dtype = _dtype_of(a, b)
    alpha = scalar_to(alpha, _BY_NUMPY[dtype])   # with c10's overflow error (int8 alpha=300)
    a, b, alpha = xp.asarray(a, dtype), xp.asarray(b, dtype), xp.asarray(alpha)
    if dtype.kind not in 'fV':
        return a + alpha * b
    return _vectorised_scaled_sum(a, b, alpha, xp)


def _vectorised_scaled_sum(a, b, alpha, xp):
    """Float a + alpha * b as ATen's AVX2 loop rounds it: one FMA (vec::fmadd(b, alpha, a),
    in float32 for float16 and bfloat16), except in the scalar loop after the last whole
    chunk of two vectors (64 bytes) of an innermost run, which rounds alpha * b first for
    16-bit floats and for a 0-d b (float and double are contracted to an FMA there
    otherwise; a b broadcast along the last dim rounds some of those last elements
    unfused too, which is not reproduced)."""
    fused = fma(b, alpha, a)
    if fused.dtype.itemsize > 2 and b.ndim:
        return fused
    return _vectorised_where(xp.broadcast_to(fused, xp.broadcast_shapes(a.shape, b.shape)),
                             a + alpha * b, (a, b))


def _vectorised_where(vectorised, scalar, operands):
    """``scalar`` (a new array) with the elements that torch's cpu_kernel_vec computes in
    whole vector chunks (two AVX2 vectors, 64 bytes) of each innermost run of ``operands``
    taken from ``vectorised``; the rest are its scalar loop's."""
    if not scalar.size:
        return scalar
    if not scalar.flags.c_contiguous:  # (rows below must be a view)
        scalar = scalar.copy()
    if all(x.size == 1 or (x.shape == scalar.shape and x.flags.c_contiguous) for x in operands):
        rows = scalar.reshape(1, -1)  # the iterator folds contiguous dims into one run
    else:
        rows = scalar.reshape(-1, scalar.shape[-1]) if scalar.ndim else scalar.reshape(1, 1)
    chunked = rows.shape[1] - rows.shape[1] % (64 // scalar.dtype.itemsize)
    rows[:, :chunked] = vectorised.reshape(rows.shape)[:, :chunked]
    return scalar


def _scaled(grad, alpha):
    """grad * conj(alpha), the gradient of alpha * b (grad itself when alpha is 1)."""
    return grad if alpha == 1 else grad * alpha.conjugate()


class RsubBackward1(RsubBackward0):
    """``number - tensor``: rsub(Tensor, Scalar), whose only edge is the tensor's."""
    graph_inputs = (0,)


class MulBackward0(Primitive):
    layout = ITERATOR
    _unpack_order = (1, 0)    # other (exponent) before self, as torch
    promote = 'common'
    saves_inputs = True
    saved_for = ((1,), (0,))

    def forward(ctx, a, b, opmath_other=None):
        if opmath_other is not None:
            return _in_opmath(operator.mul, a, opmath_other)
        return a * b

    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return grad * _conj(b) if need_a else None, grad * _conj(a) if need_b else None


class MulBackward1(MulBackward0):
    """tensor * number as ATen's mul(Tensor, Scalar), which backward formulas call (pow's,
    sqrt's): its only edge is the tensor's."""
    graph_inputs = (0,)
    saved_for = ((), (0,))

    def backward(ctx, grad):
        return grad * _conj(ctx.inputs[1]), None


def _scalar_mul(tensor, number):
    """MulBackward1: tensor * number (a float16/bfloat16 tensor's in float32, as torch's)."""
    return MulBackward1.apply(tensor, number, **_opmath_param(tensor, number))


class DivBackward0(Primitive):
    """True division: integer operands give the default float dtype."""
    layout = ITERATOR
    _unpack_order = (1, 0)    # other (exponent) before self, as torch
    promote = 'float'
    saves_inputs = True
    saved_for = ((1,), (0, 1))

    def forward(ctx, a, b, opmath_other=None):
        if opmath_other is not None:
            return _in_opmath(operator.truediv, a, opmath_other)
        return a / b

    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (grad / _conj(b) if need_a else None,
                -grad * _conj(a / b / b) if need_b else None)  # torch's order: no b * b overflow


class DivBackward1(DivBackward0):
    """tensor / number as ATen's div(Tensor, Scalar), which backward formulas call (mean's):
    its only edge is the tensor's."""
    graph_inputs = (0,)
    saved_for = ((), (0,))

    def backward(ctx, grad):
        return grad / _conj(ctx.inputs[1]), None


class DivBackward2(Primitive):
    """Division with rounding_mode 'trunc' or 'floor': recorded, with zero gradients."""
    layout = ITERATOR
    _unpack_order = (1, 0)    # other (exponent) before self, as torch
    promote = 'common'
    saves_inputs = True
    saved_for = ((1,), (0, 1))

    def forward(ctx, a, b, rounding_mode, opmath_other=None):
        xp = _xp(a, b)
        dtype = _dtype_of(a, b)
        if dtype.kind in 'bc':
            raise _no_binary_kernel(f'div_{rounding_mode}_cpu', a, b, dtype)
        if dtype.kind in 'iu':
            _check_int_divisor(xp, a, b)
            quotient = xp.floor_divide(a, b)
            if rounding_mode == 'floor':
                return quotient
            # one more where the division was inexact and rounded down past zero (no abs():
            # abs(INT_MIN) overflows)
            return quotient + ((xp.remainder(a, b) != 0) & ((a < 0) != (b < 0)))
        if opmath_other is not None:
            return _in_opmath(_rounded_quotient, a, opmath_other, rounding_mode)
        if dtype.itemsize == 2 and xp.size(b) == 1:
            # float16, bfloat16 by one value: torch's kernel divides in float32 and rounds once
            # (TensorIterator's is_scalar(2); else each step rounds, as NumPy's)
            wide = xp.float32
            return _rounded_quotient(xp.asarray(a, wide), xp.asarray(b, wide),
                                     rounding_mode).astype(dtype)
        return _rounded_quotient(a, b, rounding_mode)

    def backward(ctx, grad):
        ctx.inputs  # noqa: B018 -- torch unpacks (version-checks) what it saved
        zero = grad.new_zeros(grad.shape)
        need_a, need_b = ctx.needs_input_grad
        return zero if need_a else None, zero if need_b else None


class FloorDivide(NotImplementedDerivative):
    """torch.floor_divide / ``//``: torch has no derivative for it."""
    layout = ITERATOR
    promote = 'common'
    aten = 'floor_divide'

    def forward(ctx, a, b, opmath_other=None):
        return DivBackward2.forward(ctx, a, b, 'floor', opmath_other)


class FloorDivideInplace(FloorDivide):
    aten = 'floor_divide_'


def _rounded_quotient(a, b, rounding_mode):
    """a / b of float arrays rounded toward zero ('trunc') or down ('floor'), as torch's kernels."""
    xp = _xp(a, b)
    return xp.trunc(a / b) if rounding_mode == 'trunc' else _div_floor_floating(xp, a, b)


def _div_floor_floating(xp, a, b):
    """c10::div_floor_floating: floor division through fmod, as torch's CPU kernel."""
    quotient = a / b
    mod = xp.fmod(a, b)
    div = (a - mod) / b
    div = xp.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floored = xp.floor(div)
    floored = xp.where(div - floored > 0.5, floored + 1, floored)
    floored = xp.where(div != 0, floored, xp.copysign(xp.zeros_like(floored), quotient))
    return xp.where(b == 0, quotient, floored).astype(quotient.dtype, copy=False)


class RemainderBackward0(Primitive):
    """Python-style modulus: the result takes the divisor's sign. remainder(Tensor,
    Scalar): one edge, nothing saved."""
    layout = ITERATOR
    promote = 'common'
    graph_inputs = (0,)

    def forward(ctx, a, b):
        xp = _xp(a, b)
        dtype = _dtype_of(a, b)
        if dtype.kind in 'bc':
            raise _no_binary_kernel('remainder_cpu', a, b, dtype)
        if dtype.kind in 'iu':
            _check_int_divisor(xp, a, b)
            return xp.remainder(a, b)
        # ATen's fmod, then + b where the signs differ: a zero keeps a's sign (NumPy's b's)
        mod = xp.fmod(a, b)
        return xp.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod).astype(dtype)

    def backward(ctx, grad):
        return grad


_BOOL_NEGATION = ('Negation, the `-` operator, on a bool tensor is not supported. If you are '
                  'trying to invert a mask, use the `~` or `logical_not()` operator instead.')


class NegBackward0(Primitive):
    def forward(ctx, a):
        if a.dtype == bool:
            raise RuntimeError(_BOOL_NEGATION)
        if a.dtype.kind == 'c' and a.ndim and a.flags.c_contiguous:
            # torch's vector chunks compute 0 - z (0. for a zero's parts), its scalar tail -z
            return _vectorised_where(a.dtype.type(0) - a, -a, (a,))
        return -a

    def backward(ctx, grad):
        return -grad


class PowBackward0(Primitive):
    """tensor ** number."""
    promote = 'common'
    saves_inputs = True
    graph_inputs = (0,)

    def forward(ctx, a, exponent):
        if exponent == 1:
            return a.copy()   # as torch's copy_ (NumPy's complex power drops zeros' signs)
        if a.dtype.kind in 'fVc' and exponent in _KERNEL_EXPONENTS:
            result = _kernel_power(a, exponent)
            if result is not None:
                return result
        return _power(a, exponent) if exponent == 0 else _tensor_power(a, exponent)

    def backward(ctx, grad):
        a, exponent = ctx.inputs
        if exponent == 0 and exponent.__class__ is not bool:  # c10's Scalar(False) != 0
            return grad.new_zeros(grad.shape), None   # zeros even where grad is inf or nan
        return grad * _conj(_scalar_mul(a ** (exponent - 1), exponent)), None


class PowBackward1(Primitive):
    """tensor ** tensor."""
    layout = ITERATOR
    _unpack_order = (1, 0)    # other (exponent) before self, as torch
    promote = 'common'
    saves_inputs = True
    saves_output = True

    def forward(ctx, a, b):
        if a.dtype == bool:
            array_module(a).broadcast_shapes(a.shape, b.shape)  # torch's shape error comes first
            raise _not_implemented('pow', a)
        return _tensor_power(a, b)

    def backward(ctx, grad):
        a, b = ctx.inputs
        result = ctx.output  # all saved values are checked before any gradient, as torch
        need_a, need_b = ctx.needs_input_grad
        # 0 where b == 0, as torch (not 0 * 0 ** -1 = nan)
        grad_a = masked_fill(grad * _conj(b * a ** (b - 1)), b == 0, 0) if need_a else None
        if not need_b:
            return grad_a, None
        # d/db a**b = a**b * log(a), taken as 0 where a == 0 and b >= 0 (as torch does), with a
        # in the result's dtype (a negative real base of a complex power has a complex log)
        log_a = masked_fill(a.to(result.dtype).log(),
                            (a == 0) & ((b.real if b.is_complex() else b) >= 0), 0)
        return grad_a, grad * _conj(result * log_a)


class PowBackward2(Primitive):
    """number ** tensor."""
    layout = CONTIGUOUS  # as torch allocates it
    promote = 'common'
    saves_inputs = True
    saves_output = True
    graph_inputs = (1,)

    def forward(ctx, base, b):
        if b.dtype == bool:  # True ** a bool tensor (other numbers promote it)
            raise _not_implemented('pow', b)
        return _tensor_power(base, b)

    def backward(ctx, grad):
        base, b = ctx.inputs
        if base == 0:  # as torch: 0 where b >= 0, else result * log(0), i.e. -inf for inf
            nonnegative = (b.real if b.is_complex() else b) >= 0
            return None, grad * masked_fill(ctx.output * -math.inf, nonnegative, 0)
        log_base = math.log(base) if isinstance(base, (int, float)) and base > 0 else cmath.log(base)
        return None, grad * _conj(_scalar_mul(ctx.output, log_base))


_KERNEL_EXPONENTS = (0.5, -0.5, -1, 2, 3, -2)


def _kernel_power(a, exponent):
    """A float or complex array to a number power where torch's pow kernel does not call
    std::pow (else None: NumPy's power): the sqrt, rsqrt and reciprocal kernels for 0.5, -0.5
    and -1 (not for float16, whose -0.5 is pow's: -0 and -inf give inf and 0), and products for
    3 and -2, and 2 for complex (a * a * a, 1 / (a * a)). float16 and bfloat16 compute in
    float32 and round once, except bfloat16's products, rounded at each step as torch's."""
    xp = _xp(a)
    half = a.dtype.itemsize == 2
    if exponent == 2:
        return a * a if a.dtype.kind == 'c' else None
    if exponent in (3, -2):
        wide = a.astype('float32') if a.dtype == xp.float16 else a
        result = wide * wide * wide if exponent == 3 else 1 / (wide * wide)
        return result.astype(a.dtype, copy=False)
    if a.dtype == xp.float16 and exponent != -0.5:
        return None
    wide = a.astype('float32') if half else a
    if exponent == -0.5:
        if a.dtype == xp.float16:
            wide = xp.where((wide == 0) | (wide == -math.inf), xp.abs(wide), wide)
        result = 1 / xp.sqrt(wide)
    else:
        result = xp.sqrt(wide) if exponent == 0.5 else 1 / wide
    return result.astype(a.dtype, copy=False)


def _power(a, b):
    xp = _xp(a, b)
    kind = _dtype_of(a, b).kind
    if kind == 'b':
        return xp.logical_or(a, xp.logical_not(b))
    if kind not in 'iu':
        return xp.power(a, b)
    negative = b < 0
    if not xp.any(negative):
        return xp.power(a, b)
    # torch's integer pow: a ** -n is 1 for a == 1, +-1 for a == -1, else 0.
    out = xp.power(a, xp.where(negative, 0, b))
    one = xp.ones_like(out)
    sign = xp.where(b % 2 == 0, one, -one)
    inverse = xp.where(a == 1, one, xp.where(a == -1, sign, 0 * one))
    return xp.where(negative, inverse, out).astype(out.dtype)


def _tensor_power(a, b):
    """a ** b (b a tensor's array, or a number other than 0, whose power torch fills with
    ones): complex powers of 0 as C's cpow gives them (torch's std::pow),
    exp(b * log(0)): nan for 0 ** 0, inf for negative real parts; NumPy's power agrees
    elsewhere."""
    out = _power(a, b)
    if out.dtype.kind == 'c':
        xp = array_module(out)
        zero = a == 0
        if xp.any(zero):
            out = xp.where(zero, xp.exp(b * xp.log(a)), out)
    return out


def _check_int_pow(input, exponent):
    """integer tensor ** int: torch reads the exponent as an int64 (c10's overflow error for
    2**63 and up, the parser's OverflowError below -2**63) and refuses a negative one."""
    if input.dtype.category <= _dtype.INT and isinstance(exponent, numbers.Integral) and (
            scalar_to(exponent, _dtype.int64) < 0):
        raise RuntimeError('Integers to negative integer powers are not allowed.')


# -------------------------------------------------------------------- unary math

class ReciprocalBackward0(Primitive):
    promote = 'float'
    saves_output = True

    def forward(ctx, a):
        if a.dtype.kind == 'c':  # by complex division, as torch: 1 / (1 + 0j) is 1 + 0j, 1 / 0 inf + nanj
            return _xp(a).divide(a.dtype.type(1), a)
        return _xp(a).reciprocal(a)

    def backward(ctx, grad):
        out = ctx.output
        return -grad * _conj(out * out)


class AbsBackward0(Primitive):
    saves_inputs = True

    def forward(ctx, a):
        if a.dtype == bool:
            raise _not_implemented('abs_cpu', a)
        return _magnitude(a)

    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * sgn(a)


def _magnitude(a):
    """|a|, for complex a as torch's hypot(re, im), correctly rounded (NumPy's complex abs is
    not: 1.5 - 0.75j in complex64 differs in the last bit)."""
    xp = _xp(a)
    return xp.hypot(a.real, a.imag) if a.dtype.kind == 'c' else xp.abs(a)


class SignBackward0(Primitive):
    """torch.sign: -1, 0 or 1 (real inputs only); gradient zero."""

    def forward(ctx, a):
        if a.dtype.kind == 'c':
            raise NotImplementedError('Unlike NumPy, torch.sign is not intended to support complex '
                                      'numbers. Please use torch.sgn instead.')
        return _real_sign(a)

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape)


def _real_sign(a):
    """torch's (0 < a) - (a < 0): -1, 0 or 1, and 0 for nan and -0 (NumPy's sign keeps those)."""
    if a.dtype == bool:
        return a
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


class SgnBackward0(Primitive):
    """torch.sgn: x / |x| (0 at 0); gradient zero for real x."""
    saves_inputs = True
    saves_output = True

    def forward(ctx, a):
        xp = _xp(a)
        if a.dtype.kind != 'c':
            return _real_sign(a)
        magnitude = _magnitude(a)
        nonzero = magnitude != 0
        return xp.where(nonzero, a / xp.where(nonzero, magnitude, 1), 0).astype(a.dtype)

    def backward(ctx, grad):
        if grad.dtype.category != _dtype.COMPLEX:
            return grad.new_zeros(grad.shape)
        (a,) = ctx.inputs
        sgn, magnitude = ctx.output, a.abs()
        # torch's sgn_backward: (g - Re(g * conj(sgn)) * sgn) / |a|, zero where a == 0
        return masked_fill((grad - (grad * sgn.conj()).real * sgn) / magnitude, magnitude == 0, 0)


class ExpBackward0(Primitive):
    promote = 'float'
    saves_output = True

    def forward(ctx, a):
        return _xp(a).exp(a)

    def backward(ctx, grad):
        return grad * _conj(ctx.output)


class LogBackward0(Primitive):
    promote = 'float'
    saves_inputs = True

    def forward(ctx, a):
        return _xp(a).log(a)

    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / _conj(a)


class SqrtBackward0(Primitive):
    promote = 'float'
    saves_output = True

    def forward(ctx, a):
        return _xp(a).sqrt(a)

    def backward(ctx, grad):
        return grad / _scalar_mul(_conj(ctx.output), 2)


class FloorBackward0(Primitive):
    """torch.floor: gradient zero everywhere it exists."""

    def forward(ctx, a):
        if a.dtype.kind == 'b':
            raise _not_implemented('floor_vml_cpu', a)
        if a.dtype.kind == 'c':
            raise NotImplementedError('floor is not supported for complex inputs')
        return a if a.dtype.kind in 'iu' else _xp(a).floor(a)

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape)


class ConjBackward0(Primitive):
    def forward(ctx, a):
        return a.conj() if a.dtype.kind == 'c' else a

    def backward(ctx, grad):
        return _conj(grad)


class RealBackward0(Primitive):
    is_view = True

    def forward(ctx, a):
        return a.real

    def backward(ctx, grad):
        return grad


# torch's real is view_as_real(x).select(-1, 0): its grad_fn prints as the select's (ember has
# the one node, where torch's SelectBackward0 leads to a ViewAsRealBackward0)
RealBackward0.__name__ = RealBackward0.__qualname__ = 'SelectBackward0'


class MaskedFillBackward0(Primitive):
    layout = CONTIGUOUS  # as torch allocates it
    saves_inputs = True
    saved_for = ((), (0,))   # only the mask is saved
    graph_inputs = (0,)
    writes_repeated = True
    repeated_write_warning = (
        'Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor '
        'before performing this operation. This also applies to advanced indexing e.g. '
        'tensor[mask] = scalar (Triggered internally at '
        '/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:2450.)')

    def forward(ctx, a, mask, value):
        xp = _xp(a)
        return xp.where(mask, xp.asarray(value, dtype=a.dtype), a)

    def backward(ctx, grad):
        mask = ctx.inputs[1]
        return masked_fill(grad, mask, 0), None, None


class MaskedFillBackward1(Primitive):
    """masked_fill with a 0-d tensor value, which gets the gradient summed where the mask is
    set."""
    layout = CONTIGUOUS  # as torch allocates it
    saves_inputs = True
    saved_for = ((), (0, 2), ())   # only the mask is saved
    graph_inputs = (0, 2)
    overlap_checked = (0,)         # torch reads the value as a number first
    writes_repeated = True
    repeated_write_warning = MaskedFillBackward0.repeated_write_warning

    def forward(ctx, a, mask, value):
        if value.dtype.kind == 'c' and a.dtype.kind not in 'cb':   # torch reads it as a number:
            value = value.real   # no cast's warning (its imaginary part is 0, checked before)
        return _xp(a).where(mask, value.astype(a.dtype), a)

    def backward(ctx, grad):
        mask = ctx.inputs[1]
        return masked_fill(grad, mask, 0), None, masked_fill(grad, ~mask, 0).sum()


# -------------------------------------------------------------------- comparisons, logic

class Comparison(Primitive):
    """Base of ==, !=, <, <=, >, >=, &, |, ^: compute in the promoted dtype, no gradient."""
    layout = ITERATOR
    promote = 'common'
    differentiable = False
    safe_cast_checked = False   # a bool result, cast to any output
    ufunc = None

    def forward(ctx, a, b):
        return getattr(_xp(a, b), ctx.ufunc)(a, b)

    @classmethod
    def apply_(cls, target, *operands, **params):
        result = super().apply_(target, *operands, **params)
        _warn_complex_copy(target, (target,) + operands)
        return result

    @classmethod
    def apply_out(cls, out, *operands, **params):
        result = super().apply_out(out, *operands, **params)
        if out is not None:
            _warn_complex_copy(out, operands)
        return result


def _warn_complex_copy(output, operands):
    """torch's comparison into a non-bool output computes in the common dtype and copies the
    result there: from a complex one into a real output, with the copy's warning."""
    if output.dtype.category < _dtype.COMPLEX and output.dtype is not _BOOL and (
            output._data.size and _dtype.result_type_of(operands).category == _dtype.COMPLEX):
        warn_complex_to_real()


class Ordering(Comparison):
    """<, <=, >, >=: complex numbers have no order."""

    def forward(ctx, a, b):
        dtype = _dtype_of(a, b)
        if dtype.kind == 'c':
            raise _no_binary_kernel(ctx.kernel, a, b, dtype)
        return getattr(_xp(a, b), ctx.ufunc)(a, b)


def _comparison(name, ufunc, base=Comparison):
    return type(name, (base,), {'ufunc': ufunc, 'kernel': name.lower() + '_cpu'})


Eq = _comparison('Eq', 'equal')
Ne = _comparison('Ne', 'not_equal')
Lt = _comparison('Lt', 'less', Ordering)
Le = _comparison('Le', 'less_equal', Ordering)
Gt = _comparison('Gt', 'greater', Ordering)
Ge = _comparison('Ge', 'greater_equal', Ordering)


class Bitwise(Comparison):
    safe_cast_checked = True
    def forward(ctx, a, b):
        dtype = _dtype_of(a, b)
        if dtype.kind in 'fcV':
            raise _no_binary_kernel(f'{ctx.ufunc}_cpu', a, b, dtype)
        return getattr(_xp(a, b), ctx.ufunc)(a, b)


BitwiseAnd = type('BitwiseAnd', (Bitwise,), {'ufunc': 'bitwise_and'})
BitwiseOr = type('BitwiseOr', (Bitwise,), {'ufunc': 'bitwise_or'})
BitwiseXor = type('BitwiseXor', (Bitwise,), {'ufunc': 'bitwise_xor'})


class BitwiseNot(Primitive):
    differentiable = False

    def forward(ctx, a):
        if a.dtype.kind in 'fcV':
            raise _not_implemented('bitwise_not_cpu', a)
        return _xp(a).invert(a)


# -------------------------------------------------------------------- public functions

def _opmath_param(input, other):
    """The params of mul, div and floor_divide: for a float16/bfloat16 tensor ``input``,
    torch's kernels read a scalar second operand (a Python or NumPy real number, or a 0-d
    tensor of another dtype) of a result in its dtype unrounded, in float32, where NumPy would
    round it first."""
    if isinstance(input, Tensor) and input.dtype in _REDUCED_FLOATS and (
            other.__class__ in (int, float) or isinstance(other, NUMPY_REALS) or (
                isinstance(other, Tensor) and not other.ndim and other.dtype is not input.dtype
                and _dtype.result_type_of((input, other)) is input.dtype)):
        return {'opmath_other': float(other.item() if isinstance(other, Tensor)
                                      else parsed_number(other))}
    return _NO_PARAMS


_REDUCED_FLOATS = (_dtype.float16, _dtype.bfloat16)


def _in_opmath(op, a, value, *args):
    """op(a, value, *args) in float32 for a float16/bfloat16 array, rounded once to a's dtype."""
    xp = array_module(a)
    return op(a.astype(xp.float32), xp.float32(value), *args).astype(a.dtype)


def _with_out(result, out, op):
    """``result`` of Primitive ``op``, written into ``out`` when one is given."""
    return result if out is None else write_out(result, out, op)


def _unary_exact_out(op, input, out, complex_checked=True):
    """op(input), into an out= of input's dtype only (see _check_exact_out; not checked for a
    complex input where ``complex_checked`` is False)."""
    if out is not None and (complex_checked or input.dtype.category != _dtype.COMPLEX):
        _check_exact_out(out, input.dtype)
    return _with_out(op.apply(input), out, op)


def _check_exact_out(out, dtype):
    """torch's check of an out= its kernel takes in the result's ``dtype`` only (abs, neg,
    floor...), before the kernel's own: 'Found dtype Float but expected Long'."""
    check_out(out)
    if out.dtype is not dtype:
        raise RuntimeError(f'Found dtype {out.dtype.scalar_name} but expected {dtype.scalar_name}')


def add(input, other, *alpha_other, alpha=1, out=None):
    """torch.add: input + alpha * other, rounded once (add(input, alpha, other): deprecated)."""
    if alpha_other:
        other, alpha = _deprecated_alpha('add', 'function', other, alpha_other, alpha)
    return _with_out(AddBackward0.apply(input, other, **_alpha_param('add', input, other, alpha)),
                     out, AddBackward0)


def _add_method(self, other, *alpha_other, alpha=1):
    """Tensor.add (Tensor.add(alpha, other): deprecated)."""
    if alpha_other:
        other, alpha = _deprecated_alpha('add', 'method', other, alpha_other, alpha)
    return add(self, other, alpha=alpha)


def _deprecated_alpha(name, form, alpha, rest, alpha_keyword):
    """(other, alpha) of torch's deprecated overloads add(Number alpha, Tensor other) and
    sub's, from the positional arguments after the input (``alpha`` and ``rest``), with their
    warning (once in the process for them all), or torch's TypeError where none applies."""
    too_many = (f'{name}() takes 2 positional arguments but 3 were given' if form == 'function'
                else f'{name}() takes 1 positional argument but 2 were given')
    if len(rest) != 1 or not _is_number(alpha) or not _is_number(rest[0]) and not (
            isinstance(rest[0], Tensor)):
        raise TypeError(too_many)
    if not (alpha_keyword.__class__ is int and alpha_keyword == 1):
        if form == 'function':
            raise TypeError(too_many)
        raise TypeError(f'{name}() received an invalid combination of arguments - got '
                        'unrecognized keyword arguments: alpha')
    old, new = ((f'{name}(Tensor input, Number alpha, Tensor other, *, Tensor out = None)',
                 f'{name}(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)')
                if form == 'function' else
                (f'{name}(Number alpha, Tensor other)', f'{name}(Tensor other, *, Number alpha = 1)'))
    warn_deprecated_overload(name, old, new)
    return rest[0], alpha.item() if isinstance(alpha, Tensor) else alpha


def _is_number(value):
    """Whether torch's parser takes ``value`` as a Number (a one-element tensor too)."""
    if isinstance(value, Tensor):
        return value._data.size == 1
    return is_number(value)


def _alpha_param(name, input, other, alpha):
    """The keyword params of an add/sub node for ``alpha``: none for the default 1, else
    alpha (as torch's parser reads a NumPy scalar), after torch's alpha_check."""
    if alpha.__class__ is int and alpha == 1:
        return _NO_PARAMS
    if not is_number(alpha):
        raise TypeError(f"{name}(): argument 'alpha' must be Number, not {type_name(alpha)}")
    alpha = parsed_number(alpha)
    if alpha.__class__ is int:
        _dtype.check_int_scalar(alpha)   # the parser's OverflowError, before sub negates it
    _check_alpha(input, other, alpha)
    return {'alpha': alpha}


_NO_PARAMS = {}


def _check_alpha(input, other, alpha):
    """torch's alpha_check: alpha must fit the result's kind."""
    kind = _dtype.result_type_of((input, other)).category
    if isinstance(alpha, bool) and kind != _dtype.BOOL:
        raise RuntimeError('Boolean alpha only supported for Boolean results.')
    if kind < _dtype.FLOAT and not isinstance(alpha, numbers.Integral):
        raise RuntimeError('For integral input tensors, argument alpha must not be a floating '
                           'point number.')
    if kind < _dtype.COMPLEX and not isinstance(alpha, numbers.Real):
        raise RuntimeError('For non-complex input tensors, argument alpha must not be a complex '
                           'number.')


_BOOL = _dtype.bool


def _check_sub(input, other):
    """torch's sub_check: no bool operand (tensor or Python bool) on either side."""
    a = input.dtype is _BOOL if isinstance(input, Tensor) else input.__class__ is bool
    b = other.dtype is _BOOL if isinstance(other, Tensor) else other.__class__ is bool
    if not (a or b):
        return
    check_operand_types((input, other))
    if a and b:
        raise RuntimeError('Subtraction, the `-` operator, with two bool tensors is not '
                           'supported. Use the `^` or `logical_xor()` operator instead.')
    raise RuntimeError('Subtraction, the `-` operator, with a bool tensor is not supported. '
                       'If you are trying to invert a mask, use the `~` or `logical_not()` '
                       'operator instead.')


def sub(input, other, *alpha_other, alpha=1, out=None):
    """torch.sub: input - alpha * other, rounded once (sub(input, alpha, other): deprecated)."""
    if alpha_other:
        other, alpha = _deprecated_alpha('sub', 'function', other, alpha_other, alpha)
    _check_sub(input, other)
    return _with_out(SubBackward0.apply(input, other, **_alpha_param('sub', input, other, alpha)),
                     out, SubBackward0)


def rsub(input, other, *, alpha=1):
    """torch.rsub: other - alpha * input, rounded once."""
    if not isinstance(input, Tensor):
        raise _overload_error('rsub', (input, other), (
            '(Tensor input, Tensor other, *, Number alpha = 1)',
            '(Tensor input, Number other, Number alpha = 1)'))
    _check_sub(other, input)
    op = RsubBackward0 if isinstance(other, Tensor) else RsubBackward1
    return op.apply(input, other, **_alpha_param('rsub', input, other, alpha))


def mul(input, other, *, out=None):
    if isinstance(input, Tensor) and input.dtype in _REDUCED_FLOATS:
        return _with_out(MulBackward0.apply(input, other, **_opmath_param(input, other)), out,
                         MulBackward0)
    return _with_out(MulBackward0.apply(input, other), out, MulBackward0)


def div(input, other, *, rounding_mode=None, out=None):
    """torch.div: true division, or rounded with rounding_mode='trunc' / 'floor'."""
    if rounding_mode is None:
        if isinstance(input, Tensor) and input.dtype in _REDUCED_FLOATS:
            return _with_out(DivBackward0.apply(input, other, **_opmath_param(input, other)),
                             out, DivBackward0)
        return _with_out(DivBackward0.apply(input, other), out, DivBackward0)
    if rounding_mode not in ('trunc', 'floor'):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                           f"found '{rounding_mode}'")
    return DivBackward2.apply_out(out, input, other, rounding_mode=rounding_mode,
                                  **_opmath_param(input, other))


def floor_divide(input, other, *, out=None):
    return FloorDivide.apply_out(out, input, other, **_opmath_param(input, other))


class RemainderBackward1(RemainderBackward0):
    """remainder(Tensor, Tensor): both edges; self and other are saved for other's
    gradient only."""
    _unpack_order = (1, 0)    # other (exponent) before self, as torch
    graph_inputs = None
    saves_inputs = True
    saved_for = ((1,), (1,))

    def backward(ctx, grad):
        a, b = ctx.inputs
        need_b = ctx.needs_input_grad[1]
        return grad, -grad * div(a, b, rounding_mode='floor') if need_b else None


class RemainderScalarTensor(NotImplementedDerivative):
    """remainder(Scalar, Tensor) (``2 % x``): torch has no derivative for it."""
    promote = 'common'
    aten = 'remainder'
    forward = RemainderBackward0.forward


def _remainder_op(input, other):
    if not isinstance(input, Tensor):
        return RemainderScalarTensor
    return RemainderBackward1 if isinstance(other, Tensor) else RemainderBackward0


def remainder(input, other, *, out=None):
    _reject_numbers('remainder', input, other, out)
    return _remainder_op(input, other).apply_out(out, input, other)


def _remainder_(self, other):
    return _remainder_op(self, other).apply_(self, other)


def pow(input, exponent, *, out=None):
    """torch.pow: tensor ** number, tensor ** tensor or number ** tensor."""
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            raise _overload_error('pow', (input, exponent), (
                '(Tensor input, Tensor exponent, *, Tensor out = None)',
                '(Number self, Tensor exponent, *, Tensor out = None)',
                '(Tensor input, Number exponent, *, Tensor out = None)'), out)
        return PowBackward2.apply_out(out, input, exponent)
    if isinstance(exponent, Tensor):
        return PowBackward1.apply_out(out, input, exponent)
    exponent = parsed_number(exponent)   # once, as torch's parser (np.complex64's warning)
    _check_int_pow(input, exponent)
    _check_exponent_fits(input, exponent)
    return _with_out(PowBackward0.apply(input, exponent), out, PowBackward0)


def _check_exponent_fits(input, exponent):
    """torch converts a number exponent to an integer or 16-bit float result's dtype, with
    c10's overflow error (int8 ** 300, float16 ** 1e10)."""
    dtype = _dtype.result_type_of((input, exponent))
    if dtype.category <= _dtype.INT or (dtype.category == _dtype.FLOAT and dtype.itemsize == 2):
        scalar_to(exponent, dtype)


def neg(input, *, out=None):
    if out is not None and input.dtype is _dtype.bool:
        raise RuntimeError(_BOOL_NEGATION)   # (before out='s dtype check, as torch)
    return _unary_exact_out(NegBackward0, input, out)


def positive(input):
    """torch.positive (unary +): input itself; refused for bool tensors."""
    if input.dtype is _dtype.bool:
        raise RuntimeError('The `+` operator, on a bool tensor is not supported.')
    return input


def abs(input, *, out=None):
    return _unary_exact_out(AbsBackward0, input, out, complex_checked=False)   # |z| into any


def sgn(input, *, out=None):
    return _unary_exact_out(SgnBackward0, input, out)


def sign(input, *, out=None):
    return _unary_exact_out(SignBackward0, input, out, complex_checked=False)   # (its error first)


def _abs_(self):
    if self.dtype.category == _dtype.COMPLEX:
        raise RuntimeError('In-place abs is not supported for complex tensors.')
    return AbsBackward0.apply_(self)


def reciprocal(input, *, out=None):
    return _with_out(ReciprocalBackward0.apply(input), out, ReciprocalBackward0)


def _rtruediv(self, other):
    """``number / tensor``: torch computes it as ``self.reciprocal() * other``."""
    return self.reciprocal() * other


def exp(input, *, out=None):
    return _with_out(ExpBackward0.apply(input), out, ExpBackward0)


def log(input, *, out=None):
    return _with_out(LogBackward0.apply(input), out, LogBackward0)


def sqrt(input, *, out=None):
    return _with_out(SqrtBackward0.apply(input), out, SqrtBackward0)


def floor(input, *, out=None):
    return _unary_exact_out(FloorBackward0, input, out, complex_checked=False)   # (its error first)


def conj(input):
    return ConjBackward0.apply(input) if input.dtype.category == _dtype.COMPLEX else input


def real(input):
    return RealBackward0.apply(input) if input.dtype.category == _dtype.COMPLEX else input


def _set_real(self, value):
    """x.real = value: a copy into the real part (a number fills it), as x.real[...] = value."""
    real(self)[...] = value


def masked_fill(input, mask, value):
    """torch.masked_fill: value where mask is True."""
    _check_masked_fill_arguments('masked_fill', (input,), mask, value)
    return _masked_fill(input, mask, value)


def _masked_fill_method(self, mask, value):
    """torch.Tensor.masked_fill."""
    _check_masked_fill_arguments('masked_fill', (), mask, value)
    return _masked_fill(self, mask, value)


def _masked_fill(input, mask, value):
    if mask._data.shape != input._data.shape:
        infer_size(mask.shape, input.shape)  # torch's error names the mask first
    _check_fill(mask, value)
    converted = scalar_to(value, input.dtype)   # c10's overflow error (1j into a float tensor)
    if isinstance(value, Tensor):
        return MaskedFillBackward1.apply(input, mask, value)
    return MaskedFillBackward0.apply(input, mask, value=converted)


def _check_masked_fill_arguments(name, leading, mask, value):
    """torch's argument-parser error where (``leading`` tensors,) mask, value match neither
    overload of masked_fill (a tensor mask, and a tensor or number value); its listing marks
    a number value as not fitting the Number overload too, as torch's does."""
    tensor_value, number_value = isinstance(value, Tensor), is_number(value)
    if all(isinstance(t, Tensor) for t in leading) and isinstance(mask, Tensor) and (
            tensor_value or number_value):
        return
    args = leading + (mask, value)
    signatures = []
    for kind, fits in (('Tensor', tensor_value), ('Number', False)):  # torch's parser marks
        fitting = [isinstance(t, Tensor) for t in leading] + [isinstance(mask, Tensor), fits]
        marked = ', '.join(described(a) if ok else f'!{described(a)}!'
                           for a, ok in zip(args, fitting))
        signatures.append(f"({'Tensor input, ' * len(leading)}Tensor mask, {kind} value)\n"
                          f"      didn't match because some of the arguments have invalid types: "
                          f'({marked})')
    raise _overload_error(name, args, signatures)


def _check_fill(mask, value):
    """torch's checks of masked_fill_'s mask and value."""
    if mask.dtype is not _BOOL:
        raise RuntimeError(f'masked_fill_ only supports boolean masks, but got mask with dtype '
                           f'{mask.dtype.cpp_name}')
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f'masked_fill_ only supports a 0-dimensional value tensor, but got '
                           f'tensor with {value.ndim} dimension(s).')


def _compare(op, name, number_first=False):
    """The function of a comparison or bitwise op. torch has no overload taking a number
    first, except for the bitwise ops, which take (number, tensor) but not two numbers."""
    def function(input, other, *, out=None):
        if number_first:
            _reject_numbers(name, input, other, out)
        elif not isinstance(input, Tensor):
            raise _overload_error(name, (input, other), (
                '(Tensor input, Tensor other, *, Tensor out = None)',
                '(Tensor input, Number other, *, Tensor out = None)'), out)
        return op.apply_out(out, input, other)
    function.__name__ = name
    return function


def _reject_numbers(name, input, other, out):
    """torch's TypeError for remainder or a bitwise op given two numbers: its overloads take
    a number first only before a tensor (without ``out`` torch notes why that one failed)."""
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        return
    number_self = '(Number self, Tensor other)'
    if out is None:
        marked = ', '.join(f'!{type(a).__name__}!' for a in (input, other))
        number_self += ("\n      didn't match because some of the arguments have invalid types: "
                        f'({marked})')
    raise _overload_error(name, (input, other), (
        '(Tensor input, Tensor other, *, Tensor out = None)', number_self,
        '(Tensor input, Number other, *, Tensor out = None)'), out)


def _overload_error(name, args, signatures, out=None):
    """torch's argument-parser TypeError when no overload of ``name`` takes ``args``."""
    return invalid_combination(name, args, {} if out is None else {'out': out}, signatures)


eq, ne, lt, le, gt, ge = (_compare(op, op.__name__.lower()) for op in (Eq, Ne, Lt, Le, Gt, Ge))
bitwise_and, bitwise_or, bitwise_xor = (
    _compare(op, name, number_first=True) for op, name in (
        (BitwiseAnd, 'bitwise_and'), (BitwiseOr, 'bitwise_or'), (BitwiseXor, 'bitwise_xor')))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def bitwise_not(input, *, out=None):
    return _unary_exact_out(BitwiseNot, input, out)


def _invert(self):
    """``~x``: Python's operator rejects floating tensors before any kernel runs."""
    if self.dtype.category > _dtype.INT:
        raise TypeError('~ (operator.invert) is only implemented on integer and Boolean-type '
                        'tensors')
    return BitwiseNot.apply(self)


def _swapped(function):
    """The reflected operator: ``2 - x`` calls ``x.__rsub__(2)``."""
    def reflected(self, other):
        return function(other, self)
    return reflected


def _inplace(op):
    """An in-place method ``x.op_()`` or ``x.op_(other)`` (by its forward's operands) running
    primitive ``op`` on x's memory."""
    if op.forward.__code__.co_argcount == 2:   # (ctx, a)
        def method(self):
            return op.apply_(self)
    else:
        def method(self, other):
            return op.apply_(self, other)
    return method


def _sub_method(self, other, *alpha_other, alpha=1):
    """Tensor.sub (Tensor.sub(alpha, other): deprecated)."""
    if alpha_other:
        other, alpha = _deprecated_alpha('sub', 'method', other, alpha_other, alpha)
    return sub(self, other, alpha=alpha)


def _add_(self, other, *alpha_other, alpha=1):
    if alpha_other:
        other, alpha = _deprecated_alpha('add_', 'method', other, alpha_other, alpha)
    try:
        params = _alpha_param('add_', self, other, alpha)
    except RuntimeError:
        target_error_first(self, (other,))
        raise
    return AddBackward0.apply_(self, other, **params)


def _sub_(self, other, *alpha_other, alpha=1):
    if alpha_other:
        other, alpha = _deprecated_alpha('sub_', 'method', other, alpha_other, alpha)
    try:
        _check_sub(self, other)
        params = _alpha_param('sub_', self, other, alpha)
    except RuntimeError:
        target_error_first(self, (other,))
        raise
    return SubBackward0.apply_(self, other, **params)


def _mul_(self, other):
    return MulBackward0.apply_(self, other, **_opmath_param(self, other))


def _floor_divide_(self, other):
    return FloorDivideInplace.apply_(self, other, **_opmath_param(self, other))


def _div_(self, other, *, rounding_mode=None):
    if rounding_mode is None:
        return DivBackward0.apply_(self, other, **_opmath_param(self, other))
    return DivBackward2.apply_(self, other, rounding_mode=rounding_mode,
                              **_opmath_param(self, other))


def _pow_(self, exponent):
    if not isinstance(exponent, Tensor):
        exponent = parsed_number(exponent)
        _check_int_pow(self, exponent)
        _check_exponent_fits(self, exponent)
    op = PowBackward1 if isinstance(exponent, Tensor) else PowBackward0
    return op.apply_(self, exponent)


def _masked_fill_(self, mask, value):
    _check_masked_fill_arguments('masked_fill_', (), mask, value)
    try:
        _check_fill(mask, value)
        check_output_shape(self._data.shape, mask._data.shape)   # TensorIterator's, before the
        checked = scalar_to(value, self.dtype)                   # kernel converts the value
    except RuntimeError:
        target_error_first(self, ())
        raise
    if isinstance(value, Tensor):
        return MaskedFillBackward1.apply_(self, mask, value)
    return MaskedFillBackward0.apply_(self, mask, value=checked)


TENSOR_METHODS = {
    'add': _add_method, 'sub': _sub_method, 'mul': mul, 'div': div, 'floor_divide': floor_divide,
    'remainder': remainder, 'pow': pow, 'neg': neg, 'abs': abs, 'sgn': sgn, 'sign': sign,
    'exp': exp, 'log': log, 'reciprocal': reciprocal,
    'reciprocal_': _inplace(ReciprocalBackward0), 'sqrt': sqrt, 'floor': floor, 'conj': conj,
    'masked_fill': _masked_fill_method, 'real': property(real, _set_real), 'eq': eq, 'ne': ne, 'lt': lt, 'le': le, 'gt': gt, 'ge': ge,
    'greater': gt, 'greater_equal': ge, 'less': lt, 'less_equal': le, 'not_equal': ne,
    'bitwise_and': bitwise_and, 'bitwise_or': bitwise_or, 'bitwise_xor': bitwise_xor,
    'bitwise_not': bitwise_not, 'multiply': mul, 'subtract': sub, 'divide': div,
    'negative': neg, 'absolute': abs, 'true_divide': div,
    '__add__': add, '__radd__': add, '__sub__': sub, '__rsub__': rsub,
    '__mul__': mul, '__rmul__': mul, '__truediv__': div, '__div__': div, '__rtruediv__': _rtruediv,
    '__rdiv__': _rtruediv,
    '__floordiv__': floor_divide, '__rfloordiv__': _swapped(floor_divide),
    '__mod__': remainder, '__rmod__': _swapped(remainder), '__pow__': pow,
    '__rpow__': _swapped(pow), '__neg__': neg, '__abs__': abs, '__pos__': positive,
    'positive': positive,
    '__eq__': eq, '__ne__': ne, '__lt__': lt, '__le__': le, '__gt__': gt, '__ge__': ge,
    '__and__': bitwise_and, '__rand__': _swapped(bitwise_and), '__or__': bitwise_or,
    '__ror__': _swapped(bitwise_or), '__xor__': bitwise_xor, '__rxor__': _swapped(bitwise_xor),
    '__invert__': _invert,
    'add_': _add_, 'sub_': _sub_, 'mul_': _mul_, 'div_': _div_,
    'pow_': _pow_, 'neg_': _inplace(NegBackward0), 'abs_': _abs_,
    'exp_': _inplace(ExpBackward0), 'log_': _inplace(LogBackward0),
    'sqrt_': _inplace(SqrtBackward0), 'floor_': _inplace(FloorBackward0),
    'remainder_': _remainder_, 'floor_divide_': _floor_divide_, 'masked_fill_': _masked_fill_,
    '__iadd__': _add_, '__isub__': _sub_, '__imul__': _mul_,
    '__itruediv__': _div_, '__idiv__': _div_, '__imod__': _remainder_, '__ifloordiv__': _floor_divide_,
    '__ipow__': _pow_,
}
FUNCTIONS = ('add', 'sub', 'rsub', 'mul', 'div', 'floor_divide', 'remainder', 'pow', 'neg',
             'positive', 'abs', 'sgn', 'sign', 'exp', 'log', 'sqrt', 'floor', 'conj', 'real',
             'masked_fill', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'greater', 'greater_equal', 'less',
             'less_equal',
             'not_equal', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_not',
             'reciprocal', 'multiply', 'subtract', 'divide', 'true_divide', 'negative',
             'absolute')
multiply, subtract, divide, true_divide, negative, absolute = mul, sub, div, div, neg, abs


class FillBackward2(Primitive):
    """fill_(number) / zero_: every element replaced, so no gradient reaches the old values."""
    writes_repeated = True

    def forward(ctx, a, value):
        value = fill_scalar(value, _BY_NUMPY[a.dtype], a.size)   # here, after the leaf checks,
        return _xp(a).full_like(a, value)   # as in torch: c10's overflow error (1j into float)

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape)


class FillBackward3(Primitive):
    """fill_(0-d tensor): the value gets the sum of the gradient."""
    overlap_checked = ()   # torch reads the value as a number first

    def forward(ctx, a, value):
        return _xp(a).full_like(a, cast(value, a.dtype))

    def backward(ctx, grad):
        return grad.new_zeros(grad.shape), grad.sum()


class ClampBackward1(Primitive):
    saves_inputs = True

    def forward(ctx, a, min, max, dtype):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if dtype.kind == 'c':
            raise NotImplementedError('clamp is not supported for complex types')
        if dtype.kind == 'b':
            kernel = ('clamp_min_scalar_cpu' if max is None else 'clamp_max_scalar_cpu' if min is None
                      else 'clamp_scalar_cpu')
            raise _not_implemented(kernel, a)
        low, high = (None if bound is None else _scalar_bound(bound, dtype) for bound in (min, max))
        return _clamped(_xp(a), a.astype(dtype, copy=False), low, high)  # see _scalar_clamp_dtype

    def backward(ctx, grad):
        (a,) = ctx.inputs
        if ctx.min is None:
            return _kept(grad, a <= ctx.max)
        if ctx.max is None:
            return _kept(grad, a >= ctx.min)
        return _kept(grad, (a >= ctx.min) & (a <= ctx.max))


class ClampBackward0(Primitive):
    """clamp with tensor bounds (either may be None), in the promoted dtype; each bound gets
    the gradient where it clamped (torch's clamp_backward_min_max)."""
    layout = ITERATOR
    _unpack_order = (2, 1, 0)  # max, min, self, as torch
    saves_inputs = True

    @classmethod
    def common_dtype(cls, operands, params):
        if operands[0].dtype.category == _dtype.COMPLEX:
            return None   # clamp's own error comes before the iterator's check of out=
        return _BY_NUMPY[params['dtype']]

    def forward(ctx, a, low, high, dtype):
        xp = _xp(a)
        if a.dtype.kind == 'c':
            raise NotImplementedError('clamp is not supported for complex types')
        if dtype.kind == 'c' or (dtype.kind == 'b' and low is not None and high is not None):
            # a bound's dtype promoted a real input to complex, or bool bounds on both sides:
            # the kernel torch runs (maximum for min only, minimum for max only) has none
            kernel = 'maximum_cpu' if high is None else 'minimum_cpu' if low is None else 'clamp_cpu'
            xp.broadcast_shapes(*(x.shape for x in (a, low, high) if x is not None))  # first
            raise _not_implemented(kernel, xp.empty(0, dtype))
        a, low, high = (None if x is None else x.astype(dtype, copy=False) for x in (a, low, high))
        out = _clamped(xp, a, low, high)
        operands = [x for x in (a, low, high) if x is not None]
        if out.ndim and sum(x.size == 1 or x.shape[-1] != out.shape[-1] for x in operands) < 2:
            # torch's kernel (maximum, minimum or clamp) runs vector chunks where no more than
            # one operand is broadcast along the innermost dim: there a tie gives the bound
            out = _vectorised_where(_clamped(xp, a, low, high, ties=True), out, operands)
        return out

    def backward(ctx, grad):
        a, low, high = ctx.inputs
        if low is None:
            return _kept(grad, a <= high), None, _kept(grad, a > high)
        if high is None:
            return _kept(grad, a >= low), _kept(grad, a < low), None
        return (_kept(grad, (a >= low) & (a <= high)), _kept(grad, (a < low) & (low < high)),
                _kept(grad, (a > high) | (high < low)))


def _clamped(xp, a, low, high, ties=False):
    """min(max(a, low), high) as torch's clamp kernels compute it: a bound replaces only the
    values beyond it (a zero stays where the bound is a zero of the other sign; with ``ties``,
    as their vector code does, also those equal to it), and a nan bound gives nan."""
    out = a
    if low is not None:
        out = xp.where(out <= low if ties else out < low, low, out)
    if high is not None:
        out = xp.where(out >= high if ties else out > high, high, out)
    if a.dtype.kind in 'fV':
        for bound in (low, high):
            if bound is not None:
                out = xp.where(bound != bound, bound, out)
    return out


class WhereBackward0(Primitive):
    """where(condition, a, b) (a bool condition has no edge, as in torch's node): ATen's
    clamp_backward computes clamp's gradient with it."""
    layout = ITERATOR   # (the condition's strides count: an input's layout in clamp's)
    graph_inputs = (1, 2)
    saves_inputs = True
    saved_for = ((1, 2), (), ())

    def forward(ctx, condition, a, b):
        return _xp(a).where(condition, a, b)

    def backward(ctx, grad):
        condition = ctx.inputs[0]
        zero = grad.new_zeros(())
        _, need_a, need_b = ctx.needs_input_grad
        return (None, WhereBackward0.apply(condition, grad, zero) if need_a else None,
                WhereBackward0.apply(condition, zero, grad) if need_b else None)


def _kept(grad, keep):
    """where(keep, grad, 0), differentiable in grad."""
    return WhereBackward0.apply(keep, grad, grad.new_zeros(()))


def _tensor_bounds(min, max):
    """torch's overload choice: clamp(Tensor, Tensor?, Tensor?) when every bound given is a
    tensor, else clamp(Tensor, Scalar?, Scalar?) (0-d tensors become numbers)."""
    given = [bound for bound in (min, max) if bound is not None]
    return bool(given) and all(isinstance(bound, Tensor) for bound in given)


def _clamp_dtype(input, min, max):
    return _dtype.result_type_of([x for x in (input, min, max) if x is not None]).np


def _scalar_clamp_dtype(input, min, max):
    """clamp(Tensor, Scalar?, Scalar?)'s dtype: a floating input's own (torch's clamp promotes
    only other inputs with the bounds, so a float tensor ignores a complex bound's type)."""
    if input.dtype.category == _dtype.FLOAT:
        return input.dtype.np
    return _clamp_dtype(input, min, max)


def _scalar_bound(value, dtype):
    """A number bound in the kernel's dtype; torch's kernel reads a complex bound as a double
    first (so its error names double)."""
    if isinstance(value, complex):
        value = scalar_to(value, _dtype.float64).item()
    return scalar_to(value, _BY_NUMPY[dtype])


def clamp(input, min=None, max=None, *, out=None):
    """torch.clamp: between number bounds, or tensor bounds broadcast with input."""
    if _tensor_bounds(min, max):
        return ClampBackward0.apply_out(out, input, min, max, dtype=_clamp_dtype(input, min, max))
    _check_number_bounds('clamp', input, min, max, out)
    min, max = _number(min), _number(max)
    dtype = _scalar_clamp_dtype(input, min, max)
    if out is not None and dtype.kind != 'c' and (min is not None or max is not None):
        _check_exact_out(out, _BY_NUMPY[dtype])   # (after the kernel's None and complex errors)
    return _with_out(ClampBackward1.apply(input, min=min, max=max, dtype=dtype), out,
                     ClampBackward1)


def _check_number_bounds(name, input, min, max, out=None):
    """torch's TypeError for a number bound beside a tensor bound that is not 0-dim (a 0-dim
    tensor passes as a number), or a bound that is no number (a NumPy string)."""
    if any(bound.ndim if isinstance(bound, Tensor) else not (bound is None or is_number(bound))
           for bound in (min, max)):
        given = (input, min) if max is None else (input, min, max)   # clamp(x, 'a'): 2 given
        raise _overload_error(name, given, (
            '(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)',
            '(Tensor input, Number min = None, Number max = None, *, Tensor out = None)'), out)


def _number(value):
    return value.item() if isinstance(value, Tensor) else value


def _clamp_(self, min=None, max=None):
    if _tensor_bounds(min, max):
        return ClampBackward0.apply_(self, min, max, dtype=_clamp_dtype(self, min, max))
    _check_number_bounds('clamp_', self, min, max)
    min, max = _number(min), _number(max)
    dtype = _scalar_clamp_dtype(self, min, max)
    if not _dtype.can_cast(_BY_NUMPY[dtype], self.dtype):
        raise RuntimeError(f"result type {_BY_NUMPY[dtype].scalar_name} can't be cast to "
                           f"the desired output type {self.dtype.cpp_name}")
    return ClampBackward1.apply_(self, min=min, max=max, dtype=dtype)


def _fill_(self, value):
    if not (isinstance(value, Tensor) or is_number(value)):
        raise _overload_error('fill_', (value,), [
            f"({kind} value)\n      didn't match because some of the arguments have invalid "
            f'types: (!{described(value)}!)' for kind in ('Tensor', 'Number')])
    if isinstance(value, Tensor):
        if value.ndim:
            target_error_first(self, ())
            raise RuntimeError(f'fill_ only supports 0-dimension value tensor but got tensor with '
                               f'{value.ndim} dimensions.')
        return FillBackward3.apply_(self, value)
    return FillBackward2.apply_(self, value=value)


class ZeroBackward0(FillBackward2):
    """zero_: torch names its node apart from fill_'s."""


def _zero_(self):
    return ZeroBackward0.apply_(self, value=0)


TENSOR_METHODS.update({
    name + '_': _inplace(op) for name, op in (
        ('eq', Eq), ('ne', Ne), ('lt', Lt), ('le', Le), ('gt', Gt), ('ge', Ge),
        ('greater', Gt), ('greater_equal', Ge), ('less', Lt), ('less_equal', Le),
        ('not_equal', Ne), ('bitwise_and', BitwiseAnd), ('bitwise_or', BitwiseOr),
        ('bitwise_xor', BitwiseXor), ('bitwise_not', BitwiseNot), ('sgn', SgnBackward0),
        ('sign', SignBackward0))})
TENSOR_METHODS.update({'true_divide_': _div_, 'divide_': _div_, 'multiply_': TENSOR_METHODS['mul_'],
                       'subtract_': _sub_, 'negative_': TENSOR_METHODS['neg_'],
                       'absolute_': _abs_, '__iand__': TENSOR_METHODS['bitwise_and_'],
                       '__ior__': TENSOR_METHODS['bitwise_or_'],
                       '__ixor__': TENSOR_METHODS['bitwise_xor_']})
TENSOR_METHODS.update({'clamp': clamp, 'clip': clamp, 'clamp_': _clamp_, 'clip_': _clamp_,
                       'fill_': _fill_, 'zero_': _zero_})
FUNCTIONS += ('clamp', 'clip')
clip = clamp
