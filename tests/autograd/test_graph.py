"""torch.autograd.graph against torch: saved_tensors_hooks (what is packed and unpacked, when,
with which tensor, and the graph position of what comes back), disable_saved_tensors_hooks,
save_on_cpu, register_multi_grad_hook, GradientEdge as backward()/grad() inputs and outputs,
and increment_version."""
import threading

import pytest
import torch

from helpers import assert_same, assert_same_message, make, rand, raises_same, run_both
import ember

LIBS = (torch, ember)


def both(fn):
    """fn(lib) in torch and in ember; the two results must agree."""
    results = [fn(lib) for lib in LIBS]
    assert_same(results[1], results[0])
    return results


def name_of(t, **tensors):
    """The name of the tensor among ``tensors`` that ``t`` is (the object itself), or '?'."""
    return next((name for name, x in tensors.items() if x is t), '?')


# ------------------------------------------------------------------ saved_tensors_hooks

@pytest.mark.parametrize('op', ['exp', 'log', 'sqrt', 'reciprocal', 'pow2', 'abs', 'clamp',
                                'rdiv'])
def test_hooks_pack_and_unpack_what_one_op_saves(op):
    """Which tensor is packed (the input, or the result itself with its grad_fn), and that
    each is unpacked once per backward; gradients of the unpacked values."""
    ops = {'exp': lambda x: x.exp(), 'log': lambda x: x.log(), 'sqrt': lambda x: x.sqrt(),
           'reciprocal': lambda x: x.reciprocal(), 'pow2': lambda x: x.pow(2),
           'abs': lambda x: x.abs(), 'clamp': lambda x: x.clamp(0.5, 1.5),
           'rdiv': lambda x: 2 / x}

    def fn(lib):
        log = []
        x = make(lib, rand(4, low=0.1))
        with lib.autograd.graph.saved_tensors_hooks(
                lambda t: log.append(('pack', t, t.grad_fn and t.grad_fn.name())) or t,
                lambda p: log.append(('unpack', p)) or p):
            y = ops[op](x)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        events = [(kind, name_of(t, x=x, y=y), *rest) for kind, t, *rest in log]
        return events, x.grad
    both(fn)


@pytest.mark.parametrize('case', ['mul', 'mul_const', 'const_mul', 'div', 'const_div', 'pow',
                                  'pow_const', 'dot', 'mse', 'matmul_const'])
def test_hooks_pack_the_tensors_torch_saves(case):
    """Binary ops pack the operands torch saves (only those a needed gradient reads), in
    torch's order, by argument name (other, exponent, mat2 before self; self before tensor,
    target). An op that saves its result too (pow) packs it after its inputs, where torch has
    it by name (result between exponent and self): there the packed sets are compared."""
    cases = {'mul': lambda t, a, b, c: a * b, 'mul_const': lambda t, a, b, c: a * c,
             'const_mul': lambda t, a, b, c: c * a, 'div': lambda t, a, b, c: a / b,
             'const_div': lambda t, a, b, c: c / a, 'pow': lambda t, a, b, c: a.pow(b),
             'pow_const': lambda t, a, b, c: a.pow(c), 'dot': lambda t, a, b, c: a.dot(b),
             'mse': lambda t, a, b, c: t.nn.functional.mse_loss(a, b),
             'matmul_const': lambda t, a, b, c: c.reshape(2, 2) @ a.reshape(2, 2)}

    def fn(lib):
        packed, unpacked = [], []
        a, b = make(lib, rand(4, low=0.5, seed=1)), make(lib, rand(4, low=0.5, seed=2))
        c = make(lib, rand(4, low=0.5, seed=3), requires_grad=False)
        with lib.autograd.graph.saved_tensors_hooks(
                lambda t: packed.append(t) or t, lambda p: unpacked.append(p) or p):
            y = cases[case](lib, a, b, c)
        y.sum().backward()
        order = sorted if case == 'pow' else list
        names = lambda ts: order(name_of(t, a=a, b=b, c=c, y=y) for t in ts)  # noqa: E731
        return names(packed), names(unpacked), a.grad, b.grad
    both(fn)


def test_hooks_nothing_packed_for_ops_that_save_nothing_or_record_nothing():
    def fn(lib):
        log = []
        x, y = make(lib, rand(2, 3)), make(lib, rand(2, 3, seed=1))
        with lib.autograd.graph.saved_tensors_hooks(lambda t: log.append(t) or t, lambda p: p):
            (x + y - x).sum()
            x.view(3, 2).transpose(0, 1).reshape(6).mean()
            lib.stack([x, y])
            with lib.no_grad():
                x.exp() * y
            x.detach().exp()
        return len(log)
    both(fn)


