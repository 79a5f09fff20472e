"""One name for each actor and place, whatever the source calls it."""

from __future__ import annotations

# The scope for figures both sides report together ("两地", "双方").
BOTH = "闵行区·淮南市"

ALIASES: dict[str, str] = {
    "闵行": "闵行区",
    "上海市闵行区": "闵行区",
    "闵行区政府": "闵行区",
    "淮南": "淮南市",
    "安徽省淮南市": "淮南市",
    "我市": "淮南市",
    "淮南市政府": "淮南市",
    "淮南市人民政府": "淮南市",
    "闵行区人民政府": "闵行区",
    "大通区": "大通区",
    "新虹街道": "新虹街道",
    "闵行区新虹街道": "新虹街道",
    "莘庄工业区": "莘庄工业区",
    "上海莘庄工业区": "莘庄工业区",
    "闵行区莘庄工业区": "莘庄工业区",
    "高新区": "淮南高新区",
    "淮南高新区": "淮南高新区",
    "淮南经开区": "淮南经开区",
    "谢家集区": "谢家集区",
    "浦江镇": "浦江镇",
    "闵行区浦江镇": "浦江镇",
    "华漕镇": "华漕镇",
    "闵行区华漕镇": "华漕镇",
    "上海": "上海市",
    "市文旅局": "淮南市文旅局",
    "淮南市文化和旅游局": "淮南市文旅局",
    "闵行区文化和旅游局": "闵行区文旅局",
    "上海市闵行区教育学院": "闵行区教育学院",
    "上海市闵行教育学院": "闵行区教育学院",
    "上海展销中心": "淮南名特优农产品上海展销中心",
    "两地": BOTH,
    "双方": BOTH,
    "闵行两地": BOTH,
    "闵行双方": BOTH,
}


def normalize(name: str) -> str:
    """The ledger's name for `name`: an alias resolved, anything else kept as given."""
    stripped = name.strip()
    return ALIASES.get(stripped, stripped)


# What a figure counts, one name each: a report counts only its own population.
POPULATIONS: dict[str, str] = {
    "上海地区项目": "上海项目",
    "上海市项目": "上海项目",
    "沪苏浙地区项目": "沪苏浙项目",
    "农业领域项目": "农业项目",
    "农业项目": "农业项目",
}


def normalize_population(name: str) -> str:
    stripped = name.strip()
    return POPULATIONS.get(stripped, stripped)
