// SPDX-License-Identifier: GPL-2.0
/*
 * Client side of the plant: starting and stopping one, and its control
 * socket (one command, one answer).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plant.h"

int plant_ctl(unsigned int lock, const char *cmd, char *reply, size_t len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t got = 0;
	ssize_t n;
	int fd, ret;

	snprintf(addr.sun_path, sizeof(addr.sun_path), PLANT_SOCK_FMT, lock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    dprintf(fd, "%s\n", cmd) < 0) {
		ret = -errno;
		goto out;
	}
	while (got + 1 < len) {
		n = read(fd, reply + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		if (memchr(reply, '\n', got))
			break;
	}
	reply[got] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	ret = strncmp(reply, "ok", 2) ? -EINVAL : 0;
out:
	close(fd);
	return ret;
}

int plant_spawn(unsigned int lock, const char *const *args)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	const char *bin = getenv(PLANT_ENV_BIN);
	const char *argv[16];
	char num[16], reply[256];
	int argc = 0, i, pid, status;
	pid_t parent;

	if (!bin || !*bin)
		bin = "build/plant/doorlock-plant";
	snprintf(num, sizeof(num), "%u", lock);
	argv[argc++] = bin;
	argv[argc++] = "run";
	argv[argc++] = num;
	for (i = 0; args && args[i] && argc < 15; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;

	parent = getpid();
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		/*
		 * A test that dies (an abort, a crash) takes its plant with
		 * it: the next test must not find two plants on one lock.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		if (!plant_ctl(lock, "status", reply, sizeof(reply)))
			return pid;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "# plant %u exited at start\n", lock);
			return -ECHILD;
		}
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

int plant_kill(unsigned int lock, int pid)
{
	char reply[256], *v;
	int violations = -EIO, status;

	if (!plant_ctl(lock, "status", reply, sizeof(reply))) {
		v = strstr(reply, "violations=");
		if (v)
			violations = atoi(v + strlen("violations="));
	}
	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return violations;
}
