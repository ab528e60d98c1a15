"""How an op is defined: a Primitive is a graph-node class with forward and backward side by side.

    class MulBackward0(Primitive):
        promote = 'common'          # torch's type promotion over the operands
        saves_inputs = True         # backward reads ctx.inputs

        def forward(ctx, a, b):     # backend arrays in, a backend array out
            return a * b

        def backward(ctx, grad):    # ember Tensors in, one gradient per operand out
            a, b = ctx.inputs
            return grad * b, grad * a

    MulBackward0.apply(x, y)        # -> Tensor, recorded in the graph when needed

The class name is the grad_fn name torch prints. Everything that is the same for all
ops happens here, once: operand unwrapping and dtype promotion, wrapping the result,
recording the node, view bookkeeping and in-place semantics. Backward formulas are
written with ember ops, so they can themselves be differentiated (create_graph=True);
they never un-broadcast or cast: the engine fits each gradient to its input.
"""
import functools
import re

from .. import _dtype
from .._dtype import _BY_NUMPY, result_type_of
from .. import _tensor
from .._device import (array_module, as_array, empty_strided, float_errors_quiet, is_dense,
                      iterator_layout, quiet_float_errors, writable_alias)
from .._arguments import type_name
from .._scalar import parsed_number
from .._warnings import warn_at_caller
from .._tensor import ARRAY_TYPES, Tensor, _make
from ..autograd.grad_mode import state as grad_state
from ..autograd.graph import (FREED_MESSAGE, Node, SavedTensor, accumulator_of, link, new_node,
                              output_of, saved_hooks, saved_version, version_error)

_NO_EDGE = (None, 0)
_new = object.__new__


