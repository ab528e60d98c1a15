"""The backward engine against torch: backward/grad arguments, order, accumulation,
freeing, higher order, hooks, grad_fn names and graph structure."""
import sys
import os
import warnings

import numpy as np
import pytest
import torch

from helpers import assert_same, check, make, rand, raises_same, run_both  # noqa: E402
import ember  # noqa: E402

LIBS = (torch, ember)


# ------------------------------------------------------------------ backward arguments

def test_backward_scalar_default_gradient():
    run_both(lambda t, x: (x * x).sum(), rand(3, 4))


def test_backward_explicit_gradient():
    run_both(lambda t, x: x * 3 + x * x, rand(2, 3), seed=rand(2, 3, seed=1))


def test_backward_nonscalar_without_gradient_raises():
    raises_same(lambda t, x: (x * 2).backward(), rand(3))


def test_backward_int_scalar_without_gradient():
    def fn(t, x):
        (x * 2).sum().to(t.int64).backward()
    raises_same(fn, rand(3), match_message=False)


def test_backward_no_grad_tensor_raises():
    raises_same(lambda t, x: (x * 2).sum().backward(), rand(3), requires_grad=False)


def test_backward_gradient_shape_mismatch():
    def fn(t, x):
        (x * 2).backward(t.ones(4))
    raises_same(fn, rand(3))


def test_backward_inputs_only_accumulates_those():
    results = []
    for lib in LIBS:
        x, y = make(lib, rand(3)), make(lib, rand(3, seed=1))
        (x * y).sum().backward(inputs=[x])
        results.append((x.grad, y.grad))
    assert_same(*results)


def test_backward_inputs_single_tensor_and_nonleaf():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        (h * h).sum().backward(inputs=h)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            results.append((x.grad, h.grad))
    assert_same(*results)


def test_backward_inputs_empty_raises():
    raises_same(lambda t, x: (x * 2).sum().backward(inputs=[]), rand(3))


def test_backward_on_leaf():
    results = []
    for lib in LIBS:
        x = make(lib, rand(()))
        x.backward()
        x.backward(retain_graph=False)
        results.append(x.grad)
    assert_same(*results)


def test_autograd_backward_multiple_roots():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        a, b = x * 2, x.exp()
        lib.autograd.backward([a.sum(), b], [None, lib.ones(3)])
        results.append(x.grad)
    assert_same(*results)


# ------------------------------------------------------------------ autograd.grad

def test_grad_basic_and_no_accumulation():
    results = []
    for lib in LIBS:
        x, y = make(lib, rand(3)), make(lib, rand(3, seed=1))
        gx, gy = lib.autograd.grad((x * y * y).sum(), (x, y))
        results.append((gx, gy, x.grad, y.grad))
    assert_same(*results)


def test_grad_with_grad_outputs():
    results = []
    for lib in LIBS:
        x = make(lib, rand(2, 3))
        out = x.exp()
        results.append(lib.autograd.grad(out, x, lib.ones(2, 3) * 2))
    assert_same(*results)


def test_grad_multiple_outputs():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        results.append(lib.autograd.grad([(x * x).sum(), x.sum()], [x]))
    assert_same(*results)


def test_grad_unused_raises():
    def fn(t, x, y):
        t.autograd.grad((x * 2).sum(), [x, y])
    raises_same(fn, rand(3), rand(3))


def test_grad_allow_unused_and_materialize():
    results = []
    for lib in LIBS:
        x, y = make(lib, rand(3)), make(lib, rand(3))
        a = lib.autograd.grad((x * 2).sum(), [x, y], allow_unused=True, retain_graph=True)
        z = (x * 2).sum()
        b = lib.autograd.grad(z, [x, y], materialize_grads=True)
        results.append((a, b))
    assert_same(*results)


def test_grad_input_not_requiring_grad_raises():
    def fn(t, x):
        y = t.ones(3)
        t.autograd.grad((x * 2).sum(), [y])
    raises_same(fn, rand(3))


def test_grad_wrt_intermediate():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * x
        out = (h.exp() * 3).sum()
        results.append(lib.autograd.grad(out, h))
    assert_same(*results)


def test_grad_wrt_intermediate_and_leaf():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * x
        out = (h * x).sum()
        results.append(lib.autograd.grad(out, [h, x]))
    assert_same(*results)


def test_grad_outputs_wrong_shape():
    def fn(t, x):
        t.autograd.grad(x * 2, x, t.ones(4))
    raises_same(fn, rand(3))


def test_grad_output_does_not_require_grad():
    def fn(t, x):
        t.autograd.grad(t.ones(3).sum(), x)
    raises_same(fn, rand(3))


# ------------------------------------------------------------------ dependency order

def test_diamond():
    def fn(t, x):
        a = x * 2
        b = a.exp()
        c = a * a
        d = b + c
        return (d * a).sum()
    run_both(fn, rand(4))


def test_shared_subgraph_used_many_times():
    def fn(t, x, y):
        s = (x * y).sum()
        parts = [s * i for i in range(1, 6)]
        total = parts[0]
        for p in parts[1:]:
            total = total + p * s
        return total
    run_both(fn, rand(3), rand(3, seed=1), rtol=1e-4, atol=1e-5)


def test_same_tensor_twice_in_op():
    run_both(lambda t, x: (x * x + x / (x + 3)).sum(), rand(5))


