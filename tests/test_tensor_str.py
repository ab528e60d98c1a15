"""repr/str of ember tensors against torch's, built from the same data in both libraries."""
import math
import re
import types

import ml_dtypes
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from ember._tensor_str import tensor_repr

DTYPES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32',
          'float64', 'complex64', 'complex128']
FLOATS = ['float16', 'bfloat16', 'float32', 'float64']
COMPLEX = ['complex64', 'complex128']
NUMPY = {name: (ml_dtypes.bfloat16 if name == 'bfloat16' else np.dtype(name)) for name in DTYPES}
NAN, INF = math.nan, math.inf

# Real values that exercise each formatting branch: int mode, fixed point, sci mode, nonfinite.
FLOAT_VALUES = {
    'integers': [1.0, -2.0, 30.0, 0.0],
    'fractions': [0.1, -2.5, 3.14159, 0.0],
    'wide_range': [1e-5, 1.0, 1e4],
    'ratio_over_1000': [0.5, 600.0],
    'huge': [1.5e9, -3.0, 2.0],
    'huge_integers': [123456789.0, 1.0],
    'tiny': [1e-6, -2e-7],
    'negative_zero': [-0.0, 0.0, -0.0],
    'negative_zero_with_fraction': [-0.0, 1.5],
    'nonfinite': [NAN, INF, -INF],
    'nonfinite_and_integers': [NAN, 1.0, -INF, 100.0],
    'nonfinite_and_fractions': [NAN, 0.25, INF, -1e-5],
    'rounding': [0.99995, 1.00005, 2.675, 65504.0, 3.3e-5],
    'single': [7.0],
    'extreme': [1e300, 1e-300, -1e-120],
}
INT_VALUES = {
    'small': [0, 1, -1, 7],
    'wide': [-128, 0, 127, 100],
    'mixed_width': [5, 1000, -42, 3],
}


@pytest.fixture(autouse=True)
def restore_global_state():
    """Every test starts and ends with default print options and default dtype."""
    yield
    for library in (torch, ember):
        library.set_printoptions(profile='default')
        library.set_default_dtype(library.float32)


def make_pair(values, dtype, requires_grad=False):
    """The same tensor in torch and ember: values are rounded to ``dtype`` once, in NumPy."""
    array = np.asarray(values)
    if dtype in FLOATS or dtype in COMPLEX:
        wide = np.complex128 if dtype in COMPLEX else np.float64
        with np.errstate(over='ignore', under='ignore'):
            array = array.astype(NUMPY[dtype]).astype(wide)
    else:
        array = array.astype(NUMPY[dtype])
    return (torch.tensor(array, dtype=getattr(torch, dtype), requires_grad=requires_grad),
            ember.tensor(array, dtype=getattr(ember, dtype), requires_grad=requires_grad))


def assert_same(pair):
    t, e = pair
    assert repr(e) == repr(t)
    assert str(e) == str(t)


def values_for(dtype, floats, ints):
    """Sample data fitting ``dtype``: ``floats`` for float/complex dtypes, ``ints`` otherwise."""
    floats, ints = np.asarray(floats, dtype=float), np.asarray(ints, dtype=np.int64)
    if dtype == 'bool':
        return ints % 2 == 0
    if dtype == 'uint8':
        return abs(ints) % 256
    if dtype in COMPLEX:
        values = floats.astype(complex)  # not floats + 1j * ..., which makes inf * 1j = nan+infj
        values.imag = np.flip(floats)
        return values
    return floats if dtype in FLOATS else ints


# ---------------------------------------------------------------- values and dtypes

@pytest.mark.parametrize('dtype', FLOATS + COMPLEX)
@pytest.mark.parametrize('family', sorted(FLOAT_VALUES))
def test_float_families(dtype, family):
    values = values_for(dtype, FLOAT_VALUES[family], [])
    assert_same(make_pair(values, dtype))
    assert_same(make_pair(values[0], dtype))  # 0-dim


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('family', sorted(INT_VALUES))
def test_integer_families(dtype, family):
    values = values_for(dtype, [float(v) for v in INT_VALUES[family]], INT_VALUES[family])
    assert_same(make_pair(values, dtype))
    assert_same(make_pair(values[-1], dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(), (1,), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 1), (40,),
                                   (2, 2, 2, 2, 2)])
def test_random_shapes(dtype, shape):
    rng = np.random.default_rng(sum(shape) + len(dtype))
    floats = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 10)
    ints = rng.integers(-100, 100, size=shape)
    assert_same(make_pair(values_for(dtype, floats, ints), dtype))


