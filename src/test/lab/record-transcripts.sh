#!/usr/bin/env bash
# Place one real call per call path through the lab Asterisk and record the raw AMI traffic of each.
#
#   record-transcripts.sh [PATH ...]      default: every path below
#
# Needs a running lab (asterisk-lab.sh start). For each path: starts the SIPp phones the path needs,
# connects ami-record.py (Login, Events: on), places the call with sipp.sh caller, stops recording
# 2 s after the dialplan's end-of-call UserEvent (SwitchboardCallEnd), stops the phones and writes
#   $OUT/<path>.ami        raw AMI bytes as received (CRLF framing, banner and login response included)
#   $OUT/<path>.cdr.csv    the CDR lines the call added to cdr-custom/switchboard-cdr.csv
#   $OUT/<path>.sip.txt    the caller's SIP messages with timestamps (SIPp -trace_msg)
# OUT defaults to <repo>/src/main/resources/ami-transcripts.
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB/../../.." && pwd)
OUT=${OUT:-$REPO_ROOT/src/main/resources/ami-transcripts}
WORK=$(mktemp -d /tmp/switchboard-record.XXXXXX)
export SIPP_LOG_DIR=$WORK/sipp
ROOT=$("$LAB/asterisk-lab.sh" path)
CDR=$ROOT/var/log/asterisk/cdr-custom/switchboard-cdr.csv

log() { printf 'record: %s\n' "$*" >&2; }
die() { printf 'record: ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() { "$LAB/sipp.sh" kill-all || true; }
trap cleanup EXIT

"$LAB/asterisk-lab.sh" status >/dev/null || die "the lab is not running: $LAB/asterisk-lab.sh start"
read -r _ AMI_SECRET < <("$LAB/asterisk-lab.sh" start 2>/dev/null | awk -F= '$1=="AMI_SECRET"{print "x", $2}')
mkdir -p "$OUT"

wait_idle() {
  # Until Asterisk has no channel left (bounded: 30 s).
  local i n
  for ((i = 0; i < 300; i++)); do
    n=$("$LAB/asterisk-lab.sh" cli "core show channels count" | awk '/active channels?/{n=$1} END{print n}')
    [[ ${n:-0} == 0 ]] && return 0
    sleep 0.1
  done
  die "channels still up after 30 s: $("$LAB/asterisk-lab.sh" cli 'core show channels concise')"
}

# record NAME DID CALLER HOLD_MS [PHONE-SPEC ...]   PHONE-SPEC = kind:port, e.g. agent-answer:5071
record() {
  local name=$1 did=$2 caller=$3 hold=$4
  shift 4
  local spec
  wait_idle
  for spec in "$@"; do "$LAB/sipp.sh" bg "${spec%%:*}" "${spec##*:}" 180 >/dev/null; done
  local cdr_before=0
  [[ -f $CDR ]] && cdr_before=$(wc -l <"$CDR")
  local fifo=$WORK/$name.ready
  mkfifo "$fifo"
  python3 "$LAB/ami-record.py" "$WORK/$name.ami" --secret "$AMI_SECRET" \
    --stop-on "UserEvent: SwitchboardCallEnd" --count 1 --linger 2 --max-seconds 150 >"$fifo" &
  local rec=$!
  read -r -t 10 ready <"$fifo" || die "$name: AMI recorder did not log in"
  [[ $ready == ready ]] || die "$name: AMI recorder: $ready"
  log "$name: calling $did from $caller, hold ${hold} ms, phones: ${*:-none}"
  local t0=$SECONDS rc=0
  SIPP_TRACE_MSG=1 "$LAB/sipp.sh" caller "$did" "$caller" "$hold" >"$WORK/$name.caller.out" 2>&1 || rc=$?
  wait "$rec" || die "$name: recorder failed"
  for spec in "$@"; do "$LAB/sipp.sh" kill "${spec##*:}"; done
  cp "$WORK/$name.ami" "$OUT/$name.ami"
  if [[ -f $CDR ]]; then tail -n +"$((cdr_before + 1))" "$CDR" >"$OUT/$name.cdr.csv"; fi
  cp "$SIPP_LOG_DIR/caller-5061-messages.log" "$OUT/$name.sip.txt" 2>/dev/null || true
  rm -f "$SIPP_LOG_DIR/caller-5061-messages.log"
  log "$name: done in $((SECONDS - t0)) s, sipp caller exit $rc, $(grep -c '^Event: ' "$OUT/$name.ami") events," \
      "$(wc -l <"$OUT/$name.cdr.csv") CDR lines"
}

ALL=(queue-abandon queue-timeout-voicemail queue-answered direct-noanswer-voicemail direct-busy
     direct-chanunavail direct-unreachable ivr-hangup after-hours short-abandon)
PATHS=("$@")
[[ ${#PATHS[@]} -gt 0 ]] || PATHS=("${ALL[@]}")

for p in "${PATHS[@]}"; do
  case $p in
    # (a) queue abandon: both agents ring forever, the caller hangs up 12 s after the answer (~14.5 s after
    #     the INVITE, ~12 s in the queue): clearly above the 10 s short-abandon threshold
    queue-abandon) record "$p" +18005550100 +19195550101 12000 agent-ring-forever:5071 agent-ring-forever:5072 ;;
    # (b) queue timeout (30 s) -> voicemail; the caller would stay 45 s
    queue-timeout-voicemail) record "$p" +18005550100 +19195550102 45000 agent-ring-forever:5071 agent-ring-forever:5072 ;;
    # (c) answered: agent 201 answers after 1.5 s, 202 rings; the caller talks and hangs up after 8 s
    queue-answered) record "$p" +18005550102 +19195550103 8000 agent-answer:5071 agent-ring-forever:5072 ;;
    # (d) direct dial, extension 101 rings forever -> NOANSWER after 20 s -> voicemail
    direct-noanswer-voicemail) record "$p" +18005550103 +19195550104 30000 agent-ring-forever:5073 ;;
    # (e) direct dial, extension 101 busy (486) -> voicemail (busy greeting)
    direct-busy) record "$p" +18005550103 +19195550105 30000 busy:5073 ;;
    # (f) direct dial to extension 102, which has no registered contact -> CHANUNAVAIL -> voicemail
    direct-chanunavail) record "$p" +18005550106 +19195550106 30000 ;;
    # (f2) direct dial to extension 101 with nothing listening on its port (static contact, UDP)
    direct-unreachable) record "$p" +18005550103 +19195550107 30000 ;;
    # (g) IVR: the caller hangs up 4 s after the answer, during the prompt / WaitExten(10)
    ivr-hangup) record "$p" +18005550105 +19195550108 4000 agent-ring-forever:5071 agent-ring-forever:5072 ;;
    # (h) after-hours DID -> UserEvent SwitchboardAfterHours -> voicemail
    after-hours) record "$p" +18005550104 +19195550109 30000 ;;
    # (i) short abandon: the caller hangs up 2 s after the answer, in the queue
    short-abandon) record "$p" +18005550101 +19195550110 2000 agent-ring-forever:5071 agent-ring-forever:5072 ;;
    *) die "unknown path '$p' (known: ${ALL[*]})" ;;
  esac
done
rm -rf "$WORK"