def test_deep_diamond_lattice():
    def fn(t, x):
        a, b = x, x * 1
        for _ in range(30):
            a, b = a * 0.5 + b * 0.5, a * b * 0.1 + a
        return (a + b).sum()
    run_both(fn, rand(3), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('seed', range(12))
def test_random_dags_with_views_and_inplace(seed):
    """Random graphs over two leaves: ops on any earlier tensors, in-place writes into
    views of non-leaf tensors (which relink their base), so every node must still run
    after all the nodes that feed it."""
    plan = np.random.RandomState(seed).randint(0, 1000, size=(14, 3))

    def fn(t, x, y):
        pool = [x, y]
        for op, i, j in plan:
            a, b = pool[i % len(pool)], pool[j % len(pool)]
            kind = op % 5
            if kind == 0:
                pool.append(a * b)
            elif kind == 1:
                pool.append(a + b.exp() * 0.1)
            elif kind == 2:
                pool.append((a - b).sum(0, keepdim=True) * a)
            elif kind == 3:
                c = a * 1
                c[1:].mul_(b[:2] * 0.5 + 1)
                pool.append(c)
            else:
                pool.append(a.t().t() * 0.5 + b)
        total = pool[-1].sum()
        for extra in pool[2:-1:3]:
            total = total + extra.sum() * 0.01
        return total
    run_both(fn, rand(3, 3), rand(3, 3, seed=1), rtol=1e-4, atol=1e-5)


def test_multiple_output_node_unpacking():
    def fn(t, x):
        a, b = x.unbind(0) if hasattr(x, 'unbind') else (x[0], x[1])
        return (a * 2 + b * 3).sum()
    run_both(fn, rand(2, 3))


# ------------------------------------------------------------------ long chains

def test_long_chain_100k():
    x = ember.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        y.sum().backward()
        assert x.grad.tolist() == [1.0]
        del y  # freeing the graph must not recurse either
    finally:
        sys.setrecursionlimit(limit)


def test_long_chain_freed_by_deleting_root():
    x = ember.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        del y  # no backward at all: the 100k-node graph is dropped by reference counting
    finally:
        sys.setrecursionlimit(limit)


# ------------------------------------------------------------------ accumulation

def test_accumulates_across_backward_calls():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        for k in range(3):
            (x * (k + 1)).sum().backward()
        results.append(x.grad)
    assert_same(*results)


def test_accumulates_with_retained_graph():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = (x * x).sum()
        y.backward(retain_graph=True)
        g1 = x.grad.clone()
        y.backward()
        results.append((g1, x.grad))
    assert_same(*results)


def test_grad_is_not_aliased_with_incoming_gradient():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        g = lib.ones(3)
        x.backward(g)
        x.grad.mul_(5)
        results.append((g, x.grad))
    assert_same(*results)


def test_grad_zeroed_and_none():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        (x * 2).sum().backward()
        x.grad = None
        (x * 3).sum().backward()
        g = x.grad.clone()
        x.grad.zero_()
        (x * 4).sum().backward()
        results.append((g, x.grad))
    assert_same(*results)


def test_broadcast_gradient_reduced_to_leaf_shape():
    run_both(lambda t, x, y: (x * y).sum(), rand(3, 1), rand(1, 4))
    run_both(lambda t, x, y: (x + y).sum(), rand(2, 3), rand(3))
    run_both(lambda t, x, y: (x - y).mean(), rand(()), rand(2, 2))


def test_dtype_of_gradient_matches_leaf():
    def fn(t, x, y):
        return (x * y).sum()
    run_both(fn, rand(3, dtype=np.float32), rand(3, dtype=np.float64))


# ------------------------------------------------------------------ freeing

def test_second_backward_raises_freed():
    def fn(t, x):
        y = (x * x).sum()
        y.backward()
        y.backward()
    raises_same(fn, rand(3))


def test_second_grad_raises_freed():
    def fn(t, x):
        y = x.exp().sum()
        t.autograd.grad(y, x)
        t.autograd.grad(y, x)
    raises_same(fn, rand(3))


def test_second_backward_through_nodes_without_saved_values_is_fine():
    # add/sum save nothing: torch does not raise on a second backward
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = (x + 1).sum()
        y.backward()
        y.backward()
        results.append(x.grad)
    assert_same(*results)


@pytest.mark.parametrize('build', [
    lambda t, x: (x * 2).sum(),                 # mul saves the scalar: torch raises
    lambda t, x: (x[0:2] * 1).sum(),
    lambda t, x: x.exp().sum(),
    lambda t, x: (x ** 2).mean(),
    lambda t, x: (x @ x),
])
def test_second_backward_raises_for_saving_nodes(build):
    def fn(t, x):
        y = build(t, x)
        y.backward()
        y.backward()
    raises_same(fn, rand(3))


@pytest.mark.parametrize('build', [
    lambda t, x: (x + 1).sum(),
    lambda t, x: (x.view(3, 1).t().reshape(3) + 1).sum(),
    lambda t, x: (x.to(t.float64) - 1).sum(),
    lambda t, x: (-x).mean(),
    lambda t, x: t.cat([x, x]).sum(),
])
def test_second_backward_ok_for_nodes_saving_nothing(build):
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = build(lib, x)
        y.backward()
        y.backward()
        results.append(x.grad)
    assert_same(*results)


def test_retain_graph_then_free():
    def fn(t, x):
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        y.backward()
    raises_same(fn, rand(3))


def test_partial_free_shared_graph():
    # the first backward frees the shared part; a later one through it raises
    def fn(t, x):
        h = x.exp()
        a, b = h.sum(), (h * 2).sum()
        a.backward()
        b.backward()
    raises_same(fn, rand(3))


def test_saved_tensors_access_after_free():
    def fn(t, x):
        y = x.exp()
        y.sum().backward()
        return y.grad_fn._saved_result
    for lib in LIBS:
        pass  # _saved_* attributes are torch internals; covered by the error test above


# ------------------------------------------------------------------ higher order

def _hvp(fn, *arrays, rtol=1e-5):
    """First and second derivatives of fn through create_graph=True, torch vs. ember."""
    results = []
    for lib in LIBS:
        xs = [make(lib, a) for a in arrays]
        out = fn(lib, *xs)
        g = lib.autograd.grad(out, xs, create_graph=True)
        assert all(gi.requires_grad for gi in g)
        s = sum((gi * gi).sum() for gi in g)
        gg = lib.autograd.grad(s, xs, allow_unused=True)
        results.append((g, gg))
    assert_same(*results, rtol=rtol, atol=1e-5)


POS = rand(2, 3, low=0.5, high=2.0)
POS2 = rand(2, 3, seed=3, low=0.5, high=2.0)

HIGHER_ORDER = {
    'add': lambda t, x, y: ((x + y) * (x + y)).sum(),
    'sub': lambda t, x, y: ((x - y) ** 3).sum(),
    'mul': lambda t, x, y: (x * y * x).sum(),
    'div': lambda t, x, y: (x / y).sum(),
    'mod': lambda t, x, y: ((x % y) * (x % y)).sum(),
    'pow_tensor': lambda t, x, y: (x ** y).sum(),
    'pow_scalar': lambda t, x, y: (x ** 3 + y ** 2.5).sum(),
    'rpow': lambda t, x, y: (2 ** x * y).sum(),
    'matmul': lambda t, x, y: ((x @ y.t()) ** 2).sum(),
    'neg': lambda t, x, y: (-(x * y) * x).sum(),
    'abs': lambda t, x, y: ((x - y).abs() * x).sum(),
    'sum_dim': lambda t, x, y: ((x * y).sum(1) ** 2).sum(),
    'mean': lambda t, x, y: ((x * y).mean(0) ** 2).mean(),
    'exp': lambda t, x, y: (x.exp() * y).sum(),
    'log': lambda t, x, y: (x.log() * y.log()).sum(),
    'sqrt': lambda t, x, y: (x.sqrt() * y).sum(),
    'pow_fn': lambda t, x, y: t.pow(x, y).sum(),
    'stack': lambda t, x, y: (t.stack([x, y * x]) ** 2).sum(),
    'cat': lambda t, x, y: (t.cat([x, y * x], 1) ** 2).sum(),
    'squeeze_unsqueeze': lambda t, x, y: ((x.unsqueeze(0) * y).squeeze(0) ** 3).sum(),
    'reshape_view': lambda t, x, y: (x.reshape(3, 2) * y.view(3, 2) * x.view(6).view(3, 2)).sum(),
    'transpose': lambda t, x, y: ((x.transpose(0, 1) @ y) ** 2).sum(),
    'indexing': lambda t, x, y: ((x[0] * y[1]) ** 2).sum() + (x[:, 1:] ** 3).sum(),
    'adv_indexing': lambda t, x, y: ((x[[1, 0, 1]] * y[[0, 0, 1]]) ** 2).sum(),
    'clone': lambda t, x, y: (x.clone() * y.clone() * x).sum(),
    'to_dtype': lambda t, x, y: (x.to(t.float64) ** 2 * y.double()).sum(),
    'mse_loss': lambda t, x, y: t.nn.functional.mse_loss(x * x, y),
}


@pytest.mark.parametrize('name', sorted(HIGHER_ORDER))
def test_higher_order(name):
    _hvp(HIGHER_ORDER[name], POS, POS2, rtol=1e-4)


def test_third_order():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3, low=0.5, high=1.5))
        y = (x ** 4).sum()
        g1, = lib.autograd.grad(y, x, create_graph=True)
        g2, = lib.autograd.grad(g1.sum(), x, create_graph=True)
        g3, = lib.autograd.grad(g2.sum(), x)
        results.append((g1, g2, g3))
    assert_same(*results, rtol=1e-4, atol=1e-5)


