"""Tensor basics against torch: metadata, Python conversions, NumPy interop, errors."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import (ALL_TORCH_DTYPES, assert_same, check, check_grad, dtype_id, gradchecks,
                     raises_same, sample)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_metadata_and_conversions(dtype):
    for shape in ((), (3,), (2, 3), (0, 2)):
        x = sample(shape, dtype, seed=1)
        check(lambda T, a: (a.shape, a.size(), a.dim(), a.ndim, a.numel(), a.dtype, a.device,
                            a.is_floating_point(), a.tolist(), a.element_size()), x)
        check(lambda T, a: a.size(-1), x)
        check(lambda T, a: len(a), x)
        check(lambda T, a: [t for t in a], x)
        check(lambda T, a: a.item(), x)
        check(lambda T, a: (bool(a), float(a) if not a.is_complex() else 0, int(a) if not a.is_complex() else 0), x)
        check(lambda T, a: [10, 20, 30][a], x)
        if dtype is not torch.bfloat16:   # torch refuses bfloat16 here; ember hands out ml_dtypes
            check(lambda T, a: np.asarray(a).tolist(), x)


def test_size_prints_like_torch():
    x = torch.zeros(3, 4)
    e = ember.zeros(3, 4)
    assert repr(e.shape) == repr(x.shape) == 'torch.Size([3, 4])'
    assert str(e.size()) == str(x.size())
    assert e.shape == (3, 4) and e.shape[1:] == x.shape[1:] and type(e.shape[1:]) is ember.Size


def test_numpy_shares_memory_and_requires_grad_error():
    for lib in (torch, ember):
        t = lib.zeros(3)
        n = t.numpy()
        n[0] = 4
        assert t[0].item() == 4
        t[1] = 7
        assert n[1] == 7
        with pytest.raises(RuntimeError, match='requires grad'):
            lib.ones(2, requires_grad=True).numpy()
        assert lib.ones(2, requires_grad=True).detach().numpy().tolist() == [1, 1]


def test_scalar_conversion_errors():
    x = sample((3,), 'float32')
    check(lambda T, a: a.item(), x)
    check(lambda T, a: bool(a), x)
    check(lambda T, a: float(a), x)
    check(lambda T, a: int(a), x)
    check(lambda T, a: [1, 2, 3][a], x)
    check(lambda T, a: [1, 2, 3][a[0]], x)
    check(lambda T, a: len(a[0]), x)
    check(lambda T, a: list(a[0]), x)
    check(lambda T, a: a.size(2), x)


def test_clone_independent():
    def fn(T, a):
        c = a.clone()
        c[0] = 100
        return a, c
    check(fn, sample((3,), 'float32'))


@pytest.mark.parametrize('expression', [
    lambda L: L.ones(2) == None, lambda L: L.ones(2) != None,  # noqa: E711
    lambda L: L.ones(2) == 'a', lambda L: None == L.ones(2),  # noqa: E711
    lambda L: L.ones(2) == [1, 1], lambda L: L.ones(2) < None,
    lambda L: L.ones(2) + None, lambda L: None + L.ones(2), lambda L: L.ones(2) * 'ab',
    lambda L: L.ones(2) @ None, lambda L: L.ones(2) ** 'a', lambda L: [1] + L.ones(2)])
def test_operators_with_foreign_operands(expression):
    """torch's binary operators turn a TypeError into NotImplemented, so Python tries the
    other operand: x == None is False, x + None is Python's own TypeError."""
    check(expression, match_message=True)


def test_data():
    """.data: the same memory out of the graph with a version counter of its own; assigning
    it swaps the memory (shape and dtype too) and keeps requires_grad."""
    results = []
    for lib in (torch, ember):
        w = lib.ones(3, requires_grad=True)
        d = w.data
        state = [d.requires_grad, d.is_leaf, d.grad_fn is None]
        d.add_(1)
        state += [w._version, d._version, w.data.data_ptr() == w.data_ptr()]
        x = lib.ones(2, requires_grad=True)
        z = x * x
        x.data.mul_(3)   # escapes the version check, as in torch
        z.sum().backward()
        w.data = lib.zeros(2, 2, dtype=lib.float64)
        results.append((state, w, x.grad, (w * 1).grad_fn is not None))
    assert_same(*results)
    raises_same(lambda L: setattr(L.ones(2), 'data', [1, 2]))


@pytest.mark.parametrize('make_tensor', [lambda L: L.ones(3, requires_grad=True),
                                         lambda L: L.ones(3, requires_grad=True)[1:],
                                         lambda L: L.ones(3, requires_grad=True) * 2],
                         ids=['leaf', 'view', 'nonleaf'])
