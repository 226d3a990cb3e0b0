# SPDX-License-Identifier: GPL-2.0
# clp build and GCC clones (6.1 headers; skipped without them).  With a
# made-up symbol table: foo.isra.0, foo.constprop.0.isra.0, foo.part.0.cold,
# foo.lto_priv.0 are clones and refuse a patch for foo, naming each (eight
# at most, then a count); foo.cold and foo.localalias are not; each clone
# replaced (CLP_FUNC_CLONE) or acknowledged (CLP_UNAFFECTED) builds, and
# the acknowledgements are in the modinfo (clp_unaffected) and clp info;
# acknowledging a clone that does not exist, or for a function the set does
# not replace, or one the set replaces too, is refused.  With the real 6.1
# System.map (skipped without it): membuf_write has membuf_write.isra.0.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

mkdir -p "$tmp/none"
# no index next to the map: a warning; --inline-index to an empty index
printf '# clp-inlines 1 %s build-id 00\n' "$rel" > "$tmp/none/inlines"
cat > "$tmp/map" <<'M'
ffffffff81000000 t foo
ffffffff81000100 t foo.isra.0
ffffffff81000200 t foo.constprop.0.isra.0
ffffffff81000300 t foo.part.0.cold
ffffffff81000400 t foo.lto_priv.0
ffffffff81000500 t foo.cold
ffffffff81000600 t foo.localalias
ffffffff81000700 t foobar.isra.0
ffffffff81000800 t bar
ffffffff81000900 t bar.cold
ffffffff81000a00 t many
M
for i in 0 1 2 3 4 5 6 7 8 9 10; do
	printf 'ffffffff8100%d000 t many.constprop.%d\n' $((i + 1)) "$i" >> "$tmp/map"
done
B=(-k "$rel" --system-map "$tmp/map" --inline-index "$tmp/none/inlines"
   --build-id 0123456789abcdef -j1)

# patch NAME MARKER... - a patch file replacing with new_<n> per marker
patch() {
	local f=$tmp/$1.c; shift
	printf '#include <clp/patch.h>\nstatic int __maybe_unused new_0(void) { return 0; }\nstatic int __maybe_unused new_1(void) { return 1; }\nstatic int __maybe_unused new_2(void) { return 2; }\nstatic int __maybe_unused new_3(void) { return 3; }\nstatic int __maybe_unused new_4(void) { return 4; }\n' > "$f"
	printf '%s\n' "$@" >> "$f"
}

cd "$tmp"
patch only 'CLP_FUNC(foo, new_0);'
run "$clp" build "${B[@]}" -o "$tmp/only.ko" only.c
expect_rc "foo alone" 1
expect_match "clones named" "$err" "only.c:7: error: foo has 4 GCC clones in vmlinux of kernel .* that would still run the old code: foo.isra.0, foo.constprop.0.isra.0, foo.part.0.cold, foo.lto_priv.0; replace each too \(CLP_FUNC_CLONE\) or acknowledge it \(CLP_UNAFFECTED\)"
expect_no_match "foo.cold is foo's own" "$err" "foo\.cold[,;]|foo\.localalias|foobar"
[ ! -e "$tmp/only.ko" ] || fail "a refused build wrote only.ko"
note "ok: no module written"

patch cold 'CLP_FUNC(bar, new_0);'
run "$clp" build "${B[@]}" --dry-run cold.c
expect_rc "bar with only bar.cold" 0

patch many 'CLP_FUNC(many, new_0);'
run "$clp" build "${B[@]}" --dry-run many.c
expect_rc "eleven clones" 1
expect_match "eight named, then a count" "$err" "many has 11 GCC clones .*: many.constprop.0, many.constprop.1, many.constprop.2, many.constprop.3, many.constprop.4, many.constprop.5, many.constprop.6, many.constprop.7 and 3 more; "

patch mixed 'CLP_FUNC(foo, new_0);' \
	'CLP_FUNC_CLONE("foo.isra.0", new_1);' \
	'CLP_FUNC_CLONE("foo.constprop.0.isra.0", new_2);' \
	'CLP_UNAFFECTED(foo, "foo.part.0.cold");' \
	'CLP_UNAFFECTED(foo, "foo.lto_priv.0");'
