"""Differential testing against real torch: the same inputs in both libraries, same results.

    check(lambda T, a, b: T.add(a, b), x, y)

runs the function once with ``T = torch`` on torch tensors and once with ``T = ember`` on
ember tensors holding the same values, then compares results (values, dtypes, shapes,
Python types) or, when torch raises, that ember raises the same exception type.
Arguments may be torch tensors, NumPy arrays, (nested) lists/tuples/dicts of them, torch
dtypes/devices, or plain Python values; each side gets its own library's version.
"""
import contextlib
import warnings

import ml_dtypes
import numpy as np
import pytest
import torch

import ember

DTYPE_NAMES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16',
               'float32', 'float64', 'complex64', 'complex128']
FLOAT_NAMES = ['float16', 'bfloat16', 'float32', 'float64']
COMPLEX_NAMES = ['complex64', 'complex128']
INT_NAMES = ['uint8', 'int8', 'int16', 'int32', 'int64']
ALL_TORCH_DTYPES = [getattr(torch, n) for n in DTYPE_NAMES]

# Shapes every pointwise op should handle: scalar, vector, matrix, empty.
SHAPES = [(), (5,), (3, 4), (0,), (2, 0, 3)]
# Pairs that broadcast (and one pair of 0-dim / dimensioned mixing).
BROADCAST_PAIRS = [((), ()), ((4,), (4,)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)),
                   ((), (3, 2)), ((5,), ()), ((0, 3), (3,)), ((2, 1, 3), (0, 1))]


# -------------------------------------------------------------------- conversions

def torch_dtype(name):
    return getattr(torch, name)


def ember_dtype(d):
    """The ember dtype of a torch dtype (or a name)."""
    return getattr(ember, d if isinstance(d, str) else str(d).split('.')[1])


def to_numpy(t):
    """A NumPy copy of a torch tensor, bfloat16 included (as ml_dtypes.bfloat16)."""
    t = t.detach().resolve_conj().resolve_neg().cpu()
    if t.dtype is torch.bfloat16:
        return t.contiguous().view(torch.int16).numpy().view(ml_dtypes.bfloat16).copy()
    return t.numpy().copy()


def from_numpy_torch(a):
    """A torch tensor of a NumPy array, bfloat16 included."""
    a = np.array(a, order='C', copy=True)
    if a.dtype == ml_dtypes.bfloat16:
        return torch.from_numpy(a.view(np.int16).copy()).view(torch.bfloat16)
    return torch.from_numpy(a.copy())


def to_ember(t, requires_grad=None):
    """An ember tensor with the values and dtype of torch tensor ``t`` (a fresh leaf)."""
    data = to_numpy(t)
    e = ember.from_numpy(data) if data.ndim else ember.tensor(data)
    assert e.dtype == ember_dtype(t.dtype), (e.dtype, t.dtype)
    if requires_grad is None:
        requires_grad = t.requires_grad
    if requires_grad:
        e.requires_grad_(True)
    return e


def to_torch(e):
    """A torch tensor with the values and dtype of ember tensor ``e``."""
    return from_numpy_torch(np.asarray(e.detach()._data))


def convert(obj, to):
    """Recursively turn torch objects into ember ones (to='ember') or NumPy into both."""
    return map_leaves(obj, lambda leaf: _converted(leaf, to))


def _converted(obj, to):
    if isinstance(obj, torch.Tensor):
        return to_ember(obj) if to == 'ember' else obj
    if isinstance(obj, np.ndarray):
        t = from_numpy_torch(obj)
        return to_ember(t) if to == 'ember' else t
    if isinstance(obj, torch.dtype):
        return ember_dtype(obj) if to == 'ember' else obj
    if isinstance(obj, torch.device):
        return ember.device(str(obj)) if to == 'ember' else obj
    if isinstance(obj, torch.Size):
        return ember.Size(obj) if to == 'ember' else obj
    return obj


