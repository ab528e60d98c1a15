"""autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp) against torch: values and
nesting for tensor and tuple inputs/outputs, create_graph, strict mode, outputs independent
of an input, errors; plus a finite-difference check of jacobian and hessian in float64."""
import numpy as np
import pytest
import torch

from helpers import check, rand
import ember
import ember.autograd.functional as F

DTYPES = [torch.float32, torch.float64]


def tensor(*shape, seed=0, dtype=torch.float32, requires_grad=False, low=0.5, high=1.5):
    """A torch tensor of deterministic values (check gives ember a copy)."""
    t = torch.from_numpy(rand(*shape, seed=seed, low=low, high=high, dtype=np.float64)).to(dtype)
    return t.requires_grad_(requires_grad)


def same(fn, *args, **kwargs):
    """fn(lib.autograd.functional, *args) in torch and ember: same values, nesting, or error."""
    return check(lambda T, *a: fn(T.autograd.functional, *a), *args, match_message=True,
                 **kwargs)


# Functions of one tensor x (3 elements) / two tensors x (3), y (3); all built from methods,
# so the same function runs on torch and on ember tensors.
def scalar_out(x):
    return (x ** 3 * x.exp()).sum() / x.log().mean().exp()


def vector_out(x):
    return x.exp() * x.sum() - x / (x * x + 1)


def matrix_out(x):
    return (x.reshape(3, 1) @ x.reshape(1, 3)).log() + x.reshape(3, 1) ** 2


def tuple_out(x):
    return x * x, (x.exp() * x).sum()


def two_in(x, y):
    return (x * y.exp()) @ (y / x) + (x ** 2 * y).sum()


def two_in_vector_out(x, y):
    return x * y ** 2 - y.log()


def two_in_two_out(x, y):
    return (x * y, (x / y).sum() * x.mean())


ONE_INPUT = {'scalar_out': scalar_out, 'vector_out': vector_out, 'matrix_out': matrix_out,
             'tuple_out': tuple_out}
TWO_INPUTS = {'scalar_out': two_in, 'vector_out': two_in_vector_out,
              'tuple_out': two_in_two_out}


def output_like(fn, inputs, seed=5, dtype=torch.float32):
    """A v for vjp: one tensor per output of fn (a tensor or a tuple, as fn returns)."""
    out = fn(*inputs)
    if isinstance(out, tuple):
        return tuple(tensor(*o.shape, seed=seed + i, dtype=dtype) for i, o in enumerate(out))
    return tensor(*out.shape, seed=seed, dtype=dtype)


def test_module_is_an_attribute_of_autograd():
    assert ember.autograd.functional is F
    assert F.__all__ == torch.autograd.functional.__all__
    for name in F.__all__:
        assert callable(getattr(F, name))


# ------------------------------------------------------------------ vjp / jvp

@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(ONE_INPUT))
def test_vjp_one_input(name, dtype):
    f, x = ONE_INPUT[name], tensor(3, dtype=dtype)
    same(lambda F, x, v: F.vjp(f, x, v), x, output_like(f, (x,), dtype=dtype))


@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(TWO_INPUTS))
def test_vjp_tuple_inputs(name, dtype):
    f, xy = TWO_INPUTS[name], (tensor(3, dtype=dtype), tensor(3, seed=1, dtype=dtype))
    same(lambda F, xy, v: F.vjp(f, xy, v), xy, output_like(f, xy, dtype=dtype))


def test_vjp_scalar_output_default_v():
    same(lambda F, x: F.vjp(scalar_out, x), tensor(3))
    same(lambda F, x, y: F.vjp(two_in, (x, y)), tensor(3), tensor(3, seed=1))
    same(lambda F, x: F.vjp(lambda x: x.sum().reshape(1, 1), x), tensor(3))


@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(ONE_INPUT))
def test_jvp_one_input(name, dtype):
    f = ONE_INPUT[name]
    same(lambda F, x, v: F.jvp(f, x, v), tensor(3, dtype=dtype), tensor(3, seed=7, dtype=dtype))


@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(TWO_INPUTS))
def test_jvp_tuple_inputs(name, dtype):
    f = TWO_INPUTS[name]
    xy = (tensor(3, dtype=dtype), tensor(3, seed=1, dtype=dtype))
    v = (tensor(3, seed=7, dtype=dtype), tensor(3, seed=8, dtype=dtype))
    same(lambda F, xy, v: F.jvp(f, xy, v), xy, v)


