"""autograd.gradcheck / gradgradcheck in float64: pass on correct backward formulas of the
core ops, fail (raise GradcheckError, or return False) on a deliberately wrong one."""
import sys
import warnings

import numpy as np
import pytest
import torch

from helpers import check, function_class, rand
import ember

gradcheck = ember.autograd.gradcheck
gradgradcheck = ember.autograd.gradgradcheck


def leaf(*shape, seed=0, low=0.5, high=1.5):
    return ember.tensor(rand(*shape, seed=seed, low=low, high=high, dtype=np.float64),
                        requires_grad=True)


OPS = {
    'add': (lambda a, b: a + b, 2),
    'sub_broadcast': (lambda a, b: a - b[0], 2),
    'mul': (lambda a, b: a * b, 2),
    'div': (lambda a, b: a / b, 2),
    'pow': (lambda a, b: a ** b, 2),
    'pow_scalar': (lambda a, b: a ** 3, 1),
    'rpow': (lambda a, b: 2 ** a, 1),
    'matmul': (lambda a, b: a @ b.t(), 2),
    'neg_abs': (lambda a, b: (-a).abs() * b, 2),
    'exp_log': (lambda a, b: a.exp() + b.log(), 2),
    'sqrt': (lambda a, b: a.sqrt(), 1),
    'sum_mean': (lambda a, b: a.sum(0) * b.mean(), 2),
    'stack_cat': (lambda a, b: ember.cat([ember.stack([a, b]).reshape(-1), a.view(-1)]), 2),
    'squeeze_transpose': (lambda a, b: a.unsqueeze(0).transpose(1, 2).squeeze(0) * 2, 1),
    'indexing': (lambda a, b: a[1:, ::2] * b[[0, 1]][:, :2], 2),
    'clone_to': (lambda a, b: a.clone().to(ember.float64) * b, 2),
    'mse_loss': (lambda a, b: ember.nn.functional.mse_loss(a * b, b), 2),
}


@pytest.mark.parametrize('name', sorted(OPS))
def test_gradcheck_core_ops(name):
    fn, n = OPS[name]
    inputs = (leaf(2, 3), leaf(2, 3, seed=1))[:n] if name != 'indexing' else (leaf(3, 3),
                                                                             leaf(3, 3, seed=1))
    f = (lambda a, b: fn(a, b)) if n == 2 else (lambda a: fn(a, None))
    assert gradcheck(f, inputs)


@pytest.mark.parametrize('name', ['mul', 'div', 'pow', 'exp_log', 'sqrt', 'matmul', 'mse_loss'])
def test_gradgradcheck_core_ops(name):
    fn, n = OPS[name]
    inputs = (leaf(2, 2), leaf(2, 2, seed=1))[:n]
    f = (lambda a, b: fn(a, b)) if n == 2 else (lambda a: fn(a, None))
    assert gradgradcheck(f, inputs)


def _square_forward(ctx, x):
    ctx.save_for_backward(x)
    return x * x


def _square(lib, grad_of, once_differentiable=False):
    """An autograd.Function squaring x, whose backward is grad_of(x, g) (wrong on purpose, or
    once differentiable)."""
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return grad_of(x, g)
    if once_differentiable:
        backward = lib.autograd.function.once_differentiable(backward)
    return function_class(lib, _square_forward, backward)


def _wrong_square():
    return _square(ember, lambda x, g: 3 * x * g)   # should be 2 * x * g


def _right_square_wrong_second_of(lib):
    return _square(lib, lambda x, g: 2 * x.detach() * g)   # right value, no second derivative


def test_gradcheck_fails_on_wrong_backward():
    from ember.autograd.gradcheck import GradcheckError
    f = _wrong_square().apply
    with pytest.raises(GradcheckError, match='Jacobian mismatch for output 0 with respect to input 0'):
        gradcheck(f, (leaf(3),))
    assert gradcheck(f, (leaf(3),), raise_exception=False) is False


def _doubling(lib, backward):
    """A custom Function computing 2 x whose backward is backward(g)."""
    return function_class(lib, lambda ctx, x: x * 2, lambda ctx, g: backward(g))


def _doubling_with_wrong_backward(lib):
    return _doubling(lib, lambda g: g)   # forgets the 2


