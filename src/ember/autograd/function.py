"""torch.autograd.Function: user-defined ops with a hand-written backward.

``MyOp.apply(*args)`` runs ``forward(ctx, *args)`` on tensors without recording, then
records one node (the ``ctx``, named ``MyOpBackward``) whose backward calls
``MyOp.backward(ctx, *grads)``. The ctx is an ordinary graph node, so saved tensors,
version checks, hooks and freeing after backward work as for built-in ops.
"""
import functools
import warnings

from . import grad_mode
from .._dtype import COMPLEX, FLOAT
from .graph import Node, accumulator_of, link, new_node, output_of, version_error
from .._warnings import warn_at_caller

_NO_EDGE = (None, 0)


class FunctionCtx(Node):
    """The ``ctx`` of a custom Function, and its grad_fn node."""

    __repr__ = object.__repr__  # a Python class, named with its module: torch's is too

    _keeps_unneeded_grads = True  # its hooks see all its backward returns, as torch's PyNode
    _runs_undefined = True  # (materialized as zeros, or None with set_materialize_grads(False))
    to_save = dirty_tensors = non_differentiable = None  # what forward marks (None again once
    saved_for_forward = None                             # apply has used them, as torch's)

    def __call__(self, *grads):  # (torch's Python nodes aren't callable)
        raise TypeError(f"'{type(self).__name__}' object is not callable")

    def save_for_backward(self, *tensors):
        from .._tensor import Tensor
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f'save_for_backward can only save variables, but argument {i} '
                                f'is of type {type(t).__name__}')
        self.to_save = tensors  # saved (with their versions) once forward has returned

    def save_for_forward(self, *tensors):
        """Tensors for a jvp (kept until apply returns; ember has no forward-mode AD)."""
        from .._tensor import Tensor
        if not all(t is None or isinstance(t, Tensor) for t in tensors):
            raise AssertionError('save_for_forward expects all arguments to be tensors; you '
                                 'should save non-tensors as attributes on ctx.')
        self.saved_for_forward = tensors

    def mark_shared_storage(self, *pairs):
        warnings.warn('`mark_shared_storage` is deprecated. Tensors with shared storages are '
                      'automatically tracked. Note that calls to `set_()` are not tracked',
                      FutureWarning, stacklevel=2)

    _saved_outputs = None  # {index in saved_tensors: output number} of its own outputs

    @property
    def saved_tensors(self):
        if self._saved is None and not self._freed:
            return ()
        saved = self._unpack_saved()
        if self._saved_outputs:  # its outputs come back as new tensors of this node, as torch's
            saved = tuple(output_of(self, self._saved_outputs[i], value._data, value.dtype,
                                    value._vc) if i in self._saved_outputs else value
                          for i, value in enumerate(saved))
        return saved

    @property
    def saved_variables(self):
        warnings.warn("'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning,
                      stacklevel=2)
        return self.saved_tensors

    def _save_outputs(self, values):
        """save_for_backward's tensors, once the outputs have this node as grad_fn: an output
        is unpacked as a new tensor of this node (and torch's checks name it as such)."""
        self._save(values)
        self._saved_outputs = {i: value._output_nr for i, value in enumerate(values)
                               if value is not None and value._grad_fn is self}

    def _check_saved(self, i, tensor, version):
        nr = self._saved_outputs.get(i) if self._saved_outputs else None
        if nr is None:
            return super()._check_saved(i, tensor, version)
        if tensor._vc.value != version:  # (an output detached in place is still this node's)
            raise version_error(tensor, version, self, nr)

    def _release(self):
        self._saved = None
        self._freed = True  # (torch's PyNode is freed even where nothing was saved)

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    _materialize_grads = True  # (a node's materialize_grads sets it)

    def _run_backward(self, grads):
        if self._materialize_grads and any(g is None for g in grads):
            grads = [g if g is not None or meta is None else _zeros(meta)
                     for g, meta in zip(grads, self.output_meta)]
        result = self._forward_cls._user_backward()(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = self.num_inputs
        if len(result) < expected or any(g is not None for g in result[expected:]):
            raise RuntimeError(f'function {self.name()} returned an incorrect number of gradients '
                               f'(expected {expected}, got {len(result)})')
        return self._checked(result[:expected])

    def _checked(self, result):
        """The gradients of the tensor inputs, checked as torch's engine checks them."""
        from .._tensor import Tensor
        for i, g in enumerate(result):
            if g is not None and i not in self.tensor_positions:
                raise RuntimeError(f'function {self.name()} returned a gradient different than '
                                   f'None at position {i + 1}, but the corresponding forward '
                                   'input was not a Variable')
            if g is not None and not isinstance(g, Tensor):
                raise RuntimeError(f'expected Variable or None (got {type(g).__name__})')
        grads = tuple(result[i] for i in self.tensor_positions)
        for index, (g, meta) in enumerate(zip(grads, self._input_meta)):
            if g is None or meta is None:
                continue
            shape, dtype = meta
            if not _reducible(g.shape, shape):
                raise RuntimeError(f'Function {self.name()} returned an invalid gradient at index '
                                   f'{index} - got {list(g.shape)} but expected shape compatible '
                                   f'with {list(shape)}')
            category = g.dtype.category
            if category != FLOAT and (category == COMPLEX) != (dtype.category == COMPLEX):
                raise RuntimeError('Expected isFloatingType(grad.scalar_type()) || '
                                   '(input_is_complex == grad_is_complex) to be true, but got '
                                   'false.  (Could this error message be improved?  If so, '
                                   'please report an enhancement request to PyTorch.)')
        return grads


def _reducible(grad_shape, shape):
    """Whether a gradient of ``grad_shape`` sums back to ``shape`` (``shape`` broadcasts to it)."""
    if len(shape) > len(grad_shape):
        return False
    return all(s == g or s == 1 for s, g in zip(reversed(shape), reversed(grad_shape)))


def _zeros(meta):
    from .._creation import zeros
    shape, dtype = meta
    return zeros(shape, dtype=dtype)


class BackwardCFunction(FunctionCtx):
    """The base of each Function's node class (torch.autograd.function.BackwardCFunction)."""

    def apply(self, *grads):
        """The Function's backward (or vjp) on these gradients, unchecked, as torch's."""
        return self._forward_cls._user_backward()(self, *grads)

    def _not_readable(self):
        raise AttributeError("attribute 'materialize_grads' of 'torch._C._FunctionBase' objects "
                             'is not readable')

    def _set_materialize_grads(self, value):
        if value.__class__ is not bool:
            raise TypeError('set_materialize_grads received an invalid combination of arguments '
                            '- got (), but expected (bool)')
        self._materialize_grads = value

    materialize_grads = property(_not_readable, _set_materialize_grads)  # (as torch's C slot)


class FunctionMeta(type):
    """Gives each Function subclass its node class, named like torch's (``MyOpBackward``)."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(name + 'Backward', (BackwardCFunction,), {'_forward_cls': cls})


class Function(metaclass=FunctionMeta):
    """torch.autograd.Function: subclass with static forward(ctx, ...) and backward(ctx, ...)."""

    def __init__(self, *args, **kwargs):
        warnings.warn(f'{self.__class__} should not be instantiated. Methods on autograd '
                      'functions are all static, so you should invoke them on the class itself. '
                      'Instantiating an autograd function will raise an error in a future version '
                      'of PyTorch.', DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            'Legacy autograd function with non-static forward method is deprecated. Please use '
            'new-style autograd function with static forward method. (Example: '
            'https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)')

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError('You must implement the forward function for custom autograd.Function.')

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError('You must implement either the backward or vjp method for your '
                                  'custom autograd.Function to use it with backward mode AD.')

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError('You must implement the jvp function for custom '
                                  'autograd.Function to use it with forward mode AD.')

    generate_vmap_rule = False

    @staticmethod
    def vmap(info, in_dims, *args):
        raise NotImplementedError('To use autograd.Function with vmap, you must either override '
                                  'the vmap staticmethod or set generate_vmap_rule=True.')

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError('setup_context is not implemented.')

    @classmethod
    def _user_backward(cls):
        """backward, or vjp where a subclass defines that instead (not both, as in torch)."""
        backward, vjp = cls.backward, cls.vjp
        if backward is not Function.backward and vjp is not Function.vjp:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is "
                               'not allowed. You should only implement one of them.')
        return vjp if vjp is not Function.vjp else backward

    @classmethod
    def _has_setup_context(cls):
        return cls.setup_context is not Function.setup_context

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        setup_context = cls._has_setup_context()
        if setup_context:  # (torch binds them first, with forward's defaults)
            args, kwargs = _bound(cls.forward, args, kwargs)
        if kwargs:
            args = _placed(cls.forward, args, kwargs)
        ctx = new_node(cls._backward_cls)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        record = grad_mode.state.enabled and any(ctx.needs_input_grad)
        if record:  # its edges are taken before forward runs, as in torch
            _link(ctx, args)
        with grad_mode.no_grad():
            if not setup_context:
                outputs = cls.forward(ctx, *args)
            else:
                outputs = cls.forward(*args)
                cls.setup_context(ctx, args, outputs)
        is_tuple = isinstance(outputs, tuple)
        outputs = outputs if is_tuple else (outputs,)
        _check_marked(ctx)
        if record:
            ctx._num_outputs = len(outputs)
            ctx.output_meta = tuple((o._data.shape, o.dtype) if isinstance(o, Tensor) else None
                                    for o in outputs)
        outputs = _wrap_outputs(ctx, args, outputs, record)
        if record and ctx.to_save:  # saved once wrapped (a pack hook sees their grad_fn)
            ctx._save_outputs(ctx.to_save)
        ctx.to_save = ctx.dirty_tensors = ctx.non_differentiable = ctx.saved_for_forward = None
        return outputs if is_tuple else outputs[0]


def _bound(forward, args, kwargs):
    """inspect's binding of apply's arguments to forward's parameters, defaults filled in."""
    import inspect
    bound = inspect.signature(forward).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.args, bound.kwargs


def _placed(forward, args, kwargs):
    """apply's arguments with its keyword arguments at the places of forward's positional
    parameters they name (after ctx), as torch's C++ apply places them: keyword-only
    parameters can't be given, and none is filled in with its default."""
    code = forward.__code__
    names = code.co_varnames[1:code.co_argcount]  # (positional-only ones too)
    placed = list(args)
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"forward() got an unexpected keyword argument '{name}'")
        i = names.index(name)
        placed.extend([_GAP] * (i + 1 - len(placed)))
        if placed[i] is not _GAP:
            raise TypeError(f"forward() got multiple values for argument '{name}'")
        placed[i] = value
    gaps = [i for i, value in enumerate(placed) if value is _GAP]
    if gaps:
        raise TypeError(f"forward() missing required argument: '{names[gaps[0]]}' "
                        f'(position {gaps[0]})')
    return tuple(placed)


