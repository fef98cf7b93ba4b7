#!/usr/bin/env python3
"""Drive the lab Asterisk with AMI actions and record the raw AMI bytes, byte for byte.

Like ami-record.py (one connection, Login with Events: on, every byte written to OUT unchanged, CRLF
framing kept), but this connection also sends actions, so the file holds the action replies *and* the
events exactly as a client logged in as `switchboard` receives them. The actions sent are logged to
OUT.actions (one block per action, as written on the wire).

  ami-actions.py OUT STEP [STEP ...]

Steps (executed in order; ${name} in any text is replaced by a value captured earlier):
  send:Action=Originate;Channel=PJSIP/5551234@customer;Variable=A=1;Variable=B=2
                         one action (keys as given, repeated keys allowed, ';' separates headers)
  wait:REGEX[=>name]     until REGEX matches the received text (DOTALL); with =>name the first group is
                         captured as ${name}; searching starts after the previous wait's match
  sleep:SECONDS
  linger:SECONDS         keep reading SECONDS, then stop (the last step)
Limits: --max-seconds for the whole run (default 120); each wait fails after --wait-seconds (60).
"""
import argparse
import re
import socket
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("steps", nargs="+")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5038)
    ap.add_argument("--user", default="switchboard")
    ap.add_argument("--secret", default="switchboard-lab-secret")
    ap.add_argument("--max-seconds", type=float, default=120.0)
    ap.add_argument("--wait-seconds", type=float, default=60.0)
    a = ap.parse_args()

    deadline = time.monotonic() + a.max_seconds
    sock = socket.create_connection((a.host, a.port), timeout=5)
    sock.settimeout(0.05)
    captured = {}
    state = {"buf": b"", "pos": 0}
    out = open(a.out, "wb")
    actions = open(a.out + ".actions", "wb")

    def pump(seconds):
        end = min(time.monotonic() + seconds, deadline)
        while time.monotonic() < end:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise SystemExit("ami-actions: connection closed by Asterisk")
            out.write(data)
            out.flush()
            state["buf"] += data
            return True
        return False

    def subst(text):
        return re.sub(r"\$\{(\w+)\}", lambda m: captured[m.group(1)], text)

    def send(spec, log=True):
        lines = []
        for part in subst(spec).split(";"):
            k, _, v = part.partition("=")
            lines.append(f"{k}: {v}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
        if log:  # the login (with the lab's secret) is not logged
            actions.write(raw)
            actions.flush()
        sock.sendall(raw)

    def wait(spec):
        name = None
        if "=>" in spec:
            spec, name = spec.rsplit("=>", 1)
        rx = re.compile(subst(spec).encode(), re.S)
        until = time.monotonic() + a.wait_seconds
        while True:
            m = rx.search(state["buf"], state["pos"])
            if m:
                state["pos"] = m.end()
                if name:
                    captured[name] = m.group(1).decode()
                return
            if time.monotonic() > until or time.monotonic() > deadline:
                raise SystemExit(f"ami-actions: timed out waiting for {spec!r}")
            pump(0.2)

    send(f"Action=Login;ActionID=record-login;Username={a.user};Secret={a.secret};Events=on", log=False)
    wait(r"ActionID: record-login\r\nMessage: Authentication accepted")
    print("ready", flush=True)
    for step in a.steps:
        kind, _, arg = step.partition(":")
        if kind == "send":
            send(arg)
        elif kind == "wait":
            wait(arg)
        elif kind == "sleep":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                pump(end - time.monotonic())
        elif kind == "linger":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                pump(end - time.monotonic())
        else:
            raise SystemExit(f"ami-actions: unknown step {step!r}")
    try:
        sock.sendall(b"Action: Logoff\r\nActionID: record-logoff\r\n\r\n")
        pump(0.5)
    except OSError:
        pass
    sock.close()
    out.close()
    actions.close()
    for k, v in captured.items():
        print(f"{k}={v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
