"""ember.optim.Optimizer against torch.optim.Optimizer: groups, repr, state_dict, zero_grad."""
import numpy
import pytest
import torch

import ember
from helpers import assert_same, from_numpy_torch, to_ember, to_torch


def run_optimizer(lib, name, kwargs, shape, dtype, steps, seed=0):
    """Run lib.optim.<name> for `steps` steps on the same seeded params and gradients.

    Returns the final parameter (NumPy) and the optimizer."""
    rng = numpy.random.default_rng(seed)
    dt = getattr(lib, dtype)
    w = lib.tensor(rng.standard_normal(shape), dtype=dt, requires_grad=True)
    opt = getattr(lib.optim, name)([w], **kwargs)
    for _ in range(steps):
        scale = 10.0 ** rng.integers(-3, 3)
        w.grad = lib.tensor(rng.standard_normal(shape) * scale, dtype=dt)
        opt.step()
    return w.detach().numpy().copy(), opt


def _seeded_values(lib, dtype, seed):
    """(rng, values): a seeded NumPy generator, and values(shape, scale=1.0) making lib
    tensors of ``dtype`` from its normals (complex ones for complex dtypes), the same in both
    libraries."""
    rng = numpy.random.default_rng(seed)

    def values(shape, scale=1.0):
        v = rng.standard_normal(shape) * scale
        if dtype.startswith('complex'):
            v = v + 1j * rng.standard_normal(shape) * scale
        t = from_numpy_torch(v).to(getattr(torch, dtype))
        return t if lib is torch else to_ember(t)
    return rng, values


def run_steps(lib, name, kwargs, shapes, dtype, steps, seed=0, skip=None):
    """lib.optim.<name>(**kwargs) over seeded params of ``shapes`` and ``dtype`` (complex values
    for complex dtypes), `steps` steps; ``skip(step, i)`` leaves param i without a .grad.

    Returns the params and the optimizer."""
    rng, values = _seeded_values(lib, dtype, seed)
    ws = [values(shape).requires_grad_() for shape in shapes]
    opt = getattr(lib.optim, name)(ws, **kwargs)
    for step in range(steps):
        scale = 10.0 ** rng.integers(-2, 2)
        for i, (w, shape) in enumerate(zip(ws, shapes)):
            w.grad = None if skip and skip(step, i) else values(shape, scale)
        opt.step()
    return ws, opt


def assert_same_steps(name, kwargs, shapes, dtype, steps, exact_params=True, **options):
    """run_steps in both libraries: bit-identical state tensors and params (close params
    only, where torch's sqrt is not correctly rounded: not ``exact_params``)."""
    (t_ws, t_opt), (e_ws, e_opt) = (run_steps(lib, name, kwargs, shapes, dtype, steps, **options)
                                    for lib in (torch, ember))
    assert_same(e_ws, t_ws, exact=exact_params)
    t_state, e_state = t_opt.state_dict()['state'], e_opt.state_dict()['state']
    assert list(e_state) == list(t_state)
    for i, t_values in t_state.items():
        assert list(e_state[i]) == list(t_values)
        assert_same([e_state[i][k] for k in t_values], list(t_values.values()), exact=True)


def pair(values, requires_grad=True):
    return (torch.tensor(values, requires_grad=requires_grad),
            ember.tensor(values, requires_grad=requires_grad))


def both(make):
    """make(lib) for torch and ember: (torch result or exception, ember result or exception)."""
    out = []
    for lib in (torch, ember):
        try:
            out.append(make(lib))
        except Exception as error:  # compared by type and message
            out.append(error)
    return out


def assert_same_error(make):
    t, e = both(make)
    assert isinstance(t, Exception), t
    assert type(t) is type(e) and str(t) == str(e), (t, e)