_GAP = object()  # a parameter no argument was given for


def _check_marked(ctx):
    """torch's checks of the tensors forward marked, bumping the dirty ones' versions (its
    messages end after 'argument' and 'got': they are cut short so in torch too)."""
    from .._tensor import Tensor
    if not all(isinstance(t, Tensor) for t in ctx.non_differentiable or ()):
        raise RuntimeError('mark_non_differentiable only accepts variable arguments, but got ')
    for tensor in ctx.dirty_tensors or ():
        if not isinstance(tensor, Tensor):
            raise RuntimeError('mark_dirty can only accept variables, but argument ')
        tensor._vc.value += 1


def _link(ctx, args):
    """The node's edges: one per tensor argument."""
    from .._tensor import Tensor
    edges, metas, positions = [], [], []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            positions.append(i)
            if a.requires_grad:
                fn = a.grad_fn
                edges.append((fn, a._output_nr) if fn is not None else (accumulator_of(a), 0))
                metas.append((a._data.shape, a.dtype))
            else:
                edges.append(_NO_EDGE)
                metas.append(None)
    link(ctx, tuple(edges), tuple(metas))
    ctx.tensor_positions = tuple(positions)
    ctx.num_inputs = len(args)


def _wrap_outputs(ctx, args, outputs, record):
    """The outputs with their places in the graph (torch's _process_backward_mode_ad)."""
    from .._tensor import Tensor
    wrapped = []
    differentiable_count = 0
    for nr, out in enumerate(outputs):
        if isinstance(out, Tensor):
            differentiable = (record and out.dtype.category >= FLOAT
                              and not any(out is n for n in ctx.non_differentiable or ()))
            out = _set_history(ctx, out, nr, args, differentiable, len(outputs))
            differentiable_count += differentiable
        wrapped.append(out)
    if differentiable_count > 1:  # no output view may then be written in place
        for out in wrapped:
            if isinstance(out, Tensor) and out._base is not None:
                out._creation_meta = 'multi_output'
    if any(not any(d is o for o in outputs) for d in ctx.dirty_tensors or ()):
        raise RuntimeError('Some elements marked as dirty during the forward method were not '
                           'returned as output. The inputs that are modified inplace must all '
                           'be outputs of the Function.')
    return tuple(wrapped)


