"""Grad-mode switches against torch: no_grad, enable_grad, set_grad_enabled, inference_mode
as context managers and decorators; detach, detach_, requires_grad_."""
import threading
import warnings

import numpy as np
import pytest
import torch

from helpers import assert_same, check, make, rand, raises_same
import ember

LIBS = (torch, ember)


def _flags(lib, fn):
    x = make(lib, rand(3))
    out = fn(lib, x)
    return out.requires_grad, out.grad_fn is None, lib.is_grad_enabled()


def _same_flags(fn):
    assert _flags(ember, fn) == _flags(torch, fn)


def test_no_grad_context():
    def fn(t, x):
        with t.no_grad():
            y = x * 2
        return y
    _same_flags(fn)


def test_no_grad_restores_on_exception():
    for lib in LIBS:
        with pytest.raises(ValueError):
            with lib.no_grad():
                raise ValueError
        assert lib.is_grad_enabled()


def test_no_grad_decorator_and_function_name():
    for lib in LIBS:
        @lib.no_grad()
        def f(x):
            """doc"""
            return x * 2, lib.is_grad_enabled()
        y, enabled = f(make(lib, rand(3)))
        assert not y.requires_grad and not enabled and lib.is_grad_enabled()
        assert f.__name__ == 'f' and f.__doc__ == 'doc'


def test_no_grad_bare_decorator():
    for lib in LIBS:
        @lib.no_grad
        def f(x):
            return x * 2
        assert not f(make(lib, rand(3))).requires_grad


def test_enable_grad_inside_no_grad():
    def fn(t, x):
        with t.no_grad():
            with t.enable_grad():
                y = x * 2
            z = y * 3
        return z
    _same_flags(fn)
    for lib in LIBS:
        with lib.no_grad():
            with lib.enable_grad():
                assert lib.is_grad_enabled()
            assert not lib.is_grad_enabled()


def test_enable_grad_decorator():
    for lib in LIBS:
        @lib.enable_grad()
        def f(x):
            return x * 2
        with lib.no_grad():
            y = f(make(lib, rand(3)))
        assert y.requires_grad


def test_set_grad_enabled_function_form():
    for lib in LIBS:
        lib.set_grad_enabled(False)
        try:
            assert not lib.is_grad_enabled()
            assert not (make(lib, rand(3)) * 2).requires_grad
        finally:
            lib.set_grad_enabled(True)
        assert lib.is_grad_enabled()


@pytest.mark.parametrize('mode', [True, False])
def test_set_grad_enabled_context(mode):
    def fn(t, x):
        with t.no_grad():
            with t.set_grad_enabled(mode):
                y = x * 2
        return y
    _same_flags(fn)
    for lib in LIBS:
        with lib.set_grad_enabled(mode):
            assert lib.is_grad_enabled() == mode
        assert lib.is_grad_enabled()


def test_set_grad_enabled_decorator():
    for lib in LIBS:
        @lib.set_grad_enabled(False)
        def f(x):
            return x * 2, lib.is_grad_enabled()
        assert lib.is_grad_enabled()
        y, enabled = f(make(lib, rand(3)))
        assert not enabled and not y.requires_grad
        assert lib.is_grad_enabled()


def test_inference_mode():
    for lib in LIBS:
        x = make(lib, rand(3))
        with lib.inference_mode():
            assert not lib.is_grad_enabled()
            assert lib.is_inference_mode_enabled()
            y = x * 2
        assert not y.requires_grad
        assert lib.is_grad_enabled() and not lib.is_inference_mode_enabled()


def test_inference_mode_false_and_decorator():
    for lib in LIBS:
        with lib.inference_mode(False):
            assert lib.is_grad_enabled()
            assert (make(lib, rand(3)) * 2).requires_grad

        @lib.inference_mode()
        def f(x):
            return x * 2
        assert not f(make(lib, rand(3))).requires_grad

        @lib.inference_mode
        def g(x):
            return x * 2
        assert not g(make(lib, rand(3))).requires_grad


def test_is_inference():
    results = []
    for lib in LIBS:
        with lib.inference_mode():
            y = lib.ones(2)
        results.append((y.is_inference(), lib.ones(2).is_inference()))
    assert results[0] == results[1]


