"""Random numbers against torch's CPU generator: after the same seed, every sampler draws the
same values (bit for bit), leaves the same generator state, and rejects bad input alike."""
import math
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import (assert_same_exception, assert_same_message, check, cpu_only_torch,
                     to_ember, to_numpy)

SIZES = [0, 1, 2, 3, 15, 16, 17, 31, 33, 100, 1000]
FLOATS = ['float16', 'bfloat16', 'float32', 'float64']
COMPLEXES = ['complex64', 'complex128']
INTEGERS = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64']
SEEDS = [0, 42, 2**40 + 7]


def _bits(t):
    """A tensor's dtype, shape and raw bytes (bitwise comparison; -0.0 and NaNs included)."""
    array = to_numpy(t) if isinstance(t, torch.Tensor) else np.asarray(t.detach()._data)
    return str(t.dtype), tuple(t.shape), np.ascontiguousarray(array).view(np.uint8).tobytes()


def _as_comparable(result):
    if isinstance(result, (list, tuple)):
        return [_as_comparable(r) for r in result]
    if isinstance(result, (torch.Tensor, ember.Tensor)):
        return _bits(result)
    return result


def _state(lib):
    return bytes(np.asarray(lib.get_rng_state().numpy()))


def same_draws(fn, seed=0):
    """fn(torch) and fn(ember), each after manual_seed(seed): same values, same final state."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        torch.manual_seed(seed)
        expected = _as_comparable(fn(torch))
        ember.manual_seed(seed)
        actual = _as_comparable(fn(ember))
    assert actual == expected
    assert _state(ember) == _state(torch)


def same_error(fn, message=False):
    """fn raises in torch, and ember raises the same exception type (and message)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(Exception) as t_err:
            fn(torch)
        with pytest.raises(Exception) as e_err:
            fn(ember)
    assert_same_exception(e_err.value, t_err.value)
    if message:
        assert_same_message(e_err.value, t_err.value)


def dt(lib, name):
    return getattr(lib, name)


# ---------------------------------------------------------------- floating samplers

@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('n', SIZES)
@pytest.mark.parametrize('dtype', FLOATS + COMPLEXES)
def test_rand_randn(seed, n, dtype):
    same_draws(lambda T: (T.rand(n, dtype=dt(T, dtype)), T.randn(n, dtype=dt(T, dtype)),
                          T.randn(n, dtype=dt(T, dtype))), seed)


@pytest.mark.parametrize('n', SIZES)
@pytest.mark.parametrize('dtype', FLOATS + COMPLEXES)
def test_uniform_normal_parameters(n, dtype):
    same_draws(lambda T: (T.empty(n, dtype=dt(T, dtype)).uniform_(-2.3, 7.1),
                          T.empty(n, dtype=dt(T, dtype)).normal_(1.7, 3.3),
                          T.empty(n, dtype=dt(T, dtype)).uniform_(1000.0, 1001.0)))


@pytest.mark.parametrize('shape', [(2, 3), [4, 5], (2, 3, 4), (1,)])
def test_size_forms_and_defaults(shape):
    same_draws(lambda T: (T.rand(*shape), T.rand(shape), T.randn(T.Size(shape)),
                          T.rand(*shape, dtype=T.float64), T.randint(10, shape),
                          T.randint(-4, 4, size=shape), T.normal(2.0, 0.5, size=shape)))


def test_default_dtype_is_followed():
    def draws(T):
        previous = T.get_default_dtype()
        T.set_default_dtype(T.float64)
        try:
            return T.rand(5), T.randn(20), T.normal(0.0, 1.0, (3,))
        finally:
            T.set_default_dtype(previous)
    same_draws(draws)


def test_like_factories():
    def draws(T):
        x = T.zeros(3, 17, dtype=T.float64)
        return (T.rand_like(x), T.randn_like(x), T.randint_like(x, 9), T.randint_like(x, -3, 3),
                T.rand_like(x, dtype=T.float16), T.randint_like(T.zeros(4, dtype=T.int32), 100))
    same_draws(draws)


@pytest.mark.parametrize('call', [
    'T.randn_like(T.zeros(0, 3), dtype=T.int32)', 'T.randn_like(T.zeros(2, 3), dtype=T.int32)',
    'T.rand_like(T.zeros(0, 3), dtype=T.int32)', 'T.randn(0, dtype=T.int32)',
    'T.randn(0, 3, dtype=T.bool)', 'T.normal(0., 1., (0,), dtype=T.int32)',
    'T.zeros(0, dtype=T.int32).normal_()', 'T.zeros(0, dtype=T.int32).uniform_()',
    'T.zeros(2, dtype=T.int32).normal_(0, -1)', 'T.normal(0., -1., (2,), dtype=T.int32)',
    'T.randn(-1, dtype=T.int32)', 'T.randn_like(T.zeros(0, dtype=T.int32))',
    'T.randn_like(T.zeros(0), dtype=T.bool, requires_grad=True)'])
def test_normal_of_no_element_runs_no_kernel(call):
    """normal_ checks std, then runs its kernel (which refuses non-floating dtypes) only where
    there is an element to draw."""
    check(lambda T: eval(call), exact=True, match_message=True)


@pytest.mark.parametrize('call', [
    'T.rand(2**63)', 'T.randn(-2**63 - 1)', 'T.rand((2**40, 2**40))', 'T.randn((2**40, 2**40))',
    'T.randint(5, (2**40, 2**40))', 'T.normal(0., 1., (2**40, 2**40))', 'T.rand(2**40)',
    'T.randperm(2**40)'])
def test_sizes_numpy_cannot_allocate(call):
    check(lambda T: eval(call), match_message=True)


@pytest.mark.parametrize('call', [
    'T.rand_like([1., 2.])', 'T.randn_like(np.zeros(2))', 'T.rand_like(None)',
    'T.randint_like([1, 2], 5)', 'T.randint_like(np.zeros(2), 0, 5)'])
def test_like_factories_need_a_tensor(call):
    check(lambda T: eval(call), match_message=True)


LAYOUTS = {
    'transposed': lambda T, x: x.reshape(20, 3).t(),
    'sliced': lambda T, x: x.reshape(6, 10)[::2, ::3],
    'sliced_transposed': lambda T, x: x.reshape(6, 10)[::2, ::3].t(),
    'permuted': lambda T, x: x.reshape(3, 4, 5).permute(2, 0, 1),
    'expanded': lambda T, x: x[:4].expand(3, 4),
    'expanded_transposed': lambda T, x: x[:12].reshape(3, 4).t().unsqueeze(0).expand(2, 4, 3),
}


@pytest.mark.parametrize('layout', LAYOUTS)
@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16'])
def test_like_factories_follow_input_layout(layout, dtype):
    """*_like fill a tensor laid out like the input (empty_like's preserve_format), in memory
    order, and a non-contiguous float tensor samples normals one at a time."""
    def draws(T):
        x = LAYOUTS[layout](T, T.zeros(60, dtype=dt(T, dtype)))
        out = [T.rand_like(x), T.randn_like(x), T.randint_like(x, 100), T.randint_like(x, -5, 5)]
        return out + [list(r.stride()) for r in out]
    same_draws(draws)


@pytest.mark.parametrize('layout', LAYOUTS)
def test_bernoulli_and_multinomial_layouts(layout):
    """bernoulli(p) fills a new contiguous tensor in C order; multinomial's exponential keys
    fill a tensor laid out like its input."""
    def draws(T):
        T.manual_seed(7)
        p = LAYOUTS[layout](T, T.rand(60))
        T.manual_seed(0)
        out = [T.bernoulli(p), T.bernoulli(p, 0.3)]
        out += [list(r.stride()) for r in out]
        if p.dim() == 2:
            out += [T.multinomial(p, 1), T.multinomial(p, 2), T.multinomial(p, 3, True)]
        return out
    same_draws(draws)


def test_bernoulli_fills_out_in_its_layout():
    same_draws(lambda T: (T.bernoulli(T.rand(3, 4), out=T.empty(4, 3).t()),
                          T.bernoulli(T.rand(3, 4), out=T.empty(5))))