def test_hooks_custom_function_saves_after_forward_and_unpacks_on_every_read():
    """save_for_backward packs each tensor (not None) once forward has returned, an output
    with its grad_fn set; each read of ctx.saved_tensors unpacks them all again, as new
    tensors in the saved tensors' graph position."""
    def fn(lib):
        log = []

        def forward(ctx, a, b):
            out = a * b
            ctx.save_for_backward(a, out, b, None)
            log.append(('in forward', len(ctx.saved_tensors)))
            return out

        def backward(ctx, grad):
            first = ctx.saved_tensors
            a, out, b, none = ctx.saved_tensors
            log.append(('read', [None if t is None else (t.requires_grad, t.is_leaf,
                                                         t.grad_fn and t.grad_fn.name(),
                                                         any(t is x for x in first))
                                 for t in (a, out, b, none)]))
            return grad * b, grad * a

        Fn = type('MyFn', (lib.autograd.Function,), {'forward': staticmethod(forward),
                                                     'backward': staticmethod(backward)})
        x, b = make(lib, rand(3)), make(lib, rand(3, seed=1))
        a = x * 2
        with lib.autograd.graph.saved_tensors_hooks(
                lambda t: log.append(('pack', t.grad_fn and t.grad_fn.name(),
                                      t.requires_grad)) or t,
                lambda p: log.append('unpack') or p):
            out = Fn.apply(a, b)
        log.append(('out is packed', out.grad_fn.name()))
        out.sum().backward()
        return log, x.grad, b.grad
    both(fn)


def test_hooks_custom_function_without_recording_saves_nothing():
    def fn(lib):
        log, ctxs = [], []

        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            ctxs.append(ctx)
            return a * b

        Fn = type('MyFn', (lib.autograd.Function,), {
            'forward': staticmethod(forward), 'backward': staticmethod(lambda ctx, g: (g, g))})
        a = make(lib, rand(3))
        c = make(lib, rand(3), requires_grad=False)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: log.append(t) or t, lambda p: p):
            with lib.no_grad():
                Fn.apply(a, c)
            Fn.apply(c, c)
        return len(log), [len(ctx.saved_tensors) for ctx in ctxs]
    both(fn)


def test_hooks_replace_the_saved_tensor():
    """What pack returns is what unpack gets; what unpack returns is what backward uses, with
    the saved tensor's grad_fn, so higher-order gradients still reach the graph."""
    def fn(lib):
        x = make(lib, rand(3))
        h = x * 1
        with lib.autograd.graph.saved_tensors_hooks(lambda t: ('packed', t.detach() * 2),
                                                    lambda p: p[1] / 2 + 1):
            y = (h * h).exp()
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
        return g, x.grad
    both(fn)


def test_hooks_skip_the_version_check():
    """torch checks no version of a tensor saved through hooks: a copy made by the pack hook
    gives the old value, the tensor itself the modified one."""
    def fn(lib):
        grads = []
        for pack in (lambda t: t.detach().clone(), lambda t: t):
            x = make(lib, rand(3))
            h = x * 1
            with lib.autograd.graph.saved_tensors_hooks(pack, lambda p: p):
                y = h * h
                z = h.exp()
            with lib.no_grad():
                h.mul_(3)
            (y.sum() + z.sum()).backward()
            grads.append(x.grad)
        return grads
    both(fn)


def test_hooks_skip_the_detached_in_place_check():
    def fn(lib):
        x = make(lib, rand(3))
        h = x * 1
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t.detach(), lambda p: p):
            y = h.exp() * h
        h.detach_()
        y.sum().backward()
        return x.grad
    both(fn)


def test_hooks_second_backward_and_reads_after_it_raise_freed():
    raises_same(_twice, rand(3))

    def fn(t, x):
        Fn = type('MyFn', (t.autograd.Function,), {
            'forward': staticmethod(lambda ctx, a: ctx.save_for_backward(a) or a * 2),
            'backward': staticmethod(lambda ctx, g: g * 2)})
        with t.autograd.graph.saved_tensors_hooks(lambda p: p, lambda p: p):
            y = Fn.apply(x)
        y.sum().backward()
        y.grad_fn.saved_tensors
    raises_same(fn, rand(3))


def _twice(t, x):
    with t.autograd.graph.saved_tensors_hooks(lambda p: p, lambda p: p):
        y = x.exp()
    y.sum().backward()
    y.sum().backward()


