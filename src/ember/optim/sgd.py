"""torch.optim.SGD, computed as torch's CPU for-loop implementation (_single_tensor_sgd)."""
from .._exact import add_scaled
from .._tensor import Tensor
from .optimizer import (Optimizer, _check_fused_flags, _check_fused_param, _check_group_flags,
                        _real_view)

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
        for p in group['params']:
            if p._grad is None:
                continue
            if group['fused']:
                _check_fused_param(p)
            _sgd(p, self.state[p] if group['momentum'] != 0 else None, group)


def _sgd(p, state, group):
    """_single_tensor_sgd for one parameter, on its arrays."""
    param = _real_view(p._data)
    grad = _real_view(p._grad._data)
    if group['maximize']:
        grad = -grad
    if group['weight_decay'] != 0:
        grad = add_scaled(grad, param, float(group['weight_decay']))
    if state is not None:
        grad = _momentum(p, state, grad, group)
    param[...] = add_scaled(param, grad, -float(group['lr']))
    p._vc.value += 1


def _momentum(p, state, grad, group):
    """The momentum buffer (created as a copy of the first gradient) and the step direction."""
    momentum = group['momentum']
    buf = state.get('momentum_buffer')
    if buf is None:
        buf = state['momentum_buffer'] = p._grad.detach().clone()
        _real_view(buf._data)[...] = grad
    else:
        data = _real_view(buf._data)
        data *= data.dtype.type(momentum)
        data[...] = add_scaled(data, grad, 1 - group['dampening'])
        buf._vc.value += 1
    if group['nesterov']:
        return add_scaled(grad, _real_view(buf._data), momentum)
    return _real_view(buf._data)
