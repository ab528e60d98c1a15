"""python -m benchmarks [curve_fitting] [--steps N]"""
import argparse

from . import curve_fitting

BENCHMARKS = {'curve_fitting': curve_fitting.main}


def main():
    parser = argparse.ArgumentParser(prog='python -m benchmarks', description=__doc__)
    parser.add_argument('names', nargs='*', choices=[*BENCHMARKS, []],
                        help='benchmarks to run (default: all)')
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    for name in args.names or BENCHMARKS:
        BENCHMARKS[name](steps=args.steps, repeats=args.repeats)


main()