@pytest.mark.parametrize('dtype', ['int64', 'bool', 'uint8'])
def test_data_of_a_tensor_requiring_grad_must_be_differentiable(make_tensor, dtype):
    """Assigning integer or bool data to a tensor that requires grad raises torch's error (ember
    made an integer tensor that requires grad); a tensor that doesn't takes it."""
    raises_same(lambda L: setattr(make_tensor(L), 'data', L.zeros(2, dtype=getattr(L, dtype))))

    def assign(L):
        x = L.ones(3)
        x.data = L.zeros(2, dtype=getattr(L, dtype))
        return x
    check(assign)


@pytest.mark.parametrize('shape', [(2, 3), (2, 3, 4), (3,), ()])
def test_T(shape):
    """Tensor.T reverses the dims by a permute (torch warns once for other than 2 dims)."""
    check_grad(lambda L, a: a.T * 1, sample(shape, 'float64'))
    check(lambda L: L.zeros(shape).T.stride())


@pytest.mark.parametrize('name', ['torch.DoubleTensor', 'torch.LongTensor', 'torch.BoolTensor',
                                  'DoubleTensor', 'foo'])
def test_type_by_name(name):
    check(lambda L: L.ones(2, 3).type(name), exact=True)


def test_bool_of_empty_and_many():
    raises_same(lambda L: bool(L.tensor([])))
    raises_same(lambda L: bool(L.ones(2)))


@pytest.mark.parametrize('expression', [
    lambda L: np.exp(L.ones(2)), lambda L: np.add(L.ones(2), 1),
    lambda L: np.greater(L.ones(2), 0),
    lambda L: np.array([1., 2.]) + L.ones(2), lambda L: L.ones(2) * np.array([2.5]),
    lambda L: np.asarray(L.ones(2, requires_grad=True)),
    lambda L: L.ones(2, 2).reshape(np.int64(4)),
    lambda L: L.zeros(np.int64(3)),
    lambda L: (2 in L.tensor([1, 2]), L.tensor([1, 2]).__contains__(L.tensor(3))),
    lambda L: L.tensor([1, 2]).__contains__('a')])
def test_numpy_interplay(expression):
    """NumPy ufuncs on tensors give tensors (torch's __array_wrap__: bool results as uint8), an
    ndarray operand works through them, __array__ refuses tensors that require grad as
    numpy() does, and NumPy ints are sizes."""
    check(expression, exact=True, match_message=True)


@pytest.mark.parametrize('expression', [
    lambda L, s: (4,) + s, lambda L, s: s + (4,), lambda L, s: s * 2, lambda L, s: 2 * s,
    lambda L, s: s[1:], lambda L, s: s + [4], lambda L, s: L.Size([2.5]), lambda L, s: L.Size(['a']),
    lambda L, s: L.Size([L.tensor(2), np.int64(3), True])])
def test_size(expression):
    """torch.Size stays a Size through + and * (a list is refused), and holds only ints
    (NumPy ints, bools and 0-d int tensors are read as ints)."""
    check(lambda L: repr(expression(L, L.Size([2, 3]))), match_message=True)


@pytest.mark.parametrize('value', [2.5 + 0j, 2.5 + 1j, complex('nan'), complex('inf'), 1e30 + 0j,
                                   2.0 ** 63 + 0j, -2.0 ** 63 + 0j, -0.0 + 0j], ids=str)
@pytest.mark.parametrize('convert', [int, float, bool, complex])
def test_python_numbers_of_complex_tensors(value, convert):
    """int()/float() of a complex tensor take its real part, torch's overflow error when the
    imaginary part is not zero (or the real part does not fit an int64)."""
    if convert is complex and value != value:
        return  # nan != nan: check cannot compare the results
    for dtype in (torch.complex64, torch.complex128):
        check(lambda T, d: convert(T.tensor(value, dtype=d)), dtype, match_message=True)


@pytest.mark.parametrize('dim', [0, -1, 2, 1.0, 'a', None, True, np.int64(1)], ids=repr)
def test_size_and_stride_dims(dim):
    for shape in ((), (2, 3)):
        check(lambda T: T.zeros(shape).size(dim), match_message=True)
        check(lambda T: T.zeros(shape).stride(dim), match_message=True)


@pytest.mark.parametrize('view', [lambda t: t, lambda t: t.transpose(0, 2), lambda t: t[:, 1:, ::2],
                                  lambda t: t[1], lambda t: t[1, 2, 3]],
                         ids=['base', 'T', 'sliced', 'select', 'element'])
