"""Tensor printing, character for character as torch/_tensor_str.py prints.

What the core calls:
    tensor_repr(t, prefix=None, contents=None)
                                      the whole repr/str of tensor ``t``: Tensor.__repr__ returns
                                      ``tensor_repr(self)``. The prefix defaults to 'tensor(', or
                                      'Name(' for a subclass Name (wrapped lines are indented by
                                      its length); ``contents`` replaces the printed values, as
                                      torch's ``__repr__(tensor_contents=...)``.
Public print options: set_printoptions (re-exported as ember.set_printoptions), and, as in
torch (only in torch._tensor_str), get_printoptions, printoptions and the live PRINT_OPTS.

The tensor needs ``_data`` (backend array), ``dtype``, ``device``, ``shape``, ``requires_grad``
and ``grad_fn`` (None or a node whose class is named e.g. 'MulBackward0'). Printing reads
``_data`` only, so nothing is recorded by autograd.
"""
import contextlib
import math

import numpy as np

from . import _dtype
from ._device import to_host
from ._tensor import Tensor


class _PrintOptions:
    """The options set_printoptions sets (a plain class: dataclasses costs 2 ms of import)."""
    __slots__ = ('precision', 'threshold', 'edgeitems', 'linewidth', 'sci_mode')

    def __init__(self):
        self.precision, self.threshold, self.edgeitems, self.linewidth = 4, 1000, 3, 80
        self.sci_mode = None

    def __repr__(self):   # torch's dataclass repr, class name included
        fields = ', '.join(f'{name}={getattr(self, name)!r}' for name in self.__slots__)
        return f'__PrinterOptions({fields})'

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None   # as a dataclass with eq


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    'default': dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    'short': dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    'full': dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """torch.set_printoptions: a profile first, then the given options; sci_mode is always set."""
    for profile_name, options in _PROFILES.items():
        if profile == profile_name:   # not a lookup: torch ignores any other value, even a list
            for name, value in options.items():
                setattr(PRINT_OPTS, name, value)
    given = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                 linewidth=linewidth)
    for name, value in given.items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current options as a dict that set_printoptions(**options) accepts."""
    return {name: getattr(PRINT_OPTS, name) for name in _PrintOptions.__slots__}


@contextlib.contextmanager
def printoptions(**kwargs):
    """Context manager that sets print options and restores the previous ones on exit."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ---------------------------------------------------------------- element formatting

def _host_array(data):
    """The backend array as a NumPy array (CuPy arrays are copied to the host).

    bfloat16 is widened to float32 exactly, so later code sees only NumPy's own dtypes.
    """
    array = to_host(data)
    if array.dtype == _dtype.bfloat16.np:
        array = array.astype(np.float32)
    return array


class _Formatter:
    """How the elements of one real tensor print: a mode and a common width (torch's _Formatter).

    Floats print in int mode (``1.``) when every nonzero finite value is integral, in
    scientific notation when their magnitudes span over 1000x or leave [1e-4, 1e8]
    (unless PRINT_OPTS.sci_mode forces it), else fixed-point with PRINT_OPTS.precision.
    """

    def __init__(self, values):
        self.floating = values.dtype.kind == 'f'
        self.int_mode = True
        self.sci_mode = False
        if not self.floating:
            self.width = max(map(len, map(str, values.ravel().tolist())), default=1)
            return
        values = values.ravel()
        values = values[np.isfinite(values) & (values != 0)]
        self.width = 1
        if values.size == 0:
            return
        magnitudes = np.abs(values)
        low, high = float(magnitudes.min()), float(magnitudes.max())
        self.int_mode = bool(np.all(values == np.ceil(values)))
        self.sci_mode = PRINT_OPTS.sci_mode
        if self.sci_mode is None:
            self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        self.width = max(map(len, map(self.text, values.tolist())))

    def text(self, value):
        """``value`` (a Python number) as printed, without padding."""
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f'{value:.{PRINT_OPTS.precision}e}'
        if self.int_mode:
            return f'{value:.0f}' + ('.' if math.isfinite(value) else '')
        return f'{value:.{PRINT_OPTS.precision}f}'

    def format(self, value):
        """``value`` as printed, right-aligned to the common width."""
        return self.text(value).rjust(self.width)


