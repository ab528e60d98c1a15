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
from collections import OrderedDict, defaultdict
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
_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


class _Handle(RemovableHandle):
    """torch.utils.hooks.RemovableHandle over an OrderedDict of hooks keyed by the handle's
    id, as torch keeps an optimizer's hooks (which ``prepend`` reorders)."""

    __slots__ = ()

    def __init__(self, hooks, hook, prepend=False):
        super().__init__(hooks, hook)
        hooks[self.id] = hook
        if prepend:
            hooks.move_to_end(self.id, last=False)

    def remove(self):
        self._hooks.pop(self.id, None)


def register_optimizer_step_pre_hook(hook):
    """torch.optim.optimizer.register_optimizer_step_pre_hook: a step pre hook for every
    optimizer."""
    return _Handle(_global_optimizer_pre_hooks, hook)


def register_optimizer_step_post_hook(hook):
    """torch.optim.optimizer.register_optimizer_step_post_hook: a step post hook for every
    optimizer."""
    return _Handle(_global_optimizer_post_hooks, hook)


class Optimizer:
    """torch.optim.Optimizer: param_groups, per-parameter state, state_dict and zero_grad."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._patch_step_function()
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
        self._warned_capturable_if_run_uncaptured = True

    def __getstate__(self):
        return {'defaults': self.defaults, 'state': self.state, 'param_groups': self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in _HOOK_DICTS:
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault('differentiable', False)

    def __repr__(self):
        text = self.__class__.__name__ + ' ('
        for i, group in enumerate(self.param_groups):
            text += f'\nParameter Group {i}\n'
            for key in sorted(group.keys()):
                if key != 'params':
                    text += f'    {key}: {group[key]}\n'
        return text + ')'

    def _accelerator_graph_capture_health_check(self):
        """torch's check that a capturable optimizer runs in a CUDA graph: nothing to check on
        the CPU."""

    _cuda_graph_capture_health_check = _accelerator_graph_capture_health_check

    def _optimizer_step_code(self):
        """torch's entry point for its profiler, called after each step: does nothing."""

    @staticmethod
    def profile_hook_step(func):
        """torch.optim.Optimizer.profile_hook_step: func (a step method) with the global and
        the optimizer's step hooks run around it; a pre hook may return new (args, kwargs)."""
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            self = args[0]
            if not (self._optimizer_step_pre_hooks or self._optimizer_step_post_hooks
                    or _global_optimizer_pre_hooks or _global_optimizer_post_hooks):
                out = func(*args, **kwargs)
                self._optimizer_step_code()
                return out
            for pre_hook in chain(_global_optimizer_pre_hooks.values(),
                                  self._optimizer_step_pre_hooks.values()):
                result = pre_hook(self, args, kwargs)
                if result is not None:
                    if isinstance(result, tuple) and len(result) == 2:
                        args, kwargs = result
                    else:
                        raise RuntimeError(f'{func} must return None or a tuple of (new_args, '
                                           f'new_kwargs), but got {result}.')
            out = func(*args, **kwargs)
            self._optimizer_step_code()
            for post_hook in chain(self._optimizer_step_post_hooks.values(),
                                   _global_optimizer_post_hooks.values()):
                post_hook(self, args, kwargs)
            return out
        return wrapper

    def _patch_step_function(self):
        """Wrap the class's step in profile_hook_step once (torch marks it ``hooked``)."""
        self._zero_grad_profile_name = f'Optimizer.zero_grad#{self.__class__.__name__}.zero_grad'
        if not getattr(self.__class__.step, 'hooked', None):
            self.__class__.step = self.profile_hook_step(self.__class__.step)
            self.__class__.step.hooked = True

    def step(self, closure=None):
        """torch.optim.Optimizer.step: subclasses update the parameters."""
        raise NotImplementedError

    def register_step_pre_hook(self, hook):
        """torch.optim.Optimizer.register_step_pre_hook: hook(optimizer, args, kwargs) before
        each step, returning None or new (args, kwargs)."""
        return _Handle(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """torch.optim.Optimizer.register_step_post_hook: hook(optimizer, args, kwargs) after
        each step."""
        return _Handle(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """torch.optim.Optimizer.register_state_dict_pre_hook: hook(optimizer) before
        state_dict()."""
        return _Handle(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """torch.optim.Optimizer.register_state_dict_post_hook: hook(optimizer, state_dict)
        after state_dict(), returning None or the state dict to return instead."""
        return _Handle(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """torch.optim.Optimizer.register_load_state_dict_pre_hook: hook(optimizer,
        state_dict) on load_state_dict's shallow copy, returning None or the dict to load."""
        return _Handle(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """torch.optim.Optimizer.register_load_state_dict_post_hook: hook(optimizer) after
        load_state_dict()."""
        return _Handle(self._optimizer_load_state_dict_post_hooks, hook, prepend)

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
        """torch.optim.Optimizer.state_dict: {'state': {index: {...}}, 'param_groups': [...]},
        around the state dict hooks. A parameter's index is its position in the groups (the
        last, for one listed twice)."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        index = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != 'params'}
            params = group['params']
            index.update({id(p): i for i, p in enumerate(params, start) if id(p) not in index})
            packed['params'] = [index[id(p)] for p in params]
            start += len(params)
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {'state': state, 'param_groups': groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param, value, param_id, param_groups, key=None):
        """A loaded state tensor for param: 'step' as it is (float32 for fused or capturable
        groups), others cast to a floating param's dtype."""
        if param_groups is None:
            raise AssertionError('Expected param_groups to be set')
        return _cast_tensor(param, value, _group_of(param_id, param_groups), key)

    def load_state_dict(self, state_dict):
        """torch.optim.Optimizer.load_state_dict: state by parameter position, cast like torch,
        around the load_state_dict hooks."""
        state_dict = state_dict.copy()   # (first, as torch's: its errors for a non-dict)
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
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
                state[id_map[k]] = _cast_state(
                    id_map[k], v, _group_of(k, state_dict['param_groups']))
            else:
                state[k] = v
        for group, saved in zip(groups, saved_groups):
            saved['params'] = group['params']
            if 'param_names' in group and 'param_names' not in saved:
                saved['param_names'] = group['param_names']
        self.__setstate__({'state': state, 'param_groups': saved_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)


_HOOK_DICTS = ('_optimizer_step_pre_hooks', '_optimizer_step_post_hooks',
               '_optimizer_state_dict_pre_hooks', '_optimizer_state_dict_post_hooks',
               '_optimizer_load_state_dict_pre_hooks', '_optimizer_load_state_dict_post_hooks')


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
    """load_state_dict's _cast over a (nested) state value: tensors as
    _process_value_according_to_param_policy, containers rebuilt."""
    if isinstance(value, Tensor):
        return _cast_tensor(param, value, group, key)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, group, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, group) for v in value)
    return value


def _cast_tensor(param, value, group, key):
    if key == 'step':
        if group.get('capturable', False) or group.get('fused', False):
            from .. import float32
            return value.to(dtype=float32, device=param.device)
        return value
    if param.is_floating_point():
        return value.to(dtype=param.dtype, device=param.device)
    return value.to(device=param.device)


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


def _check_differentiable(params):
    """differentiable=True, which ember does not support, for a step that has parameters to
    update: torch's autograd error where the first is a leaf that requires grad (torch fails
    on updating it in place), NotImplementedError otherwise."""
    if params[0].is_leaf and params[0].requires_grad:
        raise RuntimeError('a leaf Variable that requires grad is being used in an in-place '
                           'operation.')
    raise NotImplementedError('ember.optim does not support differentiable=True')


def _learnable(weight_decay):
    """A weight decay Tensor that requires grad: torch's SGD adds it by addcmul_, and its
    argument parser refuses it as a Number (alpha=) elsewhere."""
    return isinstance(weight_decay, Tensor) and weight_decay.requires_grad


def _foreach_alpha_error(maximize):
    """The TypeError of torch._foreach_add(grads, params, alpha=weight_decay) for a weight
    decay that requires grad (_foreach_add_ on the negated grads, with maximize)."""
    name, first = ('_foreach_add_', 'tuple') if maximize else ('_foreach_add', 'list')
    return TypeError(f'{name}() received an invalid combination of arguments - got ({first}, '
                     'list, alpha=Tensor), but expected one of:\n'
                     ' * (tuple of Tensors self, Number scalar)\n'
                     ' * (tuple of Tensors self, tuple of Scalars scalars)\n'
                     ' * (tuple of Tensors self, Tensor other, *, Number alpha = 1)\n'
                     ' * (tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)\n')


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
