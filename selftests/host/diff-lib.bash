# SPDX-License-Identifier: GPL-2.0
# Helpers of the build-diff*.sh host tests (sourced after lib.bash; not a
# test itself).  They use $src, the prepared source tree, and $tmp.

# mkdiff NAME FILE SED... - $tmp/NAME: a diff of FILE (tree-relative) made
# by the sed expressions
mkdiff() {
	local name=$1 file=$2 d=$tmp/mk
	shift 2
	rm -rf "$d"
	mkdir -p "$d/a/${file%/*}" "$d/b/${file%/*}" "$(dirname "$tmp/$name")"
	cp "$src/$file" "$d/a/$file"
	cp "$src/$file" "$d/b/$file"
	chmod u+w "$d/b/$file"
	for e in "$@"; do sed -i "$e" "$d/b/$file"; done
	(cd "$d" && diff -u "a/$file" "b/$file") | sed '1,2s/\t.*//' > "$tmp/$name"
	[ -s "$tmp/$name" ] || fail "mkdiff $name: no change"
}