def map_leaves(obj, leaf):
    """``obj`` with ``leaf`` applied to every item of its nested lists, tuples and dicts."""
    if isinstance(obj, list):
        return [map_leaves(x, leaf) for x in obj]
    if isinstance(obj, tuple):
        return tuple(map_leaves(x, leaf) for x in obj)
    if isinstance(obj, dict):
        return {k: map_leaves(v, leaf) for k, v in obj.items()}
    return leaf(obj)


# -------------------------------------------------------------------- comparisons

def _tolerances(dtype, exact):
    if exact:
        return 0.0, 0.0
    return None, None


def assert_same(actual, expected, *, exact=False, rtol=None, atol=None, path='result'):
    """ember result ``actual`` matches torch result ``expected`` (recursively; the two may
    also be given torch first, as ``assert_same(torch_result, ember_result)``)."""
    if _has_torch(actual) and not _has_torch(expected):
        actual, expected = expected, actual
    if isinstance(expected, torch.Tensor):
        assert isinstance(actual, ember.Tensor), f'{path}: expected a Tensor, got {type(actual)}'
        assert str(actual.dtype) == str(expected.dtype), \
            f'{path}: dtype {actual.dtype} != torch {expected.dtype}'
        assert tuple(actual.shape) == tuple(expected.shape), \
            f'{path}: shape {tuple(actual.shape)} != torch {tuple(expected.shape)}'
        assert type(actual.shape) is ember.Size
        if exact:
            rtol = atol = 0.0
        elif (rtol is None) != (atol is None):
            rtol, atol = (1.3e-6 if rtol is None else rtol), (1e-5 if atol is None else atol)
        torch.testing.assert_close(to_torch(actual), expected.detach().resolve_conj().resolve_neg(),
                                   rtol=rtol, atol=atol, equal_nan=True, msg=lambda m: f'{path}: {m}')
    elif isinstance(expected, torch.Size):
        assert type(actual) is ember.Size, f'{path}: {type(actual)} is not ember.Size'
        assert tuple(actual) == tuple(expected), f'{path}: {actual} != {expected}'
        assert repr(actual) == repr(expected)
    elif isinstance(expected, torch.device):
        assert str(actual) == str(expected) and repr(actual) == repr(expected), f'{path}: {actual!r}'
    elif isinstance(expected, (list, tuple)):
        assert isinstance(actual, type(expected)) or type(actual) is tuple, \
            f'{path}: {type(actual)} != {type(expected)}'
        assert len(actual) == len(expected), f'{path}: length {len(actual)} != {len(expected)}'
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, exact=exact, rtol=rtol, atol=atol, path=f'{path}[{i}]')
    elif isinstance(expected, torch.dtype):
        assert str(actual) == str(expected), f'{path}: {actual} != {expected}'
    elif isinstance(expected, float) and expected != expected:
        assert isinstance(actual, float) and actual != actual, f'{path}: {actual} != nan'
    else:
        assert type(actual) is type(expected), f'{path}: type {type(actual)} != {type(expected)}'
        assert actual == expected, f'{path}: {actual!r} != {expected!r}'


def outcomes(fn, *args, **kwargs):
    """(torch outcome, ember outcome); an outcome is ('ok', value) or ('raise', exception)."""
    outcomes = []
    for lib, to in ((torch, 'torch'), (ember, 'ember')):
        a, k = convert(args, to), convert(kwargs, to)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                outcomes.append(('ok', fn(lib, *a, **k), a))
        except Exception as error:  # noqa: BLE001 - the exception type itself is compared
            outcomes.append(('raise', error, a))
    return outcomes


def _has_torch(obj):
    if isinstance(obj, torch.Tensor):
        return True
    if isinstance(obj, (list, tuple)):
        return any(_has_torch(x) for x in obj)
    return False


