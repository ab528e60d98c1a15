"""ember.backends.cudnn: torch.backends.cudnn without cuDNN (``is_available()`` is False);
its switches keep their values, as torch's do."""
import contextlib
import sys
import types

from . import flag, mutation_allowed

__all__ = ['is_available', 'version', 'is_acceptable', 'flags']


def is_available():
    return False


def version():
    return None


def is_acceptable(tensor):
    """torch.backends.cudnn.is_acceptable: whether cuDNN could take the tensor (no)."""
    return False


_SWITCHES = ('enabled', 'benchmark', 'benchmark_limit', 'deterministic', 'allow_tf32')


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True):
    """torch.backends.cudnn.flags: the switches set for the duration of a with block."""
    previous = _set_switches((enabled, benchmark, benchmark_limit, deterministic, allow_tf32))
    try:
        yield
    finally:
        _set_switches(previous)


def _set_switches(values):
    """Set the switches (in _SWITCHES' order), even where frozen; their previous values."""
    module = sys.modules[__name__]
    previous = tuple(getattr(module, name) for name in _SWITCHES)
    with mutation_allowed():
        for name, value in zip(_SWITCHES, values):
            setattr(module, name, value)
    return previous


class _CudnnModule(types.ModuleType):
    """This module's class: its switches as properties (torch's CudnnModule)."""
    enabled = flag('enabled', 'set_enabled_cudnn')
    benchmark = flag('benchmark', 'set_benchmark_cudnn')
    deterministic = flag('deterministic', 'set_deterministic_cudnn')
    allow_tf32 = flag('allow_tf32', 'set_allow_tf32_cublas')  # (torch's message names cuBLAS)


sys.modules[__name__].__class__ = _CudnnModule
enabled, benchmark, deterministic, allow_tf32 = True, False, False, True
benchmark_limit = None  # (torch's CPU-only build has no limit to report)