def test_storage_offset_and_flags(view):
    check(lambda T: (lambda y: (y.storage_offset(), y.is_sparse, y.is_quantized, y.is_meta,
                                y.is_mkldnn, y.is_nested, y.is_conj(), y.is_neg(), y.is_shared(),
                                y.is_pinned(), y.output_nr))(view(T.zeros(2, 3, 4))))


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_is_signed(dtype):
    check(lambda T, a: a.is_signed(), sample((2,), dtype))


@pytest.mark.parametrize('shape', [(), (3,), (2, 3), (2, 3, 4)], ids=str)
@pytest.mark.parametrize('dtype', [torch.float32, torch.complex64], ids=dtype_id)
def test_conjugate_transposes(shape, dtype):
    x = sample(shape, dtype)
    check(lambda T, a: a.mH, x, exact=True, match_message=True)
    check(lambda T, a: a.H, x, exact=True, match_message=True)
    if len(shape) >= 2:
        check_grad(lambda T, a: a.mH * 2, x)


@pytest.mark.parametrize('args', [(), (2, 3), (2,), ([1, 2],), ((2, 3),), (2.5,), (True,), (None,),
                                  ('a',), ((2, 3.5),), ([[1, 2], [3]],), (np.array([1.5]),),
                                  (np.int64(3),), ('size',), (2, 2.5), ('int tensor',)], ids=str)
def test_legacy_constructor(args):
    """torch.Tensor(*sizes), torch.Tensor(data), torch.Tensor(tensor) (an alias)."""
    def made(T):
        values = {'size': T.Size([2]), 'int tensor': T.ones(2, dtype=T.int64)}
        return T.Tensor(*[values.get(a, a) if isinstance(a, str) else a for a in args]).shape
    check(made, match_message=True)
    check(lambda T: T.Tensor(T.ones(2, dtype=T.int64)), exact=True)


@pytest.mark.parametrize('code', [
    'T.Tensor([1], dtype=T.int64)', 'T.Tensor([1], device="cpu")', 'T.Tensor(2, 3, dtype=T.float64)',
    'T.FloatTensor([1], dtype=T.int64)', 'T.Tensor([1], requires_grad=True)',
    'T.Tensor(2, requires_grad=True)', 'T.Tensor(foo=1)', 'T.LongTensor([1.5], device="cpu")'])
def test_legacy_constructor_keywords(code):
    """The legacy constructors take device= only."""
    check(lambda T: eval(code, {'T': T}), match_message=True)


@pytest.mark.parametrize('target', [float, int, bool, 'float', 'torch.LongTensor', 'torch.cfloat'],
                         ids=str)
def test_type_conversion_names(target):
    check(lambda T: T.ones(2).type(target), exact=True, match_message=True)


LEGACY_TYPE_NAMES = ['FloatTensor', 'DoubleTensor', 'HalfTensor', 'BFloat16Tensor', 'ByteTensor',
                     'CharTensor', 'ShortTensor', 'IntTensor', 'LongTensor', 'BoolTensor']


@pytest.mark.parametrize('name', LEGACY_TYPE_NAMES)
def test_legacy_tensor_types(name):
    check(lambda T: getattr(T, name)([1, 0, 2]))
    check(lambda T: getattr(T, name)(2, 3).shape)
    check(lambda T: getattr(T, name)().shape)
    check(lambda T: getattr(T, name)(T.ones(2, dtype=getattr(T, name).dtype)))
    check(lambda T: [isinstance(T.zeros(2, dtype=d), getattr(T, name)) for d in
                     (T.float32, T.float64, T.int64, T.uint8, T.bool)])
    check(lambda T: T.ones(2).type(getattr(T, name)))
    check(lambda T: (getattr(T, name).__name__, getattr(T, name).__module__, getattr(T, name).dtype))


def test_legacy_tensor_type_errors():
    check(lambda T: T.FloatTensor(T.ones(2, dtype=T.int64)), match_message=True)
    check(lambda T: T.DoubleTensor(T.ones(2)), match_message=True)
    check(lambda T: T.FloatTensor(2.5), match_message=True)
    check(lambda T: T.ones(1).type(dict), match_message=True)
    assert not hasattr(ember, 'ComplexFloatTensor') and not hasattr(torch, 'ComplexFloatTensor')


def test_legacy_type_of_a_tensor_aliases_it():
    for T in (torch, ember):
        x = T.ones(2)
        T.FloatTensor(x)[0] = 5
        assert x.tolist() == [5.0, 1.0]


