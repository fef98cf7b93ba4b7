#!/usr/bin/env python3
"""Print the events that matter for missed-call classification from a raw AMI transcript.

  summarize-transcript.py FILE.ami [--sip FILE.sip.txt] [--all]

Parses the CRLF-framed AMI messages, finds the caller (the first Newchannel whose Uniqueid equals its
Linkedid), and prints one line per relevant event of that call, with the time in seconds since the
caller's Newchannel. --all also prints the VarSet/Newexten noise. --sip adds the caller's SIP messages
(SIPp -trace_msg log) on the same time line.
"""
import argparse
import datetime
import re
import sys

KEY_VARS = {"SB_SOURCE", "__SB_SOURCE", "SB_DID", "__SB_DID", "QUEUESTATUS", "DIALSTATUS", "ABANDONED",
            "VMSTATUS", "SB_STAGE", "SB_VOICEMAIL", "MEMBERINTERFACE", "ANSWEREDTIME", "QUEUEWAIT"}
KEY_EVENTS = {"Newchannel", "QueueCallerJoin", "AgentCalled", "AgentRingNoAnswer", "AgentConnect",
              "AgentComplete", "AgentDump", "QueueCallerAbandon", "QueueCallerLeave", "DialBegin", "DialEnd",
              "UserEvent", "HangupRequest", "SoftHangupRequest", "Hangup", "BridgeEnter", "MessageWaiting",
              "Newstate"}


def parse(path):
    raw = open(path, "rb").read().decode("utf-8", "replace")
    out = []
    for block in raw.split("\r\n\r\n"):
        fields = []
        for line in block.split("\r\n"):
            if ": " in line:
                k, v = line.split(": ", 1)
                fields.append((k, v))
            elif line.endswith(":"):
                fields.append((line[:-1], ""))
        if fields:
            out.append(fields)
    return out


def get(fields, key, default=None):
    for k, v in fields:
        if k.lower() == key.lower():
            return v
    return default


def describe(ev, f):
    if ev == "VarSet":
        return f"{get(f, 'Variable')}={get(f, 'Value')}"
    if ev == "Newexten":
        return f"{get(f, 'Context')},{get(f, 'Exten')},{get(f, 'Priority')} {get(f, 'Application')}({get(f, 'AppData')})"
    if ev in ("DialBegin", "DialState", "DialEnd"):
        s = f"-> {get(f, 'DestChannel')}"
        if get(f, "DialStatus") is not None:
            s += f" DialStatus={get(f, 'DialStatus')}"
        return s
    if ev == "Hangup":
        return f"Cause={get(f, 'Cause')} ({get(f, 'Cause-txt')})"
    if ev in ("HangupRequest", "SoftHangupRequest"):
        return "Cause=" + (get(f, "Cause") if get(f, "Cause") is not None else "(no Cause header)")
    if ev == "UserEvent":
        idx = [k for k, _ in f].index("UserEvent")
        return " ".join(f"{k}: {v}" for k, v in f[idx:])
    if ev.startswith(("Agent", "QueueCaller")):
        keys = ("Queue", "Interface", "Position", "OriginalPosition", "Count", "HoldTime", "RingTime",
                "TalkTime", "Reason")
        return " ".join(f"{k}={get(f, k)}" for k in keys if get(f, k) is not None)
    if ev == "Newstate":
        return get(f, "ChannelStateDesc")
    if ev == "Newchannel":
        cv = [v for k, v in f if k == "ChanVariable"]
        return (f"{get(f, 'ChannelStateDesc')} Uniqueid={get(f, 'Uniqueid')} Linkedid={get(f, 'Linkedid')} "
                f"CallerIDNum={get(f, 'CallerIDNum')} Exten={get(f, 'Exten')} {' '.join(cv)}")
    if ev == "BridgeEnter":
        return f"bridge {get(f, 'BridgeUniqueid')}"
    return ""


def sip_lines(path):
    """(epoch, "sent|received <first line>") per message of a SIPp -trace_msg log (timestamps in UTC)."""
    out = []
    ts = None
    direction = ""
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)", line)
        if m:
            ts = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(
                tzinfo=datetime.timezone.utc).timestamp()
            direction = ""
            continue
        if ts is None or not line.strip():
            continue
        if line.startswith("UDP message"):
            direction = "sent" if "sent" in line else "received"
            continue
        out.append((ts, f"{direction}: {line.strip()}"))
        ts = None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ami")
    ap.add_argument("--sip")
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    msgs = parse(a.ami)
    caller = None
    for f in msgs:
        if get(f, "Event") == "Newchannel" and get(f, "Uniqueid") == get(f, "Linkedid"):
            caller = f
            break
    if not caller:
        print("no caller Newchannel found", file=sys.stderr)
        return 1
    linkedid = get(caller, "Linkedid")
    t0 = float(get(caller, "Timestamp"))
    rows = []
    for f in msgs:
        ev = get(f, "Event")
        if not ev or get(f, "Linkedid") != linkedid:
            continue
        if not a.all:
            if ev == "VarSet" and get(f, "Variable") not in KEY_VARS:
                continue
            if ev == "Newexten" and (get(f, "Application") or "").lower() not in ("queue", "dial", "voicemail", "waitexten",
                                                                 "background", "answer", "userevent"):
                continue
            if ev not in KEY_EVENTS and ev not in ("VarSet", "Newexten"):
                continue
        rows.append((float(get(f, "Timestamp")), ev, get(f, "Channel"), describe(ev, f)))
    if a.sip:
        for ts, line in sip_lines(a.sip):
            rows.append((ts, "SIP caller", "", line))
    rows.sort(key=lambda r: r[0])
    print(f"caller Linkedid {linkedid}, CallerIDNum {get(caller, 'CallerIDNum')}, DID {get(caller, 'Exten')}")
    for ts, ev, ch, d in rows:
        print(f"{ts - t0:+9.3f}s  {ev:<18} {ch or '':<26} {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