def test_size_keyword_forms():
    same_draws(lambda T: (T.rand(size=(2, 3)), T.randn(size=[2, 17], dtype=T.float64),
                          T.randint(3, size=(5,)), T.randint(high=9, size=(5,)),
                          T.randint(3, high=5, size=(2, 2)), T.randint(T.tensor(9), (3,)),
                          T.randint(0, 9, T.Size([3])), T.randint_like(T.zeros(4), high=7),
                          T.randint_like(T.zeros(4), low=2, high=7)))


def test_random_keyword_forms():
    def draws(T):
        x = T.zeros(5, requires_grad=True).clone()
        return (x.random_(to=5).clone(), x.random_(1, to=5).clone(),
                x.random_(**{'from': 1, 'to': 5}).clone(), x.random_(3, None).clone(),
                type(x.random_(2).grad_fn).__name__, type(x.random_(1, to=3).grad_fn).__name__)
    same_draws(draws)


def test_normal_out_draws_in_out_dtype_and_broadcasts():
    """normal_out_impl draws into out (its dtype, mean broadcast with it), then scales and
    shifts in place."""
    def draws(T):
        mean, std = T.arange(4, dtype=T.float32), T.linspace(0.5, 2, 4)
        return (T.normal(0.0, T.ones(20), out=T.empty(20, dtype=T.float64)),
                T.normal(mean, 1.0, out=T.empty(2, 4)),
                T.normal(mean, std, out=T.empty(4, dtype=T.float16)),
                T.normal(T.arange(40.), 2.0, out=T.empty(40, dtype=T.float64)),
                T.normal(mean, 1.0, out=T.empty(4, dtype=T.complex64)),
                T.normal(T.zeros(20), T.ones(20, dtype=T.int64)))
    same_draws(draws)


def test_factories_sample_into_a_non_contiguous_out():
    """torch samples into out= in place (its memory order; normals one at a time there)."""
    def draws(T):
        def out(dtype=T.float32):
            return T.empty(5, 8, dtype=dtype).t()
        return (T.rand(8, 5, out=out()), T.randn(8, 5, out=out()), T.randn(4, 5, out=out()[:4]),
                T.randint(9, (8, 5), out=out(T.int64)), T.normal(0., 2., (8, 5), out=out()),
                T.normal(T.zeros(8, 5), 1., out=out()),
                T.normal(T.zeros(8, 5), T.ones(5), out=out()),
                T.randperm(6, out=T.empty(12, dtype=T.int64)[::2]))
    same_draws(draws)


def test_generator_clone_state():
    def draws(T):
        g = T.Generator().manual_seed(4)
        T.randn(3, generator=g, dtype=T.float64)
        clone = g.clone_state()
        return T.rand(3, generator=g), T.rand(3, generator=clone), T.randn(1, generator=clone)
    same_draws(draws)


@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16'])
def test_in_place_on_non_contiguous(dtype):
    def draws(T):
        x = T.zeros(20, 6, dtype=dt(T, dtype)).t()
        y = T.zeros(6, 20, dtype=dt(T, dtype))[:, ::2]
        return x.uniform_(), x.normal_(), y.normal_(2, 3), x.random_(0, 50), y.bernoulli_(0.3)
    same_draws(draws)


@pytest.mark.parametrize('n', [1, 3, 7, 33, 35, 41])
def test_cached_normal_across_paths(n):
    """normal_distribution<double> (non-contiguous targets, fewer than 16 values) in Python floats
    up to 16 pairs, in NumPy above: an odd count caches a sine that the next draw starts with."""
    def draws(T):
        x = T.zeros(n, 2)[:, 0]
        return (x.normal_(), x.normal_(1.5, 2.0), T.randn(3), T.randn(n, dtype=T.float64),
                T.randn(5, dtype=T.float16), x.normal_(-1.0, 0.5))
    same_draws(draws)


# ---------------------------------------------------------------- normal overloads

def test_normal_overloads():
    def draws(T):
        mean = T.arange(12, dtype=T.float32).reshape(3, 4)
        std = T.linspace(0.1, 2.0, 4)
        return (T.normal(mean, std), T.normal(mean, 2.5), T.normal(-1.0, std),
                T.normal(mean.reshape(3, 1, 4)[:, :, :1], std), T.normal(mean.double(), std),
                T.normal(mean, std.double()), T.normal(0.5, 2.0, (40,)),
                T.normal(T.arange(48, dtype=T.float64), 0.1))
    same_draws(draws)


def test_normal_out():
    def draws(T):
        out = T.empty(2, dtype=T.float64)
        T.normal(1.0, 2.0, (5,), out=out)
        T.rand(2, 3, out=T.empty(0))
        return out, T.rand(3, out=T.empty(3))
    same_draws(draws)


# ---------------------------------------------------------------- integers

RANGES = [(0, 2), (0, 10), (-5, 3), (3, 100), (0, 2**28 - 1), (0, 2**28), (0, 2**31 - 1),
          (-2**40, 2**40), (0, 2**32), (-2**62, 2**62), (-2**63, 2**63 - 1)]


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('n', [1, 16, 17, 100])
@pytest.mark.parametrize('dtype', INTEGERS + FLOATS)
def test_random_forms(seed, n, dtype):
    def draws(T):
        x = T.empty(n, dtype=dt(T, dtype))
        out = [x.random_().clone(), x.random_(2).clone(), x.random_(0, None).clone()]
        for low, high in RANGES:
            try:
                T.empty(1, dtype=dt(T, dtype)).random_(low, high)
            except RuntimeError:
                continue
            out.append(x.random_(low, high).clone())
        return out
    same_draws(draws, seed)


@pytest.mark.parametrize('dtype', ['int64', 'float32', 'float64', 'bfloat16'])
def test_random_full_int64_range(dtype):
    same_draws(lambda T: T.empty(20, dtype=dt(T, dtype)).random_(-2**63, None))


@pytest.mark.parametrize('args', [(12,)] + RANGES[:-2])
def test_randint(args):
    same_draws(lambda T: (T.randint(*args, (100,)), T.randint(*args, (7,), dtype=T.float64),
                          T.randint(*args, (3, 17), dtype=T.int64)))


@pytest.mark.parametrize('seed', SEEDS)
@pytest.mark.parametrize('n', [0, 1, 2, 3, 10, 100, 1000, 5000])
def test_randperm(seed, n):
    same_draws(lambda T: (T.randperm(n), T.randperm(n, dtype=T.float64),
                          T.randperm(min(n, 100), dtype=T.int8)), seed)


# ---------------------------------------------------------------- bernoulli, multinomial

@pytest.mark.parametrize('n', [1, 15, 16, 100, 1000])
@pytest.mark.parametrize('dtype', INTEGERS + FLOATS)
def test_bernoulli(n, dtype):
    def draws(T):
        T.manual_seed(99)
        probs = [T.rand(n, dtype=dt(T, name)) for name in FLOATS]
        T.manual_seed(0)
        x = T.empty(n, dtype=dt(T, dtype))
        out = [x.bernoulli_(p).clone() for p in (0.0, 0.3, 0.5, 1.0)]
        out += [x.bernoulli_(p).clone() for p in probs]
        out += [T.bernoulli(p) for p in probs] + [T.bernoulli(probs[2], 0.7), probs[3].bernoulli()]
        return out
    same_draws(draws)


def test_bernoulli_broadcast_probability():
    same_draws(lambda T: T.empty(4, 5).bernoulli_(T.tensor([0.1, 0.5, 0.9, 0.3, 0.7])))


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('shape', [(1,), (5,), (3, 7), (100,), (4, 1000)])
def test_multinomial(dtype, shape):
    def draws(T):
        T.manual_seed(123)
        probs = T.rand(shape, dtype=dt(T, dtype))
        if shape[-1] > 3:
            probs[..., 1] = 0
        T.manual_seed(0)
        k = shape[-1] - 1 if shape[-1] > 3 else shape[-1]
        # Half keys tie often, and torch orders ties as libstdc++'s nth_element leaves them.
        k = k if dtype in ('float32', 'float64') else 1
        return (T.multinomial(probs, 1), T.multinomial(probs, 1, True), T.multinomial(probs, k),
                T.multinomial(probs, 3, True), probs.multinomial(50, replacement=True))
    same_draws(draws)