@pytest.mark.parametrize('name', ['Tensor', 'FloatTensor'])
@pytest.mark.parametrize('source', ['x', 'x[1:]', 'x.detach()', 'T.ones(2)'])
def test_legacy_constructor_of_a_tensor_is_its_alias(name, source):
    """torch.Tensor(t) is t.alias(): a view in the graph (AliasBackward0), sharing memory and
    version counter, also in no_grad mode."""
    def made(T, grad_mode):
        x = T.tensor([1., 2., 3.], requires_grad=True)
        with grad_mode(T):
            y = getattr(T, name)(eval(source))
        fn = type(y.grad_fn).__name__ if y.grad_fn is not None else None
        grad = T.autograd.grad(y.sum(), x) if fn else None
        return y.requires_grad, fn, y.is_leaf, y._base is not None, y._version, grad
    for grad_mode in (lambda T: T.enable_grad(), lambda T: T.no_grad()):
        check(made, grad_mode, exact=True)


@pytest.mark.parametrize('code', ['T.Tensor(size=(2,)).shape', 'T.FloatTensor(size=[2, 3]).shape',
                                  'T.LongTensor(size=(2,)).dtype', 'T.Tensor(size=()).shape',
                                  'T.Tensor(size=(2,), device="cpu").shape', 'T.Tensor(size=2)',
                                  'T.Tensor(2, size=(2,))', 'T.Tensor(size=(2, 1.5))'])
def test_legacy_constructor_size_keyword(code):
    check(lambda T: eval(code), match_message=True)


def test_is_nonzero():
    for make in (lambda T: T.tensor([1.5]), lambda T: T.tensor(0), lambda T: T.tensor([[False]]),
                 lambda T: T.tensor([]), lambda T: T.tensor([1, 2]), lambda T: 1):
        check(lambda T: T.is_nonzero(make(T)), match_message=True)
    check(lambda T: T.tensor([3]).is_nonzero())


@pytest.mark.parametrize('shape', [(0,), (0, 3), (2, 0, 3), (4, 0), (0, 0)])
def test_strides_of_empty_tensors(shape):
    check(lambda T: T.zeros(shape).stride())
    check(lambda T: [T.empty(shape).stride(d) for d in range(len(shape))])


def test_view_requires_grad_follows_its_base():
    """found by tests/test_fuzz.py: a view made before its base required grad."""
    def run(T):
        a = T.zeros(3)
        v = a[1:]
        with T.no_grad():
            u = a[:2]
        a.requires_grad_()
        return v.requires_grad, v.is_leaf, u.requires_grad
    check(run)
    raises_same(lambda T, a: (lambda v: (a.requires_grad_(), v.zero_()))(a[1:]), np.zeros(3),
                requires_grad=False)


