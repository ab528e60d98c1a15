"""dtypes and type promotion against torch: promote_types, result_type, can_cast, finfo, iinfo,
default dtype, dtype objects."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import (ALL_TORCH_DTYPES, DTYPE_NAMES, check, cpu_only_torch, default_dtype,
                     dtype_id, ember_dtype, outcomes, sample)


@pytest.mark.parametrize('a', ALL_TORCH_DTYPES, ids=dtype_id)
def test_promote_types_and_can_cast(a):
    for b in ALL_TORCH_DTYPES:
        assert repr(ember.promote_types(ember_dtype(a), ember_dtype(b))) == repr(torch.promote_types(a, b))
        assert ember.can_cast(ember_dtype(a), ember_dtype(b)) == torch.can_cast(a, b)


SCALARS = [True, 2, -3, 2.5, 1j, 10 ** 10]


@pytest.mark.parametrize('a', ALL_TORCH_DTYPES, ids=dtype_id)
def test_result_type(a):
    for b in ALL_TORCH_DTYPES:
        for sa, sb in (((3,), (3,)), ((), (3,)), ((3,), ()), ((), ())):
            if torch.float16 in (a, b) and (a.is_complex or b.is_complex) and sa != sb:
                continue  # torch gives complex32, a dtype ember does not have
            check(lambda T, x, y: T.result_type(x, y), sample(sa, a), sample(sb, b))
    for s in SCALARS:
        if a is torch.float16 and isinstance(s, complex):
            continue  # torch gives complex32, a dtype ember does not have
        check(lambda T, x: T.result_type(x, s), sample((2,), a))
        check(lambda T, x: T.result_type(s, x), sample((), a))


def test_result_type_scalars_only():
    for s in SCALARS:
        for t in SCALARS:
            check(lambda T: T.result_type(s, t))


def test_default_dtype_effects():
    with default_dtype(torch.float64):
        check(lambda T: T.get_default_dtype())
        check(lambda T: T.tensor([1.5, 2.0]))
        check(lambda T: T.tensor(1.5))
        check(lambda T: T.tensor([1j]))
        check(lambda T: T.ones(2))
        check(lambda T: T.arange(0.0, 1.0, 0.25))
        check(lambda T: T.tensor([1, 2]) / 2)
        check(lambda T: T.tensor([1, 2]) * 2.5)
        check(lambda T: T.result_type(T.tensor([1]), 1.0))
        check(lambda T: T.full((2,), 1.5))
        check(lambda T: T.linspace(0, 1, 5))
    check(lambda T: T.get_default_dtype())
    check(lambda T: T.set_default_dtype(T.int64))
    check(lambda T: T.set_default_dtype(T.float16) or T.ones(2).dtype)
    check(lambda T: T.set_default_dtype(T.float32))


def test_dtype_objects():
    for d in ALL_TORCH_DTYPES:
        e = ember_dtype(d)
        assert repr(e) == repr(d) and str(e) == str(d)
        assert e.is_floating_point == d.is_floating_point
        assert e.is_complex == d.is_complex
        assert e.is_signed == d.is_signed
        assert e.itemsize == d.itemsize
        assert e.to_real() is ember_dtype(d.to_real()) if not d.is_complex else True
    for alias in ('float', 'double', 'half', 'long', 'int', 'short', 'cfloat', 'cdouble', 'bool'):
        assert repr(getattr(ember, alias)) == repr(getattr(torch, alias))
    assert ember.float is ember.float32 and ember.long is ember.int64
    assert isinstance(ember.float32, ember.dtype)


FINFO_FIELDS = ['bits', 'eps', 'max', 'min', 'tiny', 'smallest_normal', 'resolution', 'dtype']


@pytest.mark.parametrize('d', [torch.float16, torch.bfloat16, torch.float32, torch.float64,
                               torch.complex64, torch.complex128], ids=dtype_id)
def test_finfo(d):
    e, t = ember.finfo(ember_dtype(d)), torch.finfo(d)
    for field in FINFO_FIELDS:
        assert getattr(e, field) == getattr(t, field), field
    assert repr(e) == repr(t)


def test_finfo_default_and_errors():
    assert ember.finfo().eps == torch.finfo().eps
    check(lambda T: T.finfo(T.int32), match_message=True)
    check(lambda T: T.iinfo(T.float32), match_message=True)


@pytest.mark.parametrize('d', [d for d in ALL_TORCH_DTYPES if d is not torch.float16],
                         ids=dtype_id)
def test_to_real_and_to_complex(d):
    """dtype.to_complex() of an integer or bool dtype is torch's RuntimeError (float16's
    complex32 is not in ember)."""
    check(lambda T: (d if T is torch else ember_dtype(d)).to_real(), exact=True)
    check(lambda T: (d if T is torch else ember_dtype(d)).to_complex(), exact=True,
          match_message=True)


@pytest.mark.parametrize('d', [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool],
                         ids=dtype_id)
def test_iinfo(d):
    check(lambda T: (T.iinfo(d if T is torch else ember_dtype(d)).bits, T.iinfo(d if T is torch else ember_dtype(d)).max,
                     T.iinfo(d if T is torch else ember_dtype(d)).min, T.iinfo(d if T is torch else ember_dtype(d)).dtype))
    if d is not torch.bool:
        assert repr(ember.iinfo(ember_dtype(d))) == repr(torch.iinfo(d))


def test_is_floating_point():
    for d in ALL_TORCH_DTYPES:
        check(lambda T, x: (T.is_floating_point(x), x.is_floating_point(), T.is_complex(x),
                            x.is_complex(), x.dtype.is_floating_point, x.itemsize, x.element_size()),
              sample((2,), d))


@pytest.mark.parametrize('scalar', [np.float64(1.5), np.float32(1.5), np.float16(1.5), np.int8(1),
                                    np.uint8(1), np.int64(1), np.bool_(True), np.complex128(1j)],
                         ids=repr)
@pytest.mark.parametrize('dtype', [torch.bool, torch.uint8, torch.int32, torch.float64,
                                   torch.complex64], ids=dtype_id)
def test_result_type_of_numpy_scalars(scalar, dtype):
    """torch parses NumPy scalars as Python numbers: ints are ints, complex128 is complex, the
    rest (bools too) are floats."""
    check(lambda T, x: T.result_type(x, scalar), sample((2,), dtype))
    check(lambda T, x: T.result_type(scalar, x), sample((), dtype))
    check(lambda T, x: x + scalar, sample((2,), dtype))


@pytest.mark.parametrize('value', [2 ** 64, -2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1], ids=str)
def test_result_type_of_huge_ints(value):
    check(lambda T, x: T.result_type(x, value), sample((2,), torch.int8), match_message=True)


@pytest.mark.parametrize('call', [
    lambda T: T.finfo(None), lambda T: T.finfo(float), lambda T: T.finfo(complex),
    lambda T: T.finfo(int), lambda T: T.finfo('float32'), lambda T: T.finfo(type=T.float16),
    lambda T: T.iinfo(int), lambda T: T.iinfo(float), lambda T: T.iinfo(bool), lambda T: T.iinfo(),
    lambda T: T.iinfo(type=T.int8), lambda T: T.finfo(T.float32) == T.finfo(T.float32),
    lambda T: T.finfo(T.float32) == T.finfo(T.float64),
    lambda T: T.promote_types(T.float32, float), lambda T: T.promote_types(float, int),
    lambda T: T.promote_types(T.float32, 'float32'),
    lambda T: T.promote_types(type1=T.int8, type2=T.float16),
    lambda T: T.can_cast(float, T.int32), lambda T: T.can_cast(T.float32, None),
    lambda T: T.can_cast(from_=T.int8, to=T.float16),
    lambda T: T.set_default_dtype(float), lambda T: T.set_default_dtype('x'),
    lambda T: T.set_default_dtype(T.int32)], ids=range(23))
def test_dtype_function_arguments(call):
    """Python number types stand for their dtypes; anything else is torch's TypeError."""
    def result(T):
        value = call(T)
        return repr(value) if type(value).__name__ in ('finfo', 'iinfo') else value
    check(result, match_message=True)


