"""Graph nodes: torch's ``grad_fn`` objects.

A Node is created when an op runs with grad mode on and some input requires grad.
It knows where gradients go next (``next_functions``: one ``(node, output_nr)`` edge
per tensor input, ``(None, 0)`` where no gradient flows), the shape and dtype each of
those inputs had (the engine sums broadcast gradients back and casts them once, so no
backward formula has to), and what it saved for backward.

Saved inputs are kept with the version they had, so using them after an in-place
change raises torch's error; saved outputs are kept as bare arrays and re-wrapped
with this node as their grad_fn on unpacking, so a node never refers to its own
output tensor (no reference cycle) and double backward still sees the graph.
Inside ``saved_tensors_hooks``, what is saved goes through its pack hook instead
(a ``SavedTensor``) and comes back through its unpack hook.

Also here: the rest of torch.autograd.graph (``GradientEdge``, ``increment_version``,
``register_multi_grad_hook``, ``save_on_cpu``, ``disable_saved_tensors_hooks``).
"""
import contextlib
import functools
import itertools
import re
import threading
import weakref
from typing import NamedTuple

from . import anomaly_mode, grad_mode
from .._tensor import Tensor, _make
from ..utils.hooks import RemovableHandle

FREED_MESSAGE = ('Trying to backward through the graph a second time (or directly access saved '
          'tensors after they have already been freed). Saved intermediate values of the '
          'graph are freed when you call .backward() or autograd.grad(). Specify '
          'retain_graph=True if you need to backward through the graph a second time or '
          'if you need to access saved tensors after calling backward.')


class Node:
    """Base of every grad_fn: edges to the next nodes plus what backward needs."""

    # Defaults read from the class until a node sets its own: creating a node sets nothing.
    next_functions = ()
    _input_meta = ()
    _saved = None           # the values saved for backward, a tuple (None once freed)
    _versions = ()          # the version each saved value had (None: not checked)
    _freed = False
    _packed = False         # what was saved went through saved_tensors_hooks (SavedTensors)
    _registry = None        # a Registry once a hook or retain_grad names this node
    _unpack_order = None    # the saved values' indices in the order torch checks, packs and
                            # unpacks them (its generated code has them by argument name:
                            # other, exponent, mat2 before self); None: as saved
    _num_outputs = 1
    _seq = -1               # when it was linked into the graph (see link)
    _keeps_unneeded_grads = False  # in a pass that needs only some of its input gradients,
                                   # the others are passed on as computed (else None)
    _runs_undefined = False  # backward runs where all its output gradients are undefined
                             # (built-in nodes then have none to pass on: not run)

    def name(self):
        return type(self).__name__

    def __repr__(self):  # the class name even where name() is qualified (AccumulateGrad)
        return f'<{type(self).__name__} object at {hex(id(self))}>'

    @property
    def requires_grad(self):  # (a node exists only where gradients flow: torch's is True)
        return True

    def __call__(self, *grads):
        """Run this node's backward on one gradient per output (torch's Node.__call__):
        the gradient of each input, alone when there is one."""
        if len(grads) != self._num_outputs:
            raise TypeError(f'expected {self._num_outputs} arguments, got {len(grads)} instead')
        if all(g is None for g in grads):  # nothing to run backward on: no gradients, as torch
            return (None,) * len(self.next_functions) if len(self.next_functions) != 1 else None
        return self._call(*grads)

    def _call(self, *grads):
        """__call__ for ember's own use (CopySlices calls the in-place op's node, a custom
        Function's too, whose node users can't call)."""
        from .engine import _fit
        result = self._run_backward(list(grads))
        if result.__class__ is not tuple:
            result = (result,)
        result = tuple(None if g is None or meta is None else _fit(g, *meta)
                       for g, meta in zip(result, self._input_meta))
        return result[0] if len(result) == 1 else result

    # -------------------------------------------------------------- saving

    def _save(self, values):
        """Keep ``values`` (tensors, None or plain Python values) for backward."""
        self._saved = tuple(values)
        self._versions = tuple([None if getattr(v, '_vc', None) is None else saved_version(v)
                                for v in values])
        if saved_hooks.stack:
            self._pack()

    def _pack(self):
        """Inside saved_tensors_hooks: each tensor just saved (those with a version) goes
        through the pack hook."""
        saved = list(self._saved)
        for i in self._unpack_order or range(len(saved)):
            if self._versions[i] is not None:
                saved[i] = SavedTensor(saved[i], self)
        self._saved = tuple(saved)
        self._packed = True

    def _unpack_saved(self):
        """The saved values, after checking that no tensor among them was modified in place
        since (a version of None is not checked; packed tensors are not checked, as torch)."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        order = self._unpack_order or range(len(saved))
        if self._packed:
            unpacked = list(saved)
            for i in order:
                if saved[i].__class__ is SavedTensor:
                    unpacked[i] = saved[i].unpack(self)
            return tuple(unpacked)
        versions = self._versions
        for i in order:
            version = versions[i]
            if version is not None:
                value = saved[i]
                if value._vc.value != version or value._detached_seq > self._seq:
                    self._check_saved(i, value, version)
        return saved

    def _check_saved(self, i, tensor, version):
        """torch's error for saved value i, modified in place since saved at ``version``, or
        detached in place since (torch checks that first)."""
        if tensor._detached_seq > self._seq:
            raise RuntimeError('Trying to use a saved tensor that has been detached in-place, i.e. '
                               'with .detach_().This is not supported, please use out-of-place '
                               '`.detach()` instead')
        # a view's grad_fn is regenerated first (AsStrided), as torch names it; torch says
        # 'output 0' of any tensor it keeps as is (it notes output numbers of others only)
        raise version_error(tensor, version, tensor.grad_fn if tensor.requires_grad else None, 0)

    def _release(self):
        """Drop what was saved for backward (after a backward without retain_graph)."""
        if self._saved is not None:
            self._saved = None
            self._freed = True

    # -------------------------------------------------------------- hooks

    def register_hook(self, fn):
        """Node.register_hook: fn(grad_inputs, grad_outputs) after this node ran."""
        return _append_hook(self._open_registry().post, fn)

    def register_prehook(self, fn):
        """Node.register_prehook: fn(grad_outputs) before this node runs."""
        return _append_hook(self._open_registry().pre, fn)

    def _open_registry(self):
        """The hooks and retained outputs of this node (made on first use)."""
        if self._registry is None:
            self._registry = Registry()
        return self._registry

    @property
    def metadata(self):
        return self.__dict__.setdefault('_metadata', {})


class Registry:
    """What runs around a node's backward; the engine looks only at nodes that have one."""
    __slots__ = ('pre', 'post', 'tensor', 'retained')

    def __init__(self):
        self.pre = []           # Node.register_prehook: fn(grad_outputs)
        self.post = []          # Node.register_hook: fn(grad_inputs, grad_outputs)
        self.tensor = {}        # output_nr -> [hook]: Tensor.register_hook on an output
        self.retained = {}      # output_nr -> weakref of an output that called retain_grad


