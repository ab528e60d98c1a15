"""The Tensor: a backend array plus autograd metadata (torch.Tensor).

Tensor stays thin. Its math methods are the op functions, attached by ``ember._ops``
(``Tensor.mul`` runs ``ember.mul``'s code, without the ``out=`` torch's methods refuse), so a
function and its method share one definition. What lives here is the data model: construction, metadata, conversion
to Python and NumPy, the autograd attributes, views and version counting.
"""
import copy
import numbers
import operator
import warnings
import weakref

import numpy

from . import _dtype
from ._dtype import _BY_NUMPY
from ._device import (ATEN_CUDA_MISSING, NO_ACCELERATOR, array_module, deep_copied, device_of,
                      memory_owner, storage_parts, to_host, writable_alias)
from ._arguments import invalid_combination, type_name, wrong_type
from ._warnings import warn_deprecated_overload, warn_once
from .utils.hooks import RemovableHandle

_new = object.__new__


class Size(tuple):
    """torch.Size: a tuple of ints that prints as ``torch.Size([2, 3])``."""

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        for i, size in enumerate(sizes):
            if size.__class__ is not int:   # NumPy ints stay, bools and int tensors become ints
                if not hasattr(size, '__index__'):   # (NumPy < 2.3's bool_ has one, as for torch)
                    raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is "
                                    f"'{type_name(size)}')")
                return tuple.__new__(cls, [s if isinstance(s, numpy.integer) else operator.index(s)
                                           for s in sizes])
        return tuple.__new__(cls, sizes)

    def __repr__(self):
        return f'torch.Size({list(map(int, self))})'

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f'can only concatenate tuple (not {type(other).__name__}) to torch.Size')
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        return Size(tuple.__add__(other, self))

    def __mul__(self, count):
        return Size(tuple.__mul__(self, count))

    __rmul__ = __mul__

    def __reduce__(self):
        return Size, (tuple(self),)


class _Constant:
    """A named constant of torch's namespace, printed as torch prints it (torch.strided)."""
    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return 'torch.' + self.name

    def __reduce__(self):
        return self.name


class layout(_Constant):
    """torch.layout: how a tensor's elements are laid out in memory (ember's are strided)."""
    __slots__ = ()


class memory_format(_Constant):
    """torch.memory_format: the order of a tensor's strides (empty and the *_like factories
    lay out their results by it, clone by contiguous_format; other ops accept and ignore it)."""
    __slots__ = ()


strided = layout('strided')
contiguous_format = memory_format('contiguous_format')
preserve_format = memory_format('preserve_format')
channels_last = memory_format('channels_last')
channels_last_3d = memory_format('channels_last_3d')


class VersionCounter:
    """Counts in-place writes; shared by a tensor and all its views."""
    # A class default, no __init__: every tensor creates a counter, and this halves its cost.
    value = 0
    inference = False


class InferenceCounter(VersionCounter):
    """The counter of an inference tensor (made in inference_mode, and its views). Outside
    inference mode its bump raises torch's error, after the write, as torch's does."""
    __slots__ = ()
    inference = True
    _value = 0

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value):
        from .autograd.grad_mode import state
        if not state.inference:
            raise RuntimeError('Inplace update to inference tensor outside InferenceMode is not '
                               'allowed.You can make a clone to get a normal tensor before doing '
                               'inplace update.See https://github.com/pytorch/rfcs/pull/17 for '
                               'more details.')
        self._value = value


class DetachedInferenceCounter(VersionCounter):
    """The counter of ``.data`` or ``detach()`` of an inference tensor taken outside inference
    mode: an inference tensor still, whose own in-place writes count (as torch gives it a
    version counter of its own)."""
    inference = True


def _detached_counter(counter):
    """The version counter of ``.data`` of a tensor counted by ``counter`` (an inference
    tensor's, also of its ``detach()``)."""
    if not counter.inference:
        return VersionCounter()
    from .autograd.grad_mode import state
    return InferenceCounter() if state.inference else DetachedInferenceCounter()