run "$clp" build "${B[@]}" -o "$tmp/mixed.ko" mixed.c
expect_rc "clones replaced or acknowledged" 0
run modinfo -F clp_func "$tmp/mixed.ko"
expect_match "clone replaced by name" "$out" "^vmlinux foo.isra.0 0 0 mixed$"
run modinfo -F clp_unaffected "$tmp/mixed.ko"
expect_eq "acknowledgements recorded" "$(sort <<< "$out")" "vmlinux foo foo.lto_priv.0
vmlinux foo foo.part.0.cold"
run "$clp" info "$tmp/mixed.ko"
expect_match "info: count" "$out" "^unaffected: 2$"
expect_match "info: each" "$out" "^  vmlinux foo foo.lto_priv.0$"
run "$clp" info --json "$tmp/mixed.ko"
expect_match "info --json" "$out" '"other": "foo.part.0.cold"'

patch partial 'CLP_FUNC(foo, new_0);' 'CLP_UNAFFECTED(foo, "foo.isra.0");'
run "$clp" build "${B[@]}" --dry-run partial.c
expect_rc "some clones left" 1
expect_match "only the others named" "$err" "foo has 3 GCC clones .*: foo.constprop.0.isra.0, foo.part.0.cold, foo.lto_priv.0;"

patch nosuch 'CLP_FUNC(bar, new_0);' 'CLP_UNAFFECTED(bar, "bar.isra.3");'
run "$clp" build "${B[@]}" --dry-run nosuch.c
expect_rc "acknowledged clone missing" 1
expect_match "said" "$err" 'nosuch.c:8: error: CLP_UNAFFECTED\(bar, "bar.isra.3"\): no clone bar.isra.3 in vmlinux'

patch notrepl 'CLP_FUNC(bar, new_0);' 'CLP_UNAFFECTED(foo, "foo.isra.0");'
run "$clp" build "${B[@]}" --dry-run notrepl.c
expect_rc "acknowledgement for a function not replaced" 1
expect_match "said" "$err" 'CLP_UNAFFECTED\(foo, "foo.isra.0"\): the set does not replace foo in vmlinux'

patch both 'CLP_FUNC(bar, new_0);' 'CLP_FUNC(foo, new_1);' 'CLP_FUNC_CLONE("foo.isra.0", new_2);' \
	'CLP_UNAFFECTED(foo, "foo.isra.0");'
run "$clp" build "${B[@]}" --dry-run both.c
expect_rc "replaced and acknowledged" 1
expect_match "said" "$err" "foo.isra.0 is replaced by the set; it cannot also be unaffected"

patch badname 'CLP_FUNC(bar, new_0);' 'CLP_UNAFFECTED(bar, "bar..x");'
run "$clp" build "${B[@]}" --dry-run badname.c
expect_rc "malformed name" 1
expect_match "said" "$err" 'CLP_UNAFFECTED\(bar, "bar..x"\): not function names'

patch badclone 'CLP_FUNC_CLONE("foo isra", new_0);'
run "$clp" build "${B[@]}" --dry-run badclone.c
expect_rc "malformed clone name" 1
expect_match "said" "$err" "'foo isra' is not a function name"

# the real 6.1 symbols
map=$TOP/.cache/kernels/$rel/System.map
[ -f "$map" ] || skip "no System.map for $rel (tools/fetch-symbols $rel)"
patch real 'CLP_FUNC(membuf_write, new_0);'
run "$clp" build -k "$rel" --inline-index "$tmp/none/inlines" -j1 --dry-run real.c
expect_rc "6.1: membuf_write" 1
expect_match "6.1: its clone named" "$err" "membuf_write has 1 GCC clone in vmlinux of kernel $rel that would still run the old code: membuf_write.isra.0;"
patch real2 'CLP_FUNC(membuf_write, new_0);' 'CLP_FUNC_CLONE("membuf_write.isra.0", new_1);'
run "$clp" build -k "$rel" --inline-index "$tmp/none/inlines" -j1 --dry-run real2.c
expect_rc "6.1: membuf_write and its clone" 0