class Primitive(Node):
    """Base of built-in ops. Subclasses set the class attributes and forward/backward."""

    promote = None          # None: arrays as given; 'common': torch.result_type; 'float': ints -> default float
    differentiable = True   # False: outputs never require grad (comparisons, argmax...)
    saves_inputs = False    # keep the operands for backward (ctx.inputs)
    saved_for = None        # per operand, the operands whose gradient reads it: ((1,), (0,))
                            # for mul; an operand no needed gradient reads is not version-checked
    saves_output = False    # keep the result for backward (ctx.output)
    saves_index = False     # torch saves the index tensors of the ``index`` param, so backward
                            # reads it as ``ctx.saved_index``, freed after a pass
    is_view = False         # the result shares memory with operand 0 (a view of it)
    layout = None           # how torch lays out a result of several dims where NumPy may not:
                            # None (as NumPy does), CONTIGUOUS, ITERATOR (TensorIterator's
                            # order of the operands' strides, see _device.iterator_layout)
                            # or a tuple of the operands' indices in its order
    writes_repeated = False  # as an in-place op, may write memory whose elements repeat (an
                             # expanded tensor): torch's fill_ and zero_ do, silently, and
    repeated_write_warning = None  # index_put_ and masked_fill_ with this deprecation warning
    overlap_checked = None  # the operands (indices, after the target) that an in-place call
                            # checks for overlap with the written-to memory: None for all
    full_overlap_allowed = True  # an operand may be the written-to memory itself (not for
                                 # index_put_)
    safe_cast_checked = True  # with promote='common', torch's TensorIterator checks that the
                              # common dtype casts to an in-place or out= output (comparisons don't)
    copies = False          # as an in-place op, copies operand 0 into the target: nothing is
                            # written where that is the target's memory exactly (torch's copy_)
    graph_inputs = None     # the operands that get an edge in next_functions: None for all
                            # (a Python scalar gets (None, 0), as torch wraps it in a tensor),
                            # a tuple of indices where torch's overload takes a Scalar or a
                            # non-differentiable tensor (pow(Tensor, Scalar): (0,)), or
                            # REQUIRING_GRAD: only the tensors that require grad

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._unrecorded = new_node(cls)  # the ctx of the calls that record nothing (see apply)
        if '_run_backward' not in cls.__dict__:
            inputs = cls.graph_inputs
            cls._run_backward = (_picked_backward(inputs) if inputs.__class__ is tuple
                                 else Primitive._run_backward)

    forward = None
    backward = None

    @classmethod
    def apply(cls, *operands, **params):
        """Run the op on tensors / Python scalars and return the result tensor."""
        ctx = cls._unrecorded  # forward may store on it; only a recorded node is ever read
        if grad_state.enabled and cls.differentiable:
            for x in operands:  # record only if some operand may need a gradient
                if isinstance(x, Tensor) and (x._requires_grad or x._base is not None):
                    ctx = new_node(cls)
                    break
        try:
            if len(operands) == 1 and isinstance(operands[0], Tensor) and (
                    cls.promote != 'float' or operands[0].dtype.category >= _dtype.FLOAT):
                out = cls.forward(ctx, operands[0]._data, **params)  # views, reductions, math
            else:
                arrays = _arrays(cls.promote, operands)
                if params:
                    out = cls.forward(ctx, *arrays, **params)
                elif len(arrays) == 2:  # a plain call: a quarter of the cost of *arrays
                    out = cls.forward(ctx, arrays[0], arrays[1])
                else:
                    out = cls.forward(ctx, *arrays)
        except ValueError as error:
            raise _torch_error(error, operands) from None
        except (FloatingPointError, RuntimeWarning):  # NumPy set to raise, or warnings to errors
            if float_errors_quiet():
                raise
            with quiet_float_errors():
                return cls.apply(*operands, **params)
        if out.__class__ not in ARRAY_TYPES:
            out = as_array(out)
        elif cls.layout is not None and out.ndim > 1:  # (one dim has one layout)
            out = _torch_layout(cls.layout, out, operands)
        result = _new(Tensor)  # wrap(out), inlined: this is the hottest line of ember
        result._data = out
        result.dtype = _BY_NUMPY[out.dtype]
        result._requires_grad = False
        result._grad_fn = None
        if cls.is_view:
            _make_view(result, operands[0], cls, params)  # shares the counter and base
        else:
            result._vc = _tensor._new_counter()
            result._base = None
        if ctx is not cls._unrecorded:
            _record(ctx, operands, result, params)
        return result

    @classmethod
    def apply_(cls, target, *operands, **params):
        """Run the op in place on ``target`` (torch's ``op_`` variants) and return it."""
        recording = grad_state.enabled and cls.differentiable and _any_requires_grad(target, operands)
        # (torch checks the target of an op without a derivative too: leaf.eq_(1) raises)
        if recording or grad_state.enabled and not cls.differentiable and target.requires_grad:
            try:
                check_inplace_allowed(target)
            except RuntimeError:
                if cls.promote:   # (the operands promotion reads: others may be None, masks...)
                    check_operand_types(operands)
                raise
        _check_overlaps(cls, target, operands)
        try:
            if recording:
                result = cls.apply(_snapshot(target, cls.saves_inputs), *operands, **params)
                out = result._data
            else:
                out = cls.forward(cls._unrecorded, *_arrays(cls.promote, (target,) + operands),
                                  **params)
        except ValueError as error:
            raise _torch_error(error, (target,) + operands) from None
        except (FloatingPointError, RuntimeWarning):  # as in apply
            if float_errors_quiet():
                raise
            with quiet_float_errors():
                return cls.apply_(target, *operands, **params)
        except RuntimeError:   # a kernel's (NotImplementedError too): after TensorIterator's checks
            _check_output(cls, target, (target,) + operands, params, True)
            raise
        if not (cls.copies and isinstance(operands[0], Tensor)
                and same_data(target._data, operands[0]._data)):
            write_into(target, out, cls)
        target._vc.value += 1
        if recording and result._requires_grad:  # an integer target records no history
            rebase_history(target, result._grad_fn)
        return target

    @classmethod
    def apply_out(cls, out, *operands, **params):
        """apply, its result written into ``out`` when one is given (torch's out= variant)."""
        if out is None:
            return cls.apply(*operands, **params)
        try:
            result = cls.apply(*operands, **params)
        except RuntimeError:   # a kernel's (NotImplementedError too): after TensorIterator's checks
            _check_output(cls, out, operands, params, False)
            raise
        return write_out(result, out, cls)

    @classmethod
    def common_dtype(cls, operands, params):
        """The dtype torch's TensorIterator computes in and checks an output against, before
        it looks up the kernel (read only where the kernel is missing); None where the op
        does not check it (see safe_cast_checked)."""
        if cls.promote == 'common' and cls.safe_cast_checked:
            return _promoted(cls.promote, operands)
        return None

    @classmethod
    def apply_views(cls, source, **params):
        """Run an op whose outputs are several views of ``source`` (torch's unbind) and return
        them: output i of one node. forward returns their arrays, and ``cls.view_step(i,
        **params)`` the (view primitive, params) that re-derive output i alone from ``source``.
        As torch's, such views can't be written in place while grad mode records."""
        ctx = cls._unrecorded
        if grad_state.enabled and (source._requires_grad or source._base is not None):
            ctx = new_node(cls)
        views = []
        for nr, out in enumerate(cls.forward(ctx, source._data, **params)):
            view = _make(out, source.dtype)
            _make_view(view, source, *cls.view_step(nr, **params))
            if grad_state.enabled and view._creation_meta != 'inference':
                view._creation_meta = 'multi_output'
            views.append(view)
        if ctx is not cls._unrecorded and views:
            _record(ctx, (source,), views[0], params)
            if views[0]._requires_grad:
                ctx._num_outputs = len(views)
                for nr, view in enumerate(views[1:], 1):
                    view._grad_fn, view._output_nr, view._requires_grad = ctx, nr, True
        return tuple(views)

    # ---------------------------------------------------------------- what backward reads

    @property
    def inputs(self):
        """The operands as saved at forward time (error if modified in place since)."""
        return self._unpack_saved()

    @property
    def output(self):
        """The result, as a tensor whose grad_fn is this node (for double backward)."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        if self._packed:
            return self._saved_output.unpack(self)
        data, counter, version = self._saved_output
        t = output_of(self, 0, data, _BY_NUMPY[data.dtype], counter)
        if counter.value != version:
            raise version_error(t, version, self, 0)
        return t

    @property
    def saved_index(self):
        """The ``index`` param of a ``saves_index`` node (error once freed)."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        return self.index

    def _release(self):
        if self._saved is not None or self.saves_output or self.saves_index:
            self._saved = self._saved_output = None
            self._freed = True

    def _run_backward(self, grads):
        return self.backward(*grads)


