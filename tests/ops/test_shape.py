"""Shape ops against torch: views, joins, copies, casts; values, dtypes, errors, gradients."""
import warnings

import numpy as np
import pytest
import torch

from helpers import ALL_TORCH_DTYPES, check, check_grad, dtype_id, gradchecks, raises_same, sample
import ember

VIEWS = {
    'reshape': lambda T, a: a.reshape(4, 6), 'reshape_tuple': lambda T, a: a.reshape((2, -1)),
    'reshape_fn': lambda T, a: T.reshape(a, (-1,)), 'view': lambda T, a: a.view(2, 12),
    'view_list': lambda T, a: a.view([6, -1]), 'view_size': lambda T, a: a.view(T.Size([24])),
    'transpose': lambda T, a: a.transpose(0, 2), 'transpose_fn': lambda T, a: T.transpose(a, -1, 0),
    'permute': lambda T, a: a.permute(2, 0, 1), 'permute_list': lambda T, a: a.permute([1, 2, 0]),
    'permute_fn': lambda T, a: T.permute(a, (2, 1, 0)), 't': lambda T, a: a[0].t(),
    't_fn': lambda T, a: T.t(a[0, 0]), 'expand': lambda T, a: a[:, :1].expand(2, 5, 4),
    'expand_neg': lambda T, a: a[:1].expand(3, -1, -1, -1),
    'squeeze': lambda T, a: a[:, :1].squeeze(), 'squeeze_dim': lambda T, a: a[:, :1].squeeze(1),
    'squeeze_nonone': lambda T, a: a.squeeze(0), 'squeeze_dims': lambda T, a: a[:1, :1].squeeze((0, 1)),
    'unsqueeze': lambda T, a: a.unsqueeze(1), 'unsqueeze_neg': lambda T, a: T.unsqueeze(a, -1),
    'unsqueeze_end': lambda T, a: a.unsqueeze(3), 'clone': lambda T, a: a.clone(),
    'clone_fn': lambda T, a: T.clone(a.t() if a.ndim == 2 else a.transpose(0, 1)),
    'contiguous_view': lambda T, a: a.transpose(0, 1).reshape(-1),
    'mT': lambda T, a: a.mT, 'flatten': lambda T, a: a.flatten(),
    'swapaxes': lambda T, a: a.swapaxes(0, 1), 'expand_as': lambda T, a: a[:1].expand_as(a),
}


@pytest.mark.parametrize('name', list(VIEWS))
def test_views(name):
    for dtype in (torch.float32, torch.int64, torch.bool, torch.complex64, torch.bfloat16):
        check(VIEWS[name], sample((2, 3, 4), dtype, seed=1), exact=True)


@pytest.mark.parametrize('name', [n for n in VIEWS if n not in ('t', 't_fn')])
def test_view_gradients(name):
    check_grad(VIEWS[name], sample((2, 3, 4), 'float32', seed=2))


@pytest.mark.parametrize('name', ['reshape', 'transpose', 'permute', 'expand', 'squeeze_dim',
                                  'unsqueeze', 'clone', 'mT', 'contiguous_view'])
def test_view_gradcheck(name):
    gradchecks(VIEWS[name], sample((2, 3, 4), 'float64', seed=3))


def test_views_share_memory():
    def fn(T, a):
        a = a.clone()
        v = a.view(6, 4)
        t = a.transpose(0, 1)
        v[0, 0] = 100
        t[2, 1, 3] = -5
        a.unsqueeze(0)[0, 1, 1, 1] = 7
        return a, v, t, a._version if T is torch else a._version
    check(fn, sample((2, 3, 4), 'float32'))


@pytest.mark.parametrize('view', ['t.view(())', 't.reshape(())', 't.expand(())', 't.expand_as(t)',
                                  't[...]', 't[None]', 't.squeeze()', 't.unsqueeze(0)',
                                  't.expand(2)', 't.expand(1, 1)', 't.flatten()', 't.t()',
                                  't.permute(())', 't.detach()', 't.view_as(t)'])
def test_views_of_0d_tensors_share_memory(view):
    def fn(T):
        t = T.tensor(1.5)
        v = eval(view)
        t.add_(1)
        return v
    check(fn)


@pytest.mark.parametrize('reshape', [
    'x.reshape(3, 2)', 'x.t().reshape(6)', 'x.t().reshape(3, 2)', 'x[:, 1:].reshape(4)',
    'x[:, 1:2].reshape(2)', 'x[:, 1:2].flatten()', 'x.flatten()', 'x[:, 0].reshape(1, 2)',
    'x[0].reshape(3)', 'e.reshape(1, 3)', 'e.view(1, 3)', 'y.t().reshape(4)',
    'y.expand(4, 3)[:, :1].reshape(4)', 'x.t().unsqueeze(0).flatten(0, 1)',
    'x.t().reshape_as(x.t())', 'x[:, ::2].reshape(4)', 'z.reshape(2)'])
def test_reshape_names_its_node_as_torch(reshape):
    """torch's reshape: view of a contiguous tensor, _reshape_alias of another whose memory
    allows it (ReshapeAliasBackward0), else a copy (UnsafeViewBackward0)."""
    def fn(T):
        x = T.ones(2, 3, requires_grad=True) * 1
        e = T.tensor(1., requires_grad=True).expand(3)
        y = T.ones(4, 1, requires_grad=True) * 1
        z = T.ones(2, requires_grad=True).expand(2)
        result = eval(reshape)
        result.sum().backward()
        return result, type(result.grad_fn).__name__
    check(fn)


