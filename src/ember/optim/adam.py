"""torch.optim.Adam, computed as torch's CPU for-loop implementation (_single_tensor_adam)."""
from .. import _dtype
from .._creation import tensor, zeros_like
from .._device import array_module
from .._exact import (addcmul_operands, fma_kernel, fma_staged, lerp_operands,
                      opmath_arrays, opmath_scalar, opmath_type)
from .._tensor import ARRAY_TYPES, Tensor, wrap
from .optimizer import (_CAPTURABLE_DEVICES, Optimizer, _add, _check_differentiable,
                        _check_fused_flags, _check_fused_param, _foreach_alpha_error,
                        _learnable, _real_view, _real_views, _scalar, _scale)

__all__ = ['Adam']


class Adam(Optimizer):
    """torch.optim.Adam (with amsgrad, maximize, decoupled_weight_decay)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check_hyperparameters(lr, betas, eps, weight_decay, foreach, capturable)
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        if fused:
            self._step_supports_amp_scaling = True
        _check_fused_flags(fused, foreach, differentiable)
        self._workspaces = {}  # (shape, dtype, array class) -> _Workspace

    def __setstate__(self, state):
        super().__setstate__(state)
        self._workspaces = {}
        for group in self.param_groups:
            for key, default in (('amsgrad', False), ('maximize', False), ('foreach', None),
                                 ('capturable', False), ('differentiable', False),
                                 ('decoupled_weight_decay', False), ('fused', None)):
                group.setdefault(key, default)
            for p in group['params']:
                p_state = self.state.get(p)
                if p_state and not isinstance(p_state['step'], Tensor):
                    p_state['step'] = _step_tensor(float(p_state['step']), group)

    def step(self, closure=None):
        """torch.optim.Adam.step: one update of every parameter that has a .grad."""
        return self._step_groups(closure)

    def _step_group(self, group):
        """_init_group (the state of every parameter with a .grad, and its checks), then the
        implementation's checks, then the update of each parameter."""
        params = []
        for p in group['params']:
            if p._grad is None:
                continue
            params.append(p)
            state = self.state[p]
            if not state:
                _init_state(p, state, group)
            if group['foreach'] and isinstance(group['lr'], Tensor) and not group['capturable']:
                raise RuntimeError('lr as a Tensor is not supported for capturable=False and '
                                   'foreach=True')
        if not params:
            return
        if group['foreach'] or group['capturable'] or group['differentiable']:
            _check_implementation(params, group)
        weight_decay = group['weight_decay']
        if (weight_decay != 0 and _learnable(weight_decay) and not group['fused']
                and not group['decoupled_weight_decay']):
            # torch counts the step (of each parameter of the first dtype, with foreach)
            # before its argument parser refuses the Tensor as grad.add's alpha
            for p in params if group['foreach'] else params[:1]:
                if p.dtype is params[0].dtype:
                    _count_step(self.state[p]['step'])
            if group['foreach']:
                raise _foreach_alpha_error(group['maximize'])
            raise TypeError("add(): argument 'alpha' must be Number, not Tensor")
        for p in params:
            _adam(p, self.state[p], group, self._workspaces)


def _check_implementation(params, group):
    """What torch's _single_tensor_adam / _multi_tensor_adam reject before updating (its
    fused kernel takes capturable on the CPU); differentiable=True is not supported by ember
    (torch's in-place update of a leaf that requires grad raises its autograd error)."""
    fused, foreach, capturable = group['fused'], group['foreach'], group['capturable']
    if foreach and not fused:
        for i, beta in enumerate(group['betas']):
            if isinstance(beta, Tensor) and not capturable:
                raise ValueError(f'beta{i + 1} as a Tensor is not supported for '
                                 'capturable=False and foreach=True')
    if capturable and not fused:
        devices = _CAPTURABLE_DEVICES if not foreach else [
            d for d in _CAPTURABLE_DEVICES if d != 'xla']
        if params[0].device.type not in devices:
            raise AssertionError('If capturable=True, params and state_steps must be on '
                                 f'supported devices: {devices}.')
    if group['differentiable']:
        if foreach and not fused:
            raise AssertionError("_foreach ops don't support autograd")
        _check_differentiable(params)


