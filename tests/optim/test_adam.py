"""ember.optim.Adam against torch.optim.Adam.

Every kernel rounds as ATen's CPU kernels (FMA in lerp/addcmul/add-with-alpha), so the
moments are bit-identical step for step. torch's sqrt goes through MKL VML, which is not
correctly rounded (about 15% of float32 results are 1 ulp off), so the parameters agree to
within a few ulp rather than exactly.
"""
import copy
import itertools
import pickle
import warnings

import numpy
import pytest
import torch

import ember
from helpers import assert_same, check
from test_optimizer import assert_same_error, assert_same_steps, run_optimizer

OPTIONS = [dict(lr=lr, betas=b, amsgrad=a, maximize=m, weight_decay=wd,
                decoupled_weight_decay=dwd)
           for lr, b, a, m, wd, dwd in itertools.product(
               (0.1,), ((0.9, 0.999), (0.5, 0.3)), (False, True), (False, True), (0, 0.1),
               (False, True))]
TOLERANCE = {'float32': 1e-6, 'float64': 1e-14}  # absolute: a few ulp of O(1) params


def _state(opt, key):
    return opt.state_dict()['state'][0][key].numpy()


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('kwargs', OPTIONS, ids=str)
def test_matches_torch(kwargs, dtype):
    for shape in ((3, 1), (7,), (33, 31)):
        expected, topt = run_optimizer(torch, 'Adam', kwargs, shape, dtype, 20)
        actual, eopt = run_optimizer(ember, 'Adam', kwargs, shape, dtype, 20)
        numpy.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE[dtype])
        assert _state(eopt, 'step') == _state(topt, 'step') == 20
        if kwargs['weight_decay'] == 0 or kwargs['decoupled_weight_decay']:
            for key in ('exp_avg', 'exp_avg_sq'):  # independent of the parameter: exact
                numpy.testing.assert_array_equal(_state(eopt, key), _state(topt, key))


def test_single_step_bit_identical_where_sqrt_is_exact():
    """One step from zero state: every element whose denominator torch's sqrt rounds correctly
    is bit-identical."""
    rng = numpy.random.default_rng(1)
    w0, g = rng.standard_normal(1000), rng.standard_normal(1000)
    params, states = [], []
    for lib in (torch, ember):
        w = lib.tensor(w0, dtype=lib.float32, requires_grad=True)
        w.grad = lib.tensor(g, dtype=lib.float32)
        opt = lib.optim.Adam([w], lr=0.1, weight_decay=0.1)
        opt.step()
        params.append(w.detach().numpy())
        states.append(opt.state[w]['exp_avg_sq'])
    numpy.testing.assert_array_equal(states[1].numpy(), states[0].numpy())
    sqrt_exact = states[0].sqrt().numpy() == numpy.sqrt(states[0].numpy())
    assert sqrt_exact.mean() > 0.7
    numpy.testing.assert_array_equal(params[1][sqrt_exact], params[0][sqrt_exact])


def test_groups_sharing_shapes_and_large_params_match_torch():
    """Same-shape parameters in groups with other betas (one reused workspace), and a
    parameter too large to stack its moment FMAs: moments bit-identical to torch's."""
    rng = numpy.random.default_rng(4)
    shapes = [(3, 1), (3, 1), (70, 60)]
    inits = [rng.standard_normal(shape) for shape in shapes]
    grads = [[rng.standard_normal(shape) for shape in shapes] for _ in range(5)]
    opts = []
    for lib in (torch, ember):
        ws = [lib.tensor(w, dtype=lib.float32, requires_grad=True) for w in inits]
        opt = lib.optim.Adam([{'params': [ws[0], ws[2]]}, {'params': [ws[1]], 'betas': (0.3, 0.6)}],
                             lr=0.1)
        for step in grads:
            for w, g in zip(ws, step):
                w.grad = lib.tensor(g, dtype=lib.float32)
            opt.step()
        opts.append(opt)
    for i in range(3):
        for key in ('exp_avg', 'exp_avg_sq'):
            numpy.testing.assert_array_equal(*(opt.state_dict()['state'][i][key].numpy()
                                               for opt in opts))