@pytest.mark.parametrize('code', [
    'T.cat((x, y), out=x)', 'T.cat((x, y), out=y)', 'T.cat((y, z), out=z[:2, :])',
    'T.cat((y, z), out=z[2:])', 'T.cat((y, z), out=T.empty(8, 6))', 'T.cat((y,), out=y)',
    'T.cat((y[:2], y[2:]), out=y)', 'T.cat((x,), out=x)', 'T.cat((x, x), out=x)',
    'T.stack((y, z), out=T.empty(2, 4, 6))'])
def test_cat_and_stack_out_overlap(code):
    """torch refuses an out= that shares memory with an input (a whole input too, unless the
    result is empty)."""
    def run(T):
        x, y, z = T.zeros(0), T.arange(24.).reshape(4, 6), T.zeros(4, 6)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')   # out= resized
            return eval(code)
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'T.cat([T.zeros(0)], 1)', 'T.cat([T.zeros(0), T.zeros(0, dtype=T.int64)], -5)',
    'T.cat([T.zeros(0), T.zeros(2, 3)], 1)', 'T.cat([T.zeros(0), T.zeros(2)], 1)'])
def test_cat_of_1d_empty_tensors_checks_no_dim(code):
    """torch skips 1-d empty tensors in cat, and where all are, wraps no dim."""
    check(lambda T: eval(code), match_message=True)


ERRORS = {
    'view_bad': lambda T, a: a.view(5, 5), 'view_two_infer': lambda T, a: a.view(-1, -1),
    'view_noncontig': lambda T, a: a.transpose(0, 1).view(-1),
    'reshape_bad': lambda T, a: a.reshape(7, -1), 'reshape_neg': lambda T, a: a.reshape(-2, 12),
    'transpose_oob': lambda T, a: a.transpose(0, 3), 'permute_short': lambda T, a: a.permute(0, 1),
    'permute_dup': lambda T, a: a.permute(0, 0, 1), 't_3d': lambda T, a: a.t(),
    'expand_bad': lambda T, a: a.expand(3, 3, 4), 'expand_fewer': lambda T, a: a.expand(3, 4),
    'expand_lead_neg': lambda T, a: a.expand(-1, 2, 3, 4), 'squeeze_oob': lambda T, a: a.squeeze(3),
    'unsqueeze_oob': lambda T, a: a.unsqueeze(5), 'expanded_write': lambda T, a: a[:1].expand(4, 3, 4).add_(1),
}


@pytest.mark.parametrize('name', list(ERRORS))
def test_errors(name):
    check(ERRORS[name], sample((2, 3, 4), 'float32'))


# -------------------------------------------------------------------- cat / stack

@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_cat_stack_dtypes(dtype):
    a = sample((2, 3), dtype, seed=1)
    for other in (torch.float32, torch.int64, torch.bool, dtype):
        b = sample((2, 3), other, seed=2)
        check(lambda T, x, y: T.cat([x, y]), a, b, exact=True)
        check(lambda T, x, y: T.cat((x, y), dim=1), a, b, exact=True)
        check(lambda T, x, y: T.stack([x, y]), a, b, exact=True)
        check(lambda T, x, y: T.stack((x, y, x), dim=-1), a, b, exact=True)


def test_cat_stack_shapes_and_errors():
    a, b, c = sample((2, 3), 'float32', seed=1), sample((4, 3), 'float32', seed=2), sample((2, 5), 'float32', seed=3)
    check(lambda T, x, y: T.cat([x, y]), a, b)
    check(lambda T, x, y: T.cat([x, y], 1), a, c)
    check(lambda T, x, y: T.cat([x, y], 1), a, b)
    check(lambda T, x, y: T.cat([x, y], -1), a, c)
    check(lambda T, x, y: T.cat([x, y], 2), a, b)
    check(lambda T, x, y: T.cat([x, T.empty(0)]), a, b)
    check(lambda T, x, y: T.cat([x]), a, b)
    check(lambda T, x, y: T.cat([]), a, b)
    check(lambda T, x, y: T.cat([x, y[0]]), a, b)
    check(lambda T, x, y: T.cat(x), a, b)
    check(lambda T, x, y: T.stack([x, y]), a, b)
    check(lambda T, x, y: T.stack([x, x], 3), a, b)
    check(lambda T, x, y: T.stack([x, x], -3), a, b)
    check(lambda T, x, y: T.stack([]), a, b)
    check(lambda T, x, y: T.stack([T.tensor(1.0), T.tensor(2.0)]), a, b)
    check(lambda T, x, y: T.concat([x, x]), a, b)


def test_cat_stack_out():
    a, b = sample((2, 3), 'float32', seed=1), sample((2, 3), 'float32', seed=2)

    def fn(T, x, y):
        out = T.empty(0)
        assert T.cat([x, y], out=out) is out
        out2 = T.empty(0)
        T.stack([x, y], 1, out=out2)
        return out, out2
    check(fn, a, b)


def test_cat_stack_gradients():
    a, b = sample((2, 3), 'float32', seed=1), sample((4, 3), 'float32', seed=2)
    check_grad(lambda T, x, y: T.cat([x, y, x]), a, b)
    check_grad(lambda T, x, y: T.stack([x, y[:2]], 1), a, b)
    check_grad(lambda T, x, y: T.cat([x, y.double()]), a, b)
    gradchecks(lambda T, x, y: T.cat([x * y[:2], y], 0), sample((2, 3), 'float64'), sample((4, 3), 'float64'))
    gradchecks(lambda T, x, y: T.stack([x, y * x], 2), sample((2, 3), 'float64'), sample((2, 3), 'float64'))


# -------------------------------------------------------------------- casts

CASTS = ['float', 'double', 'long', 'int', 'bool', 'half', 'bfloat16', 'short', 'byte', 'char']


