"""Custom autograd.Function against torch: ctx API, apply, setup_context, dirty and
non-differentiable outputs, materialized grads, once_differentiable, double backward."""
import re
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


def _marked(ctx):
    """What a ctx holds of what forward marked: each attribute's type and length."""
    return [(type(v).__name__, len(v) if v is not None else None)
            for v in (ctx.to_save, ctx.dirty_tensors, ctx.non_differentiable)]


@pytest.mark.parametrize('grad', [True, False])
def test_marked_tensors_are_attributes_until_apply_returns(grad):
    """ctx.to_save, dirty_tensors and non_differentiable: None, then what forward marked,
    then None again once apply has used them (in backward too), as torch's."""
    results = []
    for lib in LIBS:
        seen = []

        def forward(ctx, x, y):
            seen.append(_marked(ctx))
            ctx.save_for_backward(x)
            x.mul_(2)
            ctx.mark_dirty(x)
            z = y * 1
            ctx.mark_non_differentiable(z)
            seen.append(_marked(ctx))
            return x, z

        def backward(ctx, g, h):
            seen.append(_marked(ctx))
            return g, None
        x = make(lib, rand(2), requires_grad=grad)
        x = x.clone() if grad else x
        out, _ = function_class(lib, forward, backward).apply(x, make(lib, rand(2), False))
        if grad:
            seen.append(_marked(out.grad_fn))
            out.sum().backward()
        results.append(seen)
    assert results[0] == results[1]


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
    lambda t, f, x: f.vmap(None, (0,), x),
    lambda t, f, x: f.generate_vmap_rule or f.jvp(None, x),
], ids=['backward_and_vjp', 'legacy_call', 'jvp', 'vmap', 'generate_vmap_rule'])
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


# ------------------------------------------------------------------ outputs that are views

OUTPUTS = {'input': lambda x: x, 'view': lambda x: x.view(3, 2), 'select': lambda x: x[0],
           'clone': lambda x: x.clone(), 'two': lambda x: (x, x.view(-1), x * 2)}


def _outcome(T, code, namespace):
    """What running ``code`` gave: its value's repr, or the error it raised."""
    try:
        exec(code, namespace)
        out = namespace.get('out')
        return repr(out) if isinstance(out, T.Tensor) else type(out).__name__
    except RuntimeError as error:
        return f'RuntimeError: {error}'


@pytest.mark.parametrize('output', OUTPUTS)
@pytest.mark.parametrize('input', ['leaf', 'non-leaf', 'not requiring grad'])
@pytest.mark.parametrize('mode', ['grad', 'no_grad'])
@pytest.mark.parametrize('code', ['out = y.add_(1)', 'out = y.add_(w)',
                                  'x.detach().add_(1); out = y.grad_fn',
                                  'x.detach().add_(1); out = y * 1',
                                  'with T.no_grad(): out = y.add_(1)'])
def test_outputs_that_are_views(output, input, mode, code):
    """As torch: an input returned as-is comes back as a view of it (or, where the Function
    records nothing and it requires grad, a detached alias); every output that is a view
    refuses in-place writes with torch's custom-Function error (the multi-output error
    where several outputs are differentiable), and so do views of them."""
    def run(T):
        Fn = function_class(T, lambda ctx, x: OUTPUTS[output](x),
                            lambda ctx, *g: g[0].reshape(3, 2) * 2)
        leaf = T.tensor([[0.5, 0.25], [0.75, 0.6], [0.9, 0.3]],
                        requires_grad=input != 'not requiring grad')
        x = leaf * 1 if input == 'non-leaf' else leaf
        with T.set_grad_enabled(mode == 'grad'):
            ys = Fn.apply(x)
        ys = ys if isinstance(ys, tuple) else (ys,)
        shape = [(y._base is x, y is x, y.requires_grad, y.is_leaf, y._version,
                  type(y.grad_fn).__name__, y.output_nr) for y in ys]
        w = T.ones(1, requires_grad=True)
        outcomes = [_outcome(T, code, {'T': T, 'x': x, 'y': y, 'w': w}) for y in ys[:2]]
        return shape, outcomes, x._version
    check(run)


def _dirty(T, outputs=1):
    """A Function that doubles its input in place (marked dirty), returning it first."""
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return (x,) + tuple(x * k for k in range(1, outputs)) if outputs > 1 else x
    return function_class(T, forward, lambda ctx, *g: g[0] * 3)


