"""torch.random: seeding and saving the state of the default CPU generator."""
import contextlib

from ._generator import default_generator

__all__ = ['set_rng_state', 'get_rng_state', 'manual_seed', 'seed', 'initial_seed', 'fork_rng']


def set_rng_state(new_state):
    """torch.random.set_rng_state: restore a state from get_rng_state (a uint8 tensor)."""
    default_generator.set_state(new_state)


def get_rng_state():
    """torch.random.get_rng_state: the default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def manual_seed(seed):
    """torch.random.manual_seed: reseed the default generator and return it."""
    return default_generator.manual_seed(int(seed))


def seed():
    """torch.random.seed: reseed the default generator non-deterministically; return the seed."""
    return default_generator.seed()


def initial_seed():
    """torch.random.initial_seed: the default generator's current seed."""
    return default_generator.initial_seed()


# What torch's CPU build does with the RNG state of device ``index`` of each type that has a
# module (torch.get_device_module): fail as its module fails
_NOT_COMPILED = 'Torch not compiled with {} enabled'
_DEVICE_RNG_ERRORS = {
    'xpu': lambda: AssertionError(_NOT_COMPILED.format('XPU')),
    'mtia': lambda: AssertionError(
        _NOT_COMPILED.format('MTIA') + '. Ensure you have `import mtia.host_runtime.torch_mtia.'
        'dynamic_library` in your python src file and include `//mtia/host_runtime/torch_mtia:'
        'torch_mtia` as your target dependency!'),
    'mps': lambda: RuntimeError('Cannot execute getDefaultGenerator() without MPS backend.'),
    'cpu': lambda: AttributeError("module 'torch.cpu' has no attribute 'get_rng_state'"),
}


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller='fork_rng', _devices_kw='devices',
             device_type=None):
    """torch.random.fork_rng: restore the CPU generator's state, and that of the accelerator
    ``device_type``'s ``devices`` (CUDA's by default, of which there are none), when the block
    exits; a device index fails as torch's CPU build fails it."""
    if device_type == 'meta':
        yield
        return
    from . import _device, cuda
    kind = _device.as_device(device_type or 'cuda').type
    if kind != 'cuda' and kind not in _DEVICE_RNG_ERRORS:
        raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered as "
                           f"'torch.{kind}'.")
    if not enabled:
        yield
        return
    if devices is None:  # every device of the type: a CPU is one
        devices = [0] if kind == 'cpu' else list(range(cuda.device_count()))
    devices = list(devices)
    if devices and kind != 'cuda':
        raise _DEVICE_RNG_ERRORS[kind]()
    state = get_rng_state()
    device_states = [cuda.get_rng_state(device) for device in devices]
    try:
        yield
    finally:
        set_rng_state(state)
        for device, device_state in zip(devices, device_states):
            cuda.set_rng_state(device_state, device)
