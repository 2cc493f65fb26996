#!/usr/bin/env python3
"""Derives a bank file with many findings from a sample's ledger-ccb.csv, for the history benchmark.

Of every six payment rows, the first is left out (the student goes unpaid: R01) and the third and
fourth, when paid, are marked 交易失败 (a failed payment never reissued: R10); the others are kept. On the
1,000,000-student bench sample (about 300,000 rows in ledger-ccb.csv) that is about 100,000 findings.
Deterministic: the same input gives the same bytes.

Usage: bench/findings_ledger.py LEDGER_CCB_CSV OUT_CSV
"""
import csv
import sys

source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
result = header.index("处理结果")
out = [header]
dropped = failed = 0
for i, row in enumerate(data):
    if len(row) != len(header):
        out.append(row)
        continue
    if i % 6 == 0:
        dropped += 1
        continue
    if i % 6 in (2, 3) and row[result] == "交易成功":
        row = list(row)
        row[result] = "交易失败"
        failed += 1
    out.append(row)
with open(target, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(out)
print(dropped, failed)
