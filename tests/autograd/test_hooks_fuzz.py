"""Differential fuzzing of the engine's hooks: random small graphs over two leaves, with
random hooks registered along the way (tensor hooks that log or replace the gradient,
retain_grad, node pre- and post-hooks that log or replace, post-accumulate hooks,
register_multi_grad_hook 'all' and 'any', in-place writes), then backward(), backward with
inputs= or autograd.grad. torch and ember must agree on every step's outcome, on the hooks
called (in order, with their arguments), and on the gradients. A failure prints the program.
"""
import random
import warnings

import pytest
import torch

from helpers import assert_same
import ember

PROGRAMS = 400

BINARY = ['{a} * {b}', '{a} + {b}', '{a} - {b}']
UNARY = ['{a} * 2', '{a}.exp()', '{a}.sum(0)', '{a}.clone()', '{a}.mean()', '({a} * 3).sum(1)']
VIEWS = ['{a}[0]', '{a}.t()', '{a}.view(-1)', '{a}.unbind()[1]']   # of non-leaves only: torch
                                                                   # crashes on some hooks of
                                                                   # views of leaves
HOOKS = [
    '{t}.register_hook(lambda g: log.append(({n!r}, "tensor", g)))',
    '{t}.register_hook(lambda g: (log.append(({n!r}, "tensor*2", g)), g * 2)[1])',
    '{t}.retain_grad()',
    'if {t}.grad_fn is not None:\n'
    '    {t}.grad_fn.register_hook(lambda gi, go: log.append(({n!r}, "post", gi, go)))',
    'if {t}.grad_fn is not None:\n'
    '    {t}.grad_fn.register_prehook(lambda go: log.append(({n!r}, "pre", go)))',
    'if {t}.grad_fn is not None:\n'
    '    {t}.grad_fn.register_prehook(lambda go: tuple(None if g is None else g * 3 for g in go))',
    'if {t}.grad_fn is not None:\n'
    '    {t}.grad_fn.register_hook(lambda gi, go: tuple(None if g is None else g + 1 for g in gi))',
    'if {t}.is_leaf:\n'
    '    {t}.register_post_accumulate_grad_hook(lambda p: log.append(({n!r}, "acc", p.grad.clone())))',
    'T.autograd.graph.register_multi_grad_hook(({t}, {u}), lambda gs: log.append(({n!r}, "all", gs)))',
    'T.autograd.graph.register_multi_grad_hook(({t}, {u}), lambda g: log.append(({n!r}, "any", g)), '
    'mode="any")',
    '{t}.mul_(2)',
]
ENDS = ['loss.backward()', 'loss.backward(inputs=[{t}])',
        'result = T.autograd.grad(loss, [a, b], allow_unused=True)',
        'result = T.autograd.grad(loss, [{t}], allow_unused=True)']


def make_program(seed):
    """The program's lines (Python source; T is the library)."""
    rng = random.Random(seed)
    lines = ['a = T.tensor([[0.5, -1.5], [2.0, 0.25]], dtype=T.float64, requires_grad=True)',
             'b = T.tensor([[1.0, 2.0], [3.0, -4.0]], dtype=T.float64, requires_grad=True)',
             'c = a * 1']
    names, non_leaves = ['a', 'b', 'c'], ['c']
    for i in range(rng.randint(2, 6)):
        kind = rng.choice(['binary', 'unary', 'view'])
        if kind == 'binary':
            op = rng.choice(BINARY).format(a=rng.choice(names), b=rng.choice(names))
        elif kind == 'unary':
            op = rng.choice(UNARY).format(a=rng.choice(names))
        else:
            op = rng.choice(VIEWS).format(a=rng.choice(non_leaves))
        lines.append(f't{i} = {op}')
        names.append(f't{i}')
        non_leaves.append(f't{i}')
        if rng.random() < 0.7:
            t = rng.choice(names)
            lines.append(rng.choice(HOOKS).format(t=t, u=rng.choice(names), n=f'{t}@{len(lines)}'))
    outputs = rng.sample(names[2:], min(2, len(names) - 2))
    loss = ' + '.join(f'({o} * {k + 1}).sum()' for k, o in enumerate(outputs))
    lines.append(f'loss = {loss}')
    lines.append(rng.choice(ENDS).format(t=rng.choice(names)))
    return lines, names


def run(T, lines, names):
    """Each line's outcome, the hooks' log, the gradients, autograd.grad's result."""
    namespace = {'T': T, 'log': []}
    outcomes = []
    for line in lines:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                exec(line, namespace)
            outcomes.append('ok')
        except Exception as error:  # noqa: BLE001 (compared with torch's)
            outcomes.append(f'{type(error).__name__}: {error}')
    grads = []
    for name in names:
        t = namespace.get(name)
        try:
            if t is not None and (t.is_leaf or t.retains_grad):
                grads.append((name, t.grad))
        except RuntimeError as error:  # (a view whose history can't be re-derived)
            grads.append((name, str(error)))
    return outcomes, namespace['log'], grads, namespace.get('result')


@pytest.mark.parametrize('seed', range(PROGRAMS))
def test_random_hook_program(seed):
    lines, names = make_program(seed)
    expected, actual = run(torch, lines, names), run(ember, lines, names)
    context = f'program {seed}:\n    ' + '\n    '.join(lines)
    assert actual[0] == expected[0], context
    assert [entry[:2] for entry in actual[1]] == [entry[:2] for entry in expected[1]], context
    assert_same(actual[1:], expected[1:], path=context)