def _thread_counter():
    """While some thread is in inference mode: an InferenceCounter in that thread."""
    from .autograd.grad_mode import state
    return InferenceCounter() if state.inference else VersionCounter()


_new_counter = VersionCounter  # _thread_counter while any thread is in inference mode


def _deprecated_async(kwargs):
    """Tensor.type's keywords other than its own: torch's deprecated overload's async= (with
    its warning), and nothing else."""
    for key in kwargs:
        if key != 'async':
            raise TypeError(f"type() got an unexpected keyword argument '{key}'")
    warn_deprecated_overload(
        'type', 'type(object dtype = None, bool async = False, *, torch.memory_format '
        'memory_format = None)', 'type(object dtype = None, bool non_blocking = False, *, '
        'torch.memory_format memory_format = None)')


class Tensor:
    """torch.Tensor. ``_data`` is the backend array (numpy.ndarray or cupy.ndarray)."""

    # The attributes every op reads are slots; the rarer ones live in __dict__ once set,
    # and read their class default until then (so creating a tensor sets only six).
    __slots__ = ('_data', 'dtype', '_requires_grad', '_grad_fn', '_vc', '_base',
                 '__weakref__', '__dict__')
    _grad = None
    _output_nr = 0
    _view_fn = None
    _view_version = 0       # the version a view's grad_fn was derived at (see _refresh_view)
    _creation_meta = None   # why a view can't be re-derived from its base, where its
                            # _view_fn is not None (see primitive.view_written_error):
                            # 'multi_output', 'custom_function', or 'inference' (made in
                            # inference mode); a view without either was made in no_grad mode
    _accumulator = None
    _hooks = None
    _post_accumulate_hooks = None
    _retains_grad = False
    _detached_seq = -1   # when detach_ made a non-leaf a leaf (see Node._unpack_saved)

    # Tensors define __eq__ elementwise, so hashing stays by identity as in torch.
    __hash__ = object.__hash__
    # NumPy must defer to Tensor's reflected operators (np.float64(2) * t is a Tensor).
    __array_priority__ = 1000

    def __new__(cls, *args, **kwargs):
        return _legacy_new(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        pass

    # ---------------------------------------------------------------- metadata

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_metadata_dim(dim, self._data.ndim, 'size')]

    def dim(self):
        return self._data.ndim

    @property
    def ndim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def is_signed(self):
        return self.dtype.is_signed

    def element_size(self):
        return self.dtype.itemsize

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.dtype.itemsize * self._data.size

    @property
    def device(self):
        return device_of(self._data)

    @property
    def layout(self):
        return strided

    @property
    def is_cuda(self):
        return self.device.type == 'cuda'

    @property
    def is_cpu(self):
        return self.device.type == 'cpu'

    def get_device(self):
        d = self.device
        return -1 if d.type == 'cpu' else d.index

    # Kinds of tensor ember has no such thing as.
    is_sparse = is_quantized = is_meta = is_mkldnn = is_nested = False

    def is_conj(self):
        return False   # ember's conj is eager: no tensor carries a conjugate bit

    def is_neg(self):
        return False

    def is_shared(self):
        return False

    def is_pinned(self, device=None):
        return False

    def pin_memory(self, device=None):
        """torch.Tensor.pin_memory: a copy in page-locked memory, for an accelerator (ember has
        none)."""
        raise RuntimeError(NO_ACCELERATOR)

    @property
    def output_nr(self):
        return self._output_nr

    def is_floating_point(self):
        return self.dtype.category == _dtype.FLOAT

    def is_complex(self):
        return self.dtype.category == _dtype.COMPLEX

    @property
    def is_leaf(self):
        return not self.requires_grad or self.grad_fn is None

    @property
    def _version(self):
        if self._vc.__class__ is InferenceCounter:
            raise RuntimeError('Inference tensors do not track version counter.')
        return self._vc.value

    def is_inference(self):
        """Whether this tensor was made in inference_mode (or is a view of one)."""
        return self._vc.inference

    def type(self, dtype=None, non_blocking=False, *, memory_format=None, **kwargs):
        """torch.Tensor.type: the legacy type name ('torch.FloatTensor'), or a cast to a dtype
        or to such a name (its deprecated keyword async= too)."""
        if kwargs:
            _deprecated_async(kwargs)
        if dtype is None:
            return f'torch.{self.dtype.scalar_name}Tensor'
        if isinstance(dtype, (str, type)):
            if dtype in CUDA_LEGACY_TYPES:
                raise RuntimeError(f'Cannot initialize CUDA {ATEN_CUDA_MISSING}')
            named = LEGACY_TYPES.get(dtype)  # 'torch.FloatTensor' or torch.FloatTensor
            if named is None:
                raise ValueError(f"invalid type: '{getattr(dtype, '__name__', dtype)}'")
            dtype = named
        return self.to(dtype)

    def _c10_type(self):
        """The type name torch's C++ errors print: the legacy name where there is one
        ('torch.HalfTensor'), else the backend type ('CPUBoolType', 'CPUBFloat16Type')."""
        if self.dtype.name in ('bool', 'bfloat16') or self.dtype.category == _dtype.COMPLEX:
            return f'CPU{self.dtype.scalar_name}Type'
        return self.type()

    def is_contiguous(self, *, memory_format=None):
        if memory_format is None:
            return bool(self._data.flags.c_contiguous)
        return _is_contiguous_in(self, memory_format)

    def stride(self, dim=None):
        data = self._data
        if data.size:
            strides = tuple(s // self.dtype.itemsize for s in data.strides)
        else:  # NumPy keeps no layout for an empty array: torch's contiguous strides
            strides = _contiguous_strides(data.shape)
        return strides if dim is None else strides[_metadata_dim(dim, self._data.ndim, 'stride')]

    def storage_offset(self):
        """torch.Tensor.storage_offset: elements between the storage's start and this view's."""
        root = memory_owner(self._data)
        interface = '__array_interface__' if hasattr(root, '__array_interface__') else \
            '__cuda_array_interface__'
        start = getattr(root, interface)['data'][0]
        return (getattr(self._data, interface)['data'][0] - start) // self.dtype.itemsize

    def data_ptr(self):
        return self._data.__array_interface__['data'][0]

    # ---------------------------------------------------------------- autograd attributes

    @property
    def requires_grad(self):
        if self._base is not None:
            if self._view_fn is not None and self._creation_meta is None:
                self._refresh_view()  # (the others raise on grad_fn, not here: as torch)
            if not self._requires_grad:
                return self._base.requires_grad   # as torch's views of a base made to require grad
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag.__class__ is not bool:
            raise RuntimeError('requires_grad must be a bool')
        if flag and self.grad_fn is not None:  # (False: requires_grad_'s error)
            raise RuntimeError(_LEAF_FLAGS_ERROR)
        if flag and self.dtype.category < _dtype.FLOAT:  # torch words it apart from requires_grad_
            raise RuntimeError('only Tensors of floating point and complex dtype can require '
                               'gradients')
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if requires_grad.__class__ is not bool:
            raise wrong_type('requires_grad_', 'requires_grad', 1,
                             f'must be bool, not {type_name(requires_grad)}')
        if self._grad_fn is not None and not requires_grad:  # not re-derived, as torch's
            raise RuntimeError(_LEAF_FLAGS_ERROR + ' If you want to use a computed variable in a '
                               'subgraph that doesn\'t require differentiation use var_no_grad = '
                               'var.detach().')
        if requires_grad and self.dtype.category < _dtype.FLOAT:
            raise RuntimeError('only Tensors of floating point dtype can require gradients')
        if requires_grad and self._vc.inference:
            from .autograd.grad_mode import state
            if not state.inference:
                raise RuntimeError('Setting requires_grad=True on inference tensor outside '
                                   'InferenceMode is not allowed.')
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        if self._base is not None:
            self._refresh_view()
        return self._grad_fn

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                'The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its '
                '.grad attribute won\'t be populated during autograd.backward(). If you indeed want '
                'the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the '
                'non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access '
                'the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more '
                'information. (Triggered internally at '
                '/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)',
                UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f'assigned grad expected to be a Tensor or None but got grad of '
                                f'type {type(value).__name__}')
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{value.dtype.cpp_name}' to a "
                    f"tensor with grad_dtype '{self.dtype.scalar_name}'. The gradient must match "
                    "the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match.")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the tensor "
                    'are the same size')
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        return self._retains_grad

    def retain_grad(self):
        """torch.Tensor.retain_grad: keep .grad of this non-leaf after backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is not None and not self._retains_grad:  # a leaf as torch's is_leaf
            fn = self.grad_fn                                     # sees it: nothing to do
            self._retains_grad = True
            fn._open_registry().retained[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook):
        """torch.Tensor.register_hook: hook(grad) may return a replacement gradient."""
        # torch keeps a tensor's hooks in one dict, given to its grad_fn at the first hook and
        # dropped when the tensor gets another grad_fn: a view's hooks go to the grad_fn it had
        # while it isn't re-derived after a write to its base (those hooks then never run)
        stale = self._grad_fn  # (the grad_fn property re-derives a view's)
        registry = stale._registry if stale is not None else None
        hooks = registry.tensor.get(self._output_nr) if registry is not None else None
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if hooks is None:
            fn = self.grad_fn
            if fn is None:
                if self._hooks is None:
                    self._hooks = []
                hooks = self._hooks
            else:  # a non-leaf's hooks belong to the node that produces it (see engine)
                hooks = fn._open_registry().tensor.setdefault(self._output_nr, [])
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """torch.Tensor.register_post_accumulate_grad_hook: hook(leaf) after backward has
        accumulated into the leaf's .grad."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError('post accumulate grad hooks cannot be registered on non-leaf tensors')
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
        self._post_accumulate_hooks.append(hook)
        return RemovableHandle(self._post_accumulate_hooks, hook)

    @property
    def data(self):
        """torch.Tensor.data: the same memory out of the graph, with a version counter of its
        own (so in-place changes through it escape autograd's checks, as in torch)."""
        t = _make(self._data, self.dtype)
        t._vc = _detached_counter(self._vc)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f'Variable data has to be a tensor, but got {type(value).__name__}')
        if value.dtype.category < _dtype.FLOAT and self.requires_grad:
            raise RuntimeError('data set to a tensor that requires gradients must be floating '
                               'point or complex dtype')
        self._data = value._data
        self.dtype = value.dtype

    def detach(self):
        """torch.Tensor.detach: same data and version counter, out of the graph."""
        t = _make(self._data, self.dtype)
        t._vc = self._vc if not self._vc.inference else _detached_counter(self._vc)
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be called "
                "on these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                "function in torch/optim/optimizer.py as the solution.")
        if self._grad_fn is not None:  # nodes that saved it before now refuse it (as torch)
            from .autograd.graph import next_seq
            self._detached_seq = next_seq()
            self._output_nr = 0   # a leaf now: its gradient goes to output 0 of its accumulator
        self._grad_fn = None
        self._requires_grad = False
        return self

    # ---------------------------------------------------------------- views and versions

    def _refresh_view(self):
        """Re-derive a view's grad_fn from its base after an in-place change to either;
        torch's error for a view it can't re-derive (see view_written_error) where its base
        requires grad."""
        if self._view_version == self._vc.value:
            return
        base = self._base
        if self._grad_fn is None and not base._requires_grad:
            return  # no history to re-derive: the version is not taken (as torch)
        if self._view_fn is None or self._creation_meta is not None:
            from ._ops.primitive import view_written_error
            raise view_written_error(self, 'its base or another view of its base has been')
        self._view_version = self._vc.value
        from ._ops.primitive import move_retained, regenerated_view_node
        old_fn = self._grad_fn
        self._grad_fn = regenerated_view_node(self._view_fn, base)
        self._requires_grad = True
        if self._retains_grad:  # retain_grad follows it to its new grad_fn, as in torch
            move_retained(self, old_fn, self._output_nr)

    # ---------------------------------------------------------------- conversion

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f'a Tensor with {self._data.size} elements cannot be converted to Scalar')
        return to_host(self._data).item()

    def tolist(self):
        return to_host(self._data).tolist()

    def numpy(self, *, force=False):
        """torch.Tensor.numpy: the same memory as a NumPy array (CPU tensors only)."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if self._data.__class__.__module__ != 'numpy' and not force:
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                            "to copy the tensor to host memory first.")
        array = to_host(self._data)
        if not array.flags.writeable:   # an expanded tensor's (ember's own guard): torch's is not
            alias = writable_alias(array)
            return array if alias is None else alias
        return array

    # torch's __array__ and __array_wrap__ take none of NumPy 2's newer arguments (copy=,
    # context, return_scalar): NumPy warns its DeprecationWarnings and refuses copy=False.
    def __array__(self, dtype=None):
        array = self.numpy()  # with its errors, as torch's __array__
        return array if dtype is None else array.astype(dtype, copy=False)

    def __array_wrap__(self, array):
        """NumPy ufuncs on tensors (np.exp(t), ndarray + t) give tensors, as in torch (which
        makes bool results uint8)."""
        if array.dtype == numpy.bool_:
            array = array.astype(numpy.uint8)
        return wrap(array)

    def __reversed__(self):
        """reversed(t): t flipped along dim 0 (a 0-d tensor is itself), as torch's."""
        if not self._data.ndim:
            return self
        from ._ops.shape import FlipBackward0
        return FlipBackward0.apply(self, dims=(0,))

    def __contains__(self, element):
        if isinstance(element, (Tensor, numbers.Number)):
            return bool((element == self)._data.any())
        raise RuntimeError('Tensor.__contains__ only supports Tensor or scalar, but you passed '
                           f'in a {type(element)}.')

    def __delitem__(self, item):
        raise TypeError('Tensor does not support deleting items')

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError('len() of a 0-d tensor')
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError('iteration over a 0-d tensor')
        return iter(self.unbind(0))

    def _scalar(self, kind):
        if self._data.size != 1:
            raise ValueError('only one element tensors can be converted to Python scalars')
        value = to_host(self._data).reshape(()).item()
        if value.__class__ is complex and kind in (int, float):
            return _real_part(value, kind)
        return kind(value)

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError('Boolean value of Tensor with no values is ambiguous'
                               if self._data.size == 0 else
                               'Boolean value of Tensor with more than one value is ambiguous')
        return self._scalar(bool)

    __nonzero__ = __bool__   # (Python 2's names, which torch's Tensor keeps)

    def __float__(self):
        if self._requires_grad:
            warn_once(SCALAR_OF_GRAPH)
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    __long__ = __int__

    def __complex__(self):
        if self._requires_grad:
            warn_once(SCALAR_OF_GRAPH)
        return self._scalar(complex)

    def __index__(self):
        if self.dtype.category > _dtype.INT or self._data.size != 1:
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return self._scalar(int)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr
        return tensor_repr(self, contents=tensor_contents)

    def __format__(self, spec):
        if self._data.ndim == 0 and type(self) is Tensor:  # a subclass formats as an object
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, protocol):
        from ._creation import _rebuild_tensor
        for hook in self._hooks or ():   # (pickle and copy.copy keep no hooks)
            if not hasattr(hook, '__torch_unserializable__'):
                warnings.warn(f'backward hook {hook!r} on tensor will not be serialized.  If this '
                              'is expected, you can decorate the function with '
                              '@torch.utils.hooks.unserializable_hook to suppress this warning')
        memory, offset, strides = storage_parts(self._data)
        args = (memory, self.dtype.name, self.requires_grad, offset, self._data.shape, strides,
                bool(self._data.flags.writeable), type(self))
        state = _user_state(self)   # set on the new tensor by pickle, as torch's keeps it
        return (_rebuild_tensor, args, state) if state else (_rebuild_tensor, args)

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError('Only Tensors created explicitly by the user (graph leaves) support '
                               'the deepcopy protocol at the moment.  If you were attempting to '
                               'deepcopy a module, this may be because of a torch.nn.utils.weight_norm '
                               'usage, see https://github.com/pytorch/pytorch/pull/103001')
        if id(self) in memo:
            return memo[id(self)]
        new = _make(deep_copied(self._data, memo), self.dtype)
        new._vc.value += 1   # (torch's set_ to the copied storage)
        new.__class__ = type(self)
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        for name, value in _user_state(self).items():
            setattr(new, name, copy.deepcopy(value, memo))
        memo[id(self)] = new
        return new


