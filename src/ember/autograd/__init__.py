"""ember.autograd: torch.autograd's backward, grad, Function and the grad-mode switches."""
import warnings

from .grad_mode import (enable_grad, enforce_grad_layout_policy, inference_mode,
                        is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
                        set_multithreading_enabled)
from . import graph
from .engine import accumulate_grad, run_backward
from .._tensor import Tensor, _make


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,)


def _root_edges(outputs, grad_outputs, create_graph):
    """(node, output_nr) for each output, with its initial gradient."""
    grad_outputs = grad_outputs or (None,) * len(outputs)
    if len(grad_outputs) < len(outputs):  # (more are ignored, as in torch)
        raise RuntimeError(f'got {len(outputs)} tensors and {len(grad_outputs)} gradients')
    roots, grads = [], []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        if not out.requires_grad:
            raise RuntimeError(f'element {i} of tensors does not require grad and does not have '
                               'a grad_fn')
        if grad is None:
            data = out._data
            if data.size != 1:
                raise RuntimeError('grad can be implicitly created only for scalar outputs')
            if not out.is_floating_point():
                raise RuntimeError(f'grad can be implicitly created only for real scalar outputs '
                                   f'but got {out.dtype}')
            ones = data.copy()  # cheaper than empty_like, which dispatches on its argument
            ones.fill(1)
            grad = _make(ones, out.dtype)
        elif grad.shape != out.shape:
            raise RuntimeError(f'Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} '
                               f'and output[{i}] has a shape of {out.shape}.')
        elif not create_graph:
            grad = grad.detach()
        roots.append(_edge_of(out))
        grads.append(grad)
    return roots, grads


def _edge_of(tensor):
    fn = tensor.grad_fn
    if fn is None:
        return graph.accumulator_of(tensor), 0
    return fn, tensor._output_nr


def _target_edges(inputs):
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError('One of the differentiated Tensors does not require grad')
    return {_edge_of(t): i for i, t in enumerate(inputs)}


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """torch.autograd.backward: accumulate gradients of ``tensors`` into the leaves' .grad."""
    tensors = _as_tuple(tensors)
    roots, grads = _root_edges(tensors, _as_tuple(grad_tensors if grad_tensors is not None else grad_variables), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        _warn_create_graph()
    targets = None
    inputs = _as_tuple(inputs)
    if inputs is not None:
        if not inputs:
            raise RuntimeError('`inputs` argument to `backward()` cannot be empty.')
        targets = _target_edges(inputs)
    captured = run_backward(roots, grads, retain_graph, create_graph, targets)
    if inputs is not None:
        for t, grad in zip(inputs, captured):
            if t.grad_fn is not None and grad is not None:
                accumulate_grad(t, grad, create_graph)


_create_graph_warned = False


def _warn_create_graph():
    """torch warns once per process (TORCH_WARN_ONCE) when backward() builds a graph of
    the gradients: a leaf's .grad then refers back to the leaf."""
    global _create_graph_warned
    if not _create_graph_warned:
        _create_graph_warned = True
        warnings.warn(
            'Using backward() with create_graph=True will create a reference cycle between the '
            'parameter and its gradient which can cause a memory leak. We recommend using '
            'autograd.grad when creating the graph to avoid this. If you have to use this '
            'function, make sure to reset the .grad fields of your parameters to None after use '
            'to break the cycle and avoid the leak. (Triggered internally at '
            '/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)', UserWarning,
            stacklevel=3)


def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """torch.Tensor.backward: accumulate d(self)/d(leaf) into every leaf's .grad."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


Tensor.backward = _tensor_backward


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad: the gradients of ``outputs`` with respect to ``inputs``."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    roots, grads = _root_edges(outputs, _as_tuple(grad_outputs), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    result = run_backward(roots, grads, retain_graph, create_graph, _target_edges(inputs),
                          accumulate=False)
    for i, g in enumerate(result):
        if g is None:
            if not allow_unused:
                raise RuntimeError(f'The differentiated Tensor at index {i} appears to not have '
                                   'been used in the graph. Set allow_unused=True if this is the '
                                   'desired behavior.')
            if materialize_grads:
                from .._creation import zeros_like
                result[i] = zeros_like(inputs[i])
    return tuple(result)


from .function import Function, once_differentiable  # noqa: E402
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