REQUIRING_GRAD = 'requiring grad'
ITERATOR, CONTIGUOUS = 'iterator', 'contiguous'   # values of Primitive.layout


def _torch_layout(layout, out, operands):
    """``out`` laid out as torch allocates the op's result (see Primitive.layout)."""
    if layout == CONTIGUOUS:
        return array_module(out).ascontiguousarray(out)
    if layout != ITERATOR:
        operands = [operands[i] for i in layout]
    return iterator_layout(out, [x._data for x in operands if isinstance(x, Tensor)])


def _picked_backward(inputs):
    """_run_backward of a node whose edges are some operands only: backward still returns
    one gradient per operand, and the graph inputs' gradients are passed on."""
    def _run_backward(self, grads):
        grads = self.backward(*grads)
        if not isinstance(grads, tuple):
            grads = (grads,)
        return tuple(grads[i] for i in inputs)
    return _run_backward


class NotImplementedDerivative(Primitive):
    """An op torch has no derivative for (``aten`` names it): its result is recorded, with
    edges to the operands that require grad, as torch's ``NotImplemented`` node, and
    backward raises torch's error."""
    graph_inputs = REQUIRING_GRAD
    aten = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__name__ = cls.__qualname__ = 'NotImplemented'  # type(grad_fn).__name__ as torch

    def name(self):
        return 'torch::autograd::NotImplemented'

    def backward(ctx, *grads):
        raise RuntimeError(f'derivative for aten::{ctx.aten} is not implemented')


# -------------------------------------------------------------------- operands

def _arrays(promote, operands):
    """Backend arrays (and scalars) for forward, cast to the promoted dtype if asked."""
    if promote is None:
        if len(operands) == 2:  # the common case, without a list comprehension's call
            a, b = operands
            return (a._data if isinstance(a, Tensor) else a,
                    b._data if isinstance(b, Tensor) else b)
        return [x._data if isinstance(x, Tensor) else x for x in operands]
    if len(operands) == 2 and isinstance(operands[0], Tensor):  # the common binary cases
        a, b = operands
        dtype = a.dtype
        if promote != 'float' or dtype.category >= _dtype.FLOAT:
            data = a._data
            if isinstance(b, Tensor):
                if b.dtype is dtype:
                    return data, b._data
            elif b.__class__ in _KEEPS_DTYPE_WITH:  # a number seen before: _scalar_array's cache
                scalar = _SCALAR_ARRAYS.get((b, b.__class__, dtype, data.__class__))
                if scalar is not None:
                    return data, scalar
    return _unpromoted(promote, operands) or _promoted_arrays(promote, operands)


def _promoted_arrays(promote, operands):
    """The operands cast to torch's promoted dtype (Python scalars become NumPy scalars)."""
    np_dtype = _promoted(promote, operands).np
    arrays = []
    for x in operands:
        if isinstance(x, Tensor):
            data = x._data
            arrays.append(data if data.dtype == np_dtype else data.astype(np_dtype))
        else:
            arrays.append(cast_scalar(x, np_dtype))
    return arrays


def cast_scalar(value, np_dtype):
    """A Python number as a NumPy scalar of ``np_dtype``, cast as torch casts it: a float
    out of range becomes inf without NumPy's warning, an int out of range wraps around."""
    if value.__class__ not in _PYTHON_NUMBERS:
        value = parsed_number(value)   # a NumPy scalar: as torch's parser reads it
    try:
        with array_module(value).errstate(over='ignore'):
            return np_dtype.type(value)
    except OverflowError:
        return _wrapped_scalar(value, np_dtype)
    except TypeError:   # bfloat16 takes no int beyond int64: as torch converts a uint64
        return np_dtype.type(array_module(value).float32(value))


_PYTHON_NUMBERS = (bool, int, float, complex)


