"""torch.autograd.gradcheck / gradgradcheck: analytical vs. finite-difference Jacobians.

A Jacobian here is a backend array with a row per input element and a column per output
element, as torch builds and prints them. ``fast_mode`` runs the full (slow) comparison.
Without forward-mode AD, ``check_forward_ad`` compares the Jacobians from backward; the
batched-gradient check (vmap) is not there.
"""
import itertools
import warnings

from .. import _dtype
from .function import Function


class GradcheckError(RuntimeError):
    """torch.autograd.gradcheck.GradcheckError."""


_NONDET_NOTE = """

NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _checked_inputs(inputs):
    """The inputs that require grad, after torch's checks of all inputs."""
    from .._dtype import complex128, float64
    wrt = []
    for i, t in enumerate(inputs):
        if _requires_grad(t):
            if t.dtype not in (float64, complex128):
                warnings.warn(f'Input #{i} requires gradient and is not a double precision '
                              'floating point or complex. This check will likely fail if all the '
                              'inputs are not of double precision floating point or complex. ',
                              UserWarning, stacklevel=4)
            if t.numel() and any(st == 0 and sz > 1 for st, sz in zip(t.stride(), t.shape)):
                raise RuntimeError(
                    f'The {i}th input has a dimension with stride 0. gradcheck only supports '
                    'inputs that are non-overlapping to be able to compute the numerical '
                    'gradients correctly. You should call .contiguous on the input before passing '
                    'it to gradcheck.')
            wrt.append(t)
    if not wrt:
        raise ValueError('gradcheck expects at least one input tensor to require gradient, but '
                         'none of them have requires_grad=True.')
    return wrt


def _numerical_jacobians(func, inputs, wrt, eps):
    """[input][output] Jacobians by central differences, for every output of ``func``; for
    a complex input, d/d(real part) + 1j d/d(imaginary part), as torch combines them."""
    xp = _xp(wrt[0]._data)
    per_input = []
    for t in wrt:
        columns = []
        for index in itertools.product(*map(range, t._data.shape)):
            column = _difference(func, inputs, t._data, index, eps, eps)
            if t.is_complex():
                imaginary = _difference(func, inputs, t._data, index, eps * 1j, eps)
                column = [re + 1j * im for re, im in zip(column, imaginary)]
            columns.append(column)
        n_outputs = len(columns[0]) if columns else len(_as_tuple(func(*inputs)))
        per_input.append([xp.stack([c[k] for c in columns]) if columns else xp.zeros((0, 0))
                          for k in range(n_outputs)])
    return per_input


def _difference(func, inputs, data, index, step, eps):
    """(f(x + step) - f(x - step)) / 2 eps for every output (flat), with x = data[index] and
    step eps (or eps * 1j, along the imaginary part)."""
    original = data[index].copy()
    data[index] = original + step
    plus = [o.detach().clone() for o in _as_tuple(func(*inputs))]
    data[index] = original - step
    minus = [o.detach().clone() for o in _as_tuple(func(*inputs))]
    data[index] = original
    return [((p - m) / (2 * eps))._data.reshape(-1) for p, m in zip(plus, minus)]


def _xp(array):
    from .._device import array_module
    return array_module(array)


def _analytical_jacobians(output, wrt, nondet_tol, check_grad_dtypes):
    """[input] Jacobians of one output from backward, computed twice (torch's reentrancy
    check: the two must agree within ``nondet_tol``)."""
    first = _vjp_rows(output, wrt)
    second = _vjp_rows(output, wrt)
    if check_grad_dtypes and any(g is not None and g.dtype is not t.dtype
                                 for row in first for g, t in zip(row, wrt)):
        raise GradcheckError('Gradient has dtype mismatch')
    jacobians, again = _stacked_all(first, wrt), _stacked_all(second, wrt)
    if not _reentrant(jacobians, again, nondet_tol):
        raise GradcheckError(
            'Backward is not reentrant, i.e., running backward with same input and grad_output '
            'multiple times gives different values, although analytical gradient matches '
            f'numerical gradient.The tolerance for nondeterminism was {nondet_tol}.'
            + _NONDET_NOTE)
    return jacobians


def _reentrant(jacobians, again, nondet_tol):
    """Whether two computations of the same Jacobians agree within ``nondet_tol`` (nan
    differences pass, as torch's)."""
    return not any(a.size and _xp(a).abs(a - b).max() > nondet_tol
                   for a, b in zip(jacobians, again))