def test_gradcheck_error_type_like_torch():
    from torch.autograd.gradcheck import GradcheckError as TorchError
    from ember.autograd.gradcheck import GradcheckError
    assert issubclass(TorchError, RuntimeError) and issubclass(GradcheckError, RuntimeError)
    for lib, error in ((torch, TorchError), (ember, GradcheckError)):
        x = lib.tensor(rand(2, dtype=np.float64), requires_grad=True)
        with pytest.raises(error, match='Jacobian mismatch'):
            lib.autograd.gradcheck(_doubling_with_wrong_backward(lib).apply, (x,))


def test_gradgradcheck_fails_on_wrong_double_backward():
    f = _right_square_wrong_second_of(ember).apply
    assert gradcheck(f, (leaf(3),))
    assert gradgradcheck(f, (leaf(3),), raise_exception=False) is False


def test_gradcheck_right_custom_function_passes():
    square = _square(ember, lambda x, g: 2 * x * g)
    assert gradcheck(square.apply, (leaf(3),))
    assert gradgradcheck(square.apply, (leaf(3),))


def test_gradcheck_multiple_outputs_and_non_grad_inputs():
    const = ember.tensor(rand(3, dtype=np.float64))
    assert gradcheck(lambda a, c: (a * c, a.exp()), (leaf(3), const))


def test_gradcheck_agrees_with_torch_on_same_function():
    for lib in (torch, ember):
        x = lib.tensor(rand(2, 2, low=0.5, high=1.5, dtype=np.float64), requires_grad=True)
        assert lib.autograd.gradcheck(lambda a: (a @ a).sqrt().sum(0), (x,))


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
def test_gradcheck_failure_message(dtype):
    """The Jacobians in gradcheck's error print as torch prints them: tensors of the input's
    dtype with a row per input element."""
    def failed(lib):
        x = lib.tensor([[1., 2.], [3., 4.]], dtype=getattr(lib, dtype), requires_grad=True)
        try:
            lib.autograd.gradcheck(_doubling_with_wrong_backward(lib).apply, (x,), atol=1e-2,
                                   rtol=1e-2)
        except RuntimeError as error:
            return str(error)
    check(failed)


# ------------------------------------------------------------------ sweep

