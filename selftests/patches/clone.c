// SPDX-License-Identifier: GPL-2.0
/* clp_clone_fn only; its clone clp_clone_fn.part.0 is left out (clone.h) */
#include "clone.h"