def test_backward_create_graph_grad_requires_grad():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = (x ** 3).sum()
        y.backward(create_graph=True)
        g = x.grad
        flags = (g.requires_grad, g.grad_fn is not None)
        x.grad = None
        g.sum().backward()
        results.append((flags, x.grad))
    assert_same(*results)


def test_grad_without_create_graph_does_not_require_grad():
    for lib in LIBS:
        x = make(lib, rand(3))
        g, = lib.autograd.grad((x ** 3).sum(), x)
        assert not g.requires_grad and g.grad_fn is None


def test_double_backward_with_retain_graph():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = (x.exp() * x).sum()
        g, = lib.autograd.grad(y, x, create_graph=True)
        g.sum().backward(retain_graph=True)
        g.sum().backward()
        results.append(x.grad)
    assert_same(*results)


# ------------------------------------------------------------------ hooks and retain_grad

def test_hook_on_leaf_replaces_grad():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        seen = []
        x.register_hook(lambda g: seen.append(g.clone()))
        x.register_hook(lambda g: g * 10)
        (x * x).sum().backward()
        results.append((seen, x.grad))
    assert_same(*results)


def test_hook_on_nonleaf_replaces_grad():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        seen = []
        h.register_hook(lambda g: seen.append(g.clone()))
        h.register_hook(lambda g: g + 1)
        (h * h).sum().backward()
        results.append((seen, x.grad))
    assert_same(*results)


def test_hook_on_nonleaf_with_grad():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        h.register_hook(lambda g: g * 0)
        out = (h * x).sum()
        results.append(lib.autograd.grad(out, x))
    assert_same(*results)


def test_hook_handle_remove():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        handle = x.register_hook(lambda g: g * 100)
        handle.remove()
        (x * 2).sum().backward()
        results.append(x.grad)
    assert_same(*results)


def test_hook_on_tensor_without_grad_raises():
    raises_same(lambda t, x: x.register_hook(lambda g: g), rand(3), requires_grad=False)


def test_retain_grad_nonleaf():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        h.retain_grad()
        k = h.exp()
        k.retain_grad()
        (k * h).sum().backward()
        results.append((h.retains_grad, x.retains_grad, h.grad, k.grad, x.grad))
    assert_same(*results)


def test_retain_grad_accumulates():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        h.retain_grad()
        y = (h * h).sum()
        y.backward(retain_graph=True)
        y.backward()
        results.append(h.grad)
    assert_same(*results)


def test_retain_grad_with_hook_sees_hooked_value():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        h.retain_grad()
        h.register_hook(lambda g: g * 3)
        (h * h).sum().backward()
        results.append((h.grad, x.grad))
    assert_same(*results)


def test_nonleaf_grad_warns():
    for lib in LIBS:
        x = make(lib, rand(3))
        h = x * 2
        with pytest.warns(UserWarning, match='is not a leaf Tensor is being accessed'):
            assert h.grad is None


def test_node_hooks():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        seen = []
        y.grad_fn.register_prehook(lambda go: seen.append(('pre', go[0].clone())))
        y.grad_fn.register_hook(lambda gi, go: seen.append(('post', gi[0].clone())))
        (y * 3).sum().backward()
        results.append([s[1] for s in seen] + [[s[0] for s in seen] == ['pre', 'post']])
    assert_same(*results)


# ------------------------------------------------------------------ grad_fn names / structure

def _names(t):
    return None if t.grad_fn is None else t.grad_fn.name()