def saved_version(tensor):
    """The version a tensor is saved for backward with; inference tensors can't be saved."""
    counter = tensor._vc
    if counter.inference:
        raise RuntimeError(
            'Inference tensors cannot be saved for backward. Please do not use Tensors created '
            'in inference mode in computation tracked by autograd. To work around this, you can '
            'make a clone to get a normal tensor and use it in autograd, or use '
            '`torch.no_grad()` instead of `torch.inference_mode()`.')
    return counter.value


def output_of(node, output_nr, data, dtype, counter):
    """A new tensor of ``data`` with version ``counter``, output ``output_nr`` of ``node``
    (a saved output as torch unpacks it)."""
    tensor = _make(data, dtype)
    tensor._vc = counter
    tensor._grad_fn, tensor._output_nr, tensor._requires_grad = node, output_nr, True
    return tensor


def version_error(tensor, version, producer, output_nr=None):
    """torch's error for a saved tensor modified in place; ``producer`` is the grad_fn the
    tensor has now (None for leaves), named as torch names the op ('Exp', 'Add')."""
    where = ''
    if producer is not None:
        op = re.sub(r'Backward(0?$|(?=\d+$))', '', producer.name())  # PowBackward1: Pow1
        nr = tensor._output_nr if output_nr is None else output_nr
        where = f', which is output {nr} of {op},'
    return RuntimeError(
        'one of the variables needed for gradient computation has been modified by an inplace '
        f'operation: [{tensor._c10_type()} {list(tensor.shape)}]{where} is at version '
        f'{tensor._vc.value}; expected version {version} instead. Hint: ' + (
            'the backtrace further above shows the operation that failed to compute its '
            'gradient. The variable in question was changed in there or anywhere later. Good '
            'luck!' if anomaly_mode.mode.enabled else
            'enable anomaly detection to find the operation that failed to compute its '
            'gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).'))


def _append_hook(hooks, fn):
    hooks.append(fn)
    return RemovableHandle(hooks, fn)


new_node = object.__new__  # new_node(cls): an empty node (no edges, nothing saved)

_link_count = itertools.count()


def next_seq():
    """A number after those of all nodes linked so far (see link)."""
    return next(_link_count)


