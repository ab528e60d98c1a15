"""The backward engine: walks the graph from the outputs to the leaves.

1. Discover every node reachable from the roots (iteratively: no recursion limit).
2. Run them in decreasing link number: a node is linked into the graph after every
   node its edges lead to, so each node runs once, after all gradients flowing into
   it were summed into its buffer.
3. Fit each gradient a node returns to the shape and dtype its input had (sum over
   broadcast dims, cast) and add it to the buffer of the next node.
4. Leaves' AccumulateGrad nodes add into ``.grad``; ``autograd.grad`` instead
   captures the gradients of the requested inputs and skips nodes that can't reach them.
"""
import operator
import threading

from . import anomaly_mode, grad_mode
from .graph import AccumulateGrad
from .._tensor import Tensor, _make


def run_backward(roots, root_grads, retain_graph, create_graph, targets=None,
                 accumulate=True):
    """Backpropagate ``root_grads`` from ``roots`` (a list of (node, output_nr)).

    ``targets`` maps (node, output_nr) edges to result slots: their summed gradients are
    returned in that order. With ``accumulate`` leaves' .grad are updated (only those in
    ``targets`` when targets are given).
    """
    order = _ordered([node for node, _ in roots])
    needed = None
    if targets is not None:
        needed = _needed_nodes(order, targets)
        targets = _Targets(targets, needed)
    buffers = {}
    for edge, grad in zip(roots, root_grads):
        _add_to_buffer(buffers, edge, grad)
    captured = [None] * (len(targets) if targets else 0)
    state = grad_mode.state
    previous = state.enabled  # set and restored directly: cheaper than set_grad_enabled
    state.enabled = bool(create_graph)
    tracked = track_passes
    if tracked:
        running.passes.append(BackwardPass(order, needed, targets, accumulate))
    try:
        for node in order:
            grads = buffers.pop(node, None)
            if grads is not None and (needed is None or node in needed):
                if node.__class__ is AccumulateGrad:
                    _run_leaf(node, grads, captured, targets, accumulate, create_graph)
                else:
                    _run_node(node, grads, buffers, captured, targets)
            if not retain_graph:
                node._release()
    finally:
        state.enabled = previous
        if tracked:
            running.passes.pop()
    return captured


track_passes = False  # set by graph.register_multi_grad_hook: its hooks need the running pass


class _Running(threading.local):
    """The backward passes running in this thread, innermost last (while track_passes)."""

    def __init__(self):
        self.passes = []


running = _Running()


class BackwardPass:
    """A backward pass as hooks see it (torch's graph task): which nodes it runs, and what
    hooks keep for the duration of the pass (``hook_state``)."""

    def __init__(self, order, needed, targets, accumulate):
        self.nodes = set(order) if needed is None else needed
        self.targets = targets
        self.accumulate = accumulate
        self.hook_state = {}

    def will_execute(self, node):
        """torch._C._will_engine_execute_node: whether this pass runs ``node``."""
        if node not in self.nodes:
            return False
        if not self.accumulate and node.__class__ is AccumulateGrad and (node, 0) in self.targets:
            raise RuntimeError('A leaf node was passed to _will_engine_execute_node but we are '
                               'currently running autograd.grad(). This is currently not '
                               'supported.')
        return True


def _run_leaf(node, grads, captured, targets, accumulate, create_graph):
    """AccumulateGrad: the leaf's hooks and the node's pre-hooks, then its .grad (or the
    captured result), then the node's post-hooks."""
    variable = node._variable
    if variable._hooks:
        grads = [_apply_hooks(variable._hooks, grads[0])]
    registry = node._registry
    if registry is not None:
        for hook in registry.pre:
            grads = _hook_result(hook, grads, hook(tuple(grads)))
    if targets is not None:
        _capture(node, grads, captured, targets)
        if (node, 0) not in targets:
            return
    if accumulate:
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


