"""sum and mean against torch: dims, keepdim, dtype=, out=, all dtypes, empty, gradients."""
import numpy as np
import pytest
import torch

from helpers import ALL_TORCH_DTYPES, check, check_grad, dtype_id, gradchecks, sample

DIMS = [None, 0, -1, (0, 1), (-1, 0), ()]


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_all_dtypes_and_dims(op, dtype):
    for shape in ((), (5,), (3, 4), (2, 3, 4), (0, 3), (2, 0)):
        x = sample(shape, dtype, seed=1)
        check(lambda T, a: getattr(T, op)(a), x, rtol=1e-2 if dtype.itemsize == 2 else None)
        for dim in DIMS:
            for keepdim in (False, True):
                if dim is None:
                    continue
                check(lambda T, a: getattr(a, op)(dim, keepdim=keepdim), x,
                      rtol=1e-2 if dtype.itemsize == 2 else None, atol=1e-2)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('out_dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_dtype_argument(op, out_dtype):
    for dtype in (torch.int32, torch.float32, torch.bool, torch.float16):
        x = sample((3, 4), dtype, seed=2)
        check(lambda T, a, d: getattr(T, op)(a, dtype=d), x, out_dtype, rtol=1e-2, atol=1e-2)
        check(lambda T, a, d: getattr(T, op)(a, 1, dtype=d), x, out_dtype, rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('out_dtype', [None, 'bfloat16', 'float16'])
@pytest.mark.parametrize('dtype', ['float16', 'bfloat16', 'float32', 'float64'])
@pytest.mark.parametrize('dim', [None, 0, 1])
def test_16_bit_results_accumulate_in_float32(op, out_dtype, dtype, dim):
    """A float16 or bfloat16 sum or mean (of that dtype, or dtype= it) rounds once: sum casts
    the input to the result's dtype and accumulates in float32, mean sums the input cast to
    float32, divides in float32, then rounds. The values are multiples of 1/8 whose float32
    sums are exact, so any rounding along the way shows."""
    x = (np.random.default_rng(3).integers(-64, 64, (50, 40)) / 8).astype(np.float32)

    def run(T, a):
        a = a.to(getattr(T, dtype))
        kwargs = {} if out_dtype is None else {'dtype': getattr(T, out_dtype)}
        return getattr(a, op)(**kwargs) if dim is None else getattr(a, op)(dim, **kwargs)
    check(run, x, exact=True)


def test_errors():
    x = sample((3, 4), 'float32')
    check(lambda T, a: a.sum(2), x)
    check(lambda T, a: a.sum((0, 0)), x)
    check(lambda T, a: a.mean(-3), x)
    check(lambda T, a: a.long().mean(), x)
    check(lambda T, a: a.sum(0.5), x)
    check(lambda T, a: T.tensor(3.0).sum(0), x)
    check(lambda T, a: T.tensor(3.0).sum(-1, keepdim=True), x)
    check(lambda T, a: T.tensor(3.0).mean(1), x)


@pytest.mark.parametrize('op', ['sum', 'mean'])
def test_out(op):
    x = sample((3, 4), 'float32')

    def fn(T, a):
        out = T.empty(0)
        r = getattr(T, op)(a, 1, out=out)
        assert r is out
        return out
    check(fn, x)
    check(lambda T, a: getattr(T, op)(a, 1, out=T.empty(3, dtype=T.float64)), x)
    check(lambda T, a: getattr(T, op)(a, 1, out=T.empty(3, dtype=T.int64)), x)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('dim', [None, 0, 1, (0, 2), -1])
@pytest.mark.parametrize('keepdim', [False, True])
def test_gradients(op, dim, keepdim):
    x = sample((2, 3, 4), 'float32', seed=3)
    if dim is None:
        fn = lambda T, a: getattr(a, op)()  # noqa: E731
    else:
        fn = lambda T, a: getattr(a, op)(dim, keepdim=keepdim)  # noqa: E731
    check_grad(fn, x)
    gradchecks(fn, sample((2, 3, 2), 'float64', seed=3))


def test_gradient_dtype_argument_and_complex():
    x = sample((3, 4), 'float32', seed=4)
    check_grad(lambda T, a: a.sum(dtype=T.float64), x)
    check_grad(lambda T, a: a.mean(0, dtype=T.float64), x)
    check_grad(lambda T, a: (a.sum(1) * 2).mean(), x)
    check_grad(lambda T, a: a.mean(0).abs(), sample((3, 4), 'complex64', seed=5))


@pytest.mark.parametrize('expression', [
    lambda L, x: x.sum(axis=0), lambda L, x: x.sum(0, keepdims=True),
    lambda L, x: x.mean(axis=1, keepdims=True), lambda L, x: L.sum(x, axis=(0, 1)),
    lambda L, x: L.cat([x, x], axis=1), lambda L, x: L.stack([x, x], axis=1)])
def test_numpy_argument_names(expression):
    """torch also takes NumPy's names axis= and keepdims= for dim and keepdim."""
    check(lambda L: expression(L, L.arange(6.).reshape(2, 3)), exact=True)


@pytest.mark.parametrize('expression', [
    'T.sum([1, 2])', 'T.mean(3.0)', 'a.sum_to_size()',
    'a.long().mean(dtype=T.int32)', 'a.mean(dtype=T.bool)', 'a.long().mean()',
    'a.sum_to_size(2, 4)', 'a.sum_to_size(5, 3, 4)', 'a.sum_to_size((3, 2))'])
def test_errors_match_torch(expression):
    check(lambda T, a: eval(expression), sample((3, 4), 'float32'), match_message=True)


@pytest.mark.parametrize('size', [(4,), (1, 4), (3, 1), (1, 1), (3, 4)])
def test_sum_to_size(size):
    check(lambda T, a: a.sum_to_size(size), sample((3, 4), 'float32', seed=2))
    check_grad(lambda T, a: a.sum_to_size(*size), sample((3, 4), 'float64', seed=3))


# ------------------------------------------------------------------ found by tests/test_fuzz.py

@pytest.mark.parametrize('dtype', ['int32', 'bool', 'uint8'])
def test_sum_to_integer_dtype_of_input_requiring_grad_raises(dtype):
    check(lambda T: T.ones(2, 3, requires_grad=True).sum(0, dtype=getattr(T, dtype)),
          match_message=True)
    check(lambda T: T.ones(2, 3, requires_grad=True).detach().sum(dtype=getattr(T, dtype)))


def test_sum_of_opposite_infinities_does_not_warn():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        check(lambda T: T.tensor([float('inf'), -float('inf')]).sum(), exact=True)
        check(lambda T: T.tensor([[float('inf'), -float('inf')]]).mean(1), exact=True)


@pytest.mark.parametrize('code', [
    't.sum(1.0)', 't.mean(1.0)', 't.float().mean(1.0)', 't.mean("a")',
    't.sum((0, 1.0))', 't.sum((0, None))', 't.sum([0, 1.5])', 't.sum(dim=[0, 1.0])',
    't.sum(np.int64(0))', 't.sum(T.tensor(0))', 't.sum((np.int64(0),))', 't.sum((0, True))',
    't.sum(True)', 't.float().mean(True)', 't.mean(5)', 't.float().mean(5)', 't.sum(5)'])
def test_dim_argument_types(code):
    """torch's parser checks dim's type before mean checks the dtype."""
    check(lambda T: eval(code, {'T': T, 't': T.tensor([1, 2]), 'np': np}), match_message=True)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('dtype', ['float32', 'float64', 'int64', 'complex64', None])
@pytest.mark.parametrize('out_dtype', ['float32', 'float64', 'int64'])
def test_out_of_another_dtype_than_dtype(op, dtype, out_dtype):
    """sum/mean with dtype= write only into an out= of that dtype (torch's error names both)."""
    def run(T):
        kwargs = {} if dtype is None else {'dtype': getattr(T, dtype)}
        out = T.zeros((), dtype=getattr(T, out_dtype))
        return getattr(T, op)(T.tensor([1., 2.]), 0, out=out, **kwargs)
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'x.sum(0, 1)', 'x.mean(0, 1)', 'T.sum(x, 0, 1)', 'T.mean(x, 0, 1)', 'x.sum(0, None)',
    'x.mean(0, 1.0)', 'x.sum(0, np.bool_(True))', 'x.sum(0, True)', 'T.mean(x, 0, False)'])
