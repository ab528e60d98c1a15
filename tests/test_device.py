"""torch.device, the default device, and tensors asked for on devices ember has none of (it
answers as torch's CPU-only build), against torch."""
import pickle
import warnings

import numpy as np
import pytest
import torch

from helpers import DTYPE_NAMES, check, cpu_only_torch
import ember


def run(code):
    """A check function: ``code`` evaluated with T the library (and np)."""
    return lambda T: eval(code, {'T': T, 'np': np})


@pytest.mark.parametrize('code', [
    "T.device('cpu')", "T.device('cuda')", "T.device('cuda:1')", "T.device('cpu:0')",
    "T.device('mps')", "T.device('xpu:0')", "T.device('meta')", "T.device('cuda', 2)",
    "T.device('cuda', index=2)", "T.device(type='cuda', index=0)", "T.device(type='cpu')",
    "T.device('cuda', index=None)", "T.device(T.device('cuda:3'))",
    "T.device(device=T.device('cpu'))", "T.device('cuda').index", "T.device('cuda:2').type",
    # errors: strings, indices, and the argument parser's
    "T.device('foo')", "T.device('CUDA')", "T.device('cu_da')", "T.device(' cuda')",
    "T.device('cuda: 1')", "T.device('cuda:01')", "T.device('cuda:x')", "T.device('cuda:')",
    "T.device(':0')", "T.device('cuda:-1')", "T.device('cuda:0:1')", "T.device('')",
    "T.device('cuda:99999999999')", "T.device('cuda:1', 1)", "T.device('cuda', -1)",
    "T.device('cpu', -2)", "T.device('cuda', 1.5)", "T.device('cuda', True)",
    "T.device('cuda', 'a')", "T.device(-1)", "T.device(1.5)",
    "T.device(None)", "T.device([1])", "T.device()", "T.device('cuda', 1, 2)",
    "T.device(type=1)", "T.device(T.device('cuda'), 1)", "T.device('cpu', foo=1)",
    "T.device(index=1)", "T.device(device='cpu')",
    # comparisons: a device equals a device only (torch.device('cpu') != 'cpu')
    "T.device('cpu') == 'cpu'", "T.device('cpu') != 'cpu'", "T.device('cuda', 0) == 'cuda:0'",
    "T.device('cpu') == T.device('cpu', 0)", "T.device('cpu') == T.device('cpu')",
    "T.zeros(1).device == T.device('cpu')", "T.device('cuda:1') == T.device('cuda', 1)",
    "T.device('cpu') == 1", "{T.device('cuda', 1): 2}[T.device('cuda:1')]",
])
def test_device(code):
    check(run(code), match_message=True)


@cpu_only_torch
@pytest.mark.parametrize('code', ['T.device(0)', 'T.device(2)', 'T.device(device=1)'])
def test_device_of_an_index_is_the_accelerators(code):
    """(torch.device(int) is the current accelerator's device: none here.)"""
    check(run(code), match_message=True)


@pytest.mark.parametrize('device', ['cpu', 'cuda:3', 'cuda', 'meta'])
def test_device_pickles(device):
    d = ember.device(device)
    assert pickle.loads(pickle.dumps(d)) == d