def _set_history(ctx, out, nr, args, differentiable, num_outputs):
    """Output ``nr`` of the Function: an input returned as-is becomes a view of it (or a
    detached alias, where it requires grad and isn't differentiable here); an input marked
    dirty takes the node's place in the graph; any output view refuses in-place writes."""
    is_input = any(out is a for a in args)
    is_modified = any(out is d for d in ctx.dirty_tensors or ())
    if not differentiable:
        if not out.requires_grad:
            if is_input and not is_modified:
                out = _view_as_self(ctx, out)
        elif is_input:
            out = out.detach()
        elif out._base is None:
            out.detach_()
    elif is_modified:
        from .._ops.primitive import rebase_history
        _check_modified(out, is_input, num_outputs)
        out._grad = None
        rebase_history(out, ctx, nr)
    else:
        if is_input:
            out = _view_as_self(ctx, out)
        out._grad_fn, out._requires_grad, out._output_nr = ctx, True, nr
    if out._base is not None and not (is_input and is_modified):
        out._creation_meta = 'custom_function'
    return out


def _check_modified(out, is_input, num_outputs):
    """torch's checks of a tensor a Function marked dirty."""
    from .._ops.primitive import check_inplace_allowed
    if out._grad_fn is None and out.requires_grad:
        raise RuntimeError('a leaf Variable that requires grad has been used in an in-place '
                           'operation.')
    if not is_input:
        warn_at_caller('ctx.mark_dirty() received a tensor that was not an input. Only input '
                       'Tensors that have been mutated should be passed to ctx.mark_dirty(). '
                       '(Triggered internally at '
                       '/__w/pytorch/pytorch/torch/csrc/autograd/custom_function.cpp:320.)')
    if out._base is not None and num_outputs > 1:
        raise RuntimeError(
            'If your Function modifies inplace an input that is a view of another Tensor, your '
            'Function cannot return more than one Tensor. This is not supported by the current '
            'autograd engine. You should either make sure the input is not a view (using .clone() '
            'for example) or make your Function only return one Tensor (potentially splitting it '
            'into two Functions: one doing the inplace that returns a single Tensor and a second '
            'one that does the other operations). You can ask on the forum '
            'https://discuss.pytorch.org/ if you need help to do this change.')
    check_inplace_allowed(out)


