#!/usr/bin/env python3
"""Derives a bank file with many findings from a sample's ledger-ccb.csv, for the history and
reconcile benchmarks.

Of every six payment rows, the first is left out (the student goes unpaid: R01) and the third and
fourth, when paid, are marked 交易失败 (a failed payment never reissued: R10); the others are kept. On the
1,000,000-student bench sample (about 300,000 rows in ledger-ccb.csv) that is about 100,000 findings.
With --damage the kept rows also carry the Excel and clerk damage the contract repairs (§4), in
fixed proportions: accounts in groups of four (every 7th row), amounts as `¥1,000.00` (every 5th)
or in full-width digits (every 9th), dates as `2023年11月11日` (every 4th) or `20231111` (every
10th), a space inside the holder's name (every 12th) and spaces around cells (every 8th). The
findings stay the same (every repair gives the value back).
Deterministic: the same input gives the same bytes.

Usage: bench/findings_ledger.py [--damage] LEDGER_CCB_CSV OUT_CSV
Prints: rows left out, rows marked failed, data rows written.
"""
import csv
import sys

args = sys.argv[1:]
damage = "--damage" in args
args = [a for a in args if a != "--damage"]
source, target = args
with open(source, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
result = header.index("处理结果")
account, holder, amount, date = (header.index(t) for t in ("收款账号", "收款人", "交易金额", "入账日期"))
FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def damaged(i, row):
    row = list(row)
    if i % 7 == 0 and row[account].isdigit():
        a = row[account]
        row[account] = " ".join(a[k:k + 4] for k in range(0, len(a), 4))
    if i % 5 == 0 and row[amount]:
        row[amount] = "¥" + row[amount]
    elif i % 9 == 0 and row[amount]:
        row[amount] = row[amount].translate(FULL)
    parts = row[date].split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        y, m, d = parts
        if i % 4 == 0:
            row[date] = f"{y}年{int(m)}月{int(d)}日"
        elif i % 10 == 0:
            row[date] = f"{y}{int(m):02d}{int(d):02d}"
    if i % 12 == 1 and len(row[holder]) >= 2:
        row[holder] = row[holder][0] + " " + row[holder][1:]
    if i % 8 == 0:
        row = [" " + c + " " if c else c for c in row]
    return row


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
    out.append(damaged(i, row) if damage else row)
with open(target, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(out)
print(dropped, failed, len(out) - 1)
