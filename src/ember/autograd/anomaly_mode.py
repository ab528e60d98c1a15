"""torch.autograd.anomaly_mode: anomaly detection for the backward engine.

While it is on, every node linked into the graph keeps the traceback of the forward call
that made it (``node.metadata['traceback_']``; a node made by another node's backward, with
create_graph=True, also keeps that node as ``metadata['parent_']``). When a node's backward
fails, the engine warns with those tracebacks before the error goes on; with ``check_nan``,
a node that returns a gradient holding nan is such a failure.
"""
import os
import threading
import warnings

from .._device import array_module

__all__ = ['detect_anomaly', 'set_detect_anomaly']

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class _Mode:
    """The mode, process-wide as torch's."""
    enabled = False
    check_nan = True


mode = _Mode()
_running = threading.local()   # .node: the node whose backward this thread is running


def is_anomaly_enabled():
    """torch.is_anomaly_enabled."""
    return mode.enabled


def is_anomaly_check_nan_enabled():
    """torch.is_anomaly_check_nan_enabled."""
    return mode.check_nan


def set_anomaly_enabled(enabled, check_nan=True):
    """torch.set_anomaly_enabled."""
    mode.enabled, mode.check_nan = bool(enabled), bool(check_nan)


class detect_anomaly:
    """Context manager that turns anomaly detection on (torch.autograd.detect_anomaly)."""

    def __init__(self, check_nan=True):
        self.prev, self.prev_check_nan = is_anomaly_enabled(), is_anomaly_check_nan_enabled()
        self.check_nan = check_nan
        warnings.warn('Anomaly Detection has been enabled. This mode will increase the runtime '
                      'and should only be enabled for debugging.', stacklevel=2)

    def __enter__(self):
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args):
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Turns anomaly detection on or off now; as a context manager, back on exit
    (torch.autograd.set_detect_anomaly)."""

    def __init__(self, mode, check_nan=True):
        self.prev, self.prev_check_nan = is_anomaly_enabled(), is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *args):
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def record_forward(node):
    """Keep the traceback of the call making ``node`` (its frames outside ember: torch's ops
    have no Python frames) and the node whose backward is making it, if any."""
    import traceback
    stack = [frame for frame in traceback.extract_stack()
             if not frame.filename.startswith(_PACKAGE_DIR)]
    metadata = node.metadata
    metadata['traceback_'] = traceback.format_list(stack)
    parent = getattr(_running, 'node', None)
    if parent is not None:
        metadata['parent_'] = parent


def run_watched(node, grads):
    """``node._run_backward(grads)``, in anomaly mode: a failure (with check_nan, a nan in a
    returned gradient) is preceded by a warning holding the forward tracebacks."""
    outer, _running.node = getattr(_running, 'node', None), node
    try:
        result = node._run_backward(grads)
        if mode.check_nan:
            for i, grad in enumerate(result if result.__class__ is tuple else (result,)):
                if grad is not None and _has_nan(grad._data):
                    raise RuntimeError(f"Function '{node.name()}' returned nan values in its "
                                       f'{i}th output.')
        return result
    except Exception:
        _warn_forward_stacks(node)
        raise
    finally:
        _running.node = outer


def _has_nan(array):
    return array.dtype.kind in 'fcV' and bool(array_module(array).isnan(array).any())


def _warn_forward_stacks(node):
    """torch's PyAnomalyMetadata::print_stack: the failing node's forward traceback, then each
    parent's, as a UserWarning."""
    metadata = node.__dict__.get('_metadata', {})
    stack = metadata.get('traceback_')
    if stack is None:
        message = (f'Error detected in {node.name()}. No forward pass information available. '
                   'Enable detect anomaly during forward pass for more information. (Triggered '
                   'internally at /__w/pytorch/pytorch/torch/csrc/autograd/'
                   'python_anomaly_mode.cpp:100.)')
    else:
        message = (f'Error detected in {node.name()}. Traceback of forward call that caused the '
                   f'error:\n{"".join(stack)} (Triggered internally at '
                   '/__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:122.)')
    from .._warnings import warn_at_caller
    warn_at_caller(message)
    parent = metadata.get('parent_')
    while parent is not None:
        parent_metadata = parent.__dict__.get('_metadata', {})
        warn_at_caller(f'\n\nPrevious calculation was induced by {parent.name()}. Traceback of '
                       'forward call that induced the previous calculation:\n'
                       f'{"".join(parent_metadata.get("traceback_", ()))} (Triggered internally '
                       'at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:129.)')
        parent = parent_metadata.get('parent_')
