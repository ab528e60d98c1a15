"""ember.backends.cuda: torch.backends.cuda without CUDA (``is_built()`` is False); its cuBLAS
switches keep their values, and ``matmul.allow_tf32`` is, as in torch, the float32 matmul
precision seen as a bool."""
from .. import _config
from . import check_bool

__all__ = ['is_built', 'matmul']


def is_built():
    return False


class _CuBLASModule:
    """torch.backends.cuda.matmul (torch's cuBLASModule)."""

    def __init__(self):
        state = self.__dict__
        state['allow_fp16_reduced_precision_reduction'] = True
        state['allow_bf16_reduced_precision_reduction'] = True
        state['allow_fp16_accumulation'] = False

    @property
    def allow_tf32(self):
        return _config.get_float32_matmul_precision() != 'highest'

    @allow_tf32.setter
    def allow_tf32(self, value):
        check_bool(value, 'set_allow_tf32_cublas')
        _config.set_float32_matmul_precision('high' if value else 'highest')

    def __getattr__(self, name):
        raise AttributeError(f'Unknown attribute {name}')

    def __setattr__(self, name, value):
        if name == 'allow_tf32':
            return object.__setattr__(self, name, value)
        if name == 'allow_fp16_accumulation':
            check_bool(value, 'set_allow_fp16_accumulation_cublas')
        elif name in ('allow_fp16_reduced_precision_reduction',
                      'allow_bf16_reduced_precision_reduction'):
            if not isinstance(value, (bool, tuple, list)):  # (a pair: with split-K too)
                raise TypeError(f'{name} expects a bool or a tuple/list of bools, but got '
                                f'{type(value)}')
        else:
            raise AttributeError(f'Unknown attribute {name}')
        self.__dict__[name] = value


matmul = _CuBLASModule()
