/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clp/markers.h - one-line markers patch authors write in patch sources
 * (CLP_FUNC() and friends), read by 'clp build'.  Included by clp/patch.h.
 */
#ifndef _CLP_MARKERS_H
#define _CLP_MARKERS_H

#endif /* _CLP_MARKERS_H */