special_floats = st.sampled_from([NAN, INF, -INF, -0.0, 0.0])
any_floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False), special_floats,
                       st.integers(-1000, 1000).map(float))


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.lists(any_floats, min_size=1, max_size=12),
       st.sampled_from(FLOATS), st.sampled_from([None, (2, -1)]))
def test_hypothesis_floats(values, dtype, shape):
    if shape and len(values) % 2:
        values = values + [1.0]
    assert_same(make_pair(np.reshape(values, shape or -1), dtype))


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.lists(st.builds(complex, any_floats, any_floats), min_size=1, max_size=8),
       st.sampled_from(COMPLEX))
def test_hypothesis_complex(values, dtype):
    assert_same(make_pair(values, dtype))


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.lists(st.integers(-2**63, 2**63 - 1), min_size=1, max_size=30),
       st.sampled_from(['int8', 'int16', 'int32', 'int64', 'uint8']))
def test_hypothesis_integers(values, dtype):
    bits = np.iinfo(NUMPY[dtype]).bits
    low = np.iinfo(NUMPY[dtype]).min
    assert_same(make_pair([(v - low) % 2**bits + low for v in values], dtype))


# ---------------------------------------------------------------- layout

@pytest.mark.parametrize('dtype', ['int64', 'float32', 'float16', 'complex64', 'bool'])
@pytest.mark.parametrize('shape', [(1001,), (2000,), (50, 50), (100, 100), (3, 400), (400, 3),
                                   (11, 11, 11), (2, 3, 200), (7, 7, 7, 7)])
def test_summarization(dtype, shape):
    rng = np.random.default_rng(len(shape))
    data = rng.standard_normal(shape) * 1000
    assert_same(make_pair(values_for(dtype, data, data.astype(int)), dtype))


@pytest.mark.parametrize('dtype', ['int64', 'float32', 'float64', 'complex128'])
@pytest.mark.parametrize('length', [10, 26, 60, 200])
def test_line_wrapping(dtype, length):
    floats = np.linspace(-1e5, 1e5, length).reshape(2, -1)
    values = values_for(dtype, floats, floats.astype(int))
    assert_same(make_pair(values, dtype))
    assert_same(make_pair(values.ravel(), dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(0,), (0, 3), (2, 0, 4), (0, 0)])
def test_empty(dtype, shape):
    assert_same(make_pair(np.zeros(shape), dtype))


# ---------------------------------------------------------------- print options

OPTIONS = [dict(precision=2), dict(precision=10), dict(precision=0), dict(threshold=5),
           dict(threshold=0), dict(edgeitems=1, threshold=10), dict(edgeitems=0),
           dict(edgeitems=0, threshold=3), dict(linewidth=30), dict(linewidth=200),
           dict(sci_mode=True), dict(sci_mode=False), dict(profile='short'),
           dict(profile='full'), dict(profile='short', precision=5)]


@pytest.mark.parametrize('options', OPTIONS, ids=str)
@pytest.mark.parametrize('dtype', ['int32', 'float32', 'bfloat16', 'complex64', 'bool'])
def test_print_options(options, dtype):
    torch.set_printoptions(**options)
    ember.set_printoptions(**options)
    assert ember._tensor_str.get_printoptions() == torch._tensor_str.get_printoptions()
    rng = np.random.default_rng(0)
    for shape in [(), (0,), (4,), (20,), (3, 30), (12, 12), (4, 5, 6)]:
        floats = rng.standard_normal(shape) * 300
        assert_same(make_pair(values_for(dtype, floats, floats.astype(int)), dtype))


UNUSUAL_OPTIONS = [dict(edgeitems=-1), dict(edgeitems=-2, threshold=3),
                   dict(edgeitems=-1, threshold=0), dict(edgeitems=1.5),
                   dict(edgeitems=2.0, threshold=3), dict(edgeitems=True, threshold=2),
                   dict(edgeitems=False, threshold=2), dict(edgeitems=100, threshold=2),
                   dict(profile=['short'], precision=3), dict(profile='bogus', linewidth=20)]


