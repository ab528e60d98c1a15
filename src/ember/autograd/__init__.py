"""ember.autograd: torch.autograd's backward, grad, Function and the grad-mode switches."""
import functools
import warnings
from collections.abc import Mapping

from .grad_mode import (_unsafe_preserve_version_counter, enable_grad,
                        enforce_grad_layout_policy, inference_mode, is_grad_enabled,
                        is_inference_mode_enabled, is_multithreading_enabled, no_grad,
                        set_grad_enabled, set_multithreading_enabled)
from . import graph
from .engine import run_backward
from .._lazy import lazy_submodules as _lazy_submodules
from .._warnings import warn_once
from .._tensor import Tensor, _make


def _as_tuple(x):
    """torch's _tensor_or_tensors_to_tuple: a tensor alone, or any iterable (a float is not)."""
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _outputs_tuple(outputs):
    """The ``tensors``/``outputs`` of backward()/grad(): a tensor or GradientEdge, or a
    sequence of them; an edge becomes a tensor standing for the one it leads from."""
    if isinstance(outputs, Tensor):
        return (outputs,)
    if isinstance(outputs, graph.GradientEdge):
        outputs = (outputs,)
    return tuple([_edge_tensor(x) if isinstance(x, graph.GradientEdge) else x for x in outputs])


def _edge_tensor(edge):
    """For an output given as a GradientEdge: the leaf itself, or an uninitialized tensor of
    the edge's tensor's shape and dtype (noted by get_gradient_edge) whose grad_fn the edge is."""
    node, nr = edge.node, edge.output_nr
    if node.__class__ is graph.AccumulateGrad:
        return node.variable
    meta = node.__dict__.get('_output_meta', {}).get(nr)
    if meta is None:
        raise RuntimeError('ember knows the shape of an output given as a GradientEdge only for '
                           'edges from get_gradient_edge() or to a leaf')
    from .._creation import empty
    tensor = empty(meta[0], dtype=meta[1])
    tensor._grad_fn, tensor._output_nr, tensor._requires_grad = node, nr, True
    return tensor


def _inputs_tuple(inputs, caller):
    """The ``inputs`` of backward()/grad(): a tensor or GradientEdge, a sequence of them or a
    dict of tensors."""
    if isinstance(inputs, (Tensor, graph.GradientEdge)):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    if isinstance(inputs, Mapping):
        raise TypeError(f'`inputs` argument to `{caller}()` must be a dict, not '
                        f'{type(inputs).__name__}. Other Mapping types are not supported.')
    inputs = tuple(inputs)
    if not inputs:
        raise RuntimeError(f'`inputs` argument to `{caller}()` cannot be empty.')
    for t in inputs:
        if not isinstance(t, (Tensor, graph.GradientEdge)):
            raise RuntimeError('all inputs have to be Tensors or GradientEdges, but got '
                               f'{type(t).__name__}')
    return inputs


def _root_edges(outputs, grad_outputs, create_graph, batched=False):
    """(node, output_nr) for each output, with its initial gradient (checked as torch's
    _make_grads checks them, then as its engine does)."""
    grads = []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        grads.append(_initial_grad(i, out, grad, create_graph, batched))
    if len(grads) < len(outputs):  # (more gradients are ignored, as in torch)
        raise RuntimeError(f'got {len(outputs)} tensors and {len(grads)} gradients')
    roots = []
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f'element {i} of tensors does not require grad and does not have '
                               'a grad_fn')
        roots.append(_edge_of(out))
    return roots, grads


def _initial_grad(i, out, grad, create_graph, batched):
    """The gradient backward starts output ``i`` with: ``grad`` checked, or implicit ones."""
    if not isinstance(out, Tensor):
        raise AssertionError('Expected output to be a torch.Tensor')
    if grad is None:
        if not out.requires_grad:
            return None
        data = out._data
        if data.size != 1:
            raise RuntimeError('grad can be implicitly created only for scalar outputs')
        if not out.is_floating_point():
            raise RuntimeError(f'grad can be implicitly created only for real scalar outputs '
                               f'but got {out.dtype}')
        if batched:   # torch's vmap over the implicit ones: their first dim is the batch
            if not data.ndim:
                raise ValueError('vmap(vjp, in_dims=0, ...)(<inputs>): Got in_dim=0 for some '
                                 'input, but that input is a Tensor of dimensionality 0 so '
                                 'expected in_dim to satisfy 0 <= in_dim < 0.')
            raise RuntimeError(f'invalid gradient at index {i} - got {list(data.shape[1:])} but '
                               f'expected shape compatible with {list(data.shape)}')
        ones = data.copy()  # cheaper than empty_like, which dispatches on its argument
        ones.fill(1)
        return _make(ones, out.dtype)
    if not isinstance(grad, Tensor):
        raise TypeError(f'gradients can be either Tensors or None, but got {type(grad).__name__}')
    if batched:
        grad[0]  # (torch reads the first gradient of the batch: its IndexError for none)
    grad_shape = grad.shape[1:] if batched else grad.shape
    if grad_shape != out.shape:
        if batched:  # (torch's message drops one more dim of grad_output than it compares)
            raise RuntimeError(
                'If `is_grads_batched=True`, we interpret the first dimension of each grad_output '
                'as the batch dimension. The sizes of the remaining dimensions are expected to '
                f'match the shape of corresponding output, but a mismatch was detected: '
                f'grad_output[{i}] has a shape of {grad_shape[1:]} and output[{i}] has a shape of '
                f'{out.shape}. If you only want some tensors in `grad_output` to be considered '
                'batched, consider using vmap.')
        raise RuntimeError(f'Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} '
                           f'and output[{i}] has a shape of {out.shape}.')
    if grad.is_complex() != out.is_complex():
        raise RuntimeError(
            'For complex Tensors, both grad_output and output are required to have the same '
            f'dtype. Mismatch in dtype: grad_output[{i}] has a dtype of {grad.dtype} and '
            f'output[{i}] has a dtype of {out.dtype}.')
    return grad  # as given: hooks and autograd.grad see the tensor itself, as torch's