def link(node, edges, metas):
    """Give ``node`` its edges and the shape and dtype of each edge's input. Nodes are
    numbered as they are linked: every edge leads to a node linked before (or to a leaf's
    AccumulateGrad, numbered -1), so decreasing numbers are an order to run backward in."""
    node.next_functions = edges
    node._input_meta = metas
    node._seq = next(_link_count)
    if anomaly_mode.mode.enabled:
        anomaly_mode.record_forward(node)


class AccumulateGrad(Node):
    """The node at a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    def __init__(self, variable):
        raise TypeError('AccumulateGrad is created by the engine')

    def name(self):
        return 'torch::autograd::AccumulateGrad'

    def __call__(self, *grads):
        """Accumulate the gradient into the leaf's .grad (a graph of it in grad mode), then
        run its post-accumulate hooks; returns no gradients, as torch's."""
        if len(grads) != 1:
            raise TypeError(f'expected 1 arguments, got {len(grads)} instead')
        from .engine import _run_post_accumulate_hooks, accumulate_grad
        variable = self._variable
        if grads[0] is not None and variable._requires_grad:
            accumulate_grad(variable, grads[0], grad_mode.state.enabled)
            if variable._post_accumulate_hooks:
                _run_post_accumulate_hooks(variable)
        return ()

    @property
    def variable(self):
        return self._variable


def accumulator_of(leaf):
    """The leaf's AccumulateGrad node; one per leaf while any graph refers to it."""
    ref = leaf._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = new_node(AccumulateGrad)
        node._variable = leaf
        leaf._accumulator = weakref.ref(node)
    return node


# -------------------------------------------------------------------- saved tensors hooks

class _SavedTensorsHooks(threading.local):
    """The (pack_hook, unpack_hook) pairs of the saved_tensors_hooks open in this thread,
    innermost last, and disable_saved_tensors_hooks' message (None: not disabled); per
    thread, as in torch."""

    def __init__(self):
        self.stack = []
        self.disabled = None


saved_hooks = _SavedTensorsHooks()


class SavedTensor:
    """A tensor saved for backward inside saved_tensors_hooks (torch's SavedVariable with
    hooks): what the pack hook returned, the unpack hook, and the graph position the tensor
    the unpack hook returns is given. Its version is not checked (the hooks may keep a
    copy), as in torch."""
    __slots__ = ('packed', 'unpack_hook', 'grad_fn', 'output_nr', 'requires_grad',
                 'accumulator')

    def __init__(self, tensor, node):
        pack_hook, self.unpack_hook = saved_hooks.stack[-1]
        counter = tensor._vc
        version = counter.value
        with grad_mode.no_grad():
            self.packed = pack_hook(tensor)
        if counter.value != version:
            raise RuntimeError(
                'A saved tensor pack hook is modifying its input in place. Tensors provided as '
                'input to pack hook cannot be modified by in-place operations as this can lead '
                'to unexpected side-effects. Please open an issue if you need to perform '
                'in-place operations on the input to a pack hook.')
        fn = tensor.grad_fn
        self.grad_fn = None if fn is node else fn  # node's own output: no reference cycle
        self.output_nr = tensor._output_nr
        self.requires_grad = tensor.requires_grad
        self.accumulator = accumulator_of(tensor) if self.requires_grad and fn is None else None

    def unpack(self, node):
        """The unpack hook's tensor, in the saved tensor's place in the graph."""
        value = self.unpack_hook(self.packed)
        if not isinstance(value, Tensor):
            raise TypeError('Output of saved tensor unpack_hook expected to be a Tensor but got '
                            f'result of type {type(value).__name__}')
        tensor = _make(value._data, value.dtype)
        tensor._vc = value._vc
        if self.requires_grad:
            tensor._requires_grad = True
            if self.accumulator is not None:
                tensor._accumulator = weakref.ref(self.accumulator)
            else:
                tensor._grad_fn = self.grad_fn or node
                tensor._output_nr = self.output_nr
        return tensor


class saved_tensors_hooks:
    """torch.autograd.graph.saved_tensors_hooks: inside, every tensor an op or a custom
    Function saves for backward is stored as ``pack_hook(tensor)`` and read back as
    ``unpack_hook(packed)``; the innermost pair applies."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if saved_hooks.disabled is not None:
            raise RuntimeError(saved_hooks.disabled)
        saved_hooks.stack.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *args):
        saved_hooks.stack.pop()


class save_on_cpu(saved_tensors_hooks):
    """torch.autograd.graph.save_on_cpu: saved tensors are kept on the CPU and moved back to
    their device for backward. On the CPU, as torch without a GPU, a tensor is kept as it is,
    and copied with ``pin_memory=True`` (no memory is pinnable: ``device_type`` changes
    nothing)."""

    def __init__(self, pin_memory=False, device_type='cuda'):
        def pack_to_cpu(tensor):
            if not pin_memory:
                return tensor.device, tensor.cpu()
            from .._creation import empty
            packed = empty(tensor.size(), dtype=tensor.dtype, layout=tensor.layout)
            packed.copy_(tensor)
            return tensor.device, packed

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message):
    """torch.autograd.graph.disable_saved_tensors_hooks: inside, entering saved_tensors_hooks
    raises RuntimeError(error_message); so does entering this inside saved_tensors_hooks."""
    previous = saved_hooks.disabled
    try:
        saved_hooks.disabled = error_message
        if saved_hooks.stack:
            raise RuntimeError(error_message)
        yield
    finally:
        saved_hooks.disabled = previous


# -------------------------------------------------------------------- edges, versions, hooks

class GradientEdge(NamedTuple):
    """torch.autograd.graph.GradientEdge: where a tensor's gradient enters the graph (its
    grad_fn, or a leaf's AccumulateGrad, and which output of it the tensor is)."""
    node: Node
    output_nr: int
    ownership_token: Node | None = None