def _wrapped_scalar(x, np_dtype):
    """An out-of-range Python int cast as torch casts it: two's complement wrap-around."""
    if isinstance(x, int) and np_dtype.kind in 'iub':
        bits = np_dtype.itemsize * 8
        x &= (1 << bits) - 1
        if np_dtype.kind == 'i' and x >= 1 << (bits - 1):
            x -= 1 << bits
        return np_dtype.type(x)
    raise RuntimeError(f'value cannot be converted to type {np_dtype} without overflow')


# Dtypes whose arrays NumPy combines with a Python int / float into the same dtype, as torch
# does: for these, the common cases below skip computing torch.result_type.
_KEEPS_DTYPE_WITH = {
    int: frozenset((_dtype.int32, _dtype.int64, _dtype.float16, _dtype.float32, _dtype.float64,
                    _dtype.complex64, _dtype.complex128)),
    float: frozenset((_dtype.float16, _dtype.float32, _dtype.float64, _dtype.complex64,
                      _dtype.complex128)),
}
_EMPTY = frozenset()


def _unpromoted(promote, operands):
    """The arrays as they are, when promotion can't change them (else None): all tensors
    share one dtype and every Python scalar keeps it under NumPy's rules too (it is passed
    as a cached 0-d array of that dtype, which NumPy combines twice as fast as a scalar)."""
    dtype = None
    for x in operands:
        if isinstance(x, Tensor):
            dtype = x.dtype
            like = x._data
            break
    if dtype is None or (promote == 'float' and dtype.category < _dtype.FLOAT):
        return None
    arrays = []
    for x in operands:
        if isinstance(x, Tensor):
            if x.dtype is not dtype:
                return None
            arrays.append(x._data)
        elif dtype in _KEEPS_DTYPE_WITH.get(x.__class__, _EMPTY):
            scalar = _scalar_array(x, dtype, like)
            if scalar is None:
                return None
            arrays.append(scalar)
        else:
            return None
    return arrays


def _scalar_array(value, dtype, like):
    """``value`` as a read-only 0-d array of ``dtype`` on ``like``'s backend, cached (a loop
    multiplies by the same few constants); None where it does not fit the dtype."""
    key = (value, value.__class__, dtype, like.__class__)  # 1, 1.0 and True are one dict key
    array = _SCALAR_ARRAYS.get(key)
    if array is None:
        xp = array_module(like)
        if value.__class__ is int:
            _dtype.check_int_scalar(value)  # no c10 Scalar holds one beyond int64 and uint64
        try:
            with xp.errstate(over='ignore'):  # a float out of range is inf, as in torch
                array = xp.asarray(value, dtype.np)
        except OverflowError:
            return None
        if not value or value != value:  # 0.0 == -0.0 and nan != nan: not cached
            return array
        array.flags.writeable = False
        if len(_SCALAR_ARRAYS) >= 1024:
            _SCALAR_ARRAYS.clear()
        _SCALAR_ARRAYS[key] = array
    return array


_SCALAR_ARRAYS = {}


def _promoted(promote, operands):
    dtype = result_type_of(operands)
    if promote == 'float' and dtype.category < _dtype.FLOAT:
        return _dtype.get_default_dtype()
    return dtype


def _any_requires_grad(target, operands):
    if target.requires_grad:
        return True
    return any(isinstance(x, Tensor) and x.requires_grad for x in operands)


def _torch_error(error, operands):
    """The RuntimeError torch raises where NumPy raised ValueError (mostly broadcasting)."""
    if 'broadcast' in str(error):
        from .shape import infer_size
        try:
            infer_size(*(x.shape for x in operands if isinstance(x, Tensor)))
        except RuntimeError as torch_error:
            return torch_error
    return RuntimeError(str(error))


# -------------------------------------------------------------------- recording