def test_copied_and_unpickled_optimizer_steps_on_alike():
    w = ember.tensor([0.5, -1.5, 2.0], requires_grad=True)
    w.grad = ember.tensor([0.1, 0.2, -0.3])
    opt = ember.optim.Adam([w], lr=0.1, amsgrad=True)
    opt.step()
    copies = [copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))]
    opt.step()
    for other in copies:
        (p,) = other.param_groups[0]['params']
        p.grad = w.grad.clone()
        other.step()
        numpy.testing.assert_array_equal(p.detach().numpy(), w.detach().numpy())
        for key, value in opt.state[w].items():
            numpy.testing.assert_array_equal(other.state[p][key].numpy(), value.numpy())


def test_tensor_lr_and_foreach_and_fused():
    for kwargs in (dict(lr=0.01, foreach=True), dict(lr=0.01, fused=True), dict(lr='tensor')):
        t_kwargs = dict(kwargs, lr=torch.tensor(0.01)) if kwargs['lr'] == 'tensor' else kwargs
        e_kwargs = dict(kwargs, lr=ember.tensor(0.01)) if kwargs['lr'] == 'tensor' else kwargs
        expected, _ = run_optimizer(torch, 'Adam', t_kwargs, (5,), 'float32', 10)
        actual, _ = run_optimizer(ember, 'Adam', e_kwargs, (5,), 'float32', 10)
        numpy.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_float64_default_dtype_gives_float64_step():
    for lib in (torch, ember):
        lib.set_default_dtype(lib.float64)
    try:
        _, topt = run_optimizer(torch, 'Adam', {}, (2,), 'float64', 2)
        _, eopt = run_optimizer(ember, 'Adam', {}, (2,), 'float64', 2)
        assert repr(eopt.state[eopt.param_groups[0]['params'][0]]['step']) == \
            repr(topt.state[topt.param_groups[0]['params'][0]]['step'])
    finally:
        for lib in (torch, ember):
            lib.set_default_dtype(lib.float32)


@pytest.mark.parametrize('kwargs', [
    dict(lr=-1.0), dict(eps=-1.0), dict(betas=(1.0, 0.9)), dict(betas=(0.9, -0.1)),
    dict(weight_decay=-1.0), dict(betas=(0.9, 1)), dict(fused=True, foreach=True),
    dict(fused=True, differentiable=True), dict(betas=0.9), dict(betas=(0.9,)),
])
def test_errors(kwargs):
    assert_same_error(lambda lib: lib.optim.Adam([lib.tensor([1.0], requires_grad=True)], **kwargs))


def test_tensor_hyperparameter_errors():
    def make(**kwargs):
        return lambda lib: lib.optim.Adam(
            [lib.tensor([1.0], requires_grad=True)],
            **{k: tuple(lib.tensor(x) for x in v) if isinstance(v, tuple) else lib.tensor(v)
               for k, v in kwargs.items()}, foreach=True)
    assert_same_error(make(lr=0.1))
    assert_same_error(make(betas=([0.9], [0.99])))


def test_capturable_on_cpu_fails_at_step():
    def run(lib):
        w = lib.tensor([1.0], requires_grad=True)
        w.grad = lib.tensor([1.0])
        lib.optim.Adam([w], capturable=True).step()
    assert_same_error(run)


LOW_PRECISION_OPTIONS = [dict(lr=0.1, amsgrad=a, maximize=m, weight_decay=wd,
                              decoupled_weight_decay=dwd, foreach=fe)
                         for a, m, wd, dwd, fe in itertools.product(
                             (False, True), (False, True), (0, 0.1), (False, True), (None, True))
                         if not (dwd and not wd)]