@pytest.mark.parametrize('value', [5, None, 'packed'])
def test_unpack_hook_returning_a_non_tensor_raises(value):
    def fn(t, x):
        with t.autograd.graph.saved_tensors_hooks(lambda p: 'packed', lambda p: value):
            y = x.exp()
        y.sum().backward()
    raises_same(fn, rand(3))


def test_pack_hook_modifying_its_input_raises():
    errors = []
    for lib in LIBS:  # c does not require grad: it is what x * c saves
        x, c = make(lib, rand(3)), make(lib, rand(3, seed=1), requires_grad=False)
        with pytest.raises(RuntimeError) as info:
            with lib.autograd.graph.saved_tensors_hooks(lambda p: p.mul_(2), lambda p: p):
                x * c
        errors.append(info.value)
    assert_same_message(errors[1], errors[0])


def test_pack_hook_exception_propagates():
    def boom(t):
        raise ValueError('boom')

    def fn(t, x):
        with t.autograd.graph.saved_tensors_hooks(boom, lambda p: p):
            x.exp()
    raises_same(fn, rand(3))


def test_inference_tensor_saved_under_hooks_raises_before_packing():
    def fn(t, x):
        with t.inference_mode():
            c = t.ones(3)
        with t.autograd.graph.saved_tensors_hooks(lambda p: 1 / 0, lambda p: p):
            x * c
    raises_same(fn, rand(3))


def test_nested_hooks_the_innermost_pair_applies():
    def fn(lib):
        log = []
        x = make(lib, rand(3, low=0.1))
        hooks = lib.autograd.graph.saved_tensors_hooks
        with hooks(lambda t: log.append('pack outer') or t, lambda p: log.append('outer') or p):
            with hooks(lambda t: log.append('pack inner') or t,
                       lambda p: log.append('inner') or p):
                y = x.exp()
            z = x.log()
        w = x.sqrt()
        (y + z + w).sum().backward()
        return log, x.grad
    both(fn)


def test_hooks_grad_mode_while_packing_and_unpacking():
    """Pack hooks run without grad mode; unpack hooks in the mode backward runs in."""
    def fn(lib):
        log = []
        x = make(lib, rand(3))
        with lib.autograd.graph.saved_tensors_hooks(
                lambda t: log.append(('pack', lib.is_grad_enabled())) or t,
                lambda p: log.append(('unpack', lib.is_grad_enabled())) or p):
            y = x.exp()
        y.sum().backward(retain_graph=True)
        lib.autograd.grad(y.sum(), x, create_graph=True)
        return log
    both(fn)


def test_hooks_pack_ops_recorded_by_a_backward_that_builds_a_graph():
    def fn(lib):
        log = []
        x = make(lib, rand(3))
        y = x.exp()
        with lib.autograd.graph.saved_tensors_hooks(lambda t: log.append(t.shape) or t,
                                                    lambda p: p):
            lib.autograd.grad(y.sum(), x, create_graph=True)
            lib.autograd.grad(y.sum(), x, retain_graph=True)
        return [tuple(s) for s in log]
    both(fn)


def test_hooks_are_per_thread():
    def fn(lib):
        log = []
        x = make(lib, rand(3))
        with lib.autograd.graph.saved_tensors_hooks(lambda t: log.append(t) or t, lambda p: p):
            thread = threading.Thread(target=lambda: x.exp())
            thread.start()
            thread.join()
        return len(log)
    both(fn)


# ------------------------------------------------------------------ disable, save_on_cpu

def test_hooks_inside_disable_raise_its_message():
    def fn(t, x):
        with t.autograd.graph.disable_saved_tensors_hooks('no hooks here'):
            with t.autograd.graph.saved_tensors_hooks(lambda p: p, lambda p: p):
                x.exp()
    raises_same(fn, rand(3))


def test_disable_inside_hooks_raises_its_message_and_leaves_hooks_enabled():
    def fn(lib):
        hooks = lib.autograd.graph
        with hooks.saved_tensors_hooks(lambda p: p, lambda p: p):
            with pytest.raises(RuntimeError, match='^not now$'):
                with hooks.disable_saved_tensors_hooks('not now'):
                    pass
        with hooks.saved_tensors_hooks(lambda p: p, lambda p: p):
            return 'enabled again'
    both(fn)


