// SPDX-License-Identifier: GPL-2.0
/*
 * A weak kernel function (kallsyms type W): mm/hugetlb.c's default
 * vma_mmu_pagesize(), which x86 does not override.  /proc/PID/smaps shows
 * it as MMUPageSize; the replacement reports 8 kB.
 */
#include <linux/mm_types.h>
#include <clp/patch.h>

static unsigned long new_vma_mmu_pagesize(struct vm_area_struct *vma)
{
	return 8192;
}
CLP_FUNC(vma_mmu_pagesize, new_vma_mmu_pagesize);