def test_default_bfloat16_has_no_complex():
    with default_dtype(torch.bfloat16):
        check(lambda T: T.tensor(1j), match_message=True)
        check(lambda T: T.full((2,), 1j), exact=True)
        check(lambda T: T.tensor([1, 1j]), match_message=True)
        check(lambda T: T.tensor(1.5), exact=True)


UINT64 = [2 ** 63, 2 ** 64 - 1]   # torch's parser reads these as uint64 numbers


@pytest.mark.parametrize('value', UINT64, ids=str)
@pytest.mark.parametrize('partner', [
    'T.ones(2, dtype=T.bool)', 'T.tensor(True)', 'T.ones(2, dtype=T.int8)', 'T.tensor(3)',
    'T.ones(2)', 'T.ones(2, dtype=T.bfloat16)', 'T.ones(2, dtype=T.float16)',
    'T.ones(2, dtype=T.complex64)', 'True', '2', '2.5', '1j', '2 ** 63'])
def test_promotion_with_a_uint64_number(value, partner):
    """An int in [2**63, 2**64) is a uint64 number, which promotes with a float only: with a
    bool or another int (or a complex number) torch refuses the promotion, naming both in
    their order; an integer tensor keeps its dtype, a float tensor computes with it."""
    def run(T):
        other = eval(partner, {'T': T})
        results = [T.result_type(other, value), T.result_type(value, other)]
        if isinstance(other, T.Tensor):
            results += [other + value, value * other, other == value, other.clone().add_(value)]
        return results
    check(run, match_message=True)