@pytest.mark.parametrize('name,kwargs', [
    ('SGD', {}), ('SGD', dict(lr=0.1, momentum=0.9, nesterov=True)),
    ('Adam', {}), ('Adam', dict(lr=0.1, betas=(0.5, 0.6), amsgrad=True, foreach=False)),
])
def test_repr_and_state_dict_layout(name, kwargs):
    t, e = pair([1.0, 2.0])
    opts = [getattr(lib.optim, name)([p], **kwargs) for lib, p in ((torch, t), (ember, e))]
    assert repr(opts[0]) == repr(opts[1])
    assert opts[0].state_dict() == opts[1].state_dict()
    assert opts[0].defaults == opts[1].defaults


def test_repr_with_tensor_lr_and_groups():
    def make(lib):
        a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
        return repr(lib.optim.SGD([{'params': [a]}, {'params': b, 'lr': lib.tensor(0.1)}], lr=0.5))
    t, e = both(make)
    assert t == e


def test_state_dict_after_steps_and_round_trip():
    _, topt = run_optimizer(torch, 'Adam', dict(lr=0.1, amsgrad=True), (3, 1), 'float32', 3)
    _, eopt = run_optimizer(ember, 'Adam', dict(lr=0.1, amsgrad=True), (3, 1), 'float32', 3)
    ts, es = topt.state_dict(), eopt.state_dict()
    assert ts['param_groups'] == es['param_groups']
    assert ts['state'].keys() == es['state'].keys() == {0}
    assert list(ts['state'][0]) == list(es['state'][0])
    assert repr(es['state'][0]['step']) == repr(ts['state'][0]['step']) == 'tensor(3.)'
    w = ember.zeros(3, 1, requires_grad=True)
    fresh = ember.optim.Adam([w], lr=0.5)
    fresh.load_state_dict(es)
    assert fresh.param_groups[0]['lr'] == 0.1 and fresh.param_groups[0]['params'] == [w]
    state = fresh.state[w]
    assert state['step'].item() == 3.0
    numpy.testing.assert_array_equal(state['exp_avg'].numpy(), es['state'][0]['exp_avg'].numpy())


def test_load_state_dict_errors():
    def make(lib, groups):
        a = lib.tensor([1.0], requires_grad=True)
        opt = lib.optim.SGD([a])
        return opt.load_state_dict({'state': {}, 'param_groups': groups})
    assert_same_error(lambda lib: make(lib, []))
    assert_same_error(lambda lib: make(lib, [{'params': [0, 1]}]))
    assert_same_error(lambda lib: lib.optim.SGD([lib.ones(1, requires_grad=True)]).load_state_dict(None))


@pytest.mark.parametrize('name,kwargs', [
    ('Adam', {}), ('Adam', {'foreach': True}), ('Adam', {'fused': True}),
    ('Adam', {'fused': True, 'amsgrad': True, 'weight_decay': 0.1}),
    ('Adam', {'fused': True, 'weight_decay': 0.1, 'decoupled_weight_decay': True}),
    ('Adam', {'amsgrad': True, 'weight_decay': 0.1, 'decoupled_weight_decay': True}),
    ('SGD', {}), ('SGD', {'fused': True}), ('SGD', {'momentum': 0.9}),
    ('SGD', {'momentum': 0.9, 'foreach': True}),
    ('SGD', {'momentum': 0.5, 'nesterov': True, 'weight_decay': 0.1, 'fused': True})])
def test_versions_after_steps(name, kwargs):
    """The version counters of the parameter and its state after two steps: torch's fused
    kernels write without bumping them, the other paths once per in-place op."""
    versions = []
    for lib in (torch, ember):
        _, opt = run_optimizer(lib, name, dict(kwargs, lr=0.1), (3,), 'float32', steps=2)
        (w,) = opt.param_groups[0]['params']
        versions.append((w._version, {key: value._version for key, value in opt.state[w].items()}))
    assert versions[0] == versions[1]


def test_zero_grad():
    for set_to_none in (True, False):
        def make(lib):
            w = lib.tensor([1.0, 2.0], requires_grad=True)
            (w * w).sum().backward()
            lib.optim.SGD([w]).zero_grad(set_to_none=set_to_none)
            return None if w.grad is None else w.grad.tolist()
        t, e = both(make)
        assert t == e