@pytest.mark.parametrize('options', UNUSUAL_OPTIONS, ids=str)
def test_unusual_print_options(options):
    """Options torch doesn't check print (or fail) as its code does: a negative edgeitems slices
    v[:-1] and v[1:] of a summarized row and stacks no rows of a matrix, a float one fails
    slicing, an unknown profile is ignored."""
    results = []
    for T in (torch, ember):
        T.set_printoptions(**options)
        texts = [T._tensor_str.get_printoptions()]
        for make in ['T.arange(1001.)', 'T.arange(7)', 'T.tensor(2.5)',
                     'T.arange(12.).reshape(3, 4)', 'T.arange(2000).reshape(20, 100)',
                     'T.tensor([1 + 2j, 3, 4, -5j])']:
            try:
                texts.append(repr(eval(make, {'T': T})))
            except (RuntimeError, TypeError) as error:
                texts.append((type(error), str(error)))
        results.append(texts)
    assert results[0] == results[1]


def test_print_options_object():
    """PRINT_OPTS prints and compares as torch's dataclass."""
    for library in (torch, ember):
        library.set_printoptions(threshold=math.inf, sci_mode=True)
    assert repr(ember._tensor_str.PRINT_OPTS) == repr(torch._tensor_str.PRINT_OPTS)
    fresh = type(ember._tensor_str.PRINT_OPTS)()
    assert fresh == type(fresh)() and fresh != ember._tensor_str.PRINT_OPTS
    assert type(torch._tensor_str.PRINT_OPTS)() != torch._tensor_str.PRINT_OPTS


def test_printoptions_context_manager():
    t, e = make_pair(np.linspace(0, 1, 7), 'float32')
    with torch._tensor_str.printoptions(precision=1, sci_mode=True), \
            ember._tensor_str.printoptions(precision=1, sci_mode=True):
        assert repr(e) == repr(t)
        assert ember._tensor_str.get_printoptions() == torch._tensor_str.get_printoptions()
    assert repr(e) == repr(t)
    assert ember._tensor_str.get_printoptions() == torch._tensor_str.get_printoptions()


def test_print_option_names_are_torchs():
    """torch 2.13 has set_printoptions at the top level, get_printoptions and printoptions only
    in torch._tensor_str."""
    for name in ('set_printoptions', 'get_printoptions', 'printoptions'):
        assert hasattr(ember, name) == hasattr(torch, name), name
        assert hasattr(ember._tensor_str, name) == hasattr(torch._tensor_str, name), name


# ---------------------------------------------------------------- suffixes

@pytest.mark.parametrize('default', ['float64', 'float16', 'bfloat16'])
@pytest.mark.parametrize('dtype', FLOATS + COMPLEX + ['int64', 'int32'])
def test_default_dtype_changes_dtype_suffix(default, dtype):
    torch.set_default_dtype(getattr(torch, default))
    ember.set_default_dtype(getattr(ember, default))
    for shape in [(), (0,), (2, 0), (3,)]:
        assert_same(make_pair(np.ones(shape), dtype))


@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16', 'complex64'])
@pytest.mark.parametrize('shape', [(), (3,), (2, 2), (0,), (30,), (2000,)])
def test_requires_grad_and_grad_fn(dtype, shape):
    t, e = make_pair(np.full(shape, 1.5), dtype, requires_grad=True)
    assert_same((t, e))
    assert_same((t * 2, e * 2))
    assert_same((t + t, e + e))


def test_suffix_wraps_to_new_line():
    values = np.arange(21.0) * 1.25
    for dtype in ['float64', 'float16']:
        t, e = make_pair(values, dtype, requires_grad=True)
        assert_same((t, e))
        assert_same((t * 2, e * 2))


def test_prefix_of_a_subclass_sets_indentation():
    class Custom(torch.Tensor):
        pass

    t, e = make_pair(np.arange(60.0).reshape(2, 30) / 7, 'float64')
    assert tensor_repr(e, prefix='Custom(') == repr(t.as_subclass(Custom))
    t, e = make_pair(np.arange(6.0), 'float32', requires_grad=True)
    assert 'Parameter containing:\n' + tensor_repr(e) == repr(torch.nn.Parameter(t.detach()))


def on_device(tensor, device):
    """A stand-in with ``tensor``'s values and attributes but on ``device`` (no CUDA/meta here)."""
    return types.SimpleNamespace(_data=tensor._data, dtype=tensor.dtype, shape=tensor.shape,
                                 requires_grad=tensor.requires_grad, grad_fn=tensor.grad_fn,
                                 device=ember.device(device))


