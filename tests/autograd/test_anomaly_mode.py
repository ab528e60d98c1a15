"""torch.autograd.detect_anomaly / set_detect_anomaly against torch: the mode's flags, the
nan check's errors, and the warnings holding the forward tracebacks."""
import warnings

import pytest
import torch

from helpers import check
import ember


def test_mode_flags_and_the_warning_on_entering():
    def run(T):
        flags = [(T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled())]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            with T.autograd.detect_anomaly():
                flags.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
                with T.autograd.set_detect_anomaly(True, check_nan=False):
                    flags.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
                flags.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
        flags.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
        T.autograd.set_detect_anomaly(True)   # a function too: on until set off
        flags.append(T.is_anomaly_enabled())
        T.autograd.set_detect_anomaly(False)
        flags.append(T.is_anomaly_enabled())
        T.set_anomaly_enabled(True, False)
        flags.append((T.is_anomaly_enabled(), T.is_anomaly_check_nan_enabled()))
        T.set_anomaly_enabled(False)
        return flags, [(w.category.__name__, str(w.message), w.lineno) for w in caught]
    check(run)


def _caught(T, code, check_nan=True, forward_in_mode=True):
    """Runs ``code`` (x, y = ...; a backward) with anomaly detection: the error, the warnings'
    first lines and last forward frame, and the nodes' recorded tracebacks' last frames."""
    namespace = {'T': T}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', UserWarning)
        try:
            if not forward_in_mode:
                exec(code.split('\n')[0], namespace)
            with T.autograd.set_detect_anomaly(True, check_nan=check_nan):
                exec(code if forward_in_mode else '\n'.join(code.split('\n')[1:]), namespace)
            error = None
        except Exception as e:   # noqa: BLE001 - compared with torch's
            error = (type(e).__name__, str(e))
    messages = []
    for w in caught:   # the frames of the code run here (torch's have its own Python frames too)
        kept, keep = [], True
        for line in str(w.message).split('\n'):
            if line.startswith('  File "'):
                keep = '<string>' in line
            elif not line.startswith('    '):
                keep = True
            if keep:
                kept.append(line)
        messages.append(kept)
    return error, messages


ANOMALIES = {
    'div_nan': 'x = T.tensor([0., 1.], requires_grad=True)\n(x / x).sum().backward()',
    'grad_outputs_nan': 'x = T.tensor([0., 1.], requires_grad=True)\n'
                        'T.autograd.grad((x * x).sum(), x, grad_outputs=T.tensor(float("nan")))',
    'mul_nan_grad': 'w = T.tensor([1., 2.], requires_grad=True)\n(w * float("nan")).sum().backward()',
    'nan_values_not_grads': 'w = T.tensor([float("nan"), 2.], requires_grad=True)\n'
                            '(w * 2).sum().backward()',
    'no_nan': 'x = T.tensor([1., 2.], requires_grad=True)\n(x.sqrt() * x).sum().backward()',
    'version': 'x = T.tensor([1., 2.], requires_grad=True)\ny = x * 1\nz = y * y\ny.add_(1)\n'
               'z.sum().backward()',
    'freed': 'x = T.tensor([1., 2.], requires_grad=True)\nz = (x * x).sum()\nz.backward()\n'
             'z.backward()',
}


@pytest.mark.parametrize('name', list(ANOMALIES))
@pytest.mark.parametrize('check_nan', [True, False])
@pytest.mark.parametrize('forward_in_mode', [True, False])
def test_backward_errors_warn_with_the_forward_traceback(name, check_nan, forward_in_mode):
    """A node whose backward fails (or returns nan, with check_nan) warns "Error detected in
    <node>" with the traceback of the forward call that made it, or that none was recorded."""
    check(lambda T: _caught(T, ANOMALIES[name], check_nan, forward_in_mode))


def test_nodes_made_by_a_backward_name_their_parent():
    """A node made by another node's backward (create_graph=True) warns with that node's
    forward traceback too ("Previous calculation was induced by")."""
    def run(T):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 1

            @staticmethod
            def backward(ctx, g):
                return g * T.tensor([float('nan'), 1.])

        code = ('x = T.tensor([0., 1.], requires_grad=True)\ny = F.apply(x * 2)\n'
                'with T.autograd.set_detect_anomaly(True, check_nan=False):\n'
                '    g, = T.autograd.grad((y * x).sum(), x, create_graph=True)\n'
                'g.sum().backward()')
        T.F = F
        try:
            return _caught(T, code.replace('F.apply', 'T.F.apply'))
        finally:
            del T.F
    error, messages = check(run)[0]
    assert error == ('RuntimeError', "Function 'MulBackward0' returned nan values in its 0th "
                                     "output.")
    assert messages[1][2].startswith('Previous calculation was induced by FBackward.')


def test_recorded_forward_traceback_ends_at_the_callers_line():
    def run(T):
        with T.autograd.set_detect_anomaly(True):
            y = T.tensor([1., 2.], requires_grad=True).exp()
        return y.grad_fn.metadata['traceback_'][-1]
    check(run)
