# SPDX-License-Identifier: GPL-2.0
# selftests/host/run itself: plan first, one TAP line per test, failures
# and skips reported, test output as diagnostics, exit 1 on a failure.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

d=$tmp/tests
mkdir "$d"
echo 'echo all good' > "$d/a-pass.sh"
echo 'echo broken; exit 3' > "$d/b-fail.sh"
echo 'exit 4' > "$d/c-skip.sh"
echo '[ "$PWD" = "$TOP" ] && [ -f "$TOP/selftests/host/run" ]' > "$d/d-env.sh"
echo 'not a test' > "$d/notes.txt"

CLP_HOST_TESTS=$d run "$TOP/selftests/host/run"
expect_rc "run with a failing test" 1
expect_eq "TAP lines" "$(grep -E '^(1\.\.|ok |not ok )' <<< "$out")" "1..4
ok 1 - a-pass
not ok 2 - b-fail (exit 3)
ok 3 - c-skip # SKIP
ok 4 - d-env"
expect_eq "first line is the plan" "$(head -n1 <<< "$out")" "1..4"
expect_match "test output as diagnostics" "$out" "^# all good$"
expect_match "failing test's output" "$out" "^# broken$"
expect_no_match "only TAP and diagnostics" "$out" "^[^#o1n]"

rm "$d/b-fail.sh"
CLP_HOST_TESTS=$d run "$TOP/selftests/host/run"
expect_rc "run without failures" 0
expect_match "plan" "$out" "^1\.\.3$"

CLP_HOST_TESTS=$d run "$TOP/selftests/host/run" a-pass c-skip.sh nope
expect_rc "run named tests, one missing" 1
expect_eq "named tests" "$(grep -E '^(1\.\.|ok |not ok )' <<< "$out")" "1..3
ok 1 - a-pass
ok 2 - c-skip # SKIP
not ok 3 - nope (exit 1)"

echo 'sleep 30' > "$d/e-hang.sh"
CLP_HOST_TESTS=$d CLP_HOST_TIMEOUT=0.5 run "$TOP/selftests/host/run" e-hang
expect_rc "hanging test" 1
expect_match "hanging test" "$out" "^not ok 1 - e-hang \(timeout\)$"