def _complex_text(value, real_formatter, imag_formatter):
    """A complex element: padded real part, then the imaginary part with its sign and 'j'."""
    real = real_formatter.format(value.real)
    imag = (imag_formatter.format(value.imag) + 'j').lstrip()
    return real + imag if imag[0] in '+-' else real + '+' + imag


class _ElementPrinter:
    """Formats elements of one tensor; complex tensors use one formatter per component."""

    def __init__(self, array):
        if array.dtype.kind == 'c':
            self.formatters = (_Formatter(array.real), _Formatter(array.imag))
        else:
            self.formatters = (_Formatter(array),)

    def width(self):
        """Columns one element takes in a row, with its ', ' separator (and 'j' if complex)."""
        width = sum(f.width for f in self.formatters) + len(', ')
        return width + len('j') if len(self.formatters) == 2 else width

    def format(self, value):
        """One element (a Python number) as printed."""
        if len(self.formatters) == 2:
            return _complex_text(value, *self.formatters)
        return self.formatters[0].format(value)


# ---------------------------------------------------------------- layout

def _edge_rows(length):
    """The row indices printed along an axis of ``length`` when summarizing, or None for all.

    torch's range(edgeitems) and range(length - edgeitems, length): an edgeitems that is no
    int raises its TypeError, a negative one gives no rows.
    """
    edge = PRINT_OPTS.edgeitems
    if length > 2 * edge:
        return list(range(edge)) + list(range(length - edge, length))
    return None


def _edge_slices(vector):
    """The first and last PRINT_OPTS.edgeitems elements of a 1-d array, sliced as torch does
    (``v[:edge]``, ``v[-edge:]``): a negative edgeitems gives overlapping parts."""
    edge = PRINT_OPTS.edgeitems
    return vector[:edge], vector[-edge:]


def _summarized_values(array):
    """The elements that a summarized print shows (torch's get_summarized_data).

    Only which values appear matters: they decide the formatter's mode and width.
    """
    if array.ndim >= 2 and not PRINT_OPTS.edgeitems:
        return array[(slice(0, 0),) * array.ndim]   # torch's new_empty: no values
    for axis, length in enumerate(array.shape[:-1]):
        rows = _edge_rows(length)
        if rows == []:   # a negative edgeitems: torch stacks no rows
            raise RuntimeError('stack expects a non-empty TensorList')
        if rows is not None:
            array = array.take(rows, axis=axis)
    if array.ndim and array.shape[-1] > 2 * PRINT_OPTS.edgeitems:
        head, tail = _edge_slices(range(array.shape[-1]))
        array = array.take([*head, *tail], axis=-1)
    return array


