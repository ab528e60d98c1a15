"""Tensor methods against torch's: ember._ops attaches each op module's TENSOR_METHODS, so a
method is its function, except where torch's methods differ from their functions."""
import inspect
import sys

import numpy as np
import pytest
import torch

from helpers import check
import ember
from ember import _ops

# Every method whose function takes out= (the binary operators excluded: they take one operand).
OUT_METHODS = sorted(
    name for module in _ops.MODULES for name, function in module.TENSOR_METHODS.items()
    if name not in _ops._BINARY_OPERATORS
    and 'out' in (getattr(function, '__kwdefaults__', None) or ()))
# torch parses these calls with one overload, whose message Python's call binding also gives:
# "add() got an unexpected keyword argument 'out'" (torch's others list their overloads, and
# its methods taking no argument say "TensorBase.neg() takes no keyword arguments").
SAME_MESSAGE = {'add', 'sub', 'mul', 'matmul', 'mm', 'dot', 'mv', 'bmm', 'sum', 'mean'}


def _call(T, name, **kwargs):
    """Tensor method ``name`` on operands it takes (ones)."""
    shape, other = {'mv': ((2, 2), (2,)), 'dot': ((2,), (2,)),
                    'bmm': ((1, 2, 2), (1, 2, 2))}.get(name, ((2, 2), (2, 2)))
    dtype = T.int64 if name.startswith('bitwise') else T.float32
    parameters = inspect.signature(getattr(ember.Tensor, name)).parameters.values()
    operands = sum(p.default is p.empty for p in parameters) - 1   # besides self
    args = {'sum': (0,), 'mean': (0,), 'clamp': (0, 1), 'clip': (0, 1)}.get(
        name, (T.ones(other, dtype=dtype),) * operands)
    return getattr(T.ones(shape, dtype=dtype), name)(*args, **kwargs)


@pytest.mark.parametrize('name', OUT_METHODS)
def test_methods_refuse_out(name):
    """torch.add(x, y, out=z) writes z, x.add(y, out=z) is a TypeError: no torch method
    takes out= (one that did would fail here)."""
    check(lambda T: _call(T, name))
    check(lambda T: _call(T, name, out=T.empty(0)), match_message=name in SAME_MESSAGE)
    check(lambda T: _call(T, name, out=None), match_message=name in SAME_MESSAGE)


@pytest.mark.parametrize('name', OUT_METHODS)
def test_method_names_and_docs(name):
    """A method is named as torch's (x.multiply is 'multiply', not 'mul'), as Python's errors
    name it, and keeps its function's doc."""
    method = getattr(ember.Tensor, name)
    assert method.__name__ == method.__qualname__ == getattr(torch.Tensor, name).__name__
    assert method.__doc__ == next(module.TENSOR_METHODS[name] for module in _ops.MODULES
                                  if name in module.TENSOR_METHODS).__doc__


# torch's functions refuse an input that is not a tensor with a TypeError (those that take a
# Python number as input, torch.add(2, x), need another tensor operand)
FUNCTIONS = sorted(_ops.__all__)


@pytest.mark.parametrize('name', FUNCTIONS)
@pytest.mark.parametrize('args', [(1.5,), (2,), ([1., -2.],), (True,), (None,), (2, 3),
                                  ([1., 2.], [3., 4.])], ids=repr)
def test_functions_refuse_inputs_that_are_not_tensors(name, args):
    check(lambda T: getattr(T, name)(*args))


@pytest.mark.parametrize('name', ['exp', 'abs', 'squeeze', 'clone', 'flatten', 't', 'sgn', 'real'])
def test_function_input_type_errors_name_the_function(name):
    check(lambda T: getattr(T, name)(1.5), match_message=True)


@pytest.mark.parametrize('code', [
    'T.exp(np.float64(1.))', 'T.sum(np.float32(1.))', 'T.squeeze(np.ones(2))',
    'T.is_nonzero(np.int64(1))', 'T.matmul(T.ones(2), np.float64(1))',
    'T.zeros_like(np.float64(1))', 'T.is_inference(np.ones(1))'])
def test_numpy_inputs_are_named_as_torchs_parser_names_them(code):
    check(lambda T: eval(code, {'T': T, 'np': np}), match_message=True)


# Methods whose torch name differs from the ember function they run (aliases, helpers' closures)
NAMED_METHODS = sorted(
    name for module in _ops.MODULES for name, method in module.TENSOR_METHODS.items()
    if not name.startswith('__') and callable(method) and hasattr(torch.Tensor, name))


