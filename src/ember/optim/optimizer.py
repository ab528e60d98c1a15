"""The optimizer base class (torch/optim/optimizer.py) and the array kernels its subclasses share.

Updates run on the backend arrays (``p._data``) under no_grad. Each kernel rounds as
ATen's CPU kernel does, so that N steps give bit-identical parameters:
``add(x, alpha=a)``, ``addcmul`` and ``lerp`` use a fused multiply-add (``ember._exact``),
Python-float scalars are rounded to the tensor's dtype first, and everything else is one
IEEE operation.
"""
import functools
import numbers
import warnings
from collections import defaultdict
from copy import deepcopy
from itertools import chain

from .._device import array_module
from .._exact import opmath_arrays, opmath_scalar
from .._ops.pointwise import _scaled_sum
from .._tensor import Tensor
from ..autograd.grad_mode import set_grad_mode, state as grad_state
from ..utils.hooks import RemovableHandle

__all__ = ['Optimizer', 'required', 'register_optimizer_step_pre_hook',
           'register_optimizer_step_post_hook']


class _RequiredParameter:
    """torch.optim.optimizer.required: marks a hyperparameter without a default."""

    def __repr__(self):
        return '<required parameter>'


required = _RequiredParameter()

_FUSED_DEVICES = ['mps', 'cuda', 'xpu', 'hpu', 'cpu', 'mtia', 'privateuseone']
_CAPTURABLE_DEVICES = ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']
_global_pre_hooks = []
_global_post_hooks = []


def register_optimizer_step_pre_hook(hook):
    """torch.optim.optimizer.register_optimizer_step_pre_hook: a step pre hook for every
    optimizer."""
    _global_pre_hooks.append(hook)
    return RemovableHandle(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """torch.optim.optimizer.register_optimizer_step_post_hook: a step post hook for every
    optimizer."""
    _global_post_hooks.append(hook)
    return RemovableHandle(_global_post_hooks, hook)


def _with_step_hooks(step):
    """step, with the optimizer's and the global step hooks run around it (torch's
    Optimizer.profile_hook_step): a pre hook may return new (args, kwargs)."""
    @functools.wraps(step)
    def hooked_step(self, *args, **kwargs):
        if not (self._optimizer_step_pre_hooks or self._optimizer_step_post_hooks
                or _global_pre_hooks or _global_post_hooks):
            return step(self, *args, **kwargs)
        args = (self, *args)
        for hook in (*_global_pre_hooks, *self._optimizer_step_pre_hooks):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f'{step} must return None or a tuple of (new_args, '
                                       f'new_kwargs), but got {result}.')
                args, kwargs = result
        out = step(*args, **kwargs)
        for hook in (*self._optimizer_step_post_hooks, *_global_post_hooks):
            hook(self, args, kwargs)
        return out
    return hooked_step


