"""torch's global switches (threads, deterministic algorithms, matmul precision, warn-always),
constants and small top-level functions, against torch."""
import warnings

import numpy as np
import pytest
import torch

from helpers import check
import ember


@pytest.fixture
def restored():
    """Both libraries' switches as they were, after the test."""
    saved = [(T.get_num_threads(), T.are_deterministic_algorithms_enabled(),
              T.is_deterministic_algorithms_warn_only_enabled(), T.get_float32_matmul_precision(),
              T.is_warn_always_enabled()) for T in (torch, ember)]
    yield
    for T, (threads, deterministic, warn_only, precision, warn_always) in zip((torch, ember), saved):
        T.set_num_threads(threads)
        T.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        T.set_float32_matmul_precision(precision)
        T.set_warn_always(warn_always)


@pytest.mark.parametrize('calls', [
    'T.set_num_threads(3); r = T.get_num_threads()', 'T.set_num_threads(0)',
    'T.set_num_threads(-1)', 'T.set_num_threads(2.5)', 'T.set_num_threads("2")',
    'T.set_num_threads(True)',
    'T.use_deterministic_algorithms(True); r = T.are_deterministic_algorithms_enabled()',
    'T.use_deterministic_algorithms(True, warn_only=True); '
    'r = T.is_deterministic_algorithms_warn_only_enabled()',
    'T.use_deterministic_algorithms(True, warn_only=True); T.use_deterministic_algorithms(False); '
    'r = T.is_deterministic_algorithms_warn_only_enabled()',
    'T.use_deterministic_algorithms(1)', 'T.use_deterministic_algorithms(mode=True, warn_only=1)',
    'r = T.get_float32_matmul_precision()',
    'T.set_float32_matmul_precision("medium"); r = T.get_float32_matmul_precision()',
    'T.set_float32_matmul_precision("low"); r = T.get_float32_matmul_precision()',
    'T.set_float32_matmul_precision(1)',
    'T.set_warn_always(True); r = T.is_warn_always_enabled()', 'T.set_warn_always(0)'])
def test_switches(calls, restored):
    def run(T):
        namespace = {'T': T, 'r': None}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            exec(calls, namespace)
        return namespace['r'], [str(w.message) for w in caught]
    check(run, match_message=True)


@pytest.mark.parametrize('threads', [1, 3, 5])
def test_arange_rounds_as_torch_after_set_num_threads(threads, restored):
    """torch's vectorised arange rounds per parallel chunk, so its last bits follow the thread
    count: ember's follow torch.set_num_threads too."""
    def run(T):
        T.set_num_threads(threads)
        return T.arange(0.1, 7000.3, 0.1, dtype=T.float32)
    check(run, exact=True)


@pytest.mark.parametrize('code', [
    'T.pi', 'T.e', 'T.inf', 'T.nan', 'T.newaxis', 'repr(T.contiguous_format)',
    'repr(T.preserve_format)', 'repr(T.channels_last)', 'repr(T.channels_last_3d)',
    'type(T.channels_last).__name__', 'isinstance(T.preserve_format, T.memory_format)',
    'T.is_storage(T.ones(1))', 'T.is_storage(3)', 'T.is_inference(T.ones(1))',
    'T.is_inference(3)', 'T.typename(T.ones(2))', 'T.typename(T.ones(2, dtype=T.int8))',
    'T.typename(3)', 'T.typename(len)', 'T.typename("s")', 'T.typename(np.float32)',
    'T.ones(2, 3).contiguous(memory_format=T.contiguous_format)',
    'T.zeros_like(T.ones(2), memory_format=T.preserve_format)'])
def test_constants_and_functions(code):
    check(lambda T: eval(code, {'T': T, 'np': np}), match_message=True)


def test_memory_formats_pickle_as_themselves():
    import pickle
    for name in ('contiguous_format', 'preserve_format', 'channels_last', 'channels_last_3d'):
        constant = getattr(ember, name)
        assert pickle.loads(pickle.dumps(constant)) is constant
