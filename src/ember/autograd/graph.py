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
"""
import itertools
import re
import weakref

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
    _registry = None        # a Registry once a hook or retain_grad names this node
    _num_outputs = 1
    _seq = -1               # when it was linked into the graph (see link)

    def name(self):
        return type(self).__name__

    def __repr__(self):  # the class name even where name() is qualified (AccumulateGrad)
        return f'<{type(self).__name__} object at {hex(id(self))}>'

    def __call__(self, *grads):
        """Run this node's backward on one gradient per output (torch's Node.__call__):
        the gradient of each input, alone when there is one."""
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

    def _unpack_saved(self):
        """The saved values, after checking that no tensor among them was modified in place
        since (a version of None is not checked)."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        for value, version in zip(saved, self._versions):
            if version is not None and (value._vc.value != version or
                                        value._detached_seq > self._seq):
                _raise_saved_error(value, version, self._seq)
        return saved

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


def _raise_saved_error(tensor, version, seq):
    if tensor._detached_seq > seq:  # torch checks this first
        raise RuntimeError('Trying to use a saved tensor that has been detached in-place, i.e. '
                           'with .detach_().This is not supported, please use out-of-place '
                           '`.detach()` instead')
    # a view's grad_fn is regenerated first (AsStrided), as torch names it
    raise version_error(tensor, version, tensor.grad_fn if tensor.requires_grad else None)


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
        f'{tensor._vc.value}; expected version {version} instead. Hint: enable anomaly '
        'detection to find the operation that failed to compute its gradient, with '
        'torch.autograd.set_detect_anomaly(True, check_nan=False).')


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


class AccumulateGrad(Node):
    """The node at a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    def __init__(self, variable):
        raise TypeError('AccumulateGrad is created by the engine')

    def name(self):
        return 'torch::autograd::AccumulateGrad'

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
