#!/usr/bin/env bash
# `make serve`: the workbench on the sample data. Makes a fresh data folder, loads the expected
# list (sample-data/schools.csv), adds one demo account per role with a generated password,
# prints the accounts, and serves until Ctrl-C.
# Usage: scripts/serve-demo.sh ZIZHU_BINARY DATA_DIR [HOST:PORT]
set -euo pipefail
zizhu=${1:-.build/debug/zizhu}
data=${2:-demo-out/serve-data}
listen=${3:-127.0.0.1:8080}
[ -x "$zizhu" ] || { echo "no zizhu binary at $zizhu (run make build)" >&2; exit 2; }
rm -rf "$data"
mkdir -p "$data"

school=3701J001   # 济南交通技工学校, 济南市 370100 (sample-data/city/370100/3701J001)
accounts=(
  "demo-school school $school"
  "demo-principal principal $school"
  "demo-finance finance 370100"
  "demo-city city 370100"
  "demo-province province 370000"
  "demo-admin admin -"
)
table=()
for line in "${accounts[@]}"; do
  read -r name role scope <<<"$line"
  out=$("$zizhu" users add --data "$data" --role "$role" --scope "$scope" --name "$name")
  password=$(printf '%s\n' "$out" | sed -n 's/^password (shown once): //p')
  table+=("$(printf '%-16s %-10s %-9s %s' "$name" "$role" "$scope" "$password")")
done

echo "== zizhu serve on the sample data (data: $data)"
echo "   accounts (name, role, scope, password):"
for row in "${table[@]}"; do echo "   $row"; done
echo "   the school's files to upload: sample-data/city/370100/$school/roster.csv and applications.csv"
echo "   the finance office's (demo-finance, /finance): sample-data/finance/approved.csv, ledger-*.csv*, roster.csv.gz, allocations.csv"
echo "   the city (/cities/370100) and the province (/province) see who submitted and merge; API tokens: /account/tokens, /api/v1/openapi.json"
echo "   open http://$listen/ and sign in; Ctrl-C stops the server"
exec "$zizhu" serve --data "$data" --schools sample-data/schools.csv --listen "$listen"