def test_no_grad_generator_decorator():
    for lib in LIBS:
        @lib.no_grad()
        def gen():
            yield lib.is_grad_enabled()
            yield lib.is_grad_enabled()
        assert list(gen()) == [False, False]
        assert lib.is_grad_enabled()


def test_grad_mode_is_thread_local():
    for lib in LIBS:
        seen = []
        with lib.no_grad():
            th = threading.Thread(target=lambda: seen.append(lib.is_grad_enabled()))
            th.start()
            th.join()
        assert seen == [True]


def test_backward_inside_no_grad_still_works():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = (x * x).sum()
        with lib.no_grad():
            y.backward()
        results.append(x.grad)
    assert_same(*results)


def test_grad_mode_inside_backward_of_create_graph():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        with lib.no_grad():
            pass
        y = (x ** 3).sum()
        g, = lib.autograd.grad(y, x, create_graph=True)
        results.append((g.requires_grad, lib.is_grad_enabled()))
    assert results[0] == results[1]


# ------------------------------------------------------------------ detach / requires_grad_

def test_detach_shares_memory_and_version():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        d = y.detach()
        flags = (d.requires_grad, d.grad_fn is None, d.is_leaf)
        d.add_(1)
        results.append((flags, y, y._version, d._version))
    assert_same(*results)


def test_detach_then_inplace_breaks_saved_tensor():
    def fn(t, x):
        y = x.exp()
        y.detach().zero_()
        y.sum().backward()
    raises_same(fn, rand(3))


def test_detach_():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        r = y.detach_()
        results.append((r is y, y.requires_grad, y.grad_fn is None, y.is_leaf))
    assert results[0] == results[1]


def test_detach_on_view_raises():
    raises_same(lambda t, x: (x * 2)[1:].detach_(), rand(3))


def test_requires_grad_():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3), requires_grad=False)
        r = x.requires_grad_()
        a = (r is x, x.requires_grad)
        x.requires_grad_(False)
        x.requires_grad = True
        results.append((a, x.requires_grad, x.is_leaf))
    assert results[0] == results[1]


def test_requires_grad_on_nonleaf_false_raises():
    raises_same(lambda t, x: (x * 2).requires_grad_(False), rand(3))


SET_REQUIRES_GRAD_TENSORS = {
    'leaf': lambda t, w: t.ones(2),
    'non_leaf': lambda t, w: w * 2,
    'int': lambda t, w: t.ones(2, dtype=t.int64),
    'view_of_leaf': lambda t, w: w[:1],
}


@pytest.mark.parametrize('value', [True, False, 1, None, 'np.bool_'])
@pytest.mark.parametrize('kind', sorted(SET_REQUIRES_GRAD_TENSORS))
def test_setting_requires_grad(kind, value):
    """x.requires_grad = value: a bool only, and True only on a leaf (the setter's errors,
    not requires_grad_'s)."""
    def run(t, w):
        x = SET_REQUIRES_GRAD_TENSORS[kind](t, w.requires_grad_())
        x.requires_grad = np.bool_(True) if value == 'np.bool_' else value
        return x.requires_grad
    check(run, rand(2), match_message=True)


def test_requires_grad_on_int_raises():
    def fn(t, x):
        t.ones(3, dtype=t.int64).requires_grad_()
    raises_same(fn, rand(3))


def test_requires_grad_nonleaf_true_is_fine():
    for lib in LIBS:
        y = make(lib, rand(3)) * 2
        y.requires_grad_(True)
        assert y.requires_grad


def test_tensor_factory_requires_grad():
    for lib in LIBS:
        assert lib.ones(2, requires_grad=True).requires_grad
        assert lib.tensor([1.0], requires_grad=True).is_leaf


# ------------------------------------------------------------------ sweep

@pytest.mark.parametrize('mode', [1, 0.0, None, 'yes'], ids=['int', 'float', 'none', 'str'])
def test_set_grad_enabled_needs_a_bool(mode):
    for lib in (torch, ember):
        with pytest.raises(TypeError) as info:
            lib.set_grad_enabled(mode)
        assert lib.is_grad_enabled()
        if lib is torch:
            message = str(info.value)
        else:
            assert str(info.value) == message


def test_inference_mode_false_turns_grad_mode_on():
    results = []
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            with lib.inference_mode(False):
                y = x * 2
                inner = lib.is_grad_enabled(), lib.is_inference_mode_enabled()
            outer = lib.is_grad_enabled()
        with lib.inference_mode():
            with lib.inference_mode(False):
                z = x * 2
        results.append((inner, outer, y.requires_grad, z.requires_grad, z.is_inference()))
    assert results[1] == results[0]


