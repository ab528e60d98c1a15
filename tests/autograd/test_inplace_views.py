"""Views, in-place ops and version counters against torch: memory sharing, _version bumps,
saved-tensor checks, leaf errors, and gradients through in-place writes to non-leaves,
their views and chains of views."""
import warnings

import numpy as np
import pytest
import torch

from helpers import assert_same, check, gradchecks, make, rand, raises_same, run_both
import ember

LIBS = (torch, ember)

VIEWS = {
    'view': lambda v: v.view(6, 2),
    'reshape': lambda v: v.reshape(2, 6),
    'slice': lambda v: v[1:],
    'select': lambda v: v[1],
    'step_slice': lambda v: v[:, ::2],
    'transpose': lambda v: v.transpose(0, 1),
    't': lambda v: v.t(),
    'permute': lambda v: v.permute(1, 0),
    'unsqueeze': lambda v: v.unsqueeze(0),
    'squeeze': lambda v: v.unsqueeze(1).squeeze(1),
    'view_as': lambda v: v.view_as(v),
    'narrow': lambda v: v.narrow(1, 1, 2),
    'flatten': lambda v: v.flatten(),
    'detach': lambda v: v.detach(),
}


# ------------------------------------------------------------------ memory sharing

@pytest.mark.parametrize('name', sorted(VIEWS))
def test_views_share_memory(name):
    results = []
    for lib in LIBS:
        base = lib.arange(12.0).reshape(3, 4)
        v = VIEWS[name](base)
        v.mul_(10)
        results.append((base, base._version, v._version))
    assert_same(*results)


@pytest.mark.parametrize('name', sorted(VIEWS))
def test_write_to_base_visible_in_view(name):
    results = []
    for lib in LIBS:
        base = lib.arange(12.0).reshape(3, 4)
        v = VIEWS[name](base)
        base.add_(100)
        results.append((v, v._version))
    assert_same(*results)


def test_expand_shares_memory_and_write_raises():
    results = []
    for lib in LIBS:
        base = lib.arange(3.0)
        e = base.expand(2, 3)
        base[0] = 7
        results.append(e)
    assert_same(*results)
    raises_same(lambda t, x: x.expand(2, 3).add_(1), rand(3), requires_grad=False,
                match_message=False)


def test_reshape_copy_does_not_share():
    results = []
    for lib in LIBS:
        base = lib.arange(6.0).reshape(2, 3)
        r = base.t().reshape(6)
        r.add_(1)
        results.append((base, r, base._version))
    assert_same(*results)


def test_is_view_and_base():
    for lib in LIBS:
        base = lib.arange(6.0)
        v = base.view(2, 3)[0]
        assert v._base is base
        assert base._base is None
        assert base.clone()._base is None


# ------------------------------------------------------------------ version counter

INPLACE = {
    'add_': lambda t: t.add_(1),
    'add_alpha': lambda t: t.add_(t, alpha=2),
    'sub_': lambda t: t.sub_(1),
    'mul_': lambda t: t.mul_(2),
    'div_': lambda t: t.div_(2),
    'zero_': lambda t: t.zero_(),
    'fill_': lambda t: t.fill_(3),
    'copy_': lambda t: t.copy_(t * 0 + 5),
    'clamp_': lambda t: t.clamp_(0.5, 1.5),
    'clamp_min': lambda t: t.clamp_(min=0.5),
    'neg_': lambda t: t.neg_(),
    'exp_': lambda t: t.exp_(),
    'pow_': lambda t: t.pow_(2),
    'iadd': lambda t: t.__iadd__(1),
    'imul': lambda t: t.__imul__(2),
    'isub': lambda t: t.__isub__(1),
    'itruediv': lambda t: t.__itruediv__(2),
    'setitem': lambda t: t.__setitem__(0, 0.0),
    'setitem_slice': lambda t: t.__setitem__(slice(1, None), 2.0),
    'setitem_mask': lambda t: t.__setitem__(t > 1, 0.0),
    'setitem_tensor': lambda t: t.__setitem__(1, t[0] * 3),
    'masked_fill_': lambda t: t.masked_fill_(t > 1, 0.0),
}


@pytest.mark.parametrize('name', sorted(INPLACE))
def test_inplace_bumps_version_and_values(name):
    results = []
    for lib in LIBS:
        x = make(lib, rand(3, 2, low=0.1, high=2.0), requires_grad=False)
        v = x[0]
        r = INPLACE[name](x)
        results.append((r is x, x, x._version, v._version))
    assert_same(*results)


def test_version_starts_at_zero_and_out_of_place_keeps_it():
    for lib in LIBS:
        x = lib.ones(3)
        y = x + 1
        assert (x._version, y._version) == (0, 0)