class Optimizer:
    """torch.optim.Optimizer: param_groups, per-parameter state, state_dict and zero_grad."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'step' in cls.__dict__:
            cls.step = _with_step_hooks(cls.step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks, self._optimizer_step_post_hooks = [], []
        if isinstance(params, Tensor):
            raise TypeError('params argument given to the optimizer should be an iterable of '
                            'Tensors or dicts, but got ' + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError('optimizer got an empty parameter list')
        if not isinstance(param_groups[0], dict):
            param_groups = [{'params': param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {'defaults': self.defaults, 'state': self.state, 'param_groups': self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault('_optimizer_step_pre_hooks', [])
        self.__dict__.setdefault('_optimizer_step_post_hooks', [])
        self.defaults.setdefault('differentiable', False)

    def __repr__(self):
        text = self.__class__.__name__ + ' ('
        for i, group in enumerate(self.param_groups):
            text += f'\nParameter Group {i}\n'
            for key in sorted(group.keys()):
                if key != 'params':
                    text += f'    {key}: {group[key]}\n'
        return text + ')'

    def step(self, closure=None):
        """torch.optim.Optimizer.step: subclasses update the parameters."""
        raise NotImplementedError

    def register_step_pre_hook(self, hook):
        """torch.optim.Optimizer.register_step_pre_hook: hook(optimizer, args, kwargs) before
        each step, returning None or new (args, kwargs)."""
        self._optimizer_step_pre_hooks.append(hook)
        return RemovableHandle(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """torch.optim.Optimizer.register_step_post_hook: hook(optimizer, args, kwargs) after
        each step."""
        self._optimizer_step_post_hooks.append(hook)
        return RemovableHandle(self._optimizer_step_post_hooks, hook)

    def _step_groups(self, closure):
        """The body of a subclass's step(): the closure with grad on, then each group's update
        without recording (torch's _use_grad_for_differentiable)."""
        loss = None
        previous = grad_state.grad_mode
        try:
            if closure is not None:
                set_grad_mode(True)
                loss = closure()
            set_grad_mode(False)
            for group in self.param_groups:
                self._step_group(group)
        finally:
            set_grad_mode(previous)
        return loss

    def zero_grad(self, set_to_none=True):
        """torch.optim.Optimizer.zero_grad: drop (or zero) every parameter's .grad."""
        for group in self.param_groups:
            for p in group['params']:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                if grad.grad_fn is not None:
                    grad.detach_()
                else:
                    grad.requires_grad_(False)
                grad._data[...] = 0
                grad._vc.value += 1

    def add_param_group(self, param_group):
        """torch.optim.Optimizer.add_param_group: validate a group and fill in the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f'param_group must be a dict, but got {type(param_group)}')
        _extract_params(param_group)
        for param in param_group['params']:
            if not isinstance(param, Tensor):
                raise TypeError('optimizer can only optimize Tensors, but one of the params is '
                                + _typename(param))
            if not self.defaults.get('differentiable', None) and not (
                    param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError('parameter group didn\'t specify a value of required '
                                 f'optimization parameter {name}')
            param_group.setdefault(name, default)
        self._check_new_group(param_group)
        self.param_groups.append(param_group)

    def _check_new_group(self, param_group):
        params = param_group['params']
        if len(params) != len(set(params)):
            warnings.warn('optimizer contains a parameter group with duplicate parameters; in '
                          'future, this will cause an error; see github.com/pytorch/pytorch/issues/'
                          '40967 for more information', stacklevel=4)
        seen = set()
        for group in self.param_groups:
            seen.update(group['params'])
            if ('param_names' in param_group) != ('param_names' in group):
                which = 'with names' if 'param_names' in param_group else 'without names'
                raise ValueError('all optimizer param groups should be with/without names. '
                                 f'cannot add param group {which} to the optimizer')
        if not seen.isdisjoint(params):
            raise ValueError('some parameters appear in more than one parameter group')

    def state_dict(self):
        """torch.optim.Optimizer.state_dict: {'state': {index: {...}}, 'param_groups': [...]}."""
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != 'params'}
            for p in group['params']:
                index.setdefault(id(p), len(index))
            packed['params'] = [index[id(p)] for p in group['params']]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {'state': state, 'param_groups': groups}

    def load_state_dict(self, state_dict):
        """torch.optim.Optimizer.load_state_dict: state by parameter position, cast like torch."""
        state_dict = state_dict.copy()   # (first, as torch's: its errors for a non-dict)
        groups = self.param_groups
        saved_groups = deepcopy(state_dict['param_groups'])
        if len(groups) != len(saved_groups):
            raise ValueError('loaded state dict has a different number of parameter groups')
        if any(len(g['params']) != len(s['params']) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g['params'] for g in saved_groups),
                          chain.from_iterable(g['params'] for g in groups)))
        state = defaultdict(dict)
        for k, v in state_dict['state'].items():
            if k in id_map:
                state[id_map[k]] = _cast_state(id_map[k], v, _group_of(k, saved_groups))
            else:
                state[k] = v
        for group, saved in zip(groups, saved_groups):
            saved['params'] = group['params']
            if 'param_names' in group and 'param_names' not in saved:
                saved['param_names'] = group['param_names']
        self.__setstate__({'state': state, 'param_groups': saved_groups})


def _typename(obj):
    """torch.typename: 'torch.FloatTensor' for tensors, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = obj.__class__.__module__
    name = obj.__class__.__qualname__
    return name if module in ('builtins', None) else f'{module}.{name}'


def _extract_params(param_group):
    """Normalise group['params'] to a list of tensors; (name, tensor) pairs fill 'param_names'."""
    params = param_group['params']
    if isinstance(params, Tensor):
        params = [params]
    elif isinstance(params, set):
        raise TypeError('optimizer parameters need to be organized in ordered collections, but '
                        'the ordering of tensors in sets will change between runs. Please use a '
                        'list instead.')
    params = list(params)
    names = [p[0] for p in params if isinstance(p, tuple)]
    param_group['params'] = [p[1] if isinstance(p, tuple) else p for p in params]
    if names:
        if len(names) != len(params):
            raise ValueError('all optimizer params should be with/without names. Some param '
                             'names are missing')
        param_group['param_names'] = names


def _group_of(param_id, groups):
    return next((g for g in groups if param_id in g['params']), {})


def _cast_state(param, value, group, key=None):
    """Optimizer._process_value_according_to_param_policy over a (nested) state value."""
    if isinstance(value, Tensor):
        if key == 'step':
            if group.get('capturable', False) or group.get('fused', False):
                from .. import float32
                return value.to(dtype=float32, device=param.device)
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, group, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, group) for v in value)
    return value