@pytest.mark.parametrize('view', ['y[:2]', 'y[1]', 'y.view(2, 2)[0]', 'y.t()'])
def test_dirty_view_input_puts_copy_slices_on_its_base(view):
    """A view written in place by a Function (mark_dirty) takes its node through a
    CopySlices on its base, as torch's in-place ops: the base's gradient has the Function's
    gradient in the view's region."""
    def run(T):
        x = T.tensor([1.0, 2.0, 3.0, 4.0], dtype=T.float64, requires_grad=True)
        y = x * 1
        v = eval(view, {'y': y})
        out = _dirty(T).apply(v)
        info = (out is v, type(out.grad_fn).__name__, type(y.grad_fn).__name__,
                [type(n).__name__ for n, _ in y.grad_fn.next_functions], y._version)
        (y * T.arange(4.0, dtype=T.float64)).sum().backward()
        return info, y, x.grad
    check(run)


@pytest.mark.parametrize('case', ['view of a leaf', 'view made in no_grad mode',
                                  'view, two outputs', 'view of a leaf, two outputs', 'leaf',
                                  'output of unbind'])
def test_dirty_input_errors(case):
    def run(T):
        x = T.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        if case == 'view of a leaf':
            return _dirty(T).apply(x[:2])
        if case == 'view of a leaf, two outputs':
            return _dirty(T, outputs=2).apply(x[:2])
        if case == 'leaf':
            return _dirty(T).apply(x)
        y = x * 1
        if case == 'view made in no_grad mode':
            with T.no_grad():
                v = y[:2]
            return _dirty(T).apply(v)
        if case == 'output of unbind':
            return _dirty(T).apply(y.view(2, 2).unbind()[0])
        return _dirty(T, outputs=2).apply(y[:2])
    check(run, match_message=True)


def test_dirty_input_with_several_outputs():
    def run(T):
        y = T.tensor([1.0, 2.0], requires_grad=True) * 1
        outs = _dirty(T, outputs=2).apply(y)
        info = [(type(o.grad_fn).__name__, o.output_nr) for o in outs]
        (outs[0] * 5 + outs[1]).sum().backward()
        return info, y._version
    check(run)


def test_dirty_tensor_that_is_not_an_input_warns():
    results = []
    for T in LIBS:
        def forward(ctx, x):
            z = T.zeros(2)
            ctx.mark_dirty(z)
            return x * 1, z
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            outs = function_class(T, forward, lambda ctx, *g: g[0]).apply(
                T.ones(2, requires_grad=True))
        results.append(([str(w.message) for w in caught],
                        [(type(o.grad_fn).__name__, o.output_nr) for o in outs]))
    assert results[1] == results[0]


def test_node_repr_names_its_module():
    reprs = []
    for T in LIBS:
        node = function_class(T, lambda ctx, x: x * 2, lambda ctx, g: g).apply(
            T.ones(2, requires_grad=True)).grad_fn
        reprs.append(re.sub(r' at 0x[0-9a-f]+>$', '>', repr(node)))
    assert reprs == ['<torch.autograd.function.MyFnBackward object>',
                     '<ember.autograd.function.MyFnBackward object>']


@pytest.mark.parametrize('saved', ['output', 'inputs[0]', 'inputs[0].view_as(inputs[0])', 'None'])
@pytest.mark.parametrize('requires_grad', [True, False])
def test_setup_context_cant_save_an_input_returned_as_is(saved, requires_grad):
    def run(T):
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(eval(saved, {'inputs': inputs, 'output': output}))
        Fn = function_class(T, lambda x: x, lambda ctx, g: g * 2, setup_context=setup_context)
        x = T.ones(2, requires_grad=requires_grad)
        y = Fn.apply(x)
        if y.requires_grad:
            y.sum().backward()
        return y._base is x, x.grad
    check(run, match_message=True)


@pytest.mark.parametrize('marks', ['ctx.mark_dirty(3)', 'ctx.mark_dirty(x, 3)',
                                   'ctx.mark_non_differentiable(x * 1, "y")',
                                   'ctx.mark_dirty(3); ctx.mark_non_differentiable(4)'])
@pytest.mark.parametrize('requires_grad', [True, False])
def test_marking_what_is_not_a_tensor(marks, requires_grad):
    """Raises torch's errors (cut short as torch's are), non-differentiable outputs first;
    dirty tensors marked before the bad argument have their version bumped."""
    def run(T):
        def forward(ctx, x):
            exec(marks, {'ctx': ctx, 'x': x})
            return x
        x = T.ones(2, requires_grad=requires_grad) * 1
        try:
            function_class(T, forward, lambda ctx, g: g).apply(x)
        except RuntimeError as error:
            return str(error), x._version
    check(run)


