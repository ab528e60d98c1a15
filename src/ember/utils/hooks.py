"""torch.utils.hooks: the handle returned when a hook is registered."""


def unserializable_hook(f):
    """torch.utils.hooks.unserializable_hook: marks a tensor hook that pickling its tensor may
    drop without a warning."""
    f.__torch_unserializable__ = True
    return f


class RemovableHandle:
    """torch.utils.hooks.RemovableHandle: ``handle.remove()`` unregisters a hook."""

    __slots__ = ('_hooks', '_fn', 'id')
    next_id = 0  # handles are numbered in the order they are made, as torch's

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
