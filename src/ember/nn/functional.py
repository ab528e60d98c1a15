"""torch.nn.functional: losses and activations as functions."""
import math
import warnings

from .._device import array_module
from .._ops.primitive import ITERATOR, Primitive
from .._ops.reduction import mean_of
from .._ops.shape import infer_size

_REDUCTIONS = ('none', 'mean', 'sum')


def _legacy_reduction(size_average, reduce, reduction):
    """torch's _Reduction.legacy_get_string for the deprecated size_average/reduce flags."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = 'none' if not reduce else 'mean' if size_average else 'sum'
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", stacklevel=2)
    return reduction


class MseLossBackward0(Primitive):
    """Squared error, reduced; backward as torch's kernel: (norm * (input - target)) * grad."""
    layout = ITERATOR   # (reduction='none')
    promote = 'common'
    saves_inputs = True

    def forward(ctx, input, target, reduction):
        if input.dtype.kind not in 'fV':    # bool, integer and complex: no kernel
            from .._dtype import _BY_NUMPY
            raise NotImplementedError(
                f'"mse_cpu" not implemented for \'{_BY_NUMPY[input.dtype].scalar_name}\'')
        loss = input - target
        loss *= loss  # squared in place: the difference is a fresh array
        if reduction == 'none':
            return loss
        return mean_of(loss) if reduction == 'mean' else _total(loss)

    def backward(ctx, grad):
        input, target = ctx.inputs
        need_input, need_target = ctx.needs_input_grad
        reduction = ctx.reduction
        return (MseLossBackwardBackward0.apply(grad, input, target, reduction=reduction)
                if need_input else None,
                MseLossBackwardBackward0.apply(grad, target, input, reduction=reduction)
                if need_target else None)


def _total(loss):
    """torch's sum of all elements of a float array: float16 and bfloat16 accumulate in
    float32 and round once."""
    if loss.dtype.itemsize == 2:
        return loss.sum(dtype=array_module(loss).float32).astype(loss.dtype)
    return loss.sum()


class MseLossBackwardBackward0(Primitive):
    """torch's mse_loss_backward(grad, input, target): (norm * (input - target)) * grad in one
    op, rounded as its kernel does (norm = 2 / numel for 'mean', else 2)."""
    promote = 'common'
    saves_inputs = True

    def forward(ctx, grad, input, target, reduction):
        norm = _norm(reduction, input.size)
        out = input - target
        out *= array_module(out).asarray(norm, out.dtype)  # in place, in torch's order
        out *= grad
        return out

    def backward(ctx, grad):
        grad_output, input, target = ctx.inputs
        need_grad_output, need_input, need_target = ctx.needs_input_grad
        norm = _norm(ctx.reduction, input.numel())
        second = norm * (grad * grad_output) if need_input or need_target else None
        return (MseLossBackwardBackward0.apply(grad, input, target, reduction=ctx.reduction)
                if need_grad_output else None,
                second if need_input else None,
                -second if need_target else None)


def _norm(reduction, numel):
    """mse_loss_backward's factor: 2 / numel for 'mean' (a C++ double: inf for no elements),
    else 2."""
    if reduction != 'mean':
        return 2.0
    return 2.0 / numel if numel else math.inf


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean', weight=None):
    """torch.nn.functional.mse_loss."""
    expanded_input, expanded_target = input, target
    if target._data.shape != input._data.shape:
        warnings.warn(f'Using a target size ({target.shape}) that is different to the input size '
                      f'({input.shape}). This will likely lead to incorrect results due to '
                      'broadcasting. Please ensure they have the same size.', stacklevel=2)
        shape = infer_size(input.shape, target.shape)
        expanded_input, expanded_target = _expanded(input, shape), _expanded(target, shape)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError('Weights and input must have the same size.')
        return _weighted_squared_error(expanded_input, expanded_target, weight, reduction)
    if reduction not in _REDUCTIONS:
        raise ValueError(f'{reduction} is not a valid value for reduction')
    return MseLossBackward0.apply(expanded_input, expanded_target, reduction=reduction)


def _expanded(tensor, shape):
    """tensor.expand(shape) where that changes its shape (as torch.broadcast_tensors)."""
    return tensor if tensor.shape == shape else tensor.expand(shape)


def _weighted_squared_error(input, target, weight, reduction):
    """mse_loss's weighted branch, computed from ops as torch's Python code does."""
    weighted = (input - target).pow(2) * weight
    if reduction == 'none':
        return weighted
    if reduction == 'sum':
        return weighted.sum()
    if reduction == 'mean':
        return weighted.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
