"""matmul / @ against torch: every rank combination, dtypes, errors, gradients."""
import itertools
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import (ALL_TORCH_DTYPES, assert_same, assert_same_exception, assert_same_message,
                     check, check_grad, dtype_id, gradchecks, raises_same, sample, to_ember)

SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
          ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 4)),
          ((5, 2, 3), (3,)), ((2, 1, 2, 3), (3, 3, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
          ((0,), (0,))]


@pytest.mark.parametrize('shapes', SHAPES, ids=str)
def test_shapes(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y: x @ y, a, b, rtol=1e-5, atol=1e-5)
    check(lambda T, x, y: T.matmul(x, y), a, b, rtol=1e-5, atol=1e-5)
    check(lambda T, x, y: x.matmul(y), a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_dtypes(dtype):
    for shapes in SHAPES[:7]:
        a, b = sample(shapes[0], dtype, seed=1, low=-3, high=3), sample(shapes[1], dtype, seed=2, low=-3, high=3)
        check(lambda T, x, y: x @ y, a, b, rtol=1e-2, atol=1e-2)


def test_mixed_dtype_errors():
    check(lambda T, x, y: x @ y, sample((2, 3), 'float32'), sample((3, 2), 'float64'))
    check(lambda T, x, y: x @ y, sample((3,), 'float32'), sample((3,), 'int64'))
    check(lambda T, x, y: x @ y, sample((2, 3, 3), 'float32'), sample((3, 2), 'float64'))


@pytest.mark.parametrize('shapes', [((2, 3), (4, 2)), ((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 2)),
                                    ((5, 2, 3), (4, 2)), ((5, 2, 3), (4, 3, 2)), ((), (3,)),
                                    ((3,), ()), ((2, 2, 3), (3, 3, 2))], ids=str)
def test_shape_errors(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y: x @ y, a, b)


def test_non_tensor_operand():
    check(lambda T, x: x @ 2, sample((2, 2), 'float32'))
    check(lambda T, x: T.matmul(x, [[1.0, 2.0], [3.0, 4.0]]), sample((2, 2), 'float32'))


def test_out():
    a, b = sample((2, 3), 'float32', seed=1), sample((3, 4), 'float32', seed=2)

    def fn(T, x, y):
        out = T.empty(0)
        assert T.matmul(x, y, out=out) is out
        return out
    check(fn, a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('shapes', SHAPES[:-3], ids=str)
def test_gradients(shapes):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check_grad(lambda T, x, y: x @ y, a, b, rtol=1e-4, atol=1e-5)
    gradchecks(lambda T, x, y: x @ y, sample(shapes[0], 'float64', seed=3),
               sample(shapes[1], 'float64', seed=4), second_order=len(shapes[0]) < 3)


def test_complex_gradients():
    a, b = sample((2, 3), 'complex64', seed=1), sample((3, 2), 'complex64', seed=2)
    check_grad(lambda T, x, y: x @ y, a, b, rtol=1e-4, atol=1e-5)
    check_grad(lambda T, x, y: x[0] @ y, a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_mixed_dtype_error_names_the_types(dtype):
    """"expected m1 and m2 to have the same dtype, but got: signed char != double": C++ names."""
    other = 'float32' if str(dtype) == 'torch.float64' else 'float64'
    raises_same(lambda L: L.ones(2, 2, dtype=getattr(L, str(dtype)[6:]))
                @ L.ones(2, 2, dtype=getattr(L, other)))


RANKS = [((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 4)), ((2, 3), (4, 4)), ((2, 2, 3), (4,)),
         ((3,), (2, 4, 4)), ((2, 5, 2, 3), (4, 4)), ((2, 2, 3), (2, 4, 4)), ((2, 2, 3), (3, 3, 4)),
         ((2, 2, 3), (3, 4, 4)), ((3, 1), (5, 4, 3, 2)), ((2, 2, 2, 3), (2, 4, 4)),
         ((2, 0, 3), (4,)), ((0, 2, 3), (0, 4, 5))]


@pytest.mark.parametrize('shapes', RANKS + [(a, a[:-2] + (a[-1], 2) if len(a) > 1 else a)
                                            for a, _ in RANKS if 0 not in a], ids=str)
def test_error_messages_by_rank(shapes):
    """Shape errors come before dtype errors (except for dot), and name the sizes of the
    kernel torch folds the operands into; dtype and bool errors name that kernel too (bmm
    dispatches on its first operand's dtype before comparing dtypes). (torch's bmm skips its
    dtype check for empty operands: not reproduced.)"""
    sa, sb = shapes
    for da, db in ((torch.float32, torch.float32), (torch.float32, torch.float64),
                   (torch.float64, torch.int32), (torch.bool, torch.bool),
                   (torch.bool, torch.float64), (torch.float32, torch.bool)):
        check(lambda T, a, b: a @ b, torch.ones(sa, dtype=da), torch.ones(sb, dtype=db),
              match_message=True)


@pytest.mark.parametrize('shapes', [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
                                    ((2, 3), (3, 4)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4)),
                                    ((2, 2, 3), (3, 4)), ((2, 2, 3), (2, 3, 4))], ids=str)
@pytest.mark.parametrize('out_dtype', [torch.float64, torch.int64, torch.float32], ids=dtype_id)
def test_out_dtype(shapes, out_dtype):
    a, b = sample(shapes[0], 'float32', seed=1), sample(shapes[1], 'float32', seed=2)
    check(lambda T, x, y, d: T.matmul(x, y, out=T.empty(0, dtype=d)), a, b, out_dtype,
          rtol=1e-5, atol=1e-5, match_message=True)
    if len(shapes[0]) == len(shapes[1]) == 2:
        check(lambda T, x, y, d: T.mm(x, y, out=T.empty(0, dtype=d)), a, b, out_dtype,
              rtol=1e-5, atol=1e-5, match_message=True)


DOT_MV_BMM = {
    'dot': ((3,), (3,)), 'dot_2d': ((2, 3), (3,)), 'dot_size': ((3,), (4,)),
    'mv': ((2, 3), (3,)), 'mv_1d': ((3,), (3,)), 'mv_2d': ((2, 3), (2, 3)), 'mv_size': ((2, 3), (4,)),
    'bmm': ((2, 2, 3), (2, 3, 4)), 'bmm_2d': ((2, 3), (3, 2)), 'bmm_2d_second': ((2, 2, 3), (3, 2)),
    'bmm_no_broadcast': ((1, 2, 3), (2, 3, 2)), 'bmm_inner': ((2, 2, 3), (2, 4, 2)),
}


@pytest.mark.parametrize('name', list(DOT_MV_BMM))
@pytest.mark.parametrize('dtypes', [(torch.float32, torch.float32), (torch.float32, torch.float64),
                                    (torch.int64, torch.int64), (torch.bool, torch.bool)], ids=str)
def test_dot_mv_bmm(name, dtypes):
    """torch.dot / mv / bmm (functions and methods): rank, size, dtype checks and values."""
    fn = name.split('_')[0]
    (sa, sb), (da, db) = DOT_MV_BMM[name], dtypes
    a, b = sample(sa, da, seed=1), sample(sb, db, seed=2)
    check(lambda T, x, y: getattr(T, fn)(x, y), a, b, rtol=1e-5, atol=1e-5, match_message=True)
    check(lambda T, x, y: getattr(x, fn)(y), a, b, rtol=1e-5, atol=1e-5, match_message=True)


@pytest.mark.parametrize('name', ['dot', 'mv', 'bmm'])
def test_dot_mv_bmm_gradients(name):
    sa, sb = DOT_MV_BMM[name]
    fn = lambda T, x, y: getattr(T, name)(x, y)  # noqa: E731
    check_grad(fn, sample(sa, 'float64', seed=1), sample(sb, 'float64', seed=2))
    check_grad(fn, sample(sa, 'complex128', seed=1), sample(sb, 'complex128', seed=2))
    gradchecks(fn, sample(sa, 'float64', seed=1), sample(sb, 'float64', seed=2))


ADJOINTS = {
    'mT': lambda T, a: a.mT, 'mH': lambda T, a: a.mH, 'adjoint': lambda T, a: T.adjoint(a),
    'adjoint_method': lambda T, a: a.adjoint(), 'H': lambda T, a: a.H,
}


@pytest.mark.parametrize('name', list(ADJOINTS))
@pytest.mark.parametrize('shape', [(3, 4), (2, 3, 4), (4,), ()], ids=str)
@pytest.mark.parametrize('dtype', [torch.float32, torch.complex64, torch.int64], ids=dtype_id)
def test_conjugate_transposes(name, shape, dtype):
    check(ADJOINTS[name], sample(shape, dtype, seed=3), exact=True, match_message=True)


@pytest.mark.parametrize('name', list(ADJOINTS))
def test_conjugate_transpose_gradients(name):
    check_grad(lambda T, a: ADJOINTS[name](T, a) * 2, sample((3, 4), 'complex128', seed=4))
    gradchecks(ADJOINTS[name], sample((3, 4), 'float64', seed=5))


def test_transposes_of_0d_warn_once_each():
    """mT, mH, H and adjoint() of a 0-D tensor: TORCH_WARN_ONCE deprecations, one per name."""
    import subprocess
    import sys
    script = ('import warnings; warnings.simplefilter("always"); import {0} as T; x = T.tensor(1.);'
              'x.mT; x.mT; x.mH; x.H; x.adjoint(); x.adjoint()')
    outputs = [subprocess.run([sys.executable, '-c', script.format(name)], capture_output=True,
                              text=True).stderr.splitlines() for name in ('torch', 'ember')]
    # the warnings, not the source line Python 3.13 prints under each
    warned = [[line.split('Warning: ')[-1] for line in output if 'Warning: ' in line]
              for output in outputs]
    assert warned[1] == warned[0]
    assert len(warned[0]) == 4


# matmul with an operand of 3 or more dims: torch's _matmul_impl folds the batched operand
# into an mm or mv (b transposed: then the result is CloneBackward0, or TransposeBackward0
# where it has a dim of size 1 or 0) when the other operand requires grad, or when a is not
# 2-D and the batched operand's batch dims fold without a copy; else it runs a bmm. Which
# kernel runs decides the shape and dtype errors and the result's grad_fn.
FOLDS = [((3,), (3, 1, 2)), ((1,), (4, 1, 2)), ((3,), (4, 3, 2)), ((3,), (4, 4, 2)),
         ((2, 3), (1, 3, 1)), ((2, 3), (4, 3, 5)), ((2, 3), (4, 3, 1)), ((1, 3), (4, 3, 5)),
         ((2, 3), (0, 3, 5)), ((2, 3), (4, 4, 5)), ((2, 3), (2, 4, 3, 5)), ((4, 2, 3), (3,)),
         ((4, 2, 3), (4,)), ((4, 2, 3), (3, 5)), ((4, 2, 3), (4, 5)), ((0, 2, 3), (3, 5)),
         ((2, 4, 2, 3), (3, 1)), ((1, 2, 3), (4, 3, 5)), ((4, 2, 3), (1, 3, 5)),
         ((1, 2, 3), (4, 4, 5)), ((4, 2, 3), (1, 4, 5)), ((1, 2, 1), (4, 1, 1)),
         ((4, 2, 3), (2, 3, 5)), ((4, 2, 3), (4, 3, 5))]
# How a batched operand of a shape is made from a leaf: (the leaf's shape, the view of it)
LAYOUTS = {
    'contiguous': lambda s: (s, lambda t: t),
    'mT': lambda s: (s[:-2] + (s[-1], s[-2]), lambda t: t.mT),
    'batch_transposed': lambda s: ((s[1], s[0]) + s[2:], lambda t: t.transpose(0, 1)),
    'expanded': lambda s: ((1,) + s[1:], lambda t: t.expand(s)),
    'sliced': lambda s: ((2 * s[0],) + s[1:], lambda t: t[::2]),
    'sliced_columns': lambda s: (s[:-1] + (2 * s[-1],), lambda t: t[..., ::2]),
}
FOLD_DTYPES = [(torch.float32, torch.float32), (torch.float64, torch.int64),
               (torch.int64, torch.float64), (torch.float16, torch.float16),
               (torch.bool, torch.bool)]


def _operand(shape, dtype, layout):
    """A leaf of integer values (exact products) and the operand of ``shape`` viewed from it."""
    leaf_shape, view = LAYOUTS[layout](shape) if len(shape) > 2 else (shape, lambda t: t)
    leaf = torch.arange(math.prod(leaf_shape)).reshape(leaf_shape).remainder(5).sub(2).to(dtype)
    return leaf, view


def _node_name(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def _same_matmul(sa, sb, da, db, grads, layout, mode):
    """a @ b in torch and ember: the same error (type and message), or the same values,
    grad_fn name, view-ness and gradients of the leaves."""
    (leaf_a, view_a), (leaf_b, view_b) = _operand(sa, da, layout), _operand(sb, db, layout)
    outcomes = []
    for lib in (torch, ember):
        leaves = [to_ember(t) if lib is ember else t.clone() for t in (leaf_a, leaf_b)]
        for leaf, needs in zip(leaves, grads):
            leaf.requires_grad_(needs)
        a, b = view_a(leaves[0]), view_b(leaves[1])
        try:
            if mode == 'grad':
                result = a @ b
            else:
                with lib.no_grad():
                    out = None if mode == 'no_grad' else lib.empty(0, dtype=a.dtype)
                    result = lib.matmul(a, b, out=out)
        except Exception as error:  # noqa: BLE001 - compared with torch's
            outcomes.append(error)
            continue
        outcome = [result, _node_name(result), result._base is not None, result.stride()]
        if result.requires_grad:
            (result * lib.arange(result.numel()).reshape(result.shape).to(result.dtype)).sum() \
                .backward()
            outcome += [leaf.grad for leaf in leaves]
        outcomes.append(outcome)
    t_out, e_out = outcomes
    if isinstance(t_out, Exception):
        assert isinstance(e_out, Exception), f'torch raised {t_out!r}, ember returned {e_out}'
        assert_same_exception(e_out, t_out)
        assert_same_message(e_out, t_out)
    else:
        assert not isinstance(e_out, Exception), f'ember raised {e_out!r}'
        if not t_out[0].numel():
            t_out.pop(3), e_out.pop(3)   # ember's empty tensors have contiguous strides
        assert_same(e_out, t_out, exact=da is not torch.float16)


@pytest.mark.parametrize('layout', list(LAYOUTS))
@pytest.mark.parametrize('shapes', FOLDS, ids=str)
def test_matmul_folds_as_torch(shapes, layout):
    """Errors, grad_fn names, views, strides, values and gradients of batched matmul by rank,
    layout, dtypes and which operand requires grad (also under no_grad, and with out=)."""
    sa, sb = shapes
    for (da, db), mode in itertools.product(FOLD_DTYPES, ('grad', 'no_grad', 'out')):
        if da is not db and 0 in sa + sb:
            continue   # torch's bmm skips its dtype check without work: not reproduced
        for grads in itertools.product(*[(False, True) if d.is_floating_point else (False,)
                                         for d in (da, db)]):
            _same_matmul(sa, sb, da, db, grads, layout, mode)


# The kernel each matmul runs (operands made by torch.ones, or by a function of the library)
KERNELS = {'dot': ((3,), (3,)), 'mv': ((2, 3), (3,)), 'mm_1d': ((3,), (3, 2)),
           'mm': ((2, 3), (3, 2)), 'folded_mv': ((4, 2, 3), (3,)), 'folded_mm': ((4, 2, 3), (3, 2)),
           'transposed_folded_mv': ((1,), (4, 1, 2)), 'bmm_1d': ((3,), (4, 3, 2)),
           'bmm_2d': ((2, 3), (4, 3, 2)), 'bmm': ((4, 2, 3), (4, 3, 2)),
           'bmm_vector': (lambda T, d: T.ones(4, 3, 2, dtype=d).mT, (3,)),
           'bmm_matrix': (lambda T, d: T.ones(4, 3, 2, dtype=d).mT, (3, 2))}
F32, F64, I64, BOOL = torch.float32, torch.float64, torch.int64, torch.bool


@pytest.mark.parametrize('kernel', list(KERNELS))
@pytest.mark.parametrize('dtypes', [(F32, F32, F64), (F32, F64, F32), (F32, F64, F64),
                                    (F64, F32, F32), (I64, F32, F32), (F64, I64, F32),
                                    (BOOL, BOOL, BOOL), (BOOL, BOOL, F32), (F32, BOOL, BOOL)],
                         ids=str)
@pytest.mark.parametrize('out_shape', ['empty', 'result'])
def test_out_errors_by_kernel(kernel, dtypes, out_shape):
    """matmul(out=) of operand or out= dtypes that differ: the error of the kernel torch runs
    (addmv takes out= as an input where it has the result's shape already: folded mv resizes
    it first), and the same for the bad operand shape."""
    (sa, sb), (da, db, do) = KERNELS[kernel], dtypes

    def fn(T, da, db, do, bad=False):
        a = sa(T, da) if callable(sa) else T.ones(sa, dtype=da)
        shape = sb[:-2] + (sb[-2] + bad, sb[-1]) if len(sb) > 1 else (sb[0] + bad,)
        b = T.ones(shape, dtype=db)
        result_shape = T.matmul(T.ones(a.shape), T.ones(sb)).shape
        out = T.empty(0 if out_shape == 'empty' else result_shape, dtype=do)
        return T.matmul(a, b, out=out), out.shape
    check(fn, da, db, do, match_message=True)
    check(lambda T, *dtypes: fn(T, *dtypes, bad=True), da, db, do, match_message=True)
    if kernel in ('dot', 'mv', 'mm', 'bmm'):
        check(lambda T, da, db, do: getattr(T, kernel)(T.ones(sa, dtype=da), T.ones(sb, dtype=db),
                                                       out=T.empty(0, dtype=do)),
              da, db, do, match_message=True)


@pytest.mark.parametrize('name, shapes', [('matmul', ((2, 3), (4, 2))), ('matmul', ((), (3,))),
                                          ('mm', ((3,), (3, 2))), ('mm', ((2, 3), (4, 2))),
                                          ('mv', ((2, 3), (4,))), ('dot', ((3, 2), (3,))),
                                          ('bmm', ((2, 2, 3), (3, 3, 2)))], ids=str)
@pytest.mark.parametrize('needs_grad', ['input', 'other', 'out', 'no_grad'])
def test_out_with_requires_grad(name, shapes, needs_grad):
    """out= with an argument that requires grad: each function's own error, before its other
    checks (after matmul's 0-D check); under no_grad, the checks of the kernel that runs."""
    def fn(T):
        a, b, out = T.ones(shapes[0]), T.ones(shapes[1]), T.empty(0)
        {'input': a, 'other': b, 'out': out, 'no_grad': a}[needs_grad].requires_grad_()
        with T.set_grad_enabled(needs_grad != 'no_grad'):
            return getattr(T, name)(a, b, out=out)
    check(fn, match_message=True)


@pytest.mark.parametrize('other_shape', [(4, 3, 1), (4, 3, 5), (0, 3, 5)], ids=str)
def test_transposed_fold_results(other_shape):
    """2-D (requiring grad) @ batched: torch's result is the transposed mm result copied
    (CloneBackward0), or where that is contiguous already, a view of it (TransposeBackward0):
    an in-place write then goes through CopySlices."""
    a, b = sample((2, 3), 'float64', seed=1), sample(other_shape, 'float64', seed=2)

    def fn(T, a, b):
        a.requires_grad_()
        c = a @ b
        names = [type(c.grad_fn).__name__, c._base is not None, c.is_contiguous()]
        if c._base is not None:   # (ember's CloneBackward0 is one node, with both edges)
            names.append(type(c._base.grad_fn).__name__)
        c.mul_(2)
        names += [type(c.grad_fn).__name__,
                  [type(node).__name__ for node, _ in c.grad_fn.next_functions]]
        (c * c).sum().backward()
        return c, names, a.grad
    check(fn, a, b, rtol=1e-12, atol=1e-12)
    gradchecks(lambda T, x, y: x @ y, a, b)


@pytest.mark.parametrize('shapes', [((), (3,)), ((), ()), ((3,), (3,)), ((2, 3), (3, 1)),
                                    ((2, 2, 3), (3,))], ids=str)
@pytest.mark.parametrize('out_shape', [None, (), (2,), (2, 2)], ids=str)
def test_mv_rank_errors(shapes, out_shape):
    """mv of operands of the wrong ranks: a 0-D input is an IndexError (torch sizes addmv's
    input by its size(0)); addmv's rank error counts the dims of a 0-D out= as its input's."""
    def fn(T):
        out = None if out_shape is None else T.empty(out_shape)
        return T.mv(T.ones(shapes[0]), T.ones(shapes[1]), out=out)
    check(fn, match_message=True)
    if out_shape is None:
        check(lambda T: T.ones(shapes[0]).mv(T.ones(shapes[1])), match_message=True)


@pytest.mark.parametrize('name, shape', [('matmul', (2, 3)), ('mm', (2, 3)), ('mm', (3,)),
                                         ('bmm', (2, 3)), ('dot', (3,)), ('dot', (2, 3)),
                                         ('mv', (2, 3)), ('mv', (3,))], ids=str)
@pytest.mark.parametrize('other', [2, 2.5, None, [1.0, 2.0, 3.0], 'numpy'], ids=str)
def test_second_operand_not_a_tensor(name, shape, other):
    """A second operand that is not a tensor: torch's parser's TypeError (position 1 in the
    method, 2 in the function), before any check of the first operand's rank."""
    def value():
        return np.ones(3) if other == 'numpy' else other
    check(lambda T: getattr(T, name)(T.ones(shape), value()), match_message=True)
    check(lambda T: getattr(T.ones(shape), name)(value()), match_message=True)


@pytest.mark.parametrize('name, shapes', [('matmul', ((2, 3), (3,))), ('matmul', ((), (3,))),
                                          ('mm', ((2, 3), (3, 2))), ('bmm', ((2, 2, 3), (2, 3, 2))),
                                          ('dot', ((3,), (3,))), ('mv', ((2, 3), (3,)))], ids=str)
@pytest.mark.parametrize('out', [3, [1.0], 'numpy'], ids=str)
def test_out_not_a_tensor(name, shapes, out):
    """An out= that is not a tensor: torch's parser's TypeError, before any other check (its
    text where torch lists mm's and bmm's overloads is a known difference)."""
    def fn(T):
        return getattr(T, name)(T.ones(shapes[0]), T.ones(shapes[1]),
                                out=np.ones(2) if out == 'numpy' else out)
    check(fn, match_message=name not in ('mm', 'bmm'))


@pytest.mark.parametrize('shapes, out', [
    (((2, 2, 3), (3, 2)), lambda T: T.zeros(2, 2, 2).mT),
    (((2, 2, 3), (3, 2)), lambda T: T.zeros(2, 2, 2).transpose(0, 1)),
    (((2, 2, 3), (3,)), lambda T: T.zeros(2, 2).t()),
    (((2, 2, 2, 3), (3,)), lambda T: T.zeros(2, 2, 2).transpose(0, 2)),
    (((2, 2, 3), (3, 2)), lambda T: T.zeros(2, 2, 4)[..., ::2]),
    (((1, 2, 3), (3, 2)), lambda T: T.zeros(1, 2, 2).mT),
    (((2, 2, 3), (3, 2)), lambda T: T.zeros(2, 4).t()),
    (((2, 2, 3), (4, 2)), lambda T: T.zeros(2, 2, 2).mT),
    (((3,), (2, 3, 2)), lambda T: T.zeros(2, 2).t()),
    (((2, 2, 3), (2, 3, 2)), lambda T: T.zeros(2, 2, 2).mT)], ids=str)
def test_folded_out_not_viewable(shapes, out):
    """A folded matmul's out= of the result's shape that can't be viewed folded: torch's mm or
    mv writes into a copy, and copying that back fails to broadcast (a RuntimeError); where it
    can be viewed, or is resized, or the product is a bmm, out= is written."""
    def fn(T):
        o = out(T)
        return T.matmul(T.ones(shapes[0]), T.ones(shapes[1]), out=o) is o, o, o.stride()
    check(fn, match_message=True)


@pytest.mark.parametrize('shapes', [((5,), (2, 5, 4)), ((3, 5), (2, 5, 4)), ((1, 3, 5), (2, 5, 4)),
                                    ((1, 5), (2, 5, 4)), ((3, 5), (2, 5, 1)), ((5,), (2, 5, 1)),
                                    ((3, 5), (2, 2, 5, 4))], ids=str)
@pytest.mark.parametrize('create_graph', [False, True])
def test_folded_second_gradient_strides(shapes, create_graph):
    """1-D or 2-D @ batched, both requiring grad: torch folds the batched operand transposed
    (an mm or mv of b.mT), so its gradient is b.mT's transposed back: strides of a transpose."""
    a, b = sample(shapes[0], 'float64', seed=1), sample(shapes[1], 'float64', seed=2)

    def fn(T, a, b):
        a.requires_grad_(), b.requires_grad_()
        c = a @ b
        grads = T.autograd.grad(c, (a, b), T.ones_like(c), create_graph=create_graph)
        return [(g, g.stride(), g.is_contiguous()) for g in grads]
    check(fn, a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('out_shape', [(), (1,), (2,), (1, 2), (2, 2), (0,)], ids=str)
def test_out_of_vector_times_matrix(out_shape):
    """1-D @ 2-D with out=: torch writes mm's (1, n) result into out= (resized to that shape,
    with its warning where out= has elements), then squeezes it to (n,)."""
    def fn(T):
        out = T.zeros(out_shape)
        version = out._version
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = T.matmul(T.ones(3), T.ones(3, 2), out=out)
        return (result is out, out, out.stride(), out._version - version,
                [str(w.message) for w in caught])
    check(fn)
