"""Matrix products: torch.matmul / ``@`` with its dot, mv, mm and batched cases."""
import math

from .. import _dtype
from .._arguments import not_tensor, type_name, wrong_type
from .._tensor import Tensor
from .._warnings import warn_once
from .primitive import Primitive, check_out, write_out
from .primitive import check_out_grad as _check_out_grad
from .pointwise import conj
from .shape import TransposeBackward0, infer_size


class DotBackward0(Primitive):
    """1-D @ 1-D; the base of all matmul cases (their gradients share one formula)."""
    saves_inputs = True
    saved_for = ((1,), (0,))
    folds_second = False   # torch folds b (batched) transposed, as the mm or mv of b.mT

    def forward(ctx, a, b):
        if a.dtype.itemsize == 2 and a.dtype.kind in 'fV':
            # float16 / bfloat16: accumulate in float32 and round once, as torch's CPU kernels.
            result = (a.astype('float32') @ b.astype('float32')).astype(a.dtype)
        elif a.ndim <= 2 and b.ndim <= 2:
            return a.dot(b)  # the same BLAS call as @, at half NumPy's overhead for small operands
        else:
            result = a @ b
        # NumPy's @ lays its result out as the operands are (order 'K'); torch's is contiguous
        return result if result.flags.c_contiguous else result.copy()

    def backward(ctx, grad):
        a, b = ctx.inputs
        if a.dtype.category == _dtype.COMPLEX:
            a, b = a.conj(), b.conj()
        need_a, need_b = ctx.needs_input_grad
        of_second = _grad_of_folded_second if ctx.folds_second else _grad_of_second
        return (_grad_of_first(grad, b) if need_a else None,
                of_second(grad, a) if need_b else None)


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


def _grad_of_folded_second(grad, a):
    """d(a @ b)/db where torch folds b (batched) transposed: the gradient of b.mT transposed,
    with the strides of torch's."""
    if a.ndim == 1:
        return (grad.unsqueeze(-1) * a).mT
    return _product(grad.mT, a).mT


class MvBackward0(DotBackward0):
    """2-D @ 1-D."""


class MmBackward0(DotBackward0):
    """2-D @ 2-D."""
    _unpack_order = (1, 0)   # mat2 before self, as torch


class BmmBackward0(DotBackward0):
    """torch.bmm: 3-D @ 3-D with equal batch sizes."""
    _unpack_order = (1, 0)   # mat2 before self, as torch


class SqueezeBackward4(DotBackward0):
    """1-D @ 2-D (torch runs it as unsqueeze, mm, squeeze: this is its last node's name)."""
    _unpack_order = (1, 0)   # its mm's mat2 before self


class UnsafeViewBackward0(DotBackward0):
    """Batched matmul (torch folds batch dims into an mm or mv, or broadcasts them into a bmm,
    then views the result)."""


class TransposedMvFoldBackward0(UnsafeViewBackward0):
    """1-D @ batched run as an mv of the batched operand folded transposed (torch's
    UnsafeViewBackward0)."""
    folds_second = True


TransposedMvFoldBackward0.__name__ = 'UnsafeViewBackward0'


class CloneBackward0(DotBackward0):
    """2-D @ batched where the 2-D operand requires grad: torch folds the batched operand,
    transposed, into an mm, then transposes the result back and copies it (contiguous())."""
    folds_second = True


class TransposedFoldBackward0(DotBackward0):
    """The same where the result has a dim of size 1 or none, so that contiguous() keeps it:
    this node (torch's UnsafeViewBackward0) computes (a @ b).mT, and the result is a
    TransposeBackward0 view of it."""
    folds_second = True

    def forward(ctx, a, b):
        # a fresh array: the strides of torch's mm result, and so of its transpose
        return DotBackward0.forward(ctx, a, b).swapaxes(-1, -2).copy()

    def backward(ctx, grad):
        return DotBackward0.backward(ctx, grad.mT)


