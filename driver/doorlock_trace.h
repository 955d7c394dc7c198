/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlock tracepoints: when the motor runs and why it stopped, the state
 * transitions and the input edges. They are how the tests see the order of
 * what the driver did to its lines (gpio-sim forgets a released output),
 * and how a field report shows arrival-to-stop times.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM doorlock

#if !defined(_DOORLOCK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DOORLOCK_TRACE_H

#include <linux/tracepoint.h>

#include "doorlock.h"

#define doorlock_show_action(a)					\
	__print_symbolic(a, { DOORLOCK_ACTION_LOCK, "lock" },	\
			 { DOORLOCK_ACTION_UNLOCK, "unlock" })

#define doorlock_show_stop(r)					\
	__print_symbolic(r,					\
		{ DOORLOCK_STOP_ARRIVED, "arrived" },		\
		{ DOORLOCK_STOP_FAULT, "fault" },		\
		{ DOORLOCK_STOP_BOTH_ENDSTOPS, "both_endstops" }, \
		{ DOORLOCK_STOP_READ_ERROR, "read_error" },	\
		{ DOORLOCK_STOP_STORM, "storm" },		\
		{ DOORLOCK_STOP_CUTOFF, "cutoff" },		\
		{ DOORLOCK_STOP_AT_START, "at_start" }, \
		{ DOORLOCK_STOP_ACTION_END, "action_end" },	\
		{ DOORLOCK_STOP_UNBIND, "unbind" },		\
		{ DOORLOCK_STOP_SUSPEND, "suspend" },		\
		{ DOORLOCK_STOP_REBOOT, "reboot" },		\
		{ DOORLOCK_STOP_ABORT, "abort" })

#define doorlock_show_line(l)					\
	__print_symbolic(l, { DOORLOCK_LINE_LOCKED, "locked" },	\
			 { DOORLOCK_LINE_UNLOCKED, "unlocked" },	\
			 { DOORLOCK_LINE_FAULT, "fault" })

/* So that perf and trace-cmd can decode the symbolic fields. */
TRACE_DEFINE_ENUM(DOORLOCK_ACTION_LOCK);
TRACE_DEFINE_ENUM(DOORLOCK_ACTION_UNLOCK);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_ARRIVED);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_FAULT);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_BOTH_ENDSTOPS);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_READ_ERROR);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_STORM);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_CUTOFF);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_AT_START);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_ACTION_END);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_UNBIND);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_SUSPEND);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_REBOOT);
TRACE_DEFINE_ENUM(DOORLOCK_STOP_ABORT);
TRACE_DEFINE_ENUM(DOORLOCK_LINE_LOCKED);
TRACE_DEFINE_ENUM(DOORLOCK_LINE_UNLOCKED);
TRACE_DEFINE_ENUM(DOORLOCK_LINE_FAULT);

/* @at_ns: CLOCK_MONOTONIC, as the edges' and the events' times. */
TRACE_EVENT(doorlock_motor_on,
	    TP_PROTO(int id, enum doorlock_action dir, u32 cutoff_ms, u64 at_ns),
	    TP_ARGS(id, dir, cutoff_ms, at_ns),
	    TP_STRUCT__entry(__field(int, id)
			     __field(u32, dir)
			     __field(u32, cutoff_ms)
			     __field(u64, at_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dir = dir;
			   __entry->cutoff_ms = cutoff_ms;
			   __entry->at_ns = at_ns;),
	    TP_printk("doorlock%d dir=%s cutoff_ms=%u at_ns=%llu",
		      __entry->id,
		      doorlock_show_action(__entry->dir),
		      __entry->cutoff_ms,
		      __entry->at_ns)
);

/* Traced once both outputs (and the enable) are inactive. */
TRACE_EVENT(doorlock_motor_off,
	    TP_PROTO(int id, enum doorlock_action dir,
		     enum doorlock_stop_reason why, u64 on_ns, u64 at_ns),
	    TP_ARGS(id, dir, why, on_ns, at_ns),
	    TP_STRUCT__entry(__field(int, id)
			     __field(u32, dir)
			     __field(u32, why)
			     __field(u64, on_ns)
			     __field(u64, at_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dir = dir;
			   __entry->why = why;
			   __entry->on_ns = on_ns;
			   __entry->at_ns = at_ns;),
	    TP_printk("doorlock%d dir=%s why=%s on_ns=%llu at_ns=%llu",
		      __entry->id,
		      doorlock_show_action(__entry->dir),
		      doorlock_show_stop(__entry->why),
		      __entry->on_ns,
		      __entry->at_ns)
);

TRACE_EVENT(doorlock_state,
	    TP_PROTO(int id, enum doorlock_bolt_state from,
		     enum doorlock_bolt_state to),
	    TP_ARGS(id, from, to),
	    TP_STRUCT__entry(__field(int, id)
			     __field(u32, from)
			     __field(u32, to)),
	    TP_fast_assign(__entry->id = id;
			   __entry->from = from;
			   __entry->to = to;),
	    TP_printk("doorlock%d from=%u to=%u",
		      __entry->id,
		      __entry->from,
		      __entry->to)
);

TRACE_EVENT(doorlock_edge,
	    TP_PROTO(int id, enum doorlock_line line, int level, u64 edge_ns),
	    TP_ARGS(id, line, level, edge_ns),
	    TP_STRUCT__entry(__field(int, id)
			     __field(u32, line)
			     __field(int, level)
			     __field(u64, edge_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->line = line;
			   __entry->level = level;
			   __entry->edge_ns = edge_ns;),
	    TP_printk("doorlock%d line=%s level=%d edge_ns=%llu",
		      __entry->id,
		      doorlock_show_line(__entry->line),
		      __entry->level,
		      __entry->edge_ns)
);

TRACE_EVENT(doorlock_storm,
	    TP_PROTO(int id, enum doorlock_line line, bool disabled),
	    TP_ARGS(id, line, disabled),
	    TP_STRUCT__entry(__field(int, id)
			     __field(u32, line)
			     __field(bool, disabled)),
	    TP_fast_assign(__entry->id = id;
			   __entry->line = line;
			   __entry->disabled = disabled;),
	    TP_printk("doorlock%d line=%s %s",
		      __entry->id,
		      doorlock_show_line(__entry->line),
		      __entry->disabled ? "disabled" : "enabled")
);

/* The lock's GPIOs are about to be released: nothing drives them after. */
TRACE_EVENT(doorlock_lines_released,
	    TP_PROTO(int id),
	    TP_ARGS(id),
	    TP_STRUCT__entry(__field(int, id)),
	    TP_fast_assign(__entry->id = id;),
	    TP_printk("doorlock%d",
		      __entry->id)
);

#endif /* _DOORLOCK_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE doorlock_trace
#include <trace/define_trace.h>
