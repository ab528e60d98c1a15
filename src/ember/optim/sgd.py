"""torch.optim.SGD, computed as torch's CPU for-loop implementation (_single_tensor_sgd)."""
from .._tensor import Tensor
from .optimizer import (Optimizer, _add, _check_fused_flags, _check_fused_param, _check_group_flags,
                        _item, _scale)

__all__ = ['SGD']


class SGD(Optimizer):
    """torch.optim.SGD (with momentum, dampening, Nesterov, weight decay, maximize)."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError('Tensor lr must be 1-element')
        if lr < 0.0:
            raise ValueError(f'Invalid learning rate: {lr}')
        if momentum < 0.0:
            raise ValueError(f'Invalid momentum value: {momentum}')
        if weight_decay < 0.0:
            raise ValueError(f'Invalid weight_decay value: {weight_decay}')
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError('Nesterov momentum requires a momentum and zero dampening')
        super().__init__(params, defaults)
        _check_fused_flags(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, default in (('nesterov', False), ('maximize', False), ('foreach', None),
                                 ('differentiable', False), ('fused', False)):
                group.setdefault(key, default)

    def step(self, closure=None):
        """torch.optim.SGD.step: one update of every parameter that has a .grad."""
        return self._step_groups(closure)

    def _step_group(self, group):
        if group['differentiable']:
            _check_group_flags(group, group['params'][0])
        params = [p for p in group['params'] if p._grad is not None]
        if group['fused']:
            for p in params:
                _check_fused_param(p)
        rounded = _foreach_rounded_dtypes(params, self.state, group)
        for p in params:
            _sgd(p, self.state[p] if group['momentum'] != 0 else None, group, rounded)


def _foreach_rounded_dtypes(params, state, group):
    """The dtypes whose momentum buffers _multi_tensor_sgd scales by torch._foreach_mul_, which
    rounds the momentum to the dtype (Tensor.mul_ keeps it in opmath): with foreach, those of
    which every parameter already has a buffer."""
    if not group['foreach'] or group['momentum'] == 0:
        return ()
    dtypes = {p.dtype for p in params}
    return [d for d in dtypes if all('momentum_buffer' in state.get(p, ())
                                     for p in params if p.dtype is d)]


def _sgd(p, state, group, rounded):
    """_single_tensor_sgd (or _multi_tensor_sgd) for one parameter, on its arrays."""
    param = p._data
    grad = p._grad._data
    if group['maximize']:
        grad = -grad
    if group['weight_decay'] != 0:
        grad = _add(grad, param, group['weight_decay'])
    bump = 0 if group['fused'] else 1   # torch's fused kernel writes without version bumps
    if state is not None:
        grad = _momentum(p, state, grad, group, p.dtype in rounded, bump)
    param[...] = _add(param, grad, -_item(group['lr']))
    p._vc.value += bump


def _momentum(p, state, grad, group, rounded, bump):
    """The momentum buffer (created as a copy of the first gradient) and the step direction.
    With foreach, Nesterov's direction overwrites the gradient when that is p.grad itself."""
    momentum = group['momentum']
    buf = state.get('momentum_buffer')
    if buf is None:
        buf = state['momentum_buffer'] = p._grad.detach().clone()
        buf._data[...] = grad
    else:
        data = buf._data
        _scale(data, momentum, rounded)
        data[...] = _add(data, grad, 1 - group['dampening'])
        buf._vc.value += 2 * bump   # (mul_, then add_)
    if not group['nesterov']:
        return buf._data
    direction = _add(grad, buf._data, momentum)
    if group['foreach'] and grad is p._grad._data:
        grad[...] = direction
        p._grad._vc.value += 1
    return direction