def test_nn_and_optim_are_attributes_of_the_package():
    """ember imports nn and optim on first use; to a user they are there as in torch."""
    import subprocess
    import sys
    code = ('import ember, sys; loaded = "ember.nn" in sys.modules; '
            'print(loaded, "nn" in dir(ember), "optim" in dir(ember), ember.nn.functional.__name__,'
            ' ember.optim.Adam.__name__, hasattr(ember, "no_such_thing"))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ['False', 'True', 'True', 'ember.nn.functional', 'Adam', 'False']
    for T in (torch, ember):
        with pytest.raises(AttributeError, match="module '.*' has no attribute 'no_such_thing'"):
            T.no_such_thing


def test_deepcopy_keeps_layout_and_shared_memory():
    """copy.deepcopy copies a tensor's memory once per call (views copied together share the
    copy, as torch's storages) and keeps offsets and strides; the copy is at version 1."""

    def run(T):
        t = copy.deepcopy(T.arange(6.).reshape(2, 3).t())
        expanded = copy.deepcopy(T.arange(3.).expand(2, 3))
        base = T.arange(4.)
        base_copy, view_copy = copy.deepcopy((base, base[1:3]))
        view_copy[0] = 100
        sliced = copy.deepcopy(T.arange(12.).reshape(3, 4)[::2, 1:])
        p = T.ones(2, requires_grad=True)
        p.grad = T.full((2,), 3.)
        q = copy.deepcopy(p)
        return (t, t.stride(), t._version, expanded.stride(), base_copy, base,
                view_copy.storage_offset(), sliced, sliced.stride(), sliced.storage_offset(),
                q, q.grad, q.is_leaf, copy.deepcopy(T.zeros(2, 3, dtype=T.bfloat16).t()).stride())
    check(run, exact=True)


@pytest.mark.parametrize('graph', ['backward_run', 'graph_alive'])
def test_deepcopy_is_a_leaf_of_its_own(graph):
    """A copy of a leaf whose graph is still alive gets its own gradients and none of the
    leaf's hooks; the attributes a program set on the leaf are copied."""

    def run(T):
        calls = []
        w = T.tensor([1., 2.], requires_grad=True)
        loss = (w ** 2).sum()
        if graph == 'backward_run':
            loss.backward(retain_graph=True)
        w.register_hook(lambda grad: calls.append(grad.tolist()))
        w.note = [1]
        a = copy.deepcopy(w)
        (a * 3).sum().backward()
        return a.grad, w.grad, calls, a.note, a.note is w.note
    check(run, exact=True)


@pytest.mark.parametrize('name', ['grad_fn', 'is_leaf', 'shape', 'device', 'ndim', 'layout',
                                  'is_cuda', 'is_cpu', 'itemsize', 'nbytes', 'T', 'output_nr',
                                  '_version', 'retains_grad'])
def test_read_only_attributes(name):
    """Assigning to a read-only attribute raises torch's AttributeError."""
    def run(T, x):
        setattr(x, name, None)
    check(run, np.ones((2, 2), np.float32), match_message=True)


@pytest.mark.parametrize('value', ['3', 'T.tensor([5., 6.])', 'T.tensor(2)', 'None',
                                   'T.tensor([1+2j, 3j])'])
@pytest.mark.parametrize('dtype', ['float32', 'complex64'])
def test_setting_real(dtype, value):
    """x.real = value writes the real part (a number fills it, a tensor is copied in)."""
    def run(T):
        x = T.ones(2, dtype=getattr(T, dtype))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')   # complex into real: compared in test_warnings
            x.real = eval(value, {'T': T})
        return x
    check(run, exact=True, match_message=True)


def test_backward_is_named_as_torch_names_it():
    """print(loss.backward) (a forgotten call) shows torch's qualified name."""
    for T in (torch, ember):
        assert repr(T.ones(1).backward).startswith('<bound method Tensor.backward of tensor(')
        assert T.Tensor.backward.__qualname__ == 'Tensor.backward'


@pytest.mark.parametrize('view', [lambda t: t, lambda t: t.t(), lambda t: t[:, ::2],
                                  lambda t: t.expand(2, 3, 4), lambda t: t[:0],
                                  lambda t: t.reshape(2, 3, 2).permute(1, 2, 0)])
@pytest.mark.parametrize('dtype', ['float64', 'int64', 'bool', 'complex64'])
def test_reversed(view, dtype):
    """reversed(t) is t.flip(0): a new tensor laid out as t (preserve_format), FlipBackward0."""
    x = sample((3, 4), dtype)
    check(lambda T, a: (reversed(view(a)), reversed(view(a)).stride()), x, exact=True)
    if dtype == 'float64':
        check_grad(lambda T, a: reversed(view(a)), x)
        check(lambda T, a: type(reversed(view(a.requires_grad_())).grad_fn).__name__, x)
        gradchecks(lambda T, a: reversed(view(a)), x)


def test_reversed_of_a_0d_tensor_is_itself():
    for T in (torch, ember):
        x = T.tensor(2.5, requires_grad=True)
        assert reversed(x) is x
    check(lambda T: list(reversed(T.tensor([1, 2, 3]))), exact=True)


@pytest.mark.parametrize('view', ['T.arange(10.)[::3]', 'T.arange(10.)[2:5]', 'T.arange(10.)[2:]',
                                  'T.tensor([1., 2.]).expand(3, 2)', 'T.arange(12.).reshape(3, 4).t()',
                                  'T.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)[1:, ::2]',
                                  'T.arange(4, dtype=T.bfloat16)[1::2]', 'T.tensor(3.5)',
                                  'T.arange(4.).requires_grad_()', 'T.arange(6, dtype=T.int8)[3:]'])
def test_pickle_keeps_layout(view):
    """A tensor pickles its whole storage, its offset and strides (as torch's)."""
    def loaded(T):
        t = pickle.loads(pickle.dumps(eval(view)))
        return (t.detach(), t.stride(), t.storage_offset(), t.is_contiguous(), t.requires_grad,
                t.is_leaf)
    check(loaded, exact=True)


class _TorchSubclass(torch.Tensor):
    pass


class _EmberSubclass(ember.Tensor):
    pass


def test_pickle_keeps_attributes_and_subclass():
    """A pickled tensor keeps the attributes a program set on it and its class (not ember's own
    attributes: hooks, .grad, graph links)."""
    def loaded(T):
        t = T.ones(2, requires_grad=True)
        t.note = [1]
        t.register_hook(lambda grad: grad)
        sub = (_TorchSubclass if T is torch else _EmberSubclass)([1., 2.])
        sub.extra = 'x'
        t2, sub2 = pickle.loads(pickle.dumps([t, sub]))
        return (t2.note, t2.requires_grad, sorted(vars(t2)),
                type(sub2).__name__.endswith('Subclass'), sub2.extra, sub2.tolist())
    check(loaded, exact=True)


def test_pickled_views_do_not_share_memory():
    def loaded(T):
        x = T.arange(6.)
        a, b = pickle.loads(pickle.dumps([x[1:], x[:3]]))
        a[0] = 100
        return b
    check(loaded, exact=True)


@pytest.mark.parametrize('view', ['T.zeros(2, 1).expand(2, 3)', 'T.zeros(3).expand(2, 3)',
                                  'T.zeros(2, 1).expand(2, 3).t()', 'T.zeros(0, 1).expand(0, 3)',
                                  'T.zeros(2, 3)[:, ::2]'])
def test_numpy_of_an_expanded_tensor_is_writeable(view):
    """numpy() of an expanded tensor is a writeable array of its memory (as torch's)."""
    def written(T):
        t = eval(view)
        array = t.numpy()
        if array.size:
            array[0, 0] = 5
        return array.flags.writeable, array.strides, t.clone()
    check(written, exact=True)


@pytest.mark.parametrize('make', [
    'T.zeros(3, 4)', 'T.zeros(1, 3, 4, 4)', 'T.zeros(0, 3, 4, 4)', 'T.zeros(1, 1, 4, 4)',
    'T.zeros(1, 3, 1, 1)', 'T.zeros(2, 3, 4, 4).permute(0, 2, 3, 1)',
    'T.zeros(2, 4, 4, 3).permute(0, 3, 1, 2)', 'T.zeros(2, 4, 4, 3)[:, :, :, :2].permute(0, 3, 1, 2)',
    'T.zeros(2, 3, 4, 4, 5).permute(0, 2, 3, 4, 1).permute(0, 4, 1, 2, 3)', 'T.zeros(2, 3, 4, 5, 6)',
    'T.zeros(2, 1, 4, 3).permute(0, 3, 1, 2)', 'T.zeros(5)'])
def test_is_contiguous_in_a_memory_format(make):
    """Channels-last contiguity is read from the strides (4-d, or 5-d for channels_last_3d)."""
    check(lambda T: [eval(make).is_contiguous(memory_format=f) for f in (
        T.contiguous_format, T.channels_last, T.channels_last_3d, T.preserve_format)])
    check(lambda T: eval(make).is_contiguous(memory_format='channels_last'), match_message=True)


@pytest.mark.parametrize('sizes', [[np.int64(2)], [np.int32(2), 3], [True], ['tensor'],
                                   [np.bool_(True)], [2.0], [np.uint8(3)]], ids=str)
def test_size_of_numpy_ints(sizes):
    """torch.Size keeps NumPy's ints as they are (bools and tensors become ints)."""
    def made(T):
        size = T.Size([T.tensor(2) if s == 'tensor' else s for s in sizes])
        return [type(s).__name__ for s in size], repr(size), size
    check(made, match_message=True)


@pytest.mark.parametrize('value', [1, 0, None, 1.0, np.bool_(True), True, False])
def test_requires_grad_takes_a_bool_only(value):
    check(lambda T: T.ones(2).requires_grad_(value).requires_grad, match_message=True)


@pytest.mark.parametrize('code', [
    'x.type(bogus=1)', 'x.type(T.float64, bogus=1)', 'x.type(memory_format=T.contiguous_format)',
    "x.type(T.float64, **{'async': True})", "x.type(**{'async': True})"])
def test_type_keywords(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2)}), match_message=True)
    messages = []
    for T in (torch, ember):
        T.set_warn_always(True)   # torch's parser warns once in the process
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                try:
                    eval(code, {'T': T, 'x': T.ones(2)})
                except TypeError:
                    pass
        finally:
            T.set_warn_always(False)
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == ('async' in code)


