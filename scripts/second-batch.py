#!/usr/bin/env python3
"""Writes the demo's second bank batch, sample-data/finance/second-batch/payout-2023-12.csv, from the
committed sample: the bank pays the approved students the first batch left unpaid (R01) and
reissues the failed payments (R10) — the fixes — and, by a clerk's slip, pays one already-paid
student again (a new R04). Deterministic: the same sample gives the same bytes.

Usage: scripts/second-batch.py [SAMPLE_DIR]   (default sample-data)
`make demo` reconciles twice with a history: the first batch, then the first batch + this file.
"""
import csv
import io
import os
import sys

sample = sys.argv[1] if len(sys.argv) > 1 else "sample-data"
finance = os.path.join(sample, "finance")


def read_table(path, title_lines):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[title_lines]
    return [dict(zip(header, row)) for row in rows[title_lines + 1:] if len(row) == len(header)]


# approved.csv: one title line, then the header.
approved = [r for r in read_table(os.path.join(finance, "approved.csv"), 1)
            if r["资助项目"] == "国家助学金" and r["审核状态"] == "已审批"]
by_student = {(r["学校代码"], r["学籍号"]): r for r in approved}
by_card = {r["中职资助卡号"]: r for r in approved}

with open(os.path.join(sample, "planted.csv"), encoding="utf-8", newline="") as f:
    planted = list(csv.DictReader(f))
fixes = sorted((p["school_code"], p["student_no"]) for p in planted if p["code"] in ("R01", "R10"))
mentioned = {(p["school_code"], p["student_no"]) for p in planted}

# One student paid in full by the first batch (建设银行's file), not part of any planted case.
twice = None
for row in read_table(os.path.join(finance, "ledger-ccb.csv"), 0):
    student = by_card.get(row["收款账号"])
    if (student and row["处理结果"] == "交易成功" and row["交易金额"] == student["资助金额（元）"]
            and (student["学校代码"], student["学籍号"]) not in mentioned):
        twice = student
        break

rows = []
for key in fixes:
    student = by_student.get(key)
    if student is None:
        sys.exit(f"second-batch: no approved grant for {key} in approved.csv")
    rows.append((student, "补发 reissue" if key in {(p["school_code"], p["student_no"]) for p in planted if p["code"] == "R10"} else "补发 first payment"))
if twice is not None:
    rows.append((twice, "重复 paid again"))

out = io.StringIO()
writer = csv.writer(out, lineterminator="\r\n")
writer.writerow(["流水号", "入账日期", "收款账号", "收款人", "身份证号", "交易金额", "处理结果", "卡类型", "用途"])
for n, (student, why) in enumerate(rows, start=1):
    writer.writerow([f"2023121500{n:06d}", "2023-12-15", student["中职资助卡号"], student["姓名"], student["身份证件号"],
                     student["资助金额（元）"], "交易成功", "中职资助卡", f"国家助学金 第二批 {why}"])

target_dir = os.path.join(finance, "second-batch")
os.makedirs(target_dir, exist_ok=True)
target = os.path.join(target_dir, "payout-2023-12.csv")
with open(target, "w", encoding="utf-8", newline="") as f:
    f.write(out.getvalue())
print(f"{target}: {len(rows)} payments ({len(fixes)} fixes, {1 if twice else 0} paid again)")
