"""ember.optim.Optimizer against torch.optim.Optimizer: groups, repr, state_dict, zero_grad."""
import numpy
import pytest
import torch

import ember
from helpers import assert_same, from_numpy_torch, to_ember


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


def run_steps(lib, name, kwargs, shapes, dtype, steps, seed=0, skip=None):
    """lib.optim.<name>(**kwargs) over seeded params of ``shapes`` and ``dtype`` (complex values
    for complex dtypes), `steps` steps; ``skip(step, i)`` leaves param i without a .grad.

    Returns the params and the optimizer."""
    rng = numpy.random.default_rng(seed)

    def values(shape, scale=1.0):
        v = rng.standard_normal(shape) * scale
        if dtype.startswith('complex'):
            v = v + 1j * rng.standard_normal(shape) * scale
        t = from_numpy_torch(v).to(getattr(torch, dtype))
        return t if lib is torch else to_ember(t)
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