def check(fn, *args, exact=False, rtol=None, atol=None, match_message=False, **kwargs):
    """fn(torch, *torch_args) and fn(ember, *ember_args) agree (values, or exception type and,
    with match_message, its message)."""
    (t_kind, t_val, _), (e_kind, e_val, _) = outcomes(fn, *args, **kwargs)
    if t_kind == 'raise':
        assert e_kind == 'raise', f'torch raised {type(t_val).__name__}: {t_val}; ember returned {e_val!r}'
        assert_same_exception(e_val, t_val)
        if match_message:
            assert_same_message(e_val, t_val)
        return None
    if e_kind == 'raise':
        raise AssertionError(f'ember raised {type(e_val).__name__}: {e_val}; torch returned '
                             f'{t_val!r}') from e_val
    assert_same(e_val, t_val, exact=exact, rtol=rtol, atol=atol)
    return e_val, t_val


def assert_same_exception(e_err, t_err):
    """ember raised torch's exception type (torch's NotImplementedError is a RuntimeError)."""
    t_type = type(t_err)
    for base in (TypeError, IndexError, ValueError, NotImplementedError, RuntimeError):
        if isinstance(t_err, base):
            t_type = base
            break
    assert isinstance(e_err, t_type), \
        f'ember raised {type(e_err).__name__}: {e_err}\n torch raised {type(t_err).__name__}: {t_err}'


def check_grad(fn, *args, rtol=None, atol=None, seed=0, **kwargs):
    """Forward values plus the gradients of every floating input (random output grad)."""
    t_args = convert(args, 'torch')
    t_leaves = [a.detach().clone().requires_grad_(True) if isinstance(a, torch.Tensor)
                and (a.is_floating_point() or a.is_complex()) else a for a in t_args]
    e_leaves = [to_ember(a) if isinstance(a, torch.Tensor) else a for a in t_leaves]
    t_out = fn(torch, *t_leaves, **kwargs)
    e_out = fn(ember, *e_leaves, **convert(kwargs, 'ember'))
    assert_same(e_out, t_out, rtol=rtol, atol=atol)
    if not t_out.requires_grad:
        assert not e_out.requires_grad
        return
    g = torch.Generator().manual_seed(seed)
    seed_grad = torch.randn(t_out.shape, generator=g, dtype=torch.float64).to(t_out.dtype) \
        if not t_out.is_complex() else torch.randn(t_out.shape, generator=g, dtype=t_out.dtype)
    t_out.backward(seed_grad)
    e_out.backward(to_ember(seed_grad))
    for i, (tl, el) in enumerate(zip(t_leaves, e_leaves)):
        if isinstance(tl, torch.Tensor) and tl.requires_grad:
            if tl.grad is None:
                assert el.grad is None, f'grad[{i}] should be None'
            else:
                assert el.grad is not None, f'grad[{i}] is None, torch has one'
                assert_same(el.grad, tl.grad, rtol=rtol, atol=atol, path=f'grad[{i}]')


def gradchecks(fn, *inputs, second_order=True):
    """ember.autograd.gradcheck (and gradgradcheck) in float64 on ember copies of ``inputs``."""
    e_inputs = [to_ember(x.to(torch.float64) if not x.is_complex() else x, requires_grad=True)
                if isinstance(x, torch.Tensor) else x for x in inputs]
    f = lambda *xs: fn(ember, *xs)  # noqa: E731
    assert ember.autograd.gradcheck(f, tuple(e_inputs))
    if second_order:
        assert ember.autograd.gradgradcheck(f, tuple(e_inputs))


def sample(shape, dtype, *, seed=0, low=None, high=None, nonzero=False):
    """A torch tensor of ``shape``/``dtype`` with deterministic values (torch.testing.make_tensor)."""
    if isinstance(dtype, str):
        dtype = torch_dtype(dtype)
    torch.manual_seed(seed)
    if dtype is torch.uint8 and low is not None and low < 0:
        low = 0
    t = torch.testing.make_tensor(shape, dtype=dtype, device='cpu', low=low, high=high,
                                  exclude_zero=nonzero)
    return t


@contextlib.contextmanager
def default_dtype(d):
    """Set the default dtype in both libraries for the duration."""
    old_t, old_e = torch.get_default_dtype(), ember.get_default_dtype()
    torch.set_default_dtype(d)
    ember.set_default_dtype(ember_dtype(d))
    try:
        yield
    finally:
        torch.set_default_dtype(old_t)
        ember.set_default_dtype(old_e)


