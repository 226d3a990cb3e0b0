/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json - a tiny streaming JSON writer for 'clp list --json' and 'clp info
 * --json'.  The caller nests objects and arrays; the writer adds commas,
 * indentation and string escaping.
 */
#ifndef CLP_JSON_H
#define CLP_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
/* Shorthands for a key and its value. */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, bool v);
/* End the document with a newline. */
void json_finish(struct json *j);

#endif
