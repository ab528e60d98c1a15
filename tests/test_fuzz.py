"""Differential fuzzing of random straight-line programs: each program is generated step by
step (the next step chosen from the torch values so far), every step runs as Python source
in torch and in ember, and the two must agree at every step (raising or not, exception
type and message, dtype, shape, values, requires_grad, is_leaf, grad_fn name), at the end
on every live value (in-place writes through views), and after a backward on the leaves'
grads. A failure prints the program, which reproduces it with ``T = torch`` / ``T = ember``.

Values are exact unless a value depends on a step that docs/compatibility.md lists as
possibly different in the last bit (``INEXACT``); such a value is compared with a tolerance
when it is floating point, and only by dtype and shape otherwise.
"""
import math
import random
import warnings

import pytest
import torch

from helpers import assert_same, assert_same_exception, assert_same_message
import ember

PROGRAMS = 400
STEPS = 12

DTYPES = ['bool', 'uint8', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64',
          'complex64']
FLOATS = ['float16', 'bfloat16', 'float32', 'float64']
SCALARS = [0, 1, 2, -3, 7, 0.5, -1.5, 2.0, 1e-3, 300.0, True, False, 1j, 2 - 1j,
           float('inf'), float('nan')]
BINARY = ['+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '<=', '>', '>=']

# Steps whose float results may differ from torch's in the last bit (docs/compatibility.md:
# sums, means, matrix products, exp/log/sqrt, pow); anything computed from them is compared
# with a tolerance.
INEXACT = ('.sum(', '.mean(', '@', 'matmul', '.exp(', '.log(', '.sqrt(', '**', 'pow(')


# NO_COMPLEX32: ember has no complex32 (docs/compatibility.md: float16 with a complex number
# gives complex64), so a complex32 result is dropped, an error naming it is compared by type
# only, and a step where only torch raises one (no complex32 kernel) drops its target.

# Known differences in which error torch reports first, where a step has two errors (both
# libraries raise, with the same type): the message is compared only when torch's first line
# doesn't start with one of these. Each is a known, unfixed difference:
ERROR_ORDER = (
    # torch runs its leaf/view in-place check before the kernel's own argument checks (sub_ of
    # a bool, ...); ember checks some arguments in the public function, first
    'a leaf Variable that requires grad', 'a view of a leaf Variable',
    'Output ', 'A view was created in no_grad mode',   # views that refuse in-place writes
    # torch checks overlapping memory (x.add_(y) where y is x's expanded view) before shapes
    'unsupported operation: some elements of the input tensor',
    # backward: torch reaches a non-differentiable node (floor_divide) before other errors,
    # in an order of its own
    'derivative for aten::',
    # a saved tensor detached in place: torch says so; ember reports the version change
    'Trying to use a saved tensor that has been detached in-place',
    # a complex number written into a float16/bfloat16 tensor (x[i] = 2j) or used as a clamp
    # bound: torch converts it to double first
    'value cannot be converted to type double',
)


class Program:
    """A program being generated and run: its source lines and both libraries' values."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.lines = []
        self.envs = {'torch': {'T': torch}, 'ember': {'T': ember}}
        self.inexact = set()   # values that may differ from torch's in the last bits
        self.rough = set()     # ... or by more (compared by dtype and shape only)
        self.count = 0

    @property
    def values(self):
        """The torch side's live variables (the generator chooses steps from them)."""
        return {k: v for k, v in self.envs['torch'].items() if k[0] == 'v'}

    def tensors(self, pred=lambda t: True):
        return [k for k, v in self.values.items() if isinstance(v, torch.Tensor) and pred(v)]

    def new_name(self):
        self.count += 1
        return f'v{self.count}'

    def run(self, code, target, reads=()):
        """Run one line in both libraries; ``target`` names the variable it binds or writes."""
        self.lines.append(code)
        outcomes = {}
        for lib in ('torch', 'ember'):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    exec(code, self.envs[lib])
                outcomes[lib] = None
            except Exception as error:  # noqa: BLE001 - compared with torch's below
                outcomes[lib] = error
        t_err, e_err = outcomes['torch'], outcomes['ember']
        if e_err is None and 'ComplexHalf' in str(t_err):   # NO_COMPLEX32: ember's complex64
            self.envs['ember'].pop(target, None)            # computes what torch's complex32
            return False                                    # has no kernel for
        if t_err is not None or e_err is not None:
            assert t_err is not None, self.failure(f'ember raised {type(e_err).__name__}: {e_err}')
            assert e_err is not None, self.failure(f'torch raised {type(t_err).__name__}: {t_err}')
            try:
                assert_same_exception(e_err, t_err)
                if 'ComplexHalf' not in str(t_err) and \
                        not str(t_err).startswith(ERROR_ORDER):   # NO_COMPLEX32, ERROR_ORDER
                    assert_same_message(e_err, t_err)
            except AssertionError as error:
                raise AssertionError(self.failure(str(error))) from None
            for lib in ('torch', 'ember'):   # a failed in-place write may leave either state
                self.envs[lib].pop(target, None)
            return False
        if getattr(self.envs['torch'][target], 'dtype', None) is torch.complex32:
            for lib in ('torch', 'ember'):   # NO_COMPLEX32 (below)
                del self.envs[lib][target]
            return False
        if any(word in code for word in INEXACT) or self.inexact.intersection(reads):
            self.inexact.add(target)
            if any(op in code for op in ('//', '%')) or self.rough.intersection(reads):
                self.rough.add(target)   # a last-bit change moves a floor by one, or to inf
        self.compare(target)
        return True

    def compare(self, name):
        t, e = self.envs['torch'][name], self.envs['ember'][name]
        where = self.failure(f'{name} differs')
        if not isinstance(t, torch.Tensor):
            assert_same(e, t, path=where)
            return
        t_meta, e_meta = autograd_meta(t), autograd_meta(e)
        assert e_meta == t_meta, f'{where}\n torch: {t_meta}\n ember: {e_meta}'
        if name not in self.inexact:
            assert_same(e, t, exact=True, path=where)
        elif (t.is_floating_point() or t.is_complex()) and name not in self.rough:
            tol = 1e-2 if t.dtype in (torch.float16, torch.bfloat16) else 1e-4
            assert_same(e, t, rtol=tol, atol=tol, path=where)
        else:
            t_meta, e_meta = (str(t.dtype), tuple(t.shape)), (str(e.dtype), tuple(e.shape))
            assert e_meta == t_meta, f'{where}\n torch: {t_meta}\n ember: {e_meta}'

    def failure(self, what):
        return what + '\nprogram:\n    ' + '\n    '.join(self.lines)


def autograd_meta(t):
    """(requires_grad, is_leaf, grad_fn's name) of a torch or ember tensor, or the error a view
    whose grad_fn can't be re-derived raises."""
    try:
        return t.requires_grad, t.is_leaf, type(t.grad_fn).__name__ if t.grad_fn else None
    except RuntimeError as error:
        return str(error)


# ---------------------------------------------------------------- source fragments

def literal(x):
    """Python source for a number or nested list of numbers."""
    if isinstance(x, list):
        return '[' + ', '.join(literal(v) for v in x) + ']'
    if isinstance(x, float) and not math.isfinite(x):
        return f"float('{x}')"
    return repr(x)


def random_shape(rng):
    return rng.choice([(), (), (1,), (3,), (4,), (0,), (2, 3), (3, 1), (1, 4), (2, 0),
                       (2, 3, 4), (3, 1, 2), (1, 3, 1)])


def random_values(rng, shape, dtype):
    if not shape:
        return random_number(rng, dtype)
    return [random_values(rng, shape[1:], dtype) for _ in range(shape[0])]


def random_number(rng, dtype):
    if dtype == 'bool':
        return rng.random() < 0.5
    if dtype == 'uint8':
        return rng.randrange(0, 256) if rng.random() < 0.2 else rng.randrange(0, 6)
    if dtype in ('int32', 'int64'):
        return rng.randrange(-6, 7)
    if dtype == 'complex64':
        return complex(rng.choice([-2, -0.5, 0, 1, 1.5]), rng.choice([-1, 0, 0.25, 2]))
    special = [0.0, -0.0, 1.0, 0.5, float('inf'), float('-inf'), float('nan'), 65504.0, 1e-5]
    if rng.random() < 0.1:
        return rng.choice(special)
    return rng.choice([-3.5, -2.0, -1.25, -0.5, 0.75, 1.5, 2.0, 3.0, 4.25])


def pick(rng, seq):
    return rng.choice(list(seq)) if seq else None


def dtype_arg(rng):
    return f'T.{rng.choice(DTYPES)}'


def scalar(rng):
    return literal(rng.choice(SCALARS))


def operand(rng, prog):
    """A tensor variable (usually) or a Python number."""
    names = prog.tensors()
    if names and rng.random() < 0.7:
        return pick(rng, names)
    return scalar(rng)


def dim_arg(rng, t, extra=0):
    n = t.dim() + extra
    if n == 0:
        return rng.choice([0, -1, 1])
    return rng.randrange(-n, n) if rng.random() < 0.9 else n


def shape_like(rng, t):
    """A shape for reshape/view/expand: a permutation of t's, -1 inferred, or a broadcast."""
    s = list(t.shape)
    choice = rng.random()
    if choice < 0.3 and s:
        s[rng.randrange(len(s))] = -1
    elif choice < 0.5:
        s = [t.numel()]
    elif choice < 0.7:
        s = [rng.choice([1, 2, 3])] + s
    elif choice < 0.85:
        s = [v if v != 1 else rng.choice([1, 3]) for v in s]
    else:
        s = list(reversed(s))
    return ', '.join(str(v) for v in s) or '()'


# ---------------------------------------------------------------- steps
# Each step function takes (rng, prog) and returns (code, target, reads) or None when it
# has nothing to work on. ``target`` is the variable the step binds or writes.

def step_create(rng, prog):
    name = prog.new_name()
    kind = rng.random()
    if kind < 0.45:
        dtype = rng.choice(DTYPES)
        shape = random_shape(rng)
        values = literal(random_values(rng, shape, dtype))
        how = rng.choice(['dtype', 'infer', 'infer'])
        if how == 'dtype' or dtype in ('uint8', 'int32', 'float16', 'bfloat16', 'float64'):
            code = f'{name} = T.tensor({values}, dtype=T.{dtype})'
        else:
            code = f'{name} = T.tensor({values})'
    elif kind < 0.6:
        fn = rng.choice(['zeros', 'ones'])
        code = f'{name} = T.{fn}({random_shape(rng)}, dtype={dtype_arg(rng)})'
    elif kind < 0.7:
        fill = rng.choice([scalar(rng), scalar(rng) + f', dtype={dtype_arg(rng)}'])
        code = f'{name} = T.full({random_shape(rng)}, {fill})'
    elif kind < 0.8:
        start, end = rng.randrange(-3, 3), rng.randrange(-2, 8)
        step = rng.choice(['1', '2', '0.5', '-1'])
        code = f'{name} = T.arange({start}, {end}, {step})'
        if rng.random() < 0.3:
            code = code[:-1] + f', dtype={dtype_arg(rng)})'
    elif kind < 0.87:
        code = f'{name} = T.linspace({rng.choice([-1, 0, 0.5])}, {rng.choice([1, 3.5])}, ' \
               f'{rng.choice([0, 1, 4, 5])})'
    else:
        fn = rng.choice(['rand', 'randn'])
        dtype = rng.choice(FLOATS)
        code = f'T.manual_seed({rng.randrange(100)}); {name} = T.{fn}({random_shape(rng)}, ' \
               f'dtype=T.{dtype})'
    return code, name, ()


def step_binary(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    b = operand(rng, prog)
    op = rng.choice(BINARY)
    if op == '**' and 'j' in b + str(prog.values[a].dtype):
        return None   # no complex pow: docs/compatibility.md lists last-bit differences
    name = prog.new_name()
    expr = f'{b} {op} {a}' if rng.random() < 0.25 else f'{a} {op} {b}'
    return f'{name} = {expr}', name, (a, b)


def step_function(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    t = prog.values[a]
    name = prog.new_name()
    b = operand(rng, prog)
    expr = rng.choice([
        f'-{a}', f'abs({a})', f'{a}.abs()', f'T.exp({a})', f'{a}.log()', f'T.sqrt({a})',
        f'T.pow({a}, {b})', f'{a}.pow({rng.choice([2, 3, 0.5, -1])})',
        f'T.clamp({a}, {rng.choice(["-1", "None", "0.5"])}, {rng.choice(["2", "None", "1.5"])})',
        f'{a}.clamp(min={b})',
        f'{a}.sum()', f'{a}.sum({dim_arg(rng, t)})',
        f'{a}.sum(dim={dim_arg(rng, t)}, keepdim={rng.random() < 0.5})',
        f'{a}.sum(dtype={dtype_arg(rng)})', f'{a}.mean()', f'{a}.mean({dim_arg(rng, t)}, True)',
        f'{a}.mean(dtype={dtype_arg(rng)})',
        f'T.matmul({a}, {pick(rng, prog.tensors())})', f'{a} @ {pick(rng, prog.tensors())}',
    ])
    if 'pow' in expr and ('j' in b or t.is_complex()):
        return None   # no complex pow: docs/compatibility.md lists last-bit differences
    if 'dtype=T.complex' in expr and t.requires_grad and not t.is_complex():
        # REAL_TO_COMPLEX_GRAD: torch's engine rejects the complex gradient a real input gets
        # back from sum/mean(dtype=complex) at backward; ember takes its real part (unfixed)
        return None
    return f'{name} = {expr}', name, (a, b)


def step_masked_fill(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    masks = prog.tensors(lambda t: t.dtype is torch.bool)
    mask = pick(rng, masks) if masks and rng.random() < 0.7 else f'({a} > 0)'
    name = prog.new_name()
    value = operand(rng, prog) if rng.random() < 0.3 else scalar(rng)
    if value in prog.values and prog.values[value].requires_grad and \
            not (prog.values[a].is_floating_point() or prog.values[a].is_complex()):
        # INT_RESULT_GRAD: torch raises 'Autograd not support dtype' for an integer result of
        # a differentiable op with an input requiring grad; ember does so for sum only (unfixed)
        return None
    return f'{name} = {a}.masked_fill({mask}, {value})', name, (a, mask, value)


def step_join(rng, prog):
    names = prog.tensors()
    if not names:
        return None
    parts = [pick(rng, names) for _ in range(rng.choice([1, 2, 2, 3]))]
    same = prog.values[parts[0]]
    if rng.random() < 0.6:   # mostly same-shaped parts, so that most joins succeed
        parts = [p for p in parts if prog.values[p].shape == same.shape] or parts[:1]
    fn = rng.choice(['stack', 'cat'])
    name = prog.new_name()
    return f'{name} = T.{fn}([{", ".join(parts)}], {dim_arg(rng, same, fn == "stack")})', \
        name, tuple(parts)


def step_shape(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    t = prog.values[a]
    n = max(t.dim(), 1)
    perm = list(range(t.dim()))
    rng.shuffle(perm)
    size = t.shape[0] if t.dim() else 1
    start = rng.randrange(-size, size) if size else 0
    expr = rng.choice([
        f'{a}.squeeze()', f'{a}.squeeze({dim_arg(rng, t)})', f'{a}.unsqueeze({dim_arg(rng, t, 1)})',
        f'{a}.reshape({shape_like(rng, t)})', f'{a}.view({shape_like(rng, t)})',
        f'{a}.transpose({dim_arg(rng, t)}, {dim_arg(rng, t)})', f'{a}.t()',
        f'{a}.permute({", ".join(map(str, perm))})' if perm else f'{a}.permute(())',
        f'{a}.expand({shape_like(rng, t)})',
        f'{a}.narrow(0, {start}, {rng.randrange(0, max(size - start % n, 0) + 2)})',
        f'{a}.select({dim_arg(rng, t)}, {start})', f'{a}.flatten()',
        f'{a}.unbind({dim_arg(rng, t)})[{rng.choice([0, -1])}]', f'list({a})[{rng.choice([0, -1])}]',
        f'{a}.flatten({dim_arg(rng, t)})',
        f'{a}.clone()', f'{a}.contiguous()', f'{a}.to({dtype_arg(rng)})', f'{a}.float()',
        f'{a}.double()', f'{a}.long()', f'{a}.int()', f'{a}.bool()', f'{a}.half()',
        f'{a}.detach()',
    ])
    name = prog.new_name()
    return f'{name} = {expr}', name, (a,)


def index_expr(rng, t):
    """Source of an index for tensor ``t``: ints, slices, None, Ellipsis, masks, index tensors."""
    parts, dim = [], 0
    for _ in range(rng.choice([1, 1, 2, 3])):
        size = t.shape[dim] if dim < t.dim() else 1
        kind = rng.random()
        if kind < 0.3:
            parts.append(str(rng.randrange(-size, size) if size and rng.random() < 0.95 else size))
        elif kind < 0.55:
            lo, hi = rng.choice([None, 0, 1, -1]), rng.choice([None, 2, -1, 5])
            step = rng.choice(['', '', ':2'])
            parts.append(f'{"" if lo is None else lo}:{"" if hi is None else hi}{step}')
        elif kind < 0.65:
            parts.append('None')
            continue
        elif kind < 0.72 and '...' not in parts:
            # One Ellipsis per index: torch reads several as a quirk of its own (x[..., 1, ...]
            # of a 3-d x is 2-d; x[..., ..., 0] raises), which ember does not copy.
            parts.append('...')
            dim = max(dim, t.dim() - 1)
        elif kind < 0.85:
            mask = [rng.random() < 0.5 for _ in range(size)]
            parts.append(f'T.tensor({literal(mask)}, dtype=T.bool)' if mask else
                         'T.tensor([], dtype=T.bool)')
        else:
            idx = [rng.randrange(-size, size) for _ in range(rng.choice([1, 2]))] if size else []
            parts.append(f'T.tensor({literal(idx)}, dtype=T.long)')
        dim += 1
    return ', '.join(parts)


def step_getitem(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    name = prog.new_name()
    return f'{name} = {a}[{index_expr(rng, prog.values[a])}]', name, (a,)


def step_inplace(rng, prog):
    a = pick(rng, prog.tensors())
    if a is None:
        return None
    t = prog.values[a]
    b = operand(rng, prog)
    code = rng.choice([
        f'{a}.add_({b})', f'{a}.mul_({b})', f'{a}.sub_({b})', f'{a}.div_({b})',
        f'{a}.clamp_({rng.choice(["-1", "None"])}, {rng.choice(["1.5", "3"])})',
        f'{a}.zero_()', f'{a}.fill_({scalar(rng)})', f'{a}.copy_({b})',
        f'{a} += {b}', f'{a} *= {b}', f'{a}[{index_expr(rng, t)}] = {b}',
        f'{a}.requires_grad_()', f'{a}.detach_()',
    ])
    return code, a, (a, b)


STEPS_BY_WEIGHT = [(step_create, 3), (step_binary, 4), (step_function, 3),
                   (step_masked_fill, 1), (step_join, 1), (step_shape, 4), (step_getitem, 3),
                   (step_inplace, 4)]


def make_leaf(rng, prog):
    """A floating leaf that requires grad (so that most programs record a graph)."""
    name = prog.new_name()
    shape = rng.choice([(), (3,), (2, 3), (3, 1)])
    dtype = rng.choice(['float32', 'float32', 'float64', 'float16', 'bfloat16'])
    prog.run(f'{name} = T.tensor({literal(random_values(rng, shape, "float32"))}, '
             f'dtype=T.{dtype}, requires_grad=True)', name)


def run_program(seed):
    rng = random.Random(seed)
    prog = Program(seed)
    steps, weights = zip(*STEPS_BY_WEIGHT)
    make_leaf(rng, prog)
    make_leaf(rng, prog)
    for _ in range(STEPS):
        step = None
        while step is None:
            step = rng.choices(steps, weights)[0](rng, prog)
        prog.run(*step)
    for name in prog.values:   # in-place writes through views reach every alias
        prog.compare(name)
    run_backward(prog)


def run_backward(prog):
    """backward() of the sum of the float results that require grad; compare leaves' grads."""
    outs = prog.tensors(lambda t: t.requires_grad and t.is_floating_point())
    leaves = prog.tensors(lambda t: t.requires_grad and not isinstance(autograd_meta(t), str)
                          and t.is_leaf)
    if not outs:
        return
    terms = ' + '.join(f'{o}.sum().double()' for o in outs)
    if not prog.run(f'loss = {terms}; loss.backward()', 'loss', tuple(outs)):
        return
    for leaf in leaves:
        t, e = prog.envs['torch'][leaf].grad, prog.envs['ember'][leaf].grad
        where = prog.failure(f'{leaf}.grad differs')
        assert (e is None) == (t is None), where
        if t is not None:
            assert_same(e, t, rtol=1e-2, atol=1e-2, path=where)


@pytest.mark.parametrize('seed', range(PROGRAMS))
def test_random_program(seed):
    run_program(seed)