def test_result_type_of_two_uint64_numbers():
    assert repr(ember.result_type(2 ** 63, 2 ** 64 - 1)) == repr(torch.result_type(2 ** 63, 2 ** 64 - 1))


@pytest.mark.parametrize('call', [
    'T.result_type(tensor=x, other=y)', 'T.result_type(x, other=1)', 'T.result_type(x, other=y)',
    'T.result_type(scalar=1, tensor=i)', 'T.result_type(1, tensor=i)',
    'T.result_type(scalar1=1, scalar2=2.)', 'T.result_type(1, scalar2=2.)',
    'T.result_type(T.tensor(2.), tensor=i)', 'T.result_type(x, T.tensor(1., requires_grad=True))',
    'T.result_type(x, None)', 'T.result_type(None, x)', 'T.result_type(None, 1)',
    'T.result_type(x)', 'T.result_type()', 'T.result_type(x, 1, 2)', 'T.result_type(x, y, x)',
    'T.result_type(x, tensor=x)', 'T.result_type(x, [1])', 'T.result_type("a", "b")',
    'T.result_type(1, scalar2=x)', 'T.result_type(1, other=x)', 'T.result_type(x, T.float32)',
    'T.result_type(x, foo=1)', 'T.result_type(2 ** 64, -2 ** 63 - 1)',
    'T.result_type(-2 ** 63 - 1, 2 ** 64)'])
def test_result_type_arguments(call):
    """result_type's four overloads (tensor or number, by position or keyword) and the
    parser's errors listing them, each with its note on why it didn't match; two numbers out of
    range are read right to left, as C++ evaluates torch's call."""
    def run(T):
        scope = {'T': T, 'x': T.ones(2), 'y': T.ones(2, dtype=T.float64),
                 'i': T.ones(2, dtype=T.int8)}
        return eval(call, scope)
    (t_kind, t_value, _), (e_kind, e_value, _) = outcomes(run)
    assert e_kind == t_kind, (t_value, e_value)
    assert str(e_value) == str(t_value)


@pytest.mark.parametrize('call', [
    'T.promote_types()', 'T.promote_types(T.float32)', 'T.promote_types(type2=T.float32)',
    'T.promote_types(T.float32, type3=T.int8)', 'T.promote_types(T.float32, T.int8, T.int8)',
    'T.promote_types(T.float32, type1=T.int8)', 'T.promote_types(T.float32, T.int8, type3=1)',
    'T.can_cast()', 'T.can_cast(to=T.float32)', 'T.can_cast(T.float32, T.int8, T.int8)',
    'T.can_cast(T.float32, to=T.int8)', 'T.iinfo(T.int8, T.int8)', 'T.iinfo(x=T.int8)',
    'T.iinfo(T.int8, x=1)', 'T.iinfo(T.int8, type=T.int8)', 'T.finfo(T.float32, T.float32)',
    'T.finfo(x=T.float32)', 'T.finfo(T.float32, x=1)', 'T.finfo(T.float32, type=T.float32)',
    'T.set_default_dtype(d=T.float64)'])
