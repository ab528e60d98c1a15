"""ember's op core driven by PyTorch's own OpInfo database (op_db).

For every OpInfo whose op ember implements, each CPU sample input of every dtype ember
knows is converted to ember (values, dtype, strides, requires_grad; nested args and
kwargs too) and run through the function, method and in-place variants. Results must
match torch: values (bit-exact for elementwise ops, torch's default tolerances for
reductions and matrix products), dtypes, shapes; where torch raises (dtypes it rejects
included), ember raises the same exception type. float64/complex128 samples that
require grad also compare the gradients of a random-weighted sum of the outputs.
``op.error_inputs`` must raise torch's exception type.

Known gaps are listed in XFAILS (sample-level, strict: a listed sample that passes fails
the test); a test whose other samples all pass then reports as xfailed with the reasons.
"""
import warnings

import numpy as np
import pytest
import torch
from torch.testing._internal.common_methods_invocations import op_db

import ember
from helpers import (ALL_TORCH_DTYPES, assert_same, assert_same_exception, convert, dtype_id,
                     map_leaves, to_numpy)

# op_db names in ember's op surface (ops ember lacks, like float_power, are left out).
OP_NAMES = {
    'add', 'sub', 'rsub', 'mul', 'div', 'true_divide', 'floor_divide', 'remainder', 'pow',
    'neg', 'abs', 'sgn', 'sign', 'exp', 'log', 'sqrt', 'floor', 'conj', 'real', 'masked_fill',
    'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_not',
    'sum', 'mean', 'matmul', 'mm', 'stack', 'cat', 'squeeze', 'unsqueeze', 'reshape',
    'reshape_as', 'view', 'view_as', 'flatten', 'transpose', 't', 'permute', 'expand',
    'expand_as', 'broadcast_to', 'narrow', 'select', 'unbind', 'clone', 'contiguous', 'to',
    'clamp', 'nn.functional.mse_loss', '__getitem__', '__radd__', '__rsub__', '__rmul__',
    '__rdiv__', '__rmod__', '__rpow__', '__rmatmul__', '__rand__', '__ror__', '__rxor__',
    'dot', 'mv', 'bmm', 'adjoint',
}
OPS = [op for op in op_db if op.name in OP_NAMES]

# Compared with torch's default tolerances: summation order differs from torch's kernels,
# exp/log/pow/sqrt are NumPy's, not torch's SLEEF kernels, and complex arithmetic (mul, div, abs)
# is NumPy's formula, not torch's vectorised one: results may differ in the last ulp.
TOLERANT = {'sum', 'mean', 'matmul', 'mm', 'dot', 'mv', 'bmm', '__rmatmul__', 'nn.functional.mse_loss', 'exp', 'log',
            'pow', '__rpow__', 'sqrt'}
GRAD_DTYPES = (torch.float64, torch.complex128)
MAX_SAMPLES = 12   # per op, variant and dtype (keeps the file well under a minute)

# (op id, variant or None, dtype names or None, predicate(sample) or None) -> reason.
_GRADS = ('float64', 'complex128')
XFAILS = {}


def _op_id(op):
    return op.name + ('.' + op.variant_test_name if op.variant_test_name else '')


# -------------------------------------------------------------------- resolving ember's op

class Missing:
    """An ember callable that doesn't exist (the variant is xfailed as a whole)."""

    def __init__(self, where):
        self.where = where


def _ember_callable(fn):
    """ember's counterpart of a torch callable: same-named function, Tensor method, or the
    OpInfo's own lambda (which only calls Tensor methods)."""
    name = getattr(fn, '__name__', None)
    if name == '<lambda>':
        return fn
    qualname = getattr(fn, '__qualname__', '')
    if qualname.startswith(('TensorBase.', 'Tensor.')):
        return getattr(ember.Tensor, name, None) or Missing(f'Tensor.{name}')
    if getattr(fn, '__module__', None) == 'torch.nn.functional':
        return getattr(ember.nn.functional, name, None) or Missing(f'nn.functional.{name}')
    return getattr(ember, name, None) or Missing(f'ember.{name}')


def _variants(op):
    """(variant name, torch callable, ember callable) for function, method and in-place."""
    out = [('fn', op.op, _ember_callable(op.op))]
    if op.method_variant is not None and op.method_variant is not op.op:
        out.append(('method', op.method_variant, _ember_callable(op.method_variant)))
    if op.inplace_variant is not None:
        out.append(('inplace', op.inplace_variant, _ember_callable(op.inplace_variant)))
    return out