_LEAF_FLAGS_ERROR = 'you can only change requires_grad flags of leaf variables.'


def _user_state(tensor):
    """The attributes a program set on a tensor: its __dict__ less ember's own (graph links,
    hooks, .grad...), which all have class defaults on Tensor (torch keeps them in C++)."""
    return {name: value for name, value in tensor.__dict__.items() if not hasattr(Tensor, name)}


def _make(data, dtype):
    """A new leaf tensor around backend array ``data`` (the fast internal constructor)."""
    t = _new(Tensor)
    t._data = data
    t.dtype = dtype
    t._requires_grad = False
    t._grad_fn = None
    t._vc = _new_counter()
    t._base = None
    return t


ARRAY_TYPES = {numpy.ndarray}  # cupy.ndarray joins when the CUDA backend loads


def wrap(data):
    """A tensor around backend array ``data``, its dtype read from the array.

    NumPy returns scalars, not 0-d arrays, from ops on 0-d arrays: those are made arrays.
    """
    if data.__class__ not in ARRAY_TYPES:
        data = array_module(data).asarray(data)
    return _make(data, _BY_NUMPY[data.dtype])


def _real_part(value, kind):
    """int() or float() of a complex tensor's value: its real part, converted as c10's checked
    conversion does (a nonzero imaginary part, or a real part out of int64's range, overflow)."""
    real = value.real
    if kind is int:
        if value.imag or not -2.0 ** 63 <= real <= 2.0 ** 63:   # NaN fails too
            raise RuntimeError('value cannot be converted to type int64_t without overflow')
        return int(real) if real < 2.0 ** 63 else -2 ** 63   # x86's cast of 2**63 wraps
    if value.imag:
        raise RuntimeError('value cannot be converted to type double without overflow')
    return real


