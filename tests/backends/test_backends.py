"""ember.backends against torch's CPU-only build: the switches' values, checks and links."""
import contextlib

import pytest
import torch

from helpers import check, cpu_only_torch
import ember

pytestmark = cpu_only_torch


@contextlib.contextmanager
def _writable():
    with getattr(torch.backends, '__allow_nonbracketed_mutation')(), \
            ember.backends.mutation_allowed():
        yield


@pytest.fixture
def restored():
    """Both libraries' backend switches writable (torch's test utilities freeze them on import)
    for the test, and as they were after it, with the matmul precision."""
    names = ('enabled', 'benchmark', 'deterministic', 'allow_tf32', 'benchmark_limit')
    matmul_names = ('allow_fp16_reduced_precision_reduction',
                    'allow_bf16_reduced_precision_reduction', 'allow_fp16_accumulation')
    saved = [(T, {n: getattr(T.backends.cudnn, n) for n in names},
              {n: getattr(T.backends.cuda.matmul, n) for n in matmul_names},
              T.get_float32_matmul_precision()) for T in (torch, ember)]
    with _writable():
        yield
    with _writable():   # (a test may have frozen them)
        for T, cudnn, matmul, precision in saved:
            for name, value in cudnn.items():
                setattr(T.backends.cudnn, name, value)
            for name, value in matmul.items():
                setattr(T.backends.cuda.matmul, name, value)
            T.set_float32_matmul_precision(precision)


@pytest.mark.parametrize('calls', [
    'r = (c.enabled, c.benchmark, c.deterministic, c.allow_tf32, c.benchmark_limit)',
    'r = (c.is_available(), c.version(), c.is_acceptable(T.zeros(1)))',
    'c.benchmark = True; r = c.benchmark', 'c.benchmark = 1', 'c.enabled = None',
    'c.deterministic = "x"', 'c.allow_tf32 = 2.0', 'c.benchmark_limit = 3; r = c.benchmark_limit',
    'c.deterministic = True; r = (c.deterministic, T.are_deterministic_algorithms_enabled())',
    'with c.flags(enabled=False):\n    r = (c.enabled, c.benchmark, c.allow_tf32)\n'
    'r = r + (c.enabled,)',
    'c.benchmark = True\nwith c.flags():\n    r = c.benchmark\nr = (r, c.benchmark)',
    'r = (T.backends.mps.is_available(), T.backends.mps.is_built(), T.backends.cuda.is_built())',
    'r = (m.allow_tf32, m.allow_fp16_reduced_precision_reduction, '
    'm.allow_bf16_reduced_precision_reduction, m.allow_fp16_accumulation)',
    "T.set_float32_matmul_precision('high'); r = m.allow_tf32",
    "T.set_float32_matmul_precision('medium'); r = m.allow_tf32",
    'm.allow_tf32 = True; r = T.get_float32_matmul_precision()',
    'm.allow_tf32 = True; m.allow_tf32 = False; r = T.get_float32_matmul_precision()',
    'm.allow_tf32 = 1', 'm.allow_fp16_accumulation = 1',
    'm.allow_fp16_accumulation = True; r = m.allow_fp16_accumulation',
    'm.allow_fp16_reduced_precision_reduction = 1',
    'm.allow_bf16_reduced_precision_reduction = False; '
    'r = m.allow_bf16_reduced_precision_reduction',
    'r = m.foo', 'm.foo = 1',
    'T.backends.disable_global_flags(); r = T.backends.flags_frozen()',
    'T.backends.disable_global_flags()\nwith c.flags(benchmark=True):\n    r = c.benchmark\n'
    'r = (r, c.benchmark, T.backends.flags_frozen())',
    'T.backends.disable_global_flags(); m.allow_fp16_accumulation = True; '
    'r = m.allow_fp16_accumulation',
])
def test_backend_switches(calls, restored):
    def run(T):
        namespace = {'T': T, 'c': T.backends.cudnn, 'm': T.backends.cuda.matmul, 'r': None}
        exec(calls, namespace)
        return namespace['r']
    check(run, match_message=True)


def test_frozen_switches_refuse_assignment(restored):
    """(torch's message names torch.backends.cudnn, ember's ember.backends.cudnn.)"""
    def run(T):
        T.backends.disable_global_flags()
        T.backends.cudnn.benchmark = True
    check(run)
