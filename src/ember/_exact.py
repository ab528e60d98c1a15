"""Exact float arithmetic: FMA emulation as ATen's vectorised kernels round.

ATen's CPU kernels compute ``a * b + c`` with one rounding (``vec::fmadd``, and GCC
contracting the scalar loops), and NumPy has no fused multiply-add. These functions give
the same bits from ordinary IEEE operations:

- float32: the float64 product of two float32 values is exact, so the float64 sum rounded
  to float32 is the FMA unless the sum was rounded onto a float32 midpoint (then the
  second rounding can go the wrong way). Every midpoint, subnormal ones included, has its
  low 28 float64 mantissa bits zero; one shift and one count find such sums, which are
  then recomputed exactly and rounded to odd, so that the cast rounds once.
- float64: Dekker's exact product and Knuth's TwoSum, the low part rounded to odd
  (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums", 2008): exact while
  the product's error term neither overflows nor underflows (2**-969 < |a * b| and
  |a|, |b| < 2**995, beyond which a and b are first rescaled to exponents between theirs);
  where that gives nan or zero, the unfused ``a * b + c`` (IEEE's inf, nan and signed
  zeros).
- float16 and bfloat16 compute in float32, as ATen's opmath does.

``lerp``, ``add_scaled`` and ``addcmul`` are ATen's formulas for those kernels on arrays;
``lerp_operands`` and ``addcmul_operands`` give their FMA operands, for callers that stage
several FMAs in arrays of their own to compute them in one kernel call (``fma_staged``).
Array math goes through the arrays' backend module.
"""
from ._device import array_module

__all__ = ['fma', 'fma_kernel', 'fma_staged', 'fma32', 'wide_fma32', 'fma64', 'lerp',
           'lerp_operands', 'add_scaled', 'addcmul', 'addcmul_operands', 'opmath_type',
           'opmath_scalar', 'opmath_arrays']

_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitter for float64
_HUGE = 2.0 ** 995  # from here on, _SPLIT * x overflows


def fma(a, b, c, out=None):
    """a * b + c rounded once in a's dtype, written to ``out`` when given.

    b and c may be arrays or scalars; scalars not in the compute dtype are rounded to it
    first, as ATen casts Scalar arguments. float16 and bfloat16 compute in float32."""
    dtype = a.dtype
    if dtype.itemsize < 4:
        return _store(fma(*opmath_arrays(a), b, c), out, dtype)
    if isinstance(b, (int, float)) and b == 1:
        return _store(a + _cast(c, dtype, a), out, dtype)
    return fma_kernel(dtype)(a, _cast(b, dtype, a), _cast(c, dtype, a), out)


def fma_kernel(dtype):
    """The FMA for operands in dtype's opmath type: fma64 for float64, else fma32."""
    return fma64 if dtype.itemsize == 8 else fma32


def fma32(a, b, c, out=None):
    """float32 a * b + c (float32 arrays or scalars), rounded once (see wide_fma32); written to
    out when given."""
    kit = _wide_kit(a)
    wide_c = c.astype(kit[1])
    total = _round_once(a.astype(kit[1]) * b.astype(kit[1]), wide_c, kit)
    return _store(total, out, a.dtype)


def wide_fma32(a, b, c, out=None):
    """a * b + c for float32 values held in float64 (arrays or scalars): float64 values that
    round once to the float32 FMA when cast or stored; written to out (which may be a or b)
    when given."""
    return _round_once(a * b, c, _wide_kit(a), out)


def _round_once(product, c, kit, out=None):
    """product + c, for an exact float64 product of float32 values and a float32 c, as float64
    values whose rounding to float32 is the FMA: the float64 sum, or where that may round twice
    (sums on float32 midpoints: see above), the exact sum rounded to odd."""
    xp, _, bits, shift = kit
    total = product + c if out is None else xp.add(product, c, out)
    if xp.count_nonzero(total.view(bits) << shift) != total.size:
        return _store(round_to_odd(*two_sum(product, c)), out, total.dtype)
    return total


def fma_staged(dtype, xp):
    """For callers that stage the opmath operands of FMAs for results of dtype in arrays of
    their own (to compute several in one call): the dtype to stage them in and the kernel
    (float32 values are staged in float64 for wide_fma32, whose results round once when
    stored into float32; others in opmath for fma_kernel)."""
    if dtype.itemsize == 4:
        return xp.float64, wide_fma32
    return opmath_type(dtype, xp), fma_kernel(dtype)


def fma64(a, b, c, out=None):
    """float64 a * b + c (float64 arrays or scalars) by error-free transforms."""
    xp = array_module(a)
    result, total = _fma64_terms(a, b, c)
    fused = xp.abs(result) > 0
    if xp.count_nonzero(fused) != fused.size:  # (cheaper than fused.all())
        result, fused = _refused_huge(xp, a, b, c, result, fused)
    # zero (its sign) and nan (inf operands): the unfused sum
    return _store(xp.where(fused, result, total), out, xp.float64)


def _fma64_terms(a, b, c):
    """The error-free FMA (nan where a split overflows, zero where the FMA is zero) and the
    unfused sum."""
    high, low = two_prod(a, b)
    total, error = two_sum(c, high)
    return total + round_to_odd(*two_sum(error, low)), total


