/* SPDX-License-Identifier: GPL-2.0 */
/* glue - the generated C source that describes and registers the patch. */
#ifndef CLP_GLUE_H
#define CLP_GLUE_H

#include "analyze.h"
#include "util.h"

struct glue_info {
	const char *modname;
	const char *release;
	const char *version;
	const char *build_id;	/* hex, or NULL */
};

/* The version string "<release>+<name1>+<name2>...", capped (see glue.c). */
char *glue_version(const char *release, char *const *names, size_t n);
void glue_generate(struct strbuf *sb, const struct analysis *a, const struct glue_info *gi);

#define CLP_VERSION_MAX 128

#endif
