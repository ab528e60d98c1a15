"""ember.version: torch.version's facts about this build (no CUDA, no ROCm)."""
from . import __version__  # noqa: F401

cuda = None
hip = None
debug = False
