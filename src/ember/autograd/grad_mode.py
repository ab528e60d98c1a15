"""Grad mode switches: torch.no_grad, enable_grad, set_grad_enabled, inference_mode."""
import functools
import inspect
import sys
import threading


class _GradState(threading.local):
    """Whether ops are recorded into the graph; one flag read on every op. Per thread,
    as in torch (a new thread starts with grad mode on)."""

    def __init__(self):
        self.enabled = True
        self.inference = False


state = _GradState()


def is_grad_enabled():
    return state.enabled


def is_inference_mode_enabled():
    return state.inference


class _GradModeContext:
    """Base of the grad-mode switches: a context manager and a decorator."""

    def __call__(self, func):
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
        self._prev = state.enabled, state.inference
        self._set()

    def __exit__(self, *exc):
        state.enabled, state.inference = self._prev


class no_grad(_GradModeContext):
    """torch.no_grad: ops run without recording the graph."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)   # used bare: @no_grad

    def _set(self):
        state.enabled = False


class enable_grad(_GradModeContext):
    """torch.enable_grad: turn recording back on inside no_grad."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)   # used bare: @enable_grad

    def _set(self):
        state.enabled = True


class set_grad_enabled(_GradModeContext):
    """torch.set_grad_enabled(mode): takes effect at once, and as a context manager."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self._prev = state.enabled, state.inference
        state.enabled = self.mode

    def __call__(self, func):
        state.enabled = self._prev[0]
        return super().__call__(func)

    def clone(self):
        return self.__class__(self.mode)

    def __enter__(self):
        pass

    def _set(self):
        state.enabled = self.mode


class inference_mode(_GradModeContext):
    """torch.inference_mode: like no_grad (ember keeps no extra inference bookkeeping)."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)   # used bare: @inference_mode

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def clone(self):
        return self.__class__(self.mode)

    def _set(self):
        if self.mode:
            state.enabled, state.inference = False, True
        else:
            state.inference = False
