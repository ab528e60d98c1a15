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