def test_jvp_single_element_input_default_v():
    same(lambda F, x: F.jvp(lambda x: (x.exp() * 3, x * x), x), tensor(1))
    same(lambda F, x: F.jvp(lambda x: x.exp().expand(4), x), tensor(()))


def test_vjp_jvp_of_a_tuple_of_one():
    """A tuple of one tensor in (or out) gives a tuple of one back."""
    same(lambda F, x, v: F.vjp(lambda x: (x * 2,), (x,), (v,)), tensor(3), tensor(3, seed=1))
    same(lambda F, x, v: F.jvp(lambda x: (x * 2,), (x,), (v,)), tensor(3), tensor(3, seed=1))


def test_results_are_detached_without_create_graph():
    def fn(F, x, v):
        results = F.vjp(vector_out, x, v) + F.jvp(vector_out, x, v) + F.hvp(scalar_out, x, v)
        return results, [r.requires_grad for r in results], [r.grad_fn is None for r in results]
    same(fn, tensor(3, requires_grad=True), tensor(3, seed=1))


def test_under_no_grad():
    """The functions enable grad themselves; the results don't require grad."""
    def fn(F, x, v):
        lib = torch if isinstance(x, torch.Tensor) else ember
        with lib.no_grad():
            res = (F.vjp(vector_out, x, v, create_graph=True), F.jvp(vector_out, x, v),
                   F.jacobian(vector_out, x), F.hessian(scalar_out, x), F.vhp(scalar_out, x, v))
        return res, res[0][1].requires_grad
    same(fn, tensor(3), tensor(3, seed=1))


# ------------------------------------------------------------------ jacobian / hessian

@pytest.mark.parametrize('vectorize', [False, True])
@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(ONE_INPUT))
def test_jacobian_one_input(name, dtype, vectorize):
    f = ONE_INPUT[name]
    same(lambda F, x: F.jacobian(f, x, vectorize=vectorize), tensor(3, dtype=dtype))


@pytest.mark.parametrize('vectorize', [False, True])
@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('name', sorted(TWO_INPUTS))
def test_jacobian_tuple_inputs(name, dtype, vectorize):
    f = TWO_INPUTS[name]
    same(lambda F, x, y: F.jacobian(f, (x, y), vectorize=vectorize),
         tensor(3, dtype=dtype), tensor(3, seed=1, dtype=dtype))


@pytest.mark.parametrize('vectorize', [False, True])
def test_jacobian_shapes(vectorize):
    """output.shape + input.shape, for 0-dim, matrix and mixed-dtype inputs and outputs."""
    same(lambda F, x: F.jacobian(lambda x: x * 2, x, vectorize=vectorize), tensor(()))
    same(lambda F, x: F.jacobian(lambda x: x.sum(), x, vectorize=vectorize), tensor(2, 3))
    same(lambda F, x: F.jacobian(lambda x: x.t() @ x, x, vectorize=vectorize), tensor(2, 3))
    same(lambda F, x, y: F.jacobian(lambda x, y: (x.sum() * y, y.double()), (x, y),
                                    vectorize=vectorize),
         tensor(2, 2), tensor(3, seed=1))
    same(lambda F, x: F.jacobian(lambda x: (x, x[:0]), x, vectorize=vectorize), tensor(3))


def test_jacobian_empty_outputs_raise():
    same(lambda F, x: F.jacobian(lambda x: x[:0], x), tensor(3))
    same(lambda F, x: F.jacobian(lambda x: x[:0], x, vectorize=True), tensor(3))
    same(lambda F, x: F.jacobian(lambda x: x.detach()[:0], x, vectorize=True), tensor(3))
    same(lambda F, x: F.jacobian(lambda x: (), x), tensor(3))


@pytest.mark.parametrize('vectorize', [False, True])
@pytest.mark.parametrize('dtype', DTYPES, ids=str)
def test_hessian(dtype, vectorize):
    x, y = tensor(3, dtype=dtype), tensor(3, seed=1, dtype=dtype)
    same(lambda F, x: F.hessian(scalar_out, x, vectorize=vectorize), x)
    same(lambda F, x, y: F.hessian(two_in, (x, y), vectorize=vectorize), x, y)
    same(lambda F, x: F.hessian(lambda x: (x ** 3).sum(), (x,), vectorize=vectorize), x)
    same(lambda F, x: F.hessian(lambda x: (x.exp() @ x).reshape(1, 1), x.reshape(3, 1),
                                vectorize=vectorize), x)


