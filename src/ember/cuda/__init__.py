"""ember.cuda: torch.cuda as torch's CPU-only build has it.

ember has no CUDA backend yet (a later issue builds one on CuPy), so it sees no CUDA device:
the queries answer as torch's do without CUDA (``is_available()`` is False, the memory
counters 0), seeding has nothing to seed, and what needs a device raises torch's
AssertionError. A program that picks its device with ``torch.cuda.is_available()`` thus
runs on the CPU.
"""
import collections

from .._device import device as _device
from .._tensor_types import CUDA_LEGACY_CLASSES

__all__ = ['is_available', 'device_count', 'is_initialized', 'init', 'current_device',
           'set_device', 'get_device_name', 'get_device_capability', 'get_device_properties',
           'synchronize', 'mem_get_info', 'empty_cache', 'memory_allocated',
           'max_memory_allocated', 'memory_reserved', 'max_memory_reserved', 'memory_stats',
           'is_bf16_supported', 'is_tf32_supported', 'manual_seed', 'manual_seed_all', 'seed',
           'seed_all', 'initial_seed', 'get_rng_state', 'set_rng_state', 'get_rng_state_all',
           'set_rng_state_all', 'get_arch_list', 'get_gencode_flags', 'device', 'device_of',
           *CUDA_LEGACY_CLASSES]

_NOT_COMPILED = 'Torch not compiled with CUDA enabled'


def device_count():
    """torch.cuda.device_count: the CUDA devices ember can use (none yet)."""
    return 0


def is_available():
    """torch.cuda.is_available."""
    return device_count() > 0


def is_initialized():
    return False


def _lazy_init():
    """What torch.cuda's device functions start with: CUDA's initialisation, which fails."""
    raise AssertionError(_NOT_COMPILED)


def init():
    _lazy_init()


def current_device():
    _lazy_init()


def get_device_name(device=None):
    _lazy_init()


def get_device_capability(device=None):
    _lazy_init()


def get_device_properties(device=None):
    _lazy_init()


def synchronize(device=None):
    _lazy_init()


def mem_get_info(device=None):
    _lazy_init()


def initial_seed():
    _lazy_init()


def get_rng_state(device='cuda'):
    _lazy_init()


def set_device(device):
    """torch.cuda.set_device: a negative index selects nothing."""
    if _device_index(device) >= 0:
        _lazy_init()


def _device_index(device, optional=False):
    """torch.cuda._get_device_index: the index of a CUDA device given as a torch.device, a
    string or an int (None: the current device where ``optional``)."""
    if isinstance(device, str):
        device = _device(device)
    if isinstance(device, _device):
        if device.type != 'cuda':
            raise ValueError(f'Expected a cuda device, but got: {device}')
        if device.index is not None or optional:
            return device.index
    elif isinstance(device, int) or device is None and optional:
        return device
    raise ValueError(f'Expected a torch.device with a specified index or an integer, but '
                     f'got:{device}')


def empty_cache():
    """torch.cuda.empty_cache: nothing is cached."""


def memory_stats(device=None):
    """torch.cuda.memory_stats: no allocator, no statistics."""
    return collections.OrderedDict()


def memory_allocated(device=None):
    return memory_stats(device).get('allocated_bytes.all.current', 0)


def max_memory_allocated(device=None):
    return memory_stats(device).get('allocated_bytes.all.peak', 0)


def memory_reserved(device=None):
    return memory_stats(device).get('reserved_bytes.all.current', 0)


def max_memory_reserved(device=None):
    return memory_stats(device).get('reserved_bytes.all.peak', 0)


def is_bf16_supported(including_emulation=True):
    return is_available()


def is_tf32_supported():
    return is_available()


def manual_seed(seed):
    """torch.cuda.manual_seed: seeds the current device's generator once CUDA is initialised
    (never, here)."""
    int(seed)


def manual_seed_all(seed):
    int(seed)


def seed():
    """torch.cuda.seed: no device generator to seed."""


def seed_all():
    """torch.cuda.seed_all: no device generators to seed."""


def set_rng_state(new_state, device='cuda'):
    """torch.cuda.set_rng_state: queued for CUDA's initialisation (never, here)."""
    new_state.clone()


def get_rng_state_all():
    return [get_rng_state(i) for i in range(device_count())]


def set_rng_state_all(new_states):
    for i, state in enumerate(new_states):
        set_rng_state(state, i)


def get_arch_list():
    return []


def get_gencode_flags():
    return ''


class device:
    """torch.cuda.device: a context manager selecting a CUDA device (a negative index or None:
    none)."""

    def __init__(self, device):
        self.idx = _device_index(device, optional=True)
        self.prev_idx = -1

    def __enter__(self):
        if self.idx is not None and self.idx >= 0:
            raise RuntimeError('PyTorch was compiled without CUDA support')

    def __exit__(self, type, value, traceback):
        return False


class device_of(device):
    """torch.cuda.device_of: the device of a tensor (a CPU tensor selects none)."""

    def __init__(self, obj):
        super().__init__(obj.get_device() if obj.is_cuda else -1)


globals().update(CUDA_LEGACY_CLASSES)  # torch.cuda.FloatTensor, ...
