// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for clp's ELF reader: every input is parsed as an object
 * by the ELF layer, then run through the marker collection and the reference
 * analysis (without a symbol table, so every undefined symbol is examined).
 *
 *   make -C tools fuzz
 *   build/host/bin/clp-elf-fuzz -max_total_time=600 CORPUS_DIR   (long run)
 * selftests/host/elf-fuzz.sh runs a short smoke run seeded with real objects.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ksyms ks;
	struct unit u = { .id = 1, .name = "fuzz", .src = "fuzz", .obj = "fuzz" };
	struct analysis a = { .units = &u, .nunits = 1, .ks = &ks, .release = "fuzz" };
	struct elf_obj o;
	void *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	a.diag = null;
	if (!elfobj_open_mem(&o, "fuzz", buf, size)) {
		analyze_markers(&a, &o, 1);
		analyze_check(&a);
		analyze_refs(&a, &o, 1, false);
	}
	elfobj_close(&o);
	analysis_free(&a);
	free(buf);
	return 0;
}