def test_no_grad_inplace_on_leaf_allowed_and_bumps_version():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        with lib.no_grad():
            x.mul_(2)
            x[0] = 1.0
        results.append((x, x._version, x.requires_grad, x.is_leaf))
    assert_same(*results)


# ------------------------------------------------------------------ saved tensor modified

SAVED = {
    'exp_output': lambda t, x: (lambda y: (y.add_(1), y)[1])(x.exp()),
    'mul_input': lambda t, x: (lambda h: (lambda y: (h.add_(1), y)[1])(h * h))(x * 2),
    'pow_input': lambda t, x: (lambda h: (lambda y: (h.mul_(2), y)[1])(h ** 2))(x + 0),
    'sqrt_output': lambda t, x: (lambda y: (y.mul_(2), y)[1])((x * x).sqrt()),
    'matmul_input': lambda t, x: (lambda h: (lambda y: (h.zero_(), y)[1])(h @ h))(x * 1),
    'setitem_input': lambda t, x: (lambda h: (lambda y: (h.__setitem__(0, 0.0), y)[1])(h * h))(x * 2),
}


@pytest.mark.parametrize('name', sorted(SAVED))
def test_modified_saved_tensor_raises(name):
    raises_same(lambda t, x: SAVED[name](t, x).sum().backward(), rand(3))


def test_modified_saved_leaf_raises():
    def fn(t, x):
        w = make(t, rand(3, seed=1))
        y = x * w
        with t.no_grad():
            w.add_(1)
        y.sum().backward()
    raises_same(fn, rand(3))


def test_modified_constant_raises():
    def fn(t, x):
        w = make(t, rand(3, seed=1), requires_grad=False)
        y = x * w
        w.add_(1)
        y.sum().backward()
    raises_same(fn, rand(3))


def test_modified_tensor_not_saved_is_fine():
    # add saves nothing: modifying its inputs afterwards does not matter
    def fn(t, x):
        h = x * 1
        y = h + 2
        w = t.ones(3)
        z = x + w
        w.add_(1)
        return (y + z).sum()
    run_both(fn, rand(3))


def test_modified_after_backward_with_retain():
    def fn(t, x):
        y = x.exp()
        s = y.sum()
        s.backward(retain_graph=True)
        y.add_(1)
        s.backward()
    raises_same(fn, rand(3))


# ------------------------------------------------------------------ leaf in-place errors

@pytest.mark.parametrize('name', ['add_', 'mul_', 'zero_', 'fill_', 'copy_', 'clamp_', 'iadd',
                                  'setitem', 'setitem_slice'])
def test_inplace_on_leaf_requiring_grad_raises(name):
    raises_same(lambda t, x: INPLACE[name](x), rand(3, 2))


def test_inplace_on_view_of_leaf_raises():
    raises_same(lambda t, x: x[0].add_(1), rand(3, 2))
    raises_same(lambda t, x: x.view(6).mul_(2), rand(3, 2))


def test_setitem_with_grad_value_into_leaf_raises():
    def fn(t, x):
        y = t.zeros(3, requires_grad=True)
        y[0] = x[0]
    raises_same(fn, rand(3))


# ------------------------------------------------------------------ gradients through in-place

GRAD_CASES = {
    'inplace_mul_nonleaf': lambda t, x: (lambda y: y.mul_(3) * y)(x * 2).sum(),
    'inplace_chain': lambda t, x: (x * 1).add_(1).mul_(x).exp_().sum(),
    'setitem_scalar': lambda t, x: (lambda y: (y.__setitem__(0, 0.0), y)[1])(x * 2).sum(),
    'setitem_row': lambda t, x: (lambda y: (y.__setitem__(1, 5.0), y * y)[1])(x * 2).sum(),
    'setitem_slice_tensor': lambda t, x: (lambda y: (y.__setitem__(slice(0, 2), x[1:] ** 2),
                                                      y * x)[1])(x * 1.5).sum(),
    'setitem_mask': lambda t, x: (lambda y: (y.__setitem__(y > 1, 0.0), y * y)[1])(x * 2).sum(),
    'setitem_index_list': lambda t, x: (lambda y: (y.__setitem__([0, 2], x[1] * 3),
                                                    y * y)[1])(x * 2).sum(),
    'view_inplace': lambda t, x: (lambda y: (y[1:].mul_(x[:-1]), y * y)[1])(x * 2).sum(),
    'view_of_view_inplace': lambda t, x: (lambda y: (y.view(3, 1)[0][0:].mul_(10), y.exp())[1])(
        x.reshape(3) * 1).sum(),
    'transpose_inplace': lambda t, x: (lambda y: (y.t()[0].mul_(2), y * y)[1])(
        x.reshape(1, 3) * 1).sum(),
    'base_inplace_after_view': lambda t, x: (lambda y: (lambda v: (y.mul_(3), v * v)[1])(y[:2]))(
        x * 2).sum(),
    'view_grad_after_base_inplace': lambda t, x: (lambda y: (lambda v: (y.add_(x), v)[1])(y[1:]))(
        x * 2).pow(2).sum(),
    'copy_into_view': lambda t, x: (lambda y: (y[0].copy_(x[2] * 4), y * x)[1])(x * 1).sum(),
    'zero_view': lambda t, x: (lambda y: (y[1:].zero_(), y * x)[1])(x * 1.5).sum(),
    'fill_view': lambda t, x: (lambda y: (y[:1].fill_(2.0), y * y)[1])(x * 1).sum(),
    'clamp_inplace': lambda t, x: (x * 3).clamp_(-1, 1).sum(),
    'iadd_tensor': lambda t, x: (lambda y: (y.__iadd__(x * x), y)[1])(x * 2).sum(),
    'inplace_on_unsqueeze_view': lambda t, x: (lambda y: (y.unsqueeze(0).mul_(2), y * y)[1])(
        x * 1).sum(),
    'inplace_on_leaf_detached_value': lambda t, x: (lambda y: (y.mul_(2), y * x)[1])(
        t.ones(3)).sum(),
    'setitem_leaf_no_grad_value': lambda t, x: (lambda y: (y.__setitem__(0, x[0] * 2),
                                                          y * x)[1])(t.zeros(3)).sum(),
    'two_views_same_base': lambda t, x: (lambda y: (y[:2].mul_(2), y[1:].add_(x[:2]),
                                                   y * y)[2])(x * 1).sum(),
    'view_used_before_inplace': lambda t, x: (lambda y: (lambda a: (y[0].mul_(5), a + y)[1])(
        y * 3))(x * 1).sum(),
}