# ---------------------------------------------------------------- the generator's state

def test_state_bytes_match_torch_after_mixed_calls():
    def draws(T):
        out = [T.randn(3, dtype=T.float64), T.get_rng_state()]  # odd count: a cached normal
        out += [T.randn(1), T.randn(5), T.rand(7), T.get_rng_state()]
        out += [T.randint(0, 2**30, (5,)), T.randperm(11), T.randn(2, 2), T.get_rng_state()]
        return out
    same_draws(draws)


def test_default_state_at_import_has_torch_seed():
    fresh = ember.Generator()
    assert fresh.initial_seed() == 67280421310721
    assert bytes(fresh.get_state().numpy()) == bytes(torch.Generator().get_state().numpy())


def test_set_state_accepts_torch_state_and_round_trips():
    torch.manual_seed(5)
    torch.randn(3, dtype=torch.float64)
    torch.rand(700)
    state = torch.get_rng_state()
    ember.set_rng_state(to_ember(state))
    assert _state(ember) == bytes(state.numpy())
    same_draws_now = (_bits(ember.randn(4, dtype=ember.float64)),
                      _bits(torch.randn(4, dtype=torch.float64)))
    assert same_draws_now[0] == same_draws_now[1]
    saved = ember.get_rng_state()
    first = _bits(ember.randn(9))
    ember.set_rng_state(saved)
    assert _bits(ember.randn(9)) == first


@pytest.mark.parametrize('seed', [0, 1, -1, 2**32 + 3, 2**64 - 1, -2**63])
def test_manual_seed_values(seed):
    same_draws(lambda T: (T.manual_seed(seed).initial_seed(), T.initial_seed(), T.rand(3)))


def test_generator_objects():
    def draws(T):
        g = T.Generator()
        assert g.manual_seed(7) is g
        h = T.Generator().manual_seed(7)
        return (g.initial_seed(), T.rand(3, generator=g), T.randn(20, generator=g),
                T.randint(5, (4,), generator=g), T.randperm(6, generator=g),
                T.normal(0.0, 1.0, (3,), generator=g), T.empty(3).uniform_(generator=g),
                T.bernoulli(T.full((4,), 0.5), generator=g),
                T.multinomial(T.ones(5), 2, generator=g), g.get_state(),
                T.rand(2, generator=h), T.rand(2))
    same_draws(draws)
    assert str(ember.Generator().device) == 'cpu'


def test_generator_state_round_trip_and_pickle():
    g = ember.Generator().manual_seed(3)
    ember.randn(5, generator=g, dtype=ember.float64)
    clone = pickle.loads(pickle.dumps(g))
    other = ember.Generator().set_state(g.get_state())
    expected = _bits(ember.randn(7, generator=g, dtype=ember.float64))
    assert _bits(ember.randn(7, generator=clone, dtype=ember.float64)) == expected
    assert _bits(ember.randn(7, generator=other, dtype=ember.float64)) == expected


def test_seed_and_fork_rng():
    seed = ember.seed()
    assert 0 <= seed < 2**64 and ember.initial_seed() == seed
    assert ember.random.initial_seed() == seed
    ember.random.manual_seed(11)
    before = _state(ember)
    with ember.random.fork_rng():
        ember.rand(100)
    assert _state(ember) == before
    assert ember.random.get_rng_state().shape == (5056,)


def test_in_place_samplers_in_autograd():
    x = ember.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match='leaf Variable'):
        x.uniform_()
    y = x * 2
    assert type(y.normal_().grad_fn).__name__ == 'NormalBackward0'
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    z = ember.normal(x, 1.0)
    assert type(z.grad_fn).__name__ == 'NormalBackward1'
    assert ember.rand(2, requires_grad=True).requires_grad


def test_samplers_gradient_is_zero_for_infinite_incoming_grad():
    """A sampler's zero gradient is torch's zeros_like(grad): 0 where the incoming gradient
    is inf or nan (grad * 0 gave nan)."""
    x = ember.ones(3, requires_grad=True)
    infinite = ember.tensor([float('inf'), float('nan'), 1.0])
    (x * 2).uniform_().backward(infinite)
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    mean = ember.zeros(3, requires_grad=True)
    ember.normal(mean, 1.0).backward(infinite)
    assert mean.grad.tolist() == [0.0, 0.0, 0.0]


# ---------------------------------------------------------------- geometric, log-normal, cauchy

GEOMETRIC_P = [0.3, 0.9, 0.004, 1e-12, 1e-300]  # the last two overflow int32 and int64


@pytest.mark.parametrize('n', [1, 15, 16, 17, 100, 1000])
@pytest.mark.parametrize('dtype', FLOATS + INTEGERS[1:])
def test_geometric(n, dtype):
    """geometric_distribution<double>, cast as C casts doubles (x86's overflow values too)."""
    same_draws(lambda T: [T.empty(n, dtype=dt(T, dtype)).geometric_(p) for p in GEOMETRIC_P]
               + [T.empty(n, dtype=dt(T, dtype)).geometric_(p=0.5)])


@pytest.mark.parametrize('n', [1, 15, 16, 17, 100, 1000])
@pytest.mark.parametrize('dtype', FLOATS)
def test_log_normal_and_cauchy(n, dtype):
    """One double a draw (log-normal's from the cached Box-Muller pairs, whatever n), and an
    FMA in each transform."""
    def draws(T):
        x = T.empty(n, dtype=dt(T, dtype))
        return (x.log_normal_().clone(), x.log_normal_(0.5, 0.25).clone(),
                x.log_normal_(mean=-1, std=3).clone(), x.cauchy_().clone(),
                x.cauchy_(0.3, 1.7).clone(), x.cauchy_(median=-2.5, sigma=1e-3).clone(),
                x.exponential_(lambd=2.5).clone(), T.randn(3, dtype=T.float64))
    same_draws(draws, seed=n)


def test_log_normal_shares_the_cached_normal():
    def draws(T):
        a = T.randn(3, dtype=T.float64)  # leaves a cached sine
        b = T.empty(5).log_normal_()
        return a, b, T.empty(4, dtype=T.float64).normal_(), T.empty(3).log_normal_()
    same_draws(draws)


@pytest.mark.parametrize('name, args', [('geometric_', (0.3,)), ('log_normal_', ()),
                                        ('cauchy_', ()), ('exponential_', (2.0,))])
def test_new_samplers_fill_in_memory_order_and_take_generators(name, args):
    def draws(T):
        x, y = T.zeros(4, 5, dtype=T.float64), T.zeros(3, 4, 5)
        getattr(x.t(), name)(*args)
        getattr(y.permute(2, 0, 1)[:, ::2], name)(*args)
        g = T.Generator().manual_seed(7)
        z = getattr(T.empty(33), name)(*args, generator=g)
        return x, y, z, T.rand(4, generator=g)
    same_draws(draws)


def test_new_samplers_in_autograd():
    x = ember.ones(3, requires_grad=True)
    y = x * 2
    for method, args, node in [('geometric_', (0.4,), 'GeometricBackward0'),
                               ('log_normal_', (), 'LogNormalBackward0'),
                               ('cauchy_', (), 'CauchyBackward0')]:
        assert type(getattr(y, method)(*args).grad_fn).__name__ == node
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_sampler_parameters_as_tensors_and_numpy_numbers():
    same_draws(lambda T: (T.empty(3).exponential_(T.tensor(2.)),
                          T.empty(3).geometric_(T.tensor(0.5, dtype=T.float64)),
                          T.empty(3).cauchy_(np.float64(2), np.int64(3)),
                          T.empty(3).log_normal_(1, T.tensor(True))))


# ---------------------------------------------------------------- errors

