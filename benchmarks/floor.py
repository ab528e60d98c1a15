"""The floor: the tutorial's loop in the leanest pure-Python autograd we could write, to show
what any pure-Python implementation pays for it before it is torch-like.

A tensor of five slots, a closure per recorded op for its backward, a depth-first
topological sort, Adam written in NumPy as ``numpy_loop`` writes it. None of torch's
semantics: no type promotion, views, version counters, hooks, node names or argument checks;
its random numbers are not torch's stream and its Adam is not bit-exact with torch's. It
implements exactly what the loop calls (``torch_like_loop(floor, steps)`` runs it), no more.
"""
import numpy as np


class Tensor:
    __slots__ = ('data', 'grad', 'backward_fn', 'parents', 'requires_grad')

    def __init__(self, data, backward_fn=None, parents=()):
        self.data = data
        self.grad = None
        self.backward_fn = backward_fn   # gradient of the output -> one per parent (or None)
        self.parents = parents
        self.requires_grad = backward_fn is not None

    def __mul__(self, other):
        a, b = self.data, _data(other)
        if _any_requires_grad(self, other):
            return Tensor(a * b, lambda grad: (grad * b, grad * a), (self, other))
        return Tensor(a * b)

    __rmul__ = __mul__

    def __add__(self, other):
        if _any_requires_grad(self, other):
            return Tensor(self.data + _data(other), lambda grad: (grad, grad), (self, other))
        return Tensor(self.data + _data(other))

    __radd__ = __add__

    def __sub__(self, other):
        if _any_requires_grad(self, other):
            return Tensor(self.data - _data(other), lambda grad: (grad, -grad), (self, other))
        return Tensor(self.data - _data(other))

    def __matmul__(self, other):
        a, b = self.data, other.data
        if _any_requires_grad(self, other):
            need_a, need_b = self.requires_grad, other.requires_grad
            return Tensor(a.dot(b), lambda grad: (grad.dot(b.T) if need_a else None,
                                                  a.T.dot(grad) if need_b else None),
                          (self, other))
        return Tensor(a.dot(b))

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    def detach(self):
        return Tensor(self.data)

    def numpy(self):
        return self.data

    def backward(self):
        """Each node's gradient, in reverse topological order; leaves accumulate theirs."""
        grads = {id(self): np.ones_like(self.data)}
        for node in reversed(_topological_order(self)):
            grad = grads.pop(id(node))
            if node.backward_fn is None:
                node.grad = grad if node.grad is None else node.grad + grad
                continue
            for parent, parent_grad in zip(node.parents, node.backward_fn(grad)):
                if parent_grad is not None and parent.__class__ is Tensor and parent.requires_grad:
                    key = id(parent)
                    grads[key] = grads[key] + parent_grad if key in grads else parent_grad


def _data(value):
    return value.data if value.__class__ is Tensor else value


def _any_requires_grad(a, b):
    return a.requires_grad or (b.__class__ is Tensor and b.requires_grad)


def _topological_order(root):
    """The nodes that require grad, each after every node it reads (iterative DFS)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents
                         if parent.__class__ is Tensor and parent.requires_grad)
    return order


_bits = np.random.MT19937(0)


def manual_seed(seed):
    global _bits
    _bits = np.random.MT19937(seed)


def randn(shape):
    return Tensor(np.random.Generator(_bits).standard_normal(shape, np.float32))


def rand(n):
    """U[0, 1) from the low 24 bits of 32-bit draws, as torch's float32 rand does."""
    bits = _bits.random_raw(n)
    bits &= 0xFFFFFF
    values = bits.astype(np.float32)
    values *= np.float32(2 ** -24)
    return Tensor(values)


def ones_like(tensor):
    return Tensor(np.ones_like(tensor.data))


def stack(tensors, dim):
    """(Its inputs never require grad in the loop.)"""
    return Tensor(np.stack([t.data for t in tensors], dim))


def squeeze(tensor, dim):
    out = tensor.data.squeeze(dim)
    if tensor.requires_grad:
        shape = tensor.data.shape
        return Tensor(out, lambda grad: (grad.reshape(shape),), (tensor,))
    return Tensor(out)


class nn:
    class functional:
        @staticmethod
        def mse_loss(input, target):
            diff = input.data - target.data
            scale = 2 / diff.size
            need_input, need_target = input.requires_grad, target.requires_grad
            return Tensor((diff * diff).mean(),
                          lambda grad: (grad * scale * diff if need_input else None,
                                        -grad * scale * diff if need_target else None),
                          (input, target))


class optim:
    class Adam:
        def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
            self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
            self.moments = [(np.zeros_like(p.data), np.zeros_like(p.data)) for p in params]
            self.steps = 0

        def zero_grad(self):
            for p in self.params:
                p.grad = None

        def step(self):
            self.steps += 1
            beta1, beta2 = self.betas
            step_size = np.float32(self.lr / (1 - beta1 ** self.steps))
            root_correction = np.float32((1 - beta2 ** self.steps) ** 0.5)
            for p, (exp_avg, exp_avg_sq) in zip(self.params, self.moments):
                grad = p.grad
                exp_avg += (grad - exp_avg) * np.float32(1 - beta1)
                exp_avg_sq *= np.float32(beta2)
                exp_avg_sq += grad * grad * np.float32(1 - beta2)
                denom = np.sqrt(exp_avg_sq) / root_correction + np.float32(self.eps)
                p.data -= exp_avg / denom * step_size
