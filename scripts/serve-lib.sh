# The server start the workbench's scripts share (sourced, not run): scripts/serve-browser-test.sh and
# scripts/serve-screenshots.sh. A fresh data folder in a temporary folder, the accounts asked for, the
# sample schools, `zizhu serve` on loopback in the background, a bounded wait until it answers, and a
# trap that stops the server (by its own pid) and removes the folder when the script ends.
#
#   . scripts/serve-lib.sh
#   serve_start ZIZHU PORT PASSWORD "NAME ROLE SCOPE" …   # sets serve_work, serve_data, serve_base, serve_pid
#   …                                                     # $serve_work/serve.log has the server's output
#
# Extra `zizhu serve` flags go in SERVE_EXTRA_FLAGS (e.g. "--config serve/serve.yaml").

serve_stop() {
  if [ -n "${serve_pid:-}" ]; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=""
  fi
  if [ -n "${serve_work:-}" ]; then rm -rf "$serve_work"; serve_work=""; fi
}

serve_start() {
  local zizhu=$1 port=$2 password=$3 line name role scope
  shift 3
  serve_work=$(mktemp -d)
  serve_data="$serve_work/data"
  serve_base="http://127.0.0.1:$port"
  trap serve_stop EXIT
  for line in "$@"; do
    read -r name role scope <<<"$line"
    echo "$password" | "$zizhu" users add --data "$serve_data" --role "$role" --scope "$scope" --name "$name" --password-stdin >/dev/null
  done
  # shellcheck disable=SC2086 # SERVE_EXTRA_FLAGS is a list of flags
  "$zizhu" serve ${SERVE_EXTRA_FLAGS:-} --data "$serve_data" --schools sample-data/schools.csv --listen "127.0.0.1:$port" \
    >"$serve_work/serve.log" 2>&1 &
  serve_pid=$!
  local _
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$serve_base/login" && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "serve-lib: the server did not answer on $serve_base within 10 s:" >&2
  cat "$serve_work/serve.log" >&2
  return 1
}
