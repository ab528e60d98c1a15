"""torch.optim.SGD, computed as torch's CPU for-loop implementation (_single_tensor_sgd)."""
from .._tensor import Tensor
from .optimizer import (Optimizer, _add, _check_differentiable, _check_fused_flags,
                        _check_fused_param, _foreach_alpha_error, _item, _learnable,
                        _scale)

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
        if fused:
            self._step_supports_amp_scaling = True
            self._need_device_dtype_check_for_fused = True
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
        """_init_group and sgd() of one group: the momentum buffers are read for every
        parameter first and written back after (the last write wins for a parameter listed
        twice), as torch's step does."""
        params = [p for p in group['params'] if p._grad is not None]
        if group['fused'] and getattr(self, '_need_device_dtype_check_for_fused', True):
            if params:   # (torch checks the first parameter with a .grad, once)
                _check_fused_param(params[0])
                self._need_device_dtype_check_for_fused = False
        if group['differentiable'] and params:
            _check_differentiable(params)
        if group['momentum'] == 0:
            bufs = None
        else:
            bufs = [self.state[p].get('momentum_buffer') for p in params]
        if group['fused']:
            _fused_sgd(params, bufs, group)
        elif group['foreach']:
            for indices in _by_dtype(params):
                sub = None if bufs is None else [bufs[i] for i in indices]
                _multi_tensor_sgd([params[i] for i in indices], sub, group)
                if sub is not None:
                    for i, buf in zip(indices, sub):
                        bufs[i] = buf
        else:
            _single_tensor_sgd(params, bufs, group)
        if bufs is not None:
            for p, buf in zip(params, bufs):
                self.state[p]['momentum_buffer'] = buf


def _by_dtype(params):
    """The positions of params grouped by dtype, groups in order of first appearance (torch's
    _group_tensors_by_device_and_dtype, on one device)."""
    groups = {}
    for i, p in enumerate(params):
        groups.setdefault(p.dtype, []).append(i)
    return list(groups.values())


def _single_tensor_sgd(params, bufs, group, bump=1):
    """_single_tensor_sgd (``bump`` 0: the fused kernel, which bumps no version counter)."""
    lr, weight_decay, momentum = _item(group['lr']), group['weight_decay'], group['momentum']
    for i, p in enumerate(params):
        param = p._data
        grad = -p._grad._data if group['maximize'] else p._grad._data
        if weight_decay != 0:
            if _learnable(weight_decay):   # grad.addcmul_(param.clone(), weight_decay)
                grad[...] = _add(grad, param, weight_decay)
                if not group['maximize']:
                    p._grad._vc.value += bump
            else:
                grad = _add(grad, param, weight_decay)
        if momentum != 0:
            buf = bufs[i]
            if buf is None:
                buf = bufs[i] = _new_buffer(p, grad)
            else:
                _scale(buf._data, momentum)
                buf._data[...] = _add(buf._data, grad, 1 - group['dampening'])
                buf._vc.value += 2 * bump   # (mul_, then add_)
            grad = _add(grad, buf._data, momentum) if group['nesterov'] else buf._data
        param[...] = _add(param, grad, -lr)
        p._vc.value += bump


def _new_buffer(p, grad):
    """grad.detach().clone(): a momentum buffer like p.grad holding ``grad``'s values."""
    buf = p._grad.detach().clone()
    buf._data[...] = grad
    return buf


def _multi_tensor_sgd(params, bufs, group):
    """_multi_tensor_sgd on the parameters of one dtype: each torch._foreach_ op over all of
    them before the next. torch._foreach_mul_ rounds the momentum to the dtype (Tensor.mul_,
    used while some buffer is missing, keeps it in opmath); Nesterov's direction overwrites
    the gradients in place, p.grad itself without maximize or weight decay."""
    lr, weight_decay, momentum = _item(group['lr']), group['weight_decay'], group['momentum']
    grads = [p._grad._data for p in params]
    owned = group['maximize'] or weight_decay != 0   # grads are new arrays, not p.grad's
    if group['maximize']:
        grads = [-g for g in grads]
    if weight_decay != 0:
        if _learnable(weight_decay):
            raise _foreach_alpha_error(group['maximize'])
        grads = [_add(g, p._data, weight_decay) for g, p in zip(grads, params)]
    if momentum != 0:
        dampening = group['dampening']
        if all(buf is not None for buf in bufs):
            for buf in bufs:
                _scale(buf._data, momentum, rounded=True)
                buf._vc.value += 1
            for buf, g in zip(bufs, grads):
                buf._data[...] = _add(buf._data, g, 1 - dampening)
                buf._vc.value += 1
        else:
            for i, (p, g) in enumerate(zip(params, grads)):
                if bufs[i] is None:
                    bufs[i] = _new_buffer(p, g)
                else:
                    _scale(bufs[i]._data, momentum)
                    bufs[i]._data[...] = _add(bufs[i]._data, g, 1 - dampening)
                    bufs[i]._vc.value += 2
        if group['nesterov']:
            for p, g, buf in zip(params, grads, bufs):
                g[...] = _add(g, buf._data, momentum)
                if not owned:
                    p._grad._vc.value += 1
        else:
            grads = [buf._data for buf in bufs]
    for p, g in zip(params, grads):
        p._data[...] = _add(p._data, g, -lr)
        p._vc.value += 1


def _fused_sgd(params, bufs, group):
    """_fused_sgd, computed as the for-loop implementation without version bumps: on its
    first step (no parameter has a buffer) it makes them all; a buffer missing later is
    torch's TypeError for the None in the kernel's argument list."""
    if not params:
        return
    if bufs is not None and any(buf is not None for buf in bufs):
        for indices in _by_dtype(params):
            missing = [j for j, i in enumerate(indices) if bufs[i] is None]
            if missing:
                raise TypeError(f'expected Tensor as element {missing[0]} in argument 2, but '
                                'got NoneType')
    _single_tensor_sgd(params, bufs, group, bump=0)