@pytest.mark.parametrize('fn', ['vhp', 'hvp'])
@pytest.mark.parametrize('dtype', DTYPES, ids=str)
def test_vhp_hvp(fn, dtype):
    x, y = tensor(3, dtype=dtype), tensor(3, seed=1, dtype=dtype)
    v, w = tensor(3, seed=7, dtype=dtype), tensor(3, seed=8, dtype=dtype)
    same(lambda F, x, v: getattr(F, fn)(scalar_out, x, v), x, v)
    same(lambda F, x, y, v, w: getattr(F, fn)(two_in, (x, y), (v, w)), x, y, v, w)
    same(lambda F, x: getattr(F, fn)(lambda x: x.exp().sum() * x.sum(), x), tensor(1))


def test_hvp_equals_vhp_for_symmetric_hessian():
    x = ember.tensor(rand(4, low=0.5, high=1.5, dtype=np.float64))
    v = ember.tensor(rand(4, seed=1, dtype=np.float64))
    a, b = F.vhp(scalar_out, x, v)[1], F.hvp(scalar_out, x, v)[1]
    assert np.allclose(a.numpy(), b.numpy())


# ------------------------------------------------------------------ create_graph

def flat(res):
    """The tensors of a (nested) tuple result."""
    return [t for r in res for t in flat(r)] if isinstance(res, tuple) else [res]


def second_order(F, fn, x, v):
    """fn's result (with create_graph=True), whether each of its tensors requires grad, and
    the gradient of the sum of them all with respect to x (a second-order quantity)."""
    out = fn(F, x, v)
    tensors = flat(out)
    total = sum(t.sum() for t in tensors)
    lib = torch if isinstance(x, torch.Tensor) else ember
    return out, [t.requires_grad for t in tensors], lib.autograd.grad(total, x)


def vjp_cg(F, x, v):
    return F.vjp(vector_out, x, v, create_graph=True)


def jvp_cg(F, x, v):
    return F.jvp(tuple_out, x, v, create_graph=True)


def vhp_cg(F, x, v):
    return F.vhp(scalar_out, x, v, create_graph=True)


def hvp_cg(F, x, v):
    return F.hvp(scalar_out, x, v, create_graph=True)


def jacobian_cg(F, x, v):
    return F.jacobian(lambda x: tuple_out(x * v), x, create_graph=True)


def jacobian_vectorized_cg(F, x, v):
    return F.jacobian(lambda x: tuple_out(x * v), x, create_graph=True, vectorize=True)


def hessian_cg(F, x, v):
    return F.hessian(scalar_out, x, create_graph=True)


def hessian_vectorized_cg(F, x, v):
    return F.hessian(scalar_out, x, create_graph=True, vectorize=True)


@pytest.mark.parametrize('dtype', DTYPES, ids=str)
@pytest.mark.parametrize('fn', [vjp_cg, jvp_cg, vhp_cg, hvp_cg, jacobian_cg,
                                jacobian_vectorized_cg, hessian_cg, hessian_vectorized_cg],
                         ids=lambda f: f.__name__)
def test_create_graph_second_order(fn, dtype):
    x, v = tensor(3, dtype=dtype, requires_grad=True), tensor(3, seed=1, dtype=dtype)
    same(lambda F, x, v: second_order(F, fn, x, v), x, v)


def test_create_graph_with_v_requiring_grad():
    """v that requires grad stays in the graph: the result can be differentiated by v."""
    def fn(F, x, v):
        lib = torch if isinstance(x, torch.Tensor) else ember
        results = (F.vjp(vector_out, x, v, create_graph=True)[1],
                   F.jvp(vector_out, x, v, create_graph=True)[1],
                   F.hvp(scalar_out, x, v, create_graph=True)[1])
        return [lib.autograd.grad(r.sum(), (x, v)) for r in results]
    same(fn, tensor(3, requires_grad=True), tensor(3, seed=1, requires_grad=True))