def test_step_with_closure_returns_loss():
    def make(lib):
        w = lib.tensor([1.0, -2.0], requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1)

        def closure():
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        with lib.no_grad():
            loss = opt.step(closure)
        return loss.item(), w.tolist()
    t, e = both(make)
    assert t == e


@pytest.mark.parametrize('params', [
    lambda lib: lib.tensor([1.0]),
    lambda lib: [],
    lambda lib: [1.0],
    lambda lib: [lib.tensor([1.0], requires_grad=True) * 2],
    lambda lib: [{'params': {lib.tensor([1.0])}}],
    lambda lib: [('a', lib.tensor([1.0])), lib.tensor([2.0])],
])
def test_param_errors(params):
    assert_same_error(lambda lib: lib.optim.SGD(params(lib)))


def test_add_param_group():
    def make(lib):
        a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
        opt = lib.optim.Adam([a], lr=0.1)
        opt.add_param_group({'params': b, 'lr': 0.2})
        return repr(opt), opt.state_dict()['param_groups']
    t, e = both(make)
    assert t == e

    def overlap(lib):
        a = lib.tensor([1.0], requires_grad=True)
        lib.optim.Adam([a]).add_param_group({'params': [a]})
    assert_same_error(overlap)
    assert_same_error(lambda lib: lib.optim.Adam([lib.tensor([1.0])]).add_param_group([1]))


def test_named_parameters():
    def make(lib):
        opt = lib.optim.SGD([('w', lib.tensor([1.0], requires_grad=True))], lr=0.1)
        return opt.state_dict()['param_groups']
    t, e = both(make)
    assert t == e


def test_custom_optimizer_required_default():
    from ember.optim.optimizer import Optimizer, required

    class Plain(Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, dict(lr=lr))
    with pytest.raises(ValueError, match='required optimization parameter lr'):
        Plain([ember.tensor([1.0], requires_grad=True)])
    with pytest.raises(NotImplementedError):
        Plain([ember.tensor([1.0], requires_grad=True)], lr=0.1).step()


def test_step_hooks():
    """Pre hooks (global first) see (optimizer, args, kwargs) and may replace them; post hooks
    (global last) follow the step; handles remove them."""
    def closure():
        return 3

    def run(lib):
        from importlib import import_module
        module = import_module(lib.__name__ + '.optim.optimizer')
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        w.grad = lib.tensor([1.0, 1.0])
        opt = lib.optim.SGD([w], lr=0.1)
        log = []

        def note(entry):
            return lambda o, args, kwargs: log.append(entry(args, kwargs))
        handles = [
            opt.register_step_pre_hook(note(lambda args, kwargs: ('pre', len(args), kwargs))),
            opt.register_step_post_hook(note(lambda args, kwargs: ('post', kwargs))),
            module.register_optimizer_step_pre_hook(note(lambda args, kwargs: 'global pre')),
            module.register_optimizer_step_post_hook(note(lambda args, kwargs: 'global post')),
        ]
        try:
            opt.step()
            handles[0].remove()
            replace = opt.register_step_pre_hook(
                lambda o, args, kwargs: (args, {'closure': closure}))
            log.append(opt.step(closure=None))
            replace.remove()
            for handle in handles:
                handle.remove()
            opt.step()
            opt.register_step_pre_hook(lambda o, args, kwargs: 1)
            with pytest.raises(RuntimeError, match='must return None or a tuple'):
                opt.step()
        finally:
            for handle in handles:
                handle.remove()
        return log, w.tolist()
    assert run(ember) == run(torch)