def _vjp_rows(output, wrt):
    """For each output element, the gradients of the inputs with a one-hot grad_output."""
    from . import grad as autograd_grad
    from .._creation import zeros
    rows = []
    for i in range(output.numel()):
        seed = zeros(output.numel(), dtype=output.dtype)
        seed._data[i] = 1
        rows.append(autograd_grad(output, wrt, seed.reshape(output.shape), retain_graph=True,
                                  allow_unused=True))
    return rows


def _stacked_all(rows, wrt):
    """Each input's Jacobian from the rows _vjp_rows gives."""
    xp = _xp(wrt[0]._data) if wrt else None
    return [_stacked(xp, rows, j, t) for j, t in enumerate(wrt)]


def _stacked(xp, rows, j, t):
    """Input ``j``'s Jacobian: a column per output element (zeros where unused)."""
    columns = [xp.zeros(t.numel(), dtype=t._data.dtype) if row[j] is None
               else row[j]._data.reshape(-1) for row in rows]
    if not columns:
        return xp.zeros((t.numel(), 0), dtype=t._data.dtype)
    return xp.stack(columns, axis=1)


def _check_mul_by_grad_output(outputs, wrt):
    """torch's check that zero output gradients give zero input gradients."""
    from . import grad as autograd_grad
    from .._creation import zeros_like
    grads = autograd_grad(outputs, wrt, [zeros_like(o) for o in outputs], allow_unused=True)
    for g, t in zip(grads, wrt):
        if g is None:
            continue
        if g._data.any():
            raise GradcheckError('backward not multiplied by grad_output')
        if g.dtype is not t.dtype:
            raise GradcheckError('grad is incorrect type')
        if g.shape != t.shape:
            raise GradcheckError('grad is incorrect size')


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes,
               check_undefined_grad, check_backward_ad):
    """The whole check; complex outputs are checked as their imaginary, then real, part.
    Without forward-mode AD, the Jacobians from backward stand for those torch's
    check_forward_ad computes."""
    wrt = _checked_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    outputs = [o for o in func_out if o.requires_grad]
    complex_outputs = {i for i, o in enumerate(outputs) if o.is_complex()}
    if complex_outputs:
        for part in ('imaginary', 'real'):
            _check_part(_part_of(func, part), inputs, wrt, eps, atol, rtol, nondet_tol,
                        check_grad_dtypes, (part, complex_outputs))
    else:
        _check_part(func, inputs, wrt, eps, atol, rtol, nondet_tol, check_grad_dtypes)
    if check_backward_ad:
        _check_mul_by_grad_output(outputs, wrt)
        if check_undefined_grad:
            _check_undefined_grad(func, inputs, wrt)
    return True


def _check_undefined_grad(func, inputs, wrt):
    """torch's check that backward takes undefined output gradients for zeros: all of them
    undefined, then (with several outputs) each alone."""
    outputs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
    cases = [[_UndefinedGrad.apply(o) for o in outputs]]
    if len(outputs) > 1:
        for k in range(len(outputs)):
            again = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
            cases.append([_UndefinedGrad.apply(o) if i == k else o for i, o in enumerate(again)])
    for case in cases:
        _check_undefined_grad_case(case, wrt)


def _check_undefined_grad_case(outputs, wrt):
    """Zero gradients into ``outputs`` (those of _UndefinedGrad go on undefined)."""
    from . import grad as autograd_grad
    from .._creation import zeros_like
    try:
        grads = autograd_grad(outputs, wrt, [zeros_like(o) for o in outputs], allow_unused=True)
    except RuntimeError as error:
        _warn_undefined_grad_check()
        raise GradcheckError('Expected backward function to handle undefined output grads. '
                             'Please look at "Notes about undefined output gradients" in '
                             '"tools/autograd/derivatives.yaml"') from error
    if any(g is not None and g._data.any() for g in grads):
        _warn_undefined_grad_check()
        raise GradcheckError('Expected all input grads to be undefined or zero when all output '
                             'grads are undefined or zero. Please look at "Notes about undefined '
                             'output gradients" in "tools/autograd/derivatives.yaml"')


def _warn_undefined_grad_check():
    warnings.warn('Backwards compatibility: New undefined gradient support checking feature is '
                  'enabled by default, but it may break existing callers of this function. If '
                  'this is true for you, you can call this function with '
                  '"check_undefined_grad=False" to disable the feature', stacklevel=3)


class _UndefinedGrad(Function):
    """torch._C._functions.UndefinedGrad: its output's gradient goes on undefined."""

    @staticmethod
    def forward(ctx, tensor):
        return tensor

    @staticmethod
    def backward(ctx, grad):
        return None


