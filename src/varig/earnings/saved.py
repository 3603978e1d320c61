"""A saved calculation's snapshot: the calculator's result and the rates it used as JSON, and
back. What was saved is shown again exactly, whatever happened to the rates since."""

import datetime
from dataclasses import fields
from decimal import Decimal

from . import calculator
from .models import Rate

RATE_FIELDS = (
    "year",
    "key",
    "municipality",
    "value",
    "unit",
    "source_title",
    "source_url",
    "publisher",
    "retrieved_on",
    "confidence",
)


def _dec(value) -> str | None:
    return None if value is None else str(value)


def _undec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def scenario_to_dict(scenario: calculator.Scenario) -> dict:
    return {f.name: _dec(getattr(scenario, f.name)) for f in fields(calculator.Scenario)}


def scenario_from_dict(data: dict) -> calculator.Scenario:
    return calculator.Scenario(
        **{f.name: _undec(data[f.name]) for f in fields(calculator.Scenario)}
    )


def _point_to_dict(point: calculator.IncomePoint) -> dict:
    return {
        "income_basis": _dec(point.income_basis),
        "gross": _dec(point.gross),
        "hours_per_week": _dec(point.hours_per_week),
        "already": point.already,
    }


def _point_from_dict(data: dict) -> calculator.IncomePoint:
    return calculator.IncomePoint(
        income_basis=_undec(data["income_basis"]),
        gross=_undec(data["gross"]),
        hours_per_week=_undec(data["hours_per_week"]),
        already=bool(data["already"]),
    )


def result_to_dict(result: calculator.Result) -> dict:
    return {
        "without_work": scenario_to_dict(result.without_work),
        "with_work": scenario_to_dict(result.with_work),
        "kept": _dec(result.kept),
        "extra_100_kept": _dec(result.extra_100_kept),
        "average_100_kept": _dec(result.average_100_kept),
        "zero": _point_to_dict(result.zero),
        "reduction": _point_to_dict(result.reduction),
        "chart": [[hours, _dec(gross), _dec(kept)] for hours, gross, kept in result.chart],
        "used_keys": list(result.used_keys),
    }


def result_from_dict(inputs: calculator.Inputs, data: dict) -> calculator.Result:
    return calculator.Result(
        inputs=inputs,
        without_work=scenario_from_dict(data["without_work"]),
        with_work=scenario_from_dict(data["with_work"]),
        kept=_undec(data["kept"]),
        extra_100_kept=_undec(data["extra_100_kept"]),
        average_100_kept=_undec(data["average_100_kept"]),
        zero=_point_from_dict(data["zero"]),
        reduction=_point_from_dict(data["reduction"]),
        chart=[(int(h), _undec(g), _undec(k)) for h, g, k in data["chart"]],
        used_keys=list(data["used_keys"]),
    )


def rate_to_dict(rate: Rate) -> dict:
    data = {name: getattr(rate, name) for name in RATE_FIELDS}
    data["value"] = str(rate.value)
    data["retrieved_on"] = rate.retrieved_on.isoformat() if rate.retrieved_on else None
    data["rate_id"] = rate.pk
    return data


def rate_from_dict(data: dict) -> Rate:
    """An unsaved Rate with the copied figure (for display only; never saved)."""
    values = {name: data.get(name) for name in RATE_FIELDS}
    values["value"] = Decimal(values["value"])
    values["municipality"] = values["municipality"] or ""
    values["source_title"] = values["source_title"] or ""
    values["source_url"] = values["source_url"] or ""
    if values["retrieved_on"]:
        values["retrieved_on"] = datetime.date.fromisoformat(values["retrieved_on"])
    return Rate(**values)