def _record(ctx, operands, result, params):
    """Link ``result`` into the graph through ``ctx`` if any operand requires grad; the
    keyword ``params`` become attributes of ``ctx`` for backward (``ctx.dim``, ...)."""
    if result.dtype.category < _dtype.FLOAT:
        return  # integer and bool results are never differentiable
    edges = []
    metas = []
    needs = []
    inputs = ctx.graph_inputs
    for x in operands if inputs is None else _graph_operands(inputs, operands):
        if isinstance(x, Tensor):
            base = x._base
            if base is not None:
                x._refresh_view()
            if x._requires_grad:
                fn = x._grad_fn
                edges.append((fn, x._output_nr) if fn is not None else (accumulator_of(x), 0))
                metas.append((x._data.shape, x.dtype))
                needs.append(True)
                continue
            if base is not None and base._requires_grad:  # a view from before its base required
                edges.append(_NO_EDGE)                     # grad: it requires grad, as torch's,
                metas.append(None)                         # and its gradient goes nowhere
                needs.append(True)
                continue
        edges.append(_NO_EDGE)
        metas.append(None)
        needs.append(False)
    if True not in needs:
        return  # no graph operand requires grad (a non-edge operand may)
    link(ctx, tuple(edges), tuple(metas))
    ctx.needs_input_grad = (_per_operand(inputs, needs) if inputs.__class__ is tuple
                            else tuple(needs))
    if params:
        ctx.__dict__.update(params)
    result._grad_fn = ctx  # before saving: a pack hook sees the result with its grad_fn
    result._requires_grad = True
    if ctx.saves_inputs:
        if ctx.saved_for is None:
            ctx._save(operands)
        else:  # as torch, which saves x for mul(x, y) only when y requires grad
            ctx._saved = operands
            ctx._versions = _versions_for_readers(operands, ctx.saved_for, ctx.needs_input_grad)
            if saved_hooks.stack:
                ctx._pack()
    if ctx.saves_output:
        if saved_hooks.stack:
            ctx._saved_output = SavedTensor(result, ctx)
            ctx._packed = True
        else:
            ctx._saved_output = (result._data, result._vc, saved_version(result))


def _per_operand(inputs, needs):
    """needs_input_grad per operand of a node whose edges are the operands ``inputs``."""
    per_operand = [False] * (max(inputs) + 1)
    for i, need in zip(inputs, needs):
        per_operand[i] = need
    return tuple(per_operand)


def _versions_for_readers(operands, saved_for, needs):
    """The versions operands are saved with; None (not checked) for an operand that no
    needed gradient reads (``saved_for``, by operand like ``needs``: needs_input_grad)."""
    versions = []
    for x, readers in zip(operands, saved_for):
        version = None
        if isinstance(x, Tensor):
            for j in readers:
                if needs[j]:
                    version = saved_version(x)
                    break
        versions.append(version)
    return tuple(versions)


def _graph_operands(inputs, operands):
    """The operands that get an edge (see Primitive.graph_inputs)."""
    if inputs is REQUIRING_GRAD:
        return [x for x in operands if isinstance(x, Tensor) and x.requires_grad]
    return [operands[i] for i in inputs]


# -------------------------------------------------------------------- views

def _make_view(result, source, cls, params):
    """Make ``result`` a view of ``source``: shared version counter and base, and (in grad
    mode) a way to re-derive it from the base after in-place changes."""
    result._vc = source._vc
    base = source._base
    result._base = source if base is None else base
    result._view_version = source._vc.value
    meta = source._creation_meta  # a view of a view keeps why its source can't be re-derived
    if not grad_state.enabled:  # as torch: a leaf that gradients skip, requiring grad as its base
        result._requires_grad = result._base._requires_grad
        if grad_state.inference or meta == 'inference':
            result._creation_meta = 'inference'
        return
    if base is None or source._view_fn is not None:
        if cls is AsStridedBackward0:  # a regenerated view: its steps start at the base
            steps = params['steps']
        else:
            steps = (source._view_fn.keywords['steps'] if source._view_fn is not None
                     else ()) + ((cls, params),)
        result._view_fn = functools.partial(AsStridedBackward0.apply, steps=steps)
    if meta is not None:
        result._creation_meta = meta


def regenerated_view_node(view_fn, base):
    """The grad_fn of a view re-derived from its base after an in-place change: an
    AsStridedBackward0 node from the base, leading nowhere where the base no longer requires
    grad (detached in place), as torch's."""
    from ..autograd.grad_mode import enable_grad
    with enable_grad():
        node = view_fn(base)._grad_fn
    if node is None:
        node = new_node(AsStridedBackward0)
        AsStridedBackward0.forward(node, base._data, **view_fn.keywords)
        link(node, (_NO_EDGE,), (None,))
    return node


class AsStridedBackward0(Primitive):
    """A view re-derived from its base after an in-place change to either (a view's
    ``_view_fn``): the view ops that made it, ``steps`` of (primitive, params), replayed as
    one node, as torch regenerates a view with one as_strided."""
    is_view = True

    def forward(ctx, a, steps):
        ctx.replayed = replayed = []
        for cls, params in steps:
            step = new_node(cls)  # the ctx each step's forward and backward read
            step.__dict__.update(params)
            replayed.append((step, a.shape, a.dtype))
            a = cls.forward(step, a, **params)
        return a

    def backward(ctx, grad):
        from ..autograd.engine import _fit
        for step, shape, dtype in reversed(ctx.replayed):
            grad = step.backward(grad)
            if grad.__class__ is tuple:
                grad = grad[0]
            if grad._data.shape != shape or grad.dtype.np != dtype:  # as the engine fits it
                grad = _fit(grad, shape, _BY_NUMPY[dtype])
        return grad


