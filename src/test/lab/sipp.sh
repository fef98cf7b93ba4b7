#!/usr/bin/env bash
# SIPp phones for the Switchboard Asterisk lab (asterisk-lab.sh). Everything on 127.0.0.1; every run is
# bounded (-m calls and -timeout seconds), so nothing runs forever.
#
# Phones (UAS) -- run in the foreground; prefix with "bg" to run in the background (pid file, see kill):
#   sipp.sh agent-ring-forever PORT [SECONDS]   rings, never answers (100+180; CANCEL -> 200 + 487)
#   sipp.sh agent-answer PORT [SECONDS]         answers after ~1.5 s with SDP, stays until Asterisk's BYE
#   sipp.sh busy PORT [SECONDS]                 486 Busy Here
#   sipp.sh congestion PORT [SECONDS]           503 Service Unavailable (Asterisk: congestion, cause 34)
#   sipp.sh customer [PORT] [SECONDS]           callback target: answers after ~0.5 s, talks 4 s, BYE (5070)
#   sipp.sh customer-human [PORT] [SECONDS]     answers, streams a short "hello?" then silence (AMD: HUMAN)
#   sipp.sh customer-machine [PORT] [SECONDS]   answers, streams a 6 s greeting (AMD: MACHINE, LONGGREETING)
#   sipp.sh customer-keys PORT SECONDS KEYS     answers every call, then KEYS: "w1500" waits 1.5 s, "27601" presses
#       those digits (RFC 4733), "h" hangs up; e.g. "w2500 1 w1500 27601 w1500 1 w1500 2" (the interview)
# Callers (UAC) -- the carrier sending calls to a DID:
#   sipp.sh caller DID CALLERNUM HOLD_MS [COUNT] [RATE]
#       COUNT calls (default 1) at RATE calls/s (default 1) to DID, caller numbers CALLERNUM, CALLERNUM+1,
#       ... (the last 4 digits count up), each staying HOLD_MS after the answer, then BYE.
#   sipp.sh caller-keys DID CALLERNUM KEYS
#       one call that presses KEYS after the answer (as customer-keys), then waits up to 60 s for Asterisk to hang up
#   sipp.sh caller-press DID CALLERNUM PRESS_AFTER_MS DIGIT
#       one call that presses DIGIT (0-9, RFC 4733) PRESS_AFTER_MS after the answer, then waits up to 20 s for
#       Asterisk to hang up (the overflow offer: press 1 to be called back). SIPP_PCAP_DIR: where Debian's
#       dtmf_2833_*.pcap are (default /usr/share/sip-tester).
# Background control:
#   sipp.sh bg <phone command ...>              start in the background, print "PID LOGFILE"
#   sipp.sh kill PORT                           stop the background SIPp on PORT (by its pid file), wait
#   sipp.sh kill-all                            stop every background SIPp this helper started
#
# Lab ports: agents 201/202 = 5071/5072, extension 101 = 5073, customer = 5070, callers from 5061.
# Control port (-cp) = SIP port + 3000. SECONDS (UAS lifetime) defaults to 300.
# Environment: SIPP_LOG_DIR (default /tmp/switchboard-sipp), SIPP_TRACE_MSG=1 (log every SIP message),
#              SIPP_CALLER_PORT (default 5061), SIPP_TARGET (default 127.0.0.1:5060).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCEN=$SCRIPT_DIR/sipp
LOG_DIR=${SIPP_LOG_DIR:-/tmp/switchboard-sipp}
TARGET=${SIPP_TARGET:-127.0.0.1:5060}
IP=127.0.0.1