def test_create_graph_inputs_not_requiring_grad():
    """The result requires grad (through the functions' own copy of the inputs)."""
    def fn(F, x, v):
        res = (F.vjp(vector_out, x, v, create_graph=True)[1],
               F.jacobian(vector_out, x, create_graph=True),
               F.jacobian(lambda x: x * 2, x, create_graph=True))
        return res, [r.requires_grad for r in res]
    same(fn, tensor(3), tensor(3, seed=1))


# ------------------------------------------------------------------ independent outputs, strict

def x_only(x, y):
    return x.exp() * 2


def constant(x, y):
    return x.detach() * 3


def linear(x, y):
    return (x * 2 + y).sum()


@pytest.mark.parametrize('vectorize', [False, True])
def test_independent_outputs_give_zeros(vectorize):
    x, y = tensor(3), tensor(3, seed=1)
    same(lambda F, x, y: F.jacobian(x_only, (x, y), vectorize=vectorize), x, y)
    same(lambda F, x, y: F.jacobian(constant, (x, y), vectorize=vectorize), x, y)
    same(lambda F, x, y: F.jacobian(lambda x, y: (x_only(x, y), constant(x, y)), (x, y),
                                    vectorize=vectorize), x, y)
    same(lambda F, x, y: F.hessian(linear, (x, y), vectorize=vectorize), x, y)
    same(lambda F, x, y: F.hessian(lambda x, y: (x ** 3).sum(), (x, y), vectorize=vectorize),
         x, y)


def test_independent_outputs_give_zeros_vector_products():
    x, y, v = tensor(3), tensor(3, seed=1), tensor(3, seed=2)
    for fn in (x_only, constant):
        same(lambda F, x, y, v: F.vjp(fn, (x, y), v), x, y, v)
        same(lambda F, x, y, v: F.jvp(fn, (x, y), (v, v)), x, y, v)
    for fn in ('vhp', 'hvp'):
        same(lambda F, x, y, v: getattr(F, fn)(linear, (x, y), (v, v)), x, y, v)
        same(lambda F, x, y, v: getattr(F, fn)(lambda x, y: (x ** 3).sum(), (x, y), (v, v)),
             x, y, v)


STRICT_CASES = {
    'vjp_unused_input': lambda F, x, y, v: F.vjp(x_only, (x, y), v, strict=True),
    'vjp_constant_output': lambda F, x, y, v: F.vjp(constant, (x, y), v, strict=True),
    'vjp_linear_create_graph': lambda F, x, y, v: F.vjp(lambda x, y: x * 2 + y, (x, y), v,
                                                        strict=True, create_graph=True),
    'jvp_unused_input': lambda F, x, y, v: F.jvp(x_only, (x, y), (v, v), strict=True),
    'jvp_constant_output': lambda F, x, y, v: F.jvp(constant, (x, y), (v, v), strict=True),
    'jvp_linear_create_graph': lambda F, x, y, v: F.jvp(lambda x, y: x * 2 + y, (x, y),
                                                        (v, v), strict=True, create_graph=True),
    'jacobian_unused_input': lambda F, x, y, v: F.jacobian(x_only, (x, y), strict=True),
    'jacobian_constant_output': lambda F, x, y, v: F.jacobian(constant, (x, y), strict=True),
    'jacobian_second_output_unused': lambda F, x, y, v: F.jacobian(
        lambda x, y: (x * y, x.exp()), (x, y), strict=True),
    'jacobian_linear_create_graph': lambda F, x, y, v: F.jacobian(
        lambda x, y: (x * y, x * 2), (x, y), strict=True, create_graph=True),
    'jacobian_strict_vectorize': lambda F, x, y, v: F.jacobian(x_only, (x, y), strict=True,
                                                               vectorize=True),
    'hessian_linear': lambda F, x, y, v: F.hessian(linear, (x, y), strict=True),
    'hessian_unused_input': lambda F, x, y, v: F.hessian(lambda x, y: (x ** 3).sum(), (x, y),
                                                         strict=True),
    'hessian_quadratic_create_graph': lambda F, x, y, v: F.hessian(
        lambda x, y: (x * y).sum(), (x, y), strict=True, create_graph=True),
    'hessian_constant': lambda F, x, y, v: F.hessian(lambda x, y: constant(x, y).sum(), (x, y),
                                                     strict=True),
    'vhp_linear': lambda F, x, y, v: F.vhp(linear, (x, y), (v, v), strict=True),
    'vhp_unused_input': lambda F, x, y, v: F.vhp(lambda x, y: (x ** 3).sum(), (x, y), (v, v),
                                                 strict=True),
    'vhp_quadratic_create_graph': lambda F, x, y, v: F.vhp(
        lambda x, y: (x * y).sum(), (x, y), (v, v), strict=True, create_graph=True),
    'hvp_linear': lambda F, x, y, v: F.hvp(linear, (x, y), (v, v), strict=True),
    'hvp_unused_input': lambda F, x, y, v: F.hvp(lambda x, y: (x ** 3).sum() + y.sum(), (x, y),
                                                 (v, v), strict=True),
    'hvp_quadratic_create_graph': lambda F, x, y, v: F.hvp(
        lambda x, y: (x * y).sum(), (x, y), (v, v), strict=True, create_graph=True),
    'hvp_constant': lambda F, x, y, v: F.hvp(lambda x, y: constant(x, y).sum(), (x, y), (v, v),
                                             strict=True),
}


