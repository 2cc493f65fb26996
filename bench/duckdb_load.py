"""DuckDB reference for scripts/bench.sh: load a CSV into a table, all columns as text.

Prints "rows seconds" where seconds is the wall-clock time of the CREATE TABLE alone (the
interpreter and `import duckdb` are not counted, so DuckDB is not penalised for Python).
Exit status 3 with a message when DuckDB cannot read the encoding (e.g. GB18030 without the
`encodings` extension, which needs a download).
"""
import sys
import time

import duckdb

path = sys.argv[1]
encoding = sys.argv[2] if len(sys.argv) > 2 else None
con = duckdb.connect()
options = "all_varchar=true"
if encoding:
    try:
        con.execute("LOAD encodings")
    except Exception:
        try:
            con.execute("INSTALL encodings")
            con.execute("LOAD encodings")
        except Exception:
            pass
    options += f", encoding='{encoding}'"
query = f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', {options})"
start = time.perf_counter()
try:
    con.execute(query)
except duckdb.Error as error:
    first = str(error).strip().splitlines()[0]
    print(f"duckdb cannot read {path}: {first}", file=sys.stderr)
    sys.exit(3)
elapsed = time.perf_counter() - start
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
print(rows, f"{elapsed:.3f}")