ERRORS = [
    lambda T: T.empty(3).random_(5, 3),
    lambda T: T.empty(3, dtype=T.int8).random_(0, 300),
    lambda T: T.empty(3, dtype=T.int8).random_(-300, 3),
    lambda T: T.empty(3, dtype=T.float16).random_(0, 100000),
    lambda T: T.empty(3, dtype=T.bool).random_(0, 3),
    lambda T: T.empty(3, dtype=T.float16).random_(-2**63, None),
    lambda T: T.empty(3, dtype=T.int32).random_(-2**63, None),
    lambda T: T.empty(3, dtype=T.complex64).random_(),
    lambda T: T.empty(3).uniform_(2, 1),
    lambda T: T.empty(3).uniform_(-3e38, 3e38),
    lambda T: T.empty(3, dtype=T.int64).uniform_(),
    lambda T: T.empty(3).normal_(0, -1),
    lambda T: T.empty(3, dtype=T.int64).normal_(),
    lambda T: T.empty(3).bernoulli_(1.5),
    lambda T: T.empty(3).bernoulli_(T.tensor([0.5, 2, 0.1])),
    lambda T: T.bernoulli(T.tensor([0, 1])),
    lambda T: T.empty(3).exponential_(-1),
    lambda T: T.empty(3, dtype=T.int64).exponential_(),
    lambda T: T.randperm(-1),
    lambda T: T.randperm(3000, dtype=T.float16),
    lambda T: T.randperm(300, dtype=T.int8),
    lambda T: T.randperm(3, dtype=T.bool),
    lambda T: T.randint(5, 3, (2,)),
    lambda T: T.randint(3, 5),
    lambda T: T.randint(0, 10**20, (2,)),
    lambda T: T.rand(2, dtype=T.int64),
    lambda T: T.randn(2, dtype=T.int64),
    lambda T: T.rand(-1),
    lambda T: T.rand(),
    lambda T: T.normal(0., -1., (2,)),
    lambda T: T.normal(T.zeros(2), T.tensor([1., -1])),
    lambda T: T.normal(T.zeros(2), T.ones(3)),
    lambda T: T.normal(0, 1),
    lambda T: T.multinomial(T.tensor([0.5, -0.1]), 1),
    lambda T: T.multinomial(T.tensor([0.5, float('inf')]), 1),
    lambda T: T.multinomial(T.tensor([0., 0.]), 1),
    lambda T: T.multinomial(T.tensor([0.5, -0.1]), 2, True),
    lambda T: T.multinomial(T.tensor([0.5, 0.5]), 3),
    lambda T: T.multinomial(T.tensor([0.5, 0.5]), 0),
    lambda T: T.multinomial(T.tensor(0.5), 1),
    lambda T: T.multinomial(T.tensor([1, 2]), 1),
    lambda T: T.manual_seed(2**64),
    lambda T: T.Generator().manual_seed(1.5),
    lambda T: T.set_rng_state(T.zeros(10, dtype=T.uint8)),
    lambda T: T.set_rng_state(T.zeros(5056)),
    lambda T: T.set_rng_state(T.zeros(5056, dtype=T.uint8)),
    lambda T: T.randint(0.5, 9, (3,)),
    lambda T: T.randint(0, 9.0, (3,)),
    lambda T: T.randint(9.0, (3,)),
    lambda T: T.randint(True, (3,)),
    lambda T: T.randint(T.tensor(9.), (3,)),
    lambda T: T.randint_like(T.zeros(3)),
    lambda T: T.randint_like(T.zeros(3), 7.5),
    lambda T: T.randperm(10.0),
    lambda T: T.randperm(True),
    lambda T: T.randperm('a'),
    lambda T: T.rand(3, dtype=T.float64, out=T.empty(3)),
    lambda T: T.randn(3, dtype=T.float64, out=T.empty(3)),
    lambda T: T.randint(5, (3,), dtype=T.int32, out=T.empty(3, dtype=T.int64)),
    lambda T: T.randperm(5, dtype=T.int32, out=T.empty(5, dtype=T.int64)),
    lambda T: T.normal(0., 1., (3,), dtype=T.float64, out=T.empty(3)),
    lambda T: T.normal(0., T.ones(3, dtype=T.complex64)),
    lambda T: T.normal(T.zeros(3), T.ones(3, dtype=T.complex64)),
    lambda T: T.normal(T.zeros(4), 1.0, out=T.empty(2, 2)),
    lambda T: T.normal(T.zeros(4), T.ones(4), out=T.empty(4, dtype=T.int64)),
    lambda T: T.empty(3).random_(0.5, 3),
    lambda T: T.empty(3).random_(3.5),
    lambda T: T.empty(3).random_(**{'from': 3}),
    lambda T: T.empty(3).random_(0, 3, 5),
    lambda T: T.empty(3, dtype=T.complex64).random_(-2**63, None),
    lambda T: T.empty(5).bernoulli_(T.rand(3)),
    lambda T: T.empty(5).bernoulli_(T.rand(2, 5)),
    lambda T: T.multinomial(T.tensor([3., 1.]), 5, True, out=T.empty(5)),
    lambda T: T.multinomial(T.rand(2, 0), 2, True),
    lambda T: T.multinomial(T.rand(5), 2.0),
    lambda T: T.Generator().manual_seed(seed=4),
    lambda T: T.Generator().manual_seed(np.int64(4)),
    lambda T: T.empty(3).uniform_(from_=2),
]

# Parser and check errors whose message ember words as torch does.
MESSAGES = [
    lambda T: T.rand(2.0),
    lambda T: T.randn((2.0, 3)),
    lambda T: T.rand(2, 'a'),
    lambda T: T.rand(dtype=T.float32),
    lambda T: T.randn(requires_grad=True),
    lambda T: T.randint(0, 9, 3),
    lambda T: T.randint(9, 3),
    lambda T: T.randint(5, (2.0,)),
    lambda T: T.randint(0, 9, [3.0]),
    lambda T: T.randint(3),
    lambda T: T.randperm(10.0),
    lambda T: T.randperm(np.float64(3.0)),          # NumPy types named as CPython names them
    lambda T: T.ones(2).random_(np.float64(1.5)),
    lambda T: T.normal(0., 1., 5),
    lambda T: T.empty(3).uniform_(0, float('inf')),
    lambda T: T.empty(3).uniform_(float('nan'), 1),
    lambda T: T.empty(3, dtype=T.float16).uniform_(0, 70000),
    lambda T: T.empty(3, dtype=T.complex64).uniform_(0, 1e39),
    lambda T: T.empty(3, dtype=T.complex64).random_(0, None),
    lambda T: T.empty(3).random_(0.5, 3),
    lambda T: T.empty(3).random_(0, 3, 5),
    lambda T: T.empty(3).uniform_(generator=3),
    lambda T: T.empty(3).normal_(generator=3),
    lambda T: T.empty(3).exponential_(generator=3),
    lambda T: T.empty(3).random_(generator=3),
    lambda T: T.multinomial(T.ones(3), 1, generator=3),
    lambda T: T.multinomial(T.ones(3), 2.0),
    lambda T: T.rand(2, generator=3),
    lambda T: T.normal(T.zeros(3), 1.0, generator=3),
    lambda T: T.Generator().set_state(T.Generator().get_state().reshape(64, 79).t()),
    lambda T: T.set_rng_state([0] * 5056),
    *(lambda T, d=d: T.empty(3, dtype=dt(T, d)).geometric_(0.5)
      for d in ['bool', 'complex64']),
    *(lambda T, d=d: T.empty(3, dtype=dt(T, d)).log_normal_() for d in INTEGERS + COMPLEXES),
    *(lambda T, d=d: T.empty(3, dtype=dt(T, d)).cauchy_() for d in INTEGERS + COMPLEXES),
    *(lambda T, d=d: T.empty(3, dtype=dt(T, d)).exponential_() for d in INTEGERS + COMPLEXES),
    lambda T: T.empty(3, dtype=T.int8).exponential_(0),
    lambda T: T.empty(3, dtype=T.int8).cauchy_(0, 0),
    lambda T: T.empty(3, dtype=T.int8).log_normal_(0, 0),
    lambda T: T.empty(3, dtype=T.bool).geometric_(0),
    *(lambda T, p=p: T.empty(3).geometric_(p) for p in (0, 1, -0.1, 1.5, float('nan'), True)),
    lambda T: T.empty(3).geometric_(T.tensor(1)),
    lambda T: T.empty(3).geometric_(),
    lambda T: T.empty(3).geometric_(generator=None),
    lambda T: T.empty(3).geometric_(0.5, 1),
    lambda T: T.empty(3).geometric_(0.5, p=0.5),
    lambda T: T.empty(3).geometric_(p=0.5, q=1),
    lambda T: T.empty(3).geometric_('0.5'),
    lambda T: T.empty(3).geometric_(None),
    lambda T: T.empty(3).geometric_(0.3, generator=1),
    lambda T: T.empty(3).geometric_(T.tensor(0.5, requires_grad=True)),
    lambda T: T.empty(3).geometric_(T.tensor(1 + 1j)),
    *(lambda T, s=s: T.empty(3).log_normal_(0, s) for s in (0, -1, float('nan'))),
    lambda T: T.empty(3).log_normal_(1, 2, 3),
    lambda T: T.empty(3).log_normal_(sigma=1),
    lambda T: T.empty(3).log_normal_('a'),
    lambda T: T.empty(3).log_normal_(0, 1, generator=3),
    *(lambda T, s=s: T.empty(3).cauchy_(0, s) for s in (0, -1, float('nan'))),
    lambda T: T.empty(3).cauchy_(sigma=-2),
    lambda T: T.empty(3).cauchy_(1, 2, 3),
    lambda T: T.empty(3).cauchy_(1, median=2),
    lambda T: T.empty(3).cauchy_(foo=1),
    lambda T: T.empty(3).cauchy_(sigma='a'),
    lambda T: T.empty(3).cauchy_(1j),
    lambda T: T.empty(3).cauchy_(T.tensor([1.])),
    *(lambda T, lambd=lambd: T.empty(3).exponential_(lambd) for lambd in (0, -1, float('nan'))),
    lambda T: T.empty(3).exponential_(1, 2),
    lambda T: T.empty(3).exponential_('x'),
    lambda T: T.empty(3).exponential_(lambd='x'),
    lambda T: T.empty(3).exponential_(T.tensor([2., 3])),
]


