"""Test setup: ember importable from src/ and the shared helpers from tests/."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (os.path.join(_HERE, '..', 'src'), _HERE):
    _path = os.path.normpath(_path)
    if _path not in sys.path:
        sys.path.insert(0, _path)


from helpers import warn_always  # noqa: E402,F401  (a fixture for every test module)
