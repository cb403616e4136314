"""QC rules as data: one ParameterRules per parameter, expected intervals per network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Range:
    """Plausible values, both ends inclusive; None leaves that side open."""

    min_value: float | None = None
    max_value: float | None = None

    def __post_init__(self) -> None:
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValueError(f"range minimum {self.min_value} exceeds maximum {self.max_value}")


@dataclass(frozen=True, slots=True)
class ParameterRules:
    """How one parameter is checked.

    `flatline_run` is N: N or more values in a row within `flatline_tolerance` (absolute, in the
    parameter's unit) are suspect; None switches the check off. `max_rate_per_hour` is the
    largest plausible change per hour; None switches the rate/spike check off.
    """

    parameter: str
    plausible: Range = field(default_factory=Range)
    site_ranges: Mapping[str, Range] = field(default_factory=dict)
    max_rate_per_hour: float | None = None
    flatline_run: int | None = 6
    flatline_tolerance: float = 0.0

    def __post_init__(self) -> None:
        if self.max_rate_per_hour is not None and self.max_rate_per_hour <= 0:
            raise ValueError("max_rate_per_hour must be positive")
        # A "run" of one value is every value; two is the least that can repeat.
        if self.flatline_run is not None and self.flatline_run < 2:
            raise ValueError("flatline_run must be at least 2")
        if self.flatline_tolerance < 0:
            raise ValueError("flatline_tolerance must not be negative")

    def range_for(self, site: str | None) -> Range:
        """The site's override when one is set, else the parameter's plausible range."""
        if site is not None and site in self.site_ranges:
            return self.site_ranges[site]
        return self.plausible


@dataclass(frozen=True, slots=True)
class QcConfig:
    """Rules for every parameter and the expected reporting interval of every network."""

    parameters: Mapping[str, ParameterRules] = field(default_factory=dict)
    # None: the network samples by campaign, so missing data is not judged on a clock.
    expected_intervals: Mapping[str, timedelta | None] = field(default_factory=dict)

    def rules_for(self, parameter: str) -> ParameterRules:
        """Rules for the parameter; an unknown parameter gets only the rule-free checks."""
        return self.parameters.get(parameter) or ParameterRules(parameter)

    def expected_interval(self, network: str) -> timedelta | None:
        """How often the network should report, or None when it has no fixed clock."""
        return self.expected_intervals.get(network)