@cpu_only_torch
@pytest.mark.parametrize('code', [
    # a factory on a device ember has none of raises as torch's CPU-only build
    "T.zeros(2, device='cuda')", "T.zeros(2, device='cuda:1')", "T.ones(2, device='cuda')",
    "T.tensor([1.], device='cuda')", "T.as_tensor([1.], device='cuda')",
    "T.as_tensor(np.zeros(2), device='cuda')", "T.arange(3, device='cuda')",
    "T.eye(2, device='cuda')", "T.full((2,), 1., device='cuda')",
    "T.ones_like(T.zeros(2), device='cuda')", "T.zeros(2).new_zeros(2, device='cuda')",
    "T.rand(2, device='cuda')", "T.randn(2, device='cuda')", "T.randint(3, (2,), device='cuda')",
    "T.randperm(3, device='cuda')", "T.rand_like(T.zeros(2), device='cuda')",
    "T.zeros(2, device='xpu')", "T.zeros(2, device=0)", "T.zeros(2, device='foo')",
    "T.zeros(2, device=-1)", "T.tensor([1.], device=-1)", "T.zeros(2).to(-1)",
    "T.rand(2, device=-2)", "T.ones_like(T.zeros(2), device=-1)",
    # moving a tensor there
    "T.zeros(2).to('cuda')", "T.zeros(2).to(device='cuda')", "T.zeros(2).to('cuda:0')",
    "T.zeros(2).to(T.device('cuda'))", "T.zeros(2).to('cuda', T.float64)",
    "T.zeros(2).to('cuda', non_blocking=True)", "T.zeros(2).to('xpu')", "T.zeros(2).to('mps')",
    "T.zeros(2).to('hip')", "T.zeros(2).to('xla')", "T.zeros(2).to('ipu')", "T.zeros(2).to(0)",
    "T.zeros(2).cuda()", "T.zeros(2).cuda(0)", "T.zeros(2).cuda('cuda:1')",
    "T.zeros(2).cuda('cpu')", "T.zeros(2).cuda(non_blocking=True)", "T.zeros(2).pin_memory()",
    # and the CPU, by any name
    "T.zeros(2).to('cpu:0')", "T.zeros(2).to(T.device('cpu', 0))", "T.zeros(2, device='cpu:0')",
    "T.zeros(2, device='cpu:0').device", "T.zeros(2).cpu()", "T.zeros(2).to(None)",
    "T.zeros(2).to(device=None)", "T.zeros(2).is_cuda", "T.zeros(2).get_device()",
    "T.zeros(2).is_pinned()",
    # generators
    "T.Generator('cuda').device", "T.Generator(device='cuda:1')", "T.Generator('xpu')",
    "T.Generator('mps')", "T.Generator('meta')", "T.Generator('lazy')", "T.Generator(0)",
    "T.Generator('cpu:0').device", "T.Generator(T.device('cpu')).device",
    # the legacy CUDA types
    "T.cuda.FloatTensor(2)", "T.cuda.LongTensor([1])", "isinstance(T.zeros(2), T.cuda.FloatTensor)",
    "T.cuda.FloatTensor.is_cuda", "T.zeros(2).type('torch.cuda.FloatTensor')",
    "T.zeros(2).type(T.cuda.DoubleTensor)",
])
def test_unavailable_devices(code):
    check(run(code), match_message=True)


@cpu_only_torch
@pytest.mark.parametrize('code', ["T.zeros(2, device='mps')", "T.zeros(2, device='hip')",
                                  "T.zeros(2).to('lazy')"])
def test_backends_ember_lacks_raise_torch_exception_type(code):
    """(torch's messages name the dispatcher's kernel that is missing.)"""
    check(run(code))


@cpu_only_torch
def test_factory_on_unavailable_device_draws_no_random_numbers():
    for T in (torch, ember):
        T.manual_seed(0)
        with pytest.raises(AssertionError):
            T.rand(3, device='cuda')
    check(lambda T: T.rand(3), exact=True)


def test_as_tensor_shares_memory_on_the_cpu_device():
    def run(T, device):
        a = np.zeros(3)
        t = T.as_tensor(a, device=device)
        a[0] = 1
        return t
    for device in (None, 'cpu', 'cpu:0'):
        check(run, device, exact=True)
    check(run, torch.device('cpu', 0), exact=True)


@pytest.fixture
def default_device():
    """Both libraries' default device back on the CPU after the test."""
    yield
    for T in (torch, ember):
        T.set_default_device(None)


@cpu_only_torch
@pytest.mark.parametrize('calls', [
    "r = T.get_default_device()",
    "T.set_default_device('cpu'); r = T.get_default_device()",
    "T.set_default_device('cpu:0'); r = (T.get_default_device(), T.zeros(1).device)",
    "T.set_default_device(T.device('cpu')); r = T.rand(2)",
    "T.set_default_device('cuda'); r = T.get_default_device()",
    "T.set_default_device('cuda:1'); r = T.get_default_device()",
    "T.set_default_device('cuda'); r = T.zeros(2)",
    "T.set_default_device('cuda'); r = T.tensor([1.])",
    "T.set_default_device('cuda'); r = T.as_tensor(np.zeros(2))",
    "T.set_default_device('cuda'); r = T.arange(3)",
    "T.set_default_device('cuda'); r = T.rand(2)",
    "T.set_default_device('cuda'); r = T.randperm(3)",
    "T.set_default_device('cuda'); r = T.from_numpy(np.zeros(2)).device",
    "T.set_default_device('cuda'); r = T.zeros_like(T.from_numpy(np.zeros(2))).device",
    "T.set_default_device('cuda'); T.set_default_device(None); r = T.zeros(2)",
    "T.set_default_device(0)", "T.set_default_device('foo')", "T.set_default_device(1.5)",
])
def test_default_device(calls, default_device):
    def run(T):
        namespace = {'T': T, 'np': np, 'r': None}
        exec(calls, namespace)
        return namespace['r']
    check(run, match_message=True)


