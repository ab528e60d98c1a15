"""torch.autograd.Function: user-defined ops with a hand-written backward.

``MyOp.apply(*args)`` runs ``forward(ctx, *args)`` on tensors without recording, then
records one node (the ``ctx``, named ``MyOpBackward``) whose backward calls
``MyOp.backward(ctx, *grads)``. The ctx is an ordinary graph node, so saved tensors,
version checks, hooks and freeing after backward work as for built-in ops.
"""
import functools

from . import grad_mode
from .._dtype import FLOAT
from .graph import Node, accumulator_of, link, new_node

_NO_EDGE = (None, 0)


class FunctionCtx(Node):
    """The ``ctx`` of a custom Function, and its grad_fn node."""

    def save_for_backward(self, *tensors):
        self._save(tensors)

    @property
    def saved_tensors(self):
        if self._saved is None and not self._freed:
            return ()
        return self._unpack_saved()

    def mark_dirty(self, *tensors):
        self.dirty = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    def _run_backward(self, grads):
        if self.materialize_grads and any(g is None for g in grads):
            grads = [g if g is not None or meta is None else _zeros(meta)
                     for g, meta in zip(grads, self.output_meta)]
        result = self._forward_cls.backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = self.num_inputs
        if len(result) < expected or any(g is not None for g in result[expected:]):
            raise RuntimeError(f'function {self.name()} returned an incorrect number of gradients '
                               f'(expected {expected}, got {len(result)})')
        return tuple(result[i] for i in self.tensor_positions)


def _zeros(meta):
    from .._creation import zeros
    shape, dtype = meta
    return zeros(shape, dtype=dtype)


class _FunctionMeta(type):
    """Gives each Function subclass its node class, named like torch's (``MyOpBackward``)."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(name + 'Backward', (FunctionCtx,), {'_forward_cls': cls})


class Function(metaclass=_FunctionMeta):
    """torch.autograd.Function: subclass with static forward(ctx, ...) and backward(ctx, ...)."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError('You must implement the forward function for custom autograd.Function.')

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError('You must implement either the backward or vjp method for your '
                                  'custom autograd.Function to use it with backward mode AD.')

    setup_context = None

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        ctx = new_node(cls._backward_cls)
        ctx.dirty = ctx.non_differentiable = ()
        ctx.materialize_grads = True
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with grad_mode.no_grad():
            if cls.setup_context is None:
                outputs = cls.forward(ctx, *args, **kwargs)
            else:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
        is_tuple = isinstance(outputs, tuple)
        outputs = outputs if is_tuple else (outputs,)
        record = grad_mode.state.enabled and any(ctx.needs_input_grad)
        outputs = tuple(_output(ctx, out, args, record) for out in outputs)
        if record:
            _link(ctx, args, outputs)
        return outputs if is_tuple else outputs[0]


def _output(ctx, out, args, record):
    """An output tensor: inputs returned unchanged become aliases unless marked dirty."""
    from .._tensor import Tensor
    if not isinstance(out, Tensor):
        return out
    if any(out is d for d in ctx.dirty):
        if record and out.requires_grad and out.grad_fn is None:
            raise RuntimeError('a leaf Variable that requires grad has been used in an in-place '
                               'operation.')
        out._vc.value += 1
        return out
    if any(out is a for a in args):
        return out.detach() if record else out.view_as(out)
    return out


def _link(ctx, args, outputs):
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
    ctx._num_outputs = len(outputs)
    ctx.output_meta = tuple((o._data.shape, o.dtype) if isinstance(o, Tensor) else None
                            for o in outputs)
    for nr, out in enumerate(outputs):
        differentiable = isinstance(out, Tensor) and out.dtype.category >= FLOAT and \
            not any(out is n for n in ctx.non_differentiable)
        if differentiable:
            out._grad_fn, out._requires_grad, out._output_nr = ctx, True, nr


def once_differentiable(backward):
    """torch.autograd.function.once_differentiable: backward runs without recording."""
    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        with grad_mode.no_grad():
            return backward(ctx, *grads)
    return wrapper
