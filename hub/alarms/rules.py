"""Alarm rules as data: which reading is judged by what, and against which target.

Each rule is a pure function of a reading (and, through ``Lookups``, the few other
current values it needs) that returns a Verdict or None ("not mine to judge"). ``RULES``
is the table the engine walks; adding a kind of check is adding a row. Targets come from
the site (``targets`` JSON) and the configured emission limits, never from branches on a
department or site code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from hub.alarms.targets import air_quality, noise, seawater, soil, surface_water
from hub.alarms.types import Kind, Lookups, Reading, RuleContext, Verdict, judge

log = logging.getLogger("hub.alarms")
# Flags that say the instrument is fine again (T: over range, still a working reading).
_HEALTHY_FLAGS = frozenset("NT")

Evaluate = Callable[[Reading, Lookups, RuleContext], Verdict | None]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: Kind
    evaluate: Evaluate


def emission(r: Reading, lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """A pollution source over the limit configured for it and the parameter."""
    found = lk.emission_limit(r.site.id, r.parameter)
    if found is None or not r.valid or r.value is None:
        return None
    limit, unit = found
    return judge(
        "emission_limit",
        Kind.EMISSION,
        r,
        r.value > limit,
        value=r.value,
        limit=limit,
        unit=unit,
        target=f"emission limit {limit:g} {unit}",
    )


def device(r: Reading, lk: Lookups, cx: RuleContext) -> Verdict | None:
    """A run of ``device_run`` consecutive device-fault flags (D/F/B by default)."""
    if r.flag in _HEALTHY_FLAGS:
        return judge(
            "device_flags",
            Kind.DEVICE,
            r,
            False,
            value=r.value,
            unit=r.unit,
            detail={"flag": r.flag},
        )
    if r.flag not in cx.device_flags:
        return None  # maintenance, calibration, manual values: neither fault nor recovery
    flags = lk.recent_flags(r.site.id, r.parameter, r.time, cx.device_run)
    run = len(flags) >= cx.device_run and all(f in cx.device_flags for f in flags)
    return judge(
        "device_flags",
        Kind.DEVICE,
        r,
        True,
        may_open=run,
        value=r.value,
        unit=r.unit,
        target=f"fewer than {cx.device_run} consecutive {'/'.join(cx.device_flags)} flags",
        detail={"flag": r.flag, "run": list(flags)},
    )


#: The rule table the engine walks, in order.
RULES: tuple[Rule, ...] = (
    Rule("gb3838", Kind.EXCEEDANCE, surface_water),
    Rule("gb3097", Kind.EXCEEDANCE, seawater),
    Rule("gb3096", Kind.EXCEEDANCE, noise),
    Rule("gb15618", Kind.EXCEEDANCE, soil),
    Rule("hj633", Kind.EXCEEDANCE, air_quality),
    Rule("emission_limit", Kind.EMISSION, emission),
    Rule("device_flags", Kind.DEVICE, device),
)


def evaluate(
    reading: Reading, lookups: Lookups, context: RuleContext, rules: tuple[Rule, ...] = RULES
) -> list[Verdict]:
    """Every rule's verdict on ``reading`` (rules that do not apply say nothing)."""
    out = []
    for rule in rules:
        try:
            verdict = rule.evaluate(reading, lookups, context)
        except (ArithmeticError, LookupError, ValueError) as exc:
            # Bad reference data (an unknown class label, say) must not stall the engine
            # on one reading; the rule is skipped for it and the reason logged.
            log.warning(
                "alarm rule failed on a reading",
                extra={
                    "rule": rule.name,
                    "site": reading.site.code,
                    "parameter": reading.parameter,
                    "error": repr(exc),
                },
            )
            continue
        if verdict is not None:
            out.append(verdict)
    return out
