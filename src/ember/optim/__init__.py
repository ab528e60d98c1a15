"""ember.optim: torch.optim's optimizers, updating parameters exactly as torch's CPU kernels do."""
from .optimizer import Optimizer
from .adam import Adam
from .sgd import SGD

__all__ = ['Optimizer', 'Adam', 'SGD']