def _check_hyperparameters(lr, betas, eps, weight_decay, foreach, capturable):
    """The ValueErrors of torch.optim.Adam.__init__."""
    if isinstance(lr, Tensor):
        if foreach and not capturable:
            raise ValueError('lr as a Tensor is not supported for capturable=False and foreach=True')
        if lr.numel() != 1:
            raise ValueError('Tensor lr must be 1-element')
    if not 0.0 <= lr:
        raise ValueError(f'Invalid learning rate: {lr}')
    if not 0.0 <= eps:
        raise ValueError(f'Invalid epsilon value: {eps}')
    for i in range(2):   # (betas[i], as torch: a float or a 1-tuple fails here)
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f'Invalid beta parameter at index {i}: {betas[i]}')
    if not 0.0 <= weight_decay:
        raise ValueError(f'Invalid weight_decay value: {weight_decay}')
    if not (all(isinstance(b, float) for b in betas) or all(isinstance(b, Tensor) for b in betas)):
        raise ValueError('betas must be either both floats or both Tensors')
    for i, beta in enumerate(betas):
        if isinstance(beta, Tensor):
            if not capturable and foreach:
                raise ValueError(f'betas[{i}] as a Tensor is not supported for capturable=False '
                                 'and foreach=True')
            if beta.numel() != 1:
                raise ValueError(f'Tensor betas[{i}] must be 1-element')


def _step_tensor(value, group):
    """The state's step count as torch keeps it: a float32 tensor, float64 where the default
    dtype is (unless fused or capturable)."""
    wide = (not (group['fused'] or group['capturable'])
            and _dtype.get_default_dtype() is _dtype.float64)
    return tensor(value, dtype=_dtype.float64 if wide else _dtype.float32)


def _init_state(p, state, group):
    """Adam._init_group's lazy state: step (a 0-d tensor), exp_avg, exp_avg_sq[, max_exp_avg_sq]."""
    if group['fused']:
        _check_fused_param(p)
    state['step'] = _step_tensor(0.0, group)
    state['exp_avg'] = zeros_like(p)
    state['exp_avg_sq'] = zeros_like(p)
    if group['amsgrad']:
        state['max_exp_avg_sq'] = zeros_like(p)


def _adam(p, state, group, workspaces):
    """_single_tensor_adam for one parameter, on its arrays."""
    exp_avg_t, exp_avg_sq_t = state['exp_avg'], state['exp_avg_sq']
    grad = -p._grad._data if group['maximize'] else p._grad._data
    lr = _scalar(group['lr'])
    step = _count_step(state['step'])
    bump = 0 if group['fused'] else 1   # torch's fused kernel writes without version bumps
    if group['weight_decay'] != 0:
        # _single_tensor_adam decays complex values, _multi_tensor_adam their real views
        grad = _decay_weight(p, *(_real_views(p._data, grad) if group['foreach']
                                  else (p._data, grad)), lr, group, bump)
    param, grad, exp_avg, exp_avg_sq = _real_views(p._data, grad, exp_avg_t._data,
                                                   exp_avg_sq_t._data)
    work = _workspace(workspaces, grad)
    const = _constants(group, work)
    _update_moments(exp_avg, exp_avg_sq, grad, const, work)
    exp_avg_t._vc.value += bump
    exp_avg_sq_t._vc.value += 2 * bump
    second = _update_max(state, exp_avg_sq, bump) if group['amsgrad'] else exp_avg_sq
    # denom = (second.sqrt() / bias_correction2_sqrt).add_(eps)
    denom = const.xp.sqrt(second)
    work.bias_sqrt[()], work.step_size[()] = const.bias_terms(lr, step)
    denom /= work.bias_sqrt
    denom += const.eps
    # param.addcdiv_(exp_avg, denom, value=-step_size)
    update = const.xp.multiply(exp_avg, work.step_size)
    update /= denom
    param += update
    p._vc.value += bump


