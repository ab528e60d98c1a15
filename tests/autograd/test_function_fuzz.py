"""Differential fuzzing of custom autograd.Functions: random programs, each a Function with
a random forward (returning its input, views of it, several outputs, inputs marked dirty or
outputs non-differentiable, saved tensors), applied to a random kind of input in or out of
grad mode, then two random uses of one output (in-place writes, views, hooks, retain_grad)
and a backward. torch and ember must agree at every step: the outputs (values,
requires_grad, is_leaf, grad_fn, version, view-ness), each use (or its error), and the
gradients. A failure prints the program.
"""
import random
import warnings

import pytest
import torch

from helpers import assert_same
import ember

PROGRAMS = 400

# (forward body, backward body): forward(ctx, x, y) and backward(ctx, *g), '; ' between lines
FUNCTIONS = [
    ('return x', 'return g[0] * 2, None'),
    ('return x.view(-1)', 'return g[0].view(2, 2) * 2, None'),
    ('return x[0]', 'r = T.zeros(2, 2, dtype=g[0].dtype); r[0] = g[0]; return r, None'),
    ('ctx.save_for_backward(x, y); return x * y',
     'x, y = ctx.saved_tensors; return g[0] * y, g[0] * x'),
    ('return x, y', 'return g[0] * 2, g[1] * 3'),
    ('return x, x * 2', 'return g[0] + g[1] * 2, None'),
    ('return x.view(-1), x[1]', 'r = g[0].view(2, 2).clone(); r[1] += g[1]; return r, None'),
    ('x.mul_(2); ctx.mark_dirty(x); return x', 'return g[0] * 2, None'),
    ('x.mul_(2); ctx.mark_dirty(x); return x, y * 1', 'return g[0] * 2, g[1]'),
    ('o = x * 2; ctx.mark_non_differentiable(o); return o, x * 3', 'return g[1] * 3, None'),
    ('ctx.mark_non_differentiable(x); return x', 'return None, None'),
    ('ctx.set_materialize_grads(False); return x * 2, y * 2',
     'return (None if g[0] is None else g[0] * 2), (None if g[1] is None else g[1] * 2)'),
    ('ctx.save_for_backward(x); return x.clone()',
     'x, = ctx.saved_tensors; return g[0] * x, None'),
    ('o = x.exp(); ctx.save_for_backward(o); return o',
     'o, = ctx.saved_tensors; return g[0] * o, None'),
    ('return x.long()', 'return None, None'),
    ('return x * 2, 3', 'return g[0] * 2, None'),
]
INPUTS = ['leaf', 'non-leaf', 'view', 'no_grad view', 'not requiring grad', 'view of a leaf']
USES = ['o.add_(1)', 'o.mul_(w)', 'o[0] = 5', 'o2 = o * w', 'o2 = o * o', 'x.detach().add_(1)',
        'b.add_(1)', 'with T.no_grad(): o.add_(1)', 'o2 = o.view(-1)', 'o2 = o[0]; o2.mul_(2)',
        'o.retain_grad()', 'o.register_hook(lambda g: g * 3)', '']


def make_program(seed):
    rng = random.Random(seed)
    return dict(function=rng.choice(FUNCTIONS), input=rng.choice(INPUTS),
                grad_mode=rng.random() < 0.7, uses=(rng.choice(USES), rng.choice(USES)),
                output=rng.choice([0, 1]))


def torch_fails(program):
    """Programs torch itself can't run: retain_grad on a Function's second output followed
    by an in-place write to it or its view (a segfault or an internal assert)."""
    first, second = program['uses']
    return (program['output'] == 1 and first == 'o.retain_grad()'
            and any(op in second for op in ('_(', '] =')))


def function_class(T, body, backward):
    namespace = {'T': T}
    source = (f"def forward(ctx, x, y):\n    {body.replace('; ', chr(10) + '    ')}\n"
              f"def backward(ctx, *g):\n    {backward.replace('; ', chr(10) + '    ')}\n")
    exec(source, namespace)
    return type('Fn', (T.autograd.Function,), {'forward': staticmethod(namespace['forward']),
                                               'backward': staticmethod(namespace['backward'])})


def inputs(T, kind):
    """The leaf ``a``, the tensor ``b`` the input is made from, and the input ``x``."""
    a = T.tensor([[0.5, -1.5], [2.0, 0.25]], dtype=T.float64,
                 requires_grad=kind != 'not requiring grad')
    b = a if kind == 'leaf' else a * 1
    if kind == 'view':
        return a, b, b[:]
    if kind == 'no_grad view':
        with T.no_grad():
            return a, b, b[:]
    return a, b, a[:] if kind == 'view of a leaf' else b


def describe(T, t, x):
    if not isinstance(t, T.Tensor):
        return t
    return (t.detach().clone(), t.requires_grad, t.is_leaf,
            None if t.grad_fn is None else type(t.grad_fn).__name__, t._version,
            t._base is x, t._base is not None, t is x)


def attempt(steps, name, fn):
    """Run a step, recording its value or its error; whether it ran."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            steps.append((name, fn()))
        return True
    except Exception as error:  # noqa: BLE001 (every error is compared with torch's)
        steps.append((name, type(error).__name__, str(error)))
        return False


def run(T, program):
    """The program's steps in library T: [(step, value) or (step, error type, message)]."""
    Fn = function_class(T, *program['function'])
    a, b, x = inputs(T, program['input'])
    y = T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64, requires_grad=True)
    w = T.tensor(2.0, dtype=T.float64, requires_grad=True)
    steps, result = [], []

    def apply():
        with T.set_grad_enabled(program['grad_mode']):
            result.append(Fn.apply(x, y))
    if not attempt(steps, 'apply', apply):
        return steps
    outs = result[0] if isinstance(result[0], tuple) else (result[0],)
    o = outs[min(program['output'], len(outs) - 1)]
    if not isinstance(o, T.Tensor):
        return steps + [('output', o)]
    attempt(steps, 'outputs', lambda: [describe(T, t, x) for t in outs])
    namespace = {'T': T, 'o': o, 'w': w, 'x': x, 'b': b}
    for use in program['uses']:
        attempt(steps, use, lambda: exec(use, namespace))
    attempt(steps, 'outputs after', lambda: [describe(T, t, x) for t in outs])

    def backward():
        loss = sum((t * (i + 1.5)).sum() for i, t in enumerate(outs)
                   if isinstance(t, T.Tensor) and t.requires_grad)
        if 'o2' in namespace and namespace['o2'].requires_grad:
            loss = loss + namespace['o2'].sum()
        if isinstance(loss, T.Tensor):
            loss.backward()
        return a.grad, y.grad, w.grad, o.grad if o.retains_grad else None
    attempt(steps, 'backward', backward)
    return steps


@pytest.mark.parametrize('seed', range(PROGRAMS))
def test_random_function_program(seed):
    program = make_program(seed)
    if torch_fails(program):
        pytest.skip("torch crashes on this program (retain_grad on a Function's second output, "
                    'then an in-place write)')
    expected, actual = run(torch, program), run(ember, program)
    context = f'program {seed}: {program}'
    assert [s[0] for s in actual] == [s[0] for s in expected], context
    for want, got in zip(expected, actual):
        if len(want) == 3 or len(got) == 3:
            assert got[1:] == want[1:], f'{context}\n step {want[0]}'
        else:
            assert_same(got[1], want[1], path=f'{context}\n step {want[0]}')
