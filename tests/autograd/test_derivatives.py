"""What torch records for ops against torch: ops without a derivative (NotImplemented
nodes), zero-gradient ops, which inputs each node saves (in-place changes to the others
don't raise), regenerated views' names, inference tensors, the grad_mode module and
backward(create_graph=True)'s warning."""
import subprocess
import sys
import warnings

import pytest
import torch

from helpers import assert_same, make, rand
import ember

LIBS = (torch, ember)
A = rand(3, 4, low=0.5, high=2.0)
B = rand(3, 4, seed=1, low=0.5, high=2.0)


def _error(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            fn()
    except Exception as e:  # noqa: BLE001 -- compared across libraries
        return type(e).__name__, str(e)
    return None


# ------------------------------------------------------------------ ops without a derivative

NOT_IMPLEMENTED = {
    'floordiv': lambda t, a, b: a // b,
    'floordiv_scalar': lambda t, a, b: a // 2,
    'rfloordiv': lambda t, a, b: 2 // a,
    'floor_divide': lambda t, a, b: t.floor_divide(a, b),
    'floor_divide_': lambda t, a, b: a.clone().floor_divide_(b),
    'ifloordiv': lambda t, a, b: a.clone().__ifloordiv__(b),
    'rmod': lambda t, a, b: 2 % a,
}


@pytest.mark.parametrize('name', sorted(NOT_IMPLEMENTED))
def test_not_implemented_derivative(name):
    """torch records a NotImplemented node (edges to the inputs requiring grad) whose
    backward raises; forward values are unaffected."""
    results = []
    for lib in LIBS:
        a, b = make(lib, A), make(lib, B)
        out = NOT_IMPLEMENTED[name](lib, a, b)
        fn = out.grad_fn
        results.append((out.detach(), out.requires_grad, fn.name(), type(fn).__name__,
                        len(fn.next_functions),
                        _error(lambda: out.sum().backward()),
                        _error(lambda: lib.autograd.grad(out.sum(), [a]))))
    assert_same(*results)


def test_not_implemented_edges_only_for_inputs_requiring_grad():
    results = []
    for lib in LIBS:
        a, b = make(lib, A), make(lib, B, requires_grad=False)
        results.append([len((x // y).grad_fn.next_functions) for x, y in ((a, b), (b, a))])
        with lib.no_grad():
            results[-1].append((a // b).requires_grad)
    assert results[0] == results[1]


@pytest.mark.parametrize('mode', ['floor', 'trunc'])
@pytest.mark.parametrize('other', ['tensor', 'scalar'])
def test_div_rounding_mode_records_zero_gradients(mode, other):
    results = []
    for lib in LIBS:
        a, b = make(lib, A), make(lib, B)
        out = lib.div(a, b if other == 'tensor' else 2, rounding_mode=mode)
        out.sum().backward()
        results.append((out.detach(), out.grad_fn.name(), len(out.grad_fn.next_functions),
                        a.grad, b.grad))
    assert_same(*results)


# ------------------------------------------------------------------ what each node saves

BINARY = {
    'mul': lambda t, a, b: a * b,
    'div': lambda t, a, b: a / b,
    'div_floor': lambda t, a, b: t.div(a, b, rounding_mode='floor'),
    'div_trunc': lambda t, a, b: t.div(a, b, rounding_mode='trunc'),
    'remainder': lambda t, a, b: a % b,
    'pow': lambda t, a, b: a ** b,
    'add': lambda t, a, b: a + b,
    'sub': lambda t, a, b: a - b,
    'rsub': lambda t, a, b: t.rsub(a, b),
    'mse_loss': lambda t, a, b: t.nn.functional.mse_loss(a, b),
    'mse_loss_none': lambda t, a, b: t.nn.functional.mse_loss(a, b, reduction='none'),
    'mm': lambda t, a, b: a @ b.t(),
    'mv': lambda t, a, b: a @ b[0],
    'dot': lambda t, a, b: a[0] @ b[0],
    'vm': lambda t, a, b: a[:, 0] @ b,
    'masked_fill': lambda t, a, b: a.masked_fill(b > 1, 0.0),
    'cat': lambda t, a, b: t.cat([a, b]),
    'stack': lambda t, a, b: t.stack([a, b]),
}

UNARY = {
    'pow_scalar': lambda t, a: a ** 3,
    'rpow': lambda t, a: 2 ** a,
    'abs': lambda t, a: a.abs(),
    'log': lambda t, a: a.log(),
    'exp': lambda t, a: a.exp(),
    'sqrt': lambda t, a: a.sqrt(),
    'reciprocal': lambda t, a: a.reciprocal(),
    'rdiv': lambda t, a: 2 / a,
    'clamp': lambda t, a: a.clamp(0.7, 1.2),
    'clamp_min': lambda t, a: a.clamp(min=0.7),
    'neg': lambda t, a: -a,
    'floor': lambda t, a: a.floor(),
    'sum': lambda t, a: a.sum(),
    'sum_dim': lambda t, a: a.sum(0),
    'mean': lambda t, a: a.mean(),
    'mean_dim': lambda t, a: a.mean(1),
    'index': lambda t, a: a[[0, 1]],
    'clone': lambda t, a: a.clone(),
    'to': lambda t, a: a.to(t.float64),
    'div_scalar': lambda t, a: a / 2,
    'mul_scalar': lambda t, a: a * 2,
    'remainder_scalar': lambda t, a: a % 2,
    'rsub_scalar': lambda t, a: 2 - a,
    'div_floor_scalar': lambda t, a: t.div(a, 2, rounding_mode='floor'),
    'mse_loss_constant_target': lambda t, a: t.nn.functional.mse_loss(a, t.ones(3, 4)),
}


def _modified_then_backward(lib, fn, arrays, requires_grad, modify):
    """Run fn, change one input (or the output: modify=None) in place, then backward."""
    xs = [make(lib, a, r) for a, r in zip(arrays, requires_grad)]

    def run():
        out = fn(lib, *xs)
        with lib.no_grad():
            (xs[modify] if modify is not None else out).mul_(1)
        out.sum().backward()
    return _error(run)


KNOWN_SAVED_GAPS = {
    ('vm', 'both', 'input0'): 'torch names no producer for the unsqueezed vector vm saves',
    ('vm', 'second', 'input0'): 'torch names no producer for the unsqueezed vector vm saves',
}


def _binary_cases():
    for name in sorted(BINARY):
        for rg, rg_id in (((True, True), 'both'), ((True, False), 'first'),
                          ((False, True), 'second')):
            for modify, mod_id in ((0, 'input0'), (1, 'input1'), (None, 'output')):
                reason = KNOWN_SAVED_GAPS.get((name, rg_id, mod_id))
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                yield pytest.param(name, rg, modify, marks=marks,
                                   id=f'{name}-{rg_id}-{mod_id}')


@pytest.mark.parametrize('name, requires_grad, modify', list(_binary_cases()))
def test_saved_inputs_binary(name, requires_grad, modify):
    """Modifying a saved tensor raises torch's error; one torch doesn't save doesn't."""
    results = [_modified_then_backward(lib, BINARY[name], (A, B), requires_grad, modify)
               for lib in LIBS]
    assert results[1] == results[0]


@pytest.mark.parametrize('modify', [0, None], ids=['input', 'output'])
@pytest.mark.parametrize('name', sorted(UNARY))
def test_saved_inputs_unary(name, modify):
    results = [_modified_then_backward(lib, UNARY[name], (A,), (True,), modify) for lib in LIBS]
    assert results[1] == results[0]


def test_saved_inputs_batched_matmul_of_expanded_input():
    """torch folds an expanded batch into one mm on a copy, so the input isn't saved."""
    pytest.xfail('ember saves the expanded operand itself (shares its version counter)')


# ------------------------------------------------------------------ regenerated views

VIEWS = {
    'select': lambda y: y[0],
    'slice': lambda y: y[1:],
    'view': lambda y: y.view(6),
    't': lambda y: y.t(),
    'chain': lambda y: y[1:][0],
    'unsqueeze': lambda y: y.unsqueeze(0),
    'column': lambda y: y[:, 0],
}


@pytest.mark.parametrize('name', sorted(VIEWS))
def test_view_written_in_place_is_as_strided(name):
    """After an in-place write, torch regenerates views with as_strided: their grad_fn is
    AsStridedBackward0 and the base's CopySlices; a view made afterwards keeps its name
    until the next in-place change."""
    results = []
    for lib in LIBS:
        x = make(lib, rand(3, 2))
        y = x * 1
        v = VIEWS[name](y)
        v.mul_(2)
        fresh = VIEWS[name](y)
        names = [v.grad_fn.name(), y.grad_fn.name(), fresh.grad_fn.name()]
        y.add_(1)
        names += [fresh.grad_fn.name(), v.grad_fn.next_functions[0][0].name()]
        (v.sum() + y.sum()).backward()
        results.append((names, x.grad))
    assert_same(*results)


def test_view_of_no_grad_base_written_in_place():
    results = []
    for lib in LIBS:
        x = make(lib, rand(2))
        base = lib.zeros(3)
        v = base[0]
        v.mul_(x[0])
        results.append((v.grad_fn.name(), base.grad_fn.name()))
    assert results[0] == results[1]


# ------------------------------------------------------------------ inference tensors

def test_inference_tensor_flags():
    results = []
    for lib in LIBS:
        normal = lib.ones(3)
        leaf = make(lib, rand(3))
        with lib.inference_mode():
            a = lib.ones(2)
            b = leaf * 2
            view_of_normal = normal[:2]
            clone = normal.clone()
            detached = normal.detach()
            with lib.inference_mode(False):
                outside = lib.ones(1)
            with lib.no_grad():
                nested = lib.ones(1)
            inside_version = _error(lambda: a._version)
            a.add_(1)
            inside = (a.is_inference(), b.is_inference(), b.requires_grad, b.grad_fn is None,
                      view_of_normal.is_inference(), clone.is_inference(),
                      detached.is_inference(), outside.is_inference(), nested.is_inference(),
                      leaf.is_inference(), inside_version,
                      lib.ones(2).requires_grad_().requires_grad)
        after = (a.is_inference(), a[:1].is_inference(), a.detach().is_inference(),
                 a.view(2).is_inference(), a.clone().is_inference(), a.mul(2).is_inference(),
                 lib.ones(1).is_inference(), a.requires_grad, a.is_leaf)
        results.append((inside, after))
    assert results[0] == results[1]


INFERENCE_ERRORS = {
    'version': lambda t, a, x: a._version,
    'requires_grad_': lambda t, a, x: a.requires_grad_(),
    'add_': lambda t, a, x: a.add_(1),
    'setitem': lambda t, a, x: a.__setitem__(0, 1.0),
    'out': lambda t, a, x: t.add(x.detach(), 1, out=a),
    'saved_for_mul': lambda t, a, x: (a * x).sum().backward(),
    'saved_for_mul_reversed': lambda t, a, x: (x * a).sum().backward(),
    'not_saved_add': lambda t, a, x: (a + x).sum().backward(),
    'view_add_': lambda t, a, x: a[:1].add_(1),
    'normal_view_made_inside_add_': None,
    'unsqueeze_': lambda t, a, x: a.unsqueeze_(0),
    'copy_': lambda t, a, x: a.copy_(x.detach()),
    'zero_': lambda t, a, x: a.zero_(),
}


@pytest.mark.parametrize('name', sorted(INFERENCE_ERRORS))
def test_inference_tensor_outside_inference_mode(name):
    results = []
    for lib in LIBS:
        x = make(lib, rand(2))
        normal = lib.ones(2)
        with lib.inference_mode():
            a = lib.ones(2)
            view = normal[:1]
        if INFERENCE_ERRORS[name] is None:
            results.append(_error(lambda: view.add_(1)))
        else:
            results.append(_error(lambda: INFERENCE_ERRORS[name](lib, a, x)))
        results.append((a.tolist(), normal.tolist()))  # as torch's, written, then refused
    assert results[:2] == results[2:]


def test_inference_leaf_requiring_grad_written_outside_inference_mode():
    results = []
    for lib in LIBS:
        with lib.inference_mode():
            leaf = lib.ones(2, requires_grad=True)
        results.append((_error(lambda: leaf.add_(1)), leaf.tolist()))  # the leaf error first
    assert results[0] == results[1]


def test_inference_mode_in_other_thread_does_not_mark_this_one():
    import threading
    for lib in LIBS:
        entered, release = threading.Event(), threading.Event()

        def worker():
            with lib.inference_mode():
                entered.set()
                release.wait(5)
        thread = threading.Thread(target=worker)
        thread.start()
        entered.wait(5)
        try:
            assert not lib.ones(1).is_inference()
        finally:
            release.set()
            thread.join()
        assert not lib.ones(1).is_inference()


# ------------------------------------------------------------------ grad_mode module

def test_grad_mode_names():
    names = set(torch.autograd.grad_mode.__all__)
    assert set(ember.autograd.grad_mode.__all__) == names
    for name in names:
        assert hasattr(ember.autograd.grad_mode, name), name
        assert hasattr(ember.autograd, name), name


@pytest.mark.parametrize('flag', ['set_multithreading_enabled', 'enforce_grad_layout_policy'])
def test_engine_flags_are_context_managers(flag):
    for lib in LIBS:
        cls = getattr(lib.autograd.grad_mode, flag)
        with cls(False):
            pass
        assert cls(False).clone().mode is False
        cls(True)  # both set the flag at once: leave it as it was


def test_engine_flags_keyword_names():
    """The flags' arguments take torch's names: enforce_grad_layout_policy(enable=...),
    set_multithreading_enabled(mode=...) (ember named the first mode)."""
    for lib in LIBS:
        with lib.autograd.grad_mode.enforce_grad_layout_policy(enable=False) as ctx:
            assert ctx is None
        with lib.autograd.set_multithreading_enabled(mode=False):
            pass
        lib.autograd.grad_mode.enforce_grad_layout_policy(enable=True)
        lib.autograd.set_multithreading_enabled(mode=True)


# ------------------------------------------------------------------ create_graph warning

_WARNING_SCRIPT = r'''
import sys, warnings
sys.path.insert(0, {src!r})
import {lib} as T
x = T.ones(2, requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    T.autograd.grad((x * x).sum(), x, create_graph=True)
    print(len(caught))
    {first}
    print(len(caught), caught and caught[0].category.__name__, caught and str(caught[0].message))
    (x * x).sum().backward(create_graph=True)
    print(len(caught))
'''

WARNING_CASES = {
    'leaf': '(x * x).sum().backward(create_graph=True)',
    'constant_grad': '(x * 2).sum().backward(create_graph=True)',
    'non_leaf_inputs': 'y = x * 2; y.retain_grad(); (y * y).sum().backward(create_graph=True, '
                       'inputs=[y])',
    'autograd_backward': 'T.autograd.backward((x * x).sum(), create_graph=True)',
    'no_create_graph': '(x * x).sum().backward()',
}


@pytest.mark.parametrize('case', sorted(WARNING_CASES))
def test_backward_create_graph_warns_once_per_process(case):
    """torch warns once per process (TORCH_WARN_ONCE) on backward(create_graph=True), not on
    autograd.grad: each library runs in a fresh interpreter."""
    import os
    src = os.path.join(os.path.dirname(__file__), '..', '..', 'src')
    outputs = []
    for lib in ('torch', 'ember'):
        script = _WARNING_SCRIPT.format(src=os.path.abspath(src), lib=lib,
                                        first=WARNING_CASES[case])
        done = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[1] == outputs[0]
