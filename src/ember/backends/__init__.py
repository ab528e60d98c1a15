"""ember.backends: torch.backends' switches and queries for the backends torch's CPU-only build
lacks (cuDNN, cuBLAS, MPS), as that build answers them. ember computes with none of them;
the switches keep their values."""
import contextlib

_frozen = [False]  # disable_global_flags(): switches change only inside their flags() blocks


def disable_global_flags():
    """torch.backends.disable_global_flags: refuse plain assignments to the switches (torch's
    test suite does this, so that no test forgets to undo one)."""
    _frozen[0] = True


def flags_frozen():
    return _frozen[0]


@contextlib.contextmanager
def mutation_allowed():
    """The switches writable for a while (how a flags() block sets and restores them)."""
    frozen, _frozen[0] = _frozen[0], False
    try:
        yield
    finally:
        _frozen[0] = frozen


def check_bool(value, setter):
    """A backend switch takes only a bool: else the RuntimeError of torch's ``setter`` (which
    names its C++ function)."""
    if value.__class__ is not bool:
        raise RuntimeError(f'{setter} expects a bool, but got {type(value).__name__}')


def flag(name, setter):
    """A bool switch of a backend module, as a property of its module class."""
    def set_flag(module, value):
        if flags_frozen():
            raise RuntimeError(f'not allowed to set {module.__name__} flags after '
                               'disable_global_flags; please use flags() context manager instead')
        check_bool(value, setter)
        module.__dict__[name] = value
    return property(lambda module: module.__dict__[name], set_flag)


from . import cuda, cudnn, mps  # noqa: E402,F401  (torch.backends.cudnn... after import torch)