@pytest.mark.parametrize('grad', ['g * 1j', 'g.long()', 'g.double()', 'g.bool()'])
@pytest.mark.parametrize('dtype', ['float32', 'complex64'])
def test_gradient_of_another_kind_than_its_input(grad, dtype):
    """torch's engine casts a gradient to its input's dtype, except a complex one for a real
    input, or a non-float one for a complex input: those raise."""
    def run(T):
        x = T.ones(2, dtype=getattr(T, dtype), requires_grad=True)
        Fn = function_class(T, lambda ctx, x: x * 2, lambda ctx, g: eval(grad, {'g': g}))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # casting complex values to real
            Fn.apply(x).abs().sum().backward()
        return x.grad
    check(run, match_message=True)


@pytest.mark.parametrize('write', ['', 'outs[nr].add_(1)', 'with T.no_grad(): outs[nr].mul_(2)',
                                   'outs[nr].detach_()'])
@pytest.mark.parametrize('nr', [0, 1])
def test_saved_outputs_come_back_as_new_tensors_of_the_node(write, nr):
    """A Function's output it saved is unpacked as a new tensor of its node (not the output
    itself); modified in place, torch's error names the node and the output's number; a
    saved output detached in place is still the node's."""
    def run(T):
        def forward(ctx, x):
            outs = x * 2, x.exp()
            ctx.save_for_backward(outs[nr])
            return outs

        def backward(ctx, g0, g1):
            saved, = ctx.saved_tensors
            ctx.seen = (saved is outs[nr], saved.requires_grad, saved.output_nr,
                        type(saved.grad_fn).__name__, saved._version)
            return g0 * 2 + g1 * saved
        x = T.tensor([0.5, -1.0], dtype=T.float64, requires_grad=True)
        outs = function_class(T, forward, backward).apply(x)
        exec(write, {'T': T, 'outs': outs, 'nr': nr})
        try:
            (outs[0].sum() + outs[1].sum()).backward()
        except RuntimeError as error:
            return str(error)
        return outs[0].grad_fn.seen, x.grad
    check(run)


def test_version_error_of_a_tensor_saved_as_is_says_output_0():
    """torch notes output numbers only of the tensors a node saves of its own outputs."""
    def run(T):
        Fn = function_class(T, lambda ctx, x: (x * 2, x * 3), lambda ctx, g0, g1: g0 + g1)
        second = Fn.apply(T.tensor([0.5, -1.0], requires_grad=True))[1]
        product = second * second
        with T.no_grad():
            second.add_(1)
        product.sum().backward()
    check(run, match_message=True)


def test_saved_variables_is_deprecated():
    """ctx.saved_variables: saved_tensors, with torch's deprecation warning."""
    results = []
    for lib in LIBS:
        seen = []

        def backward(ctx, g):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                seen.append(ctx.saved_variables)
            seen.append([(w.category, str(w.message)) for w in caught])
            return g
        x = make(lib, rand(3))
        f = function_class(lib, lambda ctx, a: ctx.save_for_backward(a) or a * 2, backward)
        f.apply(x).sum().backward()
        results.append((len(seen[0]), seen[0][0] is not x, seen[1]))
    assert results[1] == results[0]


def test_node_and_meta_classes():
    """A Function's node is a BackwardCFunction, a FunctionCtx and a graph Node; Function's
    metaclass is named FunctionMeta, as torch's."""
    results = []
    for lib in LIBS:
        f = function_class(lib, _double, lambda ctx, g: g)
        node = f.apply(make(lib, rand(3))).grad_fn
        results.append((isinstance(node, lib.autograd.function.BackwardCFunction),
                        isinstance(node, lib.autograd.function.FunctionCtx),
                        isinstance(node, lib.autograd.graph.Node),
                        type(f).__name__, type(f) is lib.autograd.function.FunctionMeta,
                        [c.__name__ for c in type(node).__mro__[:2]]))
    assert results[1] == results[0]


@pytest.mark.parametrize('grads', ["(g, 'a')", '(g[:2], 1)', '(g.long(), 1)', "('a', g)",
                                   '(1, None)', '(g, None, 1)'])
def test_gradient_for_non_tensor_input_is_checked_before_its_type(grads):
    """torch checks that a non-tensor input gets None before that a gradient is a tensor."""
    def run(T, x):
        f = function_class(T, lambda ctx, a, k: a * k, lambda ctx, g: eval(grads))
        f.apply(x, 2).sum().backward()
    raises_same(run, rand(3))


