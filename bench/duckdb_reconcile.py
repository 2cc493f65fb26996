"""DuckDB reference for scripts/bench-reconcile.sh: the core of `zizhu reconcile` in SQL.

Usage: duckdb_reconcile.py MANIFEST.tsv OUT.csv

MANIFEST.tsv has one line per input, tab-separated: role (approved | ledger | roster), the path of
a plain UTF-8 copy (header on line 1, no title lines, no 合计 row, no BOM), the original file name
(for `sources`), the physical line of its first data row in the original, and the delimiter.
Making those copies (gunzip, unzip, iconv GB18030 → UTF-8, stripping title and total lines) is done
once by the shell script, outside the timed part.

What is timed: loading the three inputs into tables (one per file, the columns matching needs, as
text), normalizing them (ids: width folding, Excel wrappers, 15 → 18 digits, the ISO 7064 check;
money to exact decimals; accounts to digits; approved = 国家助学金, 已审批, 2023-fall), matching
ledger rows to approved students (by id, else by the full account against the approved card number
when that card belongs to one student), the findings — unpaid (R01/R10), unauthorized (R02: a
student not approved, or a paid row matching nobody), amount mismatch (R03), duplicate payment
(R04), shared account (R06), not in the roster (R13) — and writing them to OUT.csv sorted by code
and id. Not done here, unlike zizhu: masked-account matching, names, dates and the term window,
channels, roster statuses, tiers, rejects, settlement, the HTML report, the ledger and manifest;
`file:line` assumes one physical line per row (a cell with a line break shifts the lines after it).

Prints one line: `seconds cpu_seconds approved_rows ledger_rows roster_rows findings` and then the
count per code, e.g. `R01=12`, space-separated (cpu_seconds: every thread of the process, user +
system, over the same part). The interpreter start-up and `import duckdb` are not timed.
"""
import csv
import os
import sys
import time

import duckdb

SQL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reconcile.sql")

# Accepted header titles per field (the contract, §3), after the same folding zizhu applies.
TITLES = {
    "approved": {
        "term": ["学期", "资助学期"],
        "student_no": ["学籍号", "学号", "学生编号"],
        "name": ["姓名", "学生姓名"],
        "id_number": ["身份证号", "身份证号码", "身份证件号", "证件号码", "公民身份号码"],
        "school_code": ["学校代码", "院校代码"],
        "aid_type": ["资助类型", "资助项目"],
        "amount": ["金额", "资助金额", "应发金额"],
        "approval_status": ["审批状态", "审核状态"],
        "card_number": ["资助卡号", "中职资助卡号", "社保卡号", "银行卡号"],
    },
    "ledger": {
        "account_number": ["账号", "卡号", "收款账号", "账户"],
        "id_number": ["证件号码", "身份证号"],
        "amount": ["金额", "交易金额", "发放金额"],
        "status": ["交易状态", "处理结果", "状态"],
    },
    "roster": {
        "student_no": ["学籍号", "学号", "学生编号"],
        "id_number": ["身份证号", "身份证号码", "身份证件号", "证件号码", "公民身份号码"],
        "school_code": ["学校代码", "院校代码"],
    },
}
OPTIONAL = {("ledger", "id_number"), ("approved", "student_no"), ("approved", "name"),
            ("approved", "school_code"), ("approved", "card_number"), ("roster", "student_no"),
            ("roster", "school_code")}


def fold_title(title):
    """Header folding of the contract: no spaces, half-width, no `*`, no unit in brackets."""
    title = title.replace("\ufeff", "").replace("\u3000", "").replace(" ", "").strip()
    title = title.replace("（", "(").replace("）", ")").replace("＊", "*").rstrip("*")
    for unit in ("(元)",):
        title = title.replace(unit, "")
    return title


def read_header(path, delimiter):
    with open(path, encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter))


def column_map(role, path, header):
    folded = {fold_title(t): t for t in header}
    found = {}
    for field, titles in TITLES[role].items():
        title = next((folded[t] for t in titles if t in folded), None)
        if title is None and (role, field) not in OPTIONAL:
            sys.exit(f"{path}: no column for {role}.{field} (header: {header})")
        found[field] = title
    return found


