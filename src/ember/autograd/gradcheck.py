"""torch.autograd.gradcheck / gradgradcheck: analytical vs. finite-difference Jacobians."""
from . import grad_mode


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable(inputs):
    from .._tensor import Tensor
    return [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]


def _numerical_jacobian(func, inputs, wrt, eps):
    """Column j: (f(x + eps e_j) - f(x - eps e_j)) / 2eps, for each input in ``wrt``."""
    jacobians = []
    for t in wrt:
        flat = t._data.reshape(-1)
        columns = []
        for j in range(flat.size):
            original = flat[j].copy()
            flat[j] = original + eps
            plus = [o.detach()._data.copy() for o in _as_tuple(func(*inputs))]
            flat[j] = original - eps
            minus = [o.detach()._data.copy() for o in _as_tuple(func(*inputs))]
            flat[j] = original
            columns.append([((p - m) / (2 * eps)).reshape(-1) for p, m in zip(plus, minus)])
        jacobians.append(columns)
    return jacobians


def _analytical_jacobian(outputs, wrt):
    """Row i of output k: gradient of its element i with respect to each input in ``wrt``."""
    from . import grad as autograd_grad
    from .._creation import zeros_like
    rows = []
    for out in outputs:
        out_rows = []
        for i in range(out.numel()):
            seed = zeros_like(out)
            seed._data.reshape(-1)[i] = 1
            grads = autograd_grad(out, wrt, seed, retain_graph=True, allow_unused=True)
            out_rows.append([None if g is None else g._data.reshape(-1).copy() for g in grads])
        rows.append(out_rows)
    return rows


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """torch.autograd.gradcheck: True when backward agrees with finite differences."""
    import numpy
    inputs = _as_tuple(inputs)
    wrt = _differentiable(inputs)
    outputs = [o for o in _as_tuple(func(*inputs)) if o.requires_grad]
    analytical = _analytical_jacobian(outputs, wrt)
    numerical = _numerical_jacobian(func, inputs, wrt, eps)
    for k, out in enumerate(outputs):
        for t_index in range(len(wrt)):
            a = numpy.array([[0.0] * wrt[t_index].numel() if r[t_index] is None else r[t_index]
                             for r in analytical[k]]).reshape(out.numel(), -1)
            n = numpy.array([col[k] for col in numerical[t_index]]).T.reshape(out.numel(), -1)
            if not numpy.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f'Jacobian mismatch for output {k} with respect to input {t_index},\n'
                        f'numerical:{_jacobian_tensor(n, wrt[t_index])}\n'
                        f'analytical:{_jacobian_tensor(a, wrt[t_index])}\n')
                return False
    return True


def _jacobian_tensor(jacobian, input):
    """A Jacobian (output elements x input elements) as torch prints it in gradcheck's error:
    a tensor of the input's dtype, a row per input element."""
    from .._tensor import _make
    return _make(jacobian.T.astype(input._data.dtype), input.dtype)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """torch.autograd.gradgradcheck: gradcheck of the first derivative (second order)."""
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    outputs = _as_tuple(func(*inputs))
    if grad_outputs is None:
        grad_outputs = tuple(_random_like(o) for o in outputs)
    grad_outputs = _as_tuple(grad_outputs)
    n_inputs = len(inputs)

    def first_derivative(*args):
        ins, seeds = args[:n_inputs], args[n_inputs:]
        outs = _as_tuple(func(*ins))
        wrt = _differentiable(ins)
        grads = autograd_grad(outs, wrt, seeds, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)


def _random_like(t):
    """A fixed pseudo-random float64 seed gradient (torch draws one with randn_like)."""
    import numpy
    from .._tensor import _make
    values = numpy.random.default_rng(0).standard_normal(t._data.shape).astype(t._data.dtype)
    return _make(values, t.dtype).requires_grad_(True)


class GradcheckError(RuntimeError):
    """torch.autograd.gradcheck.GradcheckError."""
