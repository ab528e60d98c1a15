"""ember.accelerator: torch.accelerator without an accelerator (ember computes on the CPU
only, as yet), as torch's CPU-only build answers."""
from ._device import NO_ACCELERATOR, device as _device

__all__ = ['is_available', 'current_accelerator', 'device_count', 'current_device_index',
           'set_device_index', 'synchronize']


def device_count():
    return 0


def is_available():
    return device_count() > 0


def current_accelerator(check_available=False):
    """torch.accelerator.current_accelerator: the accelerator's device type (None: none)."""
    return None


def current_device_index():
    raise RuntimeError(NO_ACCELERATOR)


def set_device_index(device, /):
    """torch.accelerator.set_device_index."""
    if isinstance(device, str):
        device = _device(device)
    if isinstance(device, _device):
        raise RuntimeError('Accelerator expected')   # (no device type is one here)
    if not isinstance(device, int):
        raise ValueError(f'Expected a torch.device with a specified index or an integer, but '
                         f'got:{device}')
    raise RuntimeError(NO_ACCELERATOR)


def synchronize(device=None, /):
    raise RuntimeError(NO_ACCELERATOR)