def col(mapping, field):
    title = mapping[field]
    return "NULL::VARCHAR" if title is None else '"' + title.replace('"', '""') + '"'


def sql_text(value):
    return "'" + value.replace("'", "''") + "'"


def read_csv(path, delimiter, header):
    """Every column as text, named by the header we read: DuckDB's sniffer (timed) is not run."""
    delim = "\\t" if delimiter == "\t" else delimiter
    columns = "{" + ", ".join(f"{sql_text(t)}: 'VARCHAR'" for t in header) + "}"
    return (f"read_csv({sql_text(path)}, header=true, delim={sql_text(delim)}, quote='\"', escape='\"', "
            f"auto_detect=false, columns={columns})")


def main():
    manifest_path, out_path = sys.argv[1], sys.argv[2]
    inputs = {"approved": [], "ledger": [], "roster": []}
    with open(manifest_path, encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            role, path, name, first_line, delimiter = line.rstrip("\n").split("\t")
            delimiter = "\t" if delimiter in ("tab", "\\t") else ","
            header = read_header(path, delimiter)
            inputs[role].append((index, name, int(first_line), read_csv(path, delimiter, header),
                                 column_map(role, path, header)))
    for role, files in inputs.items():
        if not files:
            sys.exit(f"no {role} input in {manifest_path}")

    con = duckdb.connect()

    # The load: one table per file, its columns renamed to the fields reconcile.sql uses, as text.
    columns = {
        "approved": [("term", "term"), ("aid_type", "aid_type"), ("approval_status", "approval_status"),
                     ("id_number", "id_raw"), ("student_no", "student_no"), ("school_code", "school_code"),
                     ("amount", "amount_raw"), ("card_number", "card_raw")],
        "ledger": [("id_number", "id_raw"), ("account_number", "account_raw"), ("amount", "amount_raw"),
                   ("status", "status")],
        "roster": [("id_number", "id_raw")],
    }
    statements, unions = [], {}
    for role, files in inputs.items():
        for index, name, first, reader, mapping in files:
            select = ", ".join(f"{col(mapping, field)} AS {alias}" for field, alias in columns[role])
            statements.append(f"CREATE TABLE {role}_{index} AS SELECT {select} FROM {reader}")
        unions[role] = " UNION ALL ".join(
            # rowid is the row's place in its file: DuckDB keeps the insertion order.
            f"SELECT *, {sql_text(name + ':')} || (rowid + {first}) AS src FROM {role}_{index}"
            for index, name, first, _, _ in files)

    script = open(SQL_PATH, encoding="utf-8").read()
    script = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    script = (script.replace("@APPROVED@", unions["approved"]).replace("@LEDGER@", unions["ledger"])
              .replace("@ROSTER@", unions["roster"]).replace("@OUT@", sql_text(out_path)))
    parts = [part for part in script.split(";\n") if part.strip()]
    # Macros are made before the clock starts; views (which need the loaded tables) after the load.
    macros = [part for part in parts if part.lstrip().startswith("CREATE MACRO")]
    views = [part for part in parts if part.lstrip().startswith("CREATE VIEW")]
    work = [part for part in parts if part not in macros and part not in views]
    for macro in macros:
        con.execute(macro)

    start, start_cpu = time.perf_counter(), time.process_time()
    for statement in statements:
        con.execute(statement)
    for statement in views + work:
        con.execute(statement)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu

    approved_rows, ledger_rows, roster_rows = (
        con.execute(f"SELECT count(*) FROM {role}_raw").fetchone()[0] for role in ("approved", "ledger", "roster"))
    counts = con.execute("SELECT code, count(*) FROM findings GROUP BY code ORDER BY code").fetchall()
    total = sum(n for _, n in counts)
    print(f"{elapsed:.3f} {cpu:.2f} {approved_rows} {ledger_rows} {roster_rows} {total}",
          " ".join(f"{code}={n}" for code, n in counts))


if __name__ == "__main__":
    main()