@pytest.mark.parametrize('run', ['y.sum().backward()', 'T.autograd.grad(y.sum(), x)',
                                 '(y * y).sum().backward()'])
@pytest.mark.parametrize('save', ['', 'ctx.save_for_backward()'])
def test_saved_tensors_after_backward_when_nothing_was_saved(run, save):
    """A Function's node is freed by backward even where it saved nothing: its saved_tensors
    then raise torch's error (before, they are empty)."""
    def fn(T, x):
        f = function_class(T, lambda ctx, a: exec(save) or a * 2, lambda ctx, g: g * 2)
        y = f.apply(x)
        before = y.grad_fn.saved_tensors
        exec(run)
        return before, y.grad_fn.saved_tensors
    check(fn, make(torch, rand(3)), match_message=True)


def _undefined_grads_classes(T, calls):
    """Zero (whose backward returns None) and two Functions doubling x that note the
    gradients their backward gets, one with set_materialize_grads(False)."""
    def backward(ctx, g):
        calls.append(g)
        return T.ones(3) if g is None else g * 2

    def unmaterialized(ctx, a):
        ctx.set_materialize_grads(False)
        return a * 2
    return (function_class(T, lambda ctx, a: a.clone(), lambda ctx, g: None),
            function_class(T, lambda ctx, a: a * 2, backward),
            function_class(T, unmaterialized, backward))


@pytest.mark.parametrize('code', [
    'Zero.apply(NoMat.apply(x)).sum().backward()',
    'Zero.apply(Mat.apply(x)).sum().backward()',
    'Zero.apply(Mat.apply(x).exp()).sum().backward()',
    'Zero.apply(Mat.apply(x)).sum().backward(create_graph=True)',
    'out = T.autograd.grad(Zero.apply(NoMat.apply(x)).sum(), x, allow_unused=True)',
    'out = T.autograd.grad(Zero.apply(Mat.apply(x) * 3).sum(), x, allow_unused=True)',
    'out = T.autograd.grad((Zero.apply(Mat.apply(x)) + Mat.apply(x)).sum(), x)',
    'm = Mat.apply(x); m.retain_grad(); Zero.apply(m).sum().backward(); out = m.grad',
    'm = Mat.apply(x); m.register_hook(calls.append); Zero.apply(m).sum().backward()',
    'm = NoMat.apply(x); m.grad_fn.register_hook(lambda gi, go: calls.append((gi, go)));'
    ' Zero.apply(m).sum().backward()',
    'y = Zero.apply(Mat.apply(x)); y.sum().backward(); y.sum().backward()',
])
def test_backward_runs_where_all_gradients_are_undefined(code):
    """torch's engine calls a Function's backward whose output gradients are all undefined
    (zeros where materialized, None if not), and passes on what it returns."""
    def run(T, x):
        calls = []
        scope = dict(zip(('Zero', 'Mat', 'NoMat'), _undefined_grads_classes(T, calls)),
                     T=T, x=x, calls=calls, out=None)
        exec(code, scope)
        return scope['out'], x.grad, calls
    check(run, make(torch, rand(3)), match_message=True)


_KEYWORD_FORWARDS = {
    'positional': 'def forward(ctx, a, b=None, c=5):',
    'positional_only': 'def forward(ctx, a, /, b=None, c=5):',
    'var_positional': 'def forward(ctx, a, b=None, c=5, /, *rest):',
    'keyword_only': 'def forward(ctx, a, b=None, *, k=2, **kw):',
    'setup_context': 'def forward(a, b=None, c=5):',
    'setup_context_keyword_only': 'def forward(a, b=None, c=5, *, k=2):',
}


def _keyword_function(T, signature, seen):
    """A Function of this forward signature (returning a * 2 + b), noting what its
    setup_context and backward see."""
    scope = {'T': T}
    exec(f'{signature}\n    b = b if isinstance(b, T.Tensor) else 0\n    return a * 2 + b', scope)
    methods = {}
    if 'ctx' not in signature:
        methods['setup_context'] = lambda ctx, inputs, output: seen.append(
            [type(i).__name__ for i in inputs])

    def backward(ctx, g):
        seen.append(ctx.needs_input_grad)
        return (g, g) + (None,) * (len(ctx.needs_input_grad) - 2)
    return function_class(T, scope['forward'], backward, **methods)


