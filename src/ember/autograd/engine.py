"""The backward engine: walks the graph from the outputs to the leaves, as torch's does.

1. Count, for every node reachable from the roots, the edges into it (its dependencies).
2. Run the nodes from a ready queue, a node becoming ready once every edge into it was
   walked: the one of highest priority first, which is the latest linked (see graph.link),
   except that a leaf's AccumulateGrad runs as soon as it is ready. The queue is a binary
   heap as libstdc++'s std::priority_queue, so that leaves ready at once run in torch's
   order (its hooks see the same order).
3. Fit each gradient a node returns to the shape and dtype its input had (sum over
   broadcast dims, cast) and add it to the buffer of the next node.
4. Leaves' AccumulateGrad nodes add into ``.grad``; ``autograd.grad`` instead captures the
   gradients of the requested inputs, and runs only the nodes through which they are
   reached (a requested node itself only has its tensor hooks run).
"""
import operator
import threading

from . import anomaly_mode, grad_mode
from .function import _reducible
from .graph import AccumulateGrad
from .._device import array_module, empty_strided, is_dense
from .._tensor import Tensor, _make, contiguous_format


def run_backward(roots, root_grads, retain_graph, create_graph, targets=None,
                 accumulate=True):
    """Backpropagate ``root_grads`` from ``roots`` (a list of (node, output_nr)).

    ``targets`` maps (node, output_nr) edges to result slots: their summed gradients are
    returned in that order. With ``accumulate`` leaves' .grad are updated (only those in
    ``targets`` when targets are given).
    """
    dependencies = _dependencies(roots)
    needed = reached = None
    if targets is not None:
        targets = _Targets(targets)
        needed = _needed_nodes(dependencies, targets, accumulate)
        reached = needed | targets.nodes  # the nodes the pass runs or captures at
    buffers = {}
    for edge, grad in zip(roots, root_grads):
        _add_to_buffer(buffers, edge, grad)
    captured = [None] * (len(targets) if targets else 0)
    previous = grad_mode.state.grad_mode
    grad_mode.set_grad_mode(bool(create_graph))
    tracked = track_passes
    if tracked:
        running.passes.append(BackwardPass(dependencies, reached, targets, accumulate))
    try:
        ready = []
        for node, _ in roots:  # the edges of torch's graph root, in order
            dependencies[node] -= 1
            if not dependencies[node]:
                _push(ready, node)
        while ready:
            node = ready.pop()[1] if len(ready) == 1 else _pop(ready)
            grads = buffers.pop(node, None)
            if needed is not None and node not in needed:
                if grads is not None:
                    if node in targets.nodes:  # captured, not run
                        _capture(node, _tensor_hooked(node, grads), captured, targets)
                    elif len(roots) == 1 and node is roots[0][0]:  # torch's graph root is a
                        _tensor_hooked(node, grads)  # single root's node: its tensor hooks
                                                     # run (and retain_grad), though it doesn't
                continue
            if grads is not None:
                if node.__class__ is AccumulateGrad:  # (run only by backward())
                    _run_leaf(node, grads, create_graph)
                else:
                    _run_node(node, grads, buffers, captured, targets, reached)
            elif node._runs_undefined:  # all its gradients undefined: torch still calls it
                _run_node(node, [None] * node._num_outputs, buffers, captured, targets, reached)
            for next_node, _ in node.next_functions:  # an edge walked: ready once all were
                if next_node is not None:
                    count = dependencies[next_node] - 1
                    dependencies[next_node] = count
                    if not count:
                        _push(ready, next_node)
            if not retain_graph:
                node._release()
    finally:
        grad_mode.set_grad_mode(previous)
        if tracked:
            running.passes.pop()
    return captured


def _dependencies(roots):
    """{node: the number of edges into it} for every node the roots reach, the roots
    counting an edge from torch's graph root each (torch's compute_dependencies)."""
    dependencies = {}
    stack = []
    for node, _ in roots:
        if node not in dependencies:
            dependencies[node] = 0
            stack.append(node)
        dependencies[node] += 1
    while stack:
        for next_node, _ in stack.pop().next_functions:
            if next_node is not None:
                count = dependencies.get(next_node, 0)
                if not count:
                    stack.append(next_node)
                dependencies[next_node] = count + 1
    return dependencies