@pytest.mark.parametrize('name', sorted(GRAD_CASES))
def test_inplace_gradients(name):
    run_both(GRAD_CASES[name], rand(3, low=0.2, high=1.5), rtol=1e-5, atol=1e-6)


def test_setitem_into_nonleaf_brief_example():
    def fn(t, x):
        y = x * 2
        y[0] = 0
        return y.sum()
    run_both(fn, rand(4))


def test_grad_fn_after_inplace():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        y.add_(1)
        a = y.grad_fn.name()
        z = x * 2
        z.mul_(x)
        b = z.grad_fn.name(), z.grad_fn.next_functions[0][0].name()
        results.append((a, b, y._version))
    assert results[0] == results[1]


def test_base_grad_fn_after_view_inplace_is_copyslices():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        y[1:].mul_(2)
        results.append((y.grad_fn.name(), y.requires_grad, y.is_leaf))
    assert results[0] == results[1]


def test_view_of_nonrequiring_base_gets_grad_from_inplace():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        base = lib.zeros(2, 3)
        v = base[0]
        v.copy_(x)
        flags = (base.requires_grad, v.requires_grad, base.is_leaf)
        (base * base).sum().backward()
        results.append((flags, x.grad))
    assert_same(*results)


def test_view_requires_grad_follows_base():
    for lib in LIBS:
        x = make(lib, rand(3))
        v = (x * 1)[0]
        assert v.requires_grad and not v.is_leaf
        w = make(lib, rand(3), requires_grad=False)[0]
        assert not w.requires_grad


def test_inplace_in_no_grad_on_nonleaf_then_backward():
    def fn(t, x):
        y = x * 2
        z = y + 1          # saves nothing
        with t.no_grad():
            y.mul_(10)
        return (z * y).sum()
    run_both(fn, rand(3))


def test_hook_registered_before_inplace_sees_old_grad():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        y.mul_(3)
        (y * y).sum().backward()
        results.append((seen, x.grad))
    assert_same(*results)


def test_retain_grad_after_inplace():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3))
        y = x * 2
        y.retain_grad()
        y.mul_(3)
        (y * y).sum().backward()
        results.append((y.grad, x.grad))
    assert_same(*results)


def test_out_argument_with_grad_raises():
    def fn(t, x):
        out = t.empty(3)
        t.mul(x, 2, out=out)
    raises_same(fn, rand(3))


def test_double_backward_through_inplace():
    results = []
    for lib in LIBS:
        x = make(lib, rand(3, low=0.5, high=1.0))
        y = x * 1
        y.mul_(x)
        y[0] = y[1] * 2
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        gg, = lib.autograd.grad(g.sum(), x)
        results.append((g, gg))
    assert_same(*results)


