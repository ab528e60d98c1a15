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

from . import grad_mode
from .graph import AccumulateGrad
from .._tensor import _make


def run_backward(roots, root_grads, retain_graph, create_graph, targets=None,
                 accumulate=True):
    """Backpropagate ``root_grads`` from ``roots`` (a list of (node, output_nr)).

    ``targets`` maps (node, output_nr) edges to result slots: their summed gradients are
    returned in that order. With ``accumulate`` leaves' .grad are updated (only those in
    ``targets`` when targets are given).
    """
    order = _ordered([node for node, _ in roots])
    needed = _needed_nodes(order, targets) if targets is not None else None
    buffers = {}
    for edge, grad in zip(roots, root_grads):
        _add_to_buffer(buffers, edge, grad)
    captured = [None] * (len(targets) if targets else 0)
    state = grad_mode.state
    previous = state.enabled  # set and restored directly: cheaper than set_grad_enabled
    state.enabled = bool(create_graph)
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
    return captured


def _run_leaf(node, grads, captured, targets, accumulate, create_graph):
    """AccumulateGrad: the leaf's hooks, then its .grad (or the captured result)."""
    variable = node._variable
    if variable._hooks:
        grads = [_apply_hooks(variable._hooks, grads[0])]
    if targets is not None:
        _capture(node, grads, captured, targets)
        if (node, 0) not in targets:
            return
    if accumulate and _keeps_grad(variable):
        accumulate_grad(variable, grads[0], create_graph)


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
    input_grads = node._run_backward(grads)
    if input_grads.__class__ is not tuple:
        input_grads = (input_grads,)
    if registry is not None:
        for hook in registry.post:
            input_grads = _hook_result(hook, input_grads, hook(input_grads, tuple(grads)))
    for (next_node, nr), grad, meta in zip(node.next_functions, input_grads, node._input_meta):
        if grad is not None and meta is not None:  # meta is None on an edge to no node
            if grad._data.shape != meta[0] or grad.dtype is not meta[1]:
                grad = _fit(grad, *meta)
            buffer = buffers.get(next_node)  # _add_to_buffer, inlined on this hot path
            if buffer is None:
                buffer = buffers[next_node] = [None] * next_node._num_outputs
            previous = buffer[nr]
            buffer[nr] = grad if previous is None else previous + grad


def _before_backward(node, registry, grads, captured, targets):
    """The output gradients after the tensor hooks (captured and retained as torch does,
    after those hooks) and the node's pre-hooks."""
    if registry.tensor:
        grads = _call_tensor_hooks(registry.tensor, grads)
    if targets is not None:
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
        raise RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has returned an incorrect "
                           f'number of values (got {len(returned)}, but expected {len(values)})')
    return list(returned) if isinstance(values, list) else returned


def _call_tensor_hooks(tensor_hooks, grads):
    """Hooks registered with Tensor.register_hook on a node's outputs."""
    grads = list(grads)
    for nr, hooks in tensor_hooks.items():
        if grads[nr] is not None:
            grads[nr] = _apply_hooks(hooks, grads[nr])
    return grads


def _apply_hooks(hooks, grad):
    for hook in list(hooks):
        new = hook(grad)
        if new is not None:
            grad = new
    return grad


def _retain(retained, grads):
    """Store gradients of non-leaf tensors that asked for .retain_grad()."""
    for nr, ref in retained.items():
        tensor = ref()
        if tensor is not None and grads[nr] is not None:
            accumulate_grad(tensor, grads[nr], False)


def accumulate_grad(variable, grad, create_graph):
    """AccumulateGrad: variable.grad = grad (a copy), or += on later backward passes."""
    if variable._grad is None:
        variable._grad = grad if create_graph else _make(grad._data.copy(), grad.dtype)
    elif create_graph or variable._grad.requires_grad:
        variable._grad = variable._grad + grad
    else:
        variable._grad._data += grad._data
