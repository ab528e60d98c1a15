"""Custom autograd.Function against torch: ctx API, apply, setup_context, dirty and
non-differentiable outputs, materialized grads, once_differentiable, double backward."""
import warnings

import pytest
import torch

from helpers import assert_same, check, function_class, make, rand, raises_same, run_both
import ember

LIBS = (torch, ember)


def _cube(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x ** 3 * k

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2 * ctx.k, None
    return Cube


def test_apply_and_backward():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = _cube(lib).apply(x, 2.0)
        y.sum().backward()
        results.append((y, x.grad, y.grad_fn.name(), y.requires_grad))
    assert_same(*results)


def test_grad_fn_structure_and_needs_input_grad():
    results = []
    for lib in LIBS:
        seen = []

        class Mul(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b, scale):
                seen.append(ctx.needs_input_grad)
                ctx.save_for_backward(a, b)
                return a * b * scale

            @staticmethod
            def backward(ctx, grad):
                seen.append(ctx.needs_input_grad)
                a, b = ctx.saved_tensors
                return grad * b, grad * a, None
        x, c = make(lib, rand(3)), make(lib, rand(3, seed=1), requires_grad=False)
        y = Mul.apply(x, c, 2.0)
        nf = [(n is None, type(n).__name__ if n is not None else None) for n, _ in
              y.grad_fn.next_functions]
        y.sum().backward()
        results.append((seen, nf, x.grad))
    assert results[0][0] == results[1][0]
    assert [a for a, _ in results[0][1]] == [a for a, _ in results[1][1]]
    assert_same(results[0][2], results[1][2])


def test_setup_context_style():
    results = []
    for lib in LIBS:
        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(x):
                return x * x

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, = inputs
                ctx.save_for_backward(x)

            @staticmethod
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return 2 * x * grad
        x = make(lib, rand(3))
        Sq.apply(x).sum().backward()
        results.append(x.grad)
    assert_same(*results)


def test_no_grad_inputs_give_plain_output():
    for lib in LIBS:
        x = make(lib, rand(3), requires_grad=False)
        y = _cube(lib).apply(x, 1.0)
        assert not y.requires_grad and y.grad_fn is None


def test_forward_runs_without_grad():
    flags = []
    for lib in LIBS:
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                flags.append(lib.is_grad_enabled())
                return x.clone()

            @staticmethod
            def backward(ctx, g):
                return g
        F.apply(make(lib, rand(3)))
    assert flags[0] == flags[1]


def test_multiple_outputs_and_unused_output_grad():
    results = []
    for lib in LIBS:
        grads_seen = []

        class Split(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, ga, gb):
                grads_seen.append((ga.clone(), gb.clone()))
                return ga * 2 + gb * 3
        x = make(lib, rand(3))
        a, b = Split.apply(x)
        a.sum().backward()   # b unused: its gradient is materialized as zeros
        results.append((grads_seen, x.grad, a.grad_fn is b.grad_fn))
    assert_same(*results)


def test_set_materialize_grads_false():
    results = []
    for lib in LIBS:
        seen = []

        class Split(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, ga, gb):
                seen.append(gb is None)
                return ga * 2
        x = make(lib, rand(3))
        a, b = Split.apply(x)
        a.sum().backward()
        results.append((seen, x.grad))
    assert_same(*results)


def test_mark_non_differentiable():
    results = []
    for lib in LIBS:
        class SortLike(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                idx = (x > 0).to(lib.float32)
                ctx.mark_non_differentiable(idx)
                return x * 2, idx

            @staticmethod
            def backward(ctx, g, g_idx):
                return g * 2
        x = make(lib, rand(3))
        y, idx = SortLike.apply(x)
        flags = (y.requires_grad, idx.requires_grad, idx.grad_fn is None)
        y.sum().backward()
        results.append((flags, x.grad))
    assert_same(*results)


def test_mark_dirty():
    results = []
    for lib in LIBS:
        class AddOne_(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g
        x = make(lib, rand(3))
        h = x * 2
        out = AddOne_.apply(h)
        info = (out is h, h._version, h.grad_fn.name())
        (out * out).sum().backward()
        results.append((info, x.grad))
    assert_same(*results)


def test_mark_dirty_on_leaf_raises():
    def fn(t, x):
        class AddOne_(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g
        AddOne_.apply(x)
    raises_same(fn, rand(3))


def test_returning_input_unchanged():
    results = []
    for lib in LIBS:
        class Ident(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 5
        x = make(lib, rand(3))
        y = Ident.apply(x)
        info = (y is x, y.requires_grad, y.grad_fn is not None)
        y.sum().backward()
        results.append((info, x.grad))
    assert_same(*results)


def test_saved_tensor_modified_raises():
    def fn(t, x):
        h = x * 1
        y = _cube(t).apply(h, 1.0)
        h.add_(1)
        y.sum().backward()
    raises_same(fn, rand(3), match_message=False)


def test_saved_tensors_freed_after_backward():
    def fn(t, x):
        y = _cube(t).apply(x * 1, 1.0)
        y.sum().backward()
        y.grad_fn.saved_tensors
    raises_same(fn, rand(3))


def test_second_backward_raises():
    def fn(t, x):
        y = _cube(t).apply(x * 1, 1.0).sum()
        y.backward()
        y.backward()
    raises_same(fn, rand(3))


def test_wrong_number_of_gradients_raises():
    def fn(t, x):
        class Bad(t.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, g):
                return g
        Bad.apply(x, x * 2).sum().backward()
    raises_same(fn, rand(3), match_message=False)


def test_double_backward_through_custom_function():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = _cube(lib).apply(x, 1.0).sum()
        g, = lib.autograd.grad(y, x, create_graph=True)
        gg, = lib.autograd.grad(g.sum(), x)
        results.append((g, gg))
    assert_same(*results)


def test_once_differentiable():
    results = []
    for lib in LIBS:
        once = lib.autograd.function.once_differentiable if lib is torch else \
            lib.autograd.once_differentiable

        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @once
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g
        x = make(lib, rand(3))
        g, = lib.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
        results.append((g.requires_grad, g))
    assert_same(*results)


def test_once_differentiable_importable_like_torch():
    from ember.autograd.function import once_differentiable, Function  # noqa: F401
    assert ember.autograd.Function is Function


def test_non_tensor_outputs_and_inputs():
    results = []
    for lib in LIBS:
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, n, flag=True):
                ctx.n = n
                return x * n, n + 1

            @staticmethod
            def backward(ctx, g, _):
                return g * ctx.n, None, None
        x = make(lib, rand(3))
        y, m = F.apply(x, 3)
        y.sum().backward()
        results.append((m, x.grad))
    assert_same(*results)


def test_function_ctx_is_grad_fn_and_hooks():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = _cube(lib).apply(x, 1.0)
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        (y * 4).sum().backward()
        results.append((seen, x.grad))
    assert_same(*results)


def _double(ctx, x):
    return x * 2


@pytest.mark.parametrize('extra', [(None,), (None, None), ('grad',)])
def test_extra_gradients(extra):
    """backward may return more gradients than forward had inputs only if the extra ones
    are None (torch's error otherwise)."""
    def run(lib):
        double = function_class(lib, _double, lambda ctx, grad: (grad * 2,) + tuple(
            grad if e == 'grad' else None for e in extra))
        x = lib.tensor([1., 2.], requires_grad=True)
        double.apply(x).sum().backward()
        return x.grad
    check(run, exact=True, match_message=True)


# ------------------------------------------------------------------ sweep

@pytest.mark.parametrize('backward', [
    lambda ctx, g: g[:2],                  # not reducible to the input's shape
    lambda ctx, g: g.sum(),                # a scalar is not either
    lambda ctx, g: 2.0,                    # not a tensor
    lambda ctx, g: (g, g),                 # too many
], ids=['shape', 'scalar', 'float', 'count'])
def test_backward_result_checked(backward):
    raises_same(lambda t, x: function_class(t, _double, backward).apply(x).sum().backward(),
                rand(3))


def test_backward_gradient_for_non_tensor_input():
    def fn(t, x):
        f = function_class(t, lambda ctx, k, x: x * k, lambda ctx, g: (g, g))
        f.apply(2.0, x).sum().backward()
    raises_same(fn, rand(3))


def test_backward_gradient_broadcast_to_input_is_summed():
    def fn(t, x):
        f = function_class(t, lambda ctx, x: x.sum(), lambda ctx, g: (g.expand(2, 3), None))
        return f.apply(x)
    run_both(fn, rand(3))


@pytest.mark.parametrize('forward', [
    lambda ctx, x: ctx.save_for_backward(x, 3) or x * 2,
    lambda ctx, x: (x.mul_(2), ctx.mark_dirty(x))[0] * 1,
], ids=['save_int', 'dirty_not_returned'])
def test_forward_errors(forward):
    raises_same(lambda t, x: function_class(t, forward, lambda ctx, g: g).apply(x * 1), rand(3))


def test_dirty_output_saved_after_forward():
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x
    run_both(lambda t, x: function_class(t, forward, backward).apply(x * 1).sum(), rand(3))


def test_saved_tensors_empty_during_forward():
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * len(ctx.saved_tensors)
    run_both(lambda t, x: function_class(t, forward, lambda ctx, g: g).apply(x).sum(), rand(3))


def test_non_differentiable_input_returned():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        f = function_class(lib, lambda ctx, x: ctx.mark_non_differentiable(x) or x,
                           lambda ctx, g: g)
        y = f.apply(x)
        results.append((y.requires_grad, y.grad_fn is None))
    assert results[1] == results[0]


def test_vjp_instead_of_backward():
    run_both(lambda t, x: function_class(t, _double, vjp=lambda ctx, g: g * 5).apply(x).sum(),
             rand(3))


@pytest.mark.parametrize('call', [
    lambda t, f, x: f.apply(x).sum().backward(),          # backward and vjp both defined
    lambda t, f, x: f()(x),                               # legacy call of an instance
    lambda t, f, x: f.jvp(None, x),
], ids=['backward_and_vjp', 'legacy_call', 'jvp'])
def test_function_class_errors(call):
    def fn(t, x):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            call(t, function_class(t, _double, lambda ctx, g: g, vjp=lambda ctx, g: g), x)
    raises_same(fn, rand(3))


def test_instantiating_warns():
    messages = []
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            function_class(lib, _double)()
        messages.append([(w.category, str(w.message).split('>', 1)[1]) for w in caught])
    assert messages[1] == messages[0]


def _once_square(lib):
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 2 * x
    return function_class(lib, lambda ctx, x: ctx.save_for_backward(x) or x * x,
               lib.autograd.function.once_differentiable(backward))


def test_once_differentiable_error_node():
    results = []
    for lib in LIBS:
        x, g0 = make(lib, rand(3)), make(lib, rand(3, seed=1))
        g, = lib.autograd.grad(_once_square(lib).apply(x), x, g0, create_graph=True)
        fn = g.grad_fn
        results.append((g.requires_grad, fn.name(), type(fn).__name__,
                        [n.name() for n, _ in fn.next_functions]))
    assert results[1] == results[0]
    raises_same(lambda t, x, g0: t.autograd.grad(_once_square(t).apply(x), x, g0,
                                                 create_graph=True)[0].sum().backward(),
                rand(3), rand(3, seed=1))