_MINUS_I = complex(0, -1)  # (-1j is complex(-0.0, -1.0), whose -0. torch's Jacobians don't show)


def _part_of(func, part):
    """``func`` with its complex outputs replaced by their real or imaginary part."""
    def part_of(o):
        if not o.is_complex():
            return o
        return o.real if part == 'real' else (o * _MINUS_I).real
    return lambda *inputs: tuple(part_of(o) for o in _as_tuple(func(*inputs)))


def _check_part(func, inputs, wrt, eps, atol, rtol, nondet_tol, check_grad_dtypes,
                complex_part=None):
    func_out = _as_tuple(func(*inputs))
    differentiable = [k for k, o in enumerate(func_out) if o.requires_grad]
    numerical = _numerical_jacobians(func, inputs, wrt, eps)
    if not differentiable:   # (integer outputs have no numerical gradient to check)
        inexact = [k for k, o in enumerate(func_out) if o.dtype.category >= _dtype.FLOAT]
        if any(per_output[k].any() for per_output in numerical for k in inexact):
            raise GradcheckError('Numerical gradient for function expected to be zero')
        return True
    xp = _xp(wrt[0]._data)
    for i, k in enumerate(differentiable):
        analytical = _analytical_jacobians(func_out[k], wrt, nondet_tol, check_grad_dtypes)
        for j, (a, t) in enumerate(zip(analytical, wrt)):
            n = numerical[j][k].reshape(a.shape)
            if not _allclose(xp, a, n, rtol, atol):
                prefix = ''
                if complex_part is not None and i in complex_part[1]:
                    prefix = f'While considering the {complex_part[0]} part of complex outputs only, '
                raise GradcheckError(
                    f'{prefix}Jacobian mismatch for output {i} with respect to input {j},\n'
                    f'numerical:{_jacobian_tensor(n, t if t.is_complex() else func_out[k])}\n'
                    f'analytical:{_jacobian_tensor(a, t)}\n')
    return True


def _allclose(xp, a, b, rtol, atol):
    """torch.allclose of two Jacobians, with its errors for negative tolerances."""
    for name, tolerance in (('atol', atol), ('rtol', rtol)):
        if tolerance < 0:
            raise RuntimeError(f'{name} must be greater than or equal to zero, but got '
                               f'{tolerance}')
    return xp.allclose(a, b, rtol=rtol, atol=atol)


