"""When the reference's CPU kernels load their compiled (numba) forms: at once for a large input,
else once a kernel's inputs add up to the budget; never without numba."""

from __future__ import annotations

import pytest

from reference_impl.kernels.cpu import optional_jit

pytest.importorskip("numba")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No compiled module loaded or input seen yet, and a small budget."""
    monkeypatch.setattr(optional_jit, "_loaded", {})
    monkeypatch.setattr(optional_jit, "_seen", {})
    monkeypatch.setattr(optional_jit, "EAGER", 1000)
    monkeypatch.setattr(optional_jit, "BUDGET", 100)
    monkeypatch.delenv("TFCONF_NO_NUMBA", raising=False)


def test_small_inputs_use_numpy_until_they_add_up_to_the_budget(fresh: None) -> None:
    for _ in range(9):
        assert optional_jit.for_input("ftz_jit", 10) is None
    assert not optional_jit.loaded("ftz_jit")
    module = optional_jit.for_input("ftz_jit", 10)
    assert module is not None and module.__name__.endswith("ftz_jit")
    assert optional_jit.for_input("ftz_jit", 1) is module  # loaded: even the smallest input


def test_each_kernel_has_its_own_budget(fresh: None) -> None:
    assert optional_jit.for_input("ftz_jit", 99) is None
    assert optional_jit.for_input("reduce_jit", 99) is None
    assert not optional_jit.loaded("ftz_jit") and not optional_jit.loaded("reduce_jit")


def test_a_large_input_loads_at_once(fresh: None) -> None:
    assert optional_jit.for_input("reduce_jit", 1000) is not None
    assert optional_jit.loaded("reduce_jit")


def test_without_numba_every_input_uses_numpy(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFCONF_NO_NUMBA", "1")
    assert optional_jit.for_input("reduce_jit", 10**9) is None
    assert optional_jit.for_input("reduce_jit", 10**9) is None
    assert not optional_jit.loaded("reduce_jit")
