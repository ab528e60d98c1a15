"""python -m benchmarks [NAME ...] [--steps N] [--repeats N]: speed against torch and NumPy."""
import argparse

from . import curve_fitting

BENCHMARKS = {'curve_fitting': curve_fitting.main}


def main():
    parser = argparse.ArgumentParser(prog='python -m benchmarks', description=__doc__)
    parser.add_argument('names', nargs='*', metavar='NAME',
                        help=f'benchmarks to run (default: all of {", ".join(BENCHMARKS)})')
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--points', type=int, default=100,
                        help='points a step (the tutorial has 100; the targets are for 100)')
    parser.add_argument('--segments', action='store_true',
                        help='time each line of the loop instead of the whole loop')
    parser.add_argument('--opcodes', action='store_true',
                        help="count the bytecode instructions of one step of ember's loop")
    args = parser.parse_args()
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f'unknown benchmark(s): {", ".join(unknown)}')
    for name in args.names or BENCHMARKS:
        BENCHMARKS[name](steps=args.steps, repeats=args.repeats, segments=args.segments,
                        opcodes=args.opcodes, points=args.points)


main()
