"""Matrix products: torch.matmul / ``@`` with its dot, mv, mm and batched cases."""
import math

from .. import _dtype
from .._tensor import Tensor
from .primitive import Primitive, write_out
from .pointwise import conj
from .shape import TransposeBackward0, _warn_once, infer_size


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


class BmmBackward0(DotBackward0):
    """torch.bmm: 3-D @ 3-D with equal batch sizes."""


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
        _raise_dtype_mismatch(sa, sb, a.dtype, b.dtype)
    op = _pick_shapes(sa, sb)
    if a.dtype is _dtype.bool:
        _check_bool(op, sa, sb)
    return op


def _raise_dtype_mismatch(sa, sb, a, b):
    """torch's error for operands of two dtypes: dot's, else (after the shape checks, which
    come first) that of the kernel its folding runs, by the rank of the second operand (mv,
    mm or bmm)."""
    if len(sa) == 1 and len(sb) == 1:
        raise RuntimeError(f'dot : expected both vectors to have same dtype, but found '
                           f'{a.scalar_name} and {b.scalar_name}')
    _pick_shapes(sa, sb)
    if len(sb) == 1:
        raise RuntimeError(f'addmv input tensors must have the same dtype, but got '
                           f'{b.scalar_name}, {a.scalar_name}, and {b.scalar_name}')
    if len(sb) == 2:
        raise RuntimeError(f'expected m1 and m2 to have the same dtype, but got: '
                           f'{a.cpp_name} != {b.cpp_name}')
    raise RuntimeError(f'expected scalar type {a.scalar_name} but found {b.scalar_name}')


