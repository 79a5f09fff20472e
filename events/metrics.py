"""The metrics a measure may name, each with the one unit it is counted in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    """`additive`: figures of different items add up to a total of distinct things
    (investment signed, people trained). Counts of appearances do not (the companies at
    one fair and at the next may be the same companies): their total is the items, not a sum."""

    name: str
    unit: str
    meaning: str
    additive: bool = True


ADDS, APPEARS = True, False


def _table(*rows: tuple[str, str, str, bool]) -> dict[str, Metric]:
    return {name: Metric(name, unit, meaning, additive) for name, unit, meaning, additive in rows}


METRICS: dict[str, Metric] = _table(
    ("signed_investment", "CNY", "investment of projects signed or landed (总投资 at signing)", ADDS),
    ("total_investment", "CNY", "a project's stated total investment, given at a milestone, not a signing", APPEARS),
    ("projects_signed", "projects", "projects signed or landed", ADDS),
    ("projects_listed", "projects", "projects collected in a list or catalogue", APPEARS),
    ("sales", "CNY", "sales achieved", ADDS),
    ("intended_deal_value", "CNY", "value of intended deals (意向成交额), not yet orders", ADDS),
    ("order_value", "CNY", "value of orders placed (订单)", ADDS),
    ("orders", "orders", "orders placed", ADDS),
    # Stores written before the split hold this one: still read, never summed; correct
    # such an item to one of the two above.
    ("deal_value", "CNY", "intended deals and orders together (before the split into the two above)", APPEARS),
    ("people_trained", "persons", "people trained (teachers, staff, cadres on courses)", ADDS),
    ("experts", "persons", "experts sent on an exchange", APPEARS),
    ("cadres_seconded", "persons", "party and government cadres seconded (跟班学习), any level", ADDS),
    ("batches", "batches", "batches in which people were sent", ADDS),
    ("staff_hired", "persons", "staff recruited", ADDS),
    ("jobs_offered", "jobs", "jobs offered", ADDS),
    ("companies_participating", "companies", "companies taking part", APPEARS),
    ("organisations", "organisations", "units or organisations taking part or signing", APPEARS),
    ("schools", "schools", "schools taking part", APPEARS),
    ("sites", "sites", "sites, bases or venues", APPEARS),
    ("products_shown", "products", "kinds of products shown or introduced", APPEARS),
    ("requirements_published", "requirements", "technology requirements published", ADDS),
    ("area", "m2", "land area", APPEARS),
    ("floor_area", "m2", "building floor area", APPEARS),
    ("production_capacity", "vehicles_per_year", "annual production capacity", ADDS),
)
