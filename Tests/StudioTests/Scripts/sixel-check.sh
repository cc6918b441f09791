#!/bin/sh
# make sixel-check: the studio in `xterm -ti vt340` (256 colour registers) under Xvfb; a screenshot of the
# xterm window; the preview found in it by matching `portrait render` of the controls the studio logged for
# its last full frame, scaled to the pane size it logged (ImageMagick compare, sub-image search).
# Usage: sixel-check.sh PORTRAIT WORKDIR [MODEL]
set -eu
portrait=$(realpath "$1")
work=$(realpath -m "$2")
model=${3:-}
reference=${PORTRAIT_REFERENCE:-$(dirname "$(realpath "$0")")/../../../../shared/reference}
rm -rf "$work" && mkdir -p "$work/out" "$work/state" "$work/data" "$work/config"
if [ -z "$model" ]; then
  model="$work/tiny.portrait"
  "$portrait" import --checkpoint "$reference/ref-tiny/generator.pt" \
    --knn-index "$reference/ref-tiny/valid_smpl_knn_index.npy" \
    --smpl "$reference/ref-tiny/body/SMPL_NEUTRAL.pkl.gz" --means "$reference/ref-tiny" -o "$model"
fi
model=$(realpath "$model")

display=:$(( 90 + $$ % 9 ))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
cleanup() { kill "$xterm_pid" 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; }
xterm_pid=
trap cleanup EXIT INT TERM
sleep 1

log="$work/state/portrait-studio/studio.log"
DISPLAY=$display LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
  xterm -ti vt340 -xrm 'XTerm*decTerminalID: vt340' -xrm 'XTerm*numColorRegisters: 256' \
  -bg black -fg grey90 -geometry 110x36+0+0 -title portrait-studio \
  -e "$portrait" studio "$model" --out "$work/out" --graphics auto &
xterm_pid=$!

# Wait for the first full frame (and the pane drawn after it).
i=0
while [ $i -lt 600 ]; do
  if [ -f "$log" ] && grep -q "full frame" "$log" && grep -q "pane: " "$log"; then break; fi
  sleep 0.1; i=$((i + 1))
done
sleep 1.5
grep -q "full frame" "$log" || { echo "sixel-check: no full frame in $log"; cat "$log" 2>/dev/null; exit 1; }
pane=$(grep "pane: " "$log" | tail -1)
echo "studio: $pane"
case "$pane" in *"pane: sixel"*) ;; *) echo "sixel-check: the studio did not choose sixel (DA1 without 4?)"; exit 1;; esac

DISPLAY=$display xwd -root -silent | convert xwd:- "$work/screenshot.png"
echo "screenshot: $work/screenshot.png"

grep "full frame" "$log" | tail -1 | sed 's/^[^{]*//' > "$work/controls.json"
"$portrait" render "$model" --controls "$work/controls.json" -o "$work/render.png"

# Expected size and cell position from the log line "pane: sixel WxH at row R column C, cells CWxCH px".
size=$(echo "$pane" | sed -E 's/.*sixel ([0-9]+)x([0-9]+) at.*/\1x\2/')
row=$(echo "$pane" | sed -E 's/.* at row ([0-9]+) .*/\1/')
column=$(echo "$pane" | sed -E 's/.* column ([0-9]+),.*/\1/')
cell=$(echo "$pane" | sed -E 's/.*cells ([0-9]+)x([0-9]+) px.*/\1 \2/')
cw=${cell% *}; ch=${cell#* }
convert "$work/render.png" -resize "$size!" "$work/render-scaled.png"
# Search a window around the expected place (xterm's border and the window position are a few pixels).
w=${size%x*}; h=${size#*x}
x0=$((column * cw)); y0=$((row * ch))
convert "$work/screenshot.png" -crop "$((w + 24))x$((h + 24))+$x0+$y0" +repage "$work/search.png"
result=$(compare -metric RMSE -subimage-search "$work/search.png" "$work/render-scaled.png" null: 2>&1 || true)
offset=$(echo "$result" | sed -E 's/.*@ ([0-9]+),([0-9]+).*/\1 \2/')
x=$((x0 + ${offset% *})); y=$((y0 + ${offset#* }))
echo "match: $result; the preview's top-left pixel is at $x,$y (pane cell $column,$row at $x0,$y0 plus the xterm border)"
# The sixel is dithered to 256 colours: compare at 32x32, where dithering averages out, against two
# controls (another seed, the mirrored frame) that must match clearly worse.
convert "$work/screenshot.png" -crop "${w}x${h}+$x+$y" +repage "$work/found.png"
"$portrait" render "$model" --controls "$work/controls.json" --seed 1 -o "$work/other.png"
small() { convert "$1" -resize "${w}x${h}!" -resize 32x32! "$2"; }
small "$work/found.png" "$work/s-found.png"
small "$work/render.png" "$work/s-render.png"
small "$work/other.png" "$work/s-other.png"
convert "$work/s-render.png" -flop "$work/s-flop.png"
rmse() { compare -metric RMSE "$work/s-found.png" "$1" null: 2>&1 | sed -E 's/.*\(([0-9.e+-]+)\).*/\1/'; }
same=$(rmse "$work/s-render.png"); other=$(rmse "$work/s-other.png"); flop=$(rmse "$work/s-flop.png")
echo "normalised RMSE at 32x32: same controls $same, seed 1 $other, mirrored $flop"
awk -v s="$same" -v o="$other" -v f="$flop" 'BEGIN { exit !(s < 0.06 && s < 0.8 * o && s < 0.8 * f) }' \
  || { echo "sixel-check: FAILED (the preview does not match the render clearly better than the controls)"; exit 1; }
echo "sixel-check: preview found"