# -------------------------------------------------------------------- in place

def write_into(target, out, op=None):
    """Copy the result of ``op`` (a Primitive; None for a copy) into ``target``'s memory, with
    torch's overlap, shape and casting checks, in TensorIterator's order."""
    data = target._data
    alias = writable(data, op)
    if out.shape != data.shape:
        check_output_shape(data.shape, out.shape)
    if out.dtype != data.dtype:
        check_castable(_BY_NUMPY[out.dtype], target)
    if alias is data or not has_repeats(data):
        alias[...] = out
    else:   # as torch, only the elements the op changes are written (the last write wins)
        out = array_module(out).broadcast_to(out, data.shape)
        changed = out != data
        alias[changed] = out[changed]


def _check_output(cls, output, operands, params, in_place):
    """TensorIterator's checks of an op's output, which come before its kernel's errors: the
    operands of an elementwise op (one torch lays out) broadcast, to the output's shape where
    it is written in place, then the cast of the common dtype."""
    if cls.layout is not None:
        from .shape import infer_size
        shape = infer_size(*[x._data.shape for x in operands if isinstance(x, Tensor)])
        if in_place:
            check_output_shape(output._data.shape, shape)
    check_castable(cls.common_dtype(operands, params), output)


def check_castable(dtype, output):
    """torch's error where a result of ``dtype`` can't be cast to ``output``'s dtype (None:
    not checked)."""
    if dtype is not None and not _dtype.can_cast(dtype, output.dtype):
        raise RuntimeError(f"result type {dtype.scalar_name} can't be cast to the desired "
                           f"output type {output.dtype.scalar_name}")


def same_data(data, other):
    """Whether array ``other`` is ``data``'s memory exactly (same start, shape, layout and
    dtype), where torch's copy_ writes nothing."""
    return (other.dtype == data.dtype and other.shape == data.shape
            and _address(other) == _address(data) and _layout(other) == _layout(data))


def check_output_shape(shape, result_shape):
    """A result of ``result_shape`` fits an output of ``shape`` (torch's error if not)."""
    from .shape import infer_size
    broadcast = infer_size(shape, result_shape)
    if broadcast != shape:
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the "
                           f"broadcast shape {list(broadcast)}")


def writable(data, op=None):
    """The array to write ``op``'s in-place result into (op: a Primitive, None for a copy):
    ``data``, or for a read-only view (an expanded tensor, or part of one) a writable view of
    its memory. Where its elements repeat (a dim of stride 0), torch's overlap error unless op
    writes there (fill_...)."""
    if getattr(data.flags, 'writeable', True):   # (CuPy arrays have no read-only views)
        return data
    if has_repeats(data):
        if op is None or not op.writes_repeated:
            raise RuntimeError('unsupported operation: more than one element of the written-to '
                               'tensor refers to a single memory location. Please clone() the '
                               'tensor before performing the operation.')
        if op.repeated_write_warning:
            warn_at_caller(op.repeated_write_warning)
    alias = writable_alias(data)
    if alias is None:   # torch writes it anyway, which its from_numpy warns is undefined
        raise RuntimeError("ember can't write into the memory of a read-only NumPy array; "
                           'copy the array first')
    return alias


def has_repeats(data):
    """Whether some elements of an array are one memory location (a dim of stride 0; an
    empty array has none, as torch judges it: contiguous)."""
    return data.size != 0 and any(size > 1 and not stride
                                  for size, stride in zip(data.shape, data.strides))


def _check_overlaps(cls, target, operands):
    """check_no_partial_overlap for each operand of ``target.op_(*operands)`` torch checks."""
    checked, full_allowed = cls.overlap_checked, cls.full_overlap_allowed
    for x in operands if checked is None else [operands[i] for i in checked]:
        if isinstance(x, Tensor) and x._vc is target._vc and (x is not target or not full_allowed):
            if x is target:   # the tensor itself: a full overlap, even empty (as torch)
                raise RuntimeError(OVERLAP_MESSAGE)
            check_no_partial_overlap(target._data, x._data, full_allowed)


def check_no_partial_overlap(out, x, full_allowed=True):
    """torch's check that an operand of an in-place op is either the written-to memory
    exactly (same extent and layout; index_put_ refuses that too) or apart from it; overlaps
    it can't judge (operands with gaps or repeated elements) pass."""
    if not out.size or not x.size or not (is_dense(out) and is_dense(x)):
        return
    out_begin, x_begin = _address(out), _address(x)
    out_end, x_end = out_begin + out.nbytes, x_begin + x.nbytes
    if out_begin == x_begin and out_end == x_end:
        if full_allowed and _layout(out) == _layout(x):
            return
    elif not (out_begin < x_end and x_begin < out_end):
        return
    raise RuntimeError(OVERLAP_MESSAGE)


