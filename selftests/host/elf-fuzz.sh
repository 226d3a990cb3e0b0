# SPDX-License-Identifier: GPL-2.0
# Smoke run (CLP_FUZZ_SECONDS, default 5) of the libFuzzer target of the ELF
# reader, seeded with an object compiled here.  A longer run:
#   make -C tools fuzz && build/host/bin/clp-elf-fuzz -max_total_time=600 DIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
command -v clang >/dev/null || skip "no clang"
make -s -C "$TOP/tools" fuzz OUT="$tmp/bin" > "$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log"; skip "cannot build the fuzz target (libFuzzer missing?)"; }
mkdir -p "$tmp/corpus"
printf '#include <clp/markers.h>\nextern int s(void);\nstatic int n(void) { return s(); }\nCLP_FUNC(o, n);\n' > "$tmp/s.c"
gcc -O2 -mcmodel=kernel -fno-pic -c -DCLP_UNIT=1 -I"$TOP/kmod/include" "$tmp/s.c" -o "$tmp/corpus/s.o" ||
	fail "cannot compile the seed"
"$tmp/bin/clp-elf-fuzz" -max_total_time="${CLP_FUZZ_SECONDS:-5}" -rss_limit_mb=1024 \
	-artifact_prefix="$tmp/" "$tmp/corpus" > "$tmp/fuzz.log" 2>&1
rc=$?
tail -n 3 "$tmp/fuzz.log"
if [ $rc != 0 ]; then
	grep -A30 -E 'ERROR|==[0-9]+==' "$tmp/fuzz.log" | head -50
	fail "the fuzzer found a crash (exit $rc)"
fi
note "ok: fuzz smoke run clean"