@pytest.mark.parametrize('dtype', ['float16', 'bfloat16'])
@pytest.mark.parametrize('kwargs', LOW_PRECISION_OPTIONS, ids=str)
def test_bit_identical_float16_bfloat16(kwargs, dtype):
    """Scalars stay in float32 (opmath) for Tensor ops; torch._foreach_mul_ (foreach) rounds
    beta2 and 1 - lr * weight_decay to the dtype; float16 sqrt is exact in torch."""
    assert_same_steps('Adam', kwargs, [(3, 1), (40,)], dtype, 10)


@pytest.mark.parametrize('dtype', ['complex64', 'complex128'])
@pytest.mark.parametrize('foreach', [None, True])
@pytest.mark.parametrize('maximize', [False, True])
def test_complex_weight_decay_first_step(dtype, foreach, maximize):
    """grad.add(param, alpha=weight_decay) on complex values (single tensor: unfused) or on
    their real views (foreach: one FMA): the first step's moments are bit-identical."""
    kwargs = dict(lr=0.1, weight_decay=0.1, foreach=foreach, maximize=maximize)
    assert_same_steps('Adam', kwargs, [(3, 1), (40,)], dtype, 1, exact_params=False)


def test_integer_params_error_after_counting_the_step():
    def run(lib, dtype):
        w = lib.tensor([1, 0], dtype=getattr(lib, dtype))
        w.grad = lib.tensor([1, 1], dtype=getattr(lib, dtype))
        opt = lib.optim.Adam([w])
        try:
            opt.step()
        except NotImplementedError as error:
            return str(error), opt.state[w]['step'].item()
    for dtype in ('int64', 'bool', 'uint8'):
        assert run(ember, dtype) == run(torch, dtype)


@pytest.mark.parametrize('decoupled', [False, True])
def test_one_element_tensor_lr(decoupled):
    """A 1-d one-element lr is squeezed (torch's _to_scalar)."""
    kwargs = dict(weight_decay=0.1, decoupled_weight_decay=decoupled)
    expected, _ = run_optimizer(torch, 'Adam', dict(kwargs, lr=torch.tensor([0.05])), (5,),
                                'float32', 3)
    actual, _ = run_optimizer(ember, 'Adam', dict(kwargs, lr=ember.tensor([0.05])), (5,),
                              'float32', 3)
    numpy.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE['float32'])


def test_tensor_betas_with_float16_params():
    """A Tensor beta1 is cast to the parameter's dtype before exp_avg.lerp_(grad, 1 - beta1)."""
    def run(lib):
        rng = numpy.random.default_rng(3)
        w = lib.tensor(rng.standard_normal(40), dtype=lib.float16, requires_grad=True)
        opt = lib.optim.Adam([w], lr=lib.tensor(0.05), betas=(lib.tensor(0.8), lib.tensor(0.95)))
        for _ in range(5):
            w.grad = lib.tensor(rng.standard_normal(40), dtype=lib.float16)
            opt.step()
        return w, opt.state[w]['exp_avg'], opt.state[w]['exp_avg_sq']
    assert_same(run(ember), run(torch), exact=True)


def test_load_state_dict_with_a_number_step():
    """Older checkpoints hold 'step' as a number: Adam.__setstate__ makes it a tensor."""
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        w.grad = lib.tensor([0.5, -0.5])
        opt = lib.optim.Adam([w], lr=0.1)
        groups = opt.state_dict()['param_groups']
        opt.load_state_dict({'state': {0: {'step': 3, 'exp_avg': lib.zeros(2),
                                           'exp_avg_sq': lib.ones(2)}}, 'param_groups': groups})
        loaded = repr(opt.state[w]['step'])
        opt.step()
        return loaded, repr(opt.state[w]), w.tolist()
    assert run(ember) == run(torch)