def test_keepdim_must_be_a_bool(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3), 'np': np}), match_message=True)


@pytest.mark.parametrize('code', ['x.sum(0, keepdim=1)', 'x.mean(0, keepdim=None)'])
def test_keepdim_by_keyword_must_be_a_bool(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}))


@pytest.mark.parametrize('code', [
    'T.sum(x, None, out=T.empty(()))', 'T.sum(x, dim=None, out=T.empty(()))',
    'T.sum(x, None, True, out=T.empty((1, 1)))', 'T.sum(x, 0, out=T.empty(3))',
    'T.mean(x, out=T.empty(()))', 'T.sum(x, (0, 1), out=T.empty(()))'])
def test_sum_and_mean_with_out(code):
    """out= over some dims or all of them (sum's dim overload takes dim=None; torch.sum(x,
    out=o) without one, which torch refuses, is accepted: see compatibility.md)."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}), match_message=True)


# ------------------------------------------------------------------ dtypes of mean's sum, out=

@pytest.mark.parametrize('dtype', ['float16', 'bfloat16'])
@pytest.mark.parametrize('input_dtype', ['complex64', 'complex128'])
@pytest.mark.parametrize('dim', [None, 0])
def test_mean_of_complex_in_16_bit_dtype_sums_its_real_part_in_float32(dtype, input_dtype, dim):
    """ATen sums the real part in float32 (not rounded to the 16-bit dtype first)."""
    x = sample((2, 3), input_dtype, seed=1)
    check(lambda T, a: a.mean(dim, dtype=getattr(T, dtype)) if dim is not None
          else a.mean(dtype=getattr(T, dtype)), x, exact=True)


def _outcome_and_out(run):
    """run(out)'s result or error message, and what out then holds."""
    def fn(T, a, out_dtype, shape):
        out = T.zeros(shape, dtype=getattr(T, out_dtype))
        try:
            return run(T, a, out), out
        except RuntimeError as error:
            return str(error), out
    return fn