def _push(heap, node):
    """std::priority_queue::push on a list, as libstdc++'s push_heap does it."""
    item = (_LEAF_PRIORITY if node.__class__ is AccumulateGrad else node._seq, node)
    heap.append(item)
    if len(heap) > 1:
        _sift_up(heap, len(heap) - 1, item)


_LEAF_PRIORITY = float('inf')  # a leaf's AccumulateGrad comes first in torch's ready queue;
                               # other nodes by link number (see graph.link), latest first


def _pop(heap):
    """std::priority_queue::pop as libstdc++'s pop_heap does it: the node first in line."""
    top = heap[0]
    last = heap.pop()
    size = len(heap)
    if size:
        hole = child = 0   # the hole left at the top moves down, always to the larger child
        while child < (size - 1) // 2:
            child = 2 * (child + 1)
            if heap[child][0] < heap[child - 1][0]:
                child -= 1
            heap[hole] = heap[child]
            hole = child
        if not size % 2 and child == (size - 2) // 2:
            child = 2 * (child + 1)
            heap[hole] = heap[child - 1]
            hole = child - 1
        _sift_up(heap, hole, last)
    return top[1]


def _sift_up(heap, hole, item):
    """libstdc++'s __push_heap: ``item`` goes into ``hole``, moved up past lower priorities."""
    priority = item[0]
    while hole:
        parent = (hole - 1) // 2
        if not heap[parent][0] < priority:
            break
        heap[hole] = heap[parent]
        hole = parent
    heap[hole] = item


track_passes = False  # set by graph.register_multi_grad_hook: its hooks need the running pass


class _Running(threading.local):
    """The backward passes running in this thread, innermost last (while track_passes)."""

    def __init__(self):
        self.passes = []


running = _Running()


class BackwardPass:
    """A backward pass as hooks see it (torch's graph task): which nodes it runs, and what
    hooks keep for the duration of the pass (``hook_state``)."""

    def __init__(self, nodes, reached, targets, accumulate):
        self.nodes = set(nodes) if reached is None else reached.intersection(nodes)
        self.targets = targets
        self.accumulate = accumulate
        self.hook_state = {}

    def will_execute(self, node):
        """torch._C._will_engine_execute_node: whether this pass runs (or captures at)
        ``node``."""
        if node not in self.nodes:
            return False
        if not self.accumulate and node.__class__ is AccumulateGrad and (node, 0) in self.targets:
            raise RuntimeError('A leaf node was passed to _will_engine_execute_node but we are '
                               'currently running autograd.grad(). This is currently not '
                               'supported.')
        return True


def _run_leaf(node, grads, create_graph):
    """AccumulateGrad: the leaf's hooks and the node's pre-hooks, then its .grad, then the
    node's post-hooks."""
    variable = node._variable
    grads = _tensor_hooked(node, grads)
    registry = node._registry
    if registry is not None:
        for hook in registry.pre:
            grads = _hook_result(hook, grads, hook(tuple(grads)))
    if variable._grad_fn is not None:  # detached in place, then written with history
        raise RuntimeError('leaf variable has been moved into the graph interior')
    if variable._requires_grad and _keeps_grad(variable):
        accumulate_grad(variable, grads[0], create_graph)
        if variable._post_accumulate_hooks:
            _run_post_accumulate_hooks(variable)
    if registry is not None:
        for hook in registry.post:
            _hook_result(hook, (), hook((), tuple(grads)))


def _run_post_accumulate_hooks(leaf):
    """Tensor.register_post_accumulate_grad_hook hooks: hook(leaf), which returns nothing."""
    for hook in list(leaf._post_accumulate_hooks):
        returned = hook(leaf)
        if returned is not None:
            raise TypeError(f"expected Variable, but hook returned '{type(returned).__name__}'")


def _keeps_grad(leaf):
    """Whether a leaf keeps its gradient: not where it is a view, made without grad mode, of a
    tensor that requires grad (torch makes such views require grad, as leaves whose gradients
    go nowhere)."""
    base = leaf._base
    return base is None or leaf._view_fn is not None or not base._requires_grad


