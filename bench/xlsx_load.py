"""Loads an .xlsx's first sheet the plain way and prints `ROWS SECONDS` (data rows, header not counted;
the seconds exclude the interpreter's start-up and imports).

usage: xlsx_load.py fastexcel|openpyxl FILE.xlsx
fastexcel: read_excel(FILE).load_sheet(0) — calamine into Arrow, every column.
openpyxl: load_workbook(FILE, read_only=True), every row's values iterated.
"""
import sys
import time

tool, path = sys.argv[1], sys.argv[2]
if tool == "fastexcel":
    import fastexcel
    start = time.perf_counter()
    sheet = fastexcel.read_excel(path).load_sheet(0)
    rows = sheet.height
    stop = time.perf_counter()
elif tool == "openpyxl":
    import openpyxl
    start = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True)
    rows = -1
    for _ in book.worksheets[0].iter_rows(values_only=True):
        rows += 1
    book.close()
    stop = time.perf_counter()
else:
    sys.exit(f"unknown tool {tool}")
print(rows, f"{stop - start:.3f}")
