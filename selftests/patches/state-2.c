// SPDX-License-Identifier: GPL-2.0
/* system state 0x5ea7 at version 2; see state.h */
#include <linux/module.h>
#include "state.h"

CLP_STATE(STATE_ID, 2);
