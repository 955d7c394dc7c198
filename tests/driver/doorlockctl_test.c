// SPDX-License-Identifier: GPL-2.0
/*
 * doorlockctl end to end: what it prints and the status it exits with.
 */
#include <fcntl.h>
#include <unistd.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lock_fixture.h"

/* A cross-built rig names its own doorlockctl in DOORLOCKCTL. */
#define CTL_ENV "DOORLOCKCTL"
#define CTL_DEFAULT "build/agent/doorlockctl"
/* As commands for the shell, which expands it. */
#define CTL "\"${" CTL_ENV ":-" CTL_DEFAULT "}\""

/* The unprivileged user and group tests run commands as. */
#define NOBODY 65534

/* The doorlockctl under test: DOORLOCKCTL, or the host build's. */
static const char *ctl_path(void)
{
	const char *ctl = getenv(CTL_ENV);

	return ctl && *ctl ? ctl : CTL_DEFAULT;
}

/*
 * Runs a shell command as root, or doorlockctl with @args as nobody; the
 * output lands in @out. The privileges are dropped here rather than by a
 * tool, which not every rig's userland has, and doorlockctl is opened
 * before they are, so that nobody need not reach the clone's directory
 * (mktemp -d makes it 0700).
 */
static int run_as(const char *cmd, const char *const *args, char *out,
		  size_t len)
{
	size_t got = 0;
	char scratch[256];
	int pipefd[2], status, fd = -1;
	ssize_t n;
	pid_t pid;

	if (args) {
		fd = open(ctl_path(), O_RDONLY);
		if (fd < 0)
			return -1;
	}
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		if (args)
			dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (!args)
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		else if (!setgroups(0, NULL) &&
			 !setresgid(NOBODY, NOBODY, NOBODY) &&
			 !setresuid(NOBODY, NOBODY, NOBODY))
			fexecve(fd, (char *const *)args, environ);
		_exit(127);
	}
	if (fd >= 0)
		close(fd);
	close(pipefd[1]);
	while (got + 1 < len &&
	       (n = read(pipefd[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	/* What did not fit is read and dropped, so the command can finish. */
	while (read(pipefd[0], scratch, sizeof(scratch)) > 0)
		;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run(const char *cmd, char *out, size_t len)
{
	return run_as(cmd, NULL, out, len);
}

TEST_F(lock, lock_and_unlock_wait_for_the_outcome)
{
	char out[512];

	EXPECT_EQ(0, run(CTL " lock lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "locked in")) TH_LOG("%s", out);
	expect_attr(_metadata, self->id, "bolt_state", "locked");
	EXPECT_EQ(0, run(CTL " unlock doorlock0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "unlocked in")) TH_LOG("%s", out);
}

TEST_F(lock, a_failed_action_exits_non_zero_with_its_code)
{
	char out[512];

	plant(_metadata, "jam");
	EXPECT_EQ(1, run(CTL " lock lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "LOCK_JAMMED")) TH_LOG("%s", out);
}

TEST_F(lock, a_refused_action_exits_non_zero_with_its_code)
{
	char out[512];

	plant(_metadata, "obstruct");
	usleep(100 * 1000);
	EXPECT_EQ(1, run(CTL " lock lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "BOLT_OBSTRUCTED")) TH_LOG("%s", out);
}

TEST_F(lock, busy_lock_is_action_in_progress)
{
	char out[512];

	/* Stalled with a minute to arrive, the first action outlasts any VM. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "stall");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	EXPECT_EQ(1, run(CTL " unlock lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "ACTION_IN_PROGRESS")) TH_LOG("%s", out);
	plant(_metadata, "normal");
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
}

TEST_F(lock, stop_aborts_the_action_in_flight)
{
	char out[512];

	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	/* Off its end-stop, so where it stops does not race the VM. */
	plant_wait(_metadata, "unlocked=0");
	EXPECT_EQ(0, run(CTL " stop lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "stopped the lock in flight"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	done(_metadata, self->fd, 1, DOORLOCK_E_ABORTED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
	EXPECT_EQ(0, run(CTL " stop lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "nothing to stop")) TH_LOG("%s", out);
}

TEST_F(lock, missing_device_and_bad_usage)
{
	char out[512];

	EXPECT_EQ(1, run(CTL " lock front-gate 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "no lock 'front-gate'")) TH_LOG("%s", out);
	EXPECT_EQ(2, run(CTL " open lock-0 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "usage")) TH_LOG("%s", out);
}

TEST_F(lock, no_permission_is_said_plainly)
{
	const char *const args[] = { "doorlockctl", "lock", "lock-0", NULL };
	char out[512];

	/* As nobody, the root-owned node cannot be opened. */
	EXPECT_EQ(1, run_as(NULL, args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "permission denied")) TH_LOG("%s", out);
}

TEST_F(lock, status_of_all_and_of_one)
{
	char out[1024];

	EXPECT_EQ(0, run(CTL " status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "label=lock-0 bolt_state=unlocked"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, run(CTL " status lock-0", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "lock_count=0")) TH_LOG("%s", out);
}

/* Starts "doorlockctl monitor" with its stdout and stderr on one pipe. */
static FILE *monitor_spawn(pid_t *pid)
{
	const char *ctl = ctl_path();
	int pipefd[2];

	if (pipe(pipefd))
		return NULL;
	*pid = fork();
	if (*pid < 0)
		return NULL;
	if (!*pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(ctl, ctl, "monitor", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	return fdopen(pipefd[0], "r");
}

TEST_F(lock, monitor_prints_one_json_object_per_event)
{
	char line[512], out[2048] = "";
	int status;
	pid_t pid;
	FILE *f;

	f = monitor_spawn(&pid);
	ASSERT_NE(NULL, f);
	/* The lock starts only once the monitor says it has subscribed. */
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_NE(NULL, strstr(line, "monitoring")) TH_LOG("%s", line);
	EXPECT_EQ(0, run(CTL " lock lock-0 2>&1", line, sizeof(line)))
		TH_LOG("%s", line);
	while (!strstr(out, "\"event\":\"action_completed\"") &&
	       strlen(out) + sizeof(line) < sizeof(out) &&
	       fgets(line, sizeof(line), f))
		strcat(out, line);
	kill(pid, SIGINT);
	fclose(f);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("monitor status %#x", status);
	EXPECT_NE(NULL, strstr(out, "\"event\":\"action_started\",\"action\":\"lock\""))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"event\":\"action_completed\",\"action\":\"lock\""))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"bolt_state\":\"locked\""))
		TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