TransposedFoldBackward0.__name__ = 'UnsafeViewBackward0'

_BY_RANKS = (None, (None, ('dot', DotBackward0), ('mm', SqueezeBackward4)),  # [a.ndim][b.ndim]
             (None, ('mv', MvBackward0), ('mm', MmBackward0)))


def _pick(a, b, out=None):
    """The node for a @ b, after the checks of the kernel torch's _matmul_impl runs it with:
    dot, mv or mm by the operands' ranks, else an mm, mv or bmm (see _batched)."""
    sa, sb = a._data.shape, b._data.shape
    na, nb = len(sa), len(sb)
    if na == 0 or nb == 0:
        raise RuntimeError(f'both arguments to matmul need to be at least 1D, but they are '
                           f'{na}D and {nb}D')
    if out is not None:
        _check_out_grad('matmul', out, a, b)
    if na > 2 or nb > 2:
        kernel, s1, s2, swapped, op = _batched(a, b, sa, sb, out is not None)
        resized = out is not None   # torch resizes out= to the result's shape first
        folded_out = resized and kernel != 'bmm' and not swapped
    else:
        kernel, op = _BY_RANKS[na][nb]
        if sa[-1] == sb[0] and a.dtype is b.dtype and a.dtype is not _dtype.bool and out is None:
            return op
        s1, s2, swapped = (1,) + sa if na < nb else sa, sb, False
        resized = out is not None and out._data.shape == sa[:-1]
        folded_out = False
    d1, d2 = (b.dtype, a.dtype) if swapped else (a.dtype, b.dtype)
    _check_kernel(kernel, s1, s2, d1, d2, None if out is None else out.dtype, resized)
    if folded_out:
        _check_folded_out(out, sa[:-1] + sb[1:], s1[:1] + s2[1:])
    return op


def _check_folded_out(out, shape, folded):
    """torch's error where the mm or mv of a folded matmul (result ``shape``, folded:
    ``folded``) gets an out= of that shape that can't be viewed folded: its kernel writes into
    a folded copy, which torch's copy_ into out= then fails to broadcast."""
    if out._data.shape == shape:   # (else resized first: contiguous)
        try:
            out._data.reshape(folded, copy=False)
        except ValueError:
            infer_size(shape, folded)


def _batched(a, b, sa, sb, has_out):
    """(kernel, its operands' shapes, whether they are b and a, node) for a @ b of shapes sa, sb,
    one of more than 2 dims, as torch's _matmul_impl runs it: an mm or mv of the batched
    operand folded into a matrix (b transposed) where _should_fold says so, else a bmm of the
    batch dims broadcast."""
    na, nb = len(sa), len(sb)
    if _should_fold(a, b, sa, sb, has_out):
        if na >= nb:
            rows = math.prod(sa[:-1])
            return 'mm' if nb == 2 else 'mv', (rows, sa[-1]), sb, False, UnsafeViewBackward0
        batch, (inner, cols) = math.prod(sb[:-2]), sb[-2:]
        folded = (batch * cols, inner)
        if na == 1:
            return 'mv', folded, sa, True, TransposedMvFoldBackward0
        rows = sa[0]
        op = TransposedFoldBackward0 if min(rows, cols) <= 1 or not batch else CloneBackward0
        return 'mm', folded, sa[::-1], True, op
    if na == nb == 3 and sa[0] != sb[0]:
        # torch drops a batch dim of 1 from an operand that requires grad, to fold the product
        if sa[0] == 1 and a.requires_grad:
            return _batched(a, b, sa[1:], sb, has_out)
        if sb[0] == 1 and b.requires_grad:
            return _batched(a, b, sa, sb[1:], has_out)
    batch = math.prod(infer_size(sa[:-2], sb[:-2]))
    rows = sa[-2] if na > 1 else 1
    inner, cols = sb[-2:] if nb > 1 else (sb[0], 1)
    return 'bmm', (batch, rows, sa[-1]), (batch, inner, cols), False, UnsafeViewBackward0