def test_state_dict_hooks():
    """register_state_dict_pre/post_hook and register_load_state_dict_pre/post_hook: order
    (prepend), what they see, a post hook's returned dict, a load pre hook's returned dict,
    and removal by the handle."""
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        w.grad = lib.tensor([0.5, -0.5])
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9)
        opt.step()
        log = []
        handles = [
            opt.register_state_dict_pre_hook(lambda o: log.append('pre')),
            opt.register_state_dict_pre_hook(lambda o: log.append('pre first'), prepend=True),
            opt.register_state_dict_post_hook(
                lambda o, sd: log.append(('post', sorted(sd), sd['param_groups'][0]['lr']))),
            opt.register_state_dict_post_hook(lambda o, sd: dict(sd, extra=1)),
        ]
        sd = opt.state_dict()
        log.append(sorted(sd))

        def load_pre(o, sd):
            log.append(('load pre', sorted(sd)))
            groups = [dict(g, lr=0.5) for g in sd['param_groups']]
            return {'state': sd['state'], 'param_groups': groups}
        handles += [opt.register_load_state_dict_pre_hook(load_pre),
                    opt.register_load_state_dict_post_hook(
                        lambda o: log.append(('load post', o.param_groups[0]['lr']))),
                    opt.register_load_state_dict_post_hook(
                        lambda o: log.append('load post first'), prepend=True)]
        opt.load_state_dict(sd)
        for handle in handles:
            handle.remove()
        log.append(sorted(opt.state_dict()))
        opt.load_state_dict(sd)
        log.append((opt.param_groups[0]['lr'], [h.id - handles[0].id for h in handles]))
        return log
    assert run(ember) == run(torch)


def test_hooks_are_ordered_dicts_lost_on_copy():
    """The six hook tables are OrderedDicts keyed by handle id; copies and pickles of the
    optimizer start without hooks."""
    import copy
    import pickle

    def run(lib):
        opt = lib.optim.Adam([lib.tensor([1.0], requires_grad=True)])
        opt.register_step_pre_hook(print)
        opt.register_load_state_dict_post_hook(print)
        names = sorted(k for k in vars(opt) if k.startswith('_optimizer_'))
        copies = [copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))]
        return (names, [type(getattr(opt, k)).__name__ for k in names],
                [len(getattr(opt, k)) for k in names],
                [[len(getattr(c, k)) for k in names] for c in copies])
    assert run(ember) == run(torch)


def test_step_hooks_of_a_subclass_calling_super_step():
    """torch wraps each optimizer class's step with the hooks when an instance is made: a
    subclass whose step calls SGD.step runs the hooks twice once SGD itself was used."""
    def run(lib):
        lib.optim.SGD([lib.tensor([1.0], requires_grad=True)])

        class Mine(lib.optim.SGD):
            def step(self, closure=None):
                return super().step(closure)
        w = lib.tensor([1.0], requires_grad=True)
        opt = Mine([w], lr=0.1)
        calls = []
        opt.register_step_post_hook(lambda o, args, kwargs: calls.append(len(args)))
        w.grad = lib.tensor([1.0])
        opt.step()
        return calls, w.tolist(), getattr(Mine.step, 'hooked', None)
    assert run(ember) == run(torch)


def test_state_dict_ids_of_a_parameter_listed_twice():
    """A parameter listed twice gets the id of its last position (torch's pack_group), and
    ids count positions across groups."""
    import warnings

    def run(lib):
        a, b, c = (lib.tensor([float(i)], requires_grad=True) for i in range(3))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            opt = lib.optim.Adam([{'params': [a, b, a]}, {'params': [c]}])
        for p in (a, b, c):
            p.grad = lib.tensor([1.0])
        opt.step()
        sd = opt.state_dict()
        return [g['params'] for g in sd['param_groups']], sorted(sd['state']), \
            [sd['state'][i]['step'].item() for i in sorted(sd['state'])]
    assert run(ember) == run(torch)


def test_differentiable_steps_raise_like_torch():
    """differentiable=True: nothing to update is no error; a leaf parameter that requires
    grad raises torch's in-place error (ember supports no differentiable step)."""
    def run(lib, name, grad):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        if grad:
            w.grad = lib.tensor([1.0, 1.0])
        getattr(lib.optim, name)([w], differentiable=True).step()
        return w.tolist()
    for name in ('SGD', 'Adam'):
        assert run(ember, name, False) == run(torch, name, False)
        assert_same_error(lambda lib: run(lib, name, True))


