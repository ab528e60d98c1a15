"""Matrix products: torch.matmul / ``@`` with its dot, mv, mm and batched cases."""
import math

from .. import _dtype
from .._tensor import Tensor
from .primitive import Primitive, write_out
from .shape import TransposeBackward0, infer_size


class DotBackward0(Primitive):
    """1-D @ 1-D; the base of all matmul cases (their gradients share one formula)."""
    saves_inputs = True
    saved_for = ((1,), (0,))

    def forward(ctx, a, b):
        if a.dtype.itemsize == 2 and a.dtype.kind in 'fV':
            # float16 / bfloat16: accumulate in float32 and round once, as torch's CPU kernels.
            return (a.astype('float32') @ b.astype('float32')).astype(a.dtype)
        if a.ndim <= 2 and b.ndim <= 2:
            return a.dot(b)  # the same BLAS call as @, at half NumPy's overhead for small operands
        return a @ b

    def backward(ctx, grad):
        a, b = ctx.inputs
        if a.dtype.category == _dtype.COMPLEX:
            a, b = a.conj(), b.conj()
        need_a, need_b = ctx.needs_input_grad
        return (_grad_of_first(grad, b) if need_a else None,
                _grad_of_second(grad, a) if need_b else None)


def _grad_of_first(grad, b):
    """d(a @ b)/da applied to grad, for every combination of 1-D and n-D operands."""
    if b.ndim == 1:
        return grad.unsqueeze(-1) * b
    if grad.ndim == b.ndim - 1:  # a was 1-D
        return _product(b, grad.unsqueeze(-1)).squeeze(-1)
    return _product(grad, b.mT)


def _grad_of_second(grad, a):
    """d(a @ b)/db applied to grad."""
    if a.ndim == 1:
        return a * grad if grad.ndim == 0 else a.unsqueeze(-1) * grad.unsqueeze(-2)
    if grad.ndim == a.ndim - 1:  # b was 1-D
        return _product(a.mT, grad.unsqueeze(-1)).squeeze(-1)
    return _product(a.mT, grad)


def _product(a, b):
    """matmul(a, b) for a gradient: the forward already checked these shapes and dtypes."""
    return _pick_shapes(a._data.shape, b._data.shape).apply(a, b)


class MvBackward0(DotBackward0):
    """2-D @ 1-D."""


class MmBackward0(DotBackward0):
    """2-D @ 2-D."""


class SqueezeBackward4(DotBackward0):
    """1-D @ 2-D (torch runs it as unsqueeze, mm, squeeze: this is its last node's name)."""


class UnsafeViewBackward0(DotBackward0):
    """Batched matmul (torch folds batch dims into an mm or bmm, then views the result)."""


def _pick(a, b):
    """The primitive for these operand ranks, after torch's shape and dtype checks."""
    sa, sb = a._data.shape, b._data.shape
    na, nb = len(sa), len(sb)
    if na == 0 or nb == 0:
        raise RuntimeError(f'both arguments to matmul need to be at least 1D, but they are '
                           f'{na}D and {nb}D')
    if a.dtype is not b.dtype:
        if na == 1 and nb == 1:
            raise RuntimeError(f'dot : expected both vectors to have same dtype, but found '
                               f'{a.dtype.scalar_name} and {b.dtype.scalar_name}')
        raise RuntimeError(f'expected m1 and m2 to have the same dtype, but got: '
                           f'{a.dtype.cpp_name} != {b.dtype.cpp_name}')
    op = _pick_shapes(sa, sb)
    if a.dtype is _dtype.bool:
        _check_bool(op, sa, sb)
    return op


def _check_bool(op, sa, sb):
    """torch has no bool dot/mm kernels; an empty product (or inner size 0) runs none."""
    if op is DotBackward0:
        raise NotImplementedError('"dot" not implemented for \'Bool\'')
    batch = infer_size(sa[:-2], sb[:-2])
    rows = sa[-2] if len(sa) > 1 else 1
    cols = sb[-1] if len(sb) > 1 else 1
    if sa[-1] and rows * cols * math.prod(batch):
        raise NotImplementedError('"addmm_impl_cpu_" not implemented for \'Bool\'')


def _pick_shapes(sa, sb):
    """The primitive for operand shapes sa @ sb, after torch's shape checks."""
    na, nb = len(sa), len(sb)
    if nb == 1:
        if na == 1:
            if sa != sb:
                raise RuntimeError(f'inconsistent tensor size, expected tensor [{sa[0]}] and src '
                                   f'[{sb[0]}] to have the same number of elements, but got '
                                   f'{sa[0]} and {sb[0]} elements respectively')
            return DotBackward0
        if sa[-1] != sb[0]:
            raise RuntimeError(f'size mismatch, got input ({sa[-2]}), mat ({sa[-2]}x{sa[-1]}), '
                               f'vec ({sb[0]})')
        return MvBackward0 if na == 2 else UnsafeViewBackward0
    if sa[-1] != sb[-2]:
        _raise_inner_mismatch(sa, sb)
    if na == 1:
        return SqueezeBackward4 if nb == 2 else UnsafeViewBackward0
    if na == 2 and nb == 2:
        return MmBackward0
    infer_size(sa[:-2], sb[:-2])
    return UnsafeViewBackward0


def _raise_inner_mismatch(sa, sb):
    rows = sa[-2] if len(sa) > 1 else 1
    if len(sa) <= 2 and len(sb) <= 2:
        raise RuntimeError(f'mat1 and mat2 shapes cannot be multiplied ({rows}x{sa[-1]} and '
                           f'{sb[-2]}x{sb[-1]})')
    batch = sb[0] if len(sb) > 2 else 1
    raise RuntimeError(f'Expected size for first two dimensions of batch2 tensor to be: '
                       f'[{batch}, {sa[-1]}] but got: [{batch}, {sb[-2]}].')


def matmul(input, other, *, out=None):
    """torch.matmul: the ``@`` operator."""
    if not isinstance(input, Tensor):
        raise TypeError(f"matmul(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    result = _pick(input, other).apply(input, other)
    return result if out is None else write_out(result, out)


def mm(input, mat2, *, out=None):
    if input.ndim != 2:
        raise RuntimeError(f'self must be a matrix')
    if mat2.ndim != 2:
        raise RuntimeError(f'mat2 must be a matrix')
    return matmul(input, mat2, out=out)


def _transposed_last(self):
    """Tensor.mT: the last two dims swapped."""
    ndim = self._data.ndim
    if ndim < 2:
        raise RuntimeError(f'tensor.mT is only supported on matrices or batches of matrices. '
                           f'Got {ndim}-D tensor.')
    return TransposeBackward0.apply(self, dim0=ndim - 2, dim1=ndim - 1)


TENSOR_METHODS = {'matmul': matmul, 'mm': mm, '__matmul__': matmul,
                  '__rmatmul__': lambda self, other: matmul(other, self),
                  'mT': property(_transposed_last)}
FUNCTIONS = ('matmul', 'mm')