@pytest.mark.parametrize('fn', MESSAGES)
def test_error_messages(fn):
    same_error(fn, message=True)


@pytest.mark.parametrize('fn', ERRORS)
def test_errors(fn):
    same_error(fn)


@pytest.mark.parametrize('call', [
    lambda T: T.rand(-1, generator='x'),
    lambda T: T.randn(-1, generator='x'),
    lambda T: T.randperm(-1, generator='x'),
    lambda T: T.randint(3, (-1,), generator='x'),
], ids=['rand', 'randn', 'randperm', 'randint'])
def test_generator_type_checked_before_sizes(call):
    """torch's argument parser rejects a non-Generator before any size is checked."""
    errors = []
    for lib in (torch, ember):
        with pytest.raises(Exception) as info:
            call(lib)
        errors.append(info.value)
    assert_same_exception(errors[1], errors[0])


@pytest.mark.parametrize('code', ['T.normal(T.zeros(2), 1.0, size=(2,))',
                                  'T.normal(0.0, T.ones(2), size=(2,))',
                                  'T.normal(T.zeros(2), T.ones(2), size=(2,))'])
def test_normal_of_tensors_takes_no_size(code):
    check(lambda T: eval(code, {'T': T}), match_message=True)


def test_the_default_generator_starts_from_a_nondeterministic_seed():
    """As torch's (c10's getDefaultCPUGenerator): each process draws a different stream until
    it seeds, a 64-bit seed from /dev/urandom; new Generators start from torch's fixed seed."""
    import subprocess
    import sys
    code = 'import ember; print(ember.initial_seed(), ember.rand(2).tolist())'
    runs = [subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    seeds = [int(run.split()[0]) for run in runs]
    assert runs[0] != runs[1] and 67280421310721 not in seeds
    assert max(ember.seed() for _ in range(64)) >= 2**53   # 64 bits, not a double's 53


@pytest.mark.parametrize('code', [
    'T.rand((2, 3), size=(4,))', 'T.randn((2, 3), size=(4,))', 'T.randn(2, 3, size=(4,))',
    'T.rand(size=(4,)).shape', "T.ones(3).uniform_(1, 3, **{'from': 2})",
    "T.ones(3).uniform_(to=3, **{'from': 2}).shape", "T.ones(3).uniform_(1, 3, 4)",
    "T.ones(3).uniform_(1, to=3, bogus=1)", "T.ones(3).uniform_(2, **{'to': 3}).shape"])
def test_arguments_given_twice(code):
    check(lambda T: eval(code, {'T': T}), match_message=True)


@pytest.mark.parametrize('dtype', ['int64', 'bool', 'float64', 'float32', 'uint8'])
@pytest.mark.parametrize('shape', [(5,), (3,), (0,), (2, 3)])
def test_bernoulli_out_of_any_dtype_resized_silently(dtype, shape):
    """torch's out variant is out.resize_(input.shape).bernoulli_(input): no warning."""
    results = []
    for T in (torch, ember):
        T.manual_seed(3)
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            out = T.zeros(shape, dtype=getattr(T, dtype))
            results.append(T.bernoulli(T.full((5,), 0.5), out=out))
            assert results[-1] is out
    check(lambda T: results[T is ember])


@pytest.mark.parametrize('code', [
    'T.normal(1.0, 2.0)', 'T.normal(1.0, 2.0, 3)', 'T.randint(0, 5, 3)', 'T.randint(5, (3,), g)',
    'T.randint(5)', 'T.randint(0.5, 5, (3,))', 'T.rand()', 'T.randn()', 'T.rand(2, generator=1)',
    'T.randn(2, generator=1)', 'T.randint(5, (3,), generator=1)', 'T.normal(x, 1.0, generator=1)',
    'T.randperm(3, generator=1)', 'x.random_(1.5)', 'x.random_(1, 2, 3)', 'x.random_(bogus=1)',
    'T.randint_like(x)', 'T.randint_like(x, 1.5)', 'T.randint_like(1, 5)',
    'T.bernoulli(x, generator=1)', 'T.normal(x, x, size=(2,))', 'T.rand(2, size=(2,))'])
def test_invalid_combinations_list_the_overloads(code):
    """The whole message (check compares first lines)."""
    messages = []
    for T in (torch, ember):
        with pytest.raises(TypeError) as error:
            eval(code, {'T': T, 'x': T.ones(3), 'g': T.Generator()})
        messages.append(str(error.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize('code', [
    'T.bernoulli(x, g)', "T.bernoulli(x, 'a')", 'T.bernoulli(x, x)', 'T.bernoulli(x, 1j)',
    'T.bernoulli(x, 1).shape', 'T.bernoulli(x, 0.5, generator=g).shape',
    'T.bernoulli(x, np.float32(0.5)).shape'])
def test_bernoulli_p_is_a_float(code):
    outcomes = []
    for T in (torch, ember):
        try:
            outcomes.append(eval(code, {'T': T, 'x': T.full((3,), 0.5), 'g': T.Generator(),
                                        'np': np}))
        except TypeError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


# ---------------------------------------------------------------- empty tensors, parsing

@pytest.mark.parametrize('call', [
    *(lambda T, d=d: T.empty(0, dtype=dt(T, d)).random_() for d in COMPLEXES),
    *(lambda T, d=d: T.empty(0, dtype=dt(T, d)).random_(-2**63, None)
      for d in INTEGERS + COMPLEXES + ['float16']),
    *(lambda T, d=d: T.empty(0, dtype=dt(T, d)).bernoulli_(0.5) for d in COMPLEXES),
    *(lambda T, d=d: T.empty(0, dtype=dt(T, d)).bernoulli_(T.ones(3)) for d in COMPLEXES),
    lambda T: T.empty(0).bernoulli_(T.ones(2, dtype=T.int64)),
    lambda T: T.empty(0, 2).bernoulli_(T.ones(3)),
    lambda T: T.bernoulli(T.ones(0, dtype=T.int64)),
    lambda T: T.empty(0, dtype=T.int64).exponential_(),
    lambda T: T.empty(0, dtype=T.complex64).exponential_(),
    lambda T: T.empty(0, dtype=T.int64).log_normal_(),
    lambda T: T.empty(0, dtype=T.bool).geometric_(0.5),
    lambda T: T.empty(0, dtype=T.complex64).geometric_(0.5),
])
def test_no_element_runs_no_kernel(call):
    """torch's samplers return before their kernel (and its dtype checks) for no element."""
    same_draws(call)


@pytest.mark.parametrize('call', [
    *(lambda T, d=d, b=b: T.empty(3, dtype=dt(T, d)).random_(*b)
      for d in COMPLEXES for b in ((3, 2), (5, 5), (0,), (-9,))),
    *(lambda T, d=d, b=b: T.randint(*b, (3,), dtype=dt(T, d))
      for d in COMPLEXES for b in ((3, 2), (0,))),
    lambda T: T.empty(3, dtype=T.complex64).bernoulli_(1.5),      # p's range first
    lambda T: T.empty(3, dtype=T.complex64).bernoulli_(T.ones(2)),  # then the dtype
    lambda T: T.empty(3).bernoulli_('x'),
    lambda T: T.empty(3).bernoulli_(0.5j),
    lambda T: T.empty(3).bernoulli_(None),
    lambda T: T.empty(3).bernoulli_(0.5, 0.3),
    lambda T: T.empty(3).bernoulli_(p='x'),
    lambda T: T.empty(3).bernoulli_(q=0.1),
    lambda T: T.empty(3).bernoulli_(generator=3),
    lambda T: T.empty(3).bernoulli_(0.5, generator='x'),
    lambda T: T.empty(3).bernoulli_(T.ones(3) / 2, generator='x'),
    lambda T: T.empty(3).normal_(1j),
    lambda T: T.empty(3).normal_('a'),
    lambda T: T.empty(3).normal_(1, 2, 3),
    lambda T: T.normal(1j, 2., (3,)),
    lambda T: T.normal(1., 2j, (3,)),
    lambda T: T.normal('a', 2., (3,)),
    lambda T: T.normal(None, 2., (3,)),
    lambda T: T.normal(T.zeros(3), 2j),
    lambda T: T.normal(T.zeros(3), 'x'),
    lambda T: T.normal(T.zeros(3), None),
    lambda T: T.normal(1j, T.ones(3)),
    lambda T: T.normal(None, T.ones(3)),
    lambda T: T.normal(1., 2., (3.5,)),
    lambda T: T.normal(1., 2., size=3),
    lambda T: T.normal(1.),
    lambda T: T.normal(mean=1.),
    lambda T: T.normal(),
    lambda T: T.normal(std=T.ones(3)),
    lambda T: T.normal(foo=1),
    lambda T: T.normal(T.zeros(3), 1, dtype=T.float64),
    lambda T: T.normal(T.zeros(3), 2., requires_grad=False),
    lambda T: T.normal(1., 2j, (3,), dtype=T.float64, device='cpu'),
    lambda T: T.normal(1., 2., 3, dtype=T.float64, device='cpu'),
    lambda T: T.normal(1., 2., (3,), generator=3, dtype=T.float64, device='cpu'),
    lambda T: T.normal(1., T.ones(3), (2,)),
    lambda T: T.normal(T.tensor(1., requires_grad=True), 2., (3,)),
    lambda T: T.multinomial(T.ones(3), 1, 2),
    lambda T: T.multinomial(T.ones(3), 1, replacement=2),
    lambda T: T.ones(3).multinomial(1, 2),
    lambda T: T.ones(3).multinomial(1.0),
    lambda T: T.ones(3).multinomial(1, True, 1),
    lambda T: T.ones(3).multinomial(),
    lambda T: T.ones(3).multinomial(1, out=T.empty(1, dtype=T.int64)),
    lambda T: T.multinomial(T.ones(3), 1, num_samples=1),
    lambda T: T.multinomial(T.ones(3), 1, foo=1),
    lambda T: T.multinomial(T.ones(3), 1, np.bool_(True)),
    lambda T: T.multinomial(T.ones(3), 0, generator=1),
    lambda T: T.multinomial(T.ones(3), 2, out=3),
    lambda T: T.multinomial(3, 1),
    lambda T: T.randint_like(T.zeros(3), T.tensor([5])),
    lambda T: T.randint_like(T.zeros(3), T.tensor(3 + 1j)),
    lambda T: T.randint_like(T.zeros(3), T.tensor(0)),
    lambda T: T.rand_like(T.zeros(3), memory_format=T.channels_last),
    lambda T: T.rand_like(T.zeros(3), memory_format=T.channels_last_3d),
    lambda T: T.rand_like(T.zeros(3), memory_format=3),
    lambda T: T.empty(3).random_(T.tensor([3])),
    lambda T: T.randint(),
    lambda T: T.rand((2, 3), (4,)),
    lambda T: T.rand(size=40),
    lambda T: T.randn(size=np.int64(4)),
    lambda T: T.randn(size=T.tensor(4)),
    lambda T: T.rand(size=None),
    lambda T: T.rand(size='a'),
    lambda T: T.rand(size=(2.0,)),
    lambda T: T.rand(True),       # torch's parser checks the type of a size list's first item
    lambda T: T.rand((True,)),
    lambda T: T.randn([True, 2]),
    lambda T: T.randn(True, 2),
    lambda T: T.rand(2.0, 3),
    lambda T: T.randint(5, (True,)),
    lambda T: T.rand([2, 3.0]),   # and the others as it unpacks them (bools taken as ints)
    lambda T: T.rand([2, True, 3.0]),
    lambda T: T.randint(5, (2, True, 3.0)),
    lambda T: T.Generator().graphsafe_get_state(),
    lambda T: T.Generator().graphsafe_set_state(3),
    lambda T: T.Generator().graphsafe_set_state(T.Generator()),
    lambda T: T.Generator().get_offset(),
    lambda T: T.Generator().set_offset(3),
    lambda T: T.Generator().set_offset('a'),
    lambda T: T.Generator().manual_seed(),      # CPython's errors for torch's C methods
    lambda T: T.Generator().manual_seed(1, 2),
    lambda T: T.Generator().manual_seed(seed=3),
    lambda T: T.Generator().get_state(1),
    lambda T: T.Generator().get_state(x=1),
    lambda T: T.Generator().set_state(),
    lambda T: T.Generator().seed(1),
    lambda T: T.Generator().initial_seed(1),
    lambda T: T.Generator().clone_state(1),
    lambda T: T.Generator().graphsafe_set_state(),
    lambda T: T.Generator().set_offset(),
    lambda T: T.Generator().get_offset(1),
    lambda T: T.Generator(device='cpu', x=1),
    lambda T: T.Generator('cpu', 'cpu'),
    lambda T: T.Generator().set_state(np.zeros(5056, dtype=np.uint8)),
])
def test_argument_errors_in_torch_words(call):
    same_error(call, message=True)


@pytest.mark.parametrize('call', [
    lambda T: T.normal(T.tensor(1.), 2., (3,)),     # 0-d tensors as the floats of a size
    lambda T: T.normal(1., T.tensor(2.), (3,)),
    lambda T: T.normal(np.float32(1), np.float64(2), (3,)),
    lambda T: T.normal(mean=1., std=2., size=(20,)),
    lambda T: T.normal(T.zeros(3), std=2),
    lambda T: T.normal(mean=T.zeros(3)),
    lambda T: T.normal(T.zeros(20, dtype=T.complex64), 3.),
    lambda T: T.empty(3).normal_(T.tensor(1.)),
    lambda T: T.empty(3).normal_(np.complex64(1)),
    lambda T: T.empty(3).bernoulli_(np.complex64(1)),     # NumPy's complex as a float
    lambda T: T.empty(3).bernoulli_(np.complex128(0.5 + 1j)),
    lambda T: T.bernoulli(T.zeros(3), np.complex64(0.5)),
    lambda T: T.empty(3).uniform_(np.complex64(0)),
    lambda T: T.empty(3).exponential_(np.complex128(2)),
    lambda T: T.randint_like(T.zeros(3), T.tensor(5.7)),   # the Tensor high overload
    lambda T: T.randint_like(T.zeros(3), T.tensor(True)),
    lambda T: T.randint_like(T.zeros(3), T.tensor(5., requires_grad=True)),
    lambda T: T.randint_like(T.zeros(3), 0, T.tensor([5])),
    lambda T: T.randint_like(T.zeros(3), high=T.tensor(5)),
    lambda T: T.multinomial(input=T.ones(3), num_samples=1),
    lambda T: T.rand(2, True),
    lambda T: T.randint(0, 5, (2, True)),
    lambda T: T.normal(0., 1., (2, True)),
    lambda T: T.rand(size=(2, True)),
    lambda T: T.ones(3).multinomial(num_samples=2, replacement=True),
])
def test_arguments_torch_takes(call):
    same_draws(call)


@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16'])
def test_normal_of_a_complex_mean_into_a_real_out_draws_then_fails(dtype):
    """normal_out_impl samples into out, then out.add_(mean) fails: the draw is spent."""
    def call(T):
        with pytest.raises(RuntimeError) as error:
            T.normal(T.zeros(20, dtype=T.complex64), 1., out=T.empty(20, dtype=dt(T, dtype)))
        return str(error.value)
    same_draws(call)


@pytest.mark.parametrize('format_', ['contiguous_format', 'preserve_format', 'channels_last'])
@pytest.mark.parametrize('fn', [lambda T, x, f: T.rand_like(x, memory_format=f),
                                lambda T, x, f: T.randn_like(x, memory_format=f),
                                lambda T, x, f: T.randint_like(x, 9, memory_format=f)])
def test_like_factories_follow_memory_format(fn, format_):
    """The samples fill memory in the order of the layout memory_format asks for."""
    def call(T):
        result = fn(T, T.zeros(2, 3, 4, 5).permute(0, 2, 3, 1), getattr(T, format_))
        return _bits(result), result.stride()
    same_draws(call)


@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('n, k', [(100, 100), (100, 30), (1000, 10), (1000, 999), (33, 2)])
def test_multinomial_orders_equal_keys_as_torchs_topk(dtype, n, k):
    """Half and bfloat16 keys p / q tie often (zero probabilities always): the order of the tied
    samples is the one libstdc++'s nth_element/sort or partial_sort leave."""
    def call(T):
        p = T.tensor(np.random.RandomState(n).rand(n).tolist(), dtype=dt(T, dtype))
        p[::7] = 0
        return T.multinomial(p, min(k, n - (n + 6) // 7), False)
    same_draws(call)


def test_topk_matches_torch_on_ties_and_nan():
    from ember._generator import _topk
    rs = np.random.RandomState(0)
    for _ in range(300):
        n = int(rs.choice([2, 5, 16, 17, 65, 200, 1000]))
        k = int(rs.randint(1, n + 1)) if rs.rand() < 0.7 else max(1, n // 64)
        keys = rs.randint(0, int(rs.choice([1, 3, 50, 10**6])), n).astype(np.float32)
        if rs.rand() < 0.2:
            keys[rs.randint(0, n, 3)] = np.nan
        if rs.rand() < 0.2:
            keys = np.sort(keys)[::rs.choice([1, -1])].copy()
        expected = torch.topk(torch.from_numpy(keys), k).indices.numpy()
        assert np.array_equal(_topk(keys.astype(np.float64), k), expected)


@pytest.mark.parametrize('kwargs', [
    {}, {'devices': []}, {'devices': [0]}, {'devices': [0], 'enabled': False},
    {'device_type': 'cuda:0'}, {'device_type': 'meta', 'devices': [1]}, {'device_type': 'foo'},
    {'device_type': 'hpu'}, {'device_type': 'ipu'}, {'device_type': 'cpu'},
    {'device_type': 'cpu', 'devices': []}, {'device_type': 'mps'},
    {'device_type': 'mps', 'devices': [0]}, {'device_type': 'xpu', 'devices': [0]},
    {'device_type': 'mtia', 'devices': [0]},
], ids=str)
@cpu_only_torch
def test_fork_rng_devices(kwargs):
    """fork_rng forks the CPU generator and the given device type's generators: none in torch's
    CPU build, whose device modules fail for any index (torch.cpu lacks get_rng_state)."""
    def call(T):
        try:
            with T.random.fork_rng(**kwargs):
                T.rand(3)
        except Exception as error:   # (same type and message, and the stream left alone)
            return type(error).__name__, str(error)
        return T.rand(2)
    same_draws(call)


@pytest.mark.parametrize('call', [
    lambda T: T.empty(3).bernoulli_(T.tensor([0.5, 0.5, 1.5])),
    lambda T: T.empty(3).bernoulli_(T.tensor([0.5, 0.5, 1.5], dtype=T.float64)),
    lambda T: T.empty(4).bernoulli_(T.tensor([0.5, -0.5, 0.5, 0.5])),
    lambda T: T.bernoulli(T.tensor([0.5, float('nan'), 0.2])),
    lambda T: T.empty(3, 2).t().bernoulli_(T.tensor([[0.5, 0.5, 0.5], [0.5, 2, 0.5]])),
    lambda T: T.multinomial(T.tensor([[1., 2], [0, 0]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [-1, 2]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [1, float('inf')]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [float('inf'), -1]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [float('nan'), 1]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [1, 2], [0, 0], [-1, 1]]), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [1, float('nan')]], dtype=T.float16), 3, True),
    lambda T: T.multinomial(T.tensor([[1., 2], [1, float('nan')]]), 3),
])
def test_checks_inside_the_kernel_leave_the_draws_before_them(call):
    """bernoulli_(Tensor p) checks each p as it samples it, and multinomial with replacement
    each row as it samples it: the elements (rows) before the first bad one have drawn."""
    def drawn_after_error(T):
        with pytest.raises(RuntimeError) as error:
            call(T)
        return str(error.value), T.rand(3, dtype=T.float64)
    same_draws(drawn_after_error)


# ---------------------------------------------------------------- poisson

@pytest.mark.parametrize('dtype', FLOATS)
@pytest.mark.parametrize('rates', [
    [0.], [0.5, 3., 9.99], [10., 10.01, 25.], [100., 1e4, 1e6, 3.5e11], [1e-300, 1e-10],
    [5.] * 40, [1e18, 9e18], [1e19, 1e30, float('inf')],   # int64 min past 2**63, as torch's
], ids=str)
def test_poisson(rates, dtype):
    """sample_poisson's two methods, rate by rate, and the stream left after them."""
    same_draws(lambda T: T.poisson(T.tensor(rates, dtype=dt(T, dtype))))


@pytest.mark.parametrize('seed', [0, 1, 7])
def test_poisson_many_rates(seed):
    """Many acceptance tests, some within an ulp of lgamma (libm's, as torch's)."""
    rates = np.concatenate([np.random.RandomState(seed).rand(3000) * 50,
                            10 ** (np.random.RandomState(seed + 1).rand(3000) * 12)])
    same_draws(lambda T: T.poisson(T.tensor(rates.tolist(), dtype=T.float64)), seed)


@pytest.mark.parametrize('call', [
    lambda T: T.poisson(T.rand(4, 5).t() * 20),     # a new contiguous tensor, in C order
    lambda T: T.poisson(T.rand(3, 1).expand(3, 4) * 20),
    lambda T: T.poisson(T.ones(0, 3)),
    lambda T: T.poisson(T.tensor(4.)),
    lambda T: T.poisson(T.ones(2), T.Generator().manual_seed(2)),
    lambda T: T.poisson(input=T.full((20,), 15.), generator=T.Generator().manual_seed(2)),
    lambda T: T.poisson(T.ones(2), None),
])
def test_poisson_forms(call):
    same_draws(call)


@pytest.mark.parametrize('call', [
    lambda T: T.poisson(T.tensor([1, 2])),
    lambda T: T.poisson(T.ones(0, dtype=T.int64)),
    lambda T: T.poisson(T.ones(2, dtype=T.complex64)),
    lambda T: T.poisson(T.ones(2, dtype=T.bool)),
    lambda T: T.poisson(T.ones(2), 3),
    lambda T: T.poisson(T.ones(2), generator=3),
    lambda T: T.poisson(T.ones(2), None, None),
    lambda T: T.poisson(3.),
])
def test_poisson_errors(call):
    same_error(call, message=True)


@pytest.mark.parametrize('rates', [[1., -1., 2.], [30., 20., float('nan')], [-1.]], ids=str)
def test_poisson_invalid_rate_after_the_draws_before_it(rates):
    def call(T):
        with pytest.raises(RuntimeError) as error:
            T.poisson(T.tensor(rates))
        return str(error.value), T.rand(3, dtype=T.float64)
    same_draws(call)


def test_poisson_in_autograd():
    def call(T):
        x = T.full((3,), 4., requires_grad=True)
        y = T.poisson(x * 2)
        (y * 3).sum().backward()
        return y.grad_fn.name(), x.grad, y
    same_draws(call)


# ---------------------------------------------------------------- binomial

@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('counts, probs', [
    ([10.], [0.5]), ([100.] * 10, [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 0.01, 0.001]),
    ([-10., 5, 5, 5, 0], [0.5, float('nan'), 1.5, -1, 0.5]),
    ([1e6, 1e9, 2**24 + 1., 1e12, 1e30], [0.3, 0.5, 0.7, 1e-6, 0.5]), ([3.5, 7.2], [0.4, 0.6]),
], ids=str)
def test_binomial(counts, probs, dtype):
    """sample_binomial's inversion (count * p < 10) and BTRS, in the scalar type's float32
    products where torch's are, and the stream after them."""
    same_draws(lambda T: T.binomial(T.tensor(counts, dtype=dt(T, dtype)),
                                    T.tensor(probs, dtype=dt(T, dtype))))


@pytest.mark.parametrize('seed', [0, 3])
@pytest.mark.parametrize('dtype', ['float32', 'float64'])
def test_binomial_many(seed, dtype):
    rs = np.random.RandomState(seed)
    counts = np.concatenate([(rs.rand(1000) * 50).round(), (10 ** (rs.rand(1000) * 9)).round()])
    probs = np.concatenate([rs.rand(1500), rs.rand(500) ** 8]).tolist()
    same_draws(lambda T: T.binomial(T.tensor(counts.tolist(), dtype=dt(T, dtype)),
                                    T.tensor(probs, dtype=dt(T, dtype))), seed)


@pytest.mark.parametrize('call', [
    lambda T: T.binomial(T.tensor([10., 20.]), T.tensor([0.5])),     # broadcast to count's
    lambda T: T.binomial(T.tensor([[10.], [20.]]), T.tensor([0.5, 0.3, 0.2])),  # resized
    lambda T: T.binomial(T.tensor(10.), T.tensor([0.5, 0.5])),
    lambda T: T.binomial(T.rand(4, 5).t() * 40, T.rand(4, 5).t()),
    lambda T: T.binomial(T.ones(0, 3), T.ones(0, 3)),
    lambda T: T.binomial(T.tensor([10.]), T.tensor([0.5]), T.Generator().manual_seed(1)),
    lambda T: T.binomial(count=T.tensor([10.]), prob=T.tensor([0.5])),
    lambda T: T.binomial(T.tensor([10.], requires_grad=True), T.tensor([0.5])).grad_fn.name(),
])
def test_binomial_forms(call):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        same_draws(call)


@pytest.mark.parametrize('call', [
    lambda T: T.binomial(T.tensor([10.], dtype=T.float16), T.tensor([0.5], dtype=T.float16)),
    lambda T: T.binomial(T.tensor([10]), T.tensor([0.5])),
    lambda T: T.binomial(T.tensor([10.]), T.tensor([0.5], dtype=T.int64)),
    lambda T: T.binomial(T.ones(0, dtype=T.int64), T.ones(0, dtype=T.int64)),
    lambda T: T.binomial(T.tensor([10.]), T.tensor([0.5], dtype=T.float64)),
    lambda T: T.binomial(T.tensor([10.]), 0.5),
    lambda T: T.binomial(10., T.tensor([0.5])),
    lambda T: T.binomial(T.tensor([10.]), T.tensor([0.5]), 3),
    lambda T: T.binomial(T.tensor([10.]), T.tensor([0.5]), generator=3),
    lambda T: T.binomial(T.ones(3), T.ones(4)),
    lambda T: T.binomial(T.tensor([10.], requires_grad=True), T.tensor([0.5])).sum().backward(),
])
def test_binomial_errors(call):
    same_error(call, message=True)


@pytest.mark.parametrize('call', [
    lambda T: T.bernoulli(T.rand(3, requires_grad=True), 0.5),
    lambda T: T.rand(2, 3, dtype=T.float64, requires_grad=True).t().bernoulli(0.25),
])
def test_bernoulli_of_a_float_p_has_no_derivative(call):
    """bernoulli(x, p) of an x that requires grad: torch's NotImplemented node, whose
    backward raises."""
    same_draws(lambda T: (lambda y: (y, y.requires_grad, y.grad_fn.name()))(call(T)))
    same_error(lambda T: call(T).sum().backward(), message=True)


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('prob', [0.01, 0.3, 0.9])
def test_binomial_of_a_nan_count_stops(prob, dtype):
    """torch's sampler never returns on a NaN count with 0 < prob < 1 (so torch can't be the
    oracle here): ember raises rather than hang; prob 0 and 1 give 0 and NaN, as torch's."""
    count = ember.tensor([float('nan')], dtype=getattr(ember, dtype))
    with pytest.raises(RuntimeError, match='count of NaN'):
        ember.binomial(count, ember.tensor([prob], dtype=count.dtype))
    edges = ember.binomial(count.expand(2), ember.tensor([0., 1.], dtype=count.dtype))
    assert edges[0].item() == 0 and math.isnan(edges[1].item())


_BAD_PARAMETERS = ['uniform_(2, 1)', 'normal_(0, -1)', 'random_(5, 1)', 'random_(-1)',
                   'bernoulli_(2.)', 'bernoulli_(T.ones(2))', 'exponential_(-1)', 'geometric_(5)',
                   'log_normal_(0, -1)', 'cauchy_(0, -1)']


@pytest.mark.parametrize('target', ['T.zeros(3, requires_grad=True)',
                                    'T.zeros(3, requires_grad=True)[:2]',
                                    'T.zeros(1, 3).expand(2, 3)'])
@pytest.mark.parametrize('op', _BAD_PARAMETERS)
def test_in_place_sampler_checks_its_target_first(target, op):
    """The autograd layer refuses a leaf (or a view of one) requiring grad before the kernel
    checks its parameters; an expanded target fails where the kernel builds its iterator
    (after uniform_'s, normal_'s... checks, before random_'s and bernoulli_(Tensor)'s)."""
    same_error(lambda T: eval(f'{target}.{op}'), message=True)


@pytest.mark.parametrize('op', ['uniform_()', 'random_()', 'random_(3)', 'random_(1, 3)',
                                'normal_()', 'bernoulli_(0.5)', 'bernoulli_(T.ones(2, 3) / 2)',
                                'exponential_()', 'geometric_(0.5)', 'log_normal_()',
                                'cauchy_()'])
def test_in_place_sampler_on_an_expanded_tensor_draws_nothing(op):
    def call(T):
        with pytest.raises(RuntimeError) as error:
            eval(f'T.zeros(1, 3).expand(2, 3).{op}')
        return str(error.value), T.rand(3)
    same_draws(call)


@pytest.mark.parametrize('out', ['T.zeros(3, requires_grad=True)',
                                 'T.zeros(3, requires_grad=True).clone()',
                                 'T.zeros(1).expand(3)'])
@pytest.mark.parametrize('call', ['T.rand(3, out={})', 'T.randn(3, out={})',
                                  'T.normal(0., 1., (3,), out={})',
                                  'T.normal(T.zeros(3), 1., out={})',
                                  'T.normal(T.zeros(3), T.ones(3), out={})',
                                  'T.normal(0., T.ones(3), out={})',
                                  'T.bernoulli(T.ones(3) / 2, out={})'])
def test_out_checked_before_the_draw(call, out):
    """torch refuses an out= that requires grad (rand and normal(mean, std, size) only a leaf,
    randn any: it resizes its out) or whose elements share memory, before drawing."""
    def run(T):
        try:
            result = eval(call.format(out))
        except RuntimeError as error:
            return str(error), T.rand(2)
        return result, result.requires_grad, T.rand(2)
    same_draws(run)