@pytest.mark.parametrize('dtype', ALL_TORCH_DTYPES, ids=dtype_id)
def test_casts(dtype):
    x = sample((3, 4), dtype, seed=1, low=-100, high=100)
    for name in CASTS:
        if dtype.is_complex:
            continue  # complex -> real casts discard the imaginary part with a warning
        if name in ('byte', 'char', 'short', 'int', 'long') and dtype.is_floating_point:
            continue  # out-of-range float -> int is undefined behaviour in C++
        check(lambda T, a: getattr(a, name)(), x, exact=True)
    for target in ALL_TORCH_DTYPES:
        if target.is_complex or not (dtype.is_complex or (dtype.is_floating_point and not target.is_floating_point and target != torch.bool)):
            check(lambda T, a, d: a.to(d), x, target, exact=True)
            check(lambda T, a, d: a.to(dtype=d), x, target, exact=True)


def test_cast_semantics():
    x = torch.tensor([-2.7, -0.5, 0.0, 0.4, 1.5, 2.5, 100.9])
    check(lambda T, a: a.long(), x, exact=True)
    check(lambda T, a: a.int(), x, exact=True)
    check(lambda T, a: a.bool(), x, exact=True)
    check(lambda T, a: a.to(T.float64).to(T.float32), x, exact=True)
    check(lambda T, a: a.to(a) is a, x)
    check(lambda T, a: a.to(T.float32) is a, x)
    check(lambda T, a: a.float() is a, x)
    check(lambda T, a: a.to(T.float32, copy=True) is a, x)
    check(lambda T, a: a.to('cpu') is a, x)
    check(lambda T, a: a.to(T.tensor([1], dtype=T.int32)), x)
    check(lambda T, a: a.to('cpu', T.float64), x)


def test_cast_gradients():
    x = sample((3,), 'float32')
    check_grad(lambda T, a: a.double() * 2, x)
    check_grad(lambda T, a: a.half().float(), x)
    check_grad(lambda T, a: a.to(T.complex64).abs(), x)
    check(lambda T, a: a.requires_grad_().long().requires_grad, x)
    gradchecks(lambda T, a: a.double().to(T.complex128).abs() * a, sample((3,), 'float64'))


INPLACE_VIEWS = {
    'squeeze_': lambda y: y.squeeze_(),
    'squeeze_dim': lambda y: y.squeeze_(1),
    'squeeze_dims': lambda y: y.squeeze_((1,)),
    'unsqueeze_': lambda y: y.unsqueeze_(0),
    'transpose_': lambda y: y.transpose_(0, 2),
    'swapdims_': lambda y: y.swapdims_(0, 2),
    'swapaxes_': lambda y: y.swapaxes_(-1, 0),
    't_': lambda y: y.squeeze_().t_(),
}


def _inplace_view_outcome(lib, fn, of_view):
    """Shape, strides, version step, grad_fn name and leaf gradient after an in-place view
    op on a non-leaf tensor (or on a view of one)."""
    x = lib.ones(2, 1, 3, requires_grad=True)
    y = x * lib.arange(6.).reshape(2, 1, 3)
    if of_view:
        y = y[0:1]
    version = y._version
    r = fn(y)
    (r * lib.arange(float(r.numel())).reshape(r.shape)).sum().backward()
    return (r is y, tuple(r.shape), r.stride(), y._version - version,
            type(r.grad_fn).__name__, x.grad.flatten().tolist())


@pytest.mark.parametrize('of_view', [False, True], ids=['tensor', 'view'])
@pytest.mark.parametrize('name', sorted(INPLACE_VIEWS))
def test_inplace_view_ops(name, of_view):
    import ember
    fn = INPLACE_VIEWS[name]
    assert _inplace_view_outcome(ember, fn, of_view) == _inplace_view_outcome(torch, fn, of_view)


def test_inplace_view_op_on_leaf_and_saved_tensor():
    check(lambda T, w: w.t_(), sample((2, 3), 'float32'), requires_grad=True)
    check(lambda T, x: (lambda a: (a * a, a.t_())[0].sum().backward())(x * 2),
          sample((2, 3), 'float32'), requires_grad=True)
    check(lambda T, x: x.clone().unsqueeze_(0), sample((3,), 'float32'))


@pytest.mark.parametrize('expression', [
    lambda L: L.ones(2, 3) + L.ones(3, 2), lambda L: L.ones(4, 2, 3) * L.ones(5, 1, 3),
    lambda L: L.ones(2, 3, 4) @ L.ones(5, 4, 2),
    lambda L: L.ones(3, 4).masked_fill(L.ones(2, 1) > 0, 1),
    lambda L: L.broadcast_shapes((2, 3), (3, 2)),
    lambda L: L.broadcast_shapes((2, 3), (2, 4), (5, 3)),
    lambda L: L.broadcast_shapes((1,), (-1,)), lambda L: L.broadcast_shapes(1.5)])
def test_broadcast_errors(expression):
    """Ops name the last mismatching dim, as ATen's infer_size; torch.broadcast_shapes words
    its errors its own way."""
    raises_same(expression)


@pytest.mark.parametrize('shapes', [((2,), (3, 1), (1, 1, 1)), (2, (3, 1), None), ([], (2,)), ()])
def test_broadcast_shapes(shapes):
    check(lambda L: L.broadcast_shapes(*shapes))


# -------------------------------------------------------------------- argument forms and checks

