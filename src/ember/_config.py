"""torch's global switches: thread count, deterministic algorithms, float32 matmul precision,
warn-always. ember computes on one thread, deterministically, in full float32 precision; the
switches keep their values as torch's do, and the thread count shapes the one result that
depends on it (arange's rounding, see _creation._vector_layout)."""
import os

from ._warnings import warn_at_caller

_state = {'threads': None, 'deterministic': False, 'warn_only': False,
          'matmul_precision': 'highest', 'warn_always': False}


def get_num_threads():
    """torch.get_num_threads: the intra-op thread count (by default MKL/OMP_NUM_THREADS, else
    the physical cores)."""
    if _state['threads'] is None:
        _state['threads'] = _default_threads()
    return _state['threads']


def set_num_threads(threads, /):
    """torch.set_num_threads."""
    if threads.__class__ is not int:   # (a bool is refused too)
        raise RuntimeError(f'set_num_threads expects an int, but got {type(threads).__name__}')
    if threads <= 0:
        raise RuntimeError('set_num_threads expects a positive integer')
    _state['threads'] = threads


def _default_threads():
    for name in ('MKL_NUM_THREADS', 'OMP_NUM_THREADS'):
        value = os.environ.get(name, '')
        if value.isdigit() and int(value) > 0:
            return int(value)
    import glob  # only here: 1 ms of import
    cores = set()
    for topology in glob.glob('/sys/devices/system/cpu/cpu[0-9]*/topology'):
        with open(f'{topology}/physical_package_id') as package, open(f'{topology}/core_id') as core:
            cores.add((package.read(), core.read()))
    return len(cores) or os.cpu_count() or 1


def use_deterministic_algorithms(mode, *, warn_only=False):
    """torch.use_deterministic_algorithms (ember's algorithms are all deterministic)."""
    _check_bool(mode, "_set_deterministic_algorithms(): argument 'mode' (position 1)")
    _check_bool(warn_only, "_set_deterministic_algorithms(): argument 'warn_only'")
    _state['deterministic'], _state['warn_only'] = mode, mode and warn_only


def are_deterministic_algorithms_enabled():
    return _state['deterministic']


def is_deterministic_algorithms_warn_only_enabled():
    return _state['warn_only']


def set_float32_matmul_precision(precision):
    """torch.set_float32_matmul_precision: 'highest', 'high' or 'medium' (ember's float32
    products are always computed in float32)."""
    if not isinstance(precision, str):
        raise RuntimeError('set_float32_matmul_precision expects a str, but got '
                           f'{type(precision).__name__}')
    if precision not in ('highest', 'high', 'medium'):
        warn_at_caller(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                       'setFloat32MatmulPrecision call has no effect. (Triggered internally at '
                       '/__w/pytorch/pytorch/aten/src/ATen/Context.cpp:458.)')
        return
    _state['matmul_precision'] = precision


def get_float32_matmul_precision():
    return _state['matmul_precision']


def set_warn_always(b):
    """torch.set_warn_always: warnings torch gives once are given every time (ember's
    warnings follow Python's filters)."""
    if b.__class__ is not bool:
        raise RuntimeError(f'setWarnOnlyOnce expects a bool, but got {type(b).__name__}')
    _state['warn_always'] = b


def is_warn_always_enabled():
    return _state['warn_always']


def _check_bool(value, argument):
    if value.__class__ is not bool:
        raise TypeError(f'{argument} must be bool, not {type(value).__name__}')
