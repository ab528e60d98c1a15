"""torch.autograd.Variable, the legacy wrapper, against torch."""
import warnings

import pytest
import torch

from helpers import check
import ember


@pytest.mark.parametrize('code', [
    'Variable()', 'Variable(None)', 'Variable(t)', 'Variable(t, True)', 'Variable(t, 1.5)',
    'Variable(t, t)', 'Variable(t, requires_grad=2)', 'Variable(data=t, requires_grad=True)',
    "Variable(t, True, False, None, 'n')", 'Variable(t, name=3)', 'Variable(t, data=t)',
    'Variable(1, 2, 3, 4, 5, 6)', 'Variable(t, False, False, None, None, 1)',
    'Variable(t, foo=1)', 'Variable(3)', 'Variable([1.0])', 'Variable(t.long())',
    'Variable(t.long(), requires_grad=True)', 'Variable(t.double(), True)',
    'Variable(t, volatile=True)', 'Variable(t, requires_grad=True, volatile=True)',
    'Variable(t, _grad_fn=3)', 'Variable(t, _grad_fn=None)', 'Variable(u)', 'Variable(u, True)'])
def test_constructor(code):
    def run(T):
        t = T.tensor([1.5, -2.0])
        u = T.tensor([0.5, 3.0], requires_grad=True) * 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            v = eval(code, {'Variable': T.autograd.Variable, 't': t, 'u': u})
        return (v, type(v).__name__, v.is_leaf, v._base is not None,
                [str(w.message) for w in caught])
    check(run, match_message=True)


def test_variable_is_a_detached_alias_and_any_tensor_is_a_variable():
    for T in (torch, ember):
        t = T.tensor([1.5, -2.0])
        v = T.autograd.Variable(t, requires_grad=True)
        t.add_(1)
        assert v._version == t._version == 1
        assert v.tolist() == [2.5, -1.0]
        assert isinstance(t, T.autograd.Variable) and isinstance(v, T.autograd.Variable)
        assert not isinstance(1.0, T.autograd.Variable)
        assert not issubclass(T.Tensor, T.autograd.Variable)
        assert T.autograd.variable.Variable is T.autograd.Variable