def _contiguous_strides(shape):
    """The strides torch gives a contiguous tensor of ``shape`` (a size 0 counts as 1)."""
    strides = []
    step = 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


_CHANNELS_LAST_ORDERS = {'channels_last': (1, 3, 2, 0), 'channels_last_3d': (1, 4, 3, 2, 0)}


def _is_contiguous_in(t, fmt):
    """torch's is_contiguous(memory_format): a channels-last format's dims, innermost first,
    dense in its order (size-1 dims aside; other ranks never are); the others as contiguous."""
    if not isinstance(fmt, memory_format):
        raise TypeError(f"is_contiguous(): argument 'memory_format' must be torch.memory_format, "
                        f'not {type_name(fmt)}')
    order = _CHANNELS_LAST_ORDERS.get(fmt.name)
    if order is None:
        return bool(t._data.flags.c_contiguous)
    if t._data.ndim != len(order):
        return False
    shape, strides, expected = t._data.shape, t.stride(), 1
    for dim in order:
        if shape[dim] != 1:
            if strides[dim] != expected:
                return False
            expected *= shape[dim]
    return True


def _metadata_dim(dim, ndim, method):
    """The dim of size(dim)/stride(dim), with torch's errors (a 0-d tensor has none)."""
    if dim.__class__ is not int:
        if not hasattr(dim, '__index__') or isinstance(dim, bool):
            raise TypeError(f"{method}(): argument 'dim' (position 1) must be int, not "
                            f"{type(dim).__name__}")
        dim = operator.index(dim)
    if not ndim:
        raise IndexError(f'Dimension specified as {dim} but tensor has no dimensions')
    return _wrap_dim(dim, ndim)