def _refused_huge(xp, a, b, c, result, fused):
    """result and fused redone where |a| or |b| >= 2**995 (Veltkamp's split overflows there):
    with a * 2**-k and b * 2**k, of exponents half-way between theirs (the same product,
    exactly, and halves that split)."""
    huge = ~fused & ((xp.abs(a) >= _HUGE) | (xp.abs(b) >= _HUGE))
    if not huge.any():
        return result, fused
    k = (xp.frexp(a)[1] - xp.frexp(b)[1]) // 2
    result = xp.where(huge, _fma64_terms(xp.ldexp(a, -k), xp.ldexp(b, k), c)[0], result)
    return result, xp.abs(result) > 0


def two_sum(a, b):
    """s, t with s = fl(a + b) and s + t == a + b exactly (Knuth's TwoSum)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def two_prod(a, b):
    """p, e with p = fl(a * b) and p + e == a * b exactly (Dekker's product)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def round_to_odd(s, t):
    """The float64 s + t (s = fl(s + t)) rounded to odd: truncated toward zero, then the last
    bit set when inexact. Non-finite s are kept."""
    xp = array_module(s)
    bits = s.view(xp.int64)
    inexact = xp.isfinite(t) & (t != 0)
    toward_zero = inexact & ((bits ^ t.view(xp.int64)) < 0)
    return ((bits - toward_zero) | inexact).view(s.dtype)


def lerp(start, end, weight, out=None):
    """torch.lerp with a real scalar weight (start and end of one dtype): ATen's lerp_vec, one
    FMA in opmath."""
    weight = opmath_scalar(weight, start.dtype, array_module(start))
    operands = lerp_operands(*opmath_arrays(start, end), weight)
    return _store(fma_kernel(start.dtype)(*operands), out, start.dtype)


def lerp_operands(start, end, weight):
    """The FMA operands (a, b, c) of lerp_vec, for start, end and a real weight in opmath: by
    |weight| < 0.5, (end - start) * weight + start, or (end - start) * (weight - 1) + end
    (weight - 1 rounds once, from the rounded weight)."""
    if abs(float(weight)) < 0.5:
        return end - start, weight, start
    return end - start, weight - 1, end


def add_scaled(x, y, alpha, out=None):
    """torch.add(x, y, alpha=alpha) on arrays: fma(y, alpha, x), or x + y when alpha is 1."""
    if alpha == 1:
        return _store(x + y, out, x.dtype)
    return fma(y, alpha, x, out)


def addcmul(x, t1, t2, value, out=None):
    """torch.addcmul(x, t1, t2, value=value) (arrays of one dtype): ATen's kernel, one FMA in
    opmath."""
    value = opmath_scalar(value, x.dtype, array_module(x))
    operands = addcmul_operands(*opmath_arrays(x, t1, t2), value)
    return _store(fma_kernel(x.dtype)(*operands), out, x.dtype)


def addcmul_operands(x, t1, t2, value):
    """The FMA operands (a, b, c) of ATen's addcmul kernel, for arrays and value in opmath:
    ``x + value * t1 * t2`` as (value * t1) * t2 + x."""
    return value * t1, t2, x


def _split(a):
    """Veltkamp's split of a float64 into two 26-bit halves."""
    c = _SPLIT * a
    high = c - (c - a)
    return high, a - high


def _cast(x, dtype, like):
    """x in dtype, on the backend of array ``like``: arrays and scalars of other dtypes are
    converted (rounded to nearest)."""
    return x if getattr(x, 'dtype', None) == dtype else array_module(like).asarray(x, dtype)


def opmath_type(dtype, xp):
    """ATen's opmath type for arrays of dtype: float32 for float16 and bfloat16, else dtype."""
    return xp.float32 if dtype.itemsize < 4 else dtype


def opmath_scalar(x, dtype, xp):
    """Scalar x as the kernels round it for arrays of dtype: in dtype's opmath type."""
    opmath = opmath_type(dtype, xp)
    return x if getattr(x, 'dtype', None) == opmath else xp.asarray(x, opmath)


def opmath_arrays(*arrays):
    """Arrays of one dtype in ATen's opmath type: float32 for float16 and bfloat16, else the
    arrays themselves."""
    if arrays[0].dtype.itemsize >= 4:
        return arrays
    return tuple(a.astype(array_module(a).float32) for a in arrays)


def _store(result, out, dtype):
    """result rounded to dtype, then written (and cast) into out when given."""
    if out is None or out.dtype != dtype:
        result = result.astype(dtype, copy=False)
    if out is None:
        return result
    out[...] = result
    return out


_WIDE_KITS = {}  # array class -> _wide_kit


def _wide_kit(a):
    """For a's backend: the module, float64, int64, and the shift that keeps a float64's 28
    lowest bits (all zero on float32 midpoints)."""
    kit = _WIDE_KITS.get(a.__class__)
    if kit is None:
        xp = array_module(a)
        kit = xp, xp.dtype('float64'), xp.dtype('int64'), xp.asarray(36, dtype=xp.int64)
        _WIDE_KITS[a.__class__] = kit
    return kit
