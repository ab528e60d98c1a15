"""The tutorial's curve-fitting loop (Adam on a 3-parameter polynomial, 100 points a step)
timed in ember, in torch, and in hand-written NumPy doing the same arithmetic without autograd."""
import time

import numpy as np


def torch_like_loop(torch, steps):
    """The tutorial's training loop, for any module with torch's API."""
    torch.manual_seed(0)
    w = torch.randn([3, 1]).requires_grad_(True)
    opt = torch.optim.Adam([w], 0.1)
    for _ in range(steps):
        x = torch.rand(100) * 20 - 10
        y = 5 * x * x + 3
        f = torch.stack([x * x, x, torch.ones_like(x)], 1)
        yhat = torch.squeeze(f @ w, 1)
        loss = torch.nn.functional.mse_loss(yhat, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w.detach().numpy()


def numpy_loop(steps, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    """The same loop by hand: forward, the gradient of w written out, and Adam's update."""
    rng = np.random.RandomState(0)
    w = rng.standard_normal((3, 1)).astype(np.float32)
    exp_avg = np.zeros_like(w)
    exp_avg_sq = np.zeros_like(w)
    for step in range(1, steps + 1):
        x = rng.random_sample(100).astype(np.float32) * 20 - 10
        y = 5 * x * x + 3
        f = np.stack([x * x, x, np.ones_like(x)], 1)
        yhat = (f @ w)[:, 0]
        diff = yhat - y
        loss = (diff * diff).mean()  # noqa: F841 (computed as the tutorial does)
        grad_w = f.T @ (np.float32(2 / 100) * diff)[:, None]
        exp_avg += (grad_w - exp_avg) * np.float32(1 - beta1)
        exp_avg_sq *= np.float32(beta2)
        exp_avg_sq += grad_w * grad_w * np.float32(1 - beta2)
        denom = np.sqrt(exp_avg_sq) / np.float32((1 - beta2 ** step) ** 0.5) + np.float32(eps)
        w -= exp_avg / denom * np.float32(lr / (1 - beta1 ** step))
    return w


def best_time(run, repeats):
    """Best CPU time of this process over ``repeats`` runs (each library runs on one thread,
    so this is its compute time, least disturbed by other processes on the machine)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main(steps=1000, repeats=5):
    import ember
    results = {'ember': best_time(lambda: torch_like_loop(ember, steps), repeats),
               'numpy': best_time(lambda: numpy_loop(steps), repeats)}
    try:
        import torch
        torch.set_num_threads(1)
        results['torch'] = best_time(lambda: torch_like_loop(torch, steps), repeats)
    except ImportError:
        print('torch is not installed: skipping its timing')
    print(f'curve fitting, {steps} Adam steps (best of {repeats}):')
    for name, seconds in results.items():
        print(f'  {name:6s} {seconds * 1e3:8.1f} ms   {seconds / steps * 1e6:7.1f} us/step')
    ember_time = results['ember']
    if 'torch' in results:
        print(f'  ember / torch = {ember_time / results["torch"]:.2f}  (target <= 0.33)')
    print(f'  ember / numpy = {ember_time / results["numpy"]:.2f}  (target <= 2.0)')
    return results
