"""ember._exact: the emulated fused multiply-add against exact rational arithmetic, and the
lerp / addcmul / add(alpha=) kernels against torch's."""
from fractions import Fraction

import ml_dtypes
import numpy
import pytest
import torch

from ember._exact import (add_scaled, addcmul, fma, fma32, fma64, fma_kernel, fma_staged, lerp,
                          wide_fma32)

F32, F64 = numpy.float32, numpy.float64


def _floor_log2(m):
    e = m.numerator.bit_length() - m.denominator.bit_length()
    return e - 1 if Fraction(2) ** e > m else e


def _round32(x):
    """x rounded to nearest-even float32, from its exact value (no double rounding)."""
    if x == 0:
        return F32(0)
    ulp = Fraction(2) ** (max(_floor_log2(abs(x)), -126) - 23)
    value = float(round(x / ulp) * ulp)  # round() of a Fraction ties to even
    return F32(numpy.copysign(numpy.inf if abs(value) >= 2.0 ** 128 else value, float(x)))


def _round64(x):
    return F64(numpy.copysign(float(x), float(x)))  # int / int true division is correctly rounded


def _exact_fma(a, b, c, rounding):
    return numpy.array([rounding(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
                        for x, y, z in zip(a, b, c)])


def _bits(array):
    return numpy.asarray(array).view(f'u{numpy.asarray(array).dtype.itemsize}')


def _random(rng, n, dtype, low, high):
    """Random signs, mantissas and exponents in [low, high]."""
    values = rng.uniform(1, 2, n) * 2.0 ** rng.integers(low, high, n)
    return (values * rng.choice([-1, 1], n)).astype(dtype)


def _check(fn, a, b, c, rounding):
    numpy.testing.assert_array_equal(_bits(fn(a, b, c)), _bits(_exact_fma(a, b, c, rounding)))


# float32 sums that float64 rounds onto a float32 midpoint, the wrong way for a second rounding
_ONE = 2.0 ** -23
_DOUBLE_ROUNDING_32 = [  # a, b, c
    (2.0 ** -24 * (1 + 2 ** -20), 1 - 2 ** -20, 1 + _ONE),             # just below a midpoint
    (-2.0 ** -24 * (1 + 2 ** -20), 1 - 2 ** -20, 1 + 3 * _ONE),        # just above a midpoint
    (2.0 ** -75 * (1 + 2 ** -20), 2.0 ** -75 * (1 - 2 ** -20), (2 ** 22 + 1) * 2.0 ** -149),
    (2.0 ** 127, 1.5, -2.0 ** 103),                                    # at the overflow edge
]


def test_fma32_double_rounding_cases():
    a, b, c = (numpy.array(v, F32) for v in zip(*_DOUBLE_ROUNDING_32))
    naive = (a.astype(F64) * b + c).astype(F32)
    exact = _exact_fma(a, b, c, _round32)
    assert (_bits(naive) != _bits(exact))[:3].all()
    numpy.testing.assert_array_equal(_bits(fma32(a, b, c)), _bits(exact))


@pytest.mark.parametrize('factors,addend', [((-15, 15), (-30, 30)), ((-75, -50), (-149, -100)),
                                            ((-40, -30), (-80, -60)), ((55, 63), (100, 127))])
def test_fma32_random_against_exact(factors, addend):
    rng = numpy.random.default_rng(abs(addend[0]))
    a, b = (_random(rng, 3000, F32, *factors) for _ in range(2))
    c = _random(rng, 3000, F32, *addend)
    c[::3] = -(a[::3].astype(F64) * b[::3]).astype(F32)  # heavy cancellation
    c[1::7] = 0
    _check(fma32, a, b, c, _round32)


def test_wide_fma32_rounds_once_into_out():
    """Operands held in float64 (as staged for one call on several FMAs), the result written
    over a: float64 values whose float32 rounding is the FMA, midpoint cases included."""
    cases = _DOUBLE_ROUNDING_32 + [(0.0, 1.5, 1 + _ONE)]  # the last sum is c, a float32
    a, b, c = (numpy.array(v, F32).astype(F64) for v in zip(*cases))
    exact = _exact_fma(a, b, c, _round32)
    numpy.testing.assert_array_equal(_bits(wide_fma32(a, b, c).astype(F32)), _bits(exact))
    assert wide_fma32(a, b, c, out=a) is a
    numpy.testing.assert_array_equal(_bits(a.astype(F32)), _bits(exact))


@pytest.mark.parametrize('dtype', [numpy.float16, ml_dtypes.bfloat16, F32, F64])
def test_fma_kernels_store_the_fma_of_dtype(dtype):
    """fma_kernel on operands in opmath, and fma_staged's kernel on operands staged in its
    type, stored into dtype: fma."""
    rng = numpy.random.default_rng(7)
    a, b, c = (rng.standard_normal(200).astype(dtype) for _ in range(3))
    opmath = [x.astype(F64 if dtype == F64 else F32) for x in (a, b, c)]
    stage_type, staged_kernel = fma_staged(numpy.dtype(dtype), numpy)
    for kernel, operands in ((fma_kernel(numpy.dtype(dtype)), opmath),
                             (staged_kernel, [x.astype(stage_type) for x in opmath])):
        stored = numpy.empty(200, dtype)
        stored[...] = kernel(*operands)
        numpy.testing.assert_array_equal(_bits(stored), _bits(fma(a, b, c)))


def test_fma32_ties_made_by_the_float64_sum():
    """Products just off a half-ulp of c: the sums float64 rounds onto float32 midpoints."""
    rng = numpy.random.default_rng(5)
    c = _random(rng, 2000, F32, -10, 10)
    half_ulp = numpy.spacing(numpy.abs(c)) / 2
    a = (half_ulp * numpy.where(rng.random(2000) < 0.5, 1 + 2.0 ** -20, 1 - 2.0 ** -20)).astype(F32)
    b = (1 + rng.choice([-1, 1], 2000) * 2.0 ** -rng.integers(15, 23, 2000)).astype(F32)
    _check(fma32, a, b, c, _round32)


@pytest.mark.parametrize('low,high', [(-300, 300), (-960, -900), (900, 990)])
def test_fma64_random_against_exact(low, high):
    rng = numpy.random.default_rng(abs(high))
    a, b, c = (_random(rng, 3000, F64, low // 2, high // 2) for _ in range(3))
    c[::3] = -(a[::3] * b[::3])
    c[1::5] = -(a[1::5] * b[1::5]) * (1 + 2.0 ** -52)
    _check(fma64, a, b, c, _round64)


@pytest.mark.filterwarnings('ignore:overflow:RuntimeWarning', 'ignore:invalid:RuntimeWarning')
@pytest.mark.parametrize('swap', [False, True])
def test_fma64_huge_factors_against_exact(swap):
    """|a| >= 2**995 overflows Veltkamp's split: exact all the same (a tiny b included)."""
    rng = numpy.random.default_rng(5)
    a = numpy.concatenate([_random(rng, 1000, F64, 995, 1022),
                           _random(rng, 500, F64, 1000, 1022)])
    b = numpy.concatenate([_random(rng, 1000, F64, -1000, -10),
                           _random(rng, 500, F64, -1070, -1030)])
    c = _random(rng, 1500, F64, -60, 60)
    c[:900:3] = -(a[:900:3] * b[:900:3]) * (1 + 2.0 ** -52)
    _check(fma64, *((b, a) if swap else (a, b)), c, _round64)


def test_fma64_huge_uniform_bounds_match_torch():
    """uniform_(-1e300, 1e300)'s fma(u, 2e300, -1e300), with torch's own uniforms."""
    torch.manual_seed(0)
    u = torch.rand(1000, dtype=torch.float64)
    torch.manual_seed(0)
    expected = torch.empty(1000, dtype=torch.float64).uniform_(-1e300, 1e300).numpy()
    numpy.testing.assert_array_equal(_bits(fma64(u.numpy(), 2e300, -1e300)), _bits(expected))


def test_fma64_subnormal_results():
    rng = numpy.random.default_rng(3)
    a = _random(rng, 500, F64, -520, -500)
    b = _random(rng, 500, F64, -520, -500) * 2.0 ** 480
    c = _random(rng, 500, F64, -1074, -1030)
    _check(fma64, a, b, c, _round64)


@pytest.mark.parametrize('dtype', [F32, F64])
def test_special_values(dtype):
    """inf and nan operands give IEEE's a * b + c; signed zeros keep their sign."""
    values = [0.0, -0.0, 1.0, -2.5, numpy.inf, -numpy.inf, numpy.nan]
    a, b, c = (numpy.array(v, dtype) for v in zip(*[(x, y, z) for x in values for y in values
                                                      for z in values]))
    with numpy.errstate(invalid='ignore'):
        expected = (a.astype(F64) * b + c).astype(dtype)
        result = fma(a, b, c)
    numpy.testing.assert_array_equal(numpy.isnan(result), numpy.isnan(expected))
    finite = ~numpy.isnan(expected)
    numpy.testing.assert_array_equal(_bits(result[finite]), _bits(expected[finite]))


def test_fma_rounds_python_scalars_and_writes_out():
    a = numpy.array([0.1, 0.2, 0.3], F32)
    out = numpy.empty(3, F32)
    assert fma(a, 0.1, 0.7, out=out) is out
    numpy.testing.assert_array_equal(out, fma32(a, F32(0.1), numpy.full(3, 0.7, F32)))
    numpy.testing.assert_array_equal(fma(a, 1, 0.5), a + F32(0.5))


def test_half_dtypes_compute_in_float32():
    rng = numpy.random.default_rng(0)
    for dtype in (numpy.float16, ml_dtypes.bfloat16):
        a, b, c = (rng.standard_normal(50).astype(dtype) for _ in range(3))
        result = fma(a, b, c)
        assert result.dtype == dtype
        wide = fma32(*(x.astype(F32) for x in (a, b, c)))
        numpy.testing.assert_array_equal(_bits(result), _bits(wide.astype(dtype)))


_DTYPES = [(F32, torch.float32), (F64, torch.float64)]


def _arrays(n, dtype, seed):
    rng = numpy.random.default_rng(seed)
    return [rng.standard_normal(n).astype(dtype) * 10.0 ** rng.integers(-3, 3) for _ in range(3)]


@pytest.mark.parametrize('np_dtype,torch_dtype', _DTYPES)
@pytest.mark.parametrize('weight', [0.1, 0.001, -0.3, 0.5, 0.7, 1.5, -2.0])
def test_lerp_matches_torch(np_dtype, torch_dtype, weight):
    start, end, _ = _arrays(64, np_dtype, 1)
    expected = torch.lerp(torch.from_numpy(start), torch.from_numpy(end), weight).numpy()
    numpy.testing.assert_array_equal(_bits(lerp(start, end, weight)), _bits(expected))


@pytest.mark.parametrize('np_dtype,torch_dtype', _DTYPES)
@pytest.mark.parametrize('value', [1, 0.001, -0.3, 2.5])
def test_addcmul_and_add_alpha_match_torch(np_dtype, torch_dtype, value):
    x, t1, t2 = _arrays(64, np_dtype, 2)
    tx, tt1, tt2 = (torch.from_numpy(v) for v in (x, t1, t2))
    numpy.testing.assert_array_equal(_bits(addcmul(x, t1, t2, value)),
                                     _bits(torch.addcmul(tx, tt1, tt2, value=value).numpy()))
    numpy.testing.assert_array_equal(_bits(add_scaled(x, t1, value)),
                                     _bits(torch.add(tx, tt1, alpha=value).numpy()))


@pytest.mark.parametrize('np_dtype,torch_dtype', [(numpy.float16, torch.float16),
                                                  (ml_dtypes.bfloat16, torch.bfloat16)])
def test_half_lerp_and_addcmul_compute_in_float32_like_torch(np_dtype, torch_dtype):
    x, t1, t2 = (v.astype(np_dtype) for v in _arrays(200, F32, 3))
    tx, tt1, tt2 = (torch.from_numpy(v.astype(F32)).to(torch_dtype) for v in (x, t1, t2))
    for value in (0.1, 0.7, 2.5):
        numpy.testing.assert_array_equal(
            lerp(x, t1, value).astype(F32), torch.lerp(tx, tt1, value).float().numpy())
        numpy.testing.assert_array_equal(
            addcmul(x, t1, t2, value).astype(F32),
            torch.addcmul(tx, tt1, tt2, value=value).float().numpy())