def test_dtype_function_argument_errors(call):
    """torch's parser's messages for missing (all named from the first missing, 'arguments'
    for one), surplus and unknown arguments."""
    check(lambda T: eval(call, {'T': T}), match_message=True)


@pytest.mark.parametrize('call', [
    'T.finfo(T.float32) == T.finfo(T.float32)', 'T.finfo(T.float32) != T.finfo(T.float32)',
    'T.finfo(T.float32) == T.finfo(T.complex64)', 'T.finfo(T.float32) == T.finfo(T.float64)',
    'T.iinfo(T.int8) == T.iinfo(T.int8)', 'T.iinfo(T.int8) != T.iinfo(T.int8)',
    'T.iinfo(T.int8) == T.iinfo(T.int16)', 'hash(T.finfo(T.float32))', 'hash(T.iinfo(T.int8))',
    'setattr(T.finfo(), "eps", 1)', 'setattr(T.iinfo(T.int8), "max", 1)',
    'setattr(T.finfo(), "foo", 1)', 'delattr(T.finfo(), "eps")', 'T.iinfo(T.uint8).eps',
    'T.iinfo(T.uint8).tiny', 'T.finfo().foo', 'copy.copy(T.finfo())',
    'copy.deepcopy(T.iinfo(T.int8))', 'pickle.dumps(T.finfo())',
    'sorted(a for a in dir(T.finfo()) if not a.startswith("_"))',
    'sorted(a for a in dir(T.iinfo(T.int32)) if not a.startswith("_"))',
    'str(T.iinfo(T.int64))', 'str(T.finfo(T.bfloat16))'])
def test_finfo_and_iinfo_objects(call):
    """finfo and iinfo compare equal for one dtype, and are read-only, unhashable and
    unpicklable, with torch's messages."""
    check(lambda T: eval(call, {'T': T, 'copy': copy, 'pickle': pickle}), match_message=True)


@pytest.mark.parametrize('call', [
    'D.abbr', 'setattr(D, "itemsize", 1)', 'setattr(D, "is_complex", True)',
    'setattr(D, "abbr", "x")', 'delattr(D, "itemsize")', 'setattr(D, "foo", 1)', 'D.foo',
    'type(D)()', 'type(D)("float32")', 'copy.deepcopy(D) is D', 'pickle.loads(pickle.dumps(D)) is D',
    'D == None', 'D != 1', 'D.itemsize'])
@pytest.mark.parametrize('name', ['bool', 'uint8', 'int16', 'bfloat16', 'float64', 'complex64'])
def test_dtype_attributes(name, call):
    """dtypes have torch's abbr, can't be created and their attributes can't be written (a
    write would change every tensor of the dtype), with torch's messages."""
    check(lambda T: eval(call, {'D': getattr(T, name), 'copy': copy, 'pickle': pickle}),
          match_message=True)


@pytest.mark.parametrize('function', ['is_signed', 'is_complex', 'is_floating_point'])
@pytest.mark.parametrize('input', DTYPE_NAMES + ['1', 'None', '[1.]'])
def test_dtype_predicates(function, input):
    """torch.is_signed / is_complex / is_floating_point of a tensor of each dtype, and the
    parser's TypeError for anything else."""
    def run(T):
        value = T.ones(2, dtype=getattr(T, input)) if input in DTYPE_NAMES else eval(input)
        return getattr(T, function)(value)
    check(run, match_message=True)


@pytest.mark.parametrize('t', [
    'T.DoubleTensor', '"torch.DoubleTensor"', 'T.HalfTensor', '"torch.BFloat16Tensor"',
    'T.FloatTensor', 'T.LongTensor', '"torch.ByteTensor"', 'T.float64', 'T.Tensor', '[1]', '1',
    '"foo"', *(pytest.param(t, marks=cpu_only_torch)  # (a CUDA build makes them the default)
               for t in ('"torch.cuda.FloatTensor"', 'T.cuda.DoubleTensor'))])
def test_set_default_tensor_type(t, warn_always):
    """The deprecated torch.set_default_tensor_type: a floating legacy type (or its name) sets
    the default dtype, with torch's deprecation warning; anything else is torch's error."""
    def run(T):
        with default_dtype(torch.float32), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            T.set_default_tensor_type(eval(t))
            made = T.tensor([1.5]), T.ones(2), T.get_default_dtype()
        return made, [str(w.message) for w in caught]
    check(run, match_message=True)
