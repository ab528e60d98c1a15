"""Creation functions against torch, values compared bit-exactly."""
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import (ALL_TORCH_DTYPES, assert_same, check, cpu_only_torch, dtype_id, outcomes,
                     raises_same, sample)


@pytest.mark.parametrize('data', [1, 2.5, True, 1 + 2j, [1, 2], [1.0, 2], [True, False],
                                  [[1, 2], [3, 4]], [], [[]], [1, 2.5, True], [1, 1j],
                                  (1, 2), [(1, 2), (3, 4)], np.float64(2.5),
                                  np.int32(3), [np.float32(1.5)], np.float32(1.5), np.bool_(True),
                                  [np.int16(3), 2.5], [np.float64(1.5), 2], [np.bool_(True), 2],
                                  [[], [1]], [[[]]], (), [1.5, float('nan')], [300], [-1.5],
                                  2 ** 63, [1, 2 ** 70], -2 ** 63, 1e300, [np.complex128(1j)]],
                         ids=str)
def test_tensor_from_python(data):
    check(lambda T: T.tensor(data), exact=True)
    for d in (torch.float64, torch.int32, torch.bool, torch.complex64, torch.float16, torch.uint8):
        check(lambda T, dt: T.tensor(data, dtype=dt), d, exact=True)


@pytest.mark.parametrize('np_dtype', ['float64', 'float32', 'float16', 'int64', 'int32', 'int16',
                                      'int8', 'uint8', 'bool', 'complex64', 'complex128'])
def test_tensor_from_numpy_keeps_dtype(np_dtype):
    a = np.arange(6).reshape(2, 3).astype(np_dtype)
    check(lambda T: T.tensor(a), exact=True)
    check(lambda T: T.as_tensor(a), exact=True)
    check(lambda T: T.from_numpy(a), exact=True)


@pytest.mark.parametrize('call', [
    'T.from_numpy()', 'T.from_numpy(a, a)', 'T.from_numpy(ndarray=a)', 'T.from_numpy(a, b=1)',
    'T.from_numpy(1)'])
def test_from_numpy_arguments(call):
    """from_numpy is a builtin taking one positional argument: torch's TypeErrors."""
    check(lambda T: eval(call, {'T': T, 'a': np.ones(2)}), match_message=True)


def test_tensor_errors():
    check(lambda T: T.tensor([[1, 2], [3]]))
    check(lambda T: T.tensor('a'))
    check(lambda T: T.tensor([1, 'a']))
    check(lambda T: T.from_numpy([1, 2]))
    check(lambda T: T.from_numpy(np.array(['a'])))
    check(lambda T: T.tensor([1.0], dtype=T.int64, requires_grad=True))
    check(lambda T: T.tensor([[1], []]))
    for bad in (np.arange(3.0)[::-1], np.arange(3, dtype='>f4'), np.arange(3, dtype=np.longdouble)):
        for fn in ('tensor', 'as_tensor', 'from_numpy'):
            check(lambda T: getattr(T, fn)(bad))


def test_non_writeable_array_warns(warn_always):
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match='not writable'):
        t = ember.from_numpy(a)
    check(lambda T: T.as_tensor(a), exact=True)
    assert t[1].item() == 1.0
    for write in (lambda: t.add_(1), lambda: t.__setitem__(0, 5.), lambda: t.zero_()):
        with pytest.raises(RuntimeError, match='read-only NumPy array'):   # torch writes it
            write()
    assert a.tolist() == [0.0, 1.0, 2.0]


def test_tensor_of_tensor_warns():
    for lib in (torch, ember):
        src = lib.tensor([1.0, 2.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            t = lib.tensor(src)
        assert caught and caught[0].category is UserWarning
        assert 'sourceTensor.detach().clone()' in str(caught[0].message)
        assert not t.requires_grad and t.dtype == src.dtype
    check(lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)]))
    check(lambda T: T.tensor([T.tensor([1, 2]), T.tensor([3, 4])]))


def test_sharing():
    for lib in (torch, ember):
        a = np.zeros(3, dtype=np.float32)
        t, s, c = lib.from_numpy(a), lib.as_tensor(a), lib.tensor(a)
        a[0] = 5
        assert t[0].item() == 5 and s[0].item() == 5 and c[0].item() == 0
        assert lib.as_tensor(t) is t
        assert lib.as_tensor(a, dtype=lib.float64)[0].item() == 5


@pytest.mark.parametrize('call', [
    *(pytest.param(call, marks=cpu_only_torch) for call in (
        'T.as_tensor(x, device="cuda")', 'T.as_tensor(x, device="cuda", dtype=T.float64)')),
    'T.as_tensor(x, device="cpu", dtype=T.float64)', 'T.as_tensor(x, device="cpu") is x'])
def test_as_tensor_of_a_tensor_moves_it(call):
    """as_tensor of a tensor for another device moves it (torch's CPU-only build refuses cuda)."""
    check(lambda T: eval(call, {'T': T, 'x': T.zeros(2)}), exact=True, match_message=True)


SIZES = [(2, 3), ([2, 3],), ((2, 3),), (0,), ((),), (4,)]


@pytest.mark.parametrize('fn', ['zeros', 'ones', 'empty'])
@pytest.mark.parametrize('size', SIZES, ids=str)
def test_filled(fn, size):
    # empty's memory is uninitialised in torch (NaN or negative garbage breaks `* 0`): zero it
    check(lambda T: getattr(T, fn)(*size).zero_() if fn == 'empty' else getattr(T, fn)(*size),
          exact=True)
    for d in ALL_TORCH_DTYPES:
        check(lambda T, dt: getattr(T, fn)(*size, dtype=dt).shape, d)
        check(lambda T, dt: getattr(T, fn)(*size, dtype=dt).dtype, d)
    check(lambda T: getattr(T, fn)(*size, requires_grad=True).requires_grad)
    check(lambda T: getattr(T, fn)(*size, device='cpu').device)
    check(lambda T: getattr(T, fn)(*size, dtype=T.int64, requires_grad=True))


@pytest.mark.parametrize('value', [1, 2.5, True, 1j, -3, 300, 1e300, -1])
def test_full(value):
    check(lambda T: T.full((2, 3), value), exact=True)
    check(lambda T: T.full((2,), T.tensor(value)), exact=True)
    for d in ALL_TORCH_DTYPES:
        check(lambda T, dt: T.full([2], value, dtype=dt), d, exact=True)