def test_views_made_without_grad_mode():
    """A view made under no_grad (or inference_mode) of a tensor that requires grad requires
    grad itself, as a leaf whose gradients go nowhere; writing it in place in grad mode is
    torch's error, whether the view or the other operand requires grad."""
    results = []
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            v, viewed_view, reshaped = x[:2], x[:2][:1], x.reshape(3)
        state = [v.requires_grad, v.is_leaf, viewed_view.requires_grad, reshaped.requires_grad]
        (v * 2).sum().backward()
        state += [v.grad is None, x.grad is None]
        with lib.inference_mode():
            state.append(x[:2].requires_grad)
        results.append(state)
    assert results[1] == results[0]
    for other in (2, [1., 1.]):
        def write(lib):
            with lib.no_grad():
                view = lib.ones(3, requires_grad=True)[:2]
            view.mul_(other if isinstance(other, int) else lib.tensor(other, requires_grad=True))
        raises_same(write)


def test_views_made_to_require_grad_keep_their_gradient():
    """A view of a tensor that doesn't require grad, made a leaf by requires_grad_() (in grad
    mode or not), keeps its .grad; only views of tensors that require grad made without grad
    mode drop theirs."""
    results = []
    for lib in (torch, ember):
        base = lib.ones(3)
        with lib.no_grad():
            made_without = base[:2]
        made_without.requires_grad_()
        made_with = lib.arange(12.).reshape(3, 4).requires_grad_()
        leaf = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            of_leaf = leaf[:2]
        for view in (made_without, made_with, of_leaf):
            (view * 2).sum().backward()
        results.append((made_without.grad, made_with.grad, of_leaf.grad, leaf.grad))
    assert_same(*results)


