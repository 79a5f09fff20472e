"""The metrics a measure may name, each with the one unit it is counted in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str
    meaning: str


def _table(*rows: tuple[str, str, str]) -> dict[str, Metric]:
    return {name: Metric(name, unit, meaning) for name, unit, meaning in rows}


METRICS: dict[str, Metric] = _table(
    ("signed_investment", "CNY", "investment of projects signed or landed (总投资 at signing)"),
    ("total_investment", "CNY", "a project's stated total investment, given at a milestone, not a signing"),
    ("projects_signed", "projects", "projects signed or landed"),
    ("projects_listed", "projects", "projects collected in a list or catalogue"),
    ("sales", "CNY", "sales achieved"),
    ("deal_value", "CNY", "value of intended deals and orders (意向成交额, 订单)"),
    ("orders", "orders", "orders placed"),
    ("people_trained", "persons", "people trained (teachers, staff, cadres on courses)"),
    ("experts", "persons", "experts sent on an exchange"),
    ("cadres_seconded", "persons", "party and government cadres seconded (跟班学习), any level"),
    ("batches", "batches", "batches in which people were sent"),
    ("staff_hired", "persons", "staff recruited"),
    ("jobs_offered", "jobs", "jobs offered"),
    ("companies_participating", "companies", "companies taking part"),
    ("organisations", "organisations", "units or organisations taking part or signing"),
    ("schools", "schools", "schools taking part"),
    ("sites", "sites", "sites, bases or venues"),
    ("products_shown", "products", "kinds of products shown or introduced"),
    ("requirements_published", "requirements", "technology requirements published"),
    ("area", "m2", "land area"),
    ("floor_area", "m2", "building floor area"),
    ("production_capacity", "vehicles_per_year", "annual production capacity"),
)