def _run_node(node, grads, buffers, captured, targets):
    """Run one node's backward and pass each input gradient on to the next node's buffer."""
    registry = node._registry
    if registry is not None:
        grads = _before_backward(node, registry, grads, captured, targets)
    elif targets is not None:
        _capture(node, grads, captured, targets)
    input_grads = (node._run_backward(grads) if not anomaly_mode.mode.enabled
                   else anomaly_mode.run_watched(node, grads))
    if input_grads.__class__ is not tuple:
        input_grads = (input_grads,)
    if registry is not None:
        for hook in registry.post:
            input_grads = _hook_result(hook, input_grads, hook(input_grads, tuple(grads)))
    for edge, grad, meta in zip(node.next_functions, input_grads, node._input_meta):
        if grad is not None and meta is not None:  # meta is None on an edge to no node
            if grad._data.shape != meta[0] or grad.dtype is not meta[1]:
                grad = _fit(grad, *meta)
            _add_to_buffer(buffers, edge, grad)


def _before_backward(node, registry, grads, captured, targets):
    """The output gradients after the tensor hooks (retained after those hooks; captured
    after them too, unless the node passes gradients on to a needed node, as in torch's
    engine) and the node's pre-hooks."""
    early = targets is not None and node in targets.passing_on
    if early:
        _capture(node, grads, captured, targets)
    if registry.tensor:
        grads = _call_tensor_hooks(registry.tensor, grads)
    if targets is not None and not early:
        _capture(node, grads, captured, targets)
    if registry.retained:
        _retain(registry.retained, grads)
    for hook in registry.pre:
        grads = _hook_result(hook, grads, hook(tuple(grads)))
    return grads


def _capture(node, grads, captured, targets):
    """autograd.grad: keep the gradients flowing into the requested edges."""
    for nr, grad in enumerate(grads):
        slot = targets.get((node, nr))
        if slot is not None:
            captured[slot] = grad


class _Targets(dict):
    """The target edges of a backward pass ({edge: result slot}), with the nodes that both
    hold a target and pass gradients on to a needed node (``passing_on``)."""

    def __init__(self, targets, needed):
        super().__init__(targets)
        self.passing_on = {node for node, _ in targets
                           if any(n in needed for n, _ in node.next_functions)}


def _needed_nodes(order, targets):
    """Nodes from which some target edge can be reached (others need not run)."""
    target_nodes = {node for node, _ in targets}
    needed = set()
    for node in reversed(order):
        if node in target_nodes or any(n in needed for n, _ in node.next_functions):
            needed.add(node)
    return needed


def _ordered(root_nodes):
    """Every node reachable from the roots, in an order that runs each node after all the
    nodes with an edge into it: decreasing link number (see graph.link)."""
    seen = set(root_nodes)
    stack = list(seen)
    while stack:
        for next_node, _ in stack.pop().next_functions:
            if next_node is not None and next_node not in seen:
                seen.add(next_node)
                stack.append(next_node)
    return sorted(seen, key=_link_number, reverse=True)


_link_number = operator.attrgetter('_seq')


def _add_to_buffer(buffers, edge, grad):
    """Sum ``grad`` into the buffer of the edge's node, at the edge's output number."""
    node, nr = edge
    buffer = buffers.get(node)
    if buffer is None:
        buffer = buffers[node] = [None] * node._num_outputs
    previous = buffer[nr]
    buffer[nr] = grad if previous is None else previous + grad


def _fit(grad, shape, dtype):
    """Sum a gradient over broadcast dims and cast it back to its input's dtype."""
    if grad._data.shape != shape:
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
    """AccumulateGrad: variable.grad = grad (a copy), or += on later backward passes (in place
    unless building a graph of the gradients, as torch's AccumulateGrad)."""
    if variable._grad is None:
        if not create_graph:
            variable._grad = _make(grad._data.copy(), grad.dtype)
        else:  # torch's clone_obey_contract: a CopyBackwards node where grad requires grad
            from .._creation import empty_like
            variable._grad = empty_like(grad).copy_(grad)
    elif create_graph:
        variable._grad = variable._grad + grad
    else:
        variable._grad._data += grad._data
        variable._grad._vc.value += 1
