/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlock-plant: the simulated lock mechanism. What a test needs to talk
 * to a running plant.
 */
#ifndef _DOORLOCK_PLANT_H
#define _DOORLOCK_PLANT_H

/* Each plant listens for commands on this unix socket (lock number). */
#define PLANT_SOCK_FMT		"/run/doorlock-plant-%u.sock"
#define PLANT_DEFAULT_TRAVEL_MS	300

/*
 * Sends one command line to the plant of @lock and waits for its answer,
 * which lands in @reply. Returns 0 when the plant said "ok", else -errno.
 */
int plant_ctl(unsigned int lock, const char *cmd, char *reply, size_t len);

/* The plant binary, overridable from the environment. */
#define PLANT_ENV_BIN		"DOORLOCK_PLANT"

/*
 * Starts a plant for @lock (extra arguments in @args, may be NULL) and
 * waits until it answers. Returns its pid, or -errno.
 */
int plant_spawn(unsigned int lock, const char *const *args);
/* Stops it; returns how many safety violations it saw, or -errno. */
int plant_kill(unsigned int lock, int pid);

#endif /* _DOORLOCK_PLANT_H */
