#!/usr/bin/env python3
"""Writes Sources/ZizhuSchema/Reference/Data/calendars/YYYY.json, one file per year.

Source: the PyPI package chinesecalendar 1.11.0 (chinese_calendar/constants.py: `holidays` and
`workdays`), which transcribes the State Council's yearly notices (国务院办公厅关于YYYY年部分节假日
安排的通知). Each year was cross-checked by hand against the notice's text; the notice numbers
below are the notices' own.

Each file holds the days of its calendar year only: "holidays" are the announced days off
(weekend days inside a holiday period included, as the notice counts them), "workdays" the
announced make-up working days (调休上班). Late-December days of the next year's New Year period
(e.g. 2023-12-30/31, announced by the 2024 notice) are weekend days and sit in the earlier file.

Usage:
  python3 -m pip install --target /tmp/calendar-src chinesecalendar==1.11.0
  PYTHONPATH=/tmp/calendar-src python3 scripts/reference/make_calendars.py Sources/ZizhuSchema/Reference/Data/calendars
"""
import json
import os
import sys

from chinese_calendar import constants

NOTICES = {
    2023: "国办发明电〔2022〕16号",
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for year, notice in NOTICES.items():
        holidays = sorted(d.isoformat() for d in constants.holidays if d.year == year)
        workdays = sorted(d.isoformat() for d in constants.workdays if d.year == year)
        if not holidays or not workdays:
            sys.exit(f"chinesecalendar has no data for {year}")
        document = {"year": year, "notice": notice, "holidays": holidays, "workdays": workdays}
        with open(os.path.join(out, f"{year}.json"), "w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
