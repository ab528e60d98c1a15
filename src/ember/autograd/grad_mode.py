"""Grad mode switches: torch.no_grad, enable_grad, set_grad_enabled, inference_mode."""
import functools
import sys
import threading
import warnings

from .. import _tensor

__all__ = ['no_grad', 'enable_grad', 'set_grad_enabled', 'inference_mode',
           'set_multithreading_enabled', 'enforce_grad_layout_policy']


class _GradState(threading.local):
    """Grad mode (``grad_mode``, what torch.is_grad_enabled() says), inference mode, and
    whether ops are recorded into the graph (``enabled``: grad mode outside inference mode,
    the one flag read on every op). Per thread, as in torch (a new thread starts with grad
    mode on)."""

    def __init__(self):
        self.enabled = self.grad_mode = True
        self.inference = False
        self.multithreading = True
        self.grad_layout = True


state = _GradState()


def is_grad_enabled(*args, **kwargs):
    """torch.is_grad_enabled (a builtin taking no arguments: its TypeErrors)."""
    if args or kwargs:
        _no_arguments('is_grad_enabled', args, kwargs)
    return state.grad_mode


def _no_arguments(name, args, kwargs):
    """The TypeError of a torch builtin that takes no arguments."""
    if kwargs:
        raise TypeError(f'torch.{name}() takes no keyword arguments')
    raise TypeError(f'torch.{name}() takes no arguments ({len(args)} given)')


def set_grad_mode(flag):
    """Grad mode on or off in this thread; ops record only while it is on outside inference
    mode (in inference mode, enable_grad changes what is_grad_enabled says, nothing else)."""
    state.grad_mode = flag
    state.enabled = flag and not state.inference


def is_inference_mode_enabled(*args, **kwargs):
    """torch.is_inference_mode_enabled (a builtin taking no arguments: its TypeErrors)."""
    if args or kwargs:
        _no_arguments('is_inference_mode_enabled', args, kwargs)
    return state.inference


def is_multithreading_enabled():
    """torch.autograd.is_multithreading_enabled (the flag set_multithreading_enabled sets)."""
    return state.multithreading


_inference_threads = 0
_inference_lock = threading.Lock()


def _set_inference(flag):
    """Turn inference mode on or off in this thread. While any thread has it on, new
    tensors ask for their thread's mode (inference tensors get an InferenceCounter);
    otherwise tensor creation pays nothing for it."""
    global _inference_threads
    if state.inference == flag:
        return
    state.inference = flag
    state.enabled = state.grad_mode and not flag
    with _inference_lock:
        _inference_threads += 1 if flag else -1
        _tensor._new_counter = (_tensor._thread_counter if _inference_threads
                                else _tensor.VersionCounter)


