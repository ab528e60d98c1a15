"""The examples run on ember and print what torch prints for the same program."""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / 'examples'


def _run(source):
    """stdout and stderr of ``source`` run as a script from standard input."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT / 'src'), os.environ.get('PYTHONPATH')])))
    done = subprocess.run([sys.executable, '-'], input=source, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def _split_final_array(stdout):
    """The text before the last printed NumPy array, and that array's numbers."""
    head, _, tail = stdout.rpartition('tensor(-2.)\n')
    numbers = [float(v) for v in re.findall(r'[-+]?\d*\.?\d+(?:e[-+]?\d+)?', tail)]
    return head + 'tensor(-2.)\n', np.array(numbers)


def test_pytorch_basics_prints_what_torch_prints():
    pytest.importorskip('torch')
    source = (EXAMPLES / 'pytorch_basics.py').read_text()
    assert 'import ember as torch\n' in source
    ember_out, ember_err = _run(source)
    torch_out, torch_err = _run(source.replace('import ember as torch\n', 'import torch\n'))
    assert ember_err == torch_err  # the UserWarning about copying a tensor, same line
    ember_head, ember_w = _split_final_array(ember_out)
    torch_head, torch_w = _split_final_array(torch_out)
    assert ember_head == torch_head
    # The trained weights went through 1000 BLAS matmuls whose sums NumPy may order
    # differently from torch: equal up to float32 rounding, not always in the last digit.
    assert ember_w.shape == (3,)
    np.testing.assert_allclose(ember_w, torch_w, rtol=1e-4, atol=1e-5)