def test_disable_nested_restores_the_outer_message():
    def fn(lib):
        graph = lib.autograd.graph
        messages = []
        with graph.disable_saved_tensors_hooks('outer'):
            with graph.disable_saved_tensors_hooks('inner'):
                pass
            try:
                graph.saved_tensors_hooks(lambda p: p, lambda p: p).__enter__()
            except RuntimeError as error:
                messages.append(str(error))
        with graph.save_on_cpu():
            messages.append('enabled after')
        return messages
    both(fn)


@pytest.mark.parametrize('pin_memory', [False, True])
def test_save_on_cpu(pin_memory):
    """On a CPU, the tensor is kept as it is (an in-place change shows, unchecked), or
    copied with pin_memory=True."""
    def fn(lib):
        x, w = make(lib, rand(3)), make(lib, rand(3, seed=1))
        with lib.autograd.graph.save_on_cpu(pin_memory=pin_memory):
            y = (x * w).exp()
        with lib.no_grad():
            w.mul_(10)
        y.sum().backward()
        return x.grad, w.grad
    both(fn)


# ------------------------------------------------------------------ register_multi_grad_hook

def test_multi_grad_hook_all():
    """The example of torch's docs, and more: fn gets each tensor's gradient (None where the
    pass does not compute it), once per pass."""
    def fn(lib):
        log = []
        a, b = make(lib, rand(2, 3)), make(lib, rand(2, 3, seed=1))
        c, d = a * b, a * b
        unused = make(lib, rand(1))
        handle = lib.autograd.graph.register_multi_grad_hook(
            (a, b, c, d, unused), lambda grads: log.append(list(grads)))
        c.sum().backward(retain_graph=True)
        c.sum().backward(inputs=(a,), retain_graph=True)
        lib.autograd.grad(c.sum(), (c,), retain_graph=True)
        (c + d).sum().backward(retain_graph=True)
        handle.remove()
        (c + d).sum().backward()
        return log
    both(fn)


def test_multi_grad_hook_all_with_grad_of_a_leaf_raises():
    def fn(t, a, b):
        c = a * b
        t.autograd.graph.register_multi_grad_hook((a, c), lambda grads: None)
        t.autograd.grad(c.sum(), (a,))
    raises_same(fn, rand(3), rand(3, seed=1))


def test_multi_grad_hook_all_order_among_tensor_hooks():
    def fn(lib):
        log = []
        a = make(lib, rand(2))
        b = a * 2
        c = b * 3
        b.register_hook(lambda g: log.append('b first'))
        lib.autograd.graph.register_multi_grad_hook((b, a), lambda grads: log.append(grads))
        b.register_hook(lambda g: log.append('b second'))
        a.register_hook(lambda g: log.append('a'))
        c.sum().backward()
        return log
    both(fn)


def test_multi_grad_hook_all_same_tensor_twice_and_retained_graph():
    def fn(lib):
        log = []
        a = make(lib, rand(2))
        y = (a * 2).sum()
        lib.autograd.graph.register_multi_grad_hook((a, a), lambda grads: log.append(grads))
        y.backward(retain_graph=True)
        y.backward()
        return log
    both(fn)


def test_multi_grad_hook_all_in_a_nested_backward():
    """A backward run inside another (from a custom Function's backward) is a pass of its own."""
    def fn(lib):
        log = []
        x = make(lib, rand(2))
        inner = make(lib, rand(2, seed=1))
        lib.autograd.graph.register_multi_grad_hook((x, inner), lambda grads: log.append(grads))

        def backward(ctx, grad):
            with lib.enable_grad():
                lib.autograd.backward((inner * 3).sum())
            return grad * 2

        Fn = type('MyFn', (lib.autograd.Function,), {'forward': staticmethod(lambda ctx, t: t * 2),
                                                     'backward': staticmethod(backward)})
        Fn.apply(x).sum().backward()
        return log, x.grad, inner.grad
    both(fn)


def _two_outputs(lib):
    return type('TwoOutputs', (lib.autograd.Function,), {
        'forward': staticmethod(lambda ctx, x: (x * 1, x * 2)),
        'backward': staticmethod(lambda ctx, ga, gb: ga + gb)})


def test_multi_grad_hook_all_with_an_output_that_gets_no_gradient():
    """The node of two outputs runs: the hook of the one without a gradient is called with
    None (as every tensor hook is), so fn is called."""
    def fn(lib):
        log = []
        x = make(lib, rand(2))
        a, b = _two_outputs(lib).apply(x)
        lib.autograd.graph.register_multi_grad_hook((a, b), lambda grads: log.append(grads))
        b.register_hook(lambda g: log.append(('b', g)))
        (a * 2).sum().backward()
        return log, x.grad
    both(fn)