def _decay_weight(p, param, grad, lr, group, bump):
    """param.mul_(1 - lr * weight_decay) when decoupled, else grad.add(param,
    alpha=weight_decay): the gradient the update then uses."""
    weight_decay = group['weight_decay']
    if group['decoupled_weight_decay']:
        _scale(param, 1 - lr * weight_decay, rounded=group['foreach'])
        p._vc.value += bump
        return grad
    return _add(grad, param, weight_decay)


class _Constants:
    """A group's per-step constants for parameters of one dtype and backend: the betas as the
    bias corrections use them, and the scalars of the array updates as each kernel rounds
    them (in opmath; torch._foreach_mul_, with foreach, rounds beta2 to the dtype), and Tensor
    betas themselves (``beta_tensors``), which the bias corrections are computed with."""
    __slots__ = ('xp', 'beta1', 'beta2', 'weight1', 'beta2_d', 'weight2', 'eps', 'beta_tensors')

    def __init__(self, beta1, beta2, eps, dtype, xp, foreach, lerp_beta1=None,
                 beta_tensors=None):
        self.xp, self.beta1, self.beta2, self.beta_tensors = xp, beta1, beta2, beta_tensors
        lerp_beta1 = beta1 if lerp_beta1 is None else lerp_beta1
        self.weight1 = opmath_scalar(1 - lerp_beta1, dtype, xp)  # exp_avg.lerp_(grad, 1 - beta1)
        self.beta2_d = (xp.asarray(beta2, dtype) if foreach  # exp_avg_sq.mul_(beta2)
                        else opmath_scalar(beta2, dtype, xp))
        self.weight2 = opmath_scalar(1 - beta2, dtype, xp)    # .addcmul_(.., value=1 - beta2)
        self.eps = opmath_scalar(eps, dtype, xp)              # denom.add_(eps)

    def bias_terms(self, lr, step):
        """(bias_correction2_sqrt, -step_size) of step ``step``, as torch's Adam computes them:
        Python floats, or for Tensor betas Tensors in their dtype (whose ** 3 is x * x * x)."""
        if self.beta_tensors is None:
            return (1 - self.beta2 ** step) ** 0.5, -(lr / (1 - self.beta1 ** step))
        beta1, beta2 = self.beta_tensors
        if lr.__class__ in ARRAY_TYPES:  # a Tensor lr's 0-d array: torch divides the Tensor
            lr = wrap(lr)
        return ((1 - beta2 ** step) ** 0.5).item(), (-(lr / (1 - beta1 ** step))).item()


def _constants(group, work):
    """The group's _Constants for the parameters of ``work``: for float betas and eps, kept in
    work and remade when their values change."""
    (beta1, beta2), eps, foreach = group['betas'], group['eps'], group['foreach']
    if isinstance(beta1, Tensor) or isinstance(beta2, Tensor) or isinstance(eps, Tensor):
        # _single_tensor_adam casts a Tensor beta1 to the param's dtype for the lerp
        lerp_beta1 = beta1._data.astype(work.dtype) if isinstance(beta1, Tensor) else None
        return _Constants(_scalar(beta1), _scalar(beta2), _scalar(eps), work.dtype, work.xp,
                          foreach, lerp_beta1, (beta1, beta2))
    values = beta1, beta2, eps, foreach
    if work.constants_of != values:
        work.constants = _Constants(beta1, beta2, eps, work.dtype, work.xp, foreach)
        work.constants_of = values
    return work.constants


def _count_step(step_t):
    """step_t += 1 on the float32 (or float64) step tensor; its value as a Python float."""
    data = step_t._data
    data.fill(data.item() + 1)
    step_t._vc.value += 1
    return data.item()


