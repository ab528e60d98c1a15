"""The tutorial's curve-fitting loop (Adam on a 3-parameter polynomial, 100 points a step, or
``points``)
timed in ember, in torch, and in hand-written NumPy doing the same arithmetic without autograd."""
import time

import numpy as np

from . import floor
from .opcodes import count_instructions, print_instructions


def torch_like_loop(torch, steps, points=100):
    """The tutorial's training loop, for any module with torch's API."""
    torch.manual_seed(0)
    w = torch.randn([3, 1]).requires_grad_(True)
    opt = torch.optim.Adam([w], 0.1)
    for _ in range(steps):
        x = torch.rand(points) * 20 - 10
        y = 5 * x * x + 3
        f = torch.stack([x * x, x, torch.ones_like(x)], 1)
        yhat = torch.squeeze(f @ w, 1)
        loss = torch.nn.functional.mse_loss(yhat, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w.detach().numpy()


def numpy_loop(steps, points=100, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    """The same loop by hand: forward, the gradient of w written out, and Adam's update."""
    rng = np.random.RandomState(0)
    w = rng.standard_normal((3, 1)).astype(np.float32)
    exp_avg = np.zeros_like(w)
    exp_avg_sq = np.zeros_like(w)
    for step in range(1, steps + 1):
        x = rng.random_sample(points).astype(np.float32) * 20 - 10
        y = 5 * x * x + 3
        f = np.stack([x * x, x, np.ones_like(x)], 1)
        yhat = (f @ w)[:, 0]
        diff = yhat - y
        loss = (diff * diff).mean()  # noqa: F841 (computed as the tutorial does)
        grad_w = f.T @ (np.float32(2 / points) * diff)[:, None]
        exp_avg += (grad_w - exp_avg) * np.float32(1 - beta1)
        exp_avg_sq *= np.float32(beta2)
        exp_avg_sq += grad_w * grad_w * np.float32(1 - beta2)
        denom = np.sqrt(exp_avg_sq) / np.float32((1 - beta2 ** step) ** 0.5) + np.float32(eps)
        w -= exp_avg / denom * np.float32(lr / (1 - beta1 ** step))
    return w


SEGMENTS = ('rand', 'x * 20 - 10', '5 * x * x + 3', 'stack', 'squeeze(f @ w)', 'mse_loss',
            'zero_grad', 'backward', 'step')


def segment_times(torch, steps, points=100):
    """torch_like_loop with a clock reading between its lines: the wall time of each line,
    summed over ``steps`` (perf_counter: the process must have the machine to itself, and
    each reading adds about 0.1 us)."""
    clock = time.perf_counter
    totals = [0.0] * len(SEGMENTS)
    torch.manual_seed(0)
    w = torch.randn([3, 1]).requires_grad_(True)
    opt = torch.optim.Adam([w], 0.1)
    for _ in range(steps):
        t0 = clock()
        x = torch.rand(points)
        t1 = clock()
        x = x * 20 - 10
        t2 = clock()
        y = 5 * x * x + 3
        t3 = clock()
        f = torch.stack([x * x, x, torch.ones_like(x)], 1)
        t4 = clock()
        yhat = torch.squeeze(f @ w, 1)
        t5 = clock()
        loss = torch.nn.functional.mse_loss(yhat, y)
        t6 = clock()
        opt.zero_grad()
        t7 = clock()
        loss.backward()
        t8 = clock()
        opt.step()
        t9 = clock()
        marks = (t0, t1, t2, t3, t4, t5, t6, t7, t8, t9)
        for i in range(len(SEGMENTS)):
            totals[i] += marks[i + 1] - marks[i]
    return totals


def print_segments(libraries, steps, repeats, points=100):
    """Per-line microseconds of the loop (best of ``repeats``) for each library."""
    rows = {}
    for name, torch in libraries.items():
        runs = [segment_times(torch, steps, points) for _ in range(repeats)]
        rows[name] = [min(run[i] for run in runs) / steps * 1e6 for i in range(len(SEGMENTS))]
    print(f'per line, us/step (best of {repeats}): ' + '  '.join(f'{n:>8s}' for n in rows))
    for i, segment in enumerate(SEGMENTS):
        print(f'  {segment:16s}' + '  '.join(f'{rows[n][i]:8.1f}' for n in rows))


def best_time(run, repeats):
    """Best CPU time of this process over ``repeats`` runs (each library runs on one thread,
    so this is its compute time, least disturbed by other processes on the machine)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def print_step_instructions():
    """The bytecode instructions of one step of ember's loop (the second: the first also
    creates Adam's state), by function."""
    import ember
    torch_like_loop(ember, 2)  # lazy imports and caches out of the way
    two = count_instructions(lambda: torch_like_loop(ember, 2))
    two.subtract(count_instructions(lambda: torch_like_loop(ember, 1)))
    print_instructions(+two)


def main(steps=1000, repeats=5, segments=False, opcodes=False, points=100):
    if opcodes:
        print_step_instructions()
        return None
    import ember
    libraries = {'ember': ember, 'floor': floor}
    try:
        import torch
        torch.set_num_threads(1)
        libraries['torch'] = torch
    except ImportError:
        print('torch is not installed: skipping its timing')
    if segments:
        print_segments(libraries, steps, repeats, points)
        return None
    results = {name: best_time(lambda: torch_like_loop(library, steps, points), repeats)
               for name, library in libraries.items()}
    results['numpy'] = best_time(lambda: numpy_loop(steps, points), repeats)
    print(f'curve fitting, {points} points, {steps} Adam steps (best of {repeats}; floor: the '
          'leanest pure-Python autograd, none of torch\'s semantics, see benchmarks/floor.py):')
    for name, seconds in results.items():
        print(f'  {name:6s} {seconds * 1e3:8.1f} ms   {seconds / steps * 1e6:7.1f} us/step')
    targets = {'torch': 0.33, 'numpy': 2.0} if points == 100 else {}  # the tutorial's size
    for measured in ('ember', 'floor'):
        for name in ('torch', 'numpy'):
            if name in results:
                target = f'  (target <= {targets[name]})' if name in targets else ''
                print(f'  {measured} / {name} = {results[measured] / results[name]:.2f}{target}')
    return results