@pytest.mark.parametrize('fn, args', [('zeros', (-1,)), ('zeros', (2, -3)), ('ones', (-1,)),
                                      ('empty', (-1,)), ('full', ((-1,), 1)), ('zeros', (2.5,)),
                                      ('zeros', ((2, 2.0),)), ('full', (2, 3)), ('eye', (-1,)),
                                      ('eye', (3, -1))], ids=str)
def test_factory_errors(fn, args):
    check(lambda T: getattr(T, fn)(*args))


@pytest.mark.parametrize('call', [
    lambda T, x: x.new_tensor([1, 2]), lambda T, x: x.new_tensor(np.float64(1.5)),
    lambda T, x: x.new_tensor(np.array([1, 2], dtype=np.int32)), lambda T, x: x.new_zeros(2, 3),
    lambda T, x: x.new_zeros((2, 3)), lambda T, x: x.new_ones((2,), dtype=T.int8),
    lambda T, x: x.new_full((2,), 2.5), lambda T, x: x.new_full((2,), 1j),
    lambda T, x: x.new_full(2, 3), lambda T, x: x.new_empty(2).zero_(), lambda T, x: x.new_empty(-1),
    lambda T, x: x.new_tensor([1.0, 2.0], requires_grad=True).requires_grad,
    lambda T, x: x.new_zeros(2).requires_grad])
@pytest.mark.parametrize('dtype', [torch.float16, torch.int32, torch.float64], ids=dtype_id)
def test_new_methods(call, dtype):
    check(call, torch.zeros(2, dtype=dtype, requires_grad=dtype.is_floating_point), exact=True)


@pytest.mark.parametrize('call', [
    lambda T, o: T.zeros(2, out=o), lambda T, o: T.ones(2, 3, out=o), lambda T, o: T.full((2,), 1.5, out=o),
    lambda T, o: T.arange(4, out=o), lambda T, o: T.arange(0, 1, 0.25, out=o),
    lambda T, o: T.linspace(0, 1, 3, out=o), lambda T, o: T.eye(3, out=o),
    lambda T, o: T.zeros(2, out=o, dtype=T.float32), lambda T, o: T.full((2,), 1.5, out=o, dtype=T.int32)])
@pytest.mark.parametrize('dtype', [torch.int32, torch.float64], ids=dtype_id)
def test_out(call, dtype):
    out = torch.zeros(3, dtype=dtype)
    check(lambda T, o: (call(T, o), o), out, exact=True)
    check(lambda T, o: call(T, o), out.requires_grad_(dtype.is_floating_point))


@pytest.mark.parametrize('fn', ['zeros_like', 'ones_like', 'empty_like'])
@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_like(fn, dtype):
    x = sample((2, 3), dtype)
    check(lambda T, a: (getattr(T, fn)(a) * (0 if fn == 'empty_like' else 1)).dtype, x)
    if fn != 'empty_like':
        check(lambda T, a: getattr(T, fn)(a), x, exact=True)
        check(lambda T, a: getattr(T, fn)(a, dtype=T.float64), x, exact=True)
    check(lambda T, a: T.full_like(a, 7), x, exact=True)
    check(lambda T, a: T.full_like(a, 2.5, dtype=T.float32), x, exact=True)
    check(lambda T, a: getattr(T, fn)(a.float(), requires_grad=True).requires_grad, x)


ARANGES = [(5,), (2, 9), (1, 10, 3), (0, 1, 0.1), (-1, 1, 0.3), (1.5,),
           (10, 0, -1.5), (0, 1, 1 / 3), (0.1, 2.7, 0.2), (5, 5),
           (0, 10 ** 6, 7)]


@pytest.mark.parametrize('args', ARANGES, ids=str)
def test_arange(args):
    check(lambda T: T.arange(*args), exact=True)
    for d in (torch.float64, torch.float16, torch.int32, torch.bfloat16):
        check(lambda T, dt: T.arange(*args, dtype=dt), d, exact=True)
    with_default = lambda T: T.arange(*args, dtype=T.float64)  # noqa: E731
    check(with_default, exact=True)


def test_arange_errors():
    check(lambda T: T.arange(0, 10, 0))
    check(lambda T: T.arange(10, 0, 1))
    check(lambda T: T.arange(T.tensor(3)))


@pytest.mark.parametrize('call', [
    'T.arange(end=5)', 'T.arange(start=1)', 'T.arange(step=2)', 'T.arange(5, step=2)',
    'T.arange(1, 5, step=2)', 'T.arange(start=1, end=5)', 'T.arange(0, end=5)',
    'T.arange(start=0, end=5, step=2)', 'T.arange()', 'T.arange(1, 2, 3, 4)',
    'T.arange(end=5, dtype=T.float64)', 'T.arange(foo=3)', 'T.arange(5, start=1)',
    'T.arange(5, end=6)', 'T.arange(dtype=T.float64)', 'T.arange(end="5")'])
def test_arange_overloads(call):
    """arange(end) and arange(start, end, step=1), by position or keyword, as torch's parser
    matches them (a lone step is no overload's)."""
    check(lambda T: eval(call), exact=True, match_message=True)


@pytest.mark.parametrize('args', [
    (np.longdouble(2.5),), (np.longdouble(0.5), 3), (np.bool_(True),), (True,), (np.float32(2.5),),
    (np.int8(3),), (np.uint8(2), 5.0), (np.complex128(3),), (0, np.int16(5), np.float16(1.5)),
    ('5',), (np.str_('5'),), (np.array(5),), (1, np.array(5)), (b'5',), (None,)], ids=repr)
def test_arange_numbers(args):
    """Bounds are read as torch's parser reads a Number: NumPy's non-integer scalars (bools
    too) as floats, no strings or arrays."""
    check(lambda T: T.arange(*args), exact=True, match_message=len(args) == 1)
    check(lambda T: T.arange(*args, dtype=T.int32), exact=True)


@pytest.mark.parametrize('call', [
    'T.arange(T.tensor(5., requires_grad=True))', 'T.arange(0, T.tensor(5., requires_grad=True))',
    'T.arange(T.tensor(5.))', 'T.full((2,), T.tensor(2.5, requires_grad=True))',
    'T.full_like(T.zeros(2), T.tensor(2.5, requires_grad=True))',
    'T.zeros(2).new_full((2,), T.tensor(2.5, requires_grad=True))',
    'T.full((2,), T.tensor(2.5))', 'T.full((2,), np.longdouble(2.5))'])