def test_tensor_hook_replacing_a_missing_gradient_raises():
    def fn(t, x):
        a, b = _two_outputs(t).apply(x)
        b.register_hook(lambda g: t.ones(2))
        (a * 2).sum().backward()
    raises_same(fn, rand(2))


def test_multi_grad_hook_any():
    def fn(lib):
        log = []
        a, b = make(lib, rand(2)), make(lib, rand(2, seed=1))
        c = a * b
        handle = lib.autograd.graph.register_multi_grad_hook(
            (a, b, c, make(lib, rand(2), requires_grad=False)), lambda g: log.append(g),
            mode='any')
        c.sum().backward(retain_graph=True)
        (c * 2).sum().backward(inputs=[b], retain_graph=True)
        handle.remove()
        c.sum().backward()
        return log
    both(fn)


def test_multi_grad_hook_errors():
    raises_same(lambda t, a: t.autograd.graph.register_multi_grad_hook((a,), print, mode='x'),
                rand(2))

    def fn(t, a):  # mode 'all': every tensor must require grad
        t.autograd.graph.register_multi_grad_hook((a, t.ones(2)), print)
    raises_same(fn, rand(2))


def test_multi_grad_hook_handle():
    def fn(lib):
        a = make(lib, rand(2))
        handle = lib.autograd.graph.register_multi_grad_hook((a, a * 2), print)
        return type(handle).__name__, len(handle.handles), isinstance(
            handle, lib.utils.hooks.RemovableHandle)
    both(fn)


# ------------------------------------------------------------------ GradientEdge

def test_get_gradient_edge():
    def fn(lib):
        graph = lib.autograd.graph
        a = make(lib, rand(3))
        b = a * 2
        Fn = type('MyFn', (lib.autograd.Function,), {
            'forward': staticmethod(lambda ctx, t: (t * 1, t * 2)),
            'backward': staticmethod(lambda ctx, g1, g2: g1 + g2)})
        _, second = Fn.apply(b)
        edges = [graph.get_gradient_edge(t) for t in (a, b, b[1:], second)]
        return ([(type(e).__name__, type(e.node).__name__, e.output_nr,
                  type(e.ownership_token).__name__) for e in edges],
                _edge_fields(graph), edges[1].node is b.grad_fn,
                edges[0] == graph.GradientEdge(edges[0].node, 0))
    both(fn)


def test_gradient_edge_of_an_output_detached_in_place():
    """detach_() makes output 1 of a node a leaf: its edge is output 0 of its accumulator,
    and backward into it reaches .grad."""
    def fn(lib):
        Fn = type('MyFn', (lib.autograd.Function,), {
            'forward': staticmethod(lambda ctx, t: (t * 1, t * 2)),
            'backward': staticmethod(lambda ctx, g1, g2: g1 + g2)})
        _, second = Fn.apply(make(lib, rand(3)))
        second.detach_().requires_grad_()
        edge = lib.autograd.graph.get_gradient_edge(second)
        (second * 3).sum().backward()
        return type(edge.node).__name__, edge.output_nr, second.grad
    both(fn)


def _edge_fields(graph):
    return graph.GradientEdge._fields, len(graph.GradientEdge(None, 0))


def test_get_gradient_edge_of_a_tensor_not_requiring_grad_raises():
    raises_same(lambda t, x: t.autograd.graph.get_gradient_edge(x), rand(3), requires_grad=False)


@pytest.mark.parametrize('case', ['edge', 'edges_and_tensor', 'dict', 'leaf_edge', 'made_edge'])
def test_grad_with_gradient_edges_as_inputs(case):
    def fn(lib):
        edge = lib.autograd.graph.get_gradient_edge
        a = make(lib, rand(3))
        b = a * 2
        y = (b.exp() * a).sum()
        inputs = {'edge': lambda: edge(b), 'edges_and_tensor': lambda: (edge(a), b, edge(b)),
                  'dict': lambda: {'x': edge(b), 'y': a}, 'leaf_edge': lambda: [edge(a)],
                  'made_edge': lambda: lib.autograd.graph.GradientEdge(b.grad_fn, 0)}[case]()
        grads = lib.autograd.grad(y, inputs)
        return list(grads.items()) if isinstance(grads, dict) else grads
    both(fn)


