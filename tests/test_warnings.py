"""Warnings torch gives once per process (TORCH_WARN_ONCE) or every time, against torch: the
same messages for the same calls (with set_warn_always(True), under which torch repeats its
once-warnings, so that both libraries can be compared call by call), and ember's once."""
import warnings

import numpy as np
import pytest

from helpers import check
import ember
from ember import _warnings


def messages(code):
    """A check function: the warnings (messages) and result of ``code`` (T the library)."""
    def run(T):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = eval(code, {'T': T, 'np': np, 'x': T.ones(2, requires_grad=True)})
        return [str(w.message) for w in caught], result
    return run


@pytest.mark.parametrize('code', [
    # complex values cast to a real dtype lose their imaginary part, with torch's warning
    'T.tensor([1+2j]).float()', 'T.tensor([1+2j]).to(T.int32)', 'T.tensor([1+2j]).double()',
    'T.tensor([1+2j]).half()', 'T.tensor([1+2j]).type(T.float32)', 'T.tensor([1+2j]).to(T.bool)',
    'T.tensor([1+2j]).sum(dtype=T.float64)', 'T.tensor([1+2j]).sum(dtype=T.int64)',
    'T.tensor([1+2j, 3j]).mean(dtype=T.float16)', 'T.zeros(2).copy_(T.tensor([1+2j, 1j]))',
    'T.zeros(2, dtype=T.int64).copy_(T.tensor([1+2j, 1j]))', 'T.zeros(2).fill_(T.tensor(1+2j))',
    'T.tensor(np.array([1+2j]), dtype=T.float32)', 'T.as_tensor(np.array([1+2j]), dtype=T.float32)',
    'T.tensor([1+2j]).real.float()', 'T.tensor([1+2j], requires_grad=True).float()',
    # float() and complex() of a tensor that requires grad (int(), bool(), item() don't warn)
    'float(T.tensor(1.5, requires_grad=True))', 'complex(T.tensor(1.5, requires_grad=True) * 2)',
    'int(T.tensor(1.5, requires_grad=True))', 'bool(T.tensor(1.5, requires_grad=True))',
    'T.tensor(1.5, requires_grad=True).item()', 'float(T.tensor(1.5))',
    'float(T.tensor([1.5, 2.], requires_grad=True))',
    # torch.tensor reads tensor leaves with float() (or complex(), or index() for integers)
    'T.tensor([x[0], x[1]])', 'T.tensor([x.sum(), 2.])', 'T.tensor([[x[0]]])',
    'T.tensor([x[0]], dtype=T.int64)', 'T.as_tensor([x[0]])', 'T.tensor(x.sum())',
    'T.tensor([T.tensor(1, dtype=T.int64)])', 'T.tensor([x[0], x])',
    # .grad of a tensor that is not a leaf
    '(x * 2).grad',
    # torch's parser reads NumPy's complex64 as a Number through float(): NumPy's ComplexWarning
    'T.full((2,), np.complex64(2))', 'T.arange(np.complex64(3))', 'T.arange(0, np.complex64(3j))',
    'T.full_like(T.zeros(2), np.complex64(1+1j))', 'T.linspace(np.complex64(1), 3, 3)',
    'T.logspace(0, np.complex64(1), 3)', 'T.logspace(0, 1, 3, base=np.complex128(2))',
    # converting a read-only NumPy array; a tensor copied by new_tensor; randint past float16's ints
    'T.from_numpy(np.broadcast_to(np.arange(3.), (3,)))', 'T.as_tensor(np.broadcast_to(np.arange(3.), (3,)))',
    'T.zeros(2).new_tensor(T.ones(2))', 'T.randint(0, 5000, (2,), dtype=T.float16).shape',
    'T.zeros(2, dtype=T.float16).random_(0, 5000).shape', 'T.arange(3, out=T.zeros(2, dtype=T.int64))',
])
def test_warnings(code, warn_always):
    check(messages(code), match_message=True)


@pytest.mark.parametrize('code', ['x = T.zeros(3); x[:2] = T.tensor([1j, 2]); r = x',
                                  'x = T.zeros(2); x[0] = T.tensor(1j); r = x'])
def test_complex_writes_into_real_tensors_warn(code, warn_always):
    def run(T):
        namespace = {'T': T}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            exec(code, namespace)
        return [str(w.message) for w in caught], namespace['r']
    check(run, match_message=True)


def test_once_warnings_come_once():
    ember.set_warn_always(False)
    _warnings._warned.clear()
    read_only = np.broadcast_to(np.arange(3.), (3,))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        for _ in range(2):
            ember.tensor([1j]).float()
            float(ember.tensor(1.0, requires_grad=True))
            complex(ember.tensor(1.0, requires_grad=True))
            ember.from_numpy(read_only)
            ember.as_tensor(read_only)
            ember.tensor([np.array([1, 2]), np.array([3, 4])])
    assert [str(w.message)[:30] for w in caught] == [
        'Casting complex values to real', 'Converting a tensor with requi',
        'The given NumPy array is not w', 'Creating a tensor from a list ']


@pytest.mark.parametrize('data', ['[np.array([1, 2]), np.array([3, 4])]', '(np.array(1.), 2)',
                                  '[[np.array(1)]]', '[1, np.array(2)]', '[np.array(1.)]',
                                  '[[1, 2], np.array([3, 4])]', '[[np.array([1])]]'])
def test_list_of_arrays_warning(data):
    """torch's once-warning for a list whose first item is an ndarray (torch repeats it twice
    per call under set_warn_always: compared with the first)."""
    def first(T):
        T.set_warn_always(True)
        try:
            messages, result = globals()['messages'](f'T.tensor({data})')(T)
        finally:
            T.set_warn_always(False)
        return messages[:1], result
    check(first, match_message=True)


def test_complex_casts_under_warnings_as_errors():
    """NumPy's ComplexWarning never reaches the user (a warnings filter raising it sent ember's
    retry of float errors into an endless recursion); torch's own warning is what is raised."""
    ember.set_warn_always(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            for code in ('x.float()', 'x.sum(dtype=ember.float64)', 'ember.zeros(1).copy_(x)',
                         'ember.zeros(1).fill_(x[0])', 'x.to(ember.int32)'):
                with pytest.raises(UserWarning, match='Casting complex values to real'):
                    eval(code, {'x': ember.tensor([1 + 2j]), 'ember': ember})
    finally:
        ember.set_warn_always(False)
