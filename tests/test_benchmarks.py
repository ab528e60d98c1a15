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