def _run_node(node, grads, buffers, captured, targets, reached):
    """Run one node's backward and pass each input gradient on to the next node's buffer
    (in a pass with targets, only those to nodes it runs or captures at)."""
    if targets is not None:  # a node that runs is captured at before its hooks, as torch's
        _capture(node, grads, captured, targets)
    registry = node._registry
    if registry is not None:
        grads = _tensor_hooked(node, grads)
        for hook in registry.pre:
            grads = _hook_result(hook, grads, hook(tuple(grads)))
    input_grads = (node._run_backward(grads) if not anomaly_mode.mode.enabled
                   else anomaly_mode.run_watched(node, grads))
    if input_grads.__class__ is not tuple:
        input_grads = (input_grads,)
    if reached is not None and not node._keeps_unneeded_grads:  # torch's should_compute_output
        input_grads = tuple(g if n in reached else None
                            for g, (n, _) in zip(input_grads, node.next_functions))
    if registry is not None:  # post-hooks see the gradients fitted, as torch's
        input_grads = tuple([_fitted(grad, meta, node, i)
                             for i, (grad, meta) in enumerate(zip(input_grads, node._input_meta))])
        for hook in registry.post:
            input_grads = _hook_result(hook, input_grads, hook(input_grads, tuple(grads)))
    for edge, grad, meta in zip(node.next_functions, input_grads, node._input_meta):
        if grad is not None and meta is not None:  # meta is None on an edge to no node
            if grad._data.shape != meta[0] or grad.dtype is not meta[1]:
                grad = _fit(grad, *meta, node, edge)
            _add_to_buffer(buffers, edge, grad)


def _fitted(grad, meta, node, index):
    """A gradient fitted to its input's (shape, dtype) ``meta`` (None: an edge to no node)."""
    return grad if grad is None or meta is None else _fit(grad, *meta, node, index)


def _tensor_hooked(node, grads):
    """The output gradients after the hooks of the tensors they are for (a leaf's, or those
    of the node's outputs: retained after them)."""
    if node.__class__ is AccumulateGrad:
        hooks = node._variable._hooks
        return [_apply_hooks(hooks, grads[0])] if hooks else grads
    registry = node._registry
    if registry is None:
        return grads
    if registry.tensor:
        grads = _call_tensor_hooks(registry.tensor, grads)
    if registry.retained:
        _retain(registry.retained, grads)
    return grads


def _capture(node, grads, captured, targets):
    """autograd.grad: keep the gradients flowing into the requested edges."""
    for nr, grad in enumerate(grads):
        slot = targets.get((node, nr))
        if slot is not None:
            captured[slot] = grad


class _Targets(dict):
    """The target edges of a backward pass ({edge: result slot}), and their ``nodes``."""

    def __init__(self, targets):
        super().__init__(targets)
        self.nodes = {node for node, _ in targets}


def _needed_nodes(nodes, targets, accumulate):
    """The nodes a pass with targets runs (torch's needed_): those with an edge to a node
    it runs or captures at, and with ``accumulate`` (backward's inputs=) the targets' own
    nodes. autograd.grad captures at a target's node without running it unless needed."""
    target_nodes = targets.nodes
    needed = set(target_nodes) if accumulate else set()
    for node in sorted(nodes, key=_link_number):  # each after the nodes its edges lead to
        if node not in needed and any(n in needed or n in target_nodes
                                      for n, _ in node.next_functions):
            needed.add(node)
    return needed


_link_number = operator.attrgetter('_seq')


def _add_to_buffer(buffers, edge, grad):
    """Sum ``grad`` into the buffer of the edge's node, at the edge's output number."""
    node, nr = edge
    buffer = buffers.get(node)
    if buffer is None:
        buffer = buffers[node] = [None] * node._num_outputs
    previous = buffer[nr]
    buffer[nr] = grad if previous is None else previous + grad