def _vector_str(vector, indent, summarize, printer):
    """A 1-d array as '[a, b, ...]', wrapped to PRINT_OPTS.linewidth."""
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / printer.width()))
    if summarize and not PRINT_OPTS.edgeitems:
        items = ['...']
    elif summarize and len(vector) > 2 * PRINT_OPTS.edgeitems:
        head, tail = _edge_slices(vector)
        items = ([printer.format(v) for v in head.tolist()] + [' ...']
                 + [printer.format(v) for v in tail.tolist()])
    else:
        items = [printer.format(v) for v in vector.tolist()]
    lines = [', '.join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return '[' + (',\n' + ' ' * (indent + 1)).join(lines) + ']'


def _nested_str(array, indent, summarize, printer):
    """An n-d array as nested brackets; blank lines between blocks grow with the depth."""
    if array.ndim == 0:
        return printer.format(array.item())
    if array.ndim == 1:
        return _vector_str(array, indent, summarize, printer)
    rows = _edge_rows(len(array)) if summarize else None
    shown = array if rows is None else array[rows]
    slices = [_nested_str(row, indent + 1, summarize, printer) for row in shown]
    if rows is not None:
        slices.insert(PRINT_OPTS.edgeitems, '...')
    separator = ',' + '\n' * (array.ndim - 1) + ' ' * (indent + 1)
    return '[' + separator.join(slices) + ']'


def _contents_str(array, indent):
    """The bracketed values of a nonempty host array printed after a prefix of width ``indent``."""
    summarize = array.size > PRINT_OPTS.threshold
    printer = _ElementPrinter(_summarized_values(array) if summarize else array)
    return _nested_str(array, indent, summarize, printer)


# ---------------------------------------------------------------- suffixes and the whole repr

def _is_default_dtype(dtype):
    """Whether a nonempty tensor of ``dtype`` prints without a dtype= suffix."""
    return dtype in (_dtype.get_default_dtype(), _dtype.default_complex_dtype(),
                     _dtype.int64, _dtype.bool)


def _size_and_dtype_suffixes(tensor):
    """'size=' and 'dtype=' suffixes; tensors showing no values state their dtype unless default."""
    shape = tuple(tensor.shape)
    if tensor.device.type == 'meta' or math.prod(shape) == 0:
        show_size = tensor.device.type == 'meta' or len(shape) != 1
        show_dtype = tensor.dtype is not _dtype.get_default_dtype()
    else:
        show_size = not PRINT_OPTS.edgeitems
        show_dtype = not _is_default_dtype(tensor.dtype)
    return [f'size={shape}'] * show_size + [f'dtype={tensor.dtype}'] * show_dtype


def _suffixes(tensor):
    """The ', key=value' annotations after the values, in torch's order."""
    suffixes = []
    if tensor.device.type != 'cpu':
        suffixes.append(f"device='{tensor.device}'")
    suffixes += _size_and_dtype_suffixes(tensor)
    try:
        grad_fn = tensor.grad_fn
        name = None if grad_fn is None else type(grad_fn).__name__  # not name(): CopySlices
    except RuntimeError:  # a view that can't be re-derived after an in-place write
        name = 'Invalid'
    if name is not None:
        suffixes.append(f'grad_fn=<{name}>')
    elif tensor.requires_grad:
        suffixes.append('requires_grad=True')
    return suffixes


def _add_suffixes(text, suffixes, indent):
    """Appends the suffixes and ')', moving one to a new line when it would pass the linewidth."""
    parts = [text]
    last_line_length = len(text) - text.rfind('\n') + 1  # torch counts 2 extra columns
    for suffix in suffixes:
        if last_line_length + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(',\n' + ' ' * indent + suffix)
            last_line_length = indent + len(suffix)
        else:
            parts.append(', ' + suffix)
            last_line_length += len(suffix) + 2
    return ''.join(parts) + ')'


def _contents(tensor, indent):
    """The values part: '...' for meta tensors (they hold none), '[]' when empty."""
    if tensor.device.type == 'meta':
        return '...'
    array = _host_array(tensor._data)
    return _contents_str(array, indent) if array.size else '[]'


def _default_prefix(tensor):
    """'tensor(' for a Tensor, 'Name(' for an instance of a subclass Name (torch's _str_intern)."""
    return 'tensor(' if type(tensor) is Tensor else f'{type(tensor).__name__}('


def tensor_repr(tensor, prefix=None, contents=None):
    """The repr (and str) of ``tensor``, as torch prints it: ``prefix`` + values + suffixes."""
    prefix = _default_prefix(tensor) if prefix is None else prefix
    indent = len(prefix)
    contents = _contents(tensor, indent) if contents is None else contents
    return _add_suffixes(prefix + contents, _suffixes(tensor), indent)