die() { printf 'sipp.sh: ERROR: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

common_args() {
  # $1 = SIP port, $2 = name for the log files
  local port=$1 name=$2
  mkdir -p "$LOG_DIR"
  ARGS=(-i "$IP" -mi "$IP" -ci "$IP" -p "$port" -cp $((port + 3000)) -nostdin
        -trace_err -error_file "$LOG_DIR/$name-errors.log"
        -trace_screen -screen_file "$LOG_DIR/$name-screen.log")
  if [[ ${SIPP_TRACE_MSG:-0} == 1 ]]; then
    ARGS+=(-trace_msg -message_file "$LOG_DIR/$name-messages.log")
  fi
}

run_uas() {
  # $1 scenario file, $2 port, $3 lifetime seconds
  local scenario=$1 port=$2 secs=${3:-300}
  is_uint "$port" || die "PORT must be a number, got '$port'"
  is_uint "$secs" || die "SECONDS must be a number, got '$secs'"
  command -v sipp >/dev/null || die "sipp not installed: apt-get install -y sip-tester"
  common_args "$port" "$(basename "$scenario" .xml)-$port"
  # -m: at most 10000 calls; -timeout: the process ends after SECONDS whatever happens.
  exec sipp -sf "$scenario" "${ARGS[@]}" -m 10000 -timeout "${secs}s"
}

# The audio the AMD customers stream (raw u-law, 8 kHz, read from the working directory by rtp_stream):
# human.ulaw = 0.6 s of a 440 Hz tone then 3 s of silence; machine.ulaw = 6 s of tone. A tone is "speech" to
# AMD's energy detector, which is all it listens for.
audio_files() {
  mkdir -p "$LOG_DIR"
  [[ -s $LOG_DIR/human.ulaw && -s $LOG_DIR/machine.ulaw ]] && return 0
  command -v python3 >/dev/null || die "python3 is needed to write the AMD customers' audio"
  python3 - "$LOG_DIR" <<'PY'
import math, sys
def ulaw(x):  # G.711 mu-law of a 16-bit sample
    bias, clip = 0x84, 32635
    sign = 0x80 if x < 0 else 0
    x = min(abs(x), clip) + bias
    exp = 7
    for e in range(7, -1, -1):
        if x & (0x4000 >> (7 - e)):
            exp = e
            break
    mant = (x >> (exp + 3)) & 0x0F
    return ~(sign | (exp << 4) | mant) & 0xFF
def tone(seconds):
    return bytes(ulaw(int(12000 * math.sin(2 * math.pi * 440 * n / 8000))) for n in range(int(8000 * seconds)))
silence = lambda seconds: bytes([0xFF]) * int(8000 * seconds)
d = sys.argv[1]
open(d + "/human.ulaw", "wb").write(tone(0.6) + silence(3))
open(d + "/machine.ulaw", "wb").write(tone(6))
PY
}

cmd_caller() {
  [[ $# -ge 3 ]] || die "usage: sipp.sh caller DID CALLERNUM HOLD_MS [COUNT] [RATE]"
  local did=$1 num=$2 hold=$3 count=${4:-1} rate=${5:-1} port=${SIPP_CALLER_PORT:-5061}
  is_uint "$hold" || die "HOLD_MS must be a number, got '$hold'"
  is_uint "$count" && ((count > 0)) || die "COUNT must be a positive number, got '$count'"
  is_uint "$rate" && ((rate > 0)) || die "RATE must be a positive number, got '$rate'"
  [[ $num =~ ^\+?[0-9]{4,15}$ ]] || die "CALLERNUM must be digits (optionally +), got '$num'"
  [[ $did =~ ^\+?[0-9A-Za-z*#]+$ ]] || die "DID must be digits (optionally +), got '$did'"
  command -v sipp >/dev/null || die "sipp not installed: apt-get install -y sip-tester"
  mkdir -p "$LOG_DIR"
  # Injection file: one caller number per call; the last 4 digits count up.
  local inf head tail i
  inf=$(mktemp "$LOG_DIR/callers.XXXXXX.csv")
  head=${num:0:${#num}-4}
  tail=$((10#${num: -4}))
  {
    echo SEQUENTIAL
    for ((i = 0; i < count; i++)); do printf '%s%04d;\n' "$head" $(((tail + i) % 10000)); done
  } >"$inf"
  common_args "$port" "caller-$port"
  # Bounded: -m COUNT calls; -timeout = time to place them + hold + 120 s margin.
  local limit=$((count / rate + hold / 1000 + 120))
  local rc=0
  sipp "$TARGET" -sf "$SCEN/caller-uac.xml" "${ARGS[@]}" -inf "$inf" -s "$did" -d "$hold" \
    -m "$count" -r "$rate" -rp 1000 -timeout "${limit}s" || rc=$?
  rm -f "$inf"
  return "$rc"
}

cmd_caller_press() {
  [[ $# -eq 4 ]] || die "usage: sipp.sh caller-press DID CALLERNUM PRESS_AFTER_MS DIGIT"
  local did=$1 num=$2 after=$3 digit=$4 port=${SIPP_CALLER_PORT:-5061}
  is_uint "$after" || die "PRESS_AFTER_MS must be a number, got '$after'"
  [[ $digit =~ ^[0-9]$ ]] || die "DIGIT must be one of 0-9, got '$digit'"
  [[ $num =~ ^\+?[0-9]{4,15}$ ]] || die "CALLERNUM must be digits (optionally +), got '$num'"
  [[ $did =~ ^\+?[0-9A-Za-z*#]+$ ]] || die "DID must be digits (optionally +), got '$did'"
  command -v sipp >/dev/null || die "sipp not installed: apt-get install -y sip-tester"
  local pcap=${SIPP_PCAP_DIR:-/usr/share/sip-tester}/dtmf_2833_$digit.pcap
  [[ -r $pcap ]] || die "no DTMF recording $pcap (Debian's sip-tester ships them; set SIPP_PCAP_DIR)"
  mkdir -p "$LOG_DIR"
  local inf scen rc=0
  inf=$(mktemp "$LOG_DIR/callers.XXXXXX.csv")
  scen=$(mktemp "$LOG_DIR/caller-press.XXXXXX.xml")
  printf 'SEQUENTIAL\n%s;\n' "$num" >"$inf"
  sed "s#__PCAP__#$pcap#" "$SCEN/caller-press-uac.xml" >"$scen"
  common_args "$port" "caller-press-$port"
  sipp "$TARGET" -sf "$scen" "${ARGS[@]}" -inf "$inf" -s "$did" -d "$after" -m 1 -r 1 -timeout "$((after / 1000 + 60))s" || rc=$?
  rm -f "$inf" "$scen"
  return "$rc"
}

# key_steps KEYS DIR: the SIPp steps for KEYS ("w1500" waits, digits are pressed as RFC 4733 events, "h" hangs up)
# in $STEPS; each key's recording goes to DIR, and DIR/keys.log gets the time each key went out.
key_steps() {
  local keys=$1 dir=$2 pcaps=${SIPP_PCAP_DIR:-/usr/share/sip-tester} steps="" tok d i n=0
  command -v python3 >/dev/null || die "python3 is needed to write the keys' RTP events"
  rm -rf "$dir"
  mkdir -p "$dir"
  for tok in $keys; do
    if [[ $tok =~ ^w([0-9]+)$ ]]; then
      steps+="  <pause milliseconds=\"${BASH_REMATCH[1]}\"/>"$'\n'
    elif [[ $tok == h ]]; then
      steps+="  <nop hide=\"true\" next=\"hangup\"/>"$'\n'
    elif [[ $tok =~ ^[0-9*#]+$ ]]; then
      for ((i = 0; i < ${#tok}; i++)); do
        d=${tok:i:1}
        [[ $d == '*' ]] && d=star
        [[ $d == '#' ]] && d=pound
        [[ -r $pcaps/dtmf_2833_$d.pcap ]] || die "no DTMF recording $pcaps/dtmf_2833_$d.pcap (set SIPP_PCAP_DIR)"
        # Debian's recordings all carry the same RTP sequence numbers and timestamp, so Asterisk takes every key
        # after the first for a repeat of it and drops it: each key of the call gets its own (later) numbers.
        python3 - "$pcaps/dtmf_2833_$d.pcap" "$dir/key-$n.pcap" "$n" <<'PY'
import struct, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, "rb").read())
off, first = 24, None  # pcap global header; Ethernet + IPv4 + UDP (42 bytes) before each RTP header
while off < len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    rtp = off + 16 + 42
    seq = struct.unpack_from("!H", data, rtp + 2)[0]
    first = seq if first is None else first
    # key n: sequence numbers from 10000 + 20 n, one timestamp per key, 8000 (1 s) after the previous key's
    struct.pack_into("!HI", data, rtp + 2, 10000 + 20 * n + (seq - first), 100000 + 8000 * n)
    off += 16 + incl
open(dst, "wb").write(data)
PY
        # keys.log: when each key went out (ms since the epoch), for tests that time what follows a key
        steps+="  <nop><action><exec command=\"date +%s%3N >> $dir/keys.log\"/><exec play_pcap_audio=\"$dir/key-$n.pcap\"/></action></nop>"$'\n'
        steps+="  <pause milliseconds=\"400\"/>"$'\n'
        n=$((n + 1))
      done
    else
      die "KEYS: '$tok' is not wN, digits or h"
    fi
  done
  STEPS=$steps
}

# scenario TEMPLATE OUT: TEMPLATE with __KEYS__ replaced by $STEPS
scenario() {
  python3 - "$1" "$2" "$STEPS" <<'PY'
import sys
src, dst, steps = sys.argv[1:4]
open(dst, "w").write(open(src).read().replace("__KEYS__", steps))
PY
}

cmd_customer_keys() {
  [[ $# -eq 3 ]] || die "usage: sipp.sh customer-keys PORT SECONDS KEYS"
  local port=$1 secs=$2 keys=$3 dir
  is_uint "$port" || die "PORT must be a number, got '$port'"
  dir=$LOG_DIR/keys-$port
  key_steps "$keys" "$dir"
  scenario "$SCEN/customer-keys-uas.xml" "$dir/customer-keys.xml"
  # Its own RTP port (-mp): the keys go out from there, and no other lab phone binds it.
  common_args "$port" "customer-keys-$port"
  exec sipp -sf "$dir/customer-keys.xml" "${ARGS[@]}" -mp $((port + 1000)) -m 10000 -timeout "${secs}s"
}

cmd_caller_keys() {
  [[ $# -eq 3 ]] || die "usage: sipp.sh caller-keys DID CALLERNUM KEYS"
  local did=$1 num=$2 keys=$3 port=${SIPP_CALLER_PORT:-5061} dir inf rc=0
  [[ $num =~ ^\+?[0-9]{4,15}$ ]] || die "CALLERNUM must be digits (optionally +), got '$num'"
  [[ $did =~ ^\+?[0-9A-Za-z*#]+$ ]] || die "DID must be digits (optionally +), got '$did'"
  dir=$LOG_DIR/keys-$port
  key_steps "$keys" "$dir"
  # caller-press-uac.xml with its one key replaced by the steps, then up to 60 s for Asterisk to hang up.
  python3 - "$SCEN/caller-press-uac.xml" "$dir/caller-keys.xml" "$STEPS" <<'PY'
import re, sys
src, dst, steps = sys.argv[1:4]
text = open(src).read()
text, n = re.subn(r"  <pause/>\n  <nop>.*?</nop>\n  <pause milliseconds=\"20000\"/>",
                  lambda m: steps + '  <pause milliseconds="60000"/>', text, flags=re.S)
assert n == 1, "caller-press-uac.xml changed: no key step to replace"
open(dst, "w").write(text)
PY
  inf=$dir/caller.csv
  printf 'SEQUENTIAL\n%s;\n' "$num" >"$inf"
  common_args "$port" "caller-keys-$port"
  sipp "$TARGET" -sf "$dir/caller-keys.xml" "${ARGS[@]}" -inf "$inf" -s "$did" -mp $((port + 1000)) -m 1 -r 1 -timeout 180s || rc=$?
  return "$rc"
}

pidfile() { echo "$LOG_DIR/sipp-$1.pid"; }

cmd_bg() {
  [[ $# -ge 2 ]] || die "usage: sipp.sh bg <agent-ring-forever|agent-answer|busy|congestion|customer> PORT [SECONDS]"
  local port=$2
  is_uint "$port" || die "PORT must be a number, got '$port'"
  mkdir -p "$LOG_DIR"
  local pf log pid
  pf=$(pidfile "$port")
  if [[ -f $pf ]] && kill -0 "$(cat "$pf")" 2>/dev/null; then die "a SIPp already runs on port $port (pid $(cat "$pf"))"; fi
  log=$LOG_DIR/sipp-$port.out
  "${BASH_SOURCE[0]}" "$@" </dev/null >"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$pf"
  # Wait (bounded) until the SIP port is bound, so the caller can be started right after.
  local i
  for ((i = 0; i < 50; i++)); do
    if ss -Hlun "sport = :$port" 2>/dev/null | grep -q .; then break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; rm -f "$pf"; die "SIPp on port $port exited at once"; }
    sleep 0.1
  done
  echo "$pid $log"
}

cmd_kill() {
  [[ $# -eq 1 ]] || die "usage: sipp.sh kill PORT"
  local pf pid i
  pf=$(pidfile "$1")
  [[ -f $pf ]] || return 0
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pf"
}

cmd_kill_all() {
  local pf
  shopt -s nullglob
  for pf in "$LOG_DIR"/sipp-*.pid; do
    pf=${pf##*/sipp-}
    cmd_kill "${pf%.pid}"
  done
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    agent-ring-forever) [[ $# -ge 1 ]] || die "usage: sipp.sh agent-ring-forever PORT [SECONDS]"
                        run_uas "$SCEN/agent-ring-forever-uas.xml" "$@" ;;
    agent-answer) [[ $# -ge 1 ]] || die "usage: sipp.sh agent-answer PORT [SECONDS]"
                  run_uas "$SCEN/agent-answer-uas.xml" "$@" ;;
    busy) [[ $# -ge 1 ]] || die "usage: sipp.sh busy PORT [SECONDS]"
          run_uas "$SCEN/busy-uas.xml" "$@" ;;
    congestion) [[ $# -ge 1 ]] || die "usage: sipp.sh congestion PORT [SECONDS]"
                run_uas "$SCEN/congestion-uas.xml" "$@" ;;
    customer) run_uas "$SCEN/customer-uas.xml" "${1:-5070}" "${2:-300}" ;;
    customer-human) audio_files; cd "$LOG_DIR"; run_uas "$SCEN/customer-human-uas.xml" "${1:-5070}" "${2:-300}" ;;
    customer-machine) audio_files; cd "$LOG_DIR"; run_uas "$SCEN/customer-machine-uas.xml" "${1:-5070}" "${2:-300}" ;;
    customer-keys) cmd_customer_keys "$@" ;;
    caller-keys) cmd_caller_keys "$@" ;;
    caller) cmd_caller "$@" ;;
    caller-press) cmd_caller_press "$@" ;;
    bg) cmd_bg "$@" ;;
    kill) cmd_kill "$@" ;;
    kill-all) cmd_kill_all ;;
    -h | --help | help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}
main "$@"
