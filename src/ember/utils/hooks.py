"""torch.utils.hooks: the handle returned when a hook is registered."""


class RemovableHandle:
    """torch.utils.hooks.RemovableHandle: ``handle.remove()`` unregisters a hook."""

    __slots__ = ('_hooks', '_fn')

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