def _fit(grad, shape, dtype, node=None, index=0):
    """Sum a gradient over broadcast dims and cast it back to its input's dtype; a gradient
    that doesn't sum to the shape raises torch's engine error, naming ``node`` (the node
    that returned it) and ``index`` (the input it is for: a number, or the edge it goes to)."""
    if grad._data.shape != shape:
        if node is not None and not _reducible(grad._data.shape, shape):
            if index.__class__ is tuple:
                index = node.next_functions.index(index)
            raise RuntimeError(f'Function {node.name()} returned an invalid gradient at index '
                               f'{index} - got {list(grad.shape)} but expected shape compatible '
                               f'with {list(shape)}')
        grad = grad.sum_to_size(shape)
    if grad.dtype is not dtype:
        if grad.dtype.category > dtype.category:
            grad = grad.real
        grad = grad.to(dtype)
    return grad


def _hook_result(hook, values, returned):
    """The gradients a node hook returned in place of ``values`` (None: unchanged), checked
    as torch checks them."""
    if returned is None:
        return values
    if not isinstance(returned, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(returned).__name__}'")
    if len(returned) != len(values):
        raise RuntimeError(f"hook '{_hook_name(hook)}' has returned an incorrect number of "
                           f'values (got {len(returned)}, but expected {len(values)})')
    for value, new in zip(values, returned):
        _check_replacement(hook, value, new)
    return list(returned) if isinstance(values, list) else returned


def _hook_name(hook):
    name = getattr(hook, '__name__', None)
    return name if isinstance(name, str) else '<unknown>'


def _check_replacement(hook, value, new):
    """torch's check of a gradient a hook returned: a tensor of the same type and size."""
    if new is None:
        return
    if value is None:
        raise RuntimeError("can't replace a None gradient with a non-None value")
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
    if new.dtype is not value.dtype:
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the type of value (was "
                           f'{value.type()} got {new.type()})')
    if new._data.shape != value._data.shape:
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")


def _call_tensor_hooks(tensor_hooks, grads):
    """Hooks registered with Tensor.register_hook on a node's outputs (an output without a
    gradient too, as torch: its hooks get None)."""
    grads = list(grads)
    for nr, hooks in tensor_hooks.items():
        grads[nr] = _apply_hooks(hooks, grads[nr])
    return grads


def _apply_hooks(hooks, grad):
    """Tensor.register_hook hooks, in order: each may return a replacement gradient."""
    for hook in list(hooks):
        new = hook(grad)
        if new is not None:
            _check_replacement(hook, grad, new)
            grad = new
    return grad


def _retain(retained, grads):
    """Store gradients of non-leaf tensors that asked for .retain_grad(): a copy, then sums
    (out of place, as torch's retain_grad hook)."""
    for nr, ref in retained.items():
        tensor = ref()
        grad = grads[nr]
        if tensor is not None and grad is not None:
            tensor._grad = grad.clone() if tensor._grad is None else tensor._grad + grad


def accumulate_grad(variable, grad, create_graph):
    """AccumulateGrad: variable.grad = grad (a copy laid out as the variable), or += on later
    backward passes (in place unless building a graph of the gradients, as torch's
    AccumulateGrad)."""
    if variable._grad is None:
        data = variable._data
        if not create_graph:
            if data.flags.c_contiguous or not is_dense(data):   # (the first, the common case)
                copied = grad._data.copy()
            else:
                copied = _empty_as(data)
                copied[...] = grad._data
            variable._grad = _make(copied, grad.dtype)
        elif is_dense(data):
            # torch's clone_obey_contract, which records a CopyBackwards node where grad
            # requires grad (a CloneBackward0 node for a variable that is not dense)
            variable._grad = _make(_empty_as(data), grad.dtype).copy_(grad)
        else:
            variable._grad = grad.clone(memory_format=contiguous_format)
    elif create_graph:
        variable._grad = variable._grad + grad
    elif grad._data.shape == variable._grad._data.shape:
        variable._grad._data += grad._data
        variable._grad._vc.value += 1
    else:  # (a .grad of another shape: assigned, or left by data of another shape)
        variable._grad.add_(grad)   # torch's in-place add, with its broadcasting errors


def _empty_as(variable):
    """An uninitialised array with the strides of the dense array ``variable`` (torch's
    gradient layout contract for a leaf's .grad: new_empty_strided)."""
    return empty_strided(array_module(variable), variable.shape, variable.dtype,
                         variable.strides)
