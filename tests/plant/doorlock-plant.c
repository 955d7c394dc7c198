// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock-plant: a motorised deadbolt, simulated on the gpio-sim chip of
 * one lock. It watches the two motor outputs, moves the bolt at the speed
 * the travel time gives, and drives the end-stop and fault inputs; faults
 * are injected while it runs. See usage() below.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "doorlock_board.h"
#include "plant.h"
#include "simlock.h"

#define FULL		1000000L	/* bolt fully extended (locked) */
#define ENDSTOP_MARGIN	(FULL / 100)	/* an end-stop closes within 1 % */
#define SLOW_FACTOR	20
#define BOUNCE_EDGES	8		/* even: the contact ends as it began */
#define BOUNCE_GAP_NS	2000000L
#define MAX_STEP_NS	50000000LL

enum plant_mode { MODE_NORMAL, MODE_JAM, MODE_STALL, MODE_SLOW };

static const char *const mode_names[] = {
	[MODE_NORMAL] = "normal", [MODE_JAM] = "jam",
	[MODE_STALL] = "stall", [MODE_SLOW] = "slow",
};

struct plant {
	unsigned int lock;
	long travel_ms;
	long pos;
	enum plant_mode mode;
	long stall_at;
	bool obstruct;
	bool sensor_fault;
	int manual;		/* +1 toward locked, -1 toward unlocked */
	bool bounce_pending;
	int bounce_edges;
	int bounce_left;
	long long next_bounce_ns;
	int fault_left;		/* fault pulses still to toggle */
	long long fault_gap_ns;
	long long next_fault_ns;
	long long fault_start_ns;
	long fault_took_us;	/* how long the last pulse train took */
	bool fault_pulse;	/* the pulse train's current level */
	bool out_locked, out_unlocked, out_fault;	/* what we drive */
	int fd_lock, fd_unlock;
	int fd_enable;		/* the bridge's enable, or -1 if not wired */
	char pull_path[3][256];
	int fd_pull[3];		/* kept open: a storm is as fast as a write */
	unsigned long violations;
	int motor;		/* +1 lock, -1 unlock, 0 off */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int read_output(int fd)
{
	char c;

	if (pread(fd, &c, 1, 0) != 1)
		return -errno;
	return c == '1';
}

/* The inputs the plant drives, in the order of pull_path. */
static const unsigned int plant_inputs[] = {
	DOORLOCK_SIM_LINE_LOCKED, DOORLOCK_SIM_LINE_UNLOCKED,
	DOORLOCK_SIM_LINE_FAULT,
};

static int drive_input(struct plant *p, int idx, bool *cur, bool want)
{
	const char *val;
	ssize_t n;
	int ret;

	if (*cur == want)
		return 0;
	val = sim_input_pull(plant_inputs[idx], want);
	n = pwrite(p->fd_pull[idx], val, strlen(val), 0);
	ret = n < 0 ? -errno : (size_t)n != strlen(val) ? -EIO : 0;
	if (ret) {
		fprintf(stderr, "plant %u: %s: %s\n", p->lock, p->pull_path[idx],
			strerror(-ret));
		return ret;
	}
	*cur = want;
	return 0;
}

static bool at_locked(const struct plant *p)
{
	return p->pos >= FULL - ENDSTOP_MARGIN;
}

static bool at_unlocked(const struct plant *p)
{
	return p->pos <= ENDSTOP_MARGIN;
}

/* Moves the bolt for @dt_ns of motor (or hand) drive. */
static void move(struct plant *p, long long dt_ns)
{
	long step = (long)(dt_ns * FULL / (p->travel_ms * 1000000LL));
	int dir = p->manual ? p->manual : p->motor;
	long next;

	if (!dir)
		return;
	if (!p->manual) {
		if (p->mode == MODE_JAM || p->obstruct)
			return;
		if (p->mode == MODE_SLOW)
			step /= SLOW_FACTOR;
	}
	next = p->pos + dir * step;
	if (!p->manual && p->mode == MODE_STALL &&
	    ((dir > 0 && p->pos <= p->stall_at && next > p->stall_at) ||
	     (dir < 0 && p->pos >= p->stall_at && next < p->stall_at)))
		next = p->stall_at;
	if (next < 0)
		next = 0;
	if (next > FULL)
		next = FULL;
	p->pos = next;
	if (p->manual && (p->pos == 0 || p->pos == FULL))
		p->manual = 0;
}

static int update_inputs(struct plant *p, long long now)
{
	bool locked = at_locked(p), unlocked = at_unlocked(p);
	int ret;

	if (p->sensor_fault)
		locked = unlocked = true;
	/* Every pulse that is due, even several per loop: a storm is fast. */
	while (p->fault_left && now >= p->next_fault_ns) {
		p->fault_pulse = !p->fault_pulse;
		p->fault_left--;
		p->next_fault_ns += p->fault_gap_ns;
		ret = drive_input(p, 2, &p->out_fault,
				  p->obstruct != p->fault_pulse);
		if (ret)
			return ret;
		now = now_ns();
		if (!p->fault_left)
			p->fault_took_us = (now - p->fault_start_ns) / 1000;
	}
	if (p->bounce_pending && (locked || unlocked) && !p->bounce_left) {
		p->bounce_pending = false;
		p->bounce_left = p->bounce_edges;
		p->next_bounce_ns = now;
	}
	if (p->bounce_left && now >= p->next_bounce_ns) {
		/* Odd edges open the contact, even ones close it again. */
		bool open = p->bounce_left % 2 == 0;

		if (locked)
			locked = !open;
		else
			unlocked = !open;
		p->bounce_left--;
		p->next_bounce_ns = now + BOUNCE_GAP_NS;
	} else if (p->bounce_left) {
		return 0;	/* hold the contact as the last edge left it */
	}

	ret = drive_input(p, 0, &p->out_locked, locked);
	if (!ret)
		ret = drive_input(p, 1, &p->out_unlocked, unlocked);
	if (!ret)
		ret = drive_input(p, 2, &p->out_fault,
				  p->obstruct != p->fault_pulse);
	return ret;
}

static void status(const struct plant *p, char *buf, size_t len)
{
	snprintf(buf, len,
		 "ok pos=%ld mode=%s motor=%s locked=%d unlocked=%d fault=%d manual=%d violations=%lu fault_pulses=%d fault_took_us=%ld",
		 p->pos * 100 / FULL, mode_names[p->mode],
		 p->motor > 0 ? "lock" : p->motor < 0 ? "unlock" : "off",
		 p->out_locked, p->out_unlocked, p->out_fault, p->manual,
		 p->violations, p->fault_left, p->fault_took_us);
}

static void command(struct plant *p, char *line, char *reply, size_t len)
{
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(reply, len, "ok");
	if (!strcmp(line, "normal")) {
		p->mode = MODE_NORMAL;
		p->obstruct = false;
		p->sensor_fault = false;
	} else if (!strcmp(line, "jam")) {
		p->mode = MODE_JAM;
	} else if (!strcmp(line, "stall")) {
		p->mode = MODE_STALL;
		p->stall_at = FULL / 2;
	} else if (!strcmp(line, "slow")) {
		p->mode = MODE_SLOW;
	} else if (!strcmp(line, "obstruct")) {
		p->obstruct = true;
	} else if (!strcmp(line, "sensor-fault")) {
		p->sensor_fault = true;
	} else if (!strcmp(line, "manual-lock")) {
		p->manual = 1;
	} else if (!strcmp(line, "manual-unlock")) {
		p->manual = -1;
	} else if (!strncmp(line, "bounce", 6) &&
		   (!line[6] || line[6] == ' ')) {
		int edges = line[6] ? atoi(line + 7) : BOUNCE_EDGES;

		if (edges <= 0 || edges % 2) {
			snprintf(reply, len, "error bounce: an even count of edges");
			return;
		}
		p->bounce_edges = edges;
		p->bounce_pending = true;
	} else if (!strncmp(line, "fault-pulses ", 13)) {
		long edges = 0, gap_us = 0;

		if (sscanf(line + 13, "%ld %ld", &edges, &gap_us) != 2 ||
		    edges <= 0 || edges % 2 || gap_us <= 0) {
			snprintf(reply, len, "error fault-pulses: EDGES (even) GAP_US");
			return;
		}
		p->fault_left = edges;
		p->fault_gap_ns = gap_us * 1000;
		p->next_fault_ns = now_ns();
		p->fault_start_ns = p->next_fault_ns;
		p->fault_took_us = 0;
	} else if (!strcmp(line, "status")) {
		status(p, reply, len);
	} else {
		snprintf(reply, len, "error unknown command '%.64s'", line);
	}
}

static void serve_client(struct plant *p, int lfd)
{
	char line[128], reply[256];
	ssize_t n;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = '\0';
		command(p, line, reply, sizeof(reply));
		dprintf(fd, "%s\n", reply);
	}
	close(fd);
}

