#!/usr/bin/env bash
# Real-PBX load for `switchboard.jar loadtest --ami HOST:PORT`: SIPp callers into the lab Asterisk (asterisk-config/
# unchanged) at a total rate, in a mix of call paths, for a fixed time; the phones they need; everything stops by
# itself. Ground truth is Asterisk's own CDR file (what the dialplan's hang-up handler wrote for each call).
#
#   loadtest-sipp.sh RATE SECONDS        RATE = total new calls/s (whole number, >= 4), SECONDS = how long
#
# Mix (per second of RATE, rounded; each stream is one SIPp caller with its own port and caller numbers):
#   50 %  service queue (LSA DID) — agent 201 answers after 1.5 s, agent 202 rings forever; callers hang up after
#         12 s: answered when 201 is free, abandoned otherwise
#   20 %  service queue (GBP DID), callers hang up after 2 s (short abandons)
#   15 %  website DID → office phone 101 that is busy (BUSY → voicemail, caller leaves at 3 s)
#   15 %  referral DID → IVR, caller hangs up at 3 s (IVR hang-up)
# Needs a running lab (asterisk-lab.sh start). Prints the CDR file path for --cdr-file at the start.
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'loadtest-sipp: ERROR: %s\n' "$*" >&2; exit 1; }
[[ $# -eq 2 && $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] || die "usage: loadtest-sipp.sh RATE SECONDS (whole numbers)"
rate=$1 seconds=$2
((rate >= 4)) || die "RATE must be at least 4 (one call/s per stream)"
((seconds > 0 && seconds <= 3600)) || die "SECONDS must be 1..3600"
"$LAB/asterisk-lab.sh" status >/dev/null || die "the lab is not running: $LAB/asterisk-lab.sh start"
echo "CDR_FILE=$("$LAB/asterisk-lab.sh" path)/var/log/asterisk/cdr-custom/switchboard-cdr.csv"

cleanup() { "$LAB/sipp.sh" kill-all >/dev/null 2>&1 || true; }
trap cleanup EXIT
life=$((seconds + 180))
"$LAB/sipp.sh" bg agent-answer 5071 "$life" >/dev/null
"$LAB/sipp.sh" bg agent-ring-forever 5072 "$life" >/dev/null
"$LAB/sipp.sh" bg busy 5073 "$life" >/dev/null

share() { local r=$((rate * $1 / 100)); ((r >= 1)) || r=1; echo "$r"; }
pids=()
stream() { # PORT DID CALLER-PREFIX HOLD_MS RATE
  local port=$1 did=$2 num=$3 hold=$4 r=$5
  SIPP_CALLER_PORT=$port "$LAB/sipp.sh" caller "$did" "$num" "$hold" $((r * seconds)) "$r" >/dev/null 2>&1 &
  pids+=($!)
}
stream 5061 +18005550100 +19195550000 12000 "$(share 50)"
stream 5062 +18005550101 +19845550000 2000 "$(share 20)"
stream 5063 +18005550103 +17045550000 3000 "$(share 15)"
stream 5064 +18005550105 +13365550000 3000 "$(share 15)"
echo "loadtest-sipp: ${rate} calls/s for ${seconds} s in 4 streams; waiting for the last call to end"
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
# A stream's exit code is 1 when some of its calls failed at the SIP level (e.g. Asterisk out of capacity): the
# report says so; the PBX-side outcomes are still the ground truth.
echo "loadtest-sipp: done (SIPp exit $rc)"