@pytest.mark.parametrize('input_dtype', ['float16', 'float64', 'complex64', 'int64'])
@pytest.mark.parametrize('out_dtype', ['bool', 'int64', 'float16', 'float32', 'complex64'])
@pytest.mark.parametrize('dim', [None, 0, (0, 1)])
def test_mean_into_out_of_another_dtype(input_dtype, out_dtype, dim):
    """mean computes in out's dtype (a float16 input's mean into float32 is not rounded to
    float16); into an integer or bool out torch writes the sum, then its division fails; the
    overload without a dim (mean.dtype_out) first refuses an out the input can't be cast to."""
    x = torch.tensor([[1, 2, 1], [0, 1, 3]]).to(getattr(torch, input_dtype))
    run = (lambda T, a, out: T.mean(a, out=out)) if dim is None else \
        (lambda T, a, out: T.mean(a, dim, out=out))
    check(_outcome_and_out(run), x, out_dtype, (3,) if dim == 0 else (), exact=True)


@pytest.mark.parametrize('code', [
    'T.sum(x, 0, out=T.zeros((), dtype=T.int64))', 'T.sum(x, 5, out=T.zeros(()))',
    'T.sum(x, 0, dtype=T.float64, out=T.zeros(()))',
    'T.sum(x, 0, dtype=T.int32, out=T.zeros((), dtype=T.int64))',
    'T.mean(x, 0, out=T.zeros((), dtype=T.int64))', 'T.mean(x, out=T.zeros((), dtype=T.bool))',
    'T.mean(x, dtype=T.int64, out=T.zeros(()))', 'T.mean(x, 5, out=T.zeros(()))',
    'T.mean(x.detach(), 0, out=T.zeros((), requires_grad=True))'])
def test_out_requires_grad_error_comes_first(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(3, requires_grad=True)}), match_message=True)


@pytest.mark.parametrize('code', [
    'x.sum(dtype=float)', 'x.sum(0, dtype=complex)', 'T.sum(x, dtype=int)',
    'x.mean(dtype=float)', 'T.mean(x, 0, dtype=complex)', 'x.mean(dtype=int)'])
