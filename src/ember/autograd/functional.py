"""ember.autograd.functional: torch.autograd.functional's vjp, jvp, jacobian, hessian, vhp and hvp.

Everything is built on autograd.grad. As in torch, jvp and hvp use the double-backward trick
(the gradient of a vjp with respect to its vector is a jvp), and a tensor or a tuple of
tensors comes back in the nesting it went in. ember has no forward-mode AD and no vmap:
``vectorize=True`` runs one backward per Jacobian row (a loop, same values as torch), and
``strategy='forward-mode'`` raises NotImplementedError.
"""
from . import grad as _autograd_grad
from .grad_mode import enable_grad, is_grad_enabled, set_grad_enabled
from .._creation import eye, zeros_like
from .._ops.shape import stack
from .._tensor import Tensor

__all__ = ['vjp', 'jvp', 'jacobian', 'hessian', 'hvp', 'vhp']


# ------------------------------------------------------------------ helpers

def _as_tuple(x, what, fn):
    """(whether ``x`` was a tuple, ``x`` as a tuple of tensors); torch's TypeError otherwise."""
    is_tuple = isinstance(x, tuple)
    items = x if is_tuple else (x,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f'the value at index {i}' if is_tuple else f'the given {what}'
            raise TypeError(f'The {what} given to {fn} must be either a Tensor or a tuple of '
                            f'Tensors but {where} has type {type(item)}.')
    return is_tuple, items


def _untuple(res, was_tuple):
    return res if was_tuple else res[0]


def _untuple2(res, outer_was_tuple, inner_was_tuple):
    """``res[i][j]`` (per output i, per input j) unnested where those were single tensors."""
    if not inner_was_tuple:
        res = tuple(row[0] for row in res)
    return _untuple(res, outer_was_tuple)


def _prepare(tensors, create_graph, need_graph):
    """New tensor objects for the user function (so that tensors it captures are told apart
    from its arguments): differentiable views when the caller's graph must reach them,
    detached copies otherwise."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in tensors)


def _finish(res, create_graph):
    """The results, detached unless create_graph (``res`` is a tuple, or a tuple of tuples)."""
    if isinstance(res[0], Tensor):
        return res if create_graph else tuple(t.detach() for t in res)
    return tuple(_finish(row, create_graph) for row in res)


def _check_v(v, refs, refs_was_tuple):
    """``v`` has one tensor of each ``refs`` tensor's size."""
    if len(v) != len(refs):
        if refs_was_tuple:
            raise RuntimeError(f'v is a tuple of invalid length: should be {len(refs)} but got '
                               f'{len(v)}.')
        raise RuntimeError('The given v should contain a single Tensor.')
    for i, (vi, ref) in enumerate(zip(v, refs)):
        if vi.size() != ref.size():
            entry = f'Entry {i} in ' if refs_was_tuple else ''
            raise RuntimeError(f'{entry}v has invalid size: should be {ref.size()} but got '
                               f'{vi.size()}.')


def _prepared_v(v, refs, refs_was_tuple, create_graph, fn, none_message):
    """``v`` as a checked tuple (None stays None where ``refs`` is one single-element tensor)."""
    if v is None:
        if len(refs) != 1 or refs[0].nelement() != 1:
            raise RuntimeError(none_message)
        return None
    v = _prepare(_as_tuple(v, 'v', fn)[1], create_graph, need_graph=False)
    _check_v(v, refs, refs_was_tuple)
    return v


_STRICT_MESSAGES = {
    'outputs': 'Output {i} of the user-provided function does not require gradients. The outputs '
               'must be computed in a differentiable manner from the input when running in '
               'strict mode.',
    'grad_inputs': 'The gradient with respect to input {i} is independent of the inputs of the '
                   'user-provided function. This is not allowed in strict mode.',
    'jacobian': 'While computing the hessian, found that the jacobian of the user-provided '
                'function with respect to input {i} is independent of the input. This is not '
                'allowed in strict mode. You should ensure that your function is twice '
                'differentiable and that the jacobian depends on the inputs (this would be '
                'violated by a linear function for example).',
}


def _check_strict(tensors, kind, strict):
    """With strict, each of ``tensors`` (a ``kind`` of _STRICT_MESSAGES) must require grad."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(f'The output of the user-provided function is independent of '
                               f'input {i}. This is not allowed in strict mode.')
        if not t.requires_grad:
            raise RuntimeError(_STRICT_MESSAGES[kind].format(i=i))


def _grads(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None,
           batched=False):
    """autograd.grad over the outputs that require grad (None for every input if none does;
    None for an input they don't reach)."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs, gouts = zip(*pairs)
    return _autograd_grad(outs, inputs, gouts, retain_graph=retain_graph,
                          create_graph=create_graph, allow_unused=True,
                          is_grads_batched=batched)


_ZERO_MESSAGES = {  # stage -> (message for a None gradient, one for a constant one)
    'back': ('The output of the user-provided function is independent of input {i}. This is not '
             'allowed in strict mode.', 'jacobian'),
    'back_trick': ('The gradient with respect to the input is independent of entry {i} in the '
                   'grad_outputs when using the double backward trick to compute forward mode '
                   'gradients. This is not allowed in strict mode.', 'jacobian'),
    'double_back': ('The jacobian of the user-provided function is independent of input {i}. '
                    'This is not allowed in strict mode.', 'hessian'),
    'double_back_trick': ('The hessian of the user-provided function is independent of entry '
                          '{i} in the grad_jacobian. This is not allowed in strict mode as it '
                          'prevents from using the double backward trick to replace forward '
                          'mode AD.', 'hessian'),
}


def _zeros_for_none(grads, refs, strict, create_graph, stage):
    """``grads`` with zeros shaped like ``refs`` for the missing ones; with strict, torch's
    error for a missing gradient, or (create_graph) for one that is constant."""
    none_message, what = _ZERO_MESSAGES[stage]
    res = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(none_message.format(i=i))
            g = zeros_like(ref)
        elif strict and create_graph and not g.requires_grad:
            raise RuntimeError(f'The {what} of the user-provided function is independent of '
                               f'input {i}. This is not allowed in strict mode when '
                               'create_graph=True.')
        res.append(g)
    return tuple(res)


def _call(func, inputs, fn, strict):
    """func(*inputs) as (whether it returned a tuple, its outputs as a tuple), checked."""
    is_tuple, outputs = _as_tuple(func(*inputs), 'outputs of the user-provided function', fn)
    _check_strict(outputs, 'outputs', strict)
    return is_tuple, outputs


# ------------------------------------------------------------------ vector products

def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.vjp: (func(inputs), v^T J), J the Jacobian of func at inputs."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, 'inputs', 'vjp')
        inputs = _prepare(inputs, create_graph, need_graph=True)
        is_outputs_tuple, outputs = _call(func, inputs, 'vjp', strict)
        v = _prepared_v(v, outputs, is_outputs_tuple, create_graph, 'vjp',
                        'The vector v can only be None if the user-provided function returns a '
                        'single Tensor with a single element.')
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        res = _zeros_for_none(_grads(outputs, inputs, v, create_graph), inputs, strict,
                              create_graph, 'back')
    return (_untuple(_finish(outputs, create_graph), is_outputs_tuple),
            _untuple(_finish(res, create_graph), is_inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.jvp: (func(inputs), J v), by the double-backward trick: the
    vjp u -> u^T J is linear in u, so its gradient with respect to u, taken against v, is J v."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, 'inputs', 'jvp')
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _prepared_v(v, inputs, is_inputs_tuple, create_graph, 'jvp',
                        'The vector v can only be None if the input to the user-provided '
                        'function is a single Tensor with a single element.')
        is_outputs_tuple, outputs = _call(func, inputs, 'jvp', strict)
        # u's value doesn't matter (the vjp is linear in it) as long as it is finite
        u = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        vjps = _grads(outputs, inputs, u, create_graph=True)
        _check_strict(vjps, 'grad_inputs', strict)
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        res = _zeros_for_none(_grads(vjps, u, v, create_graph), outputs, strict, create_graph,
                              'back_trick')
    return (_untuple(_finish(outputs, create_graph), is_outputs_tuple),
            _untuple(_finish(res, create_graph), is_outputs_tuple))


def _scalar_output(func, inputs, fn, strict):
    """func(*inputs) for vhp/hvp/hessian: one tensor of one element, or torch's error."""
    is_tuple, outputs = _call(func, inputs, fn, strict)
    if is_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f'The function given to {fn} should return a single Tensor')
    if outputs[0].nelement() != 1:
        raise RuntimeError(f'The Tensor returned by the function given to {fn} should contain a '
                           'single element')
    return outputs


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.vhp: (func(inputs), v^T H), H the Hessian of scalar func."""
    return _hessian_product(func, inputs, v, create_graph, strict, 'vhp')


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """torch.autograd.functional.hvp: (func(inputs), H v), by the double-backward trick on
    the vhp (the same values as vhp where H is symmetric)."""
    return _hessian_product(func, inputs, v, create_graph, strict, 'hvp')


def _hessian_product(func, inputs, v, create_graph, strict, fn):
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, 'inputs', fn)
        inputs = _prepare(inputs, create_graph, need_graph=True)
        v = _prepared_v(v, inputs, is_inputs_tuple, create_graph, fn,
                        'The vector v can only be None if the input to the user-provided '
                        'function is a single Tensor with a single element.')
        outputs = _scalar_output(func, inputs, fn, strict)
        jac = _grads(outputs, inputs, create_graph=True)
        _check_strict(jac, 'jacobian', strict)
        if fn == 'hvp':
            u = tuple(zeros_like(t, requires_grad=True) for t in inputs)
            vhps = _grads(jac, inputs, u, create_graph=True)  # u^T H, linear in u
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        if fn == 'hvp':
            res = _zeros_for_none(_grads(vhps, u, v, create_graph), inputs, strict,
                                  create_graph, 'double_back_trick')
        else:
            res = _zeros_for_none(_grads(jac, inputs, v, create_graph), inputs, strict,
                                  create_graph, 'double_back')
    return (_finish(outputs, create_graph)[0],
            _untuple(_finish(res, create_graph), is_inputs_tuple))


# ------------------------------------------------------------------ jacobian and hessian

def _no_forward_mode(create_graph, strict):
    """torch's errors for strategy='forward-mode', then ember's: it has no forward-mode AD."""
    if create_graph:
        raise NotImplementedError(
            'torch.autograd.functional.jacobian: `create_graph=True` and '
            '`strategy="forward-mode"` are not supported together (yet). Please either set '
            '`create_graph=False` or `strategy="reverse-mode"`.')
    if strict:
        raise RuntimeError(
            'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are '
            'not supported together (yet). Please either set `strict=False` or '
            '`strategy="reverse-mode"`.')


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy='reverse-mode'):
    """torch.autograd.functional.jacobian: d func(inputs)[i] / d inputs[j], of shape
    output[i].shape + inputs[j].shape, nested as func's outputs and inputs are (a tuple of
    tuples for a tuple in and out). One backward per output element; ``vectorize=True``
    (torch: vmap over the rows) is the same loop here, through autograd.grad's
    is_grads_batched. ``strategy='forward-mode'`` raises NotImplementedError (ember has no
    forward-mode AD)."""
    if strategy not in ('forward-mode', 'reverse-mode'):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".')
    if strategy == 'forward-mode':
        _no_forward_mode(create_graph, strict)
        _as_tuple(inputs, 'inputs', 'jacobian')
        if not vectorize:
            raise NotImplementedError(  # (torch's message, missing space included)
                'Computing Jacobian using forward-AD or forward-over-reverse Hessian is'
                'only implemented for `vectorize=True`.')
        raise NotImplementedError(
            'strategy="forward-mode" needs forward-mode AD (torch.autograd.forward_ad) and '
            'vmap, which ember does not have: use strategy="reverse-mode" (the default).')
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, 'inputs', 'jacobian')
        inputs = _prepare(inputs, create_graph, need_graph=True)
        is_outputs_tuple, outputs = _call(func, inputs, 'jacobian', strict)
        if vectorize:
            if strict:
                raise RuntimeError(
                    'torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` '
                    'are not supported together. Please either set `strict=False` or '
                    '`vectorize=False`.')
            jac = _jacobian_rows(outputs, inputs, create_graph)
        else:
            jac = tuple(_jacobian_of(i, out, inputs, create_graph, strict)
                        for i, out in enumerate(outputs))
        return _untuple2(_finish(jac, create_graph), is_outputs_tuple, is_inputs_tuple)


def _jacobian_of(i, out, inputs, create_graph, strict):
    """The Jacobian of output ``i`` with respect to each input: one backward per element."""
    rows = tuple([] for _ in inputs)
    flat = out.reshape(-1)
    for k in range(out.nelement()):
        grads = _grads((flat[k],), inputs, retain_graph=True, create_graph=create_graph)
        for j, (g, inp) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f'Output {i} of the user-provided function is independent '
                                       f'of input {j}. This is not allowed in strict mode.')
                g = zeros_like(inp)
            elif strict and create_graph and not g.requires_grad:
                # (torch names the output's index as the input's here)
                raise RuntimeError(f'The jacobian of the user-provided function is independent '
                                   f'of input {i}. This is not allowed in strict mode when '
                                   'create_graph=True.')
            rows[j].append(g)
    return tuple(stack(r).view(out.size() + inp.size()) for r, inp in zip(rows, inputs))


def _jacobian_rows(outputs, inputs, create_graph):
    """vectorize=True: the rows of the Jacobian of all outputs flattened and joined, one
    backward per row with one-hot grad_outputs (a loop: torch vmaps it), then split by output."""
    numels = [out.nelement() for out in outputs]
    total = sum(numels)
    if total == 0 and any(out.requires_grad for out in outputs):
        raise IndexError('index 0 is out of bounds for dimension 0 with size 0')  # torch's vmap
    basis, start = [], 0  # columns start:start+n of the identity, for each output
    for out, n in zip(outputs, numels):
        basis.append(eye(total, dtype=out.dtype, device=out.device)[:, start:start + n])
        start += n
    flat = tuple(out.reshape(-1) for out in outputs)
    per_input = _grads(flat, inputs, basis, create_graph, batched=True)
    per_input = [zeros_like(inp).expand((total,) + inp.shape) if g is None else g
                 for g, inp in zip(per_input, inputs)]
    jac, start = [], 0
    for out, n in zip(outputs, numels):
        jac.append(tuple(g[start:start + n].view(out.shape + inp.shape)
                         for g, inp in zip(per_input, inputs)))
        start += n
    return tuple(jac)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy='reverse-mode'):
    """torch.autograd.functional.hessian of a function returning one tensor of one element:
    the Jacobian of its gradient, of shape inputs[i].shape + inputs[j].shape (a tuple of
    tuples for tuple inputs). ``vectorize=True`` is a loop over rows here (torch: vmap);
    ``outer_jacobian_strategy='forward-mode'`` raises NotImplementedError."""
    is_inputs_tuple, inputs = _as_tuple(inputs, 'inputs', 'hessian')
    if outer_jacobian_strategy not in ('forward-mode', 'reverse-mode'):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar_func(*xs):
        return _scalar_output(func, xs, 'hessian', strict)[0].squeeze()

    def gradient(*xs):
        jac = jacobian(scalar_func, xs, create_graph=True)
        _check_strict(jac, 'jacobian', strict)
        return jac

    res = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _untuple2(res, is_inputs_tuple, is_inputs_tuple)