def test_numbers_requiring_grad(call):
    """A tensor that requires grad is no Number to torch's parser."""
    check(lambda T: eval(call), exact=True, match_message=True)


LINSPACES = [(0, 1, 5), (-1, 1, 7), (0, 10, 1), (0, 1, 0), (1, 0, 4),
             (0.1, 0.9, 9), (-5, 3, 100), (0, 1, 2), (3, 3, 4)]


@pytest.mark.parametrize('args', LINSPACES, ids=str)
def test_linspace_logspace(args):
    for d in (None, torch.float64, torch.float16, torch.int64, torch.bfloat16, torch.complex64):
        check(lambda T, dt: T.linspace(*args, dtype=dt), d, exact=True)
        check(lambda T, dt: T.logspace(*args, dtype=dt), d, rtol=1e-6 if d is None else None,
              atol=0 if d is None else None)
    check(lambda T: T.logspace(*args, base=2), exact=True)
    check(lambda T: T.linspace(*args, requires_grad=True).requires_grad)


def test_linspace_errors():
    check(lambda T: T.linspace(0, 1, -1))


@pytest.mark.parametrize('call', [
    'T.linspace(0, 1, T.tensor(3))', 'T.linspace(0, 1, np.int64(3))', 'T.linspace(0, 1, 2.0)',
    'T.linspace(0, 1, True)', 'T.linspace(0, 1, "3")', 'T.linspace(0, 1, T.tensor(3.))',
    'T.linspace(0, 1, T.tensor([3]))', 'T.linspace(0, 1)', 'T.linspace(0, 1, None)',
    'T.linspace(np.bool_(True), 3, 3)', 'T.linspace(np.array(1.), 3, 3)',
    'T.linspace("1", 3, 3)', 'T.linspace(None, 3, 3)', 'T.linspace(T.tensor(0.), T.tensor(1.), 3)',
    'T.linspace(T.tensor([0., 1.]), 1, 3)', 'T.linspace(0, T.tensor([0., 1.]), 3)',
    'T.linspace(T.tensor([0., 1.]), T.tensor([[1.]]), 3)', 'T.logspace(T.tensor([0., 1.]), 1, 3)',
    'T.logspace(0, 1, T.tensor(3))', 'T.logspace(0, 1, 3, base=T.tensor(2.))',
    'T.logspace(0, 1, 3, base=2j)', 'T.logspace(0, 1, 3, base="2")', 'T.logspace(0, 1, 3.0)',
    'T.logspace(0, 1, 3, base=True)', 'T.logspace(0, 1, 3, base=np.float32(2))',
    'T.logspace(0, 3, 4, base=1j, dtype=T.int64)', 'T.linspace(0, 1, 2.5, out=T.empty(2))',
    'T.linspace(0, 1, 2.5, requires_grad=True)', 'T.logspace(0, 1, "3", base=2, device="cpu")',
    'T.linspace(0, 1, None, dtype=T.float64)', 'T.logspace(0, 1, 2.5, pin_memory=True)'])
def test_space_arguments(call):
    """linspace/logspace take Tensor or Number bounds (0-dimensional tensors only), an int steps
    and a float base, as torch's parser reads them; its errors name the keywords given."""
    check(lambda T: eval(call), exact=True, match_message=True)


@pytest.mark.parametrize('name', ['linspace', 'logspace'])
@pytest.mark.parametrize('args', [(0, 1, 0), (0, 1, 1), (1, 1, 1), (-1, 1, 1), (0, 1, 2)], ids=str)
def test_space_bool(name, args):
    """A bool range of at most one element runs no kernel: torch makes it."""
    check(lambda T: getattr(T, name)(*args, dtype=T.bool), exact=True, match_message=True)


@pytest.mark.parametrize('call', [
    'T.zeros(size=None)', 'T.ones(size=None)', 'T.empty(size=None)', 'T.ones(1).new_zeros(size=None)',
    'T.ones(1).new_ones(size=None)', 'T.ones(1).new_empty(size=None)',
    'T.arange(0, 1, float("nan"))', 'T.arange(0, 1, float("nan"), dtype=T.int64)',
    'T.arange(2**63, dtype=T.int32)', 'T.arange(2**63, dtype=T.float32)',
    'T.arange(2**63, out=T.empty(0, dtype=T.int32))', 'T.arange(2**63, out=T.empty(3))'])
def test_factory_argument_errors(call):
    """size=None is torch's type error; a NaN step is no nonzero step; a count of 2**63 passes
    ATen's size check and becomes INT64_MIN (after arange's out= warning)."""
    check(warned(call), match_message=True)


@pytest.mark.parametrize('call', [
    'T.full((1,), 1e5, dtype=T.float16)', 'T.full((), -1e40, dtype=T.bfloat16)',
    'T.full((1, 1), 2**63, dtype=T.float16)', 'T.full((2,), 1e5, dtype=T.float16)',
    'T.full((0,), 1e5, dtype=T.float16)', 'T.full((1,), 1e5j, dtype=T.float16)',
    'T.full((1,), 1e40, dtype=T.float32)', 'T.full((1,), 100000., dtype=T.bfloat16)',
    'T.full_like(T.zeros(1, dtype=T.float16), 1e5)', 'T.zeros(1, dtype=T.bfloat16).new_full((1,), 1e40)',
    'T.full((1,), 1e5, out=T.empty(3, dtype=T.float16))',
    'T.linspace(1e5, 1, 1, dtype=T.float16)', 'T.linspace(1e5, 1, 0, dtype=T.float16)',
    'T.linspace(300, 1, 0, dtype=T.int8)', 'T.linspace(300, 1, 1, dtype=T.int8)',
    'T.linspace(1, 300, 1, dtype=T.int8)', 'T.logspace(40, 1, 0, dtype=T.float16)',
    'T.logspace(400, 1, 0, dtype=T.int8)', 'T.logspace(5, 1, 1, dtype=T.float16)',
    'T.logspace(400, 1, 1)', 'T.logspace(400, 1, 1, dtype=T.float64)', 'T.logspace(400, 1, 1, dtype=T.int8)',
    'T.logspace(400, 1, 1, dtype=T.bool)', 'T.logspace(0.5, 1, 1, base=-2, dtype=T.float64)',
    'T.logspace(40, 1, 1, dtype=T.float32)', 'T.logspace(5, 1, 1, base=-2, dtype=T.complex64)',
    'T.logspace(0.5, 1, 1, base=-2, dtype=T.complex128)', 'T.logspace(400, 1, 1, dtype=T.complex64)',
    'T.logspace(-400, 1, 1, dtype=T.complex128)', 'T.logspace(0, 1, 1, base=0, dtype=T.complex64)',
    'T.logspace(0, 1, 1, base=float("inf"), dtype=T.complex64)',
    'T.logspace(-1, 1, 1, base=-2, dtype=T.complex128)', 'T.logspace(2, 1, 1, base=2.5, dtype=T.complex64)'])
