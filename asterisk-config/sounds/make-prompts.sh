#!/usr/bin/env bash
# Writes Switchboard's default English interview prompts (switchboard/*.wav: 8 kHz, 16-bit, mono — Asterisk's
# "wav" format) with espeak-ng and sox. Run it again after changing a text below, or replace any file with your own
# recording of the same name (same format: `sox yours.wav -r 8000 -c 1 -b 16 sb-zip.wav`).
#   make-prompts.sh [OUT_DIR]     default: the switchboard/ folder next to this script
# Install: copy the folder to Asterisk's sounds, e.g. /usr/share/asterisk/sounds/en/switchboard
# (FreePBX: /var/lib/asterisk/sounds/en/switchboard); the dialplan and the node name them "switchboard/sb-…".
set -euo pipefail
out=${1:-$(cd "$(dirname "$0")" && pwd)/switchboard}
command -v espeak-ng >/dev/null || { echo "make-prompts.sh: apt-get install espeak-ng" >&2; exit 2; }
command -v sox >/dev/null || { echo "make-prompts.sh: apt-get install sox" >&2; exit 2; }
mkdir -p "$out/emergency"
say() { # NAME TEXT
  local tmp
  tmp=$(mktemp --suffix .wav)
  espeak-ng -v en-us -s 165 -w "$tmp" "$2"
  # espeak-ng writes 22,050 Hz; Asterisk's wav is 8 kHz 16-bit mono. A little gain: phones are quiet.
  sox "$tmp" -D -r 8000 -c 1 -b 16 "$out/$1.wav" gain -n -3   # -D: no dither, the same file every run
  rm -f "$tmp"
}
say sb-welcome "Hi, this is the service desk returning your call. A few quick questions and we'll get you taken care of."
say sb-welcome-after-hours "Thanks for calling. We're closed right now, but a few quick questions will get you booked or get help to you."
say sb-welcome-overflow "Thanks for holding. A few quick questions will get you booked faster."
say sb-service-1 "For heating or cooling repair, press 1."
say sb-service-2 "For maintenance or a tune-up, press 2."
say sb-service-3 "For a new system or installation, press 3."
say sb-service-4 "For plumbing, press 4."
say sb-service-5 "For electrical, press 5."
say sb-service-0 "To talk to someone, press 0."
say sb-sorry "Sorry, I didn't get that."
say sb-zip "Please enter the five digit ZIP code where you need service."
say sb-you-entered "You entered"
say sb-zip-confirm "If that is correct, press 1. To enter it again, press 2."
say sb-urgency "If this is an emergency, like no heat or no cooling, a water leak, sparks, or a smell of gas, press 1. To book a visit soon, press 2. If you only need a quote, press 3."
say sb-customer "If you are new to us, press 1. If we have worked for you before, press 2. If you are a member of our service plan, press 3."
say sb-windows "Our next open arrival windows are:"
say sb-press-1-for "Press 1 for"
say sb-press-2-for "Press 2 for"
say sb-between "between"
say sb-and "and"
say sb-window-taken "Sorry, that window was just taken."
say sb-one-moment "One moment."
say sb-booked "You're booked. Our technician will arrive on"
say sb-goodbye "Thank you. Goodbye."
say sb-not-serviceable "We're sorry, we don't serve that area or offer that service. Thank you for thinking of us. Goodbye."
say sb-transfer "One moment, I'm connecting you to our team."
say emergency/sb-emergency "Stay on the line, we're connecting you now. If you smell gas, leave the house and call from outside. If water is leaking, turn off the main water valve."
echo "make-prompts.sh: $(ls "$out"/*.wav | wc -l) prompts in $out"
