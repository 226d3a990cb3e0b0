/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CLP_BUILD_H
#define CLP_BUILD_H

#include "exitcodes.h"

int cmd_build(int argc, char **argv);
/* The step kbuild runs between compiling the patches and linking. */
int build_glue_stage(const char *dir);

#endif