def _edge_of(tensor):
    """The (node, output_nr) a tensor that requires grad sends its gradient to."""
    return graph._node_of(tensor), tensor._output_nr


def _target_edges(inputs):
    """{edge: slot} for the distinct edges of ``inputs`` (tensors or GradientEdges), and each
    input's slot."""
    targets, slots = {}, []
    for t in inputs:
        if isinstance(t, graph.GradientEdge):
            edge = t.node, t.output_nr
        elif not t.requires_grad:
            raise RuntimeError('One of the differentiated Tensors does not require grad')
        else:
            edge = _edge_of(t)
        slots.append(targets.setdefault(edge, len(targets)))
    return targets, slots


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """torch.autograd.backward: accumulate gradients of ``tensors`` into the leaves' .grad."""
    if grad_variables is not None:
        warnings.warn('`grad_variables` is deprecated. Use `grad_tensors` instead.',
                      FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise RuntimeError('`grad_tensors` and `grad_variables` (deprecated) arguments both '
                               'passed to `backward()`. Please only use `grad_tensors`.')
        grad_tensors = grad_variables
    if inputs is not None:
        inputs = _inputs_tuple(inputs, 'backward')
    tensors = _outputs_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    roots, grads = _root_edges(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        _warn_create_graph()
    targets = None
    if inputs is not None:
        for t in inputs:  # as torch's engine does: a non-leaf input keeps its .grad from now on
            if isinstance(t, Tensor):
                t.retain_grad()
        targets = _target_edges(inputs)[0]
    run_backward(roots, grads, retain_graph, create_graph, targets)


def _warn_create_graph():
    """torch warns once per process (TORCH_WARN_ONCE) when backward() builds a graph of
    the gradients: a leaf's .grad then refers back to the leaf."""
    warn_once(
        'Using backward() with create_graph=True will create a reference cycle between the '
        'parameter and its gradient which can cause a memory leak. We recommend using '
        'autograd.grad when creating the graph to avoid this. If you have to use this '
        'function, make sure to reset the .grad fields of your parameters to None after use '
        'to break the cycle and avoid the leak. (Triggered internally at '
        '/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)')


def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """torch.Tensor.backward: accumulate d(self)/d(leaf) into every leaf's .grad."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


_tensor_backward.__name__, _tensor_backward.__qualname__ = 'backward', 'Tensor.backward'
Tensor.backward = _tensor_backward


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad: the gradients of ``outputs`` with respect to ``inputs``."""
    if materialize_grads and allow_unused is False:
        raise ValueError('Expected allow_unused to be True or not passed when '
                         'materialize_grads=True, but got: allow_unused=False.')
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = _outputs_tuple(outputs)
    names = inputs.keys() if type(inputs) is dict else None
    inputs = _inputs_tuple(inputs, 'grad')
    if not only_inputs:
        warnings.warn('only_inputs argument is deprecated and is ignored now (defaults to True). '
                      'To accumulate gradient for other parts of the graph, please use '
                      'torch.autograd.backward.', FutureWarning, stacklevel=2)
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    roots, grads = _root_edges(outputs, grad_outputs, create_graph, is_grads_batched)
    if retain_graph is None:
        retain_graph = create_graph
    targets, slots = _target_edges(inputs)
    run = functools.partial(_grads_of, roots, targets, slots, create_graph, allow_unused)
    result = _batched(run, grads, retain_graph) if is_grads_batched else run(grads, retain_graph)
    if materialize_grads:
        if any(g is None and not isinstance(t, Tensor) for g, t in zip(result, inputs)):
            raise RuntimeError('materialize_grads cannot be used when the given input is a '
                               'GradientEdge')
        from .._creation import zeros_like
        result = tuple(zeros_like(t, requires_grad=create_graph) if g is None else g
                       for g, t in zip(result, inputs))
    return result if names is None else dict(zip(names, result))


def _grads_of(roots, targets, slots, create_graph, allow_unused, grads, retain_graph):
    """One backward pass of autograd.grad: the gradient of each input (None where unused);
    ``targets`` and ``slots`` as _target_edges gives them."""
    captured = run_backward(roots, grads, retain_graph, create_graph, targets, accumulate=False)
    result = tuple(captured[slot] for slot in slots)
    if not allow_unused:
        for i, g in enumerate(result):
            if g is None:
                raise RuntimeError(f'The differentiated Tensor at index {i} appears to not have '
                                   'been used in the graph. Set allow_unused=True if this is the '
                                   'desired behavior.')
    return result


def _batched(run, grads, retain_graph):
    """is_grads_batched: one backward per index of the grad_outputs' first dim, stacked
    (torch vmaps the backward instead; the values are the same)."""
    from .._ops.shape import stack
    size = next(g.shape[0] for g in grads if g is not None)
    rows = [run([None if g is None else g[b] for g in grads], retain_graph or b < size - 1)
            for b in range(size)]
    return tuple(None if row[0] is None else stack(row) for row in zip(*rows))


from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: E402
from .function import Function, once_differentiable  # noqa: E402
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
from .variable import Variable  # noqa: E402


__getattr__, __dir__ = _lazy_submodules(__name__, ('functional',), globals())  # on first use