KEYWORD_FORMS = {
    'reshape_shape_kw': lambda T, a: a.reshape(shape=(4, -1)),
    'reshape_fn_shape_kw': lambda T, a: T.reshape(a, shape=(-1, 6)),
    'view_size_kw': lambda T, a: a.view(size=(4, 6)),
    'expand_size_kw': lambda T, a: a[:, :1].expand(size=(2, 5, 4)),
    'expand_implicit': lambda T, a: a[:, :1].expand(2, 3, 4, implicit=True),
    'permute_dims_kw': lambda T, a: T.permute(a, dims=(2, 0, 1)),
    'swapaxes_axis_kw': lambda T, a: T.swapaxes(a, axis0=0, axis1=2),
    'swapdims_dim_kw': lambda T, a: T.swapdims(a, dim0=0, dim1=-1),
    'narrow_kw': lambda T, a: T.narrow(a, dim=1, start=-2, length=2),
    'select_kw': lambda T, a: T.select(a, dim=-1, index=-1),
    'unbind_kw': lambda T, a: T.unbind(a, dim=-1),
}


@pytest.mark.parametrize('name', list(KEYWORD_FORMS))
def test_keyword_forms(name):
    check(KEYWORD_FORMS[name], sample((2, 3, 4), 'float32', seed=3), exact=True)


NARROWS = [(1, -2, 2), (1, -3, 3), (-1, 0, 4), (1, 3, 0), (1, -3, 0), (0, 1, 1),
           # errors: out-of-range start, start + length past the end, negative length
           (1, 4, 0), (1, -4, 1), (1, 2, 2), (1, 0, -1), (3, 0, 1), (1, 1, 3)]


@pytest.mark.parametrize('dim, start, length', NARROWS, ids=str)
def test_narrow_start_and_checks(dim, start, length):
    x = sample((2, 3, 4), 'float32', seed=4)
    check(lambda T, a: a.narrow(dim, start, length), x, exact=True, match_message=True)
    check(lambda T, a: T.narrow(a, dim, T.tensor(start), length), x, exact=True,
          match_message=True)


def test_narrow_gradient_with_negative_start():
    check_grad(lambda T, a: a.narrow(1, -2, 2) * 3, sample((2, 3, 4), 'float64', seed=5))


SHAPE_ERRORS = {
    'select_oob': lambda T, a: a.select(1, 3), 'select_oob_neg': lambda T, a: a.select(1, -4),
    'select_0d': lambda T, a: a[0, 0, 0].select(0, 0),
    'unbind_oob': lambda T, a: a.unbind(3), 'unbind_0d': lambda T, a: a[0, 0, 0].unbind(),
    'unbind_0d_oob': lambda T, a: a[0, 0, 0].unbind(1),
    'squeeze_dup': lambda T, a: a.reshape(1, 2, 1, 12).squeeze((0, 0)),
    'squeeze_dup_neg': lambda T, a: a.reshape(1, 2, 1, 12).squeeze((2, -2)),
    'flatten_0d_oob': lambda T, a: a[0, 0, 0].flatten(1),
    'flatten_0d_oob_end': lambda T, a: a[0, 0, 0].flatten(0, 1),
    'reshape_empty_ambiguous': lambda T, a: a[:0].reshape(0, -1),
    'view_empty_ambiguous': lambda T, a: a[:0].view(-1, 0),
    'permute_no_dims': lambda T, a: a[0, 0, 0].permute(),
}


@pytest.mark.parametrize('name', list(SHAPE_ERRORS))
def test_shape_errors(name):
    check(SHAPE_ERRORS[name], sample((2, 3, 4), 'float32', seed=6), match_message=True)


def test_flatten_0d_accepts_dims_0_and_minus_1():
    check(lambda T, a: (a.flatten(0, -1), a.flatten(-1)), torch.tensor(3.), exact=True)


# -------------------------------------------------------------------- cat / stack dtypes, out=

@pytest.mark.parametrize('op', ['cat', 'stack'])
@pytest.mark.parametrize('out_dtype', [torch.int64, torch.bool, torch.float16, torch.float32])
def test_join_out_dtype(op, out_dtype):
    """out= of a dtype the promoted inputs can't be cast to: torch's TypeError."""
    ints, floats = sample((2, 3), 'int64', seed=7), sample((2, 3), 'float32', seed=8)
    check(lambda T, a, b, d: getattr(T, op)([a, b], out=T.empty(0, dtype=d)), ints, floats,
          out_dtype, exact=True, match_message=True)


@pytest.mark.parametrize('op', ['cat', 'stack'])
def test_join_rejects_non_tensors(op):
    check(lambda T, a: getattr(T, op)([a, 1]), sample((2, 3), 'float32'), match_message=True)


def test_cat_promotes_with_skipped_empty_tensors():
    """1-d empty tensors are skipped by cat, but still take part in type promotion and get
    a gradient (an empty one)."""
    x = sample((2, 3), 'float32', seed=9)
    check(lambda T, a: T.cat([a, T.zeros(0, dtype=T.float64)]), x, exact=True)
    check(lambda T, a: T.cat([T.zeros(0, dtype=T.int64), a.long()], 1), x, exact=True)
    check_grad(lambda T, a, e: T.cat([a, e, a], 1), sample((2, 3), 'float64', seed=10),
               sample((0,), 'float64'))
    gradchecks(lambda T, a, e: T.cat([e, a]), sample((2, 3), 'float64', seed=11),
               sample((0,), 'float64'))


@pytest.mark.parametrize('start', [lambda T: T.tensor(True), lambda T: T.tensor([1]),
                                   lambda T: T.tensor(1.0), lambda T: T.tensor(1, dtype=T.int8)])
def test_narrow_tensor_start(start):
    """start may be a 0-dim integral tensor (not bool, float or with dims)."""
    check(lambda T, a: a.narrow(1, start(T), 1), sample((2, 3), 'float32'), exact=True,
          match_message=True)


# ------------------------------------------------------------------ found by tests/test_fuzz.py