def _should_fold(a, b, sa, sb, has_out):
    """torch's should_fold: whether a @ b (shapes sa, sb) runs as an mm or mv of the operand of
    3 or more dims (b: transposed) folded into a matrix, the other having 1 or 2: where the
    other requires grad (no out=), or else where a is not 2-D and the fold needs no copy."""
    na, nb = len(sa), len(sb)
    if max(na, nb) < 3 or min(na, nb) > 2:
        return False
    transposed = nb > na
    if (a if transposed else b).requires_grad and not has_out:
        return True
    if na == 2:
        return False
    t = b if transposed else a   # never the operand _batched took a dim of 1 from
    if not t._data.size:
        return True
    shape, strides = list(t._data.shape), list(t._data.strides)
    if transposed:
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _check_kernel(kernel, s1, s2, d1, d2, out=None, resized=False):
    """torch's checks of the kernel ('dot', 'mv', 'mm' or 'bmm') that runs a matrix product,
    on its operands' shapes and dtypes as it gets them, and the dtype of out= (an input of
    addmv where out already has the result's shape)."""
    if kernel == 'dot':
        if out is not None and out is not d1:
            raise RuntimeError(f'result dtype {out.scalar_name} does not match input dtype '
                               f'{d1.scalar_name}')
        if d1 is not d2:
            raise RuntimeError(f'dot : expected both vectors to have same dtype, but found '
                               f'{d1.scalar_name} and {d2.scalar_name}')
        if s1 != s2:
            raise RuntimeError(f'inconsistent tensor size, expected tensor [{s1[0]}] and src '
                               f'[{s2[0]}] to have the same number of elements, but got '
                               f'{s1[0]} and {s2[0]} elements respectively')
        if d1 is _dtype.bool:
            raise NotImplementedError('"dot" not implemented for \'Bool\'')
        return
    if kernel == 'mv':
        if s1[1] != s2[0]:
            raise RuntimeError(f'size mismatch, got input ({s1[0]}), mat ({s1[0]}x{s1[1]}), '
                               f'vec ({s2[0]})')
        first = out if resized else d2   # addmv's input: out=, else a result of vec's dtype
        if first is not d1 or d1 is not d2:
            raise RuntimeError(f'addmv input tensors must have the same dtype, but got '
                               f'{first.scalar_name}, {d1.scalar_name}, and {d2.scalar_name}')
        _check_out_dtype(out, d1)
    elif kernel == 'mm':
        if s1[1] != s2[0]:
            raise RuntimeError(f'mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and '
                               f'{s2[0]}x{s2[1]})')
        _check_out_dtype(out, d1)
        if d1 is not d2:
            raise RuntimeError(f'expected m1 and m2 to have the same dtype, but got: '
                               f'{d1.cpp_name} != {d2.cpp_name}')
    else:
        if s1[0] != s2[0] or s1[2] != s2[1]:
            raise RuntimeError(f'Expected size for first two dimensions of batch2 tensor to be: '
                               f'[{s1[0]}, {s1[2]}] but got: [{s2[0]}, {s2[1]}].')
        _check_out_dtype(out, d2)
        _check_bool_kernel(kernel, s1, s2, d1)   # bmm dispatches on self's dtype first
        if d1 is not d2:
            raise RuntimeError(f'expected scalar type {d1.scalar_name} but found '
                               f'{d2.scalar_name}')
    _check_bool_kernel(kernel, s1, s2, d1)


def _check_bool_kernel(kernel, s1, s2, d1):
    """No kernel takes bool operands; an empty product runs none."""
    if d1 is _dtype.bool and math.prod(s1) * s2[-1]:
        name = {'mv': 'addmv_impl_cpu', 'mm': 'addmm_impl_cpu_'}.get(kernel, kernel)
        raise NotImplementedError(f'"{name}" not implemented for \'Bool\'')