NAME_CASES = {
    'mul': lambda t, x, y: x * y,
    'mul_scalar': lambda t, x, y: x * 2,
    'add': lambda t, x, y: x + y,
    'add_scalar': lambda t, x, y: x + 2,
    'radd': lambda t, x, y: 2 + x,
    'sub': lambda t, x, y: x - y,
    'rsub': lambda t, x, y: 2 - x,
    'div': lambda t, x, y: x / y,
    'div_scalar': lambda t, x, y: x / 2,
    'rdiv': lambda t, x, y: 2 / x,
    'floordiv': lambda t, x, y: x // y,
    'mod': lambda t, x, y: x % y,
    'pow': lambda t, x, y: x ** 2,
    'pow_tensor': lambda t, x, y: x ** y,
    'rpow': lambda t, x, y: 2 ** x,
    'neg': lambda t, x, y: -x,
    'abs': lambda t, x, y: x.abs(),
    'exp': lambda t, x, y: x.exp(),
    'log': lambda t, x, y: x.log(),
    'sqrt': lambda t, x, y: x.sqrt(),
    'sum': lambda t, x, y: x.sum(),
    'sum_dim': lambda t, x, y: x.sum(0),
    'mean': lambda t, x, y: x.mean(),
    'mean_dim': lambda t, x, y: x.mean(1),
    'matmul_mm': lambda t, x, y: x @ y.t(),
    'matmul_mv': lambda t, x, y: x @ y[0],
    'matmul_dot': lambda t, x, y: x[0] @ y[0],
    'stack': lambda t, x, y: t.stack([x, y]),
    'cat': lambda t, x, y: t.cat([x, y]),
    'squeeze': lambda t, x, y: x.unsqueeze(0).squeeze(),
    'squeeze_dim': lambda t, x, y: x.unsqueeze(0).squeeze(0),
    'unsqueeze': lambda t, x, y: x.unsqueeze(1),
    'view': lambda t, x, y: x.view(6),
    'reshape': lambda t, x, y: x.reshape(3, 2),
    'reshape_copy': lambda t, x, y: x.t().reshape(6),
    'transpose': lambda t, x, y: x.transpose(0, 1),
    't': lambda t, x, y: x.t(),
    'permute': lambda t, x, y: x.permute(1, 0),
    'expand': lambda t, x, y: x[:1].expand(4, 3),
    'select': lambda t, x, y: x[0],
    'slice': lambda t, x, y: x[:, 1:],
    'index': lambda t, x, y: x[[0, 1]],
    'clone': lambda t, x, y: x.clone(),
    'to': lambda t, x, y: x.to(t.float64),
    'double': lambda t, x, y: x.double(),
    'mse_loss': lambda t, x, y: t.nn.functional.mse_loss(x, y),
    'clamp': lambda t, x, y: x.clamp(0.7, 1.2),
    'masked_fill': lambda t, x, y: x.masked_fill(x > 1, 0.0),
    'detach_then_mul': lambda t, x, y: x.detach() * y,
    # ops torch records without a derivative (NotImplemented), scalar vs tensor overloads
    'floordiv_scalar': lambda t, x, y: x // 2,
    'rfloordiv': lambda t, x, y: 2 // x,
    'floordiv_detached': lambda t, x, y: x.detach() // y,
    'floor_divide': lambda t, x, y: t.floor_divide(x, y),
    'div_floor': lambda t, x, y: t.div(x, y, rounding_mode='floor'),
    'div_trunc_scalar': lambda t, x, y: x.div(2, rounding_mode='trunc'),
    'mod_scalar': lambda t, x, y: x % 2,
    'rmod': lambda t, x, y: 2 % x,
    'sub_scalar': lambda t, x, y: x - 2,
    'rsub_tensor': lambda t, x, y: t.rsub(x, y),
    'add_alpha': lambda t, x, y: t.add(x, y, alpha=3),
    'pow_0dim_tensor': lambda t, x, y: x ** y.detach()[0, 0],
    'rpow_float': lambda t, x, y: 2.5 ** x,
    'mul_0dim_tensor': lambda t, x, y: x * t.tensor(2.0),
}


KNOWN_NAME_GAPS = {}


@pytest.mark.parametrize('name', [pytest.param(n, marks=pytest.mark.xfail(
    reason=KNOWN_NAME_GAPS[n], strict=True)) if n in KNOWN_NAME_GAPS else n
    for n in sorted(NAME_CASES)])
def test_grad_fn_name(name):
    names = []
    for lib in LIBS:
        x, y = make(lib, POS), make(lib, POS2)
        names.append(_names(NAME_CASES[name](lib, x, y)))
    assert names[1] == names[0]


def _structure(fn, depth=4):
    """grad_fn's next_functions tree as nested (name, output_nr) tuples."""
    if fn is None or depth == 0:
        return None
    return (fn.name(), tuple((_structure(n, depth - 1), nr) for n, nr in fn.next_functions))


KNOWN_STRUCTURE_GAPS = {}


@pytest.mark.parametrize('name', [pytest.param(n, marks=pytest.mark.xfail(
    reason=KNOWN_STRUCTURE_GAPS[n], strict=True)) if n in KNOWN_STRUCTURE_GAPS else n
    for n in sorted(NAME_CASES)])
def test_next_functions_structure(name):
    """Which operands are edges: torch wraps a Python scalar given to a Tensor overload
    (x + 2: an edge (None, 0)) but not one given to a Scalar overload (2 - x, x ** 2)."""
    structures = []
    for lib in LIBS:
        x, y = make(lib, POS), make(lib, POS2)
        structures.append(_structure(NAME_CASES[name](lib, x, y).grad_fn))
    assert structures[1] == structures[0]


def test_accumulate_grad_variable_and_identity():
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        acc = y.grad_fn.next_functions[0][0]
        assert type(acc).__name__ == 'AccumulateGrad'
        assert acc.variable is x
        assert (x * 3).grad_fn.next_functions[0][0] is acc


def test_grad_fn_none_for_leaves_and_no_grad_results():
    for lib in LIBS:
        x = make(lib, rand(3))
        assert x.grad_fn is None and x.is_leaf
        y = x * 2
        assert not y.is_leaf
        z = make(lib, rand(3), requires_grad=False) * 2
        assert z.grad_fn is None and z.is_leaf and not z.requires_grad


def test_comparison_results_do_not_require_grad():
    for lib in LIBS:
        x = make(lib, rand(3))
        assert not (x > 0).requires_grad
        assert (x > 0).grad_fn is None