def test_one_element_fills(call):
    """ATen fills a one-element float16/bfloat16 tensor with its value unchecked (through double
    and float); linspace and logspace of one element are such fills (of start, and of
    libstdc++'s std::pow(base, start)), and of no element convert no bound."""
    check(lambda T: eval(call), exact=True, match_message=True)


@pytest.mark.parametrize('call', [
    'T.tensor([1e40])', 'T.tensor([2**64], dtype=T.float16)', 'T.tensor([1e40, 1j])',
    'T.tensor(np.array([1e40]), dtype=T.float32)', 'T.ones(2).new_tensor([1e40])',
    'T.as_tensor([1e40], dtype=T.bfloat16)', 'T.arange(0, 1e39, 1e38, dtype=T.float16)',
    'T.linspace(-65504, 65504, 3, dtype=T.float16)', 'T.linspace(0, float("inf"), 3, dtype=T.float16)',
    'T.logspace(0, 300, 3, dtype=T.float32)', 'T.logspace(0, float("inf"), 3)',
    'T.logspace(-200, 200, 5, dtype=T.bfloat16)'])
@pytest.mark.parametrize('strict', ['warnings', 'numpy'])
def test_float_errors_made_errors(call, strict):
    """Overflow to inf and NaN are silent in torch's casts and ranges, also where the program
    made NumPy's float warnings errors (or NumPy raise them)."""
    expected = eval(call, {'T': torch, 'np': np})
    with warnings.catch_warnings(), np.errstate(all='raise' if strict == 'numpy' else 'warn'):
        if strict == 'warnings':
            warnings.simplefilter('error')
        got = eval(call, {'T': ember, 'np': np})
    assert_same(got, expected, exact=True)


@pytest.mark.parametrize('args', [(3,), (2, 4), (4, 2), (0,), (3, 0)], ids=str)
def test_eye(args):
    check(lambda T: T.eye(*args), exact=True)
    check(lambda T: T.eye(*args, dtype=T.int64), exact=True)
    check(lambda T: T.eye(*args, dtype=T.bool), exact=True)


def test_eye_negative():
    check(lambda T: T.eye(-1))


@pytest.mark.parametrize('expression', [
    lambda L: L.tensor([1], requires_grad=True),
    lambda L: L.ones(2, dtype=L.int64, requires_grad=True),
    lambda L: L.arange(3, requires_grad=True), lambda L: L.randint(3, (2,), requires_grad=True),
    lambda L: L.randperm(3, requires_grad=True), lambda L: L.tensor([True], requires_grad=True),
    lambda L: L.zeros_like(L.ones(2, dtype=L.int64), requires_grad=True),
    lambda L: L.ones(2, dtype=L.int64).requires_grad_(),
    lambda L: setattr(L.ones(2, dtype=L.int64), 'requires_grad', True)])
def test_only_float_and_complex_tensors_require_grad(expression):
    """torch words this error three ways: factories, the requires_grad setter, requires_grad_()."""
    raises_same(expression)


@pytest.mark.parametrize('data', [
    lambda L: [L.tensor([1., 2.]), L.tensor([3., 4.])], lambda L: [L.tensor([1, 2])],
    lambda L: [L.tensor([1])], lambda L: [L.tensor([[1.]])], lambda L: [1.5, L.tensor([1, 2])],
    lambda L: [L.tensor(1.), L.tensor([2.])], lambda L: [L.tensor([1 + 1j, 2])],
    lambda L: [1, None], lambda L: None, lambda L: [1, 'a'], lambda L: [object()]])
@pytest.mark.parametrize('dtype', [None, 'float64', 'int32', 'bool', 'complex64'])
def test_tensor_of_tensors_and_odd_leaves(data, dtype):
    """torch reads a tensor leaf of one or more dims as a number of the target's kind
    (__index__ or __float__, with their errors; one element of any shape is fine) and names
    leaves it can't read: 'Could not infer dtype of NoneType', 'must be real number'..."""
    def make(lib):
        return lib.tensor(data(lib), dtype=getattr(lib, dtype) if dtype else None)
    check(make, exact=True, match_message=True)


@pytest.mark.parametrize('make', [
    lambda L, d: L.zeros(2, dtype=d), lambda L, d: L.ones_like(L.ones(2), dtype=d),
    lambda L, d: L.tensor([1.5, 2], dtype=d), lambda L, d: L.full((2,), 1, dtype=d),
    lambda L, d: L.arange(3, dtype=d), lambda L, d: L.eye(2, dtype=d),
    lambda L, d: L.ones(2).to(d), lambda L, d: L.ones(2).to(dtype=d),
    lambda L, d: L.randperm(3, dtype=d)])
@pytest.mark.parametrize('dtype', [float, int, bool, complex, 'float32', object])
def test_dtype_arguments(make, dtype):
    """dtype= takes torch dtypes and Python's number types (float is float64, int int64...);
    anything else is torch's TypeError, not an AttributeError from inside."""
    def made(lib):
        lib.manual_seed(0)
        return make(lib, dtype)
    check(made, exact=True)


def test_layout():
    check(lambda L: (repr(L.strided), repr(L.ones(2).layout), L.zeros(2, layout=L.strided)))


@pytest.mark.parametrize('make', [
    lambda T: range(3), lambda T: (range(2), range(2)), lambda T: [range(2), [3, 4]],
    lambda T: T.Size([2, 3]), lambda T: [T.Size([2, 3]), T.Size([4, 5])],
    lambda T: __import__('collections').deque([1, 2.5]),
    lambda T: [__import__('collections').namedtuple('P', 'x y')(1, 2)]], ids=range(7))