def _check_out_dtype(out, expected):
    if out is not None and out is not expected:
        raise RuntimeError(f'Expected out tensor to have dtype {expected.cpp_name}, but got '
                           f'{out.cpp_name} instead')


def matmul(input, other, *, out=None):
    """torch.matmul: the ``@`` operator."""
    if not isinstance(input, Tensor):
        raise not_tensor('matmul', input)
    _check_tensor('matmul', 'other', other)
    if out is not None:
        check_out(out)   # torch's parser's check, before the 0-D one
    result = _product(input, other, out)
    if out is None:
        return result
    if input._data.ndim == 1 and other._data.ndim == 2:
        # torch writes mm's (1, n) result into out= (resized to that), then squeezes it
        return write_out(result.unsqueeze(0), out).squeeze_(0)
    return write_out(result, out)


def _product(a, b, out=None):
    """matmul of two tensors (for gradients too: no type checks), before writing out=."""
    op = _pick(a, b, out)
    result = op.apply(a, b)
    return _transposed_last(result) if op is TransposedFoldBackward0 else result


def _check_tensor(function, argument, value):
    """torch's TypeError for a second operand that is not a tensor (its position 1 in the
    method, 2 in the function)."""
    if not isinstance(value, Tensor):
        raise wrong_type(function, argument, 1, f'must be Tensor, not {type_name(value)}')


def mm(input, mat2, *, out=None):
    """torch.mm: the product of two matrices."""
    _check_tensor('mm', 'mat2', mat2)
    if out is not None:
        _check_out_grad('mm', out, input, mat2)
    if input.ndim != 2:
        raise RuntimeError('self must be a matrix')
    if mat2.ndim != 2:
        raise RuntimeError('mat2 must be a matrix')
    return matmul(input, mat2, out=out)


def dot(input, tensor, *, out=None):
    """torch.dot: the inner product of two 1-D tensors."""
    _check_tensor('dot', 'tensor', tensor)
    if out is not None:
        _check_out_grad('dot', out, input, tensor)
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f'1D tensors expected, but got {input.ndim}D and {tensor.ndim}D '
                           'tensors')
    return matmul(input, tensor, out=out)


def mv(input, vec, *, out=None):
    """torch.mv: a matrix times a vector."""
    _check_tensor('mv', 'vec', vec)
    if out is not None:
        _check_out_grad('mv', out, input, vec)
    if input.ndim != 2 or vec.ndim != 1:
        if input.ndim == 0:  # torch first sizes addmv's input by input.size(0)
            raise IndexError('Dimension specified as 0 but tensor has no dimensions')
        # addmv's input is a 0-d out= as is, else a new 1-D tensor
        first = 0 if out is not None and out.ndim == 0 else 1
        raise RuntimeError(f'vector + matrix @ vector expected, got {first}, {input.ndim}, '
                           f'{vec.ndim}')
    return matmul(input, vec, out=out)


def bmm(input, mat2, *, out=None):
    """torch.bmm: batches of matrices of the same batch size (no broadcasting)."""
    _check_tensor('bmm', 'mat2', mat2)
    if out is not None:
        _check_out_grad('bmm', out, input, mat2)
    for name, t in (('batch1', input), ('batch2', mat2)):
        if t.ndim != 3:
            raise RuntimeError(f'{name} must be a 3D tensor')
    _check_kernel('bmm', input._data.shape, mat2._data.shape, input.dtype, mat2.dtype,
                  None if out is None else out.dtype)
    result = BmmBackward0.apply(input, mat2)
    return result if out is None else write_out(result, out)


def _transposed_last(self, name='tensor.mT'):
    """Tensor.mT: the last two dims swapped (a 0-D tensor itself)."""
    ndim = self._data.ndim
    if ndim < 2:
        if ndim == 0:
            warn_once(_DEPRECATED_ON_0D[name])
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
        warn_once('Tensor.H is deprecated on 0-D tensors. Consider using x.conj().'
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