def _wrap_dim(dim, ndim):
    """Normalise a possibly negative dim; IndexError like torch when out of range."""
    if 0 <= dim < ndim:
        return dim
    n = ndim or 1
    if not -n <= dim < n:
        if not -2 ** 63 <= dim < 2 ** 63:   # torch's parser reads a dim as a C long long
            raise ValueError('Overflow when unpacking long long')
        raise IndexError(f'Dimension out of range (expected to be in range of [{-n}, {n - 1}], '
                         f'but got {dim})')
    return dim + n if dim < 0 else dim


def _legacy_new(cls, *args, **kwargs):
    """torch.Tensor(...) legacy constructor: sizes give an uninitialised float tensor, data a
    default-float copy, a tensor a view of it (its alias)."""
    t = typed_new(None, args, kwargs)
    if cls is not Tensor:
        t.__class__ = cls
    return t


def typed_new(dtype, args, kwargs):
    """The legacy constructors' tensor: torch.Tensor(...) for ``dtype`` None (the default dtype;
    any tensor is aliased), else torch.FloatTensor(...) and the like (a tensor must have it)."""
    from ._creation import _is_sequence, _size_arg, empty, tensor
    from ._ops.shape import AliasBackward0
    size = kwargs.get('size')
    if set(kwargs) - {'device', 'size'} or 'size' in kwargs and (
            args or not isinstance(size, (tuple, list))):
        raise invalid_combination('new', args, kwargs, _LEGACY_SIGNATURES)
    if 'size' in kwargs:
        return empty(_size_arg((), 'new', kwargs.pop('size')), dtype=dtype, **kwargs)
    data = args[0] if len(args) == 1 else 0
    if not args:
        return empty(0, dtype=dtype, **kwargs)
    if isinstance(data, Tensor):
        if dtype is not None and data.dtype is not dtype:
            raise TypeError(f'expected {_tensor_options(dtype)} (got {_tensor_options(data.dtype)})')
        return AliasBackward0.apply(data)   # a view, in the graph (torch's alias())
    if isinstance(data, Size) or _is_size_number(data):
        return empty(_size_arg(args, 'new'), dtype=dtype, **kwargs)
    if isinstance(data, (str, bytes, numpy.ndarray)) or _is_sequence(type(data)):
        return tensor(data, dtype=dtype or _dtype.get_default_dtype(), **kwargs)
    raise TypeError(f'new(): data must be a sequence (got {type_name(data)})')


_LEGACY_SIGNATURES = ('(*, torch.device device = None)', '(torch.Storage storage)',
                      '(Tensor other)', '(tuple of ints size, *, torch.device device = None)',
                      '(object data, *, torch.device device = None)')


def _tensor_options(dtype):
    """c10's printout of a CPU tensor's options, as in the legacy constructors' dtype error."""
    return (f'TensorOptions(dtype={dtype.cpp_name}, device=cpu, layout=Strided, '
            'requires_grad=false (default), pinned_memory=false (default), '
            'memory_format=(nullopt))')


def _is_size_number(value):
    return isinstance(value, (int, numpy.integer)) and not isinstance(value, bool)


SCALAR_OF_GRAPH = (   # float() and complex() of a tensor that requires grad warn (once)
    'Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n'
    'Consider using tensor.detach() first. (Triggered internally at '
    '/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)')

# torch.Tensor.type's names of the dtypes; ember._tensor_types adds the classes they name.
LEGACY_TYPES = {f'torch.{d.scalar_name}Tensor': d for d in _dtype.ALL_DTYPES}
CUDA_LEGACY_TYPES = set()  # torch.cuda's legacy types and their names ('torch.cuda.FloatTensor')