def test_decorating_a_class_warns():
    messages = []
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')

            @lib.no_grad()
            class A:
                def __init__(self, k):
                    self.grad_enabled = lib.is_grad_enabled()
        assert A(1).grad_enabled is False
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[1] == messages[0]


def test_grad_mode_contexts_entered_and_exited_by_different_objects():
    """torch's no_grad starts with prev = False, so exiting a fresh one disables grad mode;
    enable_grad has no prev until entered."""
    def run(T):
        states = []
        T.no_grad().__enter__()
        states.append(T.is_grad_enabled())
        T.no_grad().__exit__(None, None, None)
        states.append(T.is_grad_enabled())
        T.set_grad_enabled(True)
        T.no_grad().__exit__(None, None, None)
        states.append(T.is_grad_enabled())
        T.set_grad_enabled(True)
        return states
    check(run)
    check(lambda T: T.enable_grad().__exit__(None, None, None))


def test_enable_grad_inside_inference_mode_records_nothing():
    """Inference mode turns recording off whatever grad mode says: enable_grad inside it
    changes is_grad_enabled() only."""
    def run(T):
        w = T.ones(2, requires_grad=True)
        seen = []
        with T.inference_mode():
            with T.enable_grad():
                y = w * 2
                seen += [T.is_grad_enabled(), y.requires_grad, y.grad_fn is None, y.is_inference()]
            with T.set_grad_enabled(True):
                seen += [T.is_grad_enabled(), (w * 2).requires_grad]
            seen.append(T.is_grad_enabled())
            with T.inference_mode(False):
                z = w * 2
                seen += [T.is_grad_enabled(), z.requires_grad, z.grad_fn is None]
        with T.no_grad(), T.inference_mode(), T.enable_grad():
            seen += [T.is_grad_enabled(), (w * 2).requires_grad]
        seen += [T.is_grad_enabled(), (w * 2).requires_grad]
        return seen
    check(run)


def test_a_function_decorated_with_enable_grad_under_inference_mode():
    def run(T):
        f = T.enable_grad()(lambda x: x * 2)
        with T.inference_mode():
            r = f(T.ones(2, requires_grad=True))
        r.sum().backward()
    check(run, match_message=True)


@pytest.mark.parametrize('source', ['x', 'y', 'x[:2]', 'a', 'a[:1]', 'x.detach()', 'b'])
def test_views_made_in_no_grad_mode_require_grad_as_their_base(source):
    """torch: a view made in no_grad mode requires grad where its base does (a leaf that is
    itself a view of a tensor that requires no grad gives views that don't)."""
    def run(T):
        x = T.ones(3, requires_grad=True)
        b = T.ones(3)
        y, a = x * 1, b[:].requires_grad_()
        with T.no_grad():
            s = eval(source)
            views = [s.view(-1), s.t(), s.unsqueeze(0).squeeze(0)]
        result = [(v.requires_grad, v.is_leaf) for v in views]
        try:
            views[0].mul_(2)
        except RuntimeError as error:
            result.append(str(error)[:40])
        return result
    check(run)