@pytest.mark.parametrize('code', [
    'x.to(T.float64, T.float32)', "x.to('cpu', 'cpu')", 'x.to(T.float64, None)',
    "x.to(T.float64, 'cpu')", 'x.to(T.float64, dtype=T.float32)', "x.to('cpu', device='cpu')",
    'x.to(tensor=y)', "x.to('cpu', T.float64)", 'x.to(None)', 'x.to(None, T.float64)',
    "x.to('cpu', None)", 'x.to(dtype=None)', 'x.to(device=None, dtype=T.float64)',
    'x.to(y, T.float32)', 'x.to(T.float64, True, True)', 'x.to(T.float64, True, True, True)',
    'x.to(T.float64, 1)', "x.to('cpu', True)", 'x.to(y, dtype=T.float64)', 'x.to(y, True, True)',
    "x.to('cpu', T.float64, True, True)", 'x.to(float)', "x.to('cpu', float)",
    'x.to(T.float64, copy=True)', 'x.to(T.device("cpu"), T.int32, non_blocking=True)'])
def test_to_overloads(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2), 'y': T.ones(3, dtype=T.float64)}),
          match_message=True)


@pytest.mark.parametrize('code', [
    'x.type_as(y)', 'x.type_as(x) is x', 'x.type_as(T.ones(1)) is x', 'x.type_as(other=y)',
    'x.type_as(i)', 'i.type_as(x)', 'x.type_as(T.ones(2, dtype=T.bool))',
    'x.type_as(T.ones(2, dtype=T.complex64))', 'x.type_as(T.ones((), dtype=T.bfloat16))',
    'x.type_as(y).grad_fn.name()', 'x.type_as(1)', 'x.type_as(None)', 'x.type_as(T.float64)',
    'x.type_as(np.ones(2))', 'x.view_as(1)', 'x.expand_as(None)', 'x.reshape_as("a")',
    'x.view_as(other=T.ones(1, 2)).shape', 'x.expand_as(T.ones(3, 2)).shape',
    'x.reshape_as(np.ones(2))'])
