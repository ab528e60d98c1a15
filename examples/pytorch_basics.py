"""The PyTorch basics tutorial (shared/seed/pytorch_basics.md), run on ember.

Every block of the tutorial, in order, with only the import changed. Two additions:
``torch.manual_seed(0)`` at the top so the printed numbers are reproducible (and equal
to torch's for the same seed), and the "add two vectors" block adds two vectors: the
tutorial's ``x`` and ``y`` at that point are 3x5 and 5x4 matrices, which don't broadcast.
"""
import numpy as np
import ember as torch

torch.manual_seed(0)

# Tensors
a = torch.tensor(3)
print(a)  # tensor(3)

b = torch.tensor([1, 2])
print(b)  # tensor([1, 2])

c = torch.zeros([2, 2])
print(c)  # tensor([[0., 0.],
          #         [0., 0.]])

d = torch.rand([2, 2, 2])

x = torch.randn([3, 5])
y = torch.randn([5, 4])
z = x @ y
print(z)

x, y = torch.randn([5]), torch.randn([5])
z = x + y

print(z.numpy())

x = torch.tensor(np.random.normal([3, 5]))
print(x.dtype)

# Automatic differentiation
x = torch.tensor(1.0, requires_grad=True)


def u(x):
    return x * x


def g(u):
    return -u


dgdx = torch.autograd.grad(g(u(x)), x)[0]
print(dgdx)  # tensor(-2.)

# Curve fitting
w = torch.tensor(torch.randn([3, 1]), requires_grad=True)

opt = torch.optim.Adam([w], 0.1)


def model(x):
    f = torch.stack([x * x, x, torch.ones_like(x)], 1)
    yhat = torch.squeeze(f @ w, 1)
    return yhat


def compute_loss(y, yhat):
    loss = torch.nn.functional.mse_loss(yhat, y)
    return loss


def generate_data():
    x = torch.rand(100) * 20 - 10
    y = 5 * x * x + 3
    return x, y


def train_step():
    x, y = generate_data()
    yhat = model(x)
    loss = compute_loss(y, yhat)

    opt.zero_grad()
    loss.backward()
    opt.step()


for _ in range(1000):
    train_step()

print(w.detach().numpy())
