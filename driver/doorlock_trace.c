// SPDX-License-Identifier: GPL-2.0
/* doorlock: the one place its tracepoints are instantiated. */

#define CREATE_TRACE_POINTS
#include "doorlock_trace.h"
