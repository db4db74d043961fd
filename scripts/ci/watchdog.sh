#!/usr/bin/env bash
# Runs a command with a time limit. Past it, the threads of every test process still running are
# printed (gdb, when installed) and the command is killed: a hung test run fails with where it hung
# (in 2026-11 a deadlock in FoundationNetworking stopped every thread of the pool), instead of
# silently using up CI's whole time limit.
#
#   scripts/ci/watchdog.sh SECONDS COMMAND [ARG...]     # exit status: the command's, or 124 on timeout
set -uo pipefail
limit="$1"; shift
"$@" &
command_pid=$!
deadline=$(( $(date +%s) + limit ))
while kill -0 "$command_pid" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "watchdog: '$*' still running after ${limit} s; the threads of the test processes follow" >&2
    for pid in $(pgrep -f 'PackageTests\.xctest' || true); do
      echo "== pid $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" >&2
      if command -v gdb >/dev/null 2>&1; then
        timeout 120 gdb -p "$pid" -batch -ex "thread apply all bt 30" 2>/dev/null | grep -E '^(Thread|#)' >&2 || true
      else
        echo "(gdb is not installed: no backtraces)" >&2
      fi
    done
    pkill -9 -f 'PackageTests\.xctest' || true
    kill "$command_pid" 2>/dev/null
    sleep 2
    kill -9 "$command_pid" 2>/dev/null
    wait "$command_pid" 2>/dev/null
    exit 124
  fi
  sleep 2
done
wait "$command_pid"