@pytest.mark.parametrize('args', [(), (0,), (-1, -1), (1, 1)])
def test_flatten_of_one_dim_range_is_the_tensor_itself(args):
    for lib in (torch, ember):
        x = lib.ones(3, 2, requires_grad=True) * 1
        x = x[0] if not args or args[0] != 1 else x
        assert x.flatten(*args) is x


@pytest.mark.parametrize('case', [
    lambda T: T.tensor(1.).copy_(T.ones(2, 3)),
    lambda T: T.ones(1, 3, dtype=T.uint8).copy_(T.ones(3, 3, dtype=T.bfloat16)),
    lambda T: T.ones(3).copy_(T.ones(2)),
    lambda T: T.ones(2, 3).expand(3, 2),
    lambda T: T.ones(3, dtype=T.bool).expand(()),
    lambda T: T.ones(3, dtype=T.complex64).expand(()),
    lambda T: T.stack([T.ones(2, 3), T.ones(1)], 3),
])
def test_shape_errors_worded_and_ordered_as_torch(case):
    check(case, match_message=True)


def test_copy_gradient_to_overwritten_tensor_is_zero_for_infinite_grad():
    """copy_'s gradient for the overwritten tensor is torch's zeros_like(grad): 0 where the
    incoming gradient is inf or nan (grad * 0 gave nan)."""
    def grads(T, x, y):
        x, y = x.requires_grad_(), y.requires_grad_()
        x.clone().copy_(y).backward(T.tensor([float('inf'), float('nan'), 1.0]))
        return x.grad, y.grad
    check(grads, torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0, 6.0]))


@pytest.mark.parametrize('sizes', [(3,), (1, 3), (-1,), (1, 1, 3)])
def test_expand_that_repeats_nothing_is_a_writable_view(sizes):
    """Only an expand that repeats elements refuses in-place writes (fuzzer seeds 2093, 2414)."""
    def write(T):
        x = T.ones(3)
        x.expand(*sizes).mul_(2)
        return x
    check(write)
    check(lambda T: T.ones(3).expand(2, 3).add_(1), match_message=True)


@pytest.mark.parametrize('expression', [
    'x.t().clone()', 'x[:, ::2].clone()', 'x.t()[::2].clone()', 'x[None].expand(2, 2, 3).clone()',
    'x.t().contiguous()', 'x.t().clone(memory_format=T.contiguous_format)', 'T.clone(x.t())',
    'x.permute(1, 0)[:, None].clone()', 'x.t().reshape(6)', 'x.clone()'])
def test_clone_keeps_the_layout(expression):
    """clone (torch's preserve_format) lays the copy out as its input: a dense input's strides,
    else its dims in the order of their strides; contiguous() and contiguous_format are
    C-contiguous (found by the hooks sweep: x.t().clone().view(-1) raises in torch)."""
    def run(T):
        result = eval(expression, {'T': T, 'x': T.arange(6.).reshape(2, 3)})
        return result, result.stride(), result.is_contiguous()
    check(run)


def test_view_of_a_clone_of_a_transposed_tensor():
    check(lambda T: T.ones(2, 3).t().clone().view(-1), match_message=True)


@pytest.mark.parametrize('code', [
    't.broadcast_to(2, 2)', 't.broadcast_to((2, 2))', 't.broadcast_to([2, 2])',
    't.broadcast_to(size=(2, 2))', 't.broadcast_to(2)', 't.broadcast_to(2, -1)',
    't.broadcast_to(T.Size([3, 2]))', 'T.broadcast_to(t, (2, 2))', 'T.broadcast_to(t, 2, 2)',
    'T.broadcast_to(t, size=(2, 2))'])
def test_broadcast_to_sizes(code):
    """The method also takes the sizes one by one, the function doesn't."""
    check(lambda T: eval(code, {'T': T, 't': T.tensor([1, 2])}), match_message=True)


@pytest.mark.parametrize('code', [
    'x.view(T.int32)', 'x.view(T.float16)', 'x.view(T.float64)', 'x.view(T.uint8)',
    'x.view(T.bool)', 'x.view(T.complex64)', 'x.view(T.bfloat16)', 'x.view(dtype=T.int32)',
    'x.view(float)', 'x.view(T.float32)', 'x.t().view(T.int32)', 'x.t().view(T.float16)',
    'x[:, :1].view(T.float64)', 'T.tensor(1.).view(T.float16)', 'T.tensor(1.).view(T.int32)',
    'T.ones(3, dtype=T.int8).view(T.bool)', 'T.tensor([1, 2], dtype=T.int16).view(T.bool)',
    'T.ones(2, 3).view(T.float64)', 'T.ones(2, 4)[:, 1:3].view(T.float64)',
    'T.ones(2, 4)[:, 1:].view(T.float64)', 'T.ones(3, 4)[::2].view(T.float64)',
    'T.ones(4, 4)[::3].view(T.float64).stride()', 'T.ones(3, 2).t().view(T.int32).stride()',
    'T.ones(3, 2, dtype=T.float16).view(T.float32)', 'T.zeros(0, 4).view(T.float64)',
    'T.zeros(4, 0).view(T.float64)', 'x.view(T.float32) is x', 'T.ones(3, 4).t().view(T.float64)',
    'T.ones(8, 8)[:4, 1:5].t().view(T.float64)', 'T.ones(8, 8)[:, 1::2].view(T.float64)',
    'T.ones(1, 3, 1).permute(2, 1, 0).view(T.complex128)', 'T.ones(3, 4).t().view(T.int16)'])
def test_view_as_another_dtype(code):
    x = np.array([[1., 2.], [3., 4.]], np.float32)
    check(lambda T, x: eval(code, {'T': T, 'x': x}), x, exact=True, match_message=True)


