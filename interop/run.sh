#!/usr/bin/env bash
# Interop check against a 2018-style Python program (interop/py2018.py, written from
# the 2018 behaviour in docs/protocol.md): 2018 peers against our server; our peer against a 2018 server and a
# 2018 peer. Needs python3. Not part of `mvn -B verify` (CI machines need not have Python); run by hand:
#   interop/run.sh
# Prints one line per check and "N passed, N failed"; exit 0 only if every check passed.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "interop: python3 is needed" >&2; exit 2; }
bin/p2pchat validate --help >/dev/null || exit 2     # builds the jars on first use

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_line() {  # FILE TEXT: wait up to 15 s for a line containing TEXT
  for _ in $(seq 150); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
passed=0; failed=0
check() {  # FILE TEXT WHAT
  if await_line "$1" "$2"; then echo "PASS  $3"; passed=$((passed+1)); else echo "FAIL  $3 (no \"$2\" in $1)"; failed=$((failed+1)); fi
}
absent() {  # FILE TEXT WHAT
  if grep -qF -- "$2" "$1"; then echo "FAIL  $3 (\"$2\" in $1)"; failed=$((failed+1)); else echo "PASS  $3"; passed=$((passed+1)); fi
}

echo "== 2018 peers against our server"
bin/p2pchat server --port 0 >"$work/server.out" 2>"$work/server.err" & pids+=($!)
await_line "$work/server.out" "listening on" || { echo "server did not start"; exit 1; }
sport=$(sed -n 's/^listening on .*://p' "$work/server.out")
aport=$(free_port); bport=$(free_port)
printf 'register\nwait 1.5\nlistpeer\nwait 1\nexit\n' \
  | python3 interop/py2018.py peer alice "$aport" "localhost:$sport" >"$work/alice.out" 2>&1 & pids+=($!)
printf 'wait 0.5\nregister\nwait 0.5\nregister\nwait 2\nexit\n' \
  | python3 interop/py2018.py peer bob "$bport" "localhost:$sport" >"$work/bob.out" 2>&1 & pids+=($!)
check "$work/alice.out" "Register Successful." "2018 alice registers with our server"
check "$work/bob.out" "Register Error." "2018 bob registering a taken name gets Register Error."
check "$work/alice.out" "peername: bob---localhost:$bport" "2018 alice's listpeer shows bob"
check "$work/alice.out" "peername: alice---localhost:$aport" "2018 alice's listpeer shows herself"
check "$work/server.err" "exit alice" "our server removes 2018 alice on exit"
absent "$work/alice.out" "RECEIVER DIED" "2018 alice's receiver survives everything our server sent"

echo "== our peer against a 2018 server and a 2018 peer"
s2=$(free_port); yport=$(free_port)
python3 interop/py2018.py server "$s2" >"$work/pyserver.out" 2>&1 & pids+=($!)
await_line "$work/pyserver.out" "listening on" || { echo "2018 server did not start"; exit 1; }
printf 'register\nwait 6\nchat message patchouli hello patchouli\nwait 6\nexit\n' \
  | python3 interop/py2018.py peer yuuka "$yport" "localhost:$s2" >"$work/yuuka.out" 2>&1 & pids+=($!)
( sleep 1; echo register; sleep 1; echo listpeer; sleep 1; echo "chat request localhost $yport"; sleep 4
  echo "chat message yuuka 你好, yuuka."; sleep 1; echo "list connected peer"; sleep 1; echo "disconnect yuuka"
  sleep 1; echo exit ) \
  | bin/p2pchat peer --name patchouli --port 0 --server "localhost:$s2" >"$work/patchouli.out" 2>"$work/patchouli.err" & pids+=($!)
check "$work/patchouli.out" "Register Successful." "our patchouli registers with the 2018 server"
check "$work/patchouli.out" "peername: yuuka---localhost:$yport" "our patchouli's listpeer from the 2018 server shows yuuka"
check "$work/patchouli.out" "chat accept: yuuka --- localhost:$yport" "2018 yuuka accepts our chat request"
check "$work/patchouli.out" "yuuka: hello patchouli" "our patchouli shows 2018 yuuka's message"
check "$work/yuuka.out" "patchouli: 你好, yuuka." "2018 yuuka shows our message (non-ASCII escaped as json.dumps does)"
check "$work/yuuka.out" "Disconnected from patchouli" "2018 yuuka sees our disconnect"
sleep 2
absent "$work/yuuka.out" "RECEIVER DIED" "2018 yuuka's receiver survives everything our peer sent"
absent "$work/pyserver.out" "RECEIVER DIED" "the 2018 server's receiver survives everything our peer sent"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
