"""ember.accelerator against torch's CPU-only build: no accelerator."""
import pytest

from helpers import check, cpu_only_torch

pytestmark = cpu_only_torch


@pytest.mark.parametrize('code', [
    'T.accelerator.is_available()', 'T.accelerator.current_accelerator()',
    'T.accelerator.current_accelerator(check_available=True)', 'T.accelerator.device_count()',
    'T.accelerator.current_device_index()', 'T.accelerator.synchronize()',
    'T.accelerator.set_device_index(0)', "T.accelerator.set_device_index('cpu')",
    "T.accelerator.set_device_index('cuda:1')", 'T.accelerator.set_device_index(None)',
])
def test_no_accelerator(code):
    check(lambda T: eval(code, {'T': T}), match_message=True)


def test_quickstart_device_idiom_picks_the_cpu():
    """The device choice of PyTorch's quickstart tutorial."""
    def run(T):
        device = (T.accelerator.current_accelerator().type if T.accelerator.is_available()
                  else 'cpu')
        return T.zeros(2, device=device).device
    check(run)