def test_tensor_betas_bias_corrections_as_torchs_tensor_ops():
    """With Tensor betas torch computes 1 - beta1 ** step in the betas' dtype with its pow
    kernel (beta ** 3 is beta * beta * beta, which powf rounds differently for this beta1:
    the float32 step size then differs by an ulp, 6e-8 relative). The tolerance allows the
    last-bit differences of torch's float64 sqrt of exp_avg_sq (not correctly rounded)."""
    def run(T):
        w = T.tensor([0.3, -1.2, 2.5], dtype=T.float64, requires_grad=True)
        opt = T.optim.Adam([w], lr=0.1, betas=(T.tensor(0.9486494660377502), T.tensor(0.5)))
        for _ in range(3):
            opt.zero_grad()
            (w * w * w).sum().backward()
            opt.step()
        return w
    check(run, rtol=1e-12, atol=0)


@pytest.mark.parametrize('kwargs', [
    dict(capturable=True), dict(capturable=True, foreach=True), dict(capturable=True, fused=True),
    dict(capturable=True, foreach=True, lr='tensor'), dict(foreach=True, lr='mutated'),
    dict(foreach=True, betas='mutated'), dict(differentiable=True, foreach=True),
])
def test_step_time_checks(kwargs):
    """What each implementation rejects when it runs, after _init_group made the state:
    capturable on the CPU (the foreach message lists no 'xla'; the fused kernel takes it),
    Tensor lr or betas set in param_groups with foreach, differentiable with foreach."""
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        options = dict(kwargs)
        if options.get('lr') == 'tensor':
            options['lr'] = lib.tensor(0.1)
        mutated = {key: options.pop(key) for key in ('lr', 'betas') if options.get(key) == 'mutated'}
        opt = lib.optim.Adam([w], **options)
        if 'lr' in mutated:
            opt.param_groups[0]['lr'] = lib.tensor(0.1)
        if 'betas' in mutated:
            opt.param_groups[0]['betas'] = (lib.tensor(0.5), lib.tensor(0.6))
        w.grad = lib.ones(2)
        try:
            opt.step()
            opt.step()
            error = None
        except Exception as caught:   # compared by type and message
            error = (type(caught).__name__, str(caught))
        return error, w.tolist(), repr(opt.state_dict()['state'])
    assert run(ember) == run(torch)


def test_capturable_or_differentiable_without_grads_is_no_error():
    def run(lib, **kwargs):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.Adam([w], **kwargs)
        opt.step()
        return w.tolist(), repr(opt.state_dict()['state'])
    for kwargs in (dict(capturable=True), dict(differentiable=True)):
        assert run(ember, **kwargs) == run(torch, **kwargs)


@pytest.mark.parametrize('kwargs', [dict(), dict(maximize=True), dict(foreach=True),
                                    dict(foreach=True, maximize=True),
                                    dict(decoupled_weight_decay=True)])
def test_weight_decay_tensor_that_requires_grad(kwargs):
    """grad.add(param, alpha=weight_decay) refuses a Tensor that requires grad (after the
    step was counted); the decoupled decay multiplies by it."""
    def run(lib):
        ws = [lib.tensor([1.0, -3.0, 0.3], requires_grad=True), lib.tensor([2.0], requires_grad=True)]
        opt = lib.optim.Adam(ws, lr=0.1, weight_decay=lib.tensor(0.1, requires_grad=True),
                             **kwargs)
        for w in ws:
            w.grad = lib.ones_like(w)
        try:
            opt.step()
            error = None
        except TypeError as caught:
            error = str(caught)
        return error, [w.tolist() for w in ws], repr(opt.state_dict()['state'])
    assert run(ember) == run(torch)


def test_tensor_lr_and_betas_warn_nothing():
    """torch divides its Tensor lr by the Tensor bias correction: no NumPy warning leaks out
    (ember divided the lr's 0-d array, which NumPy's __array_wrap__ deprecation warned of)."""
    w = ember.tensor([1.0, 2.0], dtype=ember.float16, requires_grad=True)
    opt = ember.optim.Adam([w], lr=ember.tensor(0.05), betas=(ember.tensor(0.8), ember.tensor(0.95)))
    w.grad = ember.tensor([0.5, -0.5], dtype=ember.float16)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        opt.step()