@pytest.mark.parametrize('name', sorted(STRICT_CASES))
def test_strict_errors(name):
    t_err = None
    try:
        STRICT_CASES[name](torch.autograd.functional, tensor(3), tensor(3, seed=1),
                           tensor(3, seed=2))
    except RuntimeError as error:
        t_err = error
    assert t_err is not None, 'torch should raise here'
    same(STRICT_CASES[name], tensor(3), tensor(3, seed=1), tensor(3, seed=2))


def test_strict_passes_when_everything_depends():
    x, y, v = tensor(3), tensor(3, seed=1), tensor(3, seed=2)
    same(lambda F, x, y, v: F.vjp(two_in_two_out, (x, y), (v, v.sum()), strict=True), x, y, v)
    same(lambda F, x, y, v: F.jvp(two_in_two_out, (x, y), (v, v), strict=True,
                                  create_graph=True), x, y, v)
    same(lambda F, x, y: F.jacobian(two_in_two_out, (x, y), strict=True), x, y)
    same(lambda F, x, y: F.hessian(two_in, (x, y), strict=True, create_graph=True), x, y)
    same(lambda F, x, y, v: F.hvp(two_in, (x, y), (v, v), strict=True), x, y, v)


# ------------------------------------------------------------------ bad arguments

BAD_CALLS = {
    'inputs_list': lambda F, x, v: F.vjp(vector_out, [x], v),
    'inputs_non_tensor_in_tuple': lambda F, x, v: F.jacobian(two_in, (x, 3)),
    'inputs_number': lambda F, x, v: F.hessian(scalar_out, 1.5),
    'inputs_integer': lambda F, x, v: F.jacobian(lambda x: x * 2, x.long()),
    'output_number': lambda F, x, v: F.jvp(lambda x: 3, x, v),
    'output_list': lambda F, x, v: F.jacobian(lambda x: [x * 2], x),
    'output_tuple_with_number': lambda F, x, v: F.vjp(lambda x: (x * 2, 1), x, (v, v)),
    'output_integer_jvp': lambda F, x, v: F.jvp(lambda x: x.long(), x, v),
    'v_not_a_tensor': lambda F, x, v: F.vjp(vector_out, x, [v]),
    'v_wrong_size': lambda F, x, v: F.vjp(vector_out, x, v[:2]),
    'v_wrong_size_tuple': lambda F, x, v: F.jvp(two_in, (x, x), (v, v[:2])),
    'v_too_many': lambda F, x, v: F.vjp(vector_out, x, (v, v)),
    'v_wrong_length_tuple': lambda F, x, v: F.hvp(two_in, (x, x), (v,)),
    'v_none_vjp': lambda F, x, v: F.vjp(vector_out, x),
    'v_none_jvp': lambda F, x, v: F.jvp(vector_out, x),
    'v_none_vhp': lambda F, x, v: F.vhp(scalar_out, x),
    'v_none_hvp': lambda F, x, v: F.hvp(scalar_out, (x[:1], x[1:2])),
    'hessian_vector_output': lambda F, x, v: F.hessian(vector_out, x),
    'hessian_tuple_output': lambda F, x, v: F.hessian(lambda x: (x.sum(),), x),
    'vhp_vector_output': lambda F, x, v: F.vhp(vector_out, x, v),
    'hvp_tuple_output': lambda F, x, v: F.hvp(lambda x: (x.sum(),), x, v),
    'jacobian_bad_strategy': lambda F, x, v: F.jacobian(vector_out, x, strategy='backward'),
    'hessian_bad_strategy': lambda F, x, v: F.hessian(scalar_out, x,
                                                      outer_jacobian_strategy='reverse'),
    'hessian_bad_inputs_before_strategy': lambda F, x, v: F.hessian(
        scalar_out, [x], outer_jacobian_strategy='reverse'),
    'forward_mode_create_graph': lambda F, x, v: F.jacobian(
        vector_out, x, create_graph=True, strategy='forward-mode'),
    'forward_mode_strict': lambda F, x, v: F.jacobian(vector_out, x, strict=True,
                                                      strategy='forward-mode'),
    'forward_mode_not_vectorized': lambda F, x, v: F.jacobian(vector_out, x,
                                                              strategy='forward-mode'),
    'forward_mode_bad_inputs': lambda F, x, v: F.jacobian(vector_out, [x],
                                                          strategy='forward-mode'),
    'hessian_forward_mode_not_vectorized': lambda F, x, v: F.hessian(
        scalar_out, x, outer_jacobian_strategy='forward-mode'),
    'hessian_forward_mode_create_graph': lambda F, x, v: F.hessian(
        scalar_out, x, create_graph=True, outer_jacobian_strategy='forward-mode'),
}


