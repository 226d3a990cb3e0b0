# SPDX-License-Identifier: GPL-2.0
# clp build and inlined copies (6.1 headers; skipped without them).  With a
# made-up symbol table and inline index: a replaced function inlined into
# others is refused naming them (eight at most, then a count), in vmlinux
# and in a module; replacing the callers too or acknowledging each
# (CLP_UNAFFECTED, CLP_UNAFFECTED_MOD) builds; acknowledging a function
# that is no caller is refused; no index, or an index that has nothing on
# a module (out of tree), is one warning; a missing,
# malformed or other release's index is refused (exit 3).  With the real
# 6.1 System.map and index (tools/fetch-symbols; skipped without them):
# __get_free_pages is inlined into alloc_pages_exact and get_zeroed_page,
# ext4_block_bitmap into ext4_calculate_overhead and ext4_fill_super.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp
need_headers_61

cat > "$tmp/map" <<'M'
ffffffff81000000 t helper
ffffffff81000100 t user_a
ffffffff81000200 t user_b
ffffffff81000300 t user_c.isra.0
ffffffff81000400 t wide
ffffffff81000500 t alone
M
{
	printf '# clp-inlines 1 %s build-id 00\n# object vmlinux\n' "$rel"
	printf 'vmlinux\thelper\tuser_a user_b user_c.isra.0\n'
	printf 'vmlinux\twide\tw01 w02 w03 w04 w05 w06 w07 w08 w09 w10\n'
	printf '# object somemod\nsomemod\tmod_fn\tmod_caller\n# object emptymod\n'
} > "$tmp/inlines"
B=(-k "$rel" --system-map "$tmp/map" --build-id 0123456789abcdef -j1)

# patch NAME MARKER... - a patch file replacing with new_<n> per marker
patch() {
	local f=$tmp/$1.c; shift
	printf '#include <clp/patch.h>\nstatic int __maybe_unused new_0(void) { return 0; }\nstatic int __maybe_unused new_1(void) { return 1; }\nstatic int __maybe_unused new_2(void) { return 2; }\nstatic int __maybe_unused new_3(void) { return 3; }\n' > "$f"
	printf '%s\n' "$@" >> "$f"
}

cd "$tmp"
# the refusals in one set: one error each
patch one 'CLP_FUNC(helper, new_0);'
patch wide 'CLP_FUNC(wide, new_0);'
patch nocaller 'CLP_FUNC(alone, new_0);' 'CLP_UNAFFECTED(alone, "user_a");'
patch mod 'CLP_FUNC_MOD(somemod, mod_fn, new_0);'
run "$clp" build "${B[@]}" -o "$tmp/one.ko" one.c wide.c nocaller.c mod.c
expect_rc "refused" 1
expect_match "callers named (the index next to the map)" "$err" "one.c:6: error: helper is inlined into 3 functions of vmlinux \(kernel $rel\) that would still run the old code: user_a, user_b, user_c.isra.0; replace each too or acknowledge it \(CLP_UNAFFECTED\)"
expect_match "ten callers: eight named, then a count" "$err" "wide is inlined into 10 functions .*: w01, w02, w03, w04, w05, w06, w07, w08 and 2 more; "
expect_match "acknowledging a function that is no caller" "$err" 'nocaller.c:7: error: CLP_UNAFFECTED\(alone, "user_a"\): user_a is neither a clone of alone nor a function it is inlined into in vmlinux'
expect_match "module function inlined" "$err" "mod_fn is inlined into 1 function of somemod \(kernel $rel\) that would still run the old code: mod_caller; replace each too or acknowledge it \(CLP_UNAFFECTED_MOD\)"
expect_match "four errors" "$err" "^clp: 4 errors in the patch set$"
[ ! -e "$tmp/one.ko" ] || fail "a refused build wrote one.ko"
note "ok: no module written"

patch alone 'CLP_FUNC(alone, new_0);'
patch modack 'CLP_FUNC_MOD(somemod, mod_fn, new_0);' 'CLP_UNAFFECTED_MOD(somemod, mod_fn, "mod_caller");'
patch empty 'CLP_FUNC_MOD(emptymod, empty_fn, new_0);'
run "$clp" build "${B[@]}" --dry-run alone.c modack.c empty.c
expect_rc "inlined nowhere; module caller acknowledged" 0
expect_no_match "no warning for indexed objects" "$err" "clp: warning"

# a module the index has nothing on (out of tree): one warning, builds
patch oot 'CLP_FUNC_MOD(oot_mod, oot_fn, new_0);' 'CLP_FUNC_MOD(oot_mod, oot_fn2, new_1);'
run "$clp" build "${B[@]}" --dry-run oot.c
expect_rc "a module not in the index" 0
expect_eq "one warning line" "$(grep -c "clp: warning" <<< "$err")" 1
expect_match "said" "$err" "^clp: warning: the inline index has nothing on oot_mod \\(not in the kernel's -dbg package, e.g. an out-of-tree module\\): copies of its functions inlined into others are not checked$"