def test_as_methods(code):
    """Tensor.type_as(other), a cast to other's dtype recorded as to() records it, and the
    other *_as methods: torch's TypeError for a non-tensor other."""
    check(lambda T: eval(code, {'T': T, 'np': np, 'x': T.ones(2, requires_grad=True),
                                'y': T.ones(3, dtype=T.float64), 'i': T.arange(3)}),
          match_message=True)


@pytest.mark.parametrize('expression', [
    lambda L, a: a == np.array([1, 2, 4]), lambda L, a: np.array([1, 2, 4]) == a,
    lambda L, a: a.__eq__(np.array([1.5, 2, 3], dtype=np.float32)),
    lambda L, a: a == np.array([[1], [2]], dtype=np.int16), lambda L, a: a == np.array(2.0),
    lambda L, a: a == np.array([True, False, True]), lambda L, a: a.__eq__(np.array(['a'])),
    lambda L, a: a == np.zeros(3, dtype=object), lambda L, a: a == np.arange(3.)[::-1],
    lambda L, a: a == np.array([1, 2]), lambda L, a: a != np.array([1, 2, 3]),
    lambda L, a: a.__lt__(np.array([1, 2, 3]))])
def test_equal_to_a_numpy_array(expression):
    """torch's == (its only operator to) takes a NumPy array as the tensor from_numpy makes of
    it: elementwise, with from_numpy's errors; other dtypes and operators give NotImplemented."""
    check(expression, torch.tensor([1., 2., 3.]), exact=True, match_message=True)


@pytest.mark.parametrize('expression', [
    lambda L, a: pow(a, 2, 5), lambda L, a: pow(a, a, a), lambda L, a: pow(2, a, 5),
    lambda L, a: a.__pow__(2, 5), lambda L, a: a.__rpow__(2, 5), lambda L, a: a.__eq__(1, 2)])
def test_three_argument_pow(expression):
    """torch's operators return NotImplemented for a third argument: pow(x, 2, 5) is Python's
    "unsupported operand type(s) for ** or pow(): 'Tensor', 'int', 'int'"."""
    check(expression, torch.tensor([1., 2.]), match_message=True)


@pytest.mark.parametrize('code', [
    'np.array(t, copy=False)', 'np.array(t, dtype=np.int32)', 'np.asarray(t)',
    't.__array__(copy=True)', 't.__array__(np.float64)', 'np.add(t, 1)', 'np.exp(t)',
    't + np.array([1., 2.])', 'np.equal(t, t)'])