def test_tensor_from_other_sequences(make):
    """Any sequence is nested data to torch.tensor: ranges, torch.Size, deques, namedtuples."""
    for dtype in (None, torch.float16, torch.int32, torch.bool, torch.complex64):
        check(lambda T, d: T.tensor(make(T), dtype=d), dtype, exact=True)


@pytest.mark.parametrize('data', [[[1, 2], 3], [1, [2, 3]], [[[1], [2, 3]], [4]],
                                  [[1, 2], [3, [4]]], 'abc', ['a'], b'ab', np.str_('a'),
                                  [[1], [2, 3]]], ids=str)
def test_tensor_nesting_errors(data):
    """torch's errors for data that does not nest evenly, in its depth-first order."""
    for dtype in (None, torch.int64, torch.float32, torch.bool):
        check(lambda T, d: T.tensor(data, dtype=d), dtype, match_message=True)


@pytest.mark.parametrize('leaves', [
    lambda T: [T.tensor(1), T.tensor(2.5)], lambda T: [T.tensor(1j), 2],
    lambda T: [T.tensor(1 + 0j)], lambda T: [T.tensor(1.5, requires_grad=True)],
    lambda T: [T.tensor(True), T.tensor(3, dtype=T.int8)]], ids=range(5))
def test_tensor_of_tensor_leaves(leaves):
    """Tensor leaves are read as Python numbers of the target's kind (__index__ for integers)."""
    for dtype in (None, torch.int64, torch.bool, torch.uint8, torch.float32, torch.complex64):
        check(lambda T, d: T.tensor(leaves(T), dtype=d), dtype, exact=True, match_message=True)


@pytest.mark.parametrize('data', [
    lambda T: [[1, 2], T.tensor([3, 4])], lambda T: [[1.5, 2], T.tensor([3, 4])],
    lambda T: [[1, 2], T.tensor([3.5, 4])], lambda T: [[True, False], T.tensor([3, 4], dtype=T.int8)],
    lambda T: [[[1, 2]], T.tensor([[3, 4]])], lambda T: [[1, 2], T.tensor([3, 4 + 1j])],
    lambda T: [[1., 2], T.tensor([3., 4], requires_grad=True)], lambda T: [[1, 2], T.tensor([3, 4, 5])],
    lambda T: [[1, 2], T.tensor(3)], lambda T: [[1, 2], T.tensor([[3, 4]])],
    lambda T: [[1, 2], T.tensor([[3], [4]])], lambda T: [[[1, 2], [3, 4]], T.tensor([[5, 6], [7, 8]]).t()],
    lambda T: [[1, 2], T.tensor([1, 2]).expand(2, 2)[0]], lambda T: [[1, 2], [T.tensor([1, 2])]],
    lambda T: [[T.tensor([1, 2]), 2], [3]], lambda T: [[], [T.tensor([1, 2])]],
    lambda T: [[], T.tensor([1.5])], lambda T: [T.tensor([1, 2]), [3, 4]],
    lambda T: [[1, 2], np.array([3, 4], dtype='>i4')], lambda T: [[], [None]]], ids=range(20))