def _outcome(lib, fn, *args, **kwargs):
    """The result, or the exception's type name and message, with the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            result = fn(lib, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - compared with torch's
            result = (type(error).__name__, str(error).replace('-0.', ' 0.'))
    return result, [(w.category, str(w.message)) for w in caught]


def _same_outcome(fn, *args, **kwargs):
    expected = _outcome(torch, fn, *args, **kwargs)
    assert _outcome(ember, fn, *args, **kwargs) == expected
    return expected


def _leaf(lib, shape, dtype='float64', seed=0):
    return lib.tensor(rand(shape, seed=seed, low=0.5, high=1.5, dtype=np.float64),
                      dtype=getattr(lib, dtype), requires_grad=True)


@pytest.mark.parametrize('make_input', [
    lambda t: _leaf(t, (3, 2)).detach().t().requires_grad_(),
    lambda t: t.zeros(0, 3, dtype=t.float64, requires_grad=True),
    lambda t: _leaf(t, ()),
], ids=['non_contiguous', 'empty', 'scalar'])
def test_gradcheck_input_layouts(make_input):
    assert _same_outcome(lambda t: t.autograd.gradcheck(lambda x: x.exp(), (make_input(t),)))[0]


def test_gradcheck_non_contiguous_output():
    assert _same_outcome(lambda t: t.autograd.gradcheck(
        lambda a, b: (a * b).t(), (_leaf(t, (2, 3)), _leaf(t, (2, 3), seed=1))))[0]


@pytest.mark.parametrize('call', [
    lambda t: t.autograd.gradcheck(lambda x: x * 2, (_leaf(t, 3).detach(),)),
    lambda t: t.autograd.gradcheck(lambda x: x.detach() * 2, (_leaf(t, 3),)),
    lambda t: t.autograd.gradcheck(_doubling_with_wrong_backward(t).apply,
                                   (_leaf(t, 3, 'float32'),), atol=1e-2, rtol=1e-2),
    lambda t: t.autograd.gradcheck(lambda x: x * 2, (_leaf(t, 3).expand(2, 3),)),
], ids=['none_requires_grad', 'output_without_grad', 'float32_warns', 'stride_zero'])
def test_gradcheck_input_and_output_checks(call):
    _same_outcome(call)


def _nondeterministic(lib):
    calls = iter(range(1000))
    return _doubling(lib, lambda g: g * 2 + next(calls) * 1e-4)


@pytest.mark.parametrize('nondet_tol', [0.0, 1.0])
def test_gradcheck_reentrant_check(nondet_tol):
    _same_outcome(lambda t: t.autograd.gradcheck(_nondeterministic(t).apply, (_leaf(t, 2),),
                                                 atol=1e-2, nondet_tol=nondet_tol))


def test_gradcheck_backward_not_multiplied_by_grad_output():
    _same_outcome(lambda t: t.autograd.gradcheck(
        lambda x: _zero_sum(t, x), (_leaf(t, 2),)))


def _zero_sum(lib, x):
    """sum(x) whose backward also adds 1 where grad_output is 0 (not scaled by it)."""
    summed = function_class(lib, lambda ctx, x: x.sum(),
                            lambda ctx, g: g.expand(2) + (g == 0).to(g.dtype))
    return summed.apply(x)


@pytest.mark.parametrize('fn', [
    lambda t, z: z * z,
    lambda t, z: _doubling_with_wrong_backward(t).apply(z) * z,
    lambda t, z: (z * z.conj()).real,
], ids=['holomorphic', 'wrong', 'real_output'])
def test_gradcheck_complex(fn):
    _same_outcome(lambda t: t.autograd.gradcheck(
        lambda z: fn(t, z), (t.tensor([1 + 2j, 3 - 1j], requires_grad=True),)))


def test_gradcheck_complex_output_of_real_input():
    _same_outcome(lambda t: t.autograd.gradcheck(
        lambda x: _doubling_with_wrong_backward(t).apply(x) * (1 + 2j), (_leaf(t, 2),)))


def test_gradgradcheck_once_differentiable():
    def fn(lib):
        square = _square(lib, lambda x, g: g * 2 * x, once_differentiable=True)
        return lib.autograd.gradgradcheck(square.apply, (_leaf(lib, 2),), raise_exception=False)
    assert _same_outcome(fn)[0] is False


def test_gradgradcheck_draws_grad_outputs_as_torch():
    """gradgradcheck's random grad_outputs come from the global generator as torch's
    make_tensor draws them: the Jacobians in the error agree."""
    def fn(lib):
        lib.manual_seed(0)
        return lib.autograd.gradgradcheck(_right_square_wrong_second_of(lib).apply,
                                          (_leaf(lib, 2),))
    _same_outcome(fn)


@pytest.mark.parametrize('code', [
    'gradcheck(lambda a: a * 2, (x,), atol=-1)', 'gradcheck(lambda a: a * 2, (x,), rtol=-1)',
    'gradcheck(lambda a: a * 2, (x,), eps=-1e-6)', 'gradcheck(lambda a: a * a, (z,), eps=-1e-6)',
    'gradcheck(lambda a: (a * 2).to(T.int64), (x,))',
    'gradcheck(lambda a: (a * 2, (a * 2).to(T.int64)), (x,))',
    'gradcheck(lambda a: a.detach() * 2, (x,))'])
def test_tolerances_signs_and_integer_outputs(code):
    """Negative tolerances are refused, a negative eps is a step the other way, and integer
    outputs have no numerical gradient to check."""
    def run(T):
        x = T.tensor([1., 2.], dtype=T.float64, requires_grad=True)
        z = T.tensor([1 + 1j, 2.], dtype=T.complex128, requires_grad=True)
        return eval(code, {'T': T, 'x': x, 'z': z, 'gradcheck': T.autograd.gradcheck})
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'gradcheck(f, (x,), check_forward_ad=False, check_backward_ad=False)',
    'gradcheck(f, (x,), check_batched_grad=True, check_backward_ad=False, check_forward_ad=True)',
    'gradcheck(f, (x,), check_batched_forward_grad=True)',
    'gradcheck(f, (c,), check_forward_ad=False, check_backward_ad=False)',
    'gradgradcheck(f, (x,), check_fwd_over_rev=False, check_rev_over_rev=False)',
    'gradgradcheck(f, (x,), check_rev_over_rev=False, check_fwd_over_rev=True)',
    'gradgradcheck(f, (x,), check_batched_grad=True, check_rev_over_rev=False, '
    'check_fwd_over_rev=True, check_undefined_grad=False)',
    'gradcheck(f, (c,), atol=-1)', 'gradcheck(lambda a: a.detach() * 2, (x,), rtol=-1)',
    'gradcheck(f, (x,), atol=-1, raise_exception=False)',
    'gradgradcheck(lambda a: a.detach(), (x,))',
    'gradgradcheck(lambda a, b: a * b, (x, c))', 'gradgradcheck(f, (x, 2.0))',
])
def test_flag_combinations_and_argument_checks(code):
    """torch's assertions of gradcheck's flags, its tolerance errors only where Jacobians are
    compared, and gradgradcheck of a function with no differentiable output (torch's then
    calls it without inputs)."""
    def run(T):
        x = T.tensor([1., 2.], dtype=T.float64, requires_grad=True)
        c = T.tensor([1., 2.], dtype=T.float64)
        return eval(code, {'T': T, 'x': x, 'c': c, 'f': lambda a, *rest: a * a,
                           'gradcheck': T.autograd.gradcheck,
                           'gradgradcheck': T.autograd.gradgradcheck})
    check(run, match_message=True)


def test_gradgradcheck_warns_once_per_input_that_is_not_double():
    _same_outcome(lambda t: t.autograd.gradgradcheck(
        lambda a, b: a * b, (_leaf(t, 2, 'float32'), _leaf(t, 2, 'float32', seed=1)),
        raise_exception=False))


def _materialized(lib, grad_of, *, materialize=True, outputs=1):
    """A Function returning 2 x (``outputs`` times) whose backward is grad_of(x, *grads)."""
    def forward(ctx, x):
        ctx.set_materialize_grads(materialize)
        ctx.save_for_backward(x)
        return x * 2 if outputs == 1 else tuple(x * (k + 2) for k in range(outputs))

    def backward(ctx, *grads):
        return grad_of(ctx.saved_tensors[0], *grads)
    return function_class(lib, forward, backward)


@pytest.mark.parametrize('backward', [
    'g * 2', 'g * 2 if g is not None else None',
    'T.ones_like(x) * 2 if g is None else g * 2', 'g * 2 + 1',
    'T.ones_like(x) if g is None or h is None else g * 2 + h * 3',
    'g * 2 + h * 3', '(g if g is not None else 0) * 2 + (h if h is not None else 0) * 3',
    'T.ones(3) if g is None else g * 2', 'g.sum() if g is None else g * 2',
])
@pytest.mark.parametrize('materialize', [True, False])
@pytest.mark.parametrize('check_undefined_grad', [True, False])
def test_check_undefined_grad(backward, materialize, check_undefined_grad):
    """check_undefined_grad runs backward with all the output gradients undefined, then each
    alone: torch's errors (and warning) where backward doesn't take them for zeros."""
    outputs = 2 if 'h' in backward else 1

    def run(lib):
        def grad_of(x, g, h=None):
            return eval(backward, {'T': lib, 'x': x, 'g': g, 'h': h})
        f = _materialized(lib, grad_of, materialize=materialize, outputs=outputs)
        return lib.autograd.gradcheck(f.apply, (_leaf(lib, 2),), raise_exception=False,
                                      check_undefined_grad=check_undefined_grad)
    _same_outcome(run)


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16', 'float32', 'float64', 'complex64',
                                   'complex128'])
@pytest.mark.parametrize('code', [
    'wrong(a)', 'wrong(a).sum()', 'wrong(a) * b', '(wrong(a) * b, a + b)',
    'wrong(a.to(T.float64)) * 2', 'wrong(a.to(T.complex128)) * (1 + 1j)',
    'wrong(a).to(T.float32)', 'wrong(a) * b * (2 - 1j)',
])
def test_failure_message_jacobian_dtypes(dtype, code):
    """The Jacobians in gradcheck's error: the analytical one of the input's dtype, the
    numerical one of the output's (of a complex input, the input's), and no -0. in the
    imaginary part's."""
    def run(T):
        wrong = _doubling_with_wrong_backward(T).apply
        a = T.tensor([0.5, 1.0], dtype=T.float64).to(getattr(T, dtype)).requires_grad_()
        b = T.tensor([1.5, 2.0], dtype=T.float64, requires_grad=True)
        return T.autograd.gradcheck(lambda a, b: eval(code, {'T': T, 'wrong': wrong, 'a': a,
                                                             'b': b}),
                                    (a, b), atol=1e-2, rtol=1e-2, eps=1e-2)
    _same_outcome(run)