@pytest.mark.parametrize('fill', [lambda L, y: y.fill_(3), lambda L, y: y.fill_(L.tensor(3.)),
                                  lambda L, y: y.zero_(), lambda L, y: y.fill_(L.tensor([3.])),
                                  lambda L, y: y.__setitem__(0, 5) or y,
                                  lambda L, y: y.copy_(L.ones(3)), lambda L, y: y // 2])
def test_fill_and_copy_nodes_print_as_torch(fill):
    """fill_(number) is FillBackward2, fill_(0-d tensor) FillBackward3 (its value gets the
    gradient's sum); printed grad_fn names are class names (CopySlices, not
    torch::autograd::CopySlices)."""
    import re

    def filled(lib):
        x = lib.ones(3, requires_grad=True)
        value = lib.tensor(2., requires_grad=True)
        y = fill(lib, x * value)
        return re.sub(' at 0x[0-9a-f]+', '', repr(y))
    check(filled, match_message=True)


# ------------------------------------------------------------------ found by tests/test_fuzz.py

@pytest.mark.parametrize('code', [
    'T.tensor([], dtype=T.uint8).sub_(T.ones(2, 3))',               # NumPy's ValueError before
    'T.ones(1, 3, dtype=T.uint8).add_(T.ones(3, 3, dtype=T.bfloat16))',  # shape before dtype
])
def test_inplace_errors_worded_as_torch(code):
    check(lambda T: eval(code, {'T': T}), match_message=True)


@pytest.mark.parametrize('code', ['x.copy_(y)', 'x[0] = y[0]', 'x[:2].copy_(y[:2])'])
def test_integer_target_of_inplace_op_records_no_history(code):
    def run(T):
        x, y = T.zeros(3, dtype=T.int64), T.ones(3, requires_grad=True)
        exec(code, {'x': x, 'y': y})
        return x, x.requires_grad, x.grad_fn is None
    check(run, exact=True)


@pytest.mark.parametrize('dtype', ['bfloat16', 'complex64', 'float16'])
def test_version_error_names_the_type_as_c10(dtype):
    def run(T):
        a = T.ones(2, requires_grad=True, dtype=getattr(T, dtype))
        b = a.exp()
        c = b.exp()
        b.mul_(2)
        c.sum().abs().backward()
    check(run, match_message=True)


@pytest.mark.parametrize('code', [
    'v = x[0].flatten(); v.add_(x[0])', 'x.unsqueeze(0).add_(x)', 'x[1:].add_(x[:-1])',
    'x[1:3].mul_(x[3:])', 'x[::2].add_(x[1::2])', 'x.view(2, 3).add_(x.view(2, 3)[0])',
    'x.view(2, 3).add_(x.view(2, 3).t().t())', 'x[1:].copy_(x[:-1])', 'x.copy_(x)',
    'x[1:].clamp_(x[:-1])', 'x[1:].fill_(x[1])', 'x[1:].masked_fill_(x[1:] > 1, x[0])',
    'x[1:].masked_fill_(x[:-1] > 1, 0.)', 'x[1:].pow_(x[:-1])', 'x[1:] += x[:-1]',
    'y = x * 1; y[1:].add_(y[:-1])'])
def test_inplace_operand_overlapping_target(code):
    """torch refuses an operand that overlaps the written-to memory other than exactly (fuzz
    606, 1059); fill values are read as numbers first."""
    def fn(t):
        x = t.arange(6.)
        env = {'x': x.requires_grad_() if code.startswith('y') else x}
        exec(code, env)
        return env['x']
    check(fn, match_message=True)


@pytest.mark.parametrize('write', [
    lambda T, y: y.__setitem__((0, slice(1, None)), 7.0),         # a view written: CopySlices
    lambda T, y: y.__setitem__(T.tensor([[True, False, True]] * 2), 7.0),   # index_put_
    lambda T, y: y.__setitem__((T.tensor([1, 0]), 2), 7.0),
])
def test_overwritten_elements_get_zero_gradient_even_for_infinite_grad(write):
    """torch writes zeros into the gradient of overwritten elements; grad * 0 would be nan
    where the incoming gradient is inf (fuzzer seed 2056)."""
    results = []
    for T in (torch, ember):
        x = T.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
        y = x * 1
        write(T, y)
        y.backward(T.tensor([[float('inf'), 1.0, float('-inf')], [2.0, float('inf'), 3.0]]))
        results.append(x.grad)
    assert_same(*results)


def test_view_made_before_its_base_required_grad():
    """Such a view requires grad once its base does, as a leaf whose gradient goes nowhere:
    ops on it record a node with a (None, 0) edge (fuzzer seeds 1277, 3364)."""
    results = []
    for T in (torch, ember):
        base = T.full((3, 1, 2), -1.5)
        whole, part = base[...], base[1:]
        base.requires_grad_()
        sliced, doubled = whole[1:5:2], part * 2
        (sliced.sum() + doubled.sum()).backward()
        results.append([(t.requires_grad, t.is_leaf, type(t.grad_fn).__name__)
                        for t in (whole, sliced, doubled)] +
                       [[type(n).__name__ for n, _ in doubled.grad_fn.next_functions],
                        base.grad])
    assert results[0] == results[1]


@pytest.mark.parametrize('read', ['', 'v - 1', 'v.grad_fn', 'v.requires_grad', 'v[0]', 'str(v)'])
@pytest.mark.parametrize('write', ['base.mul_(2)', 'v.mul_(2)', 'with T.no_grad(): base.mul_(2)'])
def test_view_whose_base_was_written_before_it_required_grad(read, write):
    """Reading such a view while its base doesn't require grad takes nothing from it: once
    the base requires grad, the view is re-derived from it (fuzzer seed 8712)."""
    def run(T):
        base = T.tensor([0.5, -1.5, 2.0], dtype=T.float64)
        v = base.flatten()[1:]
        namespace = {'T': T, 'base': base, 'v': v}
        exec(write, namespace)
        exec(read, namespace)
        base.requires_grad_()
        info = (v.requires_grad, v.is_leaf, type(v.grad_fn).__name__, v._version)
        (v * v).sum().backward()
        return info, base.grad
    check(run)


@pytest.mark.parametrize('write', ['b.mul_(w)', 'v.mul_(w)', 'b[0].mul_(w)', 'v[1] = w'])
@pytest.mark.parametrize('loss', ['v * 3', 'b * 3'])
def test_retain_grad_follows_a_view_to_its_regenerated_grad_fn(write, loss):
    def run(T):
        a = T.tensor([[0.5, -1.5], [2.0, 0.25]], dtype=T.float64, requires_grad=True)
        w = T.tensor(2.0, dtype=T.float64, requires_grad=True)
        b = a * 1
        v = b[:]
        v.retain_grad()
        exec(write, {'b': b, 'v': v, 'w': w})
        eval(loss, {'b': b, 'v': v}).sum().backward()
        return v.grad, a.grad, w.grad, type(v.grad_fn).__name__
    check(run)


def _tree(fn, depth=5):
    """grad_fn's next_functions as nested (name, output_nr) tuples."""
    if fn is None or depth == 0:
        return None
    return (fn.name(), tuple((_tree(n, depth - 1), nr) for n, nr in fn.next_functions))


@pytest.mark.parametrize('write', [
    'y[1:].mul_(2)', 'y[1:].mul_(w)', 'y[:, :2].mul_(w[:2])', 'y[0] = w', 'y[0] = 3.',
    'y[:, 1].add_(w[0], alpha=2)',
    'y[0, 1:].copy_(w[1:])', 'y.t()[1].clamp_(0.2, 0.5)', 'y[1:][0].mul_(w)',
    'y[0].zero_(); y[1].fill_(w.sum())'])
def test_copy_slices_structure_and_double_backward(write):
    """torch's CopySlices holds the in-place op's node (not in the graph): its edges are the
    base's and that node's other inputs' (the value's); gradients of gradients through it."""
    def run(T):
        x = T.tensor([[0.5, 0.25, 0.75], [0.6, 0.9, 0.3]], dtype=T.float64, requires_grad=True)
        w = T.tensor([0.4, 0.7, 0.2], dtype=T.float64, requires_grad=True)
        y = x * x
        exec(write, {'y': y, 'w': w})
        g = T.autograd.grad((y * y).sum(), (x, w), create_graph=True, materialize_grads=True)
        gg = T.autograd.grad((g[0] * g[0]).sum() + g[1].sum(), (x, w), materialize_grads=True)
        return _tree(y.grad_fn), g, gg
    check(run)


@pytest.mark.parametrize('chain', [
    'y[1:][0]', 'y.t()[1]', 'y.unsqueeze(0).expand(2, 2, 3)[1]', 'y.view(6)[2:].view(2, 2)',
    'y[:, None][0].t()', 'y.transpose(0, 1).reshape(6)[::2]', 'y[0].unsqueeze(1)[1:]'])
def test_regenerated_view_chain_is_one_as_strided_node(chain):
    """A view of a view, after an in-place write to its base, is regenerated as one
    AsStridedBackward0 node from the base (torch's as_strided): its structure, and gradients
    and gradients of gradients through it."""
    def run(T):
        x = T.tensor([[0.5, 0.25, 0.75], [0.6, 0.9, 0.3]], dtype=T.float64, requires_grad=True)
        y = x * x
        v = eval(chain, {'y': y})
        y.mul_(x)
        g, = T.autograd.grad((v * v).sum() + y.sum(), x, create_graph=True)
        gg, = T.autograd.grad((g * g).sum(), x)
        return _tree(v.grad_fn), v, g, gg
    check(run)


# ------------------------------------------------------------------ unbind: several views, one node

@pytest.mark.parametrize('code', [
    'a.add_(1)', 'a[0] = 5', 'a[0:2].add_(1)', 'a.view(3).add_(1)', 'a.unsqueeze(0).unsqueeze_(0)',
    'a.transpose_(0, 0)', 'b.mul_(w)', 'y.add_(1); a.mul_(2)', 'y.add_(1); a.grad_fn',
    'y.add_(1); a * 2', 'y.add_(1); str(a)', 'y.add_(1); a.requires_grad',
    'y.add_(1); a.is_leaf', 'y.add_(1); a.retain_grad()', 'with T.no_grad(): a.add_(1)',
    'with T.no_grad(): a.add_(1)\nresult.append(a.grad_fn)', 'for row in y: row.mul_(2)',
    'a.detach().add_(1)', 'a.requires_grad_(False)', 'a.detach_()'])
@pytest.mark.parametrize('base', ['leaf', 'non-leaf', 'not requiring grad'])
def test_outputs_of_unbind_refuse_inplace_writes(code, base):
    """unbind's outputs are views that are outputs of one node (torch's MULTI_OUTPUT_NODE
    views): in grad mode neither they nor views of them can be written in place, and after
    their base is written their grad_fn can't be re-derived."""
    def run(T):
        x = T.tensor([[0.5, 0.25, 0.75], [0.6, 0.9, 0.3]], requires_grad=base != 'not requiring grad')
        y = x * 1 if base == 'non-leaf' else x if base == 'leaf' else x.clone()
        w = T.ones(3, requires_grad=True)
        a, b = y.unbind()
        result = []
        exec(code, {'T': T, 'y': y, 'a': a, 'b': b, 'w': w, 'result': result})
        return repr(a), a._version, result
    check(run, match_message=True)


def test_outputs_of_unbind_made_in_no_grad_mode():
    def run(T):
        y = T.tensor([[0.5, 0.25], [0.6, 0.9]], requires_grad=True) * 1
        with T.no_grad():
            a, b = y.unbind()
        a.add_(1)
    check(run, match_message=True)


@pytest.mark.parametrize('dim', [0, 1, -1])
def test_unbind_is_one_node_with_an_output_per_slice(dim):
    def run(T):
        x = T.tensor([[0.5, 0.25, 0.75], [0.6, 0.9, 0.3]], dtype=T.float64, requires_grad=True)
        pieces = (x * x).unbind(dim)
        pieces[1].retain_grad()
        (pieces[1] * 3).sum().backward(retain_graph=True)   # the other outputs get no gradient
        g, = T.autograd.grad((pieces[0] * pieces[-1]).sum(), x, create_graph=True)
        gg, = T.autograd.grad((g * g).sum(), x)
        return ([(_tree(p.grad_fn), p.output_nr, p._base is not None, p.is_leaf, repr(p))
                 for p in pieces], x.grad, pieces[1].grad, g, gg)
    check(run)
    gradchecks(lambda T, x: T.stack([p * (i + 1) for i, p in enumerate(x.unbind(dim))]),
               torch.rand(2, 3))


def test_iterating_a_tensor_unbinds_it():
    def run(T):
        y = T.tensor([[0.5, 0.25], [0.6, 0.9]], requires_grad=True) * 2
        return [repr(row) for row in y], [row.output_nr for row in y]
    check(run)


# ------------------------------------------------------------------ views made in no_grad mode

@pytest.mark.parametrize('code', [
    'v.grad_fn', 'v * 2', 'str(v)', 'v.requires_grad', 'v.is_leaf', 'v.clone()', 'v.retain_grad()',
    'v.register_hook(lambda g: g)', 'str(v.requires_grad_(False))', 'v.detach()', 'v.output_nr',
    'v.add_(1)', 'with T.no_grad(): v * 2'])
@pytest.mark.parametrize('write', ['y.add_(1)', 'with T.no_grad(): y.add_(1)', 'v2.mul_(2)',
                                   'with T.no_grad(): v.mul_(2)', ''])
@pytest.mark.parametrize('base', ['leaf', 'non-leaf', 'not requiring grad'])
def test_views_made_in_no_grad_mode_after_their_base_is_written(code, write, base):
    """A view made in no_grad mode can't be re-derived after an in-place write to its base or
    another view of it: its grad_fn (and all that reads it) raises torch's error, and it
    prints as grad_fn=<Invalid>."""
    def run(T):
        x = T.tensor([0.5, 0.25, 0.75], requires_grad=base != 'not requiring grad')
        y = x * 1 if base == 'non-leaf' else x if base == 'leaf' else x.clone()
        with T.no_grad():
            v = y[0:2]
        v2 = y[1:]
        result = []
        namespace = {'T': T, 'y': y, 'v': v, 'v2': v2, 'result': result}
        try:
            exec(write, namespace)
        except RuntimeError as error:   # a write to the leaf itself
            result.append(str(error))
        exec(f'result.append({code})' if 'with' not in code else code, namespace)
        return [r if isinstance(r, (bool, int, str, T.Tensor)) else type(r).__name__
                for r in result], y._version
    check(run, match_message=True)


@pytest.mark.parametrize('made', ['with T.no_grad(): v = y[0:2]',
                                  'with T.inference_mode(): v = y[0:2]',
                                  'with T.inference_mode(): v = y[0:2]\nv = v[1:]',
                                  'with T.no_grad(): v = y[0:2]\nv = v[1:]',
                                  'with T.no_grad(): v = y[0:2]\nv = v.unbind()[0]',
                                  'v = y.unbind()[0]\nwith T.no_grad(): v = v[1:]',
                                  'with T.inference_mode(): v = y.unbind()[0]'])
@pytest.mark.parametrize('write', ['v.add_(1)', 'y.add_(1); v.grad_fn',
                                   'with T.no_grad(): v.add_(1)', 'v.add_(w)'])
@pytest.mark.parametrize('base', ['non-leaf', 'not requiring grad'])
def test_why_a_view_cant_be_written_is_kept_by_its_views(made, write, base):
    """A view made in no_grad or inference mode, or by unbind, and the views made of it,
    refuse in-place writes with torch's error for why (a view of such a view with a grad_fn
    says so)."""
    def run(T):
        y = T.tensor([[0.5, 0.25, 0.75], [0.6, 0.9, 0.3]], requires_grad=base == 'non-leaf') * 1
        w = T.ones(1, requires_grad=True)
        namespace = {'T': T, 'y': y, 'w': w}
        exec(made, namespace)
        exec(write, namespace)
        v = namespace['v']
        return repr(v), v._version, v.requires_grad
    check(run, match_message=True)


@pytest.mark.parametrize('write', ['x.mul_(2)', 'v.mul_(2)', 'x[0, 0] = 5.', ''])
def test_view_of_a_base_detached_in_place_is_regenerated_leading_nowhere(write):
    """A view made while its base required grad keeps requiring grad after the base is
    detached in place; once either is written, its grad_fn is re-derived as an
    AsStridedBackward0 whose edge leads nowhere, as torch's."""
    def run(T):
        x = T.tensor([[-0.5], [2.0], [-2.0]], dtype=T.float64, requires_grad=True)
        v = x.permute(1, 0)
        x.detach_()
        w = T.ones(3, dtype=T.float64, requires_grad=True)
        try:
            exec(write, {'x': x, 'v': v})
        except RuntimeError as error:
            return str(error)
        (v * w).sum().backward()
        return _tree(v.grad_fn), v.requires_grad, v.is_leaf, v, w.grad
    check(run, match_message=True)


@pytest.mark.parametrize('requires_grad', [False, True])
@pytest.mark.parametrize('code', [
    'x.fill_(1)', 'x.zero_()', 'x.fill_(True)', 'x.copy_(T.ones(3))', 'x.add_(1)', 'x.uniform_()',
    'x.clamp_(0, 1)', 'x.fill_(T.tensor(2.))', 'x.masked_fill_(m, 2.)',
    'x.masked_fill_(T.tensor([True, True, False]), T.tensor(2.))', 'x[0] = 5', 'x[...] = 5',
    'x[1:] = 5', 'x[0:1] = 5', 'x[0, None] = 5', 'x[m] = 5', 'x[m] = T.tensor(5.)', 'x[[0]] = 5',
    'x[[0, 1]] = T.tensor([1., 2.])', 'x[0].add_(1)', 'x.unsqueeze(0)[0, 1:].fill_(4)',
    'x += T.ones(3, 3)', 'x += T.ones(3, dtype=T.complex64)',
    # a copy of the tensor's own memory writes nothing (torch's copy_ returns early)
    'x.copy_(x)', 'x.copy_(x[:])', 'x.copy_(x.view(3))', 'x[...] = x', 'x[:] = x', 'x[None] = x',
    'x[:] = x[:]', 'x.copy_(x[None][0])', 'x.copy_(x.double())', 'x[:] = x.clone()'])
def test_writes_into_an_expanded_tensor(code, requires_grad):
    """Where elements of the written-to memory repeat (an expanded tensor), torch refuses
    in-place writes, except fill_ and zero_, and (with a deprecation warning) masked_fill_ and
    index_put_, which write only the elements they change; a part of an expanded tensor whose
    elements don't repeat takes any write."""
    def run(T):
        base = T.zeros(1, requires_grad=requires_grad) * 1 if requires_grad else T.zeros(1)
        x, m = base.expand(3), T.tensor([True, False, True])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', UserWarning)
            exec(code, {'T': T, 'x': x, 'm': m})
        return base, x._version, [str(w.message) for w in caught]
    check(run, match_message=True)


@pytest.mark.parametrize('op', [
    'a * b', 'a / b', 'a ** b', 'T.div(a, b, rounding_mode="floor")', 'T.remainder(a, b)',
    'a.clamp(min=b)', 'a.clamp(max=b)', 'a.clamp(b, b * 2)', 'a.dot(b)', 'a[None].mm(b[:, None])',
    'a[None, None].bmm(b[None, :, None])', 'a @ b.expand(2, 2)', 'a.expand(2, 2).mv(b)',
    'T.nn.functional.mse_loss(a, b)'])
def test_stale_saved_tensors_are_reported_in_torchs_order(op):
    """Where several saved tensors were modified in place, torch reports the first it unpacks:
    its generated code has them by argument name (other, exponent, mat2, min, max before
    self; self before tensor, vec, target)."""
    def run(T):
        a = T.tensor([1.5, 2.5], requires_grad=True) * 1
        b = T.tensor([0.5, 1.5], requires_grad=True) + 0
        out = eval(op, {'T': T, 'a': a, 'b': b})
        a.mul_(1)
        b.add_(0)
        out.sum().backward()
    check(run, match_message=True)


@pytest.mark.parametrize('code', ['v.mul_(2)', 'v.add_(v)', 'v.zero_()', 'v.copy_(T.ones(3, 2, 0))',
                                  'v[0] = 1', 'v += 1', 'v.masked_fill_(T.ones(3, 2, 0) > 0, 1.)'])
def test_writes_into_an_expanded_empty_tensor(code):
    """(fuzzer seed 19079) An empty tensor has no repeated elements, expanded or not: any
    write is taken (and writes nothing), as in torch."""
    def run(T):
        v = T.zeros(2, 0).expand(3, 2, 0)
        exec(code, {'T': T, 'v': v})
        return v, v._version
    check(run)


@pytest.mark.parametrize('write', [
    'y.view(-1)[0] = 0.', 'y.reshape(-1)[:2].mul_(3)', 'y.view(3, 2)[0].mul_(3)',
    'y.view(-1).mul_(2)', 'y.view(6, 1)[2:4].mul_(2)', 'y.unsqueeze(0).view(-1)[1:].zero_()',
    'y.flatten()[::2].mul_(2)', 'y[0, 0] = 0', 'y.t()[0].mul_(2)',
    'y.t().reshape(-1)[1:3].mul_(2)'])
def test_write_through_a_reshaping_view_then_a_transposed_gradient(write):
    """CopySlices lays the incoming gradient out as the base before it finds the view's region
    with the view's own ops (a transposed gradient could not be viewed so)."""
    def run(T):
        w = T.ones(2, 3, requires_grad=True)
        y = w * 2
        exec(write, {'y': y})
        (y.t() * T.arange(6.).reshape(3, 2)).sum().backward()
        return w.grad
    check(run, exact=True)


def test_write_through_a_reshaping_view_second_order():
    def run(T):
        w = T.tensor([[1., 2., 3.], [4., 5., 6.]], dtype=T.float64, requires_grad=True)
        y = w * w
        y.view(-1)[1:4].mul_(w.view(-1)[:3])
        g, = T.autograd.grad((y.t() * y.t()).sum(), w, create_graph=True)
        return g, T.autograd.grad(g.sum(), w)[0]
    check(run)