@pytest.mark.parametrize('dtype', [None, 'int64', 'float32', 'bool', 'complex64', 'uint8', 'float16'])
def test_tensor_iterates_tensors_where_it_expects_sequences(data, dtype):
    """A tensor above the innermost level of nested data is a sequence to torch.tensor (its 0-d
    tensors, read without grad, so without the requires_grad warning), its dtype inferred as a
    leaf's; errors come in torch's depth-first order, and data without elements reads no leaf."""
    def make(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = T.tensor(data(T), dtype=getattr(T, dtype) if dtype else None)
        return result, [str(w.message).split('(Triggered')[0] for w in caught]
    check(make, exact=True, match_message=True)


@pytest.mark.parametrize('view', [lambda a: np.broadcast_to(a[0], (3, 4)), lambda a: a.T,
                                  lambda a: a[:, ::2], lambda a: a.reshape(2, 3, 2).transpose(1, 0, 2)],
                         ids=['broadcast', 'T', 'sliced', 'permuted'])
def test_tensor_copies_numpy_layout(view):
    """torch.tensor(array) keeps a dense array's strides and makes other layouts contiguous."""
    array = view(np.arange(12.).reshape(3, 4))
    check(lambda T: (T.tensor(array), T.tensor(array).stride()), exact=True)


@pytest.mark.parametrize('array', [np.array(['a']), np.array([1, 2], dtype=object),
                                   np.array([1], dtype='datetime64[s]'), np.zeros(2, dtype='V2'),
                                   np.arange(3, dtype=np.ulonglong),
                                   np.float64(2.5), [1.5]], ids=str)
@pytest.mark.parametrize('dtype', [None, 'float32'])
def test_numpy_type_errors(array, dtype):
    """torch's TypeError naming the array's type, a dtype given or not (ember's list of
    supported types lacks torch's uint16/32/64, which ember does not have)."""
    for convert in ('from_numpy', 'as_tensor', 'tensor'):
        if convert != 'from_numpy' and not isinstance(array, np.ndarray):
            continue
        options = {} if convert == 'from_numpy' or dtype is None else {'dtype': torch.float32}
        with pytest.raises(TypeError) as expected:
            getattr(torch, convert)(array, **options)
        options = {key: ember.float32 for key in options}
        with pytest.raises(TypeError) as got:
            getattr(ember, convert)(array, **options)
        assert str(got.value).split('. The only')[0] == str(expected.value).split('. The only')[0]


@pytest.mark.parametrize('array', [
    lambda: np.arange(3, dtype=np.uint16), lambda: np.arange(3, dtype=np.uint32) * 70000,
    lambda: np.arange(3, dtype=np.uint64) * 2 ** 40, lambda: np.arange(6, dtype=np.uint16)[::2],
    lambda: np.arange(3, dtype='>f8')[::-1], lambda: np.arange(3, dtype=np.uint16)[::-1],
    lambda: np.arange(3, dtype='>u2'), lambda: np.zeros(3, dtype=[('a', 'f4'), ('b', 'i1')])['a'],
    lambda: np.array([1.5, 2.], dtype=np.float32), lambda: np.array([True, False]),
    lambda: np.array([1.5, np.nan]), lambda: np.array([1.5], dtype=np.float16),
    lambda: np.array([300, -1]), lambda: np.array([[1., 2.]])], ids=range(14))
@pytest.mark.parametrize('dtype', [None, 'float32', 'int64', 'int16', 'bool', 'uint8', 'complex64',
                                   'float16'])
def test_numpy_arrays_torch_converts_with_a_dtype(array, dtype):
    """torch's uint16/32/64 arrays, which ember lacks, convert given a dtype, alone or inside a
    list; torch checks strides (a multiple of the item size, none negative) before the byte
    order, and reads an array inside a list as its NumPy scalars (no float or bool one as an
    integer)."""
    def make(T, convert):
        return convert(T, array(), getattr(T, dtype) if dtype else None)
    for convert in (lambda T, a, d: T.tensor(a, dtype=d), lambda T, a, d: T.as_tensor(a, dtype=d),
                    lambda T, a, d: T.tensor([a], dtype=d)):
        expected, got = outcomes(lambda T: make(T, convert))
        if expected[0] == 'ok' and expected[1].dtype in (torch.uint16, torch.uint32, torch.uint64) \
                or 'integer is required' in str(expected[1]):   # (uint64 scalars, in a list)
            assert got[0] == 'raise' and 'uint' in str(got[1])
        else:
            check(lambda T: make(T, convert), exact=True, match_message=True)


@pytest.mark.parametrize('args', [(), (True,), (2.5,), ((2.0, 3),), ((2, 3.0),), (2, 2.5, 3),
                                  ([2], 3), ((2,), (3,)), (None,), ('a',), ((2, True),),
                                  (np.int64(2), 3), (np.float64(2),), ((True,),)], ids=str)
@pytest.mark.parametrize('name', ['zeros', 'ones', 'empty'])
def test_size_argument_forms(name, args):
    """The size forms torch's parser takes, and its errors for the others."""
    def made(T):
        converted = [T.tensor(2) if a == 'tensor' else a for a in args]
        return getattr(T, name)(*converted).shape
    check(made, match_message=True)
    check(lambda T: getattr(T.ones(1, dtype=T.int8), 'new_' + name)(*args).shape,
          match_message=True)


def test_size_argument_tensors_and_keyword():
    check(lambda T: T.zeros(T.tensor(2), 3), exact=True)
    check(lambda T: T.zeros(T.tensor(2.)), match_message=True)
    check(lambda T: T.ones(T.tensor([2, 3])), match_message=True)
    check(lambda T: T.zeros((T.tensor(2.),)), match_message=True)
    check(lambda T: T.zeros(size=(2, 3)), exact=True)
    check(lambda T: T.ones(size=[2], dtype=T.int8), exact=True)
    check(lambda T: T.empty(size=2).shape, match_message=True)
    check(lambda T: T.empty(size=(2.5,)).shape, match_message=True)
    check(lambda T: T.zeros(2, size=(3,)), match_message=True)
    check(lambda T: T.ones(1).new_zeros(size=(2,)), exact=True)
    check(lambda T: T.ones(1).new_full(size=[2], fill_value=3), exact=True)
    check(lambda T: T.full(2, 1.5), match_message=True)
    check(lambda T: T.full([(2,)], 1.5), match_message=True)


@pytest.mark.parametrize('fill', [np.float64(1.5), np.float32(1.5), np.bool_(True), np.int8(3),
                                  np.uint8(3), np.complex128(1j)], ids=repr)
def test_full_numpy_fill_values(fill):
    """NumPy scalars are Python numbers to torch's parser: ints are int64, bools floats."""
    check(lambda T: T.full((2,), fill), exact=True)
    check(lambda T: T.full((2,), T.tensor(fill)), exact=True)


@pytest.mark.parametrize('fill', [1e10, -1e300, 70000, 1 + 1j, 'tensor'], ids=str)
@pytest.mark.parametrize('size', [(), (1,), (1, 1), (0,), (2,)], ids=str)
@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16], ids=str)
def test_full_of_one_reduced_float_element(fill, size, dtype):
    """full (torch's empty, then fill_) of one float16/bfloat16 element: torch's CPU fill
    converts the number through a double, unchecked (1e10 is inf)."""
    def value(T):
        return T.tensor(1e10) if fill == 'tensor' else fill
    check(lambda T, d: T.full(size, value(T), dtype=d), dtype, exact=True, match_message=True)
    check(lambda T, d: T.full(size, value(T), dtype=d, out=T.zeros(3, dtype=d)), dtype,
          exact=True, match_message=True)
    check(lambda T, d: T.zeros(2, dtype=d).new_full(size, value(T)), dtype, exact=True,
          match_message=True)
    check(lambda T, d: T.full_like(T.zeros(size, dtype=d), value(T)), dtype, exact=True,
          match_message=True)


@pytest.mark.parametrize('fill', ['a', None, 'vector', 'array', 2 ** 64, -2 ** 63 - 1, 1e40],
                         ids=str)
@pytest.mark.parametrize('dtype', [None, torch.bool, torch.int64, torch.float32, torch.complex64],
                         ids=str)
def test_full_fill_value_errors(fill, dtype):
    def value(T):
        return {'vector': T.tensor([1., 2.]), 'array': np.array(2.)}.get(fill, fill) \
            if isinstance(fill, str) else fill
    check(lambda T, d: T.full((2,), value(T), dtype=d), dtype, exact=True, match_message=True)
    if dtype is not None:
        check(lambda T, d: T.zeros(2, dtype=d).new_full((2,), value(T)), dtype, exact=True,
              match_message=True)
        check(lambda T, d: T.full_like(T.zeros(2, dtype=d), value(T)), dtype, exact=True,
              match_message=True)


@pytest.mark.parametrize('call', [
    'T.zeros(2**63)', 'T.zeros(2**64)', 'T.zeros(-2**63 - 1)', 'T.zeros((2**63,))', 'T.ones(2**63)',
    'T.empty(1, 2**63)', 'T.full((2**63,), 1.)', 'T.ones(2).new_zeros(2**63)',
    'T.zeros((2**40, 2**40))', 'T.ones((2**40, 2**40))', 'T.empty((2**40, 2**40))',
    'T.full((2**40, 2**40), 1.)', 'T.zeros((2**62, 4))', 'T.zeros((2**60, 2))',
    'T.ones(2**40, 2**40, 0)', 'T.ones(2).new_ones((2**40, 2**40))', 'T.zeros(2**40, 0).shape',
    'T.zeros((2**31, 2**31), dtype=T.bool)', 'T.zeros(2**40)', 'T.linspace(0, 1, 2**40)',
    'T.logspace(0, 1, 2**40)', 'T.arange(2**40)', 'T.arange(2**62)',
    'T.zeros(np.array([2, 3]))', 'T.zeros(np.array(3))', 'T.ones(np.array([2]), 3)'])