OVERLAP_MESSAGE = ('unsupported operation: some elements of the input tensor and the written-to '
                   'tensor refer to a single memory location. Please clone() the tensor before '
                   'performing the operation.')


def _address(data):
    """Where an array's first element is (its lowest address: tensors have no negative
    strides, and is_dense refuses them)."""
    return data.__array_interface__['data'][0] if hasattr(data, '__array_interface__') \
        else data.data.ptr


def _layout(data):
    """Rank and strides, as torch compares them (a size-1 dim's stride is free in NumPy)."""
    return data.ndim, [st for n, st in zip(data.shape, data.strides) if n != 1]


def check_operand_types(operands):
    """torch's parser's TypeError for an operand that is neither a tensor nor a number, which
    comes before the errors of autograd and of the kernels (called where those are raised)."""
    for x in operands:
        if not isinstance(x, Tensor):
            _dtype._scalar_dtype(x)


def target_error_first(target, operands):
    """Where an in-place op's own check of its arguments failed: the errors torch raises
    before its kernel checks them (the parser's TypeError, then autograd's leaf or view error).
    """
    check_operand_types(operands)
    if grad_state.enabled and target.requires_grad:
        check_inplace_allowed(target)


def check_inplace_allowed(target):
    if target._base is not None:
        if target._view_fn is None or target._creation_meta is not None:
            raise view_written_error(target, 'is being')
        target._refresh_view()
        if target.requires_grad and target._base._grad_fn is None:  # (base detached or not)
            raise RuntimeError('a view of a leaf Variable that requires grad is being used in an '
                               'in-place operation.')
    if target._requires_grad and target._grad_fn is None:
        raise RuntimeError('a leaf Variable that requires grad is being used in an in-place '
                           'operation.')


def view_written_error(view, modified):
    """torch's error for a view that can't take part in an in-place write (``modified``:
    'is being' written, or 'its base or another view of its base has been'): one made in
    no_grad or inference mode, an output of an op returning several views (unbind), or an
    output of a custom Function, and the views of these."""
    meta, grad_fn = view._creation_meta, view._grad_fn
    if grad_fn is not None:
        output = (f'Output {view._output_nr} of '
                  f"{re.sub(r'Backward[0-9]*$', '', type(grad_fn).__name__)} is a view")
    if grad_fn is not None and meta not in (None, 'inference'):
        head = f'{output} and {modified} modified inplace.'
    else:  # made in no_grad or inference mode (else it would have a grad_fn)
        prefix = 'A view' if grad_fn is None else f'{output} of a view which'
        head = (f'{prefix} was created in inference mode and {modified} modified inplace in '
                'normal mode.' if meta == 'inference' else
                f'{prefix} was created in no_grad mode and {modified} modified inplace with '
                'grad mode enabled.')
    return RuntimeError(head + _VIEW_WRITE_ADVICE[meta])


_VIEW_WRITE_ADVICE = {
    None: (' Given that this use case is ambiguous and error-prone, it is forbidden. You can '
           'clarify your code by moving both the view and the inplace either both inside the '
           "no_grad block (if you don't want the inplace to be tracked) or both outside (if you "
           'want the inplace to be tracked).'),
    'inference': (' Given that this use case is ambiguous and error-prone, it is forbidden. You '
                  'can clarify your code by moving both the view and the inplace either both '
                  "inside the inference_mode block (if you don't want the inplace to be tracked) "
                  'or both outside (if you want the inplace to be tracked).'),
    'multi_output': (' This view is the output of a function that returns multiple views. Such '
                     'functions do not allow the output views to be modified inplace. You should '
                     'replace the inplace operation by an out-of-place one.'),
    'custom_function': (' This view was created inside a custom Function (or because an input '
                        'was returned as-is) and the autograd logic to handle view+inplace would '
                        'override the custom backward associated with the custom Function, '
                        'leading to incorrect gradients. This behavior is forbidden. You can fix '
                        'this by cloning the output of the custom Function.'),
}


def _snapshot(target, copy):
    """The pre-op value of ``target`` as a separate tensor holding target's graph position."""
    old = _make(target._data.copy() if copy else target._data, target.dtype)
    old._requires_grad = target._requires_grad
    old._grad_fn = target._grad_fn
    old._output_nr = target._output_nr
    if target._grad_fn is None and target._requires_grad:
        old._accumulator = target._accumulator
    return old


