#!/usr/bin/env bash
# Record what the real lab Asterisk answers to the AMI actions Switchboard sends (Originate, Redirect,
# Setvar, QueueStatus, CoreShowChannels and their errors), with the events that follow, byte for byte.
#
#   record-actions.sh [NAME ...]      default: every recording below
#
# Needs a running lab (asterisk-lab.sh start). Each recording is one AMI connection (ami-actions.py: Login
# as switchboard with Events: on, then the actions) and writes to $OUT (default
# <repo>/src/main/resources/ami-transcripts):
#   actions-<name>.ami           raw AMI bytes as received (banner, replies, events; CRLF framing)
#   actions-<name>.ami.actions   the actions as sent on the wire
#   actions-<name>.cdr.csv       the CDR lines the recording's calls added (when there are any)
# See INDEX.md there.
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB/../../.." && pwd)
OUT=${OUT:-$REPO_ROOT/src/main/resources/ami-transcripts}
WORK=$(mktemp -d /tmp/switchboard-record-actions.XXXXXX)
export SIPP_LOG_DIR=$WORK/sipp

log() { printf 'record-actions: %s\n' "$*" >&2; }
die() { printf 'record-actions: ERROR: %s\n' "$*" >&2; exit 1; }

CALLER_PID=
cleanup() {
  [[ -n $CALLER_PID ]] && kill "$CALLER_PID" 2>/dev/null || true
  "$LAB/sipp.sh" kill-all || true
}
trap cleanup EXIT

"$LAB/asterisk-lab.sh" status >/dev/null || die "the lab is not running: $LAB/asterisk-lab.sh start"
ROOT=$("$LAB/asterisk-lab.sh" path)
CDR=$ROOT/var/log/asterisk/cdr-custom/switchboard-cdr.csv
read -r _ AMI_SECRET < <("$LAB/asterisk-lab.sh" start 2>/dev/null | awk -F= '$1=="AMI_SECRET"{print "x", $2}')
mkdir -p "$OUT"

wait_idle() {
  local i n
  for ((i = 0; i < 300; i++)); do
    n=$("$LAB/asterisk-lab.sh" cli "core show channels count" | awk '/active channels?/{n=$1} END{print n}')
    [[ ${n:-0} == 0 ]] && return 0
    sleep 0.1
  done
  die "channels still up after 30 s: $("$LAB/asterisk-lab.sh" cli 'core show channels concise')"
}

phones() { local spec; for spec in "$@"; do "$LAB/sipp.sh" bg "${spec%%:*}" "${spec##*:}" 120 >/dev/null; done; }

# rec NAME STEP...   (steps: see ami-actions.py)
rec() {
  local name=$1
  shift
  local cdr_before=0
  [[ -f $CDR ]] && cdr_before=$(wc -l <"$CDR")
  python3 "$LAB/ami-actions.py" "$WORK/$name.ami" --secret "$AMI_SECRET" "$@" >"$WORK/$name.out" \
    || die "$name: $(tail -n 3 "$WORK/$name.out")"
  cp "$WORK/$name.ami" "$OUT/actions-$name.ami"
  cp "$WORK/$name.ami.actions" "$OUT/actions-$name.ami.actions"
  sleep 0.5 # cdr_custom writes the record when the call's last channel is gone
  if [[ -f $CDR ]] && (($(wc -l <"$CDR") > cdr_before)); then tail -n +"$((cdr_before + 1))" "$CDR" >"$OUT/actions-$name.cdr.csv"; fi
  log "$name: $(grep -c '^Event: ' "$OUT/actions-$name.ami") events, $(grep -c '^Response: ' "$OUT/actions-$name.ami") replies"
}

# The callback Originate as Switchboard sends it (Asterisk-Java writes the keys in lower case; Asterisk
# reads them case-insensitively, so the recording uses Asterisk's spelling).
originate() { # ID NUMBER@ENDPOINT TIMEOUT_MS
  echo "send:Action=Originate;ActionID=rec-$1;Channel=PJSIP/$2;Context=sb-callback;Exten=s;Priority=1;Timeout=$3;CallerID=\"Switchboard\" <+18005550100>;Variable=SB_CALLBACK_ID=cb-$1;Variable=SB_LEAD_ID=lead-$1;Async=true;ChannelId=sbcb-$1"
}