def test_sizes_numpy_cannot_allocate(call):
    """Sizes beyond int64 are the parser's TypeError, storage sizes beyond int64 c10's
    RuntimeError, and the rest the CPU allocator's RuntimeError (not NumPy's errors)."""
    check(lambda T: eval(call), match_message=True)


def warned(code):
    """A check function: the warnings (messages) and the result of ``code`` (T the library)."""
    return warned_run(lambda T: eval(code))


@pytest.mark.parametrize('call', [
    'T.zeros(3, out=T.empty(2))', 'T.ones(3, out=T.empty(2))', 'T.full((3,), 1., out=T.empty(2))',
    'T.empty(3, out=T.empty(2)).shape', 'T.eye(3, out=T.empty(2))',
    'T.linspace(0, 1, 3, out=T.empty(2))', 'T.logspace(0, 1, 3, out=T.empty(2))',
    'T.rand(3, out=T.empty(2)).shape', 'T.randn(3, out=T.empty(2)).shape',
    'T.randint(5, (3,), out=T.empty(2, dtype=T.int64)).shape',
    'T.randperm(3, out=T.empty(2, dtype=T.int64)).shape',
    'T.normal(0., 1., (3,), out=T.empty(2)).shape', 'T.arange(3, out=T.empty(2, dtype=T.int64))',
    'T.zeros(3, out=T.empty(3), requires_grad=True).requires_grad',
    'T.zeros(3, out=T.empty(2), requires_grad=True).requires_grad',
    'T.arange(3., out=T.empty(3), requires_grad=True).requires_grad',
    'T.ones(3, out=T.empty(3), requires_grad=True).is_leaf',
    'T.rand(3, out=T.empty(3), requires_grad=True).requires_grad',
    'T.randn(3, out=T.empty(2), requires_grad=True).requires_grad',
    'T.zeros(3, out=T.empty(3, dtype=T.int64), requires_grad=True)'])
def test_factory_out(call):
    """Factories resize out= themselves, without the resize warning (arange warns its own),
    and make it require grad when asked."""
    check(warned(call), exact=True, match_message=True)


@pytest.mark.parametrize('out', ['T.empty(3, 1).t()', 'T.empty(1, 1, 1)', 'T.empty(0, 2)',
                                 'T.empty(2, 2)', 'T.empty(1, 3, dtype=T.int64)'])
@pytest.mark.parametrize('call', ['T.arange(3, out=o)', 'T.arange(1, out=o)', 'T.arange(4., out=o)',
                                  'T.linspace(0, 1, 3, out=o)', 'T.linspace(0, 1, 0, out=o)',
                                  'T.logspace(0, 1, 1, out=o)', 'T.logspace(0, 1, 3, out=o)'])
def test_range_out_keeps_its_shape(out, call):
    """arange/linspace/logspace resize an out= only when its number of elements differs: one
    of as many elements keeps its shape and strides."""
    def run(T):
        o = eval(out)
        return eval(call), o, o.stride()
    check(warned_run(run), exact=True, match_message=True)


def warned_run(function):
    """``function`` as a check function returning its warnings' messages too."""
    def run(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = function(T)
        return [str(w.message) for w in caught], result
    return run


@pytest.mark.parametrize('call', [
    'T.zeros(3, out=o)', 'T.ones(2, out=o)', 'T.full((3,), 2., out=o)', 'T.arange(3., out=o)',
    'T.linspace(0, 1, 3, out=o)', 'T.logspace(0, 1, 3, out=o)', 'T.eye(3, out=o)',
    'T.empty(3, out=o)', 'T.rand(3, out=o)', 'T.randn(3, out=o)', 'T.randint(5, (3,), out=o)',
    'T.randperm(3, out=o)'])
def test_factory_out_that_requires_grad(call):
    """An out= leaf that requires grad: torch's error, named by the factory's aten op (empty
    and randn resize it first: the resize error)."""
    messages = []
    for T in (torch, ember):
        o = T.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError) as error:
            eval(call)
        messages.append(str(error.value))
    assert messages[1] == messages[0]


@pytest.mark.parametrize('name', ['zeros_like', 'ones_like', 'empty_like', 'full_like'])
def test_like_keeps_dense_strides(name):
    """*_like follows torch.preserve_format: a dense input's strides, else contiguous."""
    args = (2.5,) if name == 'full_like' else ()
    for view in (lambda t: t.T, lambda t: t.permute(2, 0, 1), lambda t: t[:, ::2],
                 lambda t: t[:, :1].expand(2, 3, 4)):
        check(lambda T: getattr(T, name)(view(T.ones(2, 4, 4)), *args).stride())
    check(lambda T: getattr(T, name)(T.ones(2, 3).T, *args, dtype=T.int8).shape)
    check(lambda T: getattr(T, name)([1, 2], *args), match_message=True)


LIKE_INPUTS = ['T.ones(3, 1, 4).transpose(0, 2)', 'T.ones(1, 1, 2, 1).permute(3, 1, 2, 0)',
               'T.ones(1, 3, 1, 2).permute(3, 2, 0, 1)', 'T.ones(10)[::7][:1]', 'T.ones(2, 3).t()',
               'T.ones(3, 4)[:, None, :]', 'T.ones(2, 1, 3).expand(2, 4, 3)', 'T.ones(2, 3, 4, 5)',
               'T.ones(2, 3, 4, 5).permute(0, 2, 3, 1)', 'T.ones(2, 1, 1, 3)', 'T.ones(2, 3, 1, 4, 5)',
               'T.ones(4, 4)[::2, ::2]', 'T.tensor(2.)']


@pytest.mark.parametrize('name', ['zeros_like', 'ones_like', 'empty_like', 'full_like'])
@pytest.mark.parametrize('memory_format', [None, 'preserve_format', 'contiguous_format',
                                           'channels_last', 'channels_last_3d', 'str'])