static int listen_on(unsigned int lock)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	snprintf(addr.sun_path, sizeof(addr.sun_path), PLANT_SOCK_FMT, lock);
	unlink(addr.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 8)) {
		perror(addr.sun_path);
		return -1;
	}
	return fd;
}

static int open_output(unsigned int lock, unsigned int line)
{
	char path[256];
	int fd;

	if (sim_line_path(path, sizeof(path), lock, line, "value"))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		perror(path);
	return fd;
}

static int setup(struct plant *p, const char *start)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (sim_line_path(p->pull_path[i], sizeof(p->pull_path[i]),
				  p->lock, plant_inputs[i], "pull"))
			return -1;
		p->fd_pull[i] = open(p->pull_path[i], O_WRONLY | O_CLOEXEC);
		if (p->fd_pull[i] < 0) {
			perror(p->pull_path[i]);
			return -1;
		}
	}
	p->fd_lock = open_output(p->lock, DOORLOCK_SIM_LINE_LOCK);
	p->fd_unlock = open_output(p->lock, DOORLOCK_SIM_LINE_UNLOCK);
	if (p->fd_lock < 0 || p->fd_unlock < 0)
		return -1;
	/* A board without the enable line has a bridge that is always on. */
	p->fd_enable = -1;
	if (sim_line_exists(p->lock, DOORLOCK_SIM_LINE_ENABLE)) {
		p->fd_enable = open_output(p->lock, DOORLOCK_SIM_LINE_ENABLE);
		if (p->fd_enable < 0)
			return -1;
	}

	if (!strcmp(start, "locked"))
		p->pos = FULL;
	else if (!strcmp(start, "middle"))
		p->pos = FULL / 2;
	else if (!strcmp(start, "unlocked"))
		p->pos = 0;
	else
		return -1;
	/* Force the first write of every input. */
	p->out_locked = !at_locked(p);
	p->out_unlocked = !at_unlocked(p);
	p->out_fault = true;
	return update_inputs(p, now_ns());
}

