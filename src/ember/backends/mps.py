"""ember.backends.mps: torch.backends.mps without Apple's MPS."""

__all__ = ['is_available', 'is_built']


def is_available():
    return False


def is_built():
    return False