@pytest.mark.parametrize('name', sorted(BAD_CALLS))
def test_bad_arguments_raise_as_torch(name):
    with pytest.raises(Exception):
        BAD_CALLS[name](torch.autograd.functional, tensor(3), tensor(3, seed=1))
    same(BAD_CALLS[name], tensor(3), tensor(3, seed=1))


def test_forward_mode_vectorized_is_not_implemented():
    """torch computes this with forward-mode AD and vmap, which ember lacks."""
    x = ember.tensor([1.0, 2.0])
    with pytest.raises(NotImplementedError, match='forward-mode AD'):
        F.jacobian(vector_out, x, strategy='forward-mode', vectorize=True)
    with pytest.raises(NotImplementedError, match='forward-mode AD'):
        F.hessian(scalar_out, x, outer_jacobian_strategy='forward-mode', vectorize=True)


# ------------------------------------------------------------------ finite differences

def finite_jacobian(f, x, eps=1e-6):
    """The central-difference Jacobian of f (ember tensor to ember tensor) at NumPy x."""
    cols = []
    for k in range(x.size):
        dx = np.zeros_like(x)
        dx.flat[k] = eps
        hi, lo = f(ember.tensor(x + dx)).numpy(), f(ember.tensor(x - dx)).numpy()
        cols.append(((hi - lo) / (2 * eps)).reshape(-1))
    out_shape = f(ember.tensor(x)).shape
    return np.stack(cols, axis=-1).reshape(tuple(out_shape) + x.shape)


@pytest.mark.parametrize('vectorize', [False, True])
def test_jacobian_matches_finite_differences(vectorize):
    x = rand(2, 3, low=0.5, high=1.5, dtype=np.float64)
    f = lambda x: (x.t() @ x).exp().log() * x.sum() + x.mean(0).reshape(3, 1) ** 2  # noqa: E731
    jac = F.jacobian(f, ember.tensor(x), vectorize=vectorize)
    assert jac.dtype == ember.float64 and tuple(jac.shape) == (3, 3, 2, 3)
    assert np.allclose(jac.numpy(), finite_jacobian(f, x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('vectorize', [False, True])
def test_hessian_matches_finite_differences(vectorize):
    x = rand(2, 2, low=0.5, high=1.5, dtype=np.float64)
    f = lambda x: (x ** 3).sum() * x.exp().mean() / (x @ x).sum()  # noqa: E731

    def gradient(x):
        return ember.autograd.grad(f(x.requires_grad_()), x)[0]
    hess = F.hessian(f, ember.tensor(x), vectorize=vectorize)
    assert hess.dtype == ember.float64 and tuple(hess.shape) == (2, 2, 2, 2)
    assert np.allclose(hess.numpy(), finite_jacobian(gradient, x), rtol=1e-6, atol=1e-7)
    assert np.allclose(hess.numpy(), hess.numpy().transpose(2, 3, 0, 1))
