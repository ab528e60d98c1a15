"""The benchmarks' own machinery (their timings are not tests: see docs/design.md)."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.opcodes import count_instructions  # noqa: E402


def _twice(n):
    return [_double(i) for i in range(n)]


def _double(i):
    return i * 2


def test_instructions_are_counted_by_function_and_grow_with_the_work():
    one = count_instructions(lambda: _twice(1))
    three = count_instructions(lambda: _twice(3))
    doubles = [n for (filename, name), n in three.items() if name == '_double']
    assert doubles and doubles[0] == 3 * sum(n for (f, name), n in one.items() if name == '_double')
    assert sys.gettrace() is None  # tracing is switched off again


def test_one_step_of_the_loop_runs_under_the_counter(capsys):
    from benchmarks.curve_fitting import print_step_instructions
    print_step_instructions()
    lines = capsys.readouterr().out.splitlines()
    assert int(lines[0].split()[0]) > 1000
    assert any(line.split()[1] == 'apply' for line in lines[1:])


def test_the_floor_computes_the_loops_gradient_and_adam_step():
    """The floor's timing means something only if it does the loop's work: its gradient and
    first Adam step equal ember's for the same data."""
    import numpy as np
    import ember
    from benchmarks import floor
    x_values = np.linspace(-10, 10, 7, dtype=np.float32)
    w_values = np.array([[0.5], [-1.0], [2.0]], np.float32)
    results = []
    for library, tensor in ((floor, floor.Tensor), (ember, ember.from_numpy)):
        x, w = tensor(x_values.copy()), tensor(w_values.copy()).requires_grad_(True)
        opt = library.optim.Adam([w], 0.1)
        y = 5 * x * x + 3
        f = library.stack([x * x, x, library.ones_like(x)], 1)
        loss = library.nn.functional.mse_loss(library.squeeze(f @ w, 1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        results.append((np.asarray(w.grad), w.detach().numpy()))
    (floor_grad, floor_w), (ember_grad, ember_w) = results
    np.testing.assert_allclose(floor_grad, ember_grad, rtol=1e-5)
    np.testing.assert_allclose(floor_w, ember_w, rtol=1e-6)