def _check_bool(op, sa, sb):
    """torch has no bool dot/mv/mm/bmm kernels; an empty product (or inner size 0) runs none."""
    if op is DotBackward0:
        raise NotImplementedError('"dot" not implemented for \'Bool\'')
    batch = infer_size(sa[:-2], sb[:-2])
    rows = sa[-2] if len(sa) > 1 else 1
    cols = sb[-1] if len(sb) > 1 else 1
    if sa[-1] and rows * cols * math.prod(batch):
        kernel = ('addmv_impl_cpu', 'addmm_impl_cpu_', 'bmm')[min(len(sb), 3) - 1]
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


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
            rows = math.prod(sa[:-1])   # torch folds a's batch dims into its rows
            raise RuntimeError(f'size mismatch, got input ({rows}), mat ({rows}x{sa[-1]}), '
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
    """torch's error for a's columns not matching b's rows, from the mm or bmm its folding
    runs (with a's batch dims folded into its rows for mm, the batch dims into one for bmm,
    whose broadcasting torch checks first)."""
    if len(sb) == 2:
        raise RuntimeError(f'mat1 and mat2 shapes cannot be multiplied ({math.prod(sa[:-1])}x'
                           f'{sa[-1]} and {sb[-2]}x{sb[-1]})')
    batch = math.prod(infer_size(sa[:-2], sb[:-2]))
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
    if out is None:
        return result
    if out.dtype is not result.dtype:
        _raise_out_dtype(input, other, out)
    return write_out(result, out)


def _raise_out_dtype(a, b, out):
    """torch's error for an out= tensor of another dtype than matmul's, by the kernel run."""
    if a.ndim == 1 and b.ndim == 1:
        raise RuntimeError(f'result dtype {out.dtype.scalar_name} does not match input dtype '
                           f'{a.dtype.scalar_name}')
    if a.ndim > 2 and b.ndim == 1:
        raise RuntimeError(f'addmv input tensors must have the same dtype, but got '
                           f'{out.dtype.scalar_name}, {a.dtype.scalar_name}, and '
                           f'{b.dtype.scalar_name}')
    raise RuntimeError(f'Expected out tensor to have dtype {a.dtype.cpp_name}, but got '
                       f'{out.dtype.cpp_name} instead')


def mm(input, mat2, *, out=None):
    if input.ndim != 2:
        raise RuntimeError(f'self must be a matrix')
    if mat2.ndim != 2:
        raise RuntimeError(f'mat2 must be a matrix')
    return matmul(input, mat2, out=out)


def dot(input, tensor, *, out=None):
    """torch.dot: the inner product of two 1-D tensors."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f'1D tensors expected, but got {input.ndim}D and {tensor.ndim}D '
                           'tensors')
    return matmul(input, tensor, out=out)


def mv(input, vec, *, out=None):
    """torch.mv: a matrix times a vector."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f'vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}')
    return matmul(input, vec, out=out)


def bmm(input, mat2, *, out=None):
    """torch.bmm: batches of matrices of the same batch size (no broadcasting)."""
    for name, t in (('batch1', input), ('batch2', mat2)):
        if t.ndim != 3:
            raise RuntimeError(f'{name} must be a 3D tensor')
    (batch, _, cols), (batch2, rows, _) = input.shape, mat2.shape
    if (batch2, rows) != (batch, cols):
        raise RuntimeError(f'Expected size for first two dimensions of batch2 tensor to be: '
                           f'[{batch}, {cols}] but got: [{batch2}, {rows}].')
    _pick(input, mat2)   # the dtype checks
    result = BmmBackward0.apply(input, mat2)
    if out is not None and out.dtype is not result.dtype:
        _raise_out_dtype(input, mat2, out)
    return result if out is None else write_out(result, out)


def _transposed_last(self, name='tensor.mT'):
    """Tensor.mT: the last two dims swapped (a 0-D tensor itself)."""
    ndim = self._data.ndim
    if ndim < 2:
        if ndim == 0:
            _warn_once(_DEPRECATED_ON_0D[name])
            return self
        raise RuntimeError(f'{name} is only supported on matrices or batches of matrices. '
                           f'Got {ndim}-D tensor.')
    return TransposeBackward0.apply(self, dim0=ndim - 2, dim1=ndim - 1)


_TRIGGERED = ' (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:{}.)'
_DEPRECATED_ON_0D = {  # torch's warnings for the transposes of a 0-D tensor, by name
    'tensor.mT': 'Tensor.mT is deprecated on 0-D tensors. This function is the identity in these '
                 'cases.' + _TRIGGERED.format(4373),
    'tensor.mH': 'Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().'
                 + _TRIGGERED.format(4382),
    'tensor.adjoint()': 'adjoint() is deprecated on 0-D tensors. Consider using x.conj().'
                        + _TRIGGERED.format(4390),
}


def adjoint(input):
    """torch.adjoint: the conjugate of the last two dims swapped."""
    return conj(_transposed_last(input, 'tensor.adjoint()'))


def _conjugate_transpose(self):
    """Tensor.H: the conjugate transpose of a matrix (0-D: the conjugate, deprecated)."""
    if self.ndim == 0:
        _warn_once('Tensor.H is deprecated on 0-D tensors. Consider using x.conj().'
                   + _TRIGGERED.format(4335))
        return conj(self)
    if self.ndim != 2:
        hint = ' For batches of matrices, consider using tensor.mH' if self.ndim > 2 else ''
        raise RuntimeError(f'tensor.H is only supported on matrices (2-D tensors). Got '
                           f'{self.ndim}-D tensor.{hint}')
    return conj(_transposed_last(self))


TENSOR_METHODS = {'matmul': matmul, 'mm': mm, '__matmul__': matmul,
                  '__rmatmul__': lambda self, other: matmul(other, self),
                  'dot': dot, 'mv': mv, 'bmm': bmm, 'adjoint': adjoint,
                  'mT': property(_transposed_last),
                  'mH': property(lambda self: conj(_transposed_last(self, 'tensor.mH'))),
                  'H': property(_conjugate_transpose)}
FUNCTIONS = ('matmul', 'mm', 'dot', 'mv', 'bmm', 'adjoint')
