"""ember.cuda against torch's CPU-only build: no CUDA device, the same answers and errors."""
import warnings

import numpy as np
import pytest

from helpers import check, cpu_only_torch
import ember

pytestmark = cpu_only_torch


@pytest.mark.parametrize('code', [
    'T.cuda.is_available()', 'T.cuda.device_count()', 'T.cuda.is_initialized()',
    'T.cuda.init()', 'T.cuda.current_device()', 'T.cuda.get_device_name()',
    'T.cuda.get_device_name(0)', 'T.cuda.get_device_capability()',
    'T.cuda.get_device_properties(0)', 'T.cuda.synchronize()', "T.cuda.synchronize('cpu')",
    'T.cuda.mem_get_info()', 'T.cuda.initial_seed()', 'T.cuda.get_rng_state()',
    'T.cuda.set_device(-1)',
    "T.cuda.set_device('cpu')", "T.cuda.set_device('cuda')", 'T.cuda.set_device(None)',
    'T.cuda.set_device(1.5)', 'T.cuda.empty_cache()', 'T.cuda.memory_allocated()',
    'T.cuda.memory_allocated(0)', "T.cuda.memory_allocated('cuda:3')",
    'T.cuda.max_memory_allocated()', 'T.cuda.memory_reserved()', 'T.cuda.max_memory_reserved()',
    'dict(T.cuda.memory_stats())', 'T.cuda.is_bf16_supported()',
    'T.cuda.is_bf16_supported(False)', 'T.cuda.is_tf32_supported()',
    'T.cuda.manual_seed(0)', 'T.cuda.manual_seed(1.5)', 'T.cuda.manual_seed(2**70)',
    "T.cuda.manual_seed('a')", 'T.cuda.manual_seed(None)', 'T.cuda.manual_seed(T.tensor(3))',
    'T.cuda.manual_seed_all(0)', 'T.cuda.seed()', 'T.cuda.seed_all()',
    'T.cuda.get_rng_state_all()', 'T.cuda.set_rng_state_all([])',
    'T.cuda.set_rng_state(T.zeros(3, dtype=T.uint8))', 'T.cuda.set_rng_state(None)',
    'T.cuda.get_arch_list()', 'T.cuda.get_gencode_flags()',
    'T.cuda.device(0).idx', "T.cuda.device('cuda:1').idx", "T.cuda.device('cuda').idx",
    "T.cuda.device(T.device('cuda:2')).idx", 'T.cuda.device(0).__enter__()',
    'T.cuda.device(-1).__enter__()', 'T.cuda.device(-1).__exit__(None, None, None)',
    "T.cuda.device('cpu')", 'T.cuda.device_of(T.zeros(1)).idx',
    'T.cuda.device_of(T.zeros(1)).__enter__()',
])
def test_cuda_without_a_device(code):
    def run(T):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return eval(code, {'T': T, 'np': np})
    check(run, match_message=True)


@pytest.mark.parametrize('device', [0, 'cuda:1'])
def test_selecting_a_device_fails_as_the_others(device):
    """(torch's CPU-only build fails here on a C++ binding it lacks, with an AttributeError.)"""
    with pytest.raises(AssertionError, match='Torch not compiled with CUDA enabled'):
        ember.cuda.set_device(device)


def test_seeding_cuda_leaves_the_cpu_stream_alone():
    def run(T):
        T.manual_seed(0)
        T.cuda.manual_seed_all(5)
        T.cuda.seed()
        return T.rand(4)
    check(run, exact=True)


def test_device_selection_idiom_picks_the_cpu():
    def run(T):
        device = 'cuda' if T.cuda.is_available() else 'cpu'
        return T.ones(2, device=device).to(device), str(device)
    check(run)