def dtype_id(d):
    return str(d).split('.')[-1]


param_dtypes = pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)


# -------------------------------------------------------------------- autograd-style helpers

def function_class(lib, forward, backward=None, **methods):
    """An autograd.Function subclass of library ``lib``, named MyFn, of these static methods."""
    attrs = {'forward': staticmethod(forward), **{k: staticmethod(v) for k, v in methods.items()}}
    if backward is not None:
        attrs['backward'] = staticmethod(backward)
    return type('MyFn', (lib.autograd.Function,), attrs)

# Used by tests/autograd: inputs are NumPy arrays, each library makes its own leaves.

def rand(*shape, seed=0, low=-2.0, high=2.0, dtype=np.float32):
    """Deterministic uniform values as a NumPy array (shape may be given as one tuple)."""
    if len(shape) == 1 and isinstance(shape[0], tuple):
        shape = shape[0]
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(dtype)


def make(lib, array, requires_grad=True):
    """A leaf tensor of library ``lib`` (torch or ember) holding ``array``'s values."""
    t = from_numpy_torch(np.asarray(array))
    if lib is ember:
        return to_ember(t, requires_grad=requires_grad and (t.is_floating_point() or t.is_complex()))
    return t.requires_grad_(requires_grad and (t.is_floating_point() or t.is_complex()))


def run_both(fn, *arrays, seed=None, rtol=None, atol=None, requires_grad=True):
    """fn(lib, *leaves) in both libraries, then backward (with ``seed`` as the gradient):
    outputs and every leaf's .grad must agree. Returns (torch leaves, ember leaves)."""
    results, leaves = [], []
    for lib in (torch, ember):
        xs = [make(lib, a, requires_grad) for a in arrays]
        out = fn(lib, *xs)
        if out is not None and out.requires_grad:
            out.backward(None if seed is None else make(lib, seed, requires_grad=False))
        results.append((out, [x.grad for x in xs]))
        leaves.append(xs)
    assert_same(results[1], results[0], rtol=rtol, atol=atol)
    return leaves


def raises_same(fn, *arrays, requires_grad=True, match_message=True):
    """fn(lib, *leaves) raises in torch, and ember raises the same type (and message)."""
    errors = []
    for lib in (torch, ember):
        xs = [make(lib, a, requires_grad) for a in arrays]
        with pytest.raises(Exception) as info:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                fn(lib, *xs)
        errors.append(info.value)
    assert_same_exception(errors[1], errors[0])
    if match_message:
        assert_same_message(errors[1], errors[0])


def assert_same_message(e_err, t_err):
    """ember's error message has torch's first line (torch's without the C++ backtrace that
    a c10 error quoted in it carries: ember's quotes the error alone)."""
    t_msg, e_msg = str(t_err).strip(), str(e_err).strip()
    if '\nException raised from ' in t_msg:
        t_msg = t_msg.split('\nException raised from ')[0] + '"'
    t_first, e_first = t_msg.splitlines()[0] if t_msg else '', e_msg.splitlines()[0] if e_msg else ''
    assert e_first == t_first, f'messages differ:\n torch: {t_msg}\n ember: {e_msg}'


# ember has no accelerator yet and answers as torch's CPU-only build: tests of that compare
# with such a torch (CI's), and skip with a torch built for CUDA or ROCm, which answers otherwise
cpu_only_torch = pytest.mark.skipif(
    torch.version.cuda is not None or torch.version.hip is not None,
    reason="compares with torch's CPU-only build; this torch is built for an accelerator")


@pytest.fixture
def warn_always():
    """Both libraries repeating their once-warnings (set_warn_always), for the test: torch's
    TORCH_WARN_ONCE warnings can then be compared call by call."""
    for T in (torch, ember):
        T.set_warn_always(True)
    yield
    for T in (torch, ember):
        T.set_warn_always(False)
