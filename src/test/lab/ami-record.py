#!/usr/bin/env python3
"""Record raw AMI traffic from the lab Asterisk, byte for byte.

Connects to AMI, sends `Action: Login` (Username, Secret, Events: on) and writes every byte received
(banner, login response, events) to OUT exactly as it arrived (CRLF framing kept). Stops when
  * --stop-on TEXT has been seen --count times (e.g. "UserEvent: SwitchboardCallEnd", emitted by the
    dialplan's hang-up handler at the end of every inbound call), then keeps reading --linger seconds
    so the trailing Hangup events are captured; or
  * --max-seconds have passed; or SIGTERM / SIGINT.
Prints "ready" on stdout once the login response has arrived, so a driver can start calls after it.

  ami-record.py OUT [--host 127.0.0.1] [--port 5038] [--user switchboard] [--secret S]
                [--stop-on TEXT] [--count N] [--linger S] [--max-seconds S]
"""
import argparse
import signal
import socket
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5038)
    ap.add_argument("--user", default="switchboard")
    ap.add_argument("--secret", default="switchboard-lab-secret")
    ap.add_argument("--stop-on", default=None)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--linger", type=float, default=2.0)
    ap.add_argument("--max-seconds", type=float, default=180.0)
    a = ap.parse_args()

    stop = {"flag": False}

    def on_signal(_sig, _frm):
        stop["flag"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    deadline = time.monotonic() + a.max_seconds
    sock = socket.create_connection((a.host, a.port), timeout=5)
    sock.settimeout(0.2)
    login = (f"Action: Login\r\nActionID: record-login\r\nUsername: {a.user}\r\nSecret: {a.secret}\r\n"
             f"Events: on\r\n\r\n").encode()
    sock.sendall(login)

    needle = a.stop_on.encode() if a.stop_on else None
    seen = 0
    linger_until = None
    logged_in = False
    buf = b""  # only for searching; the file gets the raw bytes
    with open(a.out, "wb") as f:
        while not stop["flag"]:
            now = time.monotonic()
            if now >= deadline or (linger_until is not None and now >= linger_until):
                break
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                print("ami-record: connection closed by Asterisk", file=sys.stderr)
                break
            f.write(data)
            f.flush()
            buf += data
            if not logged_in:
                if b"ActionID: record-login" in buf:
                    if b"Response: Success" not in buf:
                        print("ami-record: login failed", file=sys.stderr)
                        return 1
                    logged_in = True
                    print("ready", flush=True)
            if needle and linger_until is None:
                seen = buf.count(needle)
                if seen >= a.count:
                    linger_until = time.monotonic() + a.linger
            # keep the search buffer bounded (needle cannot straddle more than its own length)
            if needle and len(buf) > 1 << 20 and linger_until is None:
                keep = len(needle)
                seen_before = buf[:-keep].count(needle)
                a.count -= seen_before
                buf = buf[-keep:]
    try:
        sock.sendall(b"Action: Logoff\r\n\r\n")
    except OSError:
        pass
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
