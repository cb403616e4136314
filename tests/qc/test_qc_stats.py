from fractions import Fraction
from math import comb

import pytest

from hub.qc.stats import binomial_upper_tail


def test_exact_tail_matches_textbook_values() -> None:
    assert binomial_upper_tail(60, 100) == pytest.approx(0.0284439668, rel=1e-9)
    assert binomial_upper_tail(10, 10) == pytest.approx(1 / 1024, rel=1e-12)
    assert binomial_upper_tail(8, 20, 0.25) == pytest.approx(0.1018118569, rel=1e-9)


def test_tail_edges() -> None:
    assert binomial_upper_tail(0, 50) == 1.0
    assert binomial_upper_tail(51, 50) == 0.0
    assert binomial_upper_tail(0, 0) == 1.0


def test_normal_approximation_for_large_n_is_close_to_the_exact_tail() -> None:
    n, k = 2000, 1090
    exact = float(Fraction(sum(comb(n, i) for i in range(k, n + 1)), 2**n))
    assert binomial_upper_tail(k, n) == pytest.approx(exact, rel=0.05)


@pytest.mark.parametrize(("n", "p"), [(-1, 0.5), (10, 0.0), (10, 1.0)])
def test_nonsense_arguments_are_refused(n: int, p: float) -> None:
    with pytest.raises(ValueError):
        binomial_upper_tail(1, n, p)