def test_view_as_another_dtype_shares_memory_and_version_not_autograd():
    def run(T):
        x = T.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        y = x * 1
        v = y.view(T.int32)
        v.add_(1)
        with T.no_grad():
            w = x.view(T.float16)
        return (y, y._version, v._base is y, v.requires_grad, y.view(T.float32).requires_grad,
                w.requires_grad, w._base is x)
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    's.squeeze(0, 2)', 's.clone().squeeze_(0, 2)', 's.squeeze(0, 1)', 's.squeeze(0, True)',
    's.squeeze(-4, 2)', 's.squeeze(0, 0)', 's.clone().squeeze_(dim=0)', 's.squeeze(T.tensor(0))',
    's.squeeze(None)', 's.squeeze(dim=None)', 's.squeeze(True)', 's.squeeze(0, dim=2)',
    's.clone().squeeze_(None)', 's.squeeze(0, 1.0)', 's.squeeze(True, 2)', 's.squeeze(1.0, 2)',
    's.squeeze(None, 2)', 'T.squeeze(s, None)', 'T.squeeze(s, True)', 's.squeeze_(True)',
    's.squeeze(())', 's.squeeze((True,))', 's.squeeze([True])', 'T.squeeze(s, (True,))',
    's.squeeze(0, None)', 's.clone().squeeze_(0, dim=2)', "s.squeeze('a')", 's.squeeze(1.0)',
    's.squeeze(dim=1.0)', 'T.squeeze(s, 1.0)', 's.squeeze()', 'T.squeeze(input=s, dim=(0, 2))',
    's.squeeze((0, 2), 1)'])
def test_squeeze_dims_one_by_one_and_wrong_types(code):
    """Tensor.squeeze(0, 2) squeezes both dims (torch.squeeze takes no such call); None, bools
    and floats are no dim for torch's parser, except after the first of dims given one by one."""
    check(lambda T: eval(code, {'T': T, 's': T.ones(1, 2, 1, 3)}), match_message=True)


def test_squeeze_function_takes_no_dims_one_by_one():
    check(lambda T: T.squeeze(T.ones(1, 2, 1, 3), 0, 2))


@pytest.mark.parametrize('code', [
    'z.unsqueeze(True)', 'T.unsqueeze(z, True)', 'z.clone().unsqueeze_(True)', 'x.select(True, 0)',
    'x.select(0, True)', 'T.select(x, True, 0)', 'x.narrow(True, 0, 1)', 'x.narrow(0, True, 1)',
    'x.narrow(0, 0, True)', 'T.narrow(x, True, 0, 1)', 'T.narrow(x, 0, 0, True)',
    'x.narrow(0, T.tensor(0), True)', 'x.narrow(True, T.tensor(0), 1)', 'x.flatten(True)',
    'x.flatten(0, True)', 'T.flatten(x, 0, True)', 'x.unbind(True)', 'T.unbind(x, True)',
    'x.transpose(True, 0)', 'T.transpose(x, 0, True)', 'x.clone().transpose_(True, 0)',
    'x.swapaxes(0, True)', 'T.swapaxes(x, True, 0)', 'x.clone().swapaxes_(True, 0)',
    'x.swapdims(0, True)', 'x.clone().swapdims_(0, True)', 'x.expand(True, 2, 3)',
    'x.expand((True, 2, 3))', 'x.expand(True)', 'x.expand(2, True, 3)', 'x.reshape(True, 6)',
    'x.reshape((True, 6))', 'x.reshape(True)', 'x.reshape(6, True)', 'T.reshape(x, (True, 6))',
    'x.permute(True, 0)', 'x.permute((True, 0))', 'x.permute(True)', 'x.permute(0, True)',
    'T.permute(x, (True, 0))', 'T.permute(x, (0, True))', 'T.permute(z, 2, 0, 1)',
    'T.permute(z, (2, 0, 1))', 'T.permute(z, dims=(2, 0, 1))', 'z.permute(2, 0, 1)',
    'z.permute(dims=[2, 0, 1])', 'x.transpose(0, 1)', 'x.flatten(0, 1)', 'x.select(1, 2)'])
def test_bools_are_no_ints(code):
    """torch's parser takes no bool where it wants an int (or an int list's first item)."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3), 'z': T.ones(2, 3, 4)}),
          match_message=True)


@pytest.mark.parametrize('code', [
    'x.float(1)', 'x.double(1)', 'x.int(1)', 'x.long(1)', 'x.half(1)', 'x.bool(1)', 'x.byte(1)',
    'x.char(1)', 'x.short(1)', 'x.bfloat16(1)', 'x.float(T.contiguous_format)',
    'x.double(memory_format=T.contiguous_format)', 'x.contiguous(T.contiguous_format)',
    'x.contiguous(memory_format=T.contiguous_format)', 'x.is_contiguous(T.contiguous_format)',
    'x.is_contiguous(memory_format=T.contiguous_format)', 'T.as_tensor([1, 2], T.float64)',
    'T.as_tensor([1, 2], dtype=T.float64)'])
def test_keyword_only_arguments(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}))


@pytest.mark.parametrize('code', ['x.view()', 'x.reshape()', 'x.expand()', 'x.permute()',
                                  'x.view(size=(6,))', 'x.reshape(shape=(6,))',
                                  'x.expand(size=(2, 2, 3))'])
def test_no_size(code):
    check(lambda T: eval(code, {'T': T, 'x': T.ones(2, 3)}), match_message=True)
    check(lambda T: T.reshape(T.ones(2, 3)))   # (Python's wording: "missing ... argument: 'shape'")


@pytest.mark.parametrize('code', ['T.cat([x, y], out=x)', 'T.stack([x, y], out=x)',
                                  'T.cat([x, y], out=T.empty(0))', 'T.cat([x, y], out=T.empty(2))',
                                  'T.cat([x[:1], y], out=x)', 'T.stack([y, x[0]], 1, out=x)',
                                  'T.cat([x.t(), y.t()], 1, out=x)'])
def test_joined_out_resize_warnings(code):
    """torch resizes out= (warning where it has elements) before it checks the overlap."""
    caught = []
    for T in (torch, ember):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter('always')
            try:
                eval(code, {'T': T, 'x': T.ones(2, 3), 'y': T.ones(2, 3)})
            except RuntimeError:
                pass
        caught.append([str(w.message) for w in record])
    assert caught[0] == caught[1]


@pytest.mark.parametrize('code', [
    'x.view((True, 6))', 'x.view(6, True)', 'x.view([True, 6])', 'x.view(True, 6)', 'x.view(True)',
    'x.view(())', 'x.view(6)', 'x.view([])', 'x.sum((True,))', 'x.sum((0, True))',
    'x.mean((True,))', 'x.sum([True])'])
def test_view_and_reduction_dims_starting_with_a_bool(code):
    """torch checks an int list's first item."""
    _same_shape_or_whole_message(code)