@pytest.mark.parametrize('signature', sorted(_KEYWORD_FORWARDS))
@pytest.mark.parametrize('call', [
    'F.apply(x)', 'F.apply(x, y)', 'F.apply(x, b=y)', 'F.apply(b=y, a=x)', 'F.apply(a=x)',
    'F.apply(x, c=y)', 'F.apply(x, None, c=y)', 'F.apply(x, y, b=y, d=3)',
    'F.apply(x, d=3, b=y, e=4)', 'F.apply(c=3, b=y)', 'F.apply(x, ctx=1)', 'F.apply(x, k=3)',
    'F.apply()', 'F.apply(x, y, 3, 4)'])
def test_apply_keyword_arguments(signature, call):
    """apply's keyword arguments take the places of forward's parameters they name, as
    torch's C++ apply places them; with setup_context, inspect binds them first."""
    def run(T, x, y):
        seen = []
        F = _keyword_function(T, _KEYWORD_FORWARDS[signature], seen)
        out = eval(call)
        out.sum().backward()
        return out, x.grad, y.grad, seen
    check(run, make(torch, rand(3)), make(torch, rand(3, seed=1)), match_message=True)


def test_default_setup_context_raises():
    check(lambda T: T.autograd.Function.setup_context(None, (), None), match_message=True)


@pytest.mark.parametrize('value', ['True', 'False', 'value=False', '0', '1', 'None', "'a'",
                                   'T.tensor(True)', '', 'False, True'])
def test_set_materialize_grads_takes_a_bool(value):
    def run(T, x):
        calls = []

        def forward(ctx, a):
            exec(f'ctx.set_materialize_grads({value})')
            return a * 2, a * 3
        f = function_class(T, forward, lambda ctx, g, h: calls.append(h) or g)
        f.apply(x)[0].sum().backward()
        return x.grad, calls
    check(run, make(torch, rand(3)), match_message=True)


@pytest.mark.parametrize('code', [
    'out = ctx.materialize_grads', 'ctx.materialize_grads = False; out = None',
    "out = hasattr(ctx, 'materialize_grads')", 'out = ctx.apply(T.ones(3))',
    'out = ctx.apply(T.ones(3), T.ones(3))', 'out = ctx.apply()',
])
def test_node_attributes(code):
    """A Function's node: materialize_grads can be set, not read; apply runs backward
    unchecked."""
    def run(T, x):
        f = function_class(T, lambda ctx, a: a * 2, lambda ctx, g: g * 3)
        scope = {'T': T, 'ctx': f.apply(x).grad_fn}
        exec(code, scope)
        return scope['out']
    check(run, make(torch, rand(3)), match_message=True)


def test_inplace_function():
    def run(T, x):
        f = type('I', (T.autograd.function.InplaceFunction,),
                 {'forward': staticmethod(lambda ctx, a: a * 2),
                  'backward': staticmethod(lambda ctx, g: g * 3)})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            flags = [T.autograd.function.InplaceFunction(inplace=v).inplace for v in (True, False)]
            flags.append(T.autograd.function.InplaceFunction().inplace)
        y = f.apply(x)
        y.sum().backward()
        return (y, x.grad, flags, [w.category for w in caught],
                issubclass(f, T.autograd.Function))
    check(run, make(torch, rand(3)))


@pytest.mark.parametrize('call', ['ctx.save_for_forward(a, None)', 'ctx.save_for_forward()',
                                  'ctx.save_for_forward(a, 3)', 'ctx.save_for_forward([a])',
                                  'ctx.mark_shared_storage((a, a))', 'ctx.mark_shared_storage()'])
def test_save_for_forward_and_mark_shared_storage(call):
    """save_for_forward keeps tensors for a jvp until apply returns; mark_shared_storage
    only warns that it is deprecated."""
    def run(T, x):
        seen = []

        def forward(ctx, a):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                exec(call)
            seen.append([(w.category, str(w.message)) for w in caught])
            seen.append(getattr(ctx, 'saved_for_forward', 'unset'))
            return a * 2
        y = function_class(T, forward, lambda ctx, g: seen.append(ctx.saved_for_forward) or g
                           ).apply(x)
        y.sum().backward()
        return seen, y.grad_fn.saved_for_forward, x.grad
    check(run, make(torch, rand(3)), match_message=True)


@pytest.mark.parametrize('value', ['False', '0', 'None'])
def test_materialize_grads_of_a_plain_ctx(value):
    """A FunctionCtx that is no node keeps materialize_grads as a plain attribute."""
    def run(T):
        ctx = T.autograd.function.FunctionCtx()
        ctx.set_materialize_grads(eval(value))
        return ctx.materialize_grads
    check(run, match_message=True)
