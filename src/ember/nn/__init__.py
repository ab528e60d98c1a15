"""ember.nn: torch.nn (modules arrive with the nn issue; functional is here now)."""
from . import functional