def test_node_repr_is_the_class_name():
    """repr(grad_fn) prints the Python class name, also where name() is qualified
    ('torch::autograd::AccumulateGrad'), as in `next_functions` printouts."""
    import re
    reprs = []
    for lib in (torch, ember):
        x = lib.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        y = x * 1
        y[0, 0] = 5
        nodes = ((x * 2).grad_fn, (x * 2).grad_fn.next_functions[0][0], y.grad_fn,
                 (x // 2).grad_fn)
        reprs.append([re.sub(' at 0x[0-9a-f]+', '', repr(node)) for node in nodes])
    assert reprs[1] == reprs[0]


@pytest.mark.parametrize('hook', [lambda gi, go: (gi[0] * 10,), lambda gi, go: [gi[0], None],
                                  lambda gi, go: gi[0], lambda gi, go: (gi[0] * 10, None)])
def test_node_hook_results_are_checked(hook):
    """A node hook must return None or a tuple of one gradient per input (torch's errors)."""
    def run(lib):
        x = lib.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.grad_fn.register_hook(hook)
        y.sum().backward()
        return x.grad
    check(run, match_message=True)


@pytest.mark.parametrize('grad', [lambda L: L.ones(3), lambda L: L.ones(2, 1),
                                  lambda L: L.ones(2, dtype=L.float64),
                                  lambda L: L.ones(2, dtype=L.int64), lambda L: [1, 2]])
def test_grad_assignment_errors(grad):
    raises_same(lambda L: setattr(L.tensor([1., 2.], requires_grad=True), 'grad', grad(L)))


@pytest.mark.parametrize('count', [1, 3])
def test_gradient_count(count):
    """Fewer gradients than outputs is torch's 'got 2 tensors and 1 gradients'; more are
    ignored."""
    def run(lib):
        x = lib.tensor([1., 2.], requires_grad=True)
        grads = [lib.ones(2) * (i + 2) for i in range(count)]
        return lib.autograd.grad([x * 2, x * 3], x, grads)
    check(run, match_message=True)


# ------------------------------------------------------------------ argument checks (sweep)

@pytest.mark.parametrize('make_grad', [
    lambda t: t.ones(3, dtype=t.complex64),              # complex gradient of a real output
    lambda t: 2.0,                                       # not iterable
    lambda t: [2.0],                                     # not a tensor
], ids=['complex', 'float', 'float_in_list'])
def test_backward_bad_gradient_types(make_grad):
    raises_same(lambda t, x: (x * 2).backward(make_grad(t)), rand(3))


@pytest.mark.parametrize('call', [
    lambda t, x: t.autograd.grad((x * 2).sum(), []),
    lambda t, x: t.autograd.grad((x * 2).sum(), [1.0]),
    lambda t, x: t.autograd.grad([x * 2, x * 3], x, [t.ones(3)]),
    lambda t, x: t.autograd.grad((x * 2).sum(), [x, x * 1], materialize_grads=True,
                                 allow_unused=False),
    lambda t, x: t.autograd.grad(x * 2, x, t.ones(3, 2), is_grads_batched=True),
    lambda t, x: (x * 2).sum().backward(inputs=[t.ones(3)]),
], ids=['empty_inputs', 'float_input', 'too_few_grads', 'materialize_not_unused',
        'batched_shape', 'backward_input_no_grad'])
def test_grad_argument_errors(call):
    raises_same(call, rand(3))


def test_grad_same_input_twice():
    def fn(t, x):
        return t.autograd.grad((x * x).sum(), [x, x])
    check(lambda t, x: fn(t, x.requires_grad_()), rand(3), exact=True)


def test_grad_inputs_dict_and_materialized_zeros():
    results = []
    for lib in LIBS:
        x, y = make(lib, rand(3)), make(lib, rand(3, seed=1))
        got = lib.autograd.grad((x * 2).sum(), {'x': x, 'y': y}, materialize_grads=True,
                                create_graph=True)
        assert list(got) == ['x', 'y']
        results.append((got['x'], got['y'], got['y'].requires_grad))
    assert_same(*results)


def test_grad_is_grads_batched():
    check(lambda t, x: t.autograd.grad(x.requires_grad_() * x, x, t.eye(3) * 2,
                                       is_grads_batched=True), rand(3), exact=True)


@pytest.mark.parametrize('call', [
    lambda t, x: t.autograd.grad((x * x).sum(), x, only_inputs=False),
    lambda t, x: t.autograd.backward([(x * x).sum()], grad_variables=[None]),
], ids=['only_inputs', 'grad_variables'])
def test_deprecated_arguments_warn(call):
    messages = []
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            call(lib, make(lib, rand(3)))
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[1] == messages[0]


def test_backward_inputs_nonleaf_keeps_retaining():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        z = x * 2
        loss = (z * z).sum()
        loss.backward(inputs=[z], retain_graph=True)
        loss.backward()  # z retains its grad from now on, as in torch
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            results.append((z.grad, z.retains_grad, x.grad))
    assert_same(*results)


# ------------------------------------------------------------------ accumulation (sweep)

def test_user_grad_requiring_grad_accumulates_in_place():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        g = lib.ones(3, requires_grad=True)
        x.grad = g
        (x * 2).sum().backward()
        results.append((x.grad is g, x.grad.requires_grad, x.grad))
    assert_same(*results)


def test_create_graph_grad_is_a_copy_node():
    names = []
    for lib in LIBS:
        x = make(lib, rand(3))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            (x * x).sum().backward(create_graph=True)
        fn = x.grad.grad_fn
        names.append((fn.name(), [n and n.name() for n, _ in fn.next_functions]))
    assert names[1] == names[0]


def test_retained_grad_sums_out_of_place_and_clones_with_graph():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * x
        y.retain_grad()
        loss = (y * y).sum()
        loss.backward(retain_graph=True)
        first = y.grad
        loss.backward()
        z = x * x
        z.retain_grad()
        (z * z).sum().backward(create_graph=True)
        results.append((first is y.grad, first, y.grad, z.grad.grad_fn.name()))
    assert_same(*results)


# ------------------------------------------------------------------ hooks (sweep)

class _Unnamed:
    def __call__(self, grad):
        return grad[:2]


@pytest.mark.parametrize('hook', [
    lambda g: g[:2], lambda g: g.double(), lambda g: 3.0, lambda g: (g,), _Unnamed(),
], ids=['size', 'type', 'float', 'tuple', 'unnamed'])
@pytest.mark.parametrize('leaf', [True, False], ids=['leaf', 'nonleaf'])
def test_tensor_hook_bad_result(hook, leaf):
    def fn(t, x):
        y = x if leaf else x * 2
        y.register_hook(hook)
        (y * y).sum().backward()
    raises_same(fn, rand(3))


@pytest.mark.parametrize('hook', [
    lambda gi, go: (gi[0][:2], None), lambda gi, go: (gi[0], go[0]),
], ids=['size', 'replace_none'])
def test_node_hook_bad_result(hook):
    def fn(t, x):
        y = x * 2
        y.grad_fn.register_hook(hook)
        (y * y).sum().backward()
    raises_same(fn, rand(3))


def test_accumulate_grad_node_hooks():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        acc = y.grad_fn.next_functions[0][0]
        seen = []
        acc.register_prehook(lambda go: (go[0] * 3,))
        acc.register_hook(lambda gi, go: seen.append((gi, go[0].clone())))
        (y * y).sum().backward()
        results.append((x.grad, seen))
    assert_same(*results)


def test_node_call_runs_backward():
    check(lambda t, x: (lambda x: ((x * x).grad_fn(t.ones(3)), (x + 2).grad_fn(t.ones(3)),
                                   x.exp().grad_fn(t.ones(3))))(x.requires_grad_()), rand(3))


def test_grad_captures_before_hooks_where_the_node_passes_on():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        y.register_hook(lambda g: g * 10)
        z = (y * y).sum()
        results.append((lib.autograd.grad(z, [y], retain_graph=True),
                        lib.autograd.grad(z, [y, x], retain_graph=True)))
    assert_same(*results)


def test_accumulating_into_grad_bumps_its_version():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        (x * 2).sum().backward()
        (x * 2).sum().backward()
        results.append(x.grad._version)
    assert results[1] == results[0]


def test_post_accumulate_grad_hooks():
    logs = []
    for T in (torch, ember):
        log = []
        x = T.ones(2, requires_grad=True)
        handle = x.register_post_accumulate_grad_hook(lambda t: log.append(t.grad.tolist()))
        (x * 3).sum().backward()
        T.autograd.grad((x * 3).sum(), x)  # accumulates nothing: no call
        handle.remove()
        (x * 3).sum().backward()
        x.register_post_accumulate_grad_hook(lambda t: 5)
        with pytest.raises(TypeError, match="expected Variable, but hook returned 'int'"):
            (x * 3).sum().backward()
        log.append(x.grad.tolist())
        logs.append(log)
    assert logs[0] == logs[1]
    check(lambda T: (T.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(print),
          match_message=True)
    check(lambda T: T.ones(2).register_post_accumulate_grad_hook(print), match_message=True)


def test_hook_handles_are_numbered_in_order():
    for T in (torch, ember):
        x = T.ones(2, requires_grad=True)
        first = x.register_hook(lambda g: None)
        second = x.register_post_accumulate_grad_hook(lambda t: None)
        assert second.id == first.id + 1


def test_grad_of_a_non_leaf_warns_only_while_undefined():
    for T in (torch, ember):
        y = T.ones(2, requires_grad=True) * 2
        with pytest.warns(UserWarning, match='is not a leaf'):
            assert y.grad is None
        y.grad = T.ones(2)
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            assert y.grad.tolist() == [1.0, 1.0]


# ------------------------------------------------------------------ detached leaves (fuzz 555, 844)

@pytest.mark.parametrize('then', ['', 'x.mul_(y)'])
def test_backward_into_a_leaf_detached_in_place(then):
    """A detached leaf gets no grad; written with history after, torch's logic_error."""
    def fn(t):
        x = t.tensor([1., 2.], requires_grad=True)
        y = x * 2
        x.detach_()
        exec(then, {'x': x, 'y': y})
        y.sum().backward()
        return x.grad
    check(fn, match_message=True)


@pytest.mark.parametrize('code', [
    'z = abs(y); y.detach_()', 'z = abs(y); y.detach_(); y.add_(1)',
    'y.detach_(); z = y * w', 'z = y.exp(); y.detach_()'])
def test_saved_tensor_detached_in_place(code):
    def fn(t):
        w = t.tensor([1., 2.], requires_grad=True)
        env = {'w': w, 'y': w - 1}
        exec(code, env)
        env['z'].sum().backward()
        return w.grad
    check(fn, match_message=True)


# ------------------------------------------------------------------ the order nodes run in

ORDER_GRAPHS = {
    'two leaves of one node': 'out = (a * b).sum()',
    'four leaves': 'out = (a * b + c * d).sum()',
    'leaf used twice': 'out = (a * b).sum() + (a * c).sum()',
    'leaves at several depths': 'out = ((a * b).exp() * c + d).sum()',
    'a linear layer': 'out = ((a @ b.t()) + c).sum() + d.sum()',
    'stacked': 'out = T.stack([d, c, b, a]).sum()',
}


@pytest.mark.parametrize('graph', ORDER_GRAPHS)
@pytest.mark.parametrize('how', ['backward', 'grad', 'backward(inputs=[c, a])'])
def test_hooks_run_in_torchs_order(graph, how):
    """torch's engine runs a leaf's AccumulateGrad as soon as its gradient is complete, and
    leaves ready at once in the order of its std::priority_queue; other nodes latest-made
    first. Tensor hooks, node hooks and post-accumulate hooks are called in that order."""
    def run(T):
        leaves = [(T.tensor([[0.5, -1.5], [2.0, 0.25]], dtype=T.float64) * k).requires_grad_()
                  for k in (1, 2, 3, 4)]
        a, b, c, d = leaves
        log = []
        for name, leaf in zip('abcd', leaves):
            leaf.register_hook(lambda g, name=name: log.append(('hook', name)))
            if how == 'backward':
                leaf.register_post_accumulate_grad_hook(lambda p, name=name: log.append(('acc', name)))
        namespace = {'T': T, 'a': a, 'b': b, 'c': c, 'd': d}
        exec(ORDER_GRAPHS[graph], namespace)
        out = namespace['out']
        node, seen = out.grad_fn, set()
        stack = [node]
        while stack:   # a pre-hook on every node, logging its name
            node = stack.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            node.register_prehook(lambda g, name=node.name(): log.append(('node', name)))
            stack.extend(n for n, _ in node.next_functions)
        if how == 'grad':
            T.autograd.grad(out, leaves)
        elif how == 'backward':
            out.backward()
        else:
            out.backward(inputs=[c, a])
        return log
    check(run)


def test_grad_of_a_non_leaf_runs_only_its_tensor_hooks():
    """autograd.grad captures at the node of a requested non-leaf without running it (unless
    another requested tensor is reached through it): its tensor hooks run, not its node's."""
    def run(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        h = a * 3
        out = (h * h).sum()
        log = []
        h.register_hook(lambda g: log.append(('tensor hook', g)))
        h.grad_fn.register_prehook(lambda g: log.append(('pre-hook', g)))
        h.grad_fn.register_hook(lambda gi, go: log.append(('post-hook', gi)))
        first = T.autograd.grad(out, [h], retain_graph=True)
        second = T.autograd.grad(out, [h, a])
        return first, second, log
    check(run)


@pytest.mark.parametrize('inputs', ['[a]', '[b]', '[a, b]', None])
def test_post_hooks_see_fitted_gradients_and_none_where_not_needed(inputs):
    """A node's post-hooks get its input gradients summed to the inputs' shapes and cast to
    their dtypes (torch validates them first), and None for inputs the pass doesn't need."""
    def run(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64, requires_grad=True)
        y = a * b
        log = []
        y.grad_fn.register_hook(lambda gi, go: log.append(gi))
        y.grad_fn.register_hook(lambda gi, go: tuple(None if g is None else g + 1 for g in gi))
        if inputs is None:
            y.sum().backward()
            return log, a.grad, b.grad
        return log, T.autograd.grad(y.sum(), eval(inputs, {'a': a, 'b': b}))
    check(run)


def test_nodes_autograd_grad_does_not_run_keep_their_saved_tensors():
    def run(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        c = T.tensor([3.0, 4.0], requires_grad=True)
        ab, cd = a * a, c * c
        first = T.autograd.grad(ab.sum() + cd.sum(), [a])
        cd.sum().backward()   # cd's node didn't run: it still has its saved tensors
        return first, c.grad
    check(run)


@pytest.mark.parametrize('make', [
    'T.arange(6.).reshape(2, 3).t()', 'T.arange(6.).reshape(2, 3)',
    'T.arange(12.).reshape(2, 6)[:, ::2]', 'T.zeros(3, 1, 2).permute(2, 1, 0)',
    'T.arange(6.).reshape(1, 2, 3).transpose(0, 2)', 'T.arange(6.).reshape(2, 3).t().unsqueeze(1)'])
def test_a_leafs_grad_is_laid_out_as_the_leaf(make):
    """torch's gradient layout contract: .grad has a dense leaf's strides (else contiguous),
    also when accumulated, and with create_graph (copied by a CopyBackwards node, or for a
    leaf that is not dense, a CloneBackward0)."""
    def run(T):
        a = eval(make, {'T': T}).requires_grad_()
        (a * 1).sum().backward()
        first = a.grad.stride()
        (a * 2).sum().backward()
        b = eval(make, {'T': T}).requires_grad_()
        (b * b).sum().backward(create_graph=True)
        return first, a.grad.stride(), a.grad, b.grad.stride(), type(b.grad.grad_fn).__name__
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    'T.autograd.grad((x * 2).sum(), x, is_grads_batched=True)',
    'T.autograd.grad((x * 2)[:1], x, is_grads_batched=True)',
    'T.autograd.grad((x * 2)[:1, None], x, is_grads_batched=True)',
    'T.autograd.grad(x * 2, x, is_grads_batched=True)',
    'T.autograd.grad(x * 2, x, T.zeros(0, 2), is_grads_batched=True)',
    'T.autograd.grad(x.sum(), x, T.tensor(1.), is_grads_batched=True)',
    'T.autograd.grad(x * 2, x, T.ones(3, 2), is_grads_batched=True)'])
def test_batched_grad_of_implicit_ones(code):
    """With is_grads_batched, the implicit ones of a one-element output are vmapped over their
    first dim: torch's vmap error for a 0-d output, its shape error for others. A batch of none
    or a 0-d gradient raises the IndexError of torch's grad[0] (ember returned no gradients)."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, requires_grad=True)}), match_message=True)


@pytest.mark.parametrize('code', [
    'T.autograd.grad([None, (x * 2).sum()], x)',
    'T.autograd.grad([(x * 2).sum(), 1.0], x)',
    'T.autograd.grad([(x * 2).sum(), None], x, [None, T.ones(())])',
    'T.autograd.backward([(x * 2).sum(), None])'])
def test_an_output_that_is_no_tensor(code):
    """An output that is not a tensor fails torch's _make_grads assertion (ember leaked an
    AttributeError)."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, requires_grad=True)}), match_message=True)


def test_data_of_another_shape_then_backward():
    """After .data of another shape, backward raises torch's errors: adding into the leaf's
    .grad of the old shape (ember leaked NumPy's ValueError), and a gradient of the new shape
    flowing into a node recorded with the old one (ember: sum_to_size's error)."""
    def leaf(T):
        w = T.ones(3, requires_grad=True)
        (w * 2).sum().backward()
        w.data = T.ones(2)
        (w * 2).sum().backward()
    check(leaf, match_message=True)

    def broadcastable(T):   # the old .grad broadcasts to the new: torch's in-place add refuses
        w = T.ones(1, requires_grad=True)
        (w * 2).sum().backward()
        w.data = T.ones(3)
        (w * 2).sum().backward()
    check(broadcastable, match_message=True)

    def interior(T):   # (torch names the node that returned it, ember the one it flows through)
        y = T.ones(2, requires_grad=True) * 2
        y.data = T.ones(3)
        y.sum().backward()
    check(interior)
    with pytest.raises(RuntimeError, match=r'returned an invalid gradient at index 0 - got \[3\] '
                                           r'but expected shape compatible with \[2\]'):
        interior(ember)


def test_calling_nodes():
    """Calling a grad_fn as torch's Node.__call__: one gradient per output (torch's TypeError
    otherwise), no gradients where all are None, an AccumulateGrad accumulates into .grad; a
    custom Function's node is not callable. Every node's requires_grad is True."""
    def run(T):
        x = T.tensor([1., 2.], requires_grad=True)
        y = x * x
        out = [y.grad_fn(T.ones(2)), y.grad_fn(None), x.exp().grad_fn(None),
               y.grad_fn.requires_grad, y.grad_fn.next_functions[0][0].requires_grad]
        for args in [(), (T.ones(2), T.ones(2))]:
            try:
                y.grad_fn(*args)
            except TypeError as e:
                out.append(str(e))
        u = (x * 1).unbind()
        out.append(u[0].grad_fn(T.ones(()), None))
        acc = y.grad_fn.next_functions[0][0]
        out += [acc(T.ones(2)), x.grad, acc(T.ones(2)), x.grad, acc(None), x.grad]

        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return g
        z = F.apply(x)
        out.append(z.grad_fn.requires_grad)
        try:
            z.grad_fn(T.ones(2))
        except TypeError as e:
            out.append(str(e).replace('FBackward', 'F'))
        return out
    check(run)


def test_a_given_gradient_is_passed_as_is():
    """The gradient given to backward()/grad() is the tensor hooks see and autograd.grad
    returns where it is captured at once, as torch's (ember passed a detached copy: `is` failed,
    and a hook saw requires_grad False for a gradient that requires grad)."""
    def run(T):
        x = T.tensor([1., 2.], requires_grad=True)
        seed, seed_rg = T.ones(2), T.ones(2, requires_grad=True)
        out = []
        for s in (seed, seed_rg):
            y = x * 1
            y.register_hook(lambda g, s=s: out.append((g is s, g.requires_grad)))
            y.retain_grad()
            y.backward(s)
            out.append((x.grad.requires_grad, y.grad is s, y.grad.requires_grad))
            leaf = T.tensor([1., 2.], requires_grad=True)
            leaf.register_hook(lambda g, s=s: out.append((g is s, g.requires_grad)))
            leaf.backward(s)
            out.append((leaf.grad is s, leaf.grad.requires_grad))
            for create_graph in (False, True):
                for v in (leaf, leaf * 1):
                    g, = T.autograd.grad(v, v, s, create_graph=create_graph)
                    out.append((g is s, g.requires_grad))
            g, = T.autograd.grad(leaf * 1, leaf, s)
            out.append((g is s, g.requires_grad))
        return out
    check(run)


@pytest.mark.parametrize('end', [
    'T.autograd.grad(y, w, T.ones(2), allow_unused=True, retain_graph=True)',
    'y.backward(T.ones(2), inputs=[w], retain_graph=True)',
    'T.autograd.grad(y, y, T.ones(2), retain_graph=True)',
    'x.backward(T.ones(2), inputs=[w])',
    'T.autograd.backward([y, y * 2], [T.ones(2), T.ones(2)], inputs=[w])'])
def test_a_single_root_that_leads_nowhere_needed(end):
    """A pass with inputs that its one root doesn't lead to still runs that root's tensor hooks
    and retain_grad, not its node's hooks, as torch's engine, which takes a single root's node
    as its graph root (ember ran nothing there); with several roots, none of them."""
    def run(T):
        log = []
        x = T.tensor([1., 2.], requires_grad=True)
        w = T.tensor([1., 2.], requires_grad=True)
        y = x * x
        y.grad_fn.register_prehook(lambda go: log.append(('pre', go)))
        y.grad_fn.register_hook(lambda gi, go: log.append(('post', gi)))
        for t in (x, y):
            t.register_hook(lambda g: log.append(('tensor', g)))
        y.retain_grad()
        result = eval(end, {'T': T, 'x': x, 'y': y, 'w': w})
        return log, result, y.grad, x.grad, w.grad
    check(run, exact=True)


@pytest.mark.parametrize('call', [
    'T.add(a, 1, out=o)', 'T.sub(a, 1, out=o)', 'T.mul(a, a, out=o)', 'T.multiply(a, 2, out=o)',
    'T.div(a, 2, out=o)', 'T.true_divide(a, 2, out=o)', 'T.div(a, 2, rounding_mode="floor", out=o)',
    'T.remainder(a, 2, out=o)', 'T.pow(a, 2, out=o)', 'T.pow(2, a, out=o)', 'T.pow(a, a, out=o)',
    'T.exp(a, out=o)', 'T.log(a, out=o)', 'T.sqrt(a, out=o)', 'T.reciprocal(a, out=o)',
    'T.abs(a, out=o)', 'T.neg(a, out=o)', 'T.sign(a, out=o)', 'T.sgn(a, out=o)',
    'T.floor(a, out=o)', 'T.clamp(a, 0, out=o)', 'T.clip(a, 0, 1, out=o)',
    'T.clamp(a, T.zeros(2), out=o)', 'T.sum(a, 0, out=s)', 'T.mean(a, 0, out=s)',
    'T.cat([a, a], out=T.empty(4))', 'T.stack([a, a], out=T.empty(2, 2))',
    'T.matmul(a, a, out=s)', 'T.mul(c, 1, out=r)', 'T.exp(c, out=r)', 'T.sum(c, 0, out=rs)',
    'T.floor_divide(c, 2, out=r)', 'T.eq(a, 1, out=T.empty(2, dtype=T.bool))'])
def test_out_refused_with_autograd_names_the_op(call):
    """An out= call that autograd would record raises torch's error, which names the aten op
    ('mul(): functions with out=...', 'aten::floor_divide(): ...'; ember named none)."""
    def run(T):
        env = {'T': T, 'a': T.tensor([1., 2.], requires_grad=True), 'c': T.tensor([1., 2.]),
               'o': T.empty(2), 's': T.empty(()), 'r': T.zeros(2, requires_grad=True),
               'rs': T.zeros((), requires_grad=True)}
        try:
            eval(call, env)
        except RuntimeError as e:
            return str(e)
    check(run)


@pytest.mark.parametrize('between', ['', 'v.grad_fn', 'h.remove()'])
def test_hooks_of_a_view_after_its_base_is_written(between):
    """torch keeps a tensor's hooks in one dict, given to its grad_fn at the first hook and
    dropped when the tensor gets another grad_fn: after a write to a view's base, a hook
    registered before the view is re-derived joins the earlier ones on the old grad_fn (none
    of them runs; ember ran it), one registered after runs."""
    def run(T):
        log = []
        x = T.tensor([1., 2., 3.], requires_grad=True)
        b = x * 1
        v = b[:2]
        h = v.register_hook(lambda g: log.append(('first', g)))
        b.mul_(2)
        exec(between, {'v': v, 'h': h})
        v.register_hook(lambda g: log.append(('second', g)))
        (v * 5).sum().backward()
        return log, x.grad
    check(run, exact=True)