def test_dtype_given_as_python_type(code):
    check(lambda T: eval(code, {'T': T, 'x': T.arange(6.).reshape(2, 3)}), exact=True,
          match_message=True)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('dim', [None, 0])
def test_complex_sum_of_real_input_has_no_real_gradient(op, dim):
    """A real input's sum or mean with a complex dtype= gets a complex gradient, which torch's
    engine refuses."""
    def run(T):
        x = T.ones(2, 3, requires_grad=True)
        kwargs = {'dtype': T.complex64} if dim is None else {'dim': dim, 'dtype': T.complex64}
        getattr(x, op)(**kwargs).abs().sum().backward()
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'x.sum(2 ** 63)', 'x.mean(-2 ** 63 - 1)', 'T.sum(x, 2 ** 64)', 'x.sum((0, 2 ** 63))',
    'x.mean([0, -2 ** 63 - 1])', 'x.sum(2 ** 62)', 'x.mean((0, -2 ** 63))'])
def test_dims_beyond_int64(code):
    """torch's parser reads a dim as a C long long: beyond one, its ValueError (in a list, its
    TypeError naming the position)."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}), match_message=True)


@pytest.mark.parametrize('op', ['sum', 'mean'])
@pytest.mark.parametrize('dim', [None, 0, -1, (0, 2), [1], (0, 1, 2)], ids=str)
@pytest.mark.parametrize('keepdim', [False, True])
@pytest.mark.parametrize('dtype', ['float16', 'float64', 'complex64'])
def test_gradient_graph_as_aten_builds_it(op, dim, keepdim, dtype):
    """ATen's sum_backward unsqueezes the reduced dims back one by one and expands (a reduction
    of all dims expands its 0-d gradient); mean_backward then divides by the count (div by a
    Scalar: DivBackward1, a new tensor, so its strides are contiguous and it can be written in
    place). Values, strides and the nodes of the gradient's graph (create_graph) as torch's."""
    def run(T):
        x = T.arange(24.).reshape(2, 3, 4).to(getattr(T, dtype)).requires_grad_()
        y = getattr(x, op)() if dim is None else getattr(x, op)(dim, keepdim=keepdim)
        v = T.full(y.shape, 3., dtype=y.dtype, requires_grad=True)
        g, = T.autograd.grad(y, x, v, create_graph=True)
        nodes, node = [], g.grad_fn
        while node is not None and node.next_functions:
            nodes.append(node.name())
            node = node.next_functions[0][0]
        written = g.detach().add_(1) if op == 'mean' else None   # (sum's is expanded)
        return g, g.stride(), nodes, written
    check(run, exact=True)


@pytest.mark.parametrize('dims', ['(1, 0, -2)', '(2, 0, -1, 1)', '[2, -1, 0, -3]', '(0, -3, -1, 2)',
                                  '(1, 2, 1, 2)', '(0, 5, 0)'])
@pytest.mark.parametrize('op', ['sum', 'mean'])
def test_repeated_dim_is_named_as_given(op, dims):
    """The dim torch names is the first one (in the order given) that repeats an earlier one."""
    check(lambda T: getattr(T.ones(2, 3, 4), op)(eval(dims)), match_message=True)


@pytest.mark.parametrize('source', ['x.t()', 'p', 'c', 'e', 'p.half()', 'x'])
@pytest.mark.parametrize('call', ['sum(0)', 'sum(-1)', 'sum(1, keepdim=True)', 'mean(0)',
                                  'mean(-1, keepdim=True)', 'sum((0, 1))', 'sum(0, keepdim=True)',
                                  'mean(1, dtype=T.float64)'])
def test_results_are_contiguous(source, call):
    """torch allocates a reduction's result contiguous, strides of size-1 dims included, where
    NumPy's follows the order of a non-contiguous input (view(-1) then works)."""
    def run(T):
        x = T.arange(12.).reshape(3, 4)
        p = T.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)
        c = T.arange(24.).reshape(1, 2, 3, 4).permute(0, 2, 3, 1)
        e = T.arange(4.).reshape(4, 1, 1).expand(4, 3, 5)
        y = eval(f'{source}.{call}')
        return y, y.stride(), y.view(-1)
    check(run, exact=True)
