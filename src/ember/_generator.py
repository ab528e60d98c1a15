"""torch's CPU random generator and the samplers that turn its words into numbers.

The stream is ATen's ``at::mt19937`` (CPUGeneratorImpl.cpp), which is the standard MT19937:
NumPy's ``MT19937`` bit generator produces the same 32-bit words, so the generator keeps one
and only adds what torch adds on top (the 64-bit seed and the cached Box-Muller normals).
The samplers are ATen's CPU kernels (native/cpu/DistributionTemplates.h,
core/DistributionsHelper.h, core/TransformationHelper.h, cpu/MultinomialKernel.cpp,
TensorFactories.cpp randperm_cpu), written over whole arrays: each takes a generator, an
element count and a NumPy dtype and returns a flat array in the order torch fills memory.
The stream is drawn on the host, so NumPy is the array module here by design.
"""
import functools
import math
import os

import ml_dtypes
import numpy as np

from ._creation import _c_int_cast
from ._device import ATEN_CUDA_MISSING, CPU, as_device
from ._exact import fma, fma32

DEFAULT_SEED = 67280421310721  # c10::detail::default_rng_seed_val
_N = 624  # MERSENNE_STATE_N
_STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
_REDUCED = frozenset((np.dtype(np.float16), np.dtype(ml_dtypes.bfloat16)))
# std::numeric_limits<T>::digits of each floating dtype.
_DIGITS = {np.dtype(np.float16): 11, np.dtype(ml_dtypes.bfloat16): 8,
           np.dtype(np.float32): 24, np.dtype(np.float64): 53}


