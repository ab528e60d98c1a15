"""Submodules a package imports on first use (PEP 562), so that ``import ember`` stays fast."""
import importlib


def lazy_submodules(package, names, namespace):
    """The module-level ``__getattr__`` and ``__dir__`` of ``package`` (its globals are
    ``namespace``), under which its submodules ``names`` are imported when first named."""
    def __getattr__(name):
        if name in names:
            return importlib.import_module(f'{package}.{name}')
        raise AttributeError(f"module '{package}' has no attribute '{name}'")

    def __dir__():
        return sorted({*namespace, *names})

    return __getattr__, __dir__