def rebase_history(target, fn, output_nr=0):
    """After an in-place op, ``target`` takes output ``output_nr`` of node ``fn`` as its
    place in the graph; for a view, its base gets a CopySlices node holding ``fn``."""
    if target._base is None:
        old_fn, old_nr = target._grad_fn, target._output_nr
        target._grad_fn = fn
        target._output_nr = output_nr
        target._requires_grad = True
        if target._retains_grad:
            move_retained(target, old_fn, old_nr)
        return
    base = target._base
    node = new_node(CopySlices)
    node.view_fn = target._view_fn
    node.base_strides = base._data.strides
    node.fn = fn
    base_edge = (base._grad_fn, base._output_nr) if base._grad_fn is not None else _NO_EDGE
    link(node, (base_edge,) + fn.next_functions[1:],
         ((base._data.shape, base.dtype) if base_edge is not _NO_EDGE else None,)
         + fn._input_meta[1:])
    old_fn, old_nr = base._grad_fn, base._output_nr
    base._grad_fn = node
    base._output_nr = 0
    base._requires_grad = True
    if base._retains_grad:
        move_retained(base, old_fn, old_nr)
    target._view_version = -1
    target._refresh_view()


def move_retained(tensor, old_fn, old_nr):
    """retain_grad follows a tensor to its new grad_fn after an in-place op (as torch)."""
    registry = old_fn._registry if old_fn is not None else None
    if registry is not None:
        ref = registry.retained.pop(old_nr, None)
        if ref is not None:
            tensor._grad_fn._open_registry().retained[0] = ref


class CopySlices(Primitive):
    """The base of a view written in place (torch's CopySlices). It holds the in-place op's
    node ``fn``, which is not in the graph: its edges are the base's and fn's other inputs'."""

    def name(self):
        return 'torch::autograd::CopySlices'

    def backward(ctx, grad):
        """grad, with the view's region replaced by fn's gradient for the view's old value,
        and fn's gradients for its other inputs. grad is copied into a tensor laid out as the
        base (torch's new_empty_strided), where the view's ops find their region."""
        data = grad._data
        result = _make(empty_strided(array_module(data), data.shape, data.dtype,
                                     ctx.base_strides), grad.dtype).copy_(grad)
        region = ctx.view_fn(result)
        grads = ctx.fn._call(region.clone())
        grads = grads if isinstance(grads, tuple) else (grads,)
        if grads[0] is None:
            region.zero_()
        else:
            region.copy_(grads[0])
        return (result,) + grads[1:]

    def _release(self):
        super()._release()
        self.fn._release()


class OutNotTensor(TypeError):
    """torch's parser's TypeError for an out= that is not a tensor, which torch.f (ember._ops'
    function wrapper) prefixes with the function's name."""


OutNotTensor.__name__ = OutNotTensor.__qualname__ = 'TypeError'  # as printed
OutNotTensor.__module__ = 'builtins'


def op_name(op):
    """The name torch's errors give the aten op a Primitive runs: its grad_fn name without
    'Backward0' in snake case (ClampBackward1: clamp), or its ``aten`` name (or ``op``, a
    name already)."""
    if op.__class__ is str:
        return op
    if getattr(op, 'aten', None):
        return f'aten::{op.aten}'
    name = re.sub(r'Backward\d*$', '', op.__name__)
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


def check_out(out):
    if not isinstance(out, Tensor):
        raise OutNotTensor(f"argument 'out' must be Tensor, not {type_name(out)}")


def warn_resized(old_shape, new_shape):
    warn_at_caller(
        f'An output with one or more elements was resized since it had shape {list(old_shape)}, '
        f'which does not match the required output shape {list(new_shape)}. This behavior is '
        'deprecated, and in a future PyTorch release outputs will not be resized unless they '
        'have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, '
        'to zero elements with t.resize_(0). (Triggered internally at '
        '/__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)')


def out_requires_grad_error(name):
    """torch's error for an out= call that autograd would record, prefixed with the op's
    ``name`` (none where None)."""
    return RuntimeError(('' if name is None else f'{name}(): ') +
                        "functions with out=... arguments don't support automatic "
                        'differentiation, but one of the arguments requires grad.')


def check_out_grad(name, out, *operands):
    """torch's refusal of out= where autograd would record the op (first, its TypeError for an
    out= that is not a tensor): it comes before the op's own argument checks."""
    check_out(out)
    if grad_state.enabled and (out.requires_grad or any(t.requires_grad for t in operands)):
        raise out_requires_grad_error(name)


def write_out(result, out, op=None):
    """Fill an ``out=`` tensor with ``result`` of Primitive ``op`` (resized if its shape
    differs) and return it."""
    check_out(out)
    if grad_state.enabled and (result.requires_grad or out.requires_grad):
        if op is None and result.grad_fn is not None:
            op = type(result.grad_fn)
        raise out_requires_grad_error(None if op is None else op_name(op))
    if out._data.shape != result._data.shape:
        if out._data.size:
            warn_resized(out._data.shape, result._data.shape)
        out._data = array_module(out._data).empty(result._data.shape, dtype=out._data.dtype)
    write_into(out, result._data)
    out._vc.value += 1
    return out