def _jacobian_tensor(jacobian, like):
    """A Jacobian as torch prints it in gradcheck's error: a tensor of the dtype of ``like``
    (the input for an analytical Jacobian; for a numerical one the output, as torch computes
    it, or a complex input)."""
    from .._tensor import _make
    return _make(jacobian.astype(like._data.dtype), like.dtype)


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """torch.autograd.gradcheck: True when backward agrees with finite differences."""
    _require(check_forward_ad or check_backward_ad,
             'Expected at least one of check_forward_ad or check_backward_ad to be True')
    _require(not check_batched_grad or check_backward_ad,
             'Setting check_batched_grad=True requires check_backward_ad to be True')
    _require(not check_batched_forward_grad or check_forward_ad,
             'Setting check_batched_forward_grad=True requires check_forward_ad to be True')
    try:
        return _gradcheck(func, _as_tuple(inputs), eps, atol, rtol, nondet_tol,
                          check_grad_dtypes, check_undefined_grad, check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _require(condition, message):
    """torch's assertion of a combination of gradcheck's flags."""
    if not condition:
        raise AssertionError(message)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """torch.autograd.gradgradcheck: gradcheck of the first derivative (second order)."""
    from . import grad as autograd_grad
    _require(check_fwd_over_rev or check_rev_over_rev,
             'Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True')
    _require(not check_undefined_grad or check_rev_over_rev,
             'Setting check_undefined_grad=True requires check_rev_over_rev to be True')
    _require(not check_batched_grad or check_rev_over_rev,
             'Setting check_batched_grad=True requires check_rev_over_rev to be True')
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
        grad_outputs = tuple(_random_like(o, gen_non_contig_grad_outputs) for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    n_outputs = len(grad_outputs)
    wrt = [i for i, x in enumerate(inputs) if _requires_grad(x)]

    def first_derivative(*args):  # (no grad_outputs: as torch's, it takes no inputs either)
        ins = args[:-n_outputs]
        outs = [o for o in _as_tuple(func(*ins)) if o.requires_grad]
        grads = autograd_grad(outs, [ins[i] for i in wrt], args[-n_outputs:],
                              create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     fast_mode=fast_mode, check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev, masked=masked)


def _requires_grad(x):
    from .._tensor import Tensor
    return isinstance(x, Tensor) and x.requires_grad


_PRIVATE_API = ("`{}` was part of PyTorch's private API and not meant to be exposed. We are "
                'deprecating it and it will be removed in a future version of PyTorch. If you '
                'have a specific use for this or feature request for this to be a stable API, '
                'please file us an issue at https://github.com/pytorch/pytorch/issues/new')


def _deprecated(name, grad_out):
    """torch's warning and grad_out check at the start of get_numerical/analytical_jacobian."""
    warnings.warn(_PRIVATE_API.format(name), FutureWarning, stacklevel=3)
    if grad_out != 1.0:
        raise ValueError(f'Expected grad_out to be 1.0. {name} no longer supports values of '
                         'grad_out != 1.0.')


def _require_real(name, outputs):
    if any(o.is_complex() for o in outputs):
        raise ValueError(f'Expected output to be non-complex. {name} no longer supports '
                         'functions that return complex outputs.')


def get_numerical_jacobian(fn, inputs, target=None, eps=1e-3, grad_out=1.0):
    """torch.autograd.gradcheck.get_numerical_jacobian (deprecated): the Jacobians of the
    first output of ``fn`` (called with the inputs as one tuple) by finite differences, one
    per input (or ``target``) that requires grad."""
    _deprecated('get_numerical_jacobian', grad_out)
    inputs = _as_tuple(inputs)
    func = lambda *tensors: fn(tensors)  # noqa: E731
    outputs = _as_tuple(func(*inputs))
    _require_real('get_numerical_jacobian', outputs)
    wrt = [t for t in _as_tuple(inputs if target is None else target) if _requires_grad(t)]
    return tuple(_numerical_jacobian_tensors(func, inputs, t, outputs, eps)[0] for t in wrt)


def get_numerical_jacobian_wrt_specific_input(fn, input_idx, inputs, outputs, eps, input=None,
                                              is_forward_ad=False):
    """torch.autograd.gradcheck.get_numerical_jacobian_wrt_specific_input: the Jacobians of
    each floating ``outputs`` (those of ``fn(*inputs)``) with respect to ``inputs[input_idx]``
    (or ``input``) by finite differences."""
    input = inputs[input_idx] if input is None else input
    if not input.requires_grad:
        raise AssertionError('Expected input to have requires_grad=True')
    return _numerical_jacobian_tensors(fn, inputs, input, _as_tuple(outputs), eps)


def _numerical_jacobian_tensors(func, inputs, input, outputs, eps):
    """The numerical Jacobians of the floating outputs with respect to ``input``, as tensors
    of their output's dtype (a complex input's, where it is complex)."""
    per_output = _numerical_jacobians(func, inputs, [input], eps)[0]
    return tuple(_jacobian_tensor(j, input if input.is_complex() else o)
                 for j, o in zip(per_output, outputs) if o.dtype.category >= _dtype.FLOAT)


def get_analytical_jacobian(inputs, output, nondet_tol=0.0, grad_out=1.0):
    """torch.autograd.gradcheck.get_analytical_jacobian (deprecated): (output's Jacobians
    from backward, one per input that requires grad; whether backward is reentrant; whether
    the gradients' dtypes and sizes are right: always, as the engine fits them)."""
    _deprecated('get_analytical_jacobian', grad_out)
    _require_real('get_analytical_jacobian', (output,))
    wrt = [t for t in _as_tuple(inputs) if _requires_grad(t)]
    jacobians = _stacked_all(_vjp_rows(output, wrt), wrt)
    reentrant = _reentrant(jacobians, _stacked_all(_vjp_rows(output, wrt), wrt), nondet_tol)
    return tuple(_jacobian_tensor(j, t) for j, t in zip(jacobians, wrt)), reentrant, True, True


def _random_like(t, noncontiguous):
    """torch.testing.make_tensor(low=-1, high=1, noncontiguous=...) of the output's shape and
    dtype (double for integer outputs), drawn from the global generator as torch draws it: a
    non-contiguous one is every other element, from the second, of a draw twice as long in
    the last dim."""
    from .._creation import empty
    from .._dtype import FLOAT, float64
    dtype = t.dtype if t.dtype.category >= FLOAT else float64
    if not (noncontiguous and t.numel() > 1):
        return empty(t.shape, dtype=dtype).uniform_(-1, 1).requires_grad_(True)
    doubled = empty((*t.shape[:-1], 2 * t.shape[-1]), dtype=dtype).uniform_(-1, 1)
    return doubled[..., 1::2].requires_grad_(True)
