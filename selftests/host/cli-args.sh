# SPDX-License-Identifier: GPL-2.0
# The clp subcommands' command lines: help, unknown commands and options
# (exit 2 and one line on stderr), and load/unload refusing to touch the
# kernel when a root is moved for tests.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
need_clp

one_line() { [ "$(wc -l <<< "$err")" = 1 ] && [ -n "$err" ] || { show; fail "$1: not one line on stderr"; }; note "ok: $1: one line"; }

run "$clp" help
expect_rc "help" 0
help=$out
expect_match "help documents exit codes" "$help" "^  3  build: target kernel"
expect_match "help documents the environment" "$help" "CLP_SYSFS"
for c in build check load unload list info install uninstall source; do
	expect_match "help lists $c" "$help" "^  $c "
	run "$clp" help "$c"
	expect_rc "help $c" 0
	expect_match "help $c: usage" "$out" "^Usage: clp $c"
	expect_match "help $c: exit status" "$out" "Exit status"
	run "$clp" "$c" --help
	expect_rc "$c --help" 0
	expect_match "$c --help: usage" "$out" "^Usage: clp $c"
done
run "$clp" frobnicate
expect_rc "unknown command" 2; one_line "unknown command"
expect_match "unknown command named" "$err" "^clp: unknown command 'frobnicate'"
run "$clp" help frobnicate
expect_rc "help of an unknown command" 2; one_line "help of an unknown command"
for c in check load unload list info install uninstall source; do
	run "$clp" "$c" --no-such-option
	expect_rc "$c: unknown long option" 2; one_line "$c: unknown long option"
	expect_match "$c: option named" "$err" "^clp: $c: unknown option '--no-such-option'"
	run "$clp" "$c" -Z
	expect_rc "$c: unknown short option" 2; one_line "$c: unknown short option"
	expect_match "$c: short option named" "$err" "unknown option '-Z'"
done
run "$clp" load --retries
expect_rc "missing option argument" 2; one_line "missing option argument"
expect_match "missing argument named" "$err" "option '--retries' needs an argument"
run "$clp" load --retries many x.ko
expect_rc "bad number" 2; one_line "bad number"
run "$clp" load
expect_rc "load without a module" 2; one_line "load without a module"
run "$clp" load a.ko b.ko
expect_rc "load of two modules" 2
run "$clp" load --all x.ko
expect_rc "load --all with a file" 2
run "$clp" load -k 1.2.3 x.ko
expect_rc "load -k without --all" 2
run "$clp" unload
expect_rc "unload without a name" 2
run "$clp" unload 'bad/name'
expect_rc "unload of a bad name" 2
run "$clp" info
expect_rc "info without an argument" 2
run "$clp" check
expect_rc "check without a module" 2
run "$clp" install
expect_rc "install without a module" 2
run "$clp" uninstall a b
expect_rc "uninstall of two" 2
run "$clp" list extra
expect_rc "list with an argument" 2; one_line "list with an argument"

# test roots never reach the running kernel
CLP_SYSFS=$tmp/none run "$clp" load "$tmp/x.ko"
expect_rc "load with a moved root" 1
expect_match "load refuses with moved roots" "$err" "refusing to change the running kernel"
CLP_PROC=$tmp/none run "$clp" unload --all
expect_rc "unload with a moved root" 1

# files that are not clp modules
echo "not elf" > "$tmp/junk.ko"
run "$clp" info "$tmp/junk.ko"
expect_rc "info of a non-ELF file" 1; one_line "info of a non-ELF file"
run "$clp" check "$tmp/missing.ko"
expect_rc "check of a missing file" 1
expect_match "missing file named" "$err" "missing.ko"