static int run(struct plant *p)
{
	long long last = now_ns(), now;
	struct pollfd pfd;
	int lock, unlock, enable;

	pfd.fd = listen_on(p->lock);
	if (pfd.fd < 0)
		return 1;
	pfd.events = POLLIN;
	while (!stop) {
		if (poll(&pfd, 1, 1) > 0)
			serve_client(p, pfd.fd);
		lock = read_output(p->fd_lock);
		unlock = read_output(p->fd_unlock);
		enable = p->fd_enable < 0 ? 1 : read_output(p->fd_enable);
		if (lock < 0 || unlock < 0 || enable < 0) {
			fprintf(stderr, "plant %u: motor outputs gone\n",
				p->lock);
			break;
		}
		if (lock && unlock) {
			p->violations++;
			fprintf(stderr, "plant %u: SAFETY: both motor outputs active\n",
				p->lock);
		}
		/* An asleep bridge drives nothing, whatever its inputs say. */
		p->motor = !enable ? 0 : lock && !unlock ? 1 :
			   unlock && !lock ? -1 : 0;
		now = now_ns();
		/*
		 * The loop runs every millisecond or so. A longer gap is the
		 * VM starved of the host's CPU, and the motor may have been
		 * off for most of it: the bolt moves as if for MAX_STEP_NS, so
		 * that starvation slows it down rather than making it jump to
		 * an end-stop past a timeout that should have cut it.
		 */
		move(p, now - last < MAX_STEP_NS ? now - last : MAX_STEP_NS);
		last = now;
		if (update_inputs(p, now))
			break;
	}
	close(pfd.fd);
	{
		char path[108];

		snprintf(path, sizeof(path), PLANT_SOCK_FMT, p->lock);
		unlink(path);
	}
	return stop ? 0 : 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: doorlock-plant run LOCK [--travel-ms MS] [--start locked|unlocked|middle]\n"
"       doorlock-plant ctl LOCK COMMAND\n"
"\n"
"Simulates the motorised deadbolt of lock LOCK on its gpio-sim chip\n"
"(" DOORLOCK_SIM_LABEL_PREFIX "LOCK): follows the motor outputs, moves the bolt\n"
"over --travel-ms (default %d) end to end while the bridge is enabled (when\n"
"the board wires its enable line), and drives the end-stop and fault\n"
"inputs. 'run' stays in the foreground until SIGTERM or SIGINT.\n"
"\n"
"Commands for 'ctl', applied at once:\n"
"  jam            the motor runs but the bolt never leaves its end-stop\n"
"  stall          the bolt leaves and stops half-way\n"
"  obstruct       the fault input is asserted and the bolt cannot move\n"
"  sensor-fault   both end-stops report closed\n"
"  manual-lock    a hand turns the bolt to locked (thumb-turn)\n"
"  manual-unlock  a hand turns the bolt to unlocked\n"
"  bounce [N]     a burst of N (even, default %d) edges of contact bounce,\n"
"                 2 ms apart, on the end-stop the bolt is on or reaches next\n"
"  fault-pulses N GAP_US\n"
"                 toggles the fault input N (even) times, GAP_US apart: a\n"
"                 motor driver's over-current retry, or a loose wire\n"
"  slow           the motor moves the bolt %d times slower\n"
"  normal         clear every fault above\n"
"  status         print position, mode, motor and inputs\n",
		PLANT_DEFAULT_TRAVEL_MS, BOUNCE_EDGES, SLOW_FACTOR);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "travel-ms", required_argument, NULL, 't' },
		{ "start", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct plant p = { .travel_ms = PLANT_DEFAULT_TRAVEL_MS };
	const char *start = "unlocked";
	char reply[256];
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			p.travel_ms = strtol(optarg, NULL, 10);
			break;
		case 's':
			start = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2 || p.travel_ms <= 0) {
		usage(stderr);
		return 2;
	}
	p.lock = strtoul(argv[optind + 1], NULL, 10);

	if (!strcmp(argv[optind], "ctl") && argc - optind == 3) {
		ret = plant_ctl(p.lock, argv[optind + 2], reply, sizeof(reply));
		if (ret && !*reply)
			fprintf(stderr, "doorlock-plant: lock %u: %s\n", p.lock,
				strerror(-ret));
		else
			printf("%s\n", reply);
		return ret ? 1 : 0;
	}
	if (strcmp(argv[optind], "run") || argc - optind != 2) {
		usage(stderr);
		return 2;
	}

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (setup(&p, start)) {
		fprintf(stderr, "doorlock-plant: lock %u: cannot set up (is its gpio-sim chip live?)\n",
			p.lock);
		return 1;
	}
	return run(&p);
}