@pytest.mark.parametrize('dtype', ['float32', 'int64', 'float64'])
@pytest.mark.parametrize('shape', [(), (0,), (2, 3)])
def test_meta_device_prints_no_values(dtype, shape):
    t, e = make_pair(np.zeros(shape), dtype)
    assert tensor_repr(on_device(e, 'meta'), prefix='tensor(') == repr(t.to('meta'))


def test_cuda_device_suffix_comes_first():
    _, e = make_pair([1.0, 2.0], 'float64', requires_grad=True)
    assert tensor_repr(on_device(e, 'cuda:0'), prefix='tensor(') == (
        "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)")
    _, e = make_pair(np.arange(24), 'int64')
    assert tensor_repr(on_device(e, 'cuda:1'), prefix='tensor(') == (
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23], device='cuda:1')")


def test_subclass_prints_its_name_as_prefix():
    class Custom(torch.Tensor):
        pass

    class EmberCustom(ember.Tensor):
        pass

    EmberCustom.__name__ = 'Custom'
    for values in [[1.0, 2.0], (np.arange(60.0).reshape(2, 30) / 7).tolist(), [], [[], []]]:
        assert_same((Custom(values), EmberCustom(values)))
    t, e = Custom([[1.5, 2.0], [3.0, 4.0]]), EmberCustom([[1.5, 2.0], [3.0, 4.0]])
    assert_same((t.requires_grad_(), e.requires_grad_()))


@pytest.mark.parametrize('dtype', ['float32', 'float64', 'int32'])
@pytest.mark.parametrize('shape', [(), (3,), (0,), (2, 0)])
def test_given_contents_replace_the_values(dtype, shape):
    t, e = make_pair(np.ones(shape), dtype, requires_grad=dtype != 'int32')
    assert tensor_repr(e, contents='[...]') == t.__repr__(tensor_contents='[...]')


VIEWS = {
    'transposed': lambda T: (T.arange(12.0).reshape(3, 4) / 3).t(),
    'stepped': lambda T: T.arange(20.0)[::3],
    'sliced_columns': lambda T: T.arange(20).reshape(4, 5)[1:, ::2],
    'expanded': lambda T: T.tensor([1.5, 2.0]).expand(3, 2),
    'expanded_summarized': lambda T: T.tensor([1.5, 2e-5]).expand(1000, 2),
    'conjugated': lambda T: T.tensor([1 + 2j, 3 - 4j]).conj(),
    'real_part': lambda T: T.tensor([1 + 2j, 3 - 4j]).real,
    'select_of_grad': lambda T: T.ones(6, requires_grad=True)[1],
    'view_of_grad': lambda T: T.ones(6, requires_grad=True).view(2, 3),
    'written_view': lambda T: T.ones(2, requires_grad=True).clone()[:1].mul_(2),
    'real_of_grad': lambda T: T.tensor([1 + 2j, 3 - 4j], requires_grad=True).real,   # Select
}


@pytest.mark.parametrize('name', sorted(VIEWS))
def test_views_and_noncontiguous(name):
    assert_same((VIEWS[name](torch), VIEWS[name](ember)))


@pytest.mark.parametrize('spec', ['.3f', '', 'e', '>10', '+.1e', 'd'])
@pytest.mark.parametrize('make', [lambda T: T.tensor(3.14159), lambda T: T.tensor(7),
                                  lambda T: T.tensor(True), lambda T: T.tensor(1 + 2j),
                                  lambda T: T.tensor(2.5, requires_grad=True),
                                  lambda T: T.tensor(2.5, dtype=T.float16),
                                  lambda T: T.tensor(2.5, dtype=T.bfloat16),
                                  lambda T: T.tensor([1.0, 2.0]), lambda T: T.tensor([])])
def test_format_spec(spec, make):
    try:
        expected = format(make(torch), spec)
    except (TypeError, ValueError) as error:
        with pytest.raises(type(error), match='^' + re.escape(str(error)) + '$'):
            format(make(ember), spec)
    else:
        assert format(make(ember), spec) == expected


def test_repr_passes_tensor_contents():
    for T in (torch, ember):
        assert T.ones(2).__repr__(tensor_contents='X') == 'tensor(X)'


def test_format_of_a_0d_subclass_is_object_format():
    results = []
    for T in (torch, ember):
        class Sub(T.Tensor):
            pass
        t = T.tensor(1.5)
        t.__class__ = Sub
        with pytest.raises(TypeError) as error:
            format(t, '.3f')
        results.append((format(t, ''), str(error.value)))
    assert results[0] == results[1]