def test_numpy_protocols_take_torchs_arguments(code):
    """torch's __array__ takes no copy= and its __array_wrap__ no context/return_scalar: NumPy 2
    warns its DeprecationWarnings for them and refuses copy=False (a ValueError)."""
    def run(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                result = eval(code, {'np': np, 't': lib.tensor([1.5, 2.])})
                result = (type(result).__name__, np.asarray(result).tolist(), str(result.dtype))
            except Exception as error:  # noqa: BLE001 - compared below
                result = (type(error), str(error))
        return result, [(w.category, str(w.message)) for w in caught]
    t_result, e_result = run(torch), run(ember)
    assert str(e_result).replace('ember', 'torch') == str(t_result)


def _augmented(op, operand):
    """``x op= operand`` as a function of the library and x (x as the result)."""
    def run(L, a):
        namespace = {'a': a, 'b': operand}
        exec(f'a {op}= b', namespace)
        return namespace['a']
    return run


@pytest.mark.parametrize('op', ['+', '-', '*', '/', '//', '%', '**', '&', '|', '^'])
@pytest.mark.parametrize('operand', [None, 'a', [1, 2], np.array([1, 0])], ids=repr)
@pytest.mark.parametrize('requires_grad', [False, True])
def test_augmented_assignment_with_a_foreign_operand(op, operand, requires_grad):
    """torch's in-place operators turn a TypeError into NotImplemented (before the leaf check):
    x += None is Python's "unsupported operand type(s) for +=: 'Tensor' and 'NoneType'"."""
    x = torch.tensor([1, 2]) if op in '&|^' and not requires_grad else \
        torch.tensor([1., 2.], requires_grad=requires_grad)
    check(_augmented(op, operand), x, match_message=True)


@pytest.mark.parametrize('code', [
    'a.__iadd__(None)', 'a.__iand__([1])', 'a.__ipow__(None)', 'a.__iadd__(1, 2)',
    'ember_or_torch.Tensor.__ipow__(2, 3)', 'a.__iadd__(1, alpha=2)', 'a.__isub__(1, alpha=2)',
    'a.__add__(1, alpha=2)', 'a.__radd__(1, alpha=2)', 'a.__mul__(1, alpha=2)',
    'a.__eq__(1, foo=2)', 'a.__ipow__(2, 5)', 'a.float().__itruediv__(2, rounding_mode="floor")',
    'a.float().__truediv__(2, rounding_mode="floor")'])
def test_inplace_dunders_return_not_implemented(code):
    """Called directly, torch's in-place dunders return NotImplemented for other operands (a
    deprecated alpha as third argument is add_'s), and __ipow__ unbound with a number too; the
    operators pass keywords on to their op (alpha=, rounding_mode=), NotImplemented where it
    takes none."""
    check(lambda L: eval(code, {'a': L.tensor([1, 2]), 'ember_or_torch': L}), match_message=True)


@pytest.mark.parametrize('code', ['pickle.loads(pickle.dumps(t))', 'copy.copy(t)',
                                  'copy.copy(t[1:])', 'copy.deepcopy(t)'])
def test_version_of_an_unpickled_tensor(code):
    """Unpickling (and copy.copy, which goes through __reduce_ex__) sets the new tensor to its
    storage, as torch's set_: version 1, whatever the source's."""
    def run(T):
        t = T.ones(3)
        t.add_(1)
        t.add_(1)
        return eval(code, {'pickle': pickle, 'copy': copy, 't': t})._version
    check(run)


@pytest.mark.parametrize('dtype', ['bool', 'int64', 'float32', 'complex64'])
@pytest.mark.parametrize('shape', [(), (1,), (2,)], ids=str)
@pytest.mark.parametrize('code', ['x.__long__()', 'x.__nonzero__()', 'x.__idiv__(2)',
                                  'x.__idiv__(None)', 'x.__delitem__(0)'])
def test_python_2_dunders(code, shape, dtype):
    """torch's Tensor keeps __long__, __nonzero__ and __idiv__ (int, bool, /=), and refuses
    del x[i] with a TypeError."""
    check(lambda T: eval(code, {'x': T.full(shape, 2).to(getattr(T, dtype))}), exact=True,
          match_message=True)


@pytest.mark.parametrize('code', ['x.size(2 ** 63)', 'x.stride(-2 ** 63 - 1)', 'x.size(-2 ** 63)',
                                  'x.transpose(0, 2 ** 63)', 'x.unsqueeze(2 ** 64)'])
def test_dims_beyond_int64(code):
    """torch's parser reads a dim as a C long long: beyond one, its ValueError."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}), match_message=True)


@pytest.mark.parametrize('marked', [False, True])
@pytest.mark.parametrize('save', ['pickle.dumps(x)', 'copy.copy(x)', 'copy.deepcopy(x)'])
def test_pickling_a_tensor_with_backward_hooks_warns(save, marked):
    """pickle (and copy.copy, which pickles) drop a leaf's backward hooks with torch's warning,
    unless the hook is marked utils.hooks.unserializable_hook; deepcopy says nothing."""
    import re
    messages = []
    for T in (torch, ember):
        def hook(grad):
            return grad
        x = T.ones(2, requires_grad=True)
        x.register_hook(T.utils.hooks.unserializable_hook(hook) if marked else hook)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            eval(save)
        messages.append([(w.category, re.sub(' at 0x[0-9a-f]+', '', str(w.message)))
                         for w in caught])
    assert messages[1] == messages[0]