def _same_shape_or_whole_message(code):
    """``code`` gives the same shape in both libraries, or the same error type and whole message
    (check compares first lines only)."""
    outcomes = []
    for T in (torch, ember):
        try:
            outcomes.append(eval(code, {'T': T, 'x': T.ones(2, 3)}).shape)
        except (TypeError, RuntimeError) as error:
            outcomes.append((isinstance(error, TypeError), str(error)))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize('code', [
    'T.broadcast_to(x, (True, 2, 3))', 'x.broadcast_to(True, 2, 3)', 'x.broadcast_to((True, 2, 3))',
    'x.broadcast_to(True)', 'T.broadcast_to(x, True)', 'x.broadcast_to(2, 2, 3)',
    'T.broadcast_to(x, size=[2, 2, 3])', 'x.broadcast_to(2, True, 3)', 'x.broadcast_to()'])
def test_broadcast_to_sizes_starting_with_a_bool(code):
    _same_shape_or_whole_message(code)


@pytest.mark.parametrize('code', [
    'x.expand((2, 3), size=(2, 3))', 'x.reshape((6,), shape=(6,))', 'T.reshape(x, (6,), 1)',
    'x.permute((1, 0), dims=(1, 0))', 'x.view((6,), size=(6,))',
    'x.broadcast_to((2, 3), size=(2, 3))', 'T.reshape(x, 6)', 'x.expand(2, 3, size=(2, 3))',
    'T.reshape(x, shape=[3, 2])', 'T.reshape(x, T.Size([6]))', 'x.reshape(6)',
    'x.reshape(shape=(6,))', 'x.view(size=(6,))'])
def test_sizes_given_twice_or_one_by_one_to_a_function(code):
    _same_shape_or_whole_message(code)


@pytest.mark.parametrize('code', [
    'x.t().unsqueeze(-1)', 'x[:, ::2].unsqueeze(2)', 'e.unsqueeze(-1)', 'o.unsqueeze(0)',
    'o.unsqueeze(1)', 'o.unsqueeze(-1)', 'x.t()[:, None].unsqueeze(3)', 'x.unsqueeze(1)',
    'o.view(-1, 1)', 'o.reshape(1, -1, 1)', 'o.flatten(0, 1)', 'x.t().reshape(4, 1, 3)',
    'x.view(1, 3, 1, 4)', 'o.squeeze(0)', 'o.squeeze((0, 2))', 'o.clone().unsqueeze_(0)',
    'x.expand(1, 3, 4)', 'x.expand(2, 1, 3, 4)', 'x.t().expand(1, 2, 1, 4, 3)',
    'x[:, None].expand(2, 3, 1, 4)', 'x.t()[:, None].expand(1, 4, 1, 3)', 'o.expand(1, 1, 3, 1)',
    'e.expand(1, 3, 4)', 'T.tensor(1.).expand(1, 1)', 'x.t().flatten(1).unsqueeze(0)'])
def test_strides_of_size_one_dims(code):
    """torch's strides of size-1 dims depend on how a dim was made (NumPy's don't): unsqueeze
    gives the size times the stride of the dim it comes before, a view ATen's computeStride,
    expand's new leading dims the size times the stride of the next dim."""
    def run(T):
        x = T.arange(12.).reshape(3, 4)
        e, o = x[:, :1].expand(3, 4), T.ones(1, 3, 1).permute(2, 1, 0)
        r = eval(code)
        return r, r.stride(), r.storage_offset(), r.is_contiguous()
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    'o.clone()', 'x[:1].permute(2, 0, 1).clone()', 'x[:1, :, :1].transpose(0, 2).clone()',
    'x[:, None].transpose(1, 3).clone()', 'x.unsqueeze(0).permute(3, 2, 0, 1).clone()',
    'o.contiguous()', 'o.clone(memory_format=T.contiguous_format)',
    'T.ones(2, 1, 3).transpose(0, 1).clone()', 'x.permute(1, 0, 2)[:, :1].clone()',
    'x[:, :1].permute(1, 0, 2).clone()', 'o.clone(memory_format=T.preserve_format)'])
