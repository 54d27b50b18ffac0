#!/usr/bin/env bash
# make-subset.sh — build the bundled CJK UI font for the egui viewer.
#
# Subsets the Simplified Chinese face ("Noto Sans CJK SC", PostScript name
# NotoSansCJKsc-Regular) out of Noto Sans CJK Regular TTC into a plain
# CFF-flavoured OpenType file (.otf; NOT WOFF/WOFF2, which egui cannot load).
#
# Usage:
#   make-subset.sh [-c gbk|gb2312] [-o OUT.otf] TTC_PATH [EXTRA_TEXT_FILE...]
#
#   TTC_PATH         e.g. /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
#                    (Debian package fonts-noto-cjk)
#   -c CHARSET       gbk (default) or gb2312: every 2-byte code point
#                    (lead 0x81-0xFE, trail 0x40-0xFE except 0x7F) that
#                    Python's codec of that name decodes is included.
#   -o OUT           output path; default: NotoSansSC-GBK.otf or
#                    NotoSansSC-GB2312.otf next to this script.
#   EXTRA_TEXT_FILE  UTF-8 text files whose characters are all added too
#                    (used with the project's seed/plan text and township CSV).
#
# Always included as well: ASCII U+0020-007E, Latin-1 Supplement U+00A0-00FF
# (° ± × · ² ³ ¹ …), General Punctuation U+2000-206F (— … ‘ ’ “ ” ′ ″ ‰),
# Superscripts/Subscripts U+2070-209F (ⁿ …), Arrows U+2190-21FF (← → ↑ ↓),
# CJK Symbols & Punctuation U+3000-303F, Halfwidth/Fullwidth Forms U+FF00-FFEF,
# U+30FB (what strict GB2312 decodes 0xA1A4 to; Python's gbk gives U+00B7)
# and U+FFFD.  Characters the source font lacks are silently skipped by
# pyftsubset.
#
# Output options: hinting dropped, no OpenType layout features (GSUB/GPOS/GDEF
# and BASE dropped), vertical metrics tables dropped, glyph names dropped,
# name table reduced to IDs 0-7,13,14 (English/Windows), so the copyright,
# trademark and licence records are kept.
#
# Requires: python3 with fontTools (pip install fonttools).
set -euo pipefail

charset=gbk
out=""
while getopts "c:o:h" opt; do
  case "$opt" in
    c) charset="$OPTARG" ;;
    o) out="$OPTARG" ;;
    h) sed -n '2,34p' "$0"; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
  echo "usage: $0 [-c gbk|gb2312] [-o OUT.otf] TTC_PATH [EXTRA_TEXT_FILE...]" >&2
  exit 2
fi
ttc="$1"; shift
case "$charset" in
  gbk)    default_name=NotoSansSC-GBK.otf ;;
  gb2312) default_name=NotoSansSC-GB2312.otf ;;
  *) echo "unknown charset: $charset" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
out="${out:-$here/$default_name}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Find the TTC index of the SC face by its PostScript name (not by guessing).
index="$(python3 - "$ttc" <<'PY'
import sys
from fontTools.ttLib import TTCollection
c = TTCollection(sys.argv[1], lazy=True)
hits = [i for i, f in enumerate(c.fonts)
        if f["name"].getDebugName(6) == "NotoSansCJKsc-Regular"]
if len(hits) != 1:
    sys.exit("NotoSansCJKsc-Regular not found exactly once in " + sys.argv[1])
print(hits[0])
PY
)"
echo "TTC index of NotoSansCJKsc-Regular: $index" >&2

# 2. Build the code point list.
python3 - "$charset" "$tmp/unicodes.txt" "$@" <<'PY'
import sys
charset, dest, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
cps = set(range(0x20, 0x7F))            # ASCII
ranges = [(0x00A0, 0x00FF),             # Latin-1 punctuation/symbols
          (0x2000, 0x206F),             # General Punctuation
          (0x2070, 0x209F),             # Superscripts and Subscripts
          (0x2190, 0x21FF),             # Arrows
          (0x3000, 0x303F),             # CJK Symbols and Punctuation
          (0xFF00, 0xFFEF),             # Halfwidth and Fullwidth Forms
          (0x30FB, 0x30FB),             # katakana middle dot (GB2312 0xA1A4)
          (0xFFFD, 0xFFFD)]             # replacement character
for a, b in ranges:
    cps.update(range(a, b + 1))
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        try:
            s = bytes([lead, trail]).decode(charset)
        except UnicodeDecodeError:
            continue
        cps.update(map(ord, s))
for path in extra:
    with open(path, encoding="utf-8") as fh:
        cps.update(ord(ch) for ch in fh.read() if ord(ch) >= 0x20)
with open(dest, "w") as fh:
    fh.write("\n".join("U+%04X" % c for c in sorted(cps)) + "\n")
print("requested code points:", len(cps), file=sys.stderr)
PY

# 3. Subset.
python3 -m fontTools.subset "$ttc" \
  --font-number="$index" \
  --unicodes-file="$tmp/unicodes.txt" \
  --layout-features='' \
  --no-hinting \
  --no-glyph-names \
  --drop-tables+=GSUB,GPOS,GDEF,BASE,vhea,vmtx,VORG \
  --name-IDs=0,1,2,3,4,5,6,7,13,14 \
  --name-languages=0x0409 \
  --notdef-outline \
  --output-file="$out"

echo "wrote $out ($(stat -c %s "$out") bytes)" >&2
