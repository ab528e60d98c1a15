"""Warnings that point at the user's code, as torch's C++ warnings point at the Python line
that called the op."""
import os
import sys
import warnings

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_at_caller(message, category=UserWarning):
    """warnings.warn, located at the first frame outside ember."""
    frame = sys._getframe(1)
    level = 2  # warnings.warn counts from this function: 2 is its caller
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


_warned = set()


def warn_once(message, category=UserWarning, key=None):
    """TORCH_WARN_ONCE: the warning the first time in the process (every time after
    torch.set_warn_always(True)), located at the caller outside ember. Warnings that share a
    ``key`` (by default the message) come once between them."""
    from ._config import is_warn_always_enabled   # (_config warns through this module)
    key = message if key is None else key
    if key in _warned and not is_warn_always_enabled():
        return
    _warned.add(key)
    warn_at_caller(message, category)


def warn_deprecated_overload(name, old, new):
    """torch's parser's warning for a deprecated overload (once in the process for them all)."""
    warn_once(f'This overload of {name} is deprecated:\n\t{old}\nConsider using one of the '
              f'following signatures instead:\n\t{new} (Triggered internally at '
              '/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841.)',
              key='deprecated overload')
