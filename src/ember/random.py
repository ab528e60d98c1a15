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


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller='fork_rng', _devices_kw='devices',
             device_type=None):
    """torch.random.fork_rng: restore the generator's state when the block exits."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