def _update_moments(exp_avg, exp_avg_sq, grad, const, work):
    """exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2),
    on the arrays."""
    exp_avg_sq *= const.beta2_d
    g, m, v = opmath_arrays(grad, exp_avg, exp_avg_sq)
    lerp_fma = lerp_operands(m, g, const.weight1)
    addcmul_fma = addcmul_operands(v, g, g, const.weight2)
    if work.stacked:
        exp_avg[...], exp_avg_sq[...] = work.fma_pair(lerp_fma, addcmul_fma)
    else:
        work.fma(*lerp_fma, out=exp_avg)
        work.fma(*addcmul_fma, out=exp_avg_sq)


_STACKED_SIZE = 4096  # up to this size, both moment FMAs go to one kernel call (see _Workspace)


def _workspace(workspaces, grad):
    """The _Workspace for parameters like grad (real view), kept in ``workspaces``."""
    key = grad.shape, grad.dtype, grad.__class__
    work = workspaces.get(key)
    if work is None:
        if grad.dtype.kind not in 'fV':  # bool and integer: torch's exp_avg.lerp_ has no kernel
            raise NotImplementedError('"lerp_kernel_scalar" not implemented for '
                                      f"'{_dtype._BY_NUMPY[grad.dtype].scalar_name}'")
        work = workspaces[key] = _Workspace(array_module(grad), grad.shape, grad.dtype,
                                            stacked=grad.size <= _STACKED_SIZE)
    return work


class _Workspace:
    """What the update of parameters of one shape and dtype reuses from step to step: their
    backend module and FMA kernel (fma_kernel), the _Constants of the last float betas and eps
    it was used with (see _constants), the two step-dependent scalars, and for small
    (``stacked``) shapes, where NumPy's per-call cost dominates, the operands a, b and c of two
    FMAs, each stacked as one array (fma_staged), so that one kernel call computes both. (For
    large shapes stacking would only add copies.)"""
    __slots__ = ('xp', 'dtype', 'fma', 'constants_of', 'constants', 'bias_sqrt', 'step_size',
                 'stacked', 'staged_fma', 'a', 'b', 'c', 'a0', 'b0', 'c0', 'a1', 'b1', 'c1',
                 'b0_value')

    def __init__(self, xp, shape, dtype, stacked):
        self.xp, self.dtype, self.fma = xp, dtype, fma_kernel(dtype)
        self.constants_of = self.constants = None
        opmath = opmath_type(dtype, xp)
        self.bias_sqrt, self.step_size = xp.empty((), opmath), xp.empty((), opmath)
        self.stacked = stacked
        if stacked:
            stage_dtype, self.staged_fma = fma_staged(dtype, xp)
            self.a, self.b, self.c = xp.empty((3, 2) + shape, stage_dtype)
            self.a0, self.b0, self.c0 = self.a[0, ...], self.b[0, ...], self.c[0, ...]
            self.a1, self.b1, self.c1 = self.a[1, ...], self.b[1, ...], self.c[1, ...]
            self.b0_value = None

    def fma_pair(self, first, second):
        """a * b + c for first's operands (a, b, c) and for second's, by one kernel call on the
        stacked operands: the two results (views, valid until the next call). first's b, a
        scalar (lerp's weight), is only copied in when it is another object than last time."""
        self.a0[...], b0, self.c0[...] = first
        if b0 is not self.b0_value:
            self.b0[...] = self.b0_value = b0
        self.a1[...], self.b1[...], self.c1[...] = second
        self.staged_fma(self.a, self.b, self.c, out=self.a)
        return self.a0, self.a1


def _update_max(state, exp_avg_sq, bump):
    """torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i]); its array."""
    max_exp_avg_sq = state['max_exp_avg_sq']
    data = _real_view(max_exp_avg_sq._data)
    array_module(data).maximum(data, exp_avg_sq, out=data)
    max_exp_avg_sq._vc.value += bump
    return data