def _params():
    params = []
    for op in OPS:
        for variant, t_fn, e_fn in _variants(op):
            if isinstance(e_fn, Missing):
                params.append(pytest.param(op, variant, t_fn, e_fn, None,
                                           id=f'{_op_id(op)}-{variant}-missing',
                                           marks=pytest.mark.xfail(strict=True, reason=f'ember has no {e_fn.where}')))
                continue
            for dtype in ALL_TORCH_DTYPES:
                params.append(pytest.param(op, variant, t_fn, e_fn, dtype,
                                           id=f'{_op_id(op)}-{variant}-{dtype_id(dtype)}'))
    return params


# -------------------------------------------------------------------- converting samples

def _ember_tensor(t):
    """An ember leaf with t's values, dtype, strides (views of a copy of t's storage) and
    requires_grad."""
    if t.is_contiguous() or t.numel() == 0 or t.is_conj() or t.is_neg():
        e = ember.from_numpy(to_numpy(t))
    else:
        storage = torch.empty(0, dtype=t.dtype).set_(t.detach().untyped_storage())
        flat = to_numpy(storage)
        size = t.dtype.itemsize
        array = np.lib.stride_tricks.as_strided(
            flat[t.storage_offset():], t.shape, [s * size for s in t.stride()],
            writeable=0 not in t.stride())
        e = ember.from_numpy(array)
    if t.requires_grad:
        e.requires_grad_(True)
    return e


def _to_ember(obj, memo):
    """torch objects -> ember ones, recursively; one ember tensor per torch tensor object."""
    return map_leaves(obj, lambda leaf: _ember_leaf(leaf, memo))


def _ember_leaf(obj, memo):
    if isinstance(obj, torch.Tensor):
        if id(obj) not in memo:
            memo[id(obj)] = (obj, _ember_tensor(obj))
        return memo[id(obj)][1]
    return obj if isinstance(obj, np.ndarray) else convert(obj, 'ember')


def _tensors(obj):
    """The tensors in a (nested) result, in order."""
    if isinstance(obj, (torch.Tensor, ember.Tensor)):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for x in obj for t in _tensors(x)]
    return []


# -------------------------------------------------------------------- one sample