def _groups_run(lib, name, groups, dtype, steps=50, seed=0):
    """lib.optim.<name> over three seeded params of ``dtype`` in ``groups`` (dicts of options
    and param positions), random grads of scales 1e-3..1e2 each step, each param left without
    a .grad every fourth step, the first group's lr changed halfway: the params and the state
    tensors after every step."""
    rng, values = _seeded_values(lib, dtype, seed)
    shapes = [(3, 1), (40,), (5, 7)]
    ws = [values(shape).requires_grad_() for shape in shapes]
    opt = getattr(lib.optim, name)([dict(g, params=[ws[i] for i in g['params']]) for g in groups])
    history = []
    for step in range(steps):
        scale = 10.0 ** rng.integers(-3, 3)
        for i, (w, shape) in enumerate(zip(ws, shapes)):
            grad = values(shape, scale)
            w.grad = None if (step + i) % 4 == 0 else grad
        if step == steps // 2:
            opt.param_groups[0]['lr'] *= 0.5
        opt.step()
        state = opt.state_dict()['state']
        history.append(([w.detach().clone() for w in ws],
                        {i: {k: v.clone() for k, v in s.items()} for i, s in state.items()}))
    return history


def _close_in_ulps(actual, expected, lr, ulps):
    """|actual - expected| within ``ulps`` units of the dtype's epsilon of |expected| + lr (an
    Adam step moves a parameter by about lr, so a parameter near 0 is compared at that scale)."""
    a = to_torch(actual) if isinstance(actual, ember.Tensor) else actual
    e = expected.detach()
    if e.is_complex():
        a, e = torch.view_as_real(a), torch.view_as_real(e)
    eps = torch.finfo(e.dtype).eps
    a, e = a.double(), e.double()
    assert ((a - e).abs() <= ulps * eps * (e.abs() + lr)).all(), (a - e).abs().max()


GROUP_CASES = [
    ('SGD', [dict(params=[0, 2], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
             dict(params=[1], lr=0.1, momentum=0.5, dampening=0.3, maximize=True)]),
    ('SGD', [dict(params=[0], lr=0.05, foreach=True, momentum=0.9),
             dict(params=[1, 2], lr=0.01, weight_decay=0.1)]),
    ('Adam', [dict(params=[0], lr=0.01, amsgrad=True, weight_decay=0.1),
              dict(params=[1, 2], lr=0.02, betas=(0.5, 0.7), maximize=True, foreach=True)]),
    ('Adam', [dict(params=[0, 1], lr=0.01, weight_decay=0.1, decoupled_weight_decay=True),
              dict(params=[2], lr=0.005, eps=1e-3, amsgrad=True, foreach=False)]),
]


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16', 'float32', 'float64', 'complex64',
                                   'complex128'])
@pytest.mark.parametrize('name,groups', GROUP_CASES, ids=str)
def test_fifty_steps_of_groups_match_torch(name, groups, dtype):
    """50 steps, two groups with different options, params without a .grad on some steps and
    an lr changed halfway: SGD's params and state, and Adam's at 16 bits, bit-identical at
    every step; Adam's float32/float64 (and complex) params within a few ulps (torch's sqrt
    is not correctly rounded), and without coupled weight decay (the only path from the
    params to the moments) its moments bit-identical."""
    expected, actual = (_groups_run(lib, name, groups, dtype) for lib in (torch, ember))
    exact = name == 'SGD' or dtype in ('float16', 'bfloat16')
    moments_exact = exact or not any(g.get('weight_decay') and not g.get('decoupled_weight_decay')
                                     for g in groups)
    for (t_params, t_state), (e_params, e_state) in zip(expected, actual):
        if exact:
            assert_same(e_params, t_params, exact=True)
        else:
            for e, t in zip(e_params, t_params):
                _close_in_ulps(e, t, 0.02, ulps=8)
        assert list(e_state) == list(t_state)
        for i, t_values in t_state.items():
            assert list(e_state[i]) == list(t_values)
            for key, t_value in t_values.items():
                if moments_exact or key == 'step':
                    assert_same(e_state[i][key], t_value, exact=True)
                else:
                    assert_same(e_state[i][key], t_value, rtol=1e-4 if '64' in dtype else 1e-3,
                                atol=1e-6)