# ------------------------------------------------------------------ step helpers

def _check_fused_flags(fused, foreach, differentiable):
    """The RuntimeErrors torch's constructors raise for incompatible fused options."""
    if fused:
        if differentiable:
            raise RuntimeError('`fused` does not support `differentiable`')
        if foreach:
            raise RuntimeError('`fused` and `foreach` cannot be `True` together.')


def _check_fused_param(p):
    """_device_dtype_check_for_fused."""
    if not (p.device.type in _FUSED_DEVICES and p.is_floating_point()):
        raise RuntimeError('`fused=True` requires all the params to be floating point Tensors of '
                           f'supported devices: {_FUSED_DEVICES} but {p.dtype} and {p.device.type}')


def _check_group_flags(group, p):
    """What torch rejects at step time: differentiable (not supported by ember), capturable on CPU."""
    if group.get('differentiable'):
        raise NotImplementedError('ember.optim does not support differentiable=True')
    if group.get('capturable') and p.device.type not in _CAPTURABLE_DEVICES:
        raise AssertionError('If capturable=True, params and state_steps must be on supported '
                             f'devices: {_CAPTURABLE_DEVICES}.')


def _add(x, y, alpha):
    """torch.add(x, y, alpha=alpha) on arrays, rounded as ATen's kernel."""
    alpha = _item(alpha)
    if x.dtype.kind in 'biu' and not isinstance(alpha, numbers.Integral):
        raise RuntimeError('For integral input tensors, argument alpha must not be a floating '
                           'point number.')
    return x + y if alpha == 1 else _scaled_sum(x, y, alpha)


def _scale(array, factor, rounded=False):
    """array.mul_(factor) for a number factor: in ATen's opmath type, or, when ``rounded``
    (torch._foreach_mul_), with factor first rounded to the array's dtype."""
    xp = array_module(array)
    factor = xp.asarray(factor, array.dtype) if rounded else opmath_scalar(factor, array.dtype, xp)
    array[...] = opmath_arrays(array)[0] * factor


def _item(value):
    """A hyperparameter as a Python number (torch's _to_scalar for a Tensor)."""
    return value.item() if isinstance(value, Tensor) else value


def _scalar(value):
    """A hyperparameter for array math: a (1-element) Tensor becomes its 0-d array, as torch's
    _to_scalar squeezes it (dtype-exact arithmetic)."""
    return value._data.reshape(()) if isinstance(value, Tensor) else value


def _real_view(array):
    """torch.view_as_real for the elementwise update of a complex parameter."""
    if array.dtype.kind == 'c':
        return array.view(array.real.dtype)
    return array


def _real_views(*arrays):
    """_real_view of each of some arrays of one dtype."""
    if arrays[0].dtype.kind == 'c':
        return tuple(_real_view(array) for array in arrays)
    return arrays