@pytest.mark.parametrize('source', LIKE_INPUTS)
def test_like_memory_format(name, memory_format, source):
    """*_like lay their result out as at::empty_like: a dense input's strides, those of its
    size-1 dims too (preserve_format), C-contiguous, or channels last (torch's strides for size-1
    dims; its rank errors); a memory_format of another type is the parser's error."""
    def made(T):
        options = {} if memory_format is None else {
            'memory_format': 'a' if memory_format == 'str' else getattr(T, memory_format)}
        result = getattr(T, name)(eval(source), *([2.5] if name == 'full_like' else []),
                                  dtype=T.float64, **options)
        return result.stride(), result.shape, (result if name != 'empty_like' else None)
    check(made, exact=True, match_message=True)


@pytest.mark.parametrize('call', [
    'T.eye(2.0)', 'T.eye(2, 2.5)', 'T.eye("a")', 'T.eye(np.int64(2))', 'T.eye(3, 0)', 'T.eye()',
    'T.eye(m=3)', 'T.eye(3, m=2)', 'T.eye(n=3, m=2)', 'T.eye(3, None)', 'T.eye(None)',
    'T.eye(2.0, dtype=T.int8)', 'T.eye(True, requires_grad=True)', 'T.eye(3, "a", dtype=T.float64)',
    'T.eye(2.0, out=T.empty(2))', 'T.eye(-2**63)', 'T.eye(3, -2**63 - 1)', 'T.eye(2**63, 3)',
    'T.eye(2**63)', 'T.eye(T.tensor(2), T.tensor(3))', 'T.eye(T.tensor(3.), dtype=T.int64)'])
def test_eye_argument_types(call):
    """Only eye(n) takes one argument (keywords counted), so a bad n alone is its error; other
    bad calls list both overloads; sizes beyond int64 are the parser's overflow error."""
    check(lambda T: eval(call), exact=True, match_message=True)


@cpu_only_torch
@pytest.mark.parametrize('code', [
    'T.zeros(2, pin_memory=True)', 'T.ones(2, pin_memory=True)', 'T.empty(2, pin_memory=True)',
    'T.full((2,), 1, pin_memory=True)', 'T.eye(2, pin_memory=True)', 'T.arange(3, pin_memory=True)',
    'T.linspace(0, 1, 2, pin_memory=True)', 'T.logspace(0, 1, 2, pin_memory=True)',
    'T.logspace(0, 1, 1, pin_memory=True)', 'T.tensor([1], pin_memory=True)',
    'T.zeros_like(x, pin_memory=True)', 'T.ones_like(x, pin_memory=True)',
    'T.empty_like(x, pin_memory=True)', 'T.full_like(x, 2, pin_memory=True)',
    'T.rand_like(x, pin_memory=True)', 'T.randn_like(x, pin_memory=True)',
    'T.randint_like(x, 3, pin_memory=True)', 'x.new_zeros(2, pin_memory=True)',
    'x.new_ones(2, pin_memory=True)', 'x.new_empty(2, pin_memory=True)',
    'x.new_full((2,), 1., pin_memory=True)', 'x.new_tensor([1.], pin_memory=True)',
    'T.rand(2, pin_memory=True)', 'T.randn(2, pin_memory=True)',
    'T.randint(3, (2,), pin_memory=True)', 'T.randperm(3, pin_memory=True)',
    'T.normal(0., 1., (2,), pin_memory=True)', 'T.zeros(0, pin_memory=True)',
    'T.zeros(-1, pin_memory=True)', "T.zeros(2, device='cuda', pin_memory=True)",
    'T.zeros(2, dtype=T.int8, requires_grad=True, pin_memory=True)',
    'T.zeros(2, out=T.ones(2), pin_memory=True)', 'T.ones(2, pin_memory=False)'])
def test_pinned_memory_needs_an_accelerator(code):
    """pin_memory=True: torch's CPU-only build (as ember) has no pinned-memory allocator (an
    out= tensor is never pinned, so torch ignores it there); no random number is drawn."""
    def run(T):
        T.manual_seed(0)
        try:
            return eval(code, {'T': T, 'x': T.zeros(2)})
        except RuntimeError as error:
            return str(error), T.rand(2)   # the stream untouched by the factory that raised
    check(run, exact=True, match_message=True)


@pytest.mark.parametrize('shape', [(2, 3, 4, 5), (2, 3), (2, 3, 4, 5, 6), (2, 1, 1, 3), (4, 3, 1, 1, 2)],
                         ids=str)
@pytest.mark.parametrize('memory_format', ['channels_last', 'channels_last_3d', 'preserve_format',
                                           'contiguous_format', 'str', 'none'])
def test_empty_memory_format(shape, memory_format):
    """empty lays its result out in memory_format (channels last: torch's strides, size-1 dims'
    too; its rank errors; preserve_format is unsupported; another type is the parser's error)."""
    def options(T):
        return {} if memory_format == 'none' else {
            'memory_format': 'a' if memory_format == 'str' else getattr(T, memory_format)}
    check(lambda T: T.empty(*shape, dtype=T.int16, **options(T)).zero_().stride(),
          match_message=True)
    check(lambda T: T.empty(*shape, out=T.empty(2), **options(T)).shape, match_message=True)


@pytest.mark.parametrize('code', [
    'T.empty(2, memory_format=T.contiguous_format, out=T.empty(2))',
    'T.empty((2,), memory_format=T.preserve_format, out=T.empty(3))',
    'T.empty(2, memory_format=None, out=T.empty(2))',
    'T.empty(2, dtype=T.float64, memory_format=T.contiguous_format, out=T.empty(2))',
    'T.empty(-1, memory_format=T.contiguous_format, out=T.empty(2))',
    'T.empty(2, memory_format=T.contiguous_format)'])
def test_empty_memory_format_with_out(code):
    check(lambda T: eval(code, {'T': T}).shape, match_message=True)


@pytest.mark.parametrize('call', [lambda T: T.tensor(T.ones(2)),
                                  lambda T: T.ones(2).new_tensor(T.ones(2)),
                                  lambda T: T.arange(3, out=T.empty(2, dtype=T.int64))],
                         ids=['tensor', 'new_tensor', 'arange'])
def test_warnings_name_the_callers_line(call):
    """The creation functions' warnings point at the caller's line, as torch's do."""
    for T in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            call(T)
        assert [w.filename for w in caught] == [__file__], T