class _GradModeContext:
    """Base of the grad-mode switches: a context manager and a decorator."""

    def __call__(self, func):
        import inspect  # only when decorating: it is slow to import
        if inspect.isclass(func):
            warnings.warn(
                'Decorating classes is deprecated and will be disabled in future versions. You '
                'should only decorate functions or methods. To preserve the current behavior of '
                'class decoration, you can directly decorate the `__init__` method and nothing '
                'else.', FutureWarning, stacklevel=2)
            cls = func
            func = lambda *args, **kwargs: cls(*args, **kwargs)  # noqa: E731
        if inspect.isgeneratorfunction(func):
            return self._wrap_generator(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def _wrap_generator(self, func):
        """The mode holds while the generator runs, not while its caller does (as torch)."""
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            gen = func(*args, **kwargs)
            try:
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    except BaseException:
                        with self.clone():
                            response = gen.throw(sys.exc_info()[1])
                    else:
                        with self.clone():
                            response = gen.send(request)
            except StopIteration as stop:
                return stop.value
        return wrapper

    def clone(self):
        return self.__class__()

    def __enter__(self):
        raise NotImplementedError

    def __exit__(self, *exc):
        raise NotImplementedError


class _NoParamDecoratorContextManager(_GradModeContext):
    """A switch that also decorates bare (``@no_grad``, as ``@no_grad()``): no_grad and
    enable_grad, which switch to their mode and back."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self):
        self.prev = state.grad_mode
        set_grad_mode(self.mode)

    def __exit__(self, *exc):
        set_grad_mode(self.prev)


class no_grad(_NoParamDecoratorContextManager):
    """torch.no_grad: ops run without recording the graph."""
    mode = False

    def __init__(self):
        self.prev = False   # (torch's: a no_grad exited unentered disables)


class enable_grad(_NoParamDecoratorContextManager):
    """torch.enable_grad: turn recording back on inside no_grad."""
    mode = True


class set_grad_enabled(_GradModeContext):
    """torch.set_grad_enabled(mode): takes effect at once, and as a context manager."""

    def __init__(self, mode):
        if mode.__class__ is not bool:
            raise TypeError("set_grad_enabled(): argument 'enabled' (position 1) must be bool, "
                            f'not {type(mode).__name__}')
        self.prev = state.grad_mode
        self.mode = mode
        set_grad_mode(mode)

    def __call__(self, func):
        set_grad_mode(self.prev)
        return super().__call__(func)

    def __enter__(self):  # (prev stays the mode before it was made)
        set_grad_mode(self.mode)

    def __exit__(self, *exc):
        set_grad_mode(self.prev)

    def __repr__(self):
        return f'{type(self).__module__}.{type(self).__qualname__}(mode={self.mode})'

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_GradModeContext):
    """torch.inference_mode: no_grad that also makes the new tensors inference tensors."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)   # used bare: @inference_mode

    def __init__(self, mode=True):
        self.mode = mode

    def clone(self):
        return self.__class__(self.mode)

    def __enter__(self):  # (torch's InferenceMode guard: its name for the state it restores)
        self._inference_mode_context = state.grad_mode, state.inference
        set_grad_mode(not self.mode)  # inference_mode(False) turns grad mode on, as torch's
        _set_inference(self.mode)

    def __exit__(self, *exc):
        grad, inference = self._inference_mode_context
        _set_inference(inference)
        set_grad_mode(grad)


class _ThreadFlag(_GradModeContext):
    """A per-thread engine flag set at once, restored on exit (ember only remembers it:
    its backward runs on the calling thread and keeps gradient layouts as computed)."""
    flag = None

    def __init__(self, mode=True):
        self.prev = getattr(state, self.flag)
        setattr(state, self.flag, bool(mode))
        self.mode = mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        setattr(state, self.flag, self.prev)

    def clone(self):
        return self.__class__(self.mode)


class set_multithreading_enabled(_ThreadFlag):
    """torch.autograd.set_multithreading_enabled(mode)."""
    flag = 'multithreading'

    def __init__(self, mode):
        super().__init__(mode)


class enforce_grad_layout_policy(_ThreadFlag):
    """torch.autograd.grad_mode.enforce_grad_layout_policy(enable=True)."""
    flag = 'grad_layout'

    def __init__(self, enable=True):
        super().__init__(enable)

    def __call__(self, func):
        setattr(state, self.flag, self.prev)
        return super().__call__(func)


class _unsafe_preserve_version_counter(_GradModeContext):
    """torch.autograd._unsafe_preserve_version_counter(tensors): their versions are put back
    on exit, so that version checks don't see the writes made inside."""

    def __init__(self, tensors):
        self.tensors = (tensors,) if isinstance(tensors, _tensor.Tensor) else tensors
        if not isinstance(self.tensors, tuple):
            raise AssertionError('Expected tensors to be a tuple')
        self.prev_versions = tuple(t._version for t in self.tensors)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        for tensor, version in zip(self.tensors, self.prev_versions):
            tensor._vc.value = version


_DecoratorContextManager = _GradModeContext  # (torch.utils._contextlib's name)