@pytest.mark.parametrize('name', NAMED_METHODS)
def test_methods_are_named_as_torchs(name):
    """Python's TypeErrors name a method by its qualname: x.eq_ is 'eq_', not
    '_inplace.<locals>.method'; x.swapaxes_ is not 'transpose_'."""
    method = getattr(ember.Tensor, name)
    assert method.__name__ == method.__qualname__ == getattr(torch.Tensor, name).__name__


@pytest.mark.parametrize('name', FUNCTIONS)
def test_functions_are_named_as_torchs(name):
    function = getattr(ember, name)
    assert function.__name__ == function.__qualname__ == getattr(torch, name).__name__


@pytest.mark.parametrize('code', [
    'T.true_divide(dividend=x, divisor=x)', 'T.divide(x, bogus=x)', 'T.greater(x, bogus=1)',
    'T.eq(x, bogus=1)', 'T.bitwise_and(x, bogus=1)', 'T.not_equal(x, bogus=1)',
    'T.concat([x], bogus=1)', 'T.concatenate([x], bogus=1)', 'T.multiply(x, bogus=1)',
    'T.swapaxes(x, 0, 1, bogus=1)', 'x.eq_(bogus=1)', 'x.less_(bogus=1)', 'x.exp_(bogus=1)',
    'x.bitwise_and_(bogus=1)', 'x.squeeze_(bogus=1)', 'x.swapaxes_(0, 1, bogus=1)',
    'x.swapdims_(0, 1, bogus=1)', 'x.neg_(1)', 'x.sgn_(1)', 'x.true_divide(bogus=1)'])
def test_type_errors_name_the_function_as_torchs(code):
    """The messages differ (torch lists its overloads); the name they start with doesn't."""
    name = code.split('(')[0].split('.')[1]
    for T in (torch, ember):
        with pytest.raises(TypeError) as error:
            eval(code, {'T': T, 'x': T.ones(2, 3)})
        assert _without_class(str(error.value)).startswith(f'{name}()')


@pytest.mark.parametrize('name', ['eq_', 'ne_', 'lt_', 'le_', 'gt_', 'ge_', 'not_equal_', 'less_',
                                  'less_equal_', 'greater_', 'greater_equal_', 'bitwise_and_',
                                  'bitwise_or_', 'bitwise_xor_'])
def test_inplace_binary_methods_take_other_by_keyword(name):
    dtype = 'int64' if name.startswith('bitwise') else 'float32'
    check(lambda T: getattr(T.arange(6, dtype=getattr(T, dtype)).reshape(2, 3), name)(
        other=T.full((2, 3), 2, dtype=getattr(T, dtype))))


@pytest.mark.parametrize('code', [
    'x.swapaxes_(axis0=0, axis1=1)', 'x.swapdims_(dim0=0, dim1=1)', 'x.transpose_(dim0=0, dim1=1)',
    'x.swapaxes_(dim0=0, dim1=1)', 'x.copy_(other=T.ones(3))', 'x.copy_(T.ones(3), True)',
    'x.copy_(src=T.ones(3))', 'x.unsqueeze_(dim=0)', 'x.t_()'])
def test_inplace_methods_keywords(code):
    check(lambda T: eval(code, {'T': T, 'x': T.zeros(2, 3)}))


@pytest.mark.parametrize('code', [
    'x.numpy(bogus=1)', 'x.size(0, dim=0)', 'x.stride(0, dim=0)', 'x.dim(1)', 'x.item(bogus=1)',
    'x.tolist(1)', 'x.detach(bogus=1)', 'x.requires_grad_(True, bogus=1)', 'x.is_contiguous(1)',
    'x.backward(bogus=1)', 'x.register_hook(bogus=1)', 'x.numel(1)', 'x.type(T.float64, bogus=1)'])
def test_tensor_methods_named_as_torchs_in_type_errors(code):
    """torch's C methods are named 'numpy()' by Python's errors, its Python ones
    'Tensor.backward()' (messages compared up to the wording of argument counts)."""
    messages = []
    for T in (torch, ember):
        with pytest.raises(TypeError) as error:
            eval(code, {'T': T, 'x': T.ones(2)})
        messages.append(str(error.value).split('(')[0])
    if sys.version_info < (3, 11):   # CPython 3.10 names some C methods by the instance's type
        messages = [_without_class(m) for m in messages]
    assert messages[0] == messages[1]


def _without_class(message):
    """A TypeError message without the class its method is named by ('TensorBase.' or
    'Tensor.', which CPython 3.10 and 3.11 choose differently for torch's C methods)."""
    return message.replace('TensorBase.', '').replace('Tensor.', '')