def _view_as_self(ctx, tensor):
    """``tensor.view_as(tensor)`` made in no_grad mode, as torch returns an input as-is
    (which setup_context can't then have saved)."""
    if ctx._forward_cls._has_setup_context() and any(tensor is t for t in ctx.to_save or ()):
        raise RuntimeError('An input that has been returned as-is as output is being saved for '
                           'backward. This is not supported if you override setup_context. You '
                           'should return and save a view of the input instead, e.g. with '
                           'x.view_as(x) or setup ctx inside the forward function itself.')
    with grad_mode.no_grad():
        return tensor.view_as(tensor)


class InplaceFunction(Function):
    """torch.autograd.function.InplaceFunction: a Function noting whether it works in place."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


def once_differentiable(backward):
    """torch.autograd.function.once_differentiable: backward runs without recording; where a
    graph of the gradients is being built, they get an ``Error`` node that raises when
    differentiated."""
    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        from .._tensor import Tensor
        with grad_mode.no_grad():
            outputs = backward(ctx, *grads)
        if not grad_mode.state.enabled or not any(isinstance(g, Tensor) and g.requires_grad
                                                  for g in grads):
            return outputs
        is_tuple = isinstance(outputs, tuple)
        leaves = [None if o is None else o.detach().requires_grad_()
                  for o in (outputs if is_tuple else (outputs,))]
        wrapped = _DelayedError.apply(*leaves)
        return wrapped if is_tuple else wrapped[0]
    return wrapper


class _DelayedError(Function):
    """The gradients of a once_differentiable backward, when a graph of them is built."""

    @staticmethod
    def forward(ctx, *tensors):  # new tensors of the same memory, as torch's tensor_data()
        from .._tensor import _make
        return tuple(t if t is None else _make(t._data, t.dtype) for t in tensors)

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError('trying to differentiate twice a function that was marked with '
                           '@once_differentiable')


class Error(_DelayedError._backward_cls):
    """torch's ``Error`` node (torch.autograd._functions.DelayedError)."""

    def name(self):
        return 'torch::autograd::Error'


_DelayedError._backward_cls = Error
