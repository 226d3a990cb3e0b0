# SPDX-License-Identifier: GPL-2.0
# clp build interrupted by SIGTERM, SIGHUP or SIGINT while kbuild runs:
# kbuild is stopped, the temporary tree removed, no module written, and
# clp dies of the signal (6.1 headers; skipped without).
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

fake_map "$tmp/map"
mkdir -p "$tmp/set"
cat > "$tmp/set/10-one.c" <<'C'
#include <linux/seq_file.h>
#include <clp/patch.h>
static int new_cmdline(struct seq_file *m, void *v) { seq_puts(m, "x\n"); return 0; }
CLP_FUNC(cmdline_proc_show, new_cmdline);
C

# job control: background jobs get their own process group and keep
# SIGINT (a non-interactive shell would start them with SIGINT ignored)
set -m
for sig in TERM HUP INT; do
	t=$tmp/tmp-$sig
	mkdir -p "$t"
	TMPDIR=$t "$clp" build -k "$rel" --system-map "$tmp/map" --build-id 0123456789abcdef \
		-o "$tmp/$sig.ko" "$tmp/set" > "$tmp/$sig.out" 2>&1 &
	pid=$!
	for i in $(seq 200); do
		ls "$t"/clp-build.*/kbuild.log > /dev/null 2>&1 && break
		sleep 0.05
	done
	ls "$t"/clp-build.*/kbuild.log > /dev/null 2>&1 || fail "SIG$sig: kbuild never started"
	dir=$(echo "$t"/clp-build.*)
	sleep 0.3
	kill -$sig $pid
	wait $pid
	rc=$?
	expect_eq "SIG$sig: clp dies of the signal" "$rc" $((128 + $(kill -l $sig)))
	expect_match "SIG$sig: message" "$(cat "$tmp/$sig.out")" "^clp: build: interrupted by SIG$sig; kbuild stopped, temporary tree removed, no module written$"
	expect_eq "SIG$sig: temporary tree removed" "$(ls -A "$t")" ""
	[ -e "$tmp/$sig.ko" ] && fail "SIG$sig: a module was written"
	for i in $(seq 50); do
		pgrep -f "M=$dir" > /dev/null || break
		sleep 0.1
	done
	pgrep -af "M=$dir" && fail "SIG$sig: kbuild still runs"
	note "ok: SIG$sig: kbuild stopped"
done