@cpu_only_torch
def test_device_as_context_manager(default_device):
    def run(T):
        with T.device('cuda'):
            try:
                T.zeros(1)
            except AssertionError as error:
                inside = str(error)
        with T.device('cpu') as d:
            return inside, str(d), T.zeros(1), T.get_default_device()
    check(run)


@cpu_only_torch
def test_version():
    assert ember.version.cuda is torch.version.cuda is None
    assert ember.version.hip is torch.version.hip is None
    assert ember.version.debug is torch.version.debug
    assert ember.version.__version__ == ember.__version__


@pytest.mark.parametrize('view', [
    'T.tensor([1., 2.]).expand(3, 2)', 'T.zeros(3, 1, 2).expand(3, 4, 2)',
    'T.tensor([[1.], [2.]]).expand(2, 3)', 'T.tensor([[1.], [2.]]).expand(2, 3).t()',
    'T.zeros(4, 3)[:, :1].expand(4, 5).t()', 'T.zeros(2, 1, 3)[:, :, :1].expand(2, 4, 5)',
    'T.arange(12.).reshape(3, 4)[:, ::2].t()', 'T.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)[::2]'])
@pytest.mark.parametrize('cast', ['.double()', '.to(T.int32)', '.half()', '.type(T.float64)',
                                  '.to(T.float32, copy=True)'])
def test_cast_copies_are_laid_out_as_torch(view, cast):
    """A cast copy is laid out as torch's preserve_format: an expanded (stride-0) dim keeps its
    place (NumPy's astype puts it innermost)."""
    check(lambda T: (eval(view + cast).stride(), eval(view + cast).is_contiguous()))
    check(lambda T: T.as_tensor(eval(view), dtype=T.float64).stride())


_SPECIAL = [0., -0., 1.5, -1.5, 2.5, 127.5, 128., 255.9, 256., -129., 300., -300., 1e5, -1e5,
            65504., 65520., 3e38, 1e39, 2. ** 31, -2. ** 31 - 1, -2. ** 31 - 255, 2. ** 32 + 5,
            -2. ** 40 - 3, 2. ** 63, -2. ** 63, 1e300, np.inf, -np.inf, np.nan, 1e-40, 1e-310]


def _special_values(T, name):
    """Values of dtype ``name`` at and beyond the edges of every other dtype."""
    dtype = getattr(T, name)
    if name == 'bool':
        return T.tensor([True, False])
    if dtype.is_floating_point or dtype.is_complex:
        values = np.array(_SPECIAL)
        if dtype.is_complex:
            values = values.astype(complex)
            values.imag = values.real[::-1]
        return T.from_numpy(values).to(dtype)
    info = T.iinfo(dtype)
    return T.tensor([info.min, info.max, 0, 1, info.min + 1, info.max - 1, 100], dtype=dtype)


@pytest.mark.parametrize('target', DTYPE_NAMES)
@pytest.mark.parametrize('source', DTYPE_NAMES)
def test_casts_of_values_beyond_the_target_range(source, target):
    """Every cast as torch's copy kernel computes it, bit for bit, out-of-range values too (a
    double beyond int32 into uint8 wraps through int64, as torch's compiled cast: 2**32 + 5 is
    5, where NumPy gives 0)."""
    def run(T):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            x = _special_values(T, source)
            return (x.to(getattr(T, target)), T.zeros(len(x), dtype=getattr(T, target)).copy_(x),
                    T.stack([x, x], 1)[:, 0].to(getattr(T, target)), x[:1].to(getattr(T, target)))
    check(run, exact=True)