patch callers 'CLP_FUNC(helper, new_0);' 'CLP_FUNC(user_a, new_1);' 'CLP_FUNC(user_b, new_2);' \
	'CLP_FUNC_CLONE("user_c.isra.0", new_3);'
run "$clp" build "${B[@]}" --dry-run callers.c
expect_rc "callers replaced too" 0

patch ack 'CLP_FUNC(helper, new_0);' 'CLP_FUNC(user_a, new_1);' \
	'CLP_UNAFFECTED(helper, "user_b");' 'CLP_UNAFFECTED(helper, "user_c.isra.0");'
run "$clp" build "${B[@]}" -o "$tmp/ack.ko" ack.c
expect_rc "callers replaced or acknowledged" 0
run modinfo -F clp_unaffected "$tmp/ack.ko"
expect_eq "acknowledgements recorded" "$(sort <<< "$out")" "vmlinux helper user_b
vmlinux helper user_c.isra.0"

# where the index comes from, and bad ones
mkdir "$tmp/bare"
cp "$tmp/map" "$tmp/bare/map"
run "$clp" build -k "$rel" --system-map "$tmp/bare/map" --build-id 00 -j1 --dry-run one.c
expect_rc "no index: builds" 0
expect_eq "no index: one warning line" "$(grep -c warning <<< "$err")" 1
expect_match "no index: said" "$err" "^clp: warning: no inline index for $rel \(tools/fetch-symbols $rel makes it; or --inline-index\): copies of replaced functions inlined into other functions are not checked$"
run "$clp" build -k "$rel" --system-map "$tmp/bare/map" --inline-index "$tmp/inlines" --build-id 00 -j1 --dry-run one.c
expect_rc "--inline-index" 1
said_abs=$(grep -v warning <<< "$err")
cp "$tmp/inlines" rel-inlines
run "$clp" build -k "$rel" --system-map "$tmp/bare/map" --inline-index rel-inlines --build-id 00 -j1 --dry-run one.c
expect_rc "--inline-index, relative" 1
expect_eq "--inline-index, relative: same refusal" "$(grep -v warning <<< "$err")" "$said_abs"
run "$clp" build "${B[@]}" --inline-index "$tmp/nosuch" --dry-run alone.c
expect_rc "missing index" 3
expect_match "said" "$err" "--inline-index .*/nosuch: No such file or directory"
echo "vmlinux helper" > "$tmp/bad"
run "$clp" build "${B[@]}" --inline-index "$tmp/bad" --dry-run alone.c
expect_rc "not an index" 3
expect_match "said" "$err" "bad: not an inline index \\(no '# clp-inlines 1 ' header; tools/fetch-symbols makes one\\)"
{ head -n 1 "$tmp/inlines"; echo "vmlinux helper"; } > "$tmp/badline"
run "$clp" build "${B[@]}" --inline-index "$tmp/badline" --dry-run alone.c
expect_rc "a malformed line" 3
expect_match "said" "$err" "badline:2: malformed line"
sed "1s/.*/# clp-inlines 1 0.0.0-other build-id 00/" "$tmp/inlines" > "$tmp/other"
run "$clp" build "${B[@]}" --inline-index "$tmp/other" --dry-run alone.c
expect_rc "another release's index" 3
expect_match "said" "$err" "other: the inline index of 0.0.0-other, not of $rel; run tools/fetch-symbols $rel"

# the real 6.1 System.map and index, found in the cache
real=$TOP/.cache/kernels/$rel
[ -f "$real/System.map" ] && [ -f "$real/inlines" ] ||
	skip "no System.map and inline index for $rel (tools/fetch-symbols $rel)"
patch real 'CLP_FUNC(__get_free_pages, new_0);'
patch real3 'CLP_FUNC_MOD(ext4, ext4_block_bitmap, new_0);'
run "$clp" build -k "$rel" -j1 --dry-run real.c real3.c
expect_rc "6.1: __get_free_pages, ext4_block_bitmap" 1
expect_match "6.1: callers named" "$err" "__get_free_pages is inlined into 2 functions of vmlinux \(kernel $rel\) that would still run the old code: alloc_pages_exact, get_zeroed_page;"
# a module's function, from the module's debug object in the -dbg package
expect_match "6.1: module callers named" "$err" "ext4_block_bitmap is inlined into 2 functions of ext4 \(kernel $rel\) that would still run the old code: ext4_calculate_overhead, ext4_fill_super; replace each too or acknowledge it \(CLP_UNAFFECTED_MOD\)"
patch real2 'CLP_FUNC(__get_free_pages, new_0);' 'CLP_UNAFFECTED(__get_free_pages, "alloc_pages_exact");' \
	'CLP_UNAFFECTED(__get_free_pages, "get_zeroed_page");'
run "$clp" build -k "$rel" -j1 --dry-run real2.c
expect_rc "6.1: callers acknowledged" 0