def _run(fn, args, kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return 'ok', fn(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the exception type itself is compared
        return 'raise', error


def check_sample(op, variant, t_fn, e_fn, sample, dtype):
    """Run one sample in both libraries and compare outcomes, values and gradients."""
    memo = {}
    t_args = [sample.input, *sample.args]
    e_args = _to_ember(t_args, memo)
    e_kwargs = _to_ember(sample.kwargs, memo)
    t_leaves = [t for t, _ in memo.values() if t.requires_grad]
    e_leaves = [e for t, e in memo.values() if t.requires_grad]
    if variant == 'inplace':   # write into a copy (non-leaf when it requires grad), as torch's tests
        t_args[0], e_args[0] = t_args[0].clone(), e_args[0].clone()

    t_kind, t_out = _run(t_fn, t_args, sample.kwargs)
    e_kind, e_out = _run(e_fn, e_args, e_kwargs)
    if t_kind == 'raise':
        assert e_kind == 'raise', \
            f'torch raised {type(t_out).__name__}: {t_out}; ember returned {e_out!r}'
        assert_same_exception(e_out, t_out)
        return
    if e_kind == 'raise':
        raise AssertionError(f'ember raised {type(e_out).__name__}: {e_out}') from e_out
    complex_ = dtype.is_complex or any(t.is_complex() for t in _tensors(t_out))
    exact = op.name not in TOLERANT and not complex_
    if exact:
        assert_same(e_out, t_out, exact=True)
    else:   # float32 summation order: a little above torch's default float32 rtol
        loose = dtype in (torch.float32, torch.complex64)
        assert_same(e_out, t_out, rtol=1e-5 if loose else None, atol=1e-5 if loose else None)
    if variant == 'inplace':
        assert e_out is e_args[0], 'in-place variant must return its input'
        assert_same(e_args[0], t_args[0], exact=exact, rtol=None if exact else 1e-5,
                    atol=None if exact else 1e-5, path='written input')
    t_outs, e_outs = _tensors(t_out), _tensors(e_out)
    for i, (t, e) in enumerate(zip(t_outs, e_outs)):
        assert e.requires_grad == t.requires_grad, f'result[{i}].requires_grad'

    if dtype not in GRAD_DTYPES or not t_leaves:
        return
    t_outs = [t for t in _tensors(sample.output_process_fn_grad(t_out)) if t.requires_grad]
    e_outs = [e for e in _tensors(sample.output_process_fn_grad(e_out)) if e.requires_grad]
    if not t_outs:
        return
    generator = torch.Generator().manual_seed(0)
    weights = [torch.randn(t.shape, dtype=t.dtype, generator=generator) for t in t_outs]
    t_grads = torch.autograd.grad(t_outs, t_leaves, weights, allow_unused=True)
    kind, e_grads = _run(ember.autograd.grad, (e_outs, e_leaves, [_ember_tensor(w) for w in weights]),
                         {'allow_unused': True})
    if kind == 'raise':
        raise AssertionError(f'ember backward raised {type(e_grads).__name__}: {e_grads}') from e_grads
    for i, (t, e) in enumerate(zip(t_grads, e_grads)):
        if t is None:
            assert e is None, f'grad[{i}] should be None'
        else:
            assert e is not None, f'grad[{i}] is None, torch has one'
            assert_same(e, t, path=f'grad[{i}]')


def _samples(op, variant, dtype):
    requires_grad = dtype in GRAD_DTYPES and op.supports_autograd
    # op.sample_inputs, minus its per-sample reseeding (torch.manual_seed formats a stack
    # trace for each lazy device: most of this file's time): one seed per op/variant/dtype.
    torch.default_generator.manual_seed(0)
    try:
        samples = list(op.sample_inputs_func(op, 'cpu', dtype, requires_grad))
    except Exception:  # noqa: BLE001 - OpInfo can't make samples of some dtypes it doesn't support
        return []
    if variant == 'inplace':
        samples = [s for s in samples if not s.broadcasts_input]
    return samples[:MAX_SAMPLES]


def _xfail_reason(op, variant, dtype, index, sample):
    for (op_id, v, dtypes, predicate), reason in XFAILS.items():
        if op_id == _op_id(op) and v in (None, variant) and \
                (dtypes is None or dtype_id(dtype) in dtypes) and \
                (predicate is None or predicate(sample)):
            return reason
    return None


# -------------------------------------------------------------------- tests

@pytest.mark.parametrize('op, variant, t_fn, e_fn, dtype', _params())
def test_op_samples(op, variant, t_fn, e_fn, dtype):
    if isinstance(e_fn, Missing):
        raise AssertionError(f'ember has no {e_fn.where}')
    failures, expected, unexpected_passes = [], [], []
    for index, sample in enumerate(_samples(op, variant, dtype)):
        reason = _xfail_reason(op, variant, dtype, index, sample)
        try:
            check_sample(op, variant, t_fn, e_fn, sample, dtype)
        except AssertionError as error:
            if reason is None:
                failures.append(f'sample {index} {sample.summary() if hasattr(sample, "summary") else sample}:\n  {error}')
            else:
                expected.append(f'sample {index}: {reason.lstrip("~")}')
            continue
        if reason is not None and not reason.startswith('~'):   # '~': some samples may pass
            unexpected_passes.append(f'sample {index}: XPASS(strict) {reason}')
    assert not failures and not unexpected_passes, '\n'.join(failures + unexpected_passes)
    if expected:
        pytest.xfail('; '.join(sorted(set(e.split(': ', 1)[1] for e in expected))))


ERROR_OPS = [op for op in OPS if op.error_inputs_func is not None]


# error inputs ember doesn't reject yet: predicate(sample) -> reason
ERROR_XFAILS = {   # (op name, a tuple of names or None, predicate(error_input)) -> reason
    ('cat', lambda e: 'single memory' in e.error_regex and
            getattr(e.sample_input.kwargs.get('out'), '_base', None) is not None):
        'the samples are converted one tensor at a time, so an out= view of an input is a '
        'copy in ember (the overlap check itself: test_shape.py::test_cat_and_stack_out_overlap)',
}


def _error_xfail(op, error_input):
    return next((reason for (name, predicate), reason in ERROR_XFAILS.items()
                 if (name is None or op.name == name
                     or (isinstance(name, tuple) and op.name in name))
                 and predicate(error_input)), None)


@pytest.mark.parametrize('op', ERROR_OPS, ids=_op_id)
def test_op_error_inputs(op):
    e_fn = _ember_callable(op.op)
    failures, expected = [], set()
    for error_input in op.error_inputs('cpu'):
        sample = error_input.sample_input
        reason = _error_xfail(op, error_input)
        memo = {}
        args = _to_ember([sample.input, *sample.args], memo)
        kwargs = _to_ember(sample.kwargs, memo)
        kind, out = _run(e_fn, args, kwargs)
        if out is NotImplemented:  # as torch's for some error inputs (Tensor.__rsub__(2, 3))?
            t_kind, t_out = _run(op.op, [sample.input, *sample.args], sample.kwargs)
            if t_out is NotImplemented:
                continue
        try:
            assert kind == 'raise', f'{sample}: ember returned {out!r}, torch raises ' \
                                    f'{error_input.error_type.__name__}: {error_input.error_regex}'
            assert_same_exception(out, error_input.error_type(error_input.error_regex))
        except AssertionError as error:
            if reason is None:
                failures.append(str(error))
            else:
                expected.add(reason.lstrip('~'))
            continue
        assert reason is None or reason.startswith('~'), f'XPASS(strict) {sample}: {reason}'
    assert not failures, '\n'.join(failures)
    if expected:
        pytest.xfail('; '.join(sorted(expected)))