@pytest.mark.parametrize('code', [
    'num(lambda i: i[0] * i[1], (x, y))', 'num(lambda i: (i[0] * 2, i[0] * 3), (x,))',
    'num(lambda i: i[0] * 2, x)', 'num(lambda i: i[0] * 2, x, eps=1e-6)',
    'num(lambda i: i[0] * i[1], (x, c))', 'num(lambda i: i[0] * i[1], (x, y), target=(y,))',
    'num(lambda i: i[0] * i[1], (x, y), grad_out=2.0)', 'num(lambda i: i[0] * 1j, (x,))',
    'num(lambda i: (i[0] * z).real, (x,))', 'num(lambda i: (i[0] * i[0]).real, (z,))',
    'num(lambda i: i[0].sum(), (xf,))', 'num(lambda i: i[0].to(T.float64).sum(), (xf,))',
    'num(lambda i: i[0] * 2, (c,))', 'num(lambda i: (i[0] * 2).long(), (x,))',
    'ana((x, y), x * y)', 'ana((x, y), (x * y).sum())', 'ana((x, c), x * c)',
    'ana(x, x * 2, grad_out=3)', 'ana(x, x * 1j)', 'ana((xf,), xf.double() * 2)',
    'ana((x, y), x * 2)', "ana((x, y), x * y * float('nan'))",
    'spec(lambda a, b: (a * b, a + b), 0, (x, y), (x * y, x + y), 1e-6)',
    'spec(lambda a, b: (a * b, a + b), 1, (x, y), (x * y, x + y), 1e-6)',
    'spec(lambda a, b: (a * b, (a + b).long()), 0, (x, y), (x * y, (x + y).long()), 1e-6)',
    'spec(lambda a, b: a * b, 1, (x, c), (x * c,), 1e-6)',
    'spec(lambda a, b: a * b, 0, (x, c), (x * c,), 1e-6, input=y)',
])
def test_deprecated_jacobian_functions(code):
    """gradcheck's module-level get_numerical_jacobian, get_analytical_jacobian (deprecated,
    with torch's FutureWarning) and get_numerical_jacobian_wrt_specific_input."""
    def run(T):
        module = sys.modules[T.__name__ + '.autograd.gradcheck']
        scope = {'T': T, 'num': module.get_numerical_jacobian,
                 'ana': module.get_analytical_jacobian,
                 'spec': module.get_numerical_jacobian_wrt_specific_input,
                 'x': T.tensor([1., 2.], dtype=T.float64, requires_grad=True),
                 'y': T.tensor([3.], dtype=T.float64, requires_grad=True),
                 'c': T.tensor([3.], dtype=T.float64),
                 'z': T.tensor([1 + 2j, 3.], dtype=T.complex128, requires_grad=True),
                 'xf': T.tensor([1., 2.], requires_grad=True)}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = eval(code, scope)
        return result, [(w.category.__name__, str(w.message)) for w in caught]
    check(run, match_message=True, exact=True)


@pytest.mark.parametrize('dtype', ['float64', 'complex128'])
@pytest.mark.parametrize('shape', [(2,), (2, 2), (), (1,), (3, 1)])
@pytest.mark.parametrize('code', ['wrong(a) * a', '(wrong(a) * a, a.long())'])
def test_gradgradcheck_draws_non_contiguous_grad_outputs_as_torch(dtype, shape, code):
    """gen_non_contig_grad_outputs: torch's make_tensor(noncontiguous=True) draws twice the
    last dim and keeps every other element from the second (so the Jacobians differ)."""
    def run(lib):
        lib.manual_seed(0)
        wrong = _doubling_with_wrong_backward(lib).apply
        a = lib.arange(1, 1 + int(np.prod(shape)), dtype=lib.float64).reshape(shape) * 0.5
        return lib.autograd.gradgradcheck(
            lambda a: eval(code, {'wrong': wrong, 'a': a}),
            (a.to(getattr(lib, dtype)).requires_grad_(),), gen_non_contig_grad_outputs=True)
    _same_outcome(run)