ALL=(originate-answered originate-busy originate-noanswer originate-congestion originate-failure queue-redirect errors)
NAMES=("$@")
[[ ${#NAMES[@]} -gt 0 ]] || NAMES=("${ALL[@]}")

for n in "${NAMES[@]}"; do
  wait_idle
  case $n in
    # The customer answers after 0.5 s, the callback context queues them (agents ring forever), the
    # customer hangs up 4 s after answering.
    originate-answered)
      phones customer:5070 agent-ring-forever:5071 agent-ring-forever:5072
      rec "$n" "$(originate answered +19195550201@customer 20000)" \
        'wait:Event: OriginateResponse\r\n' 'wait:Event: Hangup\r\n[^\r]*\r\n[^\r]*\r\nChannel: PJSIP/customer' 'linger:2' ;;
    # The customer's phone answers 486 Busy Here.
    originate-busy)
      phones busy:5070
      rec "$n" "$(originate busy +19195550202@customer 20000)" 'wait:Event: OriginateResponse\r\n' 'linger:2' ;;
    # The customer's phone rings and nobody answers within the Originate Timeout (5 s).
    originate-noanswer)
      phones agent-ring-forever:5070
      rec "$n" "$(originate noanswer +19195550203@customer 5000)" 'wait:Event: OriginateResponse\r\n' 'linger:2' ;;
    # The route answers 503 Service Unavailable (a congested trunk).
    originate-congestion)
      phones congestion:5070
      rec "$n" "$(originate congestion +19195550206@customer 20000)" 'wait:Event: OriginateResponse\r\n' 'linger:2' ;;
    # An endpoint with no contact (102 never registers in the lab): the channel cannot be created.
    originate-failure)
      rec "$n" "$(originate failure +19195550204@102 20000)" 'wait:Event: OriginateResponse\r\n' 'linger:1' ;;
    # A caller waits in the service queue (agents ring forever): QueueStatus, Setvar on the caller's
    # channel, then Redirect to sb-overflow, where the office (101) answers after 1.5 s; the caller hangs
    # up 20 s after the route answered.
    queue-redirect)
      phones agent-ring-forever:5071 agent-ring-forever:5072 agent-answer:5073
      SIPP_TRACE_MSG=1 "$LAB/sipp.sh" caller +18005550100 +19195550111 20000 >"$WORK/caller.out" 2>&1 &
      CALLER_PID=$!
      rec "$n" 'wait:Event: QueueCallerJoin\r\n.*?Channel: (PJSIP/carrier-[0-9a-f]+)\r\n=>chan' \
        'wait:Event: AgentCalled\r\n' 'sleep:1' \
        'send:Action=QueueStatus;ActionID=rec-queuestatus' 'wait:Event: QueueStatusComplete\r\n' \
        'send:Action=CoreShowChannels;ActionID=rec-coreshowchannels' 'wait:Event: CoreShowChannelsComplete\r\n' \
        'send:Action=Setvar;ActionID=rec-setvar;Channel=${chan};Variable=SB_OVERFLOW;Value=office' 'wait:ActionID: rec-setvar\r\n' \
        'send:Action=Redirect;ActionID=rec-redirect;Channel=${chan};Context=sb-overflow;Exten=+18005550100;Priority=1' \
        'wait:ActionID: rec-redirect\r\n' 'wait:UserEvent: SwitchboardCallEnd\r\n' 'linger:2'
      wait "$CALLER_PID" || log "queue-redirect: sipp caller exit $?"
      CALLER_PID= ;;
    # The error replies, with nothing on the line.
    errors)
      rec "$n" \
        'send:Action=Originate;ActionID=rec-e1;Context=sb-callback;Exten=s;Priority=1;Async=true' 'wait:ActionID: rec-e1\r\n' \
        'send:Action=Originate;ActionID=rec-e2;Channel=nonsense;Context=sb-callback;Exten=s;Priority=1;Async=true' 'wait:ActionID: rec-e2\r\n' \
        'send:Action=Originate;ActionID=rec-e3;Channel=PJSIP/+19195550205@customer;Context=no-such-context;Exten=s;Priority=1;Async=true' 'wait:ActionID: rec-e3\r\n' \
        'send:Action=Originate;ActionID=rec-e4;Channel=PJSIP/+19195550205@customer;Context=sb-callback;Exten=s' 'wait:ActionID: rec-e4\r\n' \
        'send:Action=Originate;ActionID=rec-e5;Channel=PJSIP/+19195550205@102;Context=sb-callback;Exten=s;Priority=1;Timeout=3000' 'wait:ActionID: rec-e5\r\nMessage' \
        'send:Action=Redirect;ActionID=rec-e6;Channel=PJSIP/carrier-7fffffff;Context=sb-overflow;Exten=+18005550100;Priority=1' 'wait:ActionID: rec-e6\r\n' \
        'send:Action=Redirect;ActionID=rec-e7;Context=sb-overflow;Exten=+18005550100;Priority=1' 'wait:ActionID: rec-e7\r\n' \
        'send:Action=Setvar;ActionID=rec-e8;Channel=PJSIP/carrier-7fffffff;Variable=SB_OVERFLOW;Value=office' 'wait:ActionID: rec-e8\r\n' \
        'send:Action=Setvar;ActionID=rec-e9;Channel=PJSIP/carrier-7fffffff' 'wait:ActionID: rec-e9\r\n' \
        'send:Action=QueueStatus;ActionID=rec-e10' 'wait:Event: QueueStatusComplete\r\n' \
        'send:Action=CoreShowChannels;ActionID=rec-e11' 'wait:Event: CoreShowChannelsComplete\r\n' \
        'send:Action=Bogus;ActionID=rec-e12' 'wait:ActionID: rec-e12\r\n' 'linger:1' ;;
    *) die "unknown recording '$n' (known: ${ALL[*]})" ;;
  esac
  "$LAB/sipp.sh" kill-all
done
rm -rf "$WORK"