def _seeded_key(seed):
    """mt19937::init_with_uint32: the state vector before the first twist."""
    key = [seed & 0xFFFFFFFF]
    for j in range(1, _N):
        prev = key[-1]
        key.append((1812433253 * (prev ^ (prev >> 30)) + j) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


def _unpack_seed(seed):
    """THPGenerator_manualSeed's unpack_uint64: negative seeds wrap to their two's complement."""
    if isinstance(seed, np.integer):  # torch's parser takes them, its unpacking does not
        raise TypeError('an integer is required')
    if type(seed) is bool or not isinstance(seed, int):
        raise RuntimeError(f'manual_seed expected a long, but got {type(seed).__name__}')
    if not -2**63 <= seed < 2**64:
        raise ValueError('Overflow when unpacking long long')
    return seed % 2**64


# torch's errors for generators of the accelerators its CPU-only build (and ember) lacks
_NO_GENERATOR = {
    'cuda': f'Cannot get CUDA generator {ATEN_CUDA_MISSING}',
    'xpu': 'Cannot get XPU generator without ATen_xpu library.',
    'mps': 'Cannot execute getNewGenerator() without MPS backend.',
}


def _c_method(arguments):
    """A method taking ``arguments`` (0 or 1) positional arguments and no keyword, with
    CPython's errors for the C methods of torch's Generator."""
    def wrap(function):
        name = f'Generator.{function.__name__}()'

        @functools.wraps(function)
        def method(self, *args, **kwargs):
            if kwargs:
                raise TypeError(f'{name} takes no keyword arguments')
            if len(args) != arguments:
                raise TypeError(f'{name} takes exactly one argument ({len(args)} given)'
                                if arguments else f'{name} takes no arguments ({len(args)} given)')
            return function(self, *args)
        return method
    return wrap


class Generator:
    """torch.Generator for the CPU: an mt19937 stream plus the cached Box-Muller normals."""

    def __init__(self, *args, **kwargs):
        """Generator(device='cpu'), with the errors of torch's parser."""
        if len(args) > 1:
            raise TypeError(f'Generator() takes from 0 to 1 positional arguments but {len(args)} '
                            'were given')
        for name in kwargs:
            if name != 'device':
                raise TypeError(f"Generator() got an unexpected keyword argument '{name}'")
            if args:
                raise TypeError("Generator() got multiple values for argument 'device'")
        device = as_device(args[0] if args else kwargs.get('device', 'cpu'))
        if device.type != 'cpu':
            raise RuntimeError(_NO_GENERATOR.get(device.type) or
                               f'{device.type.upper()} device type not an accelerator.')
        self.manual_seed(DEFAULT_SEED)

    def __getattr__(self, name):
        """The MT19937 stream is built on first use after seeding (importing numpy.random and
        seeding cost more than the rest of ``import ember``)."""
        if name != '_mt':
            raise AttributeError(name)
        self._mt = np.random.MT19937()
        self._set_words(_seeded_key(self._seed), _N)
        return self._mt

    @property
    def device(self):
        return CPU

    @_c_method(1)
    def manual_seed(self, seed):
        """Generator.manual_seed: reseed (seeds wrap modulo 2**64) and return self."""
        self._seed = _unpack_seed(seed)
        self.__dict__.pop('_mt', None)  # rebuilt from the seed when next drawn from
        self._next_double_normal = self._next_float_normal = None
        return self

    @_c_method(0)
    def seed(self):
        """Generator.seed: reseed from a non-deterministic source and return the seed."""
        seed = nondeterministic_seed()
        self.manual_seed(seed)
        return seed

    @_c_method(0)
    def initial_seed(self):
        """Generator.initial_seed: the seed of the last manual_seed or seed."""
        return self._seed

    @_c_method(0)
    def get_state(self):
        """Generator.get_state: a uint8 tensor in torch's CPUGeneratorImplState layout."""
        from ._random_ops import _state_tensor
        return _state_tensor(self.state_bytes())

    @_c_method(1)
    def set_state(self, new_state):
        """Generator.set_state: restore a state from get_state (torch's or ember's)."""
        from ._random_ops import _state_array
        self.load_state_bytes(_state_array(new_state))
        return self

    @_c_method(0)
    def graphsafe_get_state(self):
        """Generator.graphsafe_get_state: for CUDA graphs, which a CPU generator refuses."""
        raise NotImplementedError('graphsafe_get_state is not supported in this Generator')

    @_c_method(1)
    def graphsafe_set_state(self, state):
        if not isinstance(state, Generator):
            raise TypeError(f'expected a Generator, but got {type(state).__name__}')
        raise NotImplementedError('graphsafe_set_state is not supported in this Generator')

    @_c_method(0)
    def get_offset(self):
        """Generator.get_offset: the Philox offset, which a CPU generator lacks."""
        raise RuntimeError('CPU Generator does not use offset')

    @_c_method(1)
    def set_offset(self, offset):
        if type(offset) is bool or not isinstance(offset, int):
            raise RuntimeError(f'manual_offset expected a long, but got {type(offset).__name__}')
        raise RuntimeError('CPU Generator does not use offset')

    @_c_method(0)
    def clone_state(self):
        """Generator.clone_state: a new generator in this one's state."""
        return _restore_generator(self.state_bytes().tobytes())

    def __reduce__(self):
        return _restore_generator, (self.state_bytes().tobytes(),)

    # ------------------------------------------------------------ torch's byte layout

    def state_bytes(self):
        """The 5056 bytes of CPUGeneratorImplState for this generator."""
        state = self._mt.state['state']
        key, pos = state['key'].astype(np.uint32), int(state['pos'])
        fresh = pos == _N and np.array_equal(key, _seeded_key(self._seed))
        nxt = 0 if fresh else pos
        buf = np.zeros(_STATE_SIZE, dtype=np.uint8)
        head = np.array([self._seed, (_N + 1 - pos) | (1 << 32), nxt], dtype=np.uint64)
        buf[:24] = head.view(np.uint8)
        buf[24:5016] = key.astype(np.uint64).view(np.uint8)
        if self._next_double_normal is not None:
            buf[5024:5032] = np.array([self._next_double_normal]).view(np.uint8)
            buf[5040] = 1
        if self._next_float_normal is not None:
            buf[5048:5052] = np.array([self._next_float_normal], np.float32).view(np.uint8)
            buf[5052] = 1
        return buf

    def load_state_bytes(self, buf):
        """Restore from CPUGeneratorImplState bytes, with torch's checks."""
        if buf.size != _STATE_SIZE:
            raise RuntimeError(f'Expected a CPUGeneratorImplState of size {_STATE_SIZE} but '
                               f'found the input RNG state size to be {buf.size}')
        buf = np.ascontiguousarray(buf, dtype=np.uint8)
        seed, nxt = (int(v) for v in buf[:24].view(np.uint64)[[0, 2]])
        left, seeded = (int(v) for v in buf[8:16].view(np.int32))
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError('Invalid mt19937 state')
        self._seed = seed
        self._set_words(buf[24:5016].view(np.uint64).astype(np.uint32), _N if left == 1 else nxt)
        self._next_double_normal = float(buf[5024:5032].view(np.float64)[0]) if buf[5040] else None
        self._next_float_normal = float(buf[5048:5052].view(np.float32)[0]) if buf[5052] else None

    def _set_words(self, key, pos):
        self._mt.state = {'bit_generator': 'MT19937', 'state': {'key': key, 'pos': pos}}

    # ------------------------------------------------------------ raw draws

    def random(self, n):
        """n draws of CPUGeneratorImpl::random() (32 bits each), as uint64."""
        return self._mt.random_raw(n)

    def random64(self, n):
        """n draws of CPUGeneratorImpl::random64(): two words, the first one high."""
        words = self._mt.random_raw(2 * n)
        return (words[0::2] << np.uint64(32)) | words[1::2]


def _restore_generator(state):
    gen = Generator()
    gen.load_state_bytes(np.frombuffer(state, dtype=np.uint8))
    return gen


def nondeterministic_seed():
    """c10's getNonDeterministicRandom for the CPU: 64 bits from /dev/urandom."""
    return int.from_bytes(os.urandom(8), 'little')


default_generator = Generator()
default_generator.seed()   # as torch's default CPU generator at startup (new ones are not)


# ---------------------------------------------------------------- shared transforms

def _to_dtype(values, dtype):
    """static_cast<scalar_t> to NumPy dtype ``dtype``: c10's Half and BFloat16 convert through
    float."""
    if dtype in _REDUCED and values.dtype != np.float32:
        values = values.astype(np.float32)
    return values.astype(dtype, copy=False)


def int_through(value, dtype):
    """``static_cast<int64_t>(static_cast<T>(value))`` for an int64 value and floating T;
    what x86 gives for values that do not fit (int64 min) included."""
    through = float(_to_dtype(np.array([value], np.int64), dtype).astype(np.float64)[0])
    return int(through) if -2.0**63 <= through < 2.0**63 else -2**63


# uniform_real's float type, MASK and DIVISOR for 24 and 53 mantissa bits, made once (rand is on
# hot paths: NumPy combines 0-d arrays with arrays faster than it does scalars, and converts to
# a dtype faster than to a type).
_UNIT = {digits: (np.dtype(float_type), np.array(2**digits - 1, np.uint64),
                  np.array(2.0**-digits, float_type))
         for digits, float_type in ((24, np.float32), (53, np.float64))}
# The mantissa bits of the dtypes whose U[0, 1) is the unit draw itself.
_UNIT_DIGITS = {np.dtype(np.float32): 24, np.dtype(np.float64): 53}


def _unit(gen, n, digits):
    """uniform_real's ``(val & MASK) * DIVISOR`` in [0, 1): float32 for 24 bits, else float64."""
    float_type, mask, divisor = _UNIT[digits]
    bits = gen.random64(n) if digits == 53 else gen._mt.random_raw(n)
    bits &= mask
    values = bits.astype(float_type)
    values *= divisor
    return values


def _as_real(sampler, gen, n, dtype, *params):
    """A complex tensor samples its real and imaginary parts as one real tensor (view_as_real)."""
    real = np.dtype(f'f{dtype.itemsize // 2}')
    return sampler(gen, 2 * n, real, *params).view(dtype)


# ---------------------------------------------------------------- uniform

def uniform(gen, n, dtype, low=0.0, high=1.0):
    """uniform_kernel: fma(x, to - from, from), and ``from`` where that rounds up to ``to``."""
    digits = _UNIT_DIGITS.get(dtype)
    if digits and low == 0 and high == 1:  # fma(x, 1, 0) is x, below 1
        return _unit(gen, n, digits)
    if dtype.kind == 'c':
        return _as_real(uniform, gen, n, dtype, low, high)
    if dtype == np.float64:
        values = fma(_unit(gen, n, 53), high - low, low)
    else:
        low32, high32 = np.float32(low), np.float32(high)
        values = _to_dtype(fma32(_unit(gen, n, 24), high32 - low32, low32), dtype)
    top = values == dtype.type(np.float32(high) if dtype in _REDUCED else high)
    if top.any():
        values[top] = _to_dtype(np.array(low), dtype)
    return values


def unit(gen, n, dtype):
    """uniform with its default bounds: U[0, 1) (torch.rand)."""
    digits = _UNIT_DIGITS.get(dtype)
    return _unit(gen, n, digits) if digits else uniform(gen, n, dtype)


# ---------------------------------------------------------------- normal

def normal(gen, n, dtype, mean=0.0, std=1.0, contiguous=True):
    """normal_kernel: vectorised Box-Muller for >= 16 contiguous values, else the cached path."""
    if dtype.kind == 'c':
        return _as_real(normal, gen, n, dtype, mean, std, contiguous)
    if n < 16 or not contiguous:  # transformation::normal: fma(z, std, mean), z + mean for std 1
        z = _standard_normal_double(gen, n)
        return _to_dtype(z + mean if std == 1 else fma(z, std, mean), dtype)
    if dtype == np.float64:
        return _normal_fill_double(gen, n, mean, std)
    if dtype == np.float32:
        u = _refilled_tail(gen, n, 24)
    else:  # Half and BFloat16 fill a float buffer padded to whole chunks, then round
        u = _unit(gen, -(-n // 16) * 16, 24)
    return _to_dtype(_normal_fill_avx2(u, n, mean, std), dtype)


def _standard_normal_double(gen, n):
    """n draws of normal_distribution<double>, which caches the sine half of each pair."""
    head = []
    if n and gen._next_double_normal is not None:
        head.append(gen._next_double_normal)
        gen._next_double_normal = None
    pairs = (n - len(head) + 1) // 2
    if pairs > _SCALAR_PAIRS:
        values = np.concatenate([head, _normal_pairs(gen, pairs)])
    else:
        values = np.array(head + _scalar_normal_pairs(gen, pairs))
    if len(values) > n:
        gen._next_double_normal = float(values[-1])
        values = values[:n]
    return values


# Up to this many pairs, Box-Muller in Python floats costs less than NumPy's per-call overhead;
# uniform_real<double>'s MASK and DIVISOR as Python numbers for it.
_SCALAR_PAIRS = 16
_MASK53, _DIVISOR53 = 2**53 - 1, 2.0**-53


def _box_muller(u1, u2, m):
    """normal_distribution's transform of two uniforms with module m's libm functions (math's
    or NumPy's): the cosine sample, then the sine one."""
    radius = m.sqrt(-2.0 * m.log1p(-u2))
    theta = 2.0 * math.pi * u1
    return radius * m.cos(theta), radius * m.sin(theta)


def _normal_pairs(gen, pairs):
    """Box-Muller pairs of normal_distribution<double>, each cosine sample before its sine."""
    u = _unit(gen, 2 * pairs, 53)
    return np.array(_box_muller(u[0::2], u[1::2], np)).ravel('F')


def _scalar_normal_pairs(gen, pairs):
    """_normal_pairs as a list, a pair at a time in Python floats (math calls the libm that
    torch calls); each uniform is uniform_real's ``(random64() & MASK) * DIVISOR``."""
    words = iter(gen._mt.random_raw(4 * pairs).tolist())
    values = []
    for high1, low1, high2, low2 in zip(words, words, words, words):
        values += _box_muller((((high1 << 32) | low1) & _MASK53) * _DIVISOR53,
                              (((high2 << 32) | low2) & _MASK53) * _DIVISOR53, math)
    return values


def _refilled_tail(gen, n, digits):
    """normal_fill's uniforms: n of them, then 16 fresh ones for a last chunk over the tail."""
    u = _unit(gen, n, digits)
    return np.concatenate([u[:n - n % 16], _unit(gen, 16, digits)]) if n % 16 else u


def _chunk_halves(u):
    """Each chunk of 16 pairs element j (the radius) with element j + 8 (the angle)."""
    chunks = u.reshape(-1, 2, 8)
    return chunks[:, 0], chunks[:, 1]


def _join_halves(first, second, n):
    """Inverse of _chunk_halves; when n % 16, the last chunk was recomputed over the tail."""
    out = np.concatenate([first, second], axis=1).reshape(-1)
    return out if n % 16 == 0 else np.concatenate([out[:n - 16], out[-16:]])


def _normal_fill_double(gen, n, mean, std):
    """normal_fill / normal_fill_16 for double, in libm's double log, cos and sin."""
    first, second = _chunk_halves(_refilled_tail(gen, n, 53))
    radius = np.sqrt(-2.0 * np.log(1.0 - first))
    theta = 2.0 * math.pi * second
    return fma(_join_halves(radius * np.cos(theta), radius * np.sin(theta), n), std, mean)


def _normal_fill_avx2(u, n, mean, std):
    """normal_fill_16_AVX2 over float uniforms u: log256_ps/sincos256_ps, fma(n, std, mean)."""
    first, second = _chunk_halves(u)
    radius = np.sqrt(_MINUS_TWO * _log256_ps(_ONE - first))
    sin, cos = _sincos256_ps(_TWO_PI * second)
    return fma(_join_halves(radius * cos, radius * sin, n), std, mean)


def _f32(*values):
    """float32 constants as 0-d arrays (NumPy combines those with arrays faster than scalars)."""
    return tuple(np.array(value, np.float32) for value in values)


_ZERO, _ONE, _HALF, _MINUS_TWO, _TWO_PI = _f32(0.0, 1.0, 0.5, -2.0, 2.0 * math.pi)
# avx_mathfun.h's Cephes constants.
_SQRTHF, _LOG_Q1, _LOG_Q2 = _f32(0.707106781186547524, -2.12194440e-4, 0.693359375)
_LOG_P = _f32(7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
              1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
              3.3333331174e-1)
_FOPI, _MINUS_DP1, _MINUS_DP2, _MINUS_DP3 = _f32(1.27323954473516, -0.78515625,
                                                 -2.4187564849853515625e-4,
                                                 -3.77489497744594108e-8)
# The cosine and sine polynomials' coefficients side by side, to evaluate both at once over
# the (chunks, 8) halves normal_fill works on.
_COS_SIN_P = tuple(np.array(pair, np.float32).reshape(2, 1, 1) for pair in (
    (2.443315711809948e-5, -1.9515295891e-4), (-1.388731625493765e-3, 8.3321608736e-3),
    (4.166664568298827e-2, -1.6666654611e-1)))


def _horner(coefficients, x):
    """The polynomial with these coefficients (highest power first) at x, one FMA a step."""
    y = coefficients[0]
    for coefficient in coefficients[1:]:
        y = fma32(x, y, coefficient)
    return y


def _log256_ps(x):
    """avx_mathfun.h log256_ps (Cephes logf) for positive float32 x, as GCC compiles it with FMA
    (its last two FMAs, -z * 0.5 + y and e * 0.693359375 + (x + y), have products exact in
    float32: there they are a multiply and an add)."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _ONE
    x = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)  # mantissa in [0.5, 1)
    small = x < _SQRTHF
    e = e - small.astype(np.float32)
    x = (x - _ONE) + np.where(small, x, _ZERO)
    z = x * x
    y = fma32(_horner(_LOG_P, x) * x, z, e * _LOG_Q1)
    y = y - z * _HALF
    return e * _LOG_Q2 + (x + y)


def _sincos256_ps(x):
    """avx_mathfun.h sincos256_ps (Cephes sinf/cosf) for float32 x in [0, 2 pi], with FMA (j is
    at most 8 there, so the first two range reduction FMAs have products exact in float32:
    there they are a multiply and an add)."""
    j = (x * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    x = fma32(y, _MINUS_DP3, (x + y * _MINUS_DP1) + y * _MINUS_DP2)
    z = x * x
    polys = fma32(_horner(_COS_SIN_P, z) * z, np.array([z, x]), np.array([-(z * _HALF), x]))
    cos_poly, sin_poly = polys[0] + _ONE, polys[1]
    use_sin_poly = (j & 2) == 0
    sin = np.where(use_sin_poly, sin_poly, cos_poly)
    cos = np.where(use_sin_poly, cos_poly, sin_poly)
    sin = np.where((j & 4) != 0, -sin, sin)
    cos = np.where(((j - 2) & 4) == 0, -cos, cos)
    return sin, cos


# ---------------------------------------------------------------- integers

def random_bits(gen, n, dtype):
    """random_kernel (random_() with no bounds): [0, max] for ints, [0, 2**digits] for floats."""
    dtype = np.dtype(dtype)
    if not n:
        return np.empty(0, dtype)
    if dtype == np.bool_:
        return (gen.random(n) & np.uint64(1)).astype(np.bool_)
    wide = dtype in (np.dtype(np.int64), np.dtype(np.float64))
    words = gen.random64(n) if wide else gen.random(n)
    if dtype.kind == 'f' or dtype in _REDUCED:
        modulus = 2**_DIGITS[dtype] + 1
    else:
        modulus = int(np.iinfo(dtype).max) + 1
    return _to_dtype((words % np.uint64(modulus)).astype(np.int64), dtype)


def random_from_to(gen, n, dtype, span, base):
    """random_from_to_kernel: ``(word % span) + base``, with 64-bit words for spans >= 2**28."""
    words = gen.random64(n) if span >= 2**28 else gen.random(n)
    values = (words % np.uint64(span) + np.uint64(base % 2**64)).view(np.int64)
    return _to_dtype(values, dtype)


def random_full_range(gen, n, dtype):
    """random_full_64_bits_range_kernel: a whole 64-bit word read as int64."""
    return _to_dtype(gen.random64(n).view(np.int64), dtype)


def randperm(gen, n, dtype):
    """randperm_cpu: a Fisher-Yates shuffle driven by ``random() % (n - i)``."""
    if n >= (2**32 - 1) // 20:
        return _randperm_inside_out(gen, n, dtype)
    perm = list(range(n))
    steps = np.arange(max(n - 1, 0), dtype=np.uint64)
    targets = (gen.random(len(steps)) % (np.uint64(n) - steps) + steps).tolist()
    for i, z in enumerate(targets):
        perm[i], perm[z] = perm[z], perm[i]
    return _to_dtype(np.array(perm, dtype=np.int64), dtype)


def _randperm_inside_out(gen, n, dtype):
    """randperm_cpu for huge n: the inside-out Fisher-Yates with 64-bit draws."""
    targets = (gen.random64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
    perm = [0] * n
    for i, z in enumerate(targets):
        perm[i] = perm[z]
        perm[z] = i
    return _to_dtype(np.array(perm, dtype=np.int64), dtype)


# ---------------------------------------------------------------- bernoulli, exponential

def bernoulli_scalar(gen, n, dtype, p):
    """bernoulli_scalar_kernel_default: a 53-bit double uniform below p."""
    return _to_dtype(_unit(gen, n, 53) < p, dtype)


def bernoulli_tensor(gen, p, dtype):
    """bernoulli_tensor kernel: double p compares with a double uniform, other p with a float."""
    if p.dtype == np.float64:
        return _to_dtype(_unit(gen, p.size, 53) < p, dtype)
    return _to_dtype(_unit(gen, p.size, 24) < p.astype(np.float32), dtype)


def exponential(gen, n, dtype, lambd=1.0):
    """exponential_kernel: exponential_distribution<double>, ``-1 / lambda * log1p(-u)``."""
    return _to_dtype(-1.0 / lambd * np.log1p(-_unit(gen, n, 53)), dtype)


# ---------------------------------------------------------------- poisson

class _Uniforms:
    """uniform_real_distribution<double>(0, 1) draws one at a time (a 53-bit random64()
    each), read from chunks; ``settle`` leaves the generator just past the ones read."""

    _CHUNK = 1024

    def __init__(self, gen):
        self.gen, self.state, self.used = gen, gen._mt.state, 0
        self.values, self.index = [], 0

    def __call__(self):
        if self.index == len(self.values):
            self.values, self.index = _unit(self.gen, self._CHUNK, 53).tolist(), 0
        self.index += 1
        self.used += 1
        return self.values[self.index - 1]

    def settle(self):
        self.gen._mt.state = self.state
        self.gen._mt.random_raw(2 * self.used)


@functools.cache
def _lgamma():
    """The C library's lgamma, which torch's std::lgamma calls (CPython's own lgamma is a last
    bit away from glibc's for about half of the large arguments); CPython's where it can't be
    loaded."""
    try:
        import ctypes
        import ctypes.util
        function = ctypes.CDLL(ctypes.util.find_library('m') or 'libm.so.6').lgamma
    except (OSError, AttributeError):
        return math.lgamma
    function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
    return function


def _log(value):
    """libm's log of a uniform draw, which may be 0 (-inf there, where math.log raises)."""
    return math.log(value) if value > 0 else -math.inf


def _to_int64(value):
    """``(int64_t)value`` for a whole double as x86 converts it: int64 min where it does not
    fit (NaN and infinities too)."""
    return int(value) if -2.0**63 <= value < 2.0**63 else -2**63


def _sample_poisson(rate, uniform):
    """ATen's sample_poisson (native/Distributions.cpp): the transformed rejection method
    (Hoermann, 1993) from rate 10, else the product of uniforms below exp(-rate). Its k is
    ``(int64_t)floor(x)``, which the compiled code compares and multiplies as the double
    floor(x) (the conversion is undefined where it does not fit, from rate ~2**63: torch returns
    int64 min then, after the iterations the double decides)."""
    if rate >= 10:
        lgamma = _lgamma()
        slam, loglam = math.sqrt(rate), math.log(rate)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - abs(u)
            k = (2 * a / us + b) * u + rate + 0.43
            k = math.floor(k) if math.isfinite(k) else k
            if us >= 0.07 and v <= vr:
                return _to_int64(k)
            if k < 0 or (us < 0.013 and v > us):
                continue
            try:
                bound = -rate + k * loglam - lgamma(k + 1.0)
            except OverflowError:  # (CPython's lgamma) libm's is inf there: no bound is met
                continue
            if _log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= bound:
                return _to_int64(k)
    if rate == 0:
        return 0
    enlam, count, prod = math.exp(-rate), 0, 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            count += 1
        else:
            return count


def poisson(gen, rates, dtype):
    """_s_poisson_cpu: one sample_poisson per rate (as doubles), in the given order, cast to
    ``dtype``; a negative or NaN rate fails where torch's check meets it, after the draws of
    the rates before it (returned: the samples so far and the error, or None)."""
    uniform, samples, error = _Uniforms(gen), [], None
    for rate in rates.astype(np.float64).tolist():
        if not rate >= 0:
            error = RuntimeError('invalid Poisson rate, expected rate to be non-negative')
            break
        samples.append(_sample_poisson(rate, uniform))
    uniform.settle()
    return _to_dtype(np.array(samples, dtype=np.int64), dtype), error


# ---------------------------------------------------------------- binomial

_STIRLING_TAILS = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                   0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                   0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                   0.00833056343336287)


def _stirling_approx_tail(k):
    if k < 10:
        return _STIRLING_TAILS[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count, prob, uniform, scalar):
    """binomial_inversion: geometric gaps (in doubles) until they pass count. ``scalar``
    makes a value of the tensors' type (np.float32, or float for double), and count and prob
    are of it, so that arithmetic on them rounds as C's does."""
    geom_sum, num_geom = 0.0, scalar(0)
    logprob = float(np.log1p(-prob))  # std::log1p of the scalar type (log1pf for float)
    while True:
        geom = _log(uniform()) / logprob
        geom_sum += math.ceil(geom) if math.isfinite(geom) else geom
        if geom_sum > float(count):  # (in doubles: NumPy would compare a float32 count's)
            return num_geom
        num_geom = num_geom + 1


def _btrs(count, prob, uniform, scalar):
    """btrs: Hormann's transformed rejection for count * prob >= 10, its coefficients in
    doubles from products of the scalar type, as ATen's Distributions.h computes them."""
    stddev = float(np.sqrt(count * prob * (1 - prob)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * float(prob)
    c = float(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = float(prob / (1 - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = float(np.floor((count + 1) * prob))
    while True:
        u = uniform() - 0.5
        v = uniform()
        us = 0.5 - abs(u)
        k = (2 * a / us + b) * u + c
        k = scalar(float(math.floor(k)) if math.isfinite(k) else k)
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = _log(v * alpha / (a / (us * us) + b))
        rest = float(count - k + 1)
        upperbound = ((m + 0.5) * math.log((m + 1) / (r * (float(count) - m + 1)))
                      + float(count + 1) * math.log((float(count) - m + 1) / rest)
                      + (float(k) + 0.5) * math.log(r * rest / float(k + 1))
                      + _stirling_approx_tail(m) + _stirling_approx_tail(float(count) - m)
                      - _stirling_approx_tail(float(k))
                      - _stirling_approx_tail(float(count - k)))
        if v <= upperbound:
            return k


def _sample_binomial(count, prob, uniform, scalar):
    """sample_binomial (ATen's Distributions.h, after TensorFlow's)."""
    if count <= 0.0 or prob <= 0.0:
        return scalar(0)
    if prob >= 1.0:
        return count
    if count != count:  # (torch's sampler loops forever here: ember stops)
        raise RuntimeError('binomial(): a count of NaN with a probability in (0, 1) has no '
                           'sample (torch 2.13 never returns on it)')
    if prob <= 0.5:
        if count * prob >= 10.0:
            return _btrs(count, prob, uniform, scalar)
        return _binomial_inversion(count, prob, uniform, scalar)
    if prob > 0.5:
        qprob = scalar(1.0 - float(prob))
        if count * qprob >= 10.0:
            return count - _btrs(count, qprob, uniform, scalar)
        return count - _binomial_inversion(count, qprob, uniform, scalar)
    return scalar(math.nan)  # a NaN prob


def binomial(gen, counts, probs):
    """_s_binomial_cpu: one sample_binomial per (count, prob) pair of the flat arrays, in
    order, with double uniforms."""
    scalar = np.float32 if counts.dtype == np.float32 else float
    uniform = _Uniforms(gen)
    try:
        samples = [_sample_binomial(scalar(count), scalar(prob), uniform, scalar)
                   for count, prob in zip(counts.tolist(), probs.tolist())]
    finally:
        uniform.settle()
    return np.array(samples, dtype=counts.dtype)


# ---------------------------------------------------------------- geometric, log-normal, cauchy

def geometric(gen, n, dtype, p):
    """geometric_kernel: geometric_distribution<double>, ``ceil(log(u) / log1p(-p))``, cast as
    C casts a double (integer dtypes included)."""
    with np.errstate(divide='ignore'):  # u = 0 gives inf, as in torch
        values = np.ceil(np.log(_unit(gen, n, 53)) / math.log1p(-p))
    return _c_int_cast(values, dtype.type) if dtype.kind in 'iu' else _to_dtype(values, dtype)


def log_normal(gen, n, dtype, mean, std):
    """log_normal_kernel: lognormal_distribution<double>, ``exp`` of normal_distribution<double>
    (the one-at-a-time sampler with the cached Box-Muller half, whatever the size)."""
    z = normal(gen, n, np.dtype(np.float64), mean, std, contiguous=False)
    with np.errstate(over='ignore'):
        return _to_dtype(np.exp(z), dtype)


def cauchy(gen, n, dtype, median, sigma):
    """cauchy_kernel: cauchy_distribution<double>, ``median + sigma * tan(pi * (u - 0.5))``
    (one FMA, as compiled)."""
    return _to_dtype(fma(np.tan(math.pi * (_unit(gen, n, 53) - 0.5)), sigma, median), dtype)


# ---------------------------------------------------------------- multinomial

def multinomial(gen, probs, n_sample, replacement, layout):
    """multinomial for a (rows, categories) array of valid probabilities, as int64 indices;
    ``layout`` places flat samples in the input tensor's shape, in the order torch fills it."""
    if not replacement or n_sample == 1:
        return _multinomial_exponential(gen, probs, n_sample, layout)
    return np.array([_multinomial_row(gen, row, n_sample) for row in probs],
                    np.int64).reshape(len(probs), n_sample)


def _multinomial_exponential(gen, probs, n_sample, layout):
    """The no-replacement fast path: top-n_sample of ``p / q`` with q ~ Exp(1) (Gumbel trick)."""
    q = layout(exponential(gen, probs.size, probs.dtype)).reshape(probs.shape)
    keys = (probs.astype(np.float32) / q.astype(np.float32)).astype(probs.dtype) \
        if probs.dtype in _REDUCED else probs / q
    keys = keys.astype(np.float64)
    if n_sample == 1:  # argmax: the first largest (a NaN before any number)
        return np.argmax(keys, axis=-1).reshape(-1, 1)
    return np.stack([_topk(row, n_sample) for row in keys])


# ---------------------------------------------------------------- topk

def _topk(keys, k):
    """The indices of topk(keys, k) (largest, sorted) as torch's CPU kernel (TopKImpl.h) finds
    them: libstdc++'s std::partial_sort when k * 64 <= n, else std::nth_element and then
    std::sort of the first k - 1, which order equal keys as those algorithms leave them. Where
    the k largest are distinct and no other key equals the k-th, that is a plain sort."""
    order = np.argsort(-keys, kind='stable')
    top = keys[order[:k]]
    if not np.isnan(keys).any() and (k == len(keys) or keys[order[k]] != top[-1]) \
            and (top[1:] != top[:-1]).all():
        return order[:k]
    queue = _Queue(keys.tolist())
    n = len(keys)
    if k * 64 <= n:
        queue.heap_select(0, k, n)
        queue.sort_heap(0, k)
    else:
        queue.nth_element(0, k - 1, n)
        queue.sort(0, k - 1)
    return np.array([index for _, index in queue.items[:k]], dtype=np.int64)


def _half_toward_zero(value):
    """C's ``(value - 1) / 2`` for a non-negative value (division truncates toward zero)."""
    return (value - 1) // 2 if value > 0 else 0


class _Queue:
    """A vector of (key, index) pairs and the libstdc++ algorithms topk runs over it (bits/
    stl_algo.h and stl_heap.h, step for step), with topk's comparator for largest: NaN first,
    then greater keys."""

    _THRESHOLD = 16  # _S_threshold

    def __init__(self, keys):
        self.items = [(key, i) for i, key in enumerate(keys)]

    @staticmethod
    def less(x, y):
        x, y = x[0], y[0]
        return (x != x and y == y) or x > y

    # stl_heap.h

    def push_heap(self, first, hole, top, value):
        items, less = self.items, self.less
        parent = _half_toward_zero(hole)
        while hole > top and less(items[first + parent], value):
            items[first + hole] = items[first + parent]
            hole = parent
            parent = _half_toward_zero(hole)
        items[first + hole] = value

    def adjust_heap(self, first, hole, length, value):
        items, less = self.items, self.less
        top = hole
        child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if less(items[first + child], items[first + child - 1]):
                child -= 1
            items[first + hole] = items[first + child]
            hole = child
        if length & 1 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            items[first + hole] = items[first + child - 1]
            hole = child - 1
        self.push_heap(first, hole, top, value)

    def make_heap(self, first, last):
        length = last - first
        if length < 2:
            return
        parent = (length - 2) // 2
        while True:
            self.adjust_heap(first, parent, length, self.items[first + parent])
            if parent == 0:
                return
            parent -= 1

    def pop_heap(self, first, last, result):
        items = self.items
        value = items[result]
        items[result] = items[first]
        self.adjust_heap(first, 0, last - first, value)

    def heap_select(self, first, middle, last):
        self.make_heap(first, middle)
        items, less = self.items, self.less
        for i in range(middle, last):
            if less(items[i], items[first]):
                self.pop_heap(first, middle, i)

    def sort_heap(self, first, last):
        while last - first > 1:
            last -= 1
            self.pop_heap(first, last, last)

    # stl_algo.h

    def unguarded_linear_insert(self, last):
        items, less = self.items, self.less
        value = items[last]
        while less(value, items[last - 1]):
            items[last] = items[last - 1]
            last -= 1
        items[last] = value

    def insertion_sort(self, first, last):
        items, less = self.items, self.less
        for i in range(first + 1, last):
            if less(items[i], items[first]):
                value = items[i]
                items[first + 1:i + 1] = items[first:i]
                items[first] = value
            else:
                self.unguarded_linear_insert(i)

    def move_median_to_first(self, result, a, b, c):
        items, less = self.items, self.less
        if less(items[a], items[b]):
            if less(items[b], items[c]):
                pick = b
            elif less(items[a], items[c]):
                pick = c
            else:
                pick = a
        elif less(items[a], items[c]):
            pick = a
        elif less(items[b], items[c]):
            pick = c
        else:
            pick = b
        items[result], items[pick] = items[pick], items[result]

    def unguarded_partition_pivot(self, first, last):
        self.move_median_to_first(first, first + 1, first + (last - first) // 2, last - 1)
        items, less = self.items, self.less
        pivot = items[first]
        low, high = first + 1, last
        while True:
            while less(items[low], pivot):
                low += 1
            high -= 1
            while less(pivot, items[high]):
                high -= 1
            if not low < high:
                return low
            items[low], items[high] = items[high], items[low]
            low += 1

    def nth_element(self, first, nth, last):
        if first == last or nth == last:
            return
        depth = 2 * ((last - first).bit_length() - 1)
        while last - first > 3:
            if depth == 0:
                self.heap_select(first, nth + 1, last)
                items = self.items
                items[first], items[nth] = items[nth], items[first]
                return
            depth -= 1
            cut = self.unguarded_partition_pivot(first, last)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self.insertion_sort(first, last)

    def introsort_loop(self, first, last, depth):
        while last - first > self._THRESHOLD:
            if depth == 0:
                self.heap_select(first, last, last)
                self.sort_heap(first, last)
                return
            depth -= 1
            cut = self.unguarded_partition_pivot(first, last)
            self.introsort_loop(cut, last, depth)
            last = cut

    def sort(self, first, last):
        if first == last:
            return
        self.introsort_loop(first, last, 2 * ((last - first).bit_length() - 1))
        if last - first > self._THRESHOLD:
            self.insertion_sort(first, first + self._THRESHOLD)
            for i in range(first + self._THRESHOLD, last):
                self.unguarded_linear_insert(i)
        else:
            self.insertion_sort(first, last)


def _multinomial_row(gen, row, n_sample):
    """multinomial_with_replacement_apply for one row: inverse-CDF by binary search."""
    acc = np.float32 if row.dtype in _REDUCED else row.dtype
    cum = np.cumsum(row.astype(acc), dtype=acc)
    cum = cum / cum[-1]
    cum[-1] = 1
    return np.searchsorted(cum.astype(np.float64), _unit(gen, n_sample, 53), side='left')