def test_clone_keeps_strides_of_size_one_dims(code):
    """torch's clone of a dense input (preserve_format) keeps all of its strides."""
    def run(T):
        x, o = T.arange(24.).reshape(2, 3, 4), T.ones(1, 3, 1).permute(2, 1, 0)
        r = eval(code)
        return r, r.stride(), r.is_contiguous()
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    'x.view(2., 1)', 'x.reshape(2., 1)', 'x.expand(2., 1)', 'x.view((2., 1))', 'x.permute(0., 1)',
    'x.permute((0, 1.))', 'x.reshape([2, None])', 'x.view(2, None)', 'x.expand(2, "a")',
    'x.reshape(None)', 'x.view(None)', 'x.expand(None)', 'x.permute(None)',
    'T.permute(x, (0, 1.))', 'T.reshape(x, 2.)', 'x.broadcast_to(2, 1.)',
    'T.broadcast_to(x, (2, 1.))', 'x.reshape(shape=(2, 1.))', 'x.view(size=(2, 1.))',
    'x.reshape(2, T.tensor(1.))', 'x.reshape(2, np.float64(1))', 'x.reshape((2., 1))',
    'x.expand((2., 1))', 'T.reshape(x, (2., 1))', 'x.reshape([None])', 'x.view(None, 1)',
    'x.view(2.)', 'x.reshape(T.tensor(2.))', 'x.view(2, True)', 'x.view(T.tensor(2), 1)',
    'x.reshape(np.int64(2), 1)', 'x.reshape(2, 1, True)'])
def test_sizes_that_are_not_ints(code):
    """torch's parser checks the first item of an int list (else no overload matches), and
    fails to unpack a later one."""
    check(lambda T: eval(code, {'T': T, 'np': np, 'x': T.ones(2, 1)}), match_message=True)


@pytest.mark.parametrize('code', [
    'T.cat([x, x], 1.)', 'T.stack([x, x], 1.)', 'T.cat([x, x], None)', 'T.cat([x, x], "a")',
    'T.cat([x, x], True)', 'T.stack([x, x], True)', 'T.cat([x, x], T.tensor(0.))',
    'T.cat([x, x], np.int64(0))', 'T.stack([x, x], T.tensor(1))', 'T.cat(x, 1.)', 'T.stack([], 1.)'])
def test_join_dim_that_is_not_an_int(code):
    check(lambda T: eval(code, {'T': T, 'np': np, 'x': T.ones(2)}), match_message=True)


@pytest.mark.parametrize('code', [
    'x.view(-2, 6)', 'x.reshape(-3, -1)', 'x.view(-1, -2)', 'x.view(-1, -1, -2)',
    'x.view(-2, -1, -1)', 'x.view(12, -3, -1)', 'x.expand(-2, 12)', 'T.ones(1).expand(-2)',
    'T.tensor(1.).expand(-3, 2)', 'T.tensor(1.).expand(-1)', 'T.tensor(1.).expand(2, -1)',
    'T.tensor(1.).expand(-1, 2)', 'T.ones(2).expand(-1, 2)', 'T.ones(1).expand(-1, -1)'])
def test_negative_sizes(code):
    """torch checks a shape's dims in order (an invalid one named with its index); expand's
    negative sizes fail its numel."""
    check(lambda T: eval(code, {'T': T, 'x': T.ones(12)}), match_message=True)


@pytest.mark.parametrize('op', [
    'x.transpose({}, 0)', 'T.transpose(x, 0, {})', 'x.swapaxes({}, 0)', 'x.unsqueeze({})',
    'T.unsqueeze(x, {})', 'x.squeeze({})', 'x.select({}, 0)', 'x.select(0, {})',
    'T.select(x, 0, {})', 'x.narrow({}, 0, 1)', 'x.narrow(0, {}, 1)', 'x.narrow(0, 0, {})',
    'T.narrow(x, {}, 0, 1)', 'x.unbind({})', 'T.unbind(x, {})', 'x.flatten({})',
    'x.flatten(0, {})', 'T.flatten(x, {})', 'x.clone().transpose_({}, 0)',
    'x.clone().unsqueeze_({})', 'x.clone().squeeze_({})', 'T.stack([x, x], {})'])
@pytest.mark.parametrize('value', ['1.', 'None', 'True', 'T.tensor(1)', 'T.tensor(1.)',
                                   'np.int32(1)', '"a"', '(0,)', 'T.tensor([1])'])
def test_dims_and_indices_that_are_not_ints(op, value):
    """torch's parser takes an int (a NumPy int, a 0-d integer tensor; a SymInt such as select's
    index or narrow's length also a one-element integer tensor), and refuses the rest with its
    TypeError."""
    check(lambda T: eval(op.format(value), {'T': T, 'np': np, 'x': T.arange(12.).reshape(3, 4)}),
          match_message=True)


@pytest.mark.parametrize('code', [
    'T.cat([t, t])', 'T.cat([t, t], 1)', 'T.stack([t, t])', 'T.stack([t, t], 2)',
    'T.cat([x[:, ::2], x[:, 1::2]])', 'T.cat([t, x.t().contiguous()])', 'T.cat([c, c])',
    'T.cat([c, c], 1)', 'T.stack([c, c])', 'T.cat([c, c.contiguous()])', 'T.cat([p, p])'])
def test_join_layout(code):
    """torch's cat and stack give a contiguous result, unless every input is channels-last."""
    def run(T):
        x = T.arange(12.).reshape(3, 4)
        t, c = x.t(), T.arange(120.).reshape(2, 4, 5, 3).permute(0, 3, 1, 2)
        p = T.arange(120.).reshape(2, 4, 5, 3).permute(0, 3, 2, 1)
        r = eval(code)
        return r, r.stride()
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    's.squeeze((0,))', 's.squeeze((-1,))', 's.squeeze([0])', 'T.squeeze(s, (0,))',
    's.clone().squeeze_((0,))', 's.squeeze((0, 0))', 's.squeeze((1,))', 's.squeeze(0)'])
def test_squeeze_dims_of_0d(code):
    """A 0-d tensor's dims 0 and -1 squeeze to itself (a view)."""
    def run(T):
        s = T.tensor(3.)
        r = eval(code)
        return r, r.stride()
    check(run, match_message=True)
