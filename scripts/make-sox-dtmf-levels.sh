#!/bin/sh
# Regenerates the sox-made key fixtures: all 16 keys at 0, -10 and -25 dBm0
# per tone, made by SoX rather than dialin-sim's generator, so the decoder
# is checked against someone else's tones. Needs SoX 14.4. -D (no dither)
# keeps the output the same on every run.
# Usage: sh scripts/make-sox-dtmf-levels.sh
set -eu
cd "$(dirname "$0")/../test/fixtures/wav"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

KEYS='123A456B789C*0#D'

# Frequencies of a key, ITU-T Q.23 Table 1.
pair() {
  case $1 in
    1) echo 697 1209 ;; 2) echo 697 1336 ;; 3) echo 697 1477 ;; A) echo 697 1633 ;;
    4) echo 770 1209 ;; 5) echo 770 1336 ;; 6) echo 770 1477 ;; B) echo 770 1633 ;;
    7) echo 852 1209 ;; 8) echo 852 1336 ;; 9) echo 852 1477 ;; C) echo 852 1633 ;;
    '*') echo 941 1209 ;; 0) echo 941 1336 ;; '#') echo 941 1477 ;; D) echo 941 1633 ;;
  esac
}

# Gain for a tone at DBM0 per tone. `synth` makes each sine at full scale
# (peak 1.0, 0 dBFS). ITU-T G.711 puts the codec's full-scale sine at
# +3.14 dBm0 (A-law; +3.17 dBm0 for mu-law), so a 0 dBm0 sine peaks 3.14 dB
# below full scale: gain = DBM0 - 3.14 dB, applied to each tone before
# `remix -m` adds the two at unity. At 0 dBm0 the pair then peaks 2.9 dB
# over full scale and sox clips it (and says so), as a 16-bit or G.711
# channel would.
gain() {
  echo "$1" | awk '{ printf "%.2f", $1 - 3.14 }'
}

# keys DBM0 OUT: 50 ms silence, then per key 50 ms of tone pair and 50 ms
# of silence, 8 kHz 16-bit mono (1.65 s, about 26 KB).
keys() {
  dbm0=$1 out=$2 parts="" i=0
  while [ $i -lt ${#KEYS} ]; do
    key=$(printf '%s' "$KEYS" | cut -c $((i + 1)))
    set -- $(pair "$key")
    sox -D -r 8000 -c 2 -n -b 16 "$tmp/key$i.wav" synth 0.05 sine "$1" sine "$2" gain "$(gain "$dbm0")" remix -m 1,2 pad 0 0.05
    parts="$parts $tmp/key$i.wav"
    i=$((i + 1))
  done
  sox -D -r 8000 -c 1 -n -b 16 "$tmp/lead.wav" trim 0 0.05
  sox -D "$tmp/lead.wav" $parts "$out"
}

keys 0 sox-16-keys-0dbm0-decodes.wav
keys -10 sox-16-keys-minus-10dbm0-decodes.wav
keys -25 sox-16-keys-minus-25dbm0-decodes.wav