def test_backward_with_gradient_edges_as_inputs():
    """A leaf's edge accumulates into its .grad; a non-leaf's edge keeps no .grad."""
    def fn(lib):
        edge = lib.autograd.graph.get_gradient_edge
        a, w = make(lib, rand(3)), make(lib, rand(3, seed=1))
        b = a * w
        y = (b * b).sum()
        y.backward(inputs=[edge(a), edge(b)], retain_graph=True)
        lib.autograd.backward(y, inputs=edge(w))
        return a.grad, w.grad, b.retains_grad
    both(fn)


def test_grad_gradient_edge_input_errors():
    def unused(t, a, b):  # an unused edge: allow_unused's error, and materialize_grads' own
        t.autograd.grad((a * 2).sum(), t.autograd.graph.get_gradient_edge(b))
    raises_same(unused, rand(3), rand(3, seed=1))

    def materialized(t, a, b):
        t.autograd.grad((a * 2).sum(), (a, t.autograd.graph.get_gradient_edge(b)),
                        materialize_grads=True)
    raises_same(materialized, rand(3), rand(3, seed=1))

    def not_an_edge(t, a, b):
        c = a * 2
        t.autograd.grad(c.sum(), (t.autograd.graph.get_gradient_edge(a), (c.grad_fn, 0)))
    raises_same(not_an_edge, rand(3), rand(3, seed=1))

    def not_a_tensor(t, a, b):
        t.autograd.grad((a * 2).sum(), (t.autograd.graph.get_gradient_edge(a), 3))
    raises_same(not_a_tensor, rand(3), rand(3, seed=1))


def test_grad_materialize_with_used_gradient_edges():
    def fn(lib):
        a, unused = make(lib, rand(3)), make(lib, rand(2))
        return lib.autograd.grad((a * a).sum(), (lib.autograd.graph.get_gradient_edge(a), unused),
                                 materialize_grads=True)
    both(fn)


def test_gradient_edges_as_outputs():
    def fn(lib):
        edge = lib.autograd.graph.get_gradient_edge
        a = make(lib, rand(3))
        b = a * 2
        c = b.exp()
        s = c.sum()
        first = lib.autograd.grad(edge(c), a, grad_outputs=lib.ones(3), retain_graph=True)
        second = lib.autograd.grad([edge(s), c], [a, edge(b)],
                                   grad_outputs=[None, lib.ones(3)], retain_graph=True)
        lib.autograd.backward(edge(c), grad_tensors=lib.full((3,), 2.0), retain_graph=True)
        lib.autograd.backward([edge(a)], grad_tensors=[lib.ones(3)])
        return first, second, a.grad
    both(fn)


@pytest.mark.parametrize('case', ['implicit', 'shape', 'complex'])
def test_gradient_edge_output_errors(case):
    def fn(t, a):
        c = (a * 2).exp()
        grad = {'implicit': None, 'shape': t.ones(2),
                'complex': t.ones(3, dtype=t.complex64)}[case]
        t.autograd.grad(t.autograd.graph.get_gradient_edge(c), a, grad_outputs=grad)
    raises_same(fn, rand(3))


# ------------------------------------------------------------------ increment_version

def test_increment_version():
    def fn(lib):
        x = make(lib, rand(4), requires_grad=False)
        view = x[1:]
        bump = lib.autograd.graph.increment_version
        bump(x)
        bump([x, view])
        bump((t for t in [view]))
        with lib.inference_mode():
            inference = lib.ones(2)
        bump(inference)
        return x._version, view._version
    both(fn)


def test_increment_version_makes_a_saved_tensor_stale():
    def fn(t, x):
        h = x * 1
        y = h * h
        t.autograd.graph.increment_version(h)
        y.sum().backward()
    raises_same(fn, rand(3))


@pytest.mark.parametrize('value', [3, None, 'ab'])
def test_increment_version_errors(value):
    raises_same(lambda t, x: t.autograd.graph.increment_version(value), rand(2))


def test_increment_version_bumps_until_a_non_tensor():
    def fn(lib):
        x = make(lib, rand(2))
        with pytest.raises(RuntimeError):
            lib.autograd.graph.increment_version([x, 'no'])
        return x._version
    both(fn)


def test_hooks_keeping_copies_in_a_training_step():
    """A step of the benchmark's loop inside hooks that keep copies: torch's gradients."""
    def fn(t, w, x):
        with t.autograd.graph.saved_tensors_hooks(lambda p: p.detach().clone(), lambda p: p):
            y = t.nn.functional.mse_loss((x @ w).squeeze(1), x.sum(1))
        return y
    run_both(fn, rand(3, 1), rand(5, 3, seed=1))