def get_gradient_edge(tensor):
    """torch.autograd.graph.get_gradient_edge: the GradientEdge of ``tensor``'s gradient. The
    tensor's shape and dtype are noted on the node (torch's node._input_metadata), for an
    edge given as an output to backward() or autograd.grad()."""
    if not tensor.requires_grad:
        raise RuntimeError('It is not possible to get the gradient edge for a Tensor that does '
                           'not require gradients')
    node = _node_of(tensor)
    token = None
    if node.__class__ is not AccumulateGrad:
        node.__dict__.setdefault('_output_meta', {})[tensor._output_nr] = (tensor._data.shape,
                                                                           tensor.dtype)
        from .function import FunctionCtx
        if isinstance(node, FunctionCtx):  # torch's token for a Python node: a view's node
            with grad_mode.enable_grad():
                token = tensor.view_as(tensor).grad_fn
    return GradientEdge(node, tensor._output_nr, token)


def _node_of(tensor):
    """The node ``tensor``'s gradient flows into (torch's _get_grad_fn_or_grad_acc)."""
    node = tensor.grad_fn
    if node is not None:
        return node
    if tensor.requires_grad:
        return accumulator_of(tensor)
    raise AssertionError('Expected gradient function to be set')


def increment_version(tensor):
    """torch.autograd.graph.increment_version: count an in-place change autograd did not see
    (of a tensor, or of each tensor of an iterable; inference tensors have no version)."""
    tensors = (tensor,) if isinstance(tensor, Tensor) else tensor
    try:
        tensors = iter(tensors)
    except TypeError:
        raise RuntimeError('increment_version expect a Iterable[Tensor] as input') from None
    for t in tensors:
        if not isinstance(t, Tensor):
            raise RuntimeError('increment_version expects each element of the iterable to be a '
                               'tensor')
        if not t._vc.inference:
            t._vc.value += 1


class _MultiHandle(RemovableHandle):
    """The handle of register_multi_grad_hook: removes the hook from every tensor."""
    __slots__ = ('handles',)

    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for handle in self.handles:
            handle.remove()


def register_multi_grad_hook(tensors, fn, *, mode='all'):
    """torch.autograd.graph.register_multi_grad_hook. Mode 'all': once per backward pass, after
    the gradients of all ``tensors`` that pass computes, ``fn(grads)`` (None for the others);
    mode 'any': ``fn(grad)`` with the first gradient of one of them a pass computes."""
    if mode not in ('all', 'any'):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    from . import engine
    engine.track_passes = True
    key = object()  # this registration's entry in the hook_state of each backward pass
    if mode == 'all':
        nodes = [_node_of(t) for t in tensors]

        def hook_for(index):
            def inner_hook(grad):
                backward_pass = _running_pass()
                state = backward_pass.hook_state.get(key)
                if state is None:  # the pass's first: wait for the tensors whose node it runs
                    state = backward_pass.hook_state[key] = [
                        sum(map(backward_pass.will_execute, nodes)), [None] * len(nodes)]
                state[0] -= 1
                state[1][index] = grad
                if state[0] == 0:
                    del backward_pass.hook_state[key]
                    fn(state[1])
            return inner_hook

        handles = tuple(t.register_hook(hook_for(i)) for i, t in enumerate(tensors))
    else:
        @functools.wraps(fn)
        def wrapped_fn(grad):
            state = _running_pass().hook_state
            if key not in state:
                state[key] = True
                fn(grad)

        handles = tuple(t.register_hook(wrapped_fn) for t in tensors if t.requires_grad)
    return _MultiHandle(handles)


def _running_pass():
    """The innermost backward pass running in this thread (torch's current graph task)."""
    from .engine import running
    if not running.passes:
        raise AssertionError('expected this hook to be called inside a backward call')
    return running.passes[-1]