@pytest.mark.parametrize('code', [
    'm = T.set_grad_enabled(False); T.set_grad_enabled(True)\nwith m: out = T.is_grad_enabled()\n'
    'out = (out, T.is_grad_enabled())',
    'm = T.set_grad_enabled(False)\nwith m: pass\nout = T.is_grad_enabled()',
    'with T.no_grad():\n  m = T.set_grad_enabled(True)\nout = (m.prev, T.is_grad_enabled())',
    'out = T.no_grad().prev', 'm = T.no_grad()\nwith m: out = m.prev',
    'm = T.enable_grad()\nwith T.no_grad():\n  with m: out = m.prev', 'out = T.enable_grad().prev',
    'm = T.set_grad_enabled(False); out = (m.prev, m.mode)', 'out = T.inference_mode().prev',
    'out = repr(T.set_grad_enabled(False)).split(".")[-1]',
    'out = str(T.set_grad_enabled(True).clone()).split(".")[-1]',
    'T.no_grad(None)', 'out = type(T.enable_grad(None)).__name__',
    'out = type(T.inference_mode(None)).__name__',
    'm = T.inference_mode()\nm.__exit__(None, None, None)',
    'm = T.inference_mode()\nwith m: out = hasattr(m, "_inference_mode_context")',
    'out = issubclass(T.no_grad, T.autograd.grad_mode._NoParamDecoratorContextManager)',
    'out = issubclass(T.set_grad_enabled, T.autograd.grad_mode._NoParamDecoratorContextManager)',
])
def test_switch_objects_as_torch(code):
    """The switches' attributes as torch's (prev, mode, inference_mode's saved state) and
    set_grad_enabled entered after a later switch: it sets its mode again, and puts back the
    mode from before it was made."""
    def run(T):
        scope = {'T': T, 'out': None}
        try:
            exec(code, scope)
        finally:
            T.set_grad_enabled(True)
        return scope['out']
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'with P(x):\n  x.add_(1); x.add_(1); a = x._version\nout = (a, x._version)',
    'y = x[0]\nwith P((y,)):\n  x.add_(1)\nout = (x._version, y._version)',
    'P(3)', 'P((3,))', 'P([x])', 'with T.inference_mode(): z = T.ones(2)\nP((z,))',
    'a = w * 1; s = a * a\nwith P(a): a.mul_(2)\ns.sum().backward(); out = w.grad',
    'out = (P(x).prev_versions, P(x).tensors[0] is x)', '@P(x)\ndef f(): pass',
    'out = T.autograd.is_multithreading_enabled()',
    'with T.autograd.set_multithreading_enabled(False):\n'
    '  out = T.autograd.is_multithreading_enabled()',
])
def test_unsafe_preserve_version_counter_and_multithreading_flag(code):
    def run(T):
        scope = {'T': T, 'x': T.ones(2), 'w': T.ones(2, requires_grad=True), 'out': None,
                 'P': T.autograd._unsafe_preserve_version_counter}
        exec(code, scope)
        return scope['out']
    check(run, match_message=True)


def test_decorator_context_manager_base_has_no_mode():
    """torch's _DecoratorContextManager leaves __enter__ and __exit__ to its subclasses."""
    def run(T):
        base = T.autograd.grad_mode._DecoratorContextManager
        switch = type('Switch', (base,), {})
        with switch():
            pass
    check(run, match_message=True)
    check(lambda T: T.autograd.grad_mode._DecoratorContextManager().__exit__(None, None, None))


_DETACHED_CHECKS = [
    'out = d.is_inference()', 'd.add_(1); out = (i, d._version)', 'out = d._version',
    'w * d', 'd.requires_grad_()', 'out = d.view(3).is_inference()',
    'out = (d * 2).is_inference()', 'T.autograd.graph.increment_version(d); out = d._version',
    'out = d.clone().is_inference()', 'd.mul_(2)\nwith T.inference_mode(): d.add_(1)\nout = i']


@pytest.mark.parametrize('code', _DETACHED_CHECKS)
@pytest.mark.parametrize('inside', [False, True], ids=['outside', 'inside'])
@pytest.mark.parametrize('make', ['i.detach()', 'i.data', 'i.data.detach()', 'i.detach().data',
                                  'k.detach()', 'k.data'])
def test_detach_and_data_of_inference_tensors(make, inside, code):
    """detach() and .data of an inference tensor are inference tensors; taken outside
    inference mode they count their own in-place writes (torch gives them a version counter of
    their own), inside they refuse them outside it. .data of a normal tensor taken in inference
    mode is a normal tensor."""
    def run(T):
        with T.inference_mode():
            i = T.arange(3.)
        scope = {'T': T, 'i': i, 'k': T.ones(3), 'w': T.ones(3, requires_grad=True), 'out': None}
        with T.inference_mode(inside):
            scope['d'] = eval(make, scope)
        exec(code, scope)
        return scope['out']
    check(run, match_message=True)


@pytest.mark.parametrize('call', ['is_grad_enabled(1)', 'is_grad_enabled(a=1)',
                                  'is_grad_enabled(1, a=1)', 'is_inference_mode_enabled(1, 2)',
                                  'is_inference_mode_enabled(mode=True)', 'is_grad_enabled()',
                                  'is_inference_mode_enabled()'])
def test_mode_queries_take_no_arguments(call):
    check(lambda T: eval('T.' + call, {'T': T}), match_message=True)
