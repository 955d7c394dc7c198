// SPDX-License-Identifier: GPL-2.0
/*
 * doorlockd: serves the lock-actions API, follows the driver, records
 * events in the durable log and delivers them as signed webhooks. One
 * thread, one libwebsockets loop; systemd Type=notify.
 *
 *   doorlockd --config FILE [--state-dir DIR] [--check-config]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "auth_throttle.h"
#include "conn_limit.h"
#include "device_link.h"
#include "event_stream.h"
#include "fdwatch.h"
#include "http_api.h"
#include "lock.h"
#include "log.h"
#include "sd_notify.h"
#include "webhooks.h"

struct daemon {
	struct agent agent;
	int sigfd;
	bool stop;
	lws_sorted_usec_list_t watchdog;
	lws_usec_t watchdog_us;
};

static const struct lws_protocols *protocols[] = {
	&http_api_protocol,
	&fdwatch_protocol,
	&webhooks_protocol,
	NULL,
};

struct lock *agent_lock(struct agent *a, const char *lock_id)
{
	size_t i;

	for (i = 0; i < a->n_locks; i++)
		if (!strcmp(a->locks[i].cfg->lock_id, lock_id))
			return &a->locks[i];
	return NULL;
}

static int on_signal(void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	if (read(d->sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	log_info("signal %u: stopping", si.ssi_signo);
	d->stop = true;
	sd_notify_send("STOPPING=1");
	lws_cancel_service(d->agent.ctx);
	return 0;
}

static void watchdog_ping(lws_sorted_usec_list_t *sul)
{
	struct daemon *d = lws_container_of(sul, struct daemon, watchdog);

	sd_notify_send("WATCHDOG=1");
	lws_sul_schedule(d->agent.ctx, 0, &d->watchdog, watchdog_ping,
			 d->watchdog_us / 2);
}

/*
 * lws logs some errors once per event-loop turn (an accept() that fails,
 * for one), which would flood the journal: at most LWS_LOG_PER_S lines
 * a second, and then how many were left out.
 */
#define LWS_LOG_PER_S	20

static void lws_log(int level, const char *line)
{
	static time_t window;
	static unsigned int lines, dropped;
	struct timespec now;
	size_t n = strlen(line);

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != window) {
		if (dropped)
			log_msg(LOG_WARNING, "lws: %u more lines left out",
				dropped);
		window = now.tv_sec;
		lines = 0;
		dropped = 0;
	}
	if (++lines > LWS_LOG_PER_S) {
		dropped++;
		return;
	}
	while (n && line[n - 1] == '\n')
		n--;
	log_msg(level == LLL_ERR ? LOG_ERR : LOG_WARNING, "lws: %.*s",
		(int)n, line);
}

/*
 * lws stops accepting once it holds fd_limit_per_thread descriptors, and
 * accepts again when one closes; at the process's own limit accept()
 * fails instead, and lws 4.x retries it at once, forever. So lws's limit
 * stays below the process's, by what doorlockd opens beside lws: the
 * log's files, the devices, the signal, netlink and GPIO descriptors.
 */
#define FD_RESERVE	32

static unsigned int lws_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > 65536)
		return 65536 - FD_RESERVE;
	return rl.rlim_cur > 2 * FD_RESERVE ? rl.rlim_cur - FD_RESERVE :
					      rl.rlim_cur / 2;
}

static int is_https(const struct webhook_rec *w, void *arg)
{
	return w->active && !strncmp(w->url, "https://", 8);
}

/* Whether a configured or registered webhook is an https one. */
static bool wants_tls(struct agent *a)
{
	size_t i;

	for (i = 0; i < a->cfg.n_webhooks; i++)
		if (!strncmp(a->cfg.webhooks[i].url, "https://", 8))
			return true;
	return store_webhooks_each(a->store, is_https, NULL) > 0;
}

static int start_server(struct daemon *d)
{
	struct agent *a = &d->agent;
	const struct conn_limit_config limits = {
		.max_total = a->cfg.max_connections,
		.max_per_address = a->cfg.max_connections_per_address,
		.request_s = a->cfg.request_timeout_s,
	};
	struct lws_context_creation_info info;
	int ret;

	memset(&info, 0, sizeof(info));
	/* Without DISABLE_IPV6, lws 4.1 binds an IPv4 address as [::]. */
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
		       LWS_SERVER_OPTION_DISABLE_IPV6 |
		       LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
	/*
	 * OpenSSL costs about 4 MiB of resident memory: loaded only for an
	 * HTTPS listener or https webhooks (their client TLS context).
	 */
	a->tls = a->cfg.tls_cert || wants_tls(a);
	if (a->tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.user = a;
	info.timeout_secs = WEBHOOK_TIMEOUT_S;
	info.fd_limit_per_thread = lws_fd_limit();
	a->ctx = lws_create_context(&info);
	if (!a->ctx)
		return -ENOMEM;
	ret = conn_limit_new(a->ctx, &limits, &a->conns);
	if (!ret)
		ret = auth_throttle_new(&a->throttle);
	if (ret)
		return ret;

	info.vhost_name = "doorlockd";
	info.port = a->cfg.port;
	info.iface = a->cfg.address;
	info.pprotocols = protocols;
	info.mounts = &http_api_mount;
	info.ssl_cert_filepath = a->cfg.tls_cert;
	info.ssl_private_key_filepath = a->cfg.tls_key;
	info.keepalive_timeout = 30;
	info.timeout_secs = 10;
	a->vhost = lws_create_vhost(a->ctx, &info);
	if (!a->vhost) {
		log_err("cannot listen on %s port %u", a->cfg.address,
			a->cfg.port);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

static int watch_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	return fdwatch_add(d->agent.vhost, d->sigfd, on_signal, NULL, d, NULL);
}

static int usage(FILE *f, int status)
{
	fprintf(f, "usage: doorlockd --config FILE [--state-dir DIR] [--check-config]\n"
		"  --config FILE     the JSON configuration (see agent/doorlockd.example.json)\n"
		"  --state-dir DIR   where the durable log lives (overrides state_dir)\n"
		"  --check-config    check the configuration and exit\n");
	return status;
}

static int run(struct daemon *d)
{
	struct agent *a = &d->agent;
	size_t i;
	int ret;

	ret = store_open(&a->store, a->cfg.state_dir);
	if (ret) {
		log_err("state directory %s: cannot open the log: %s",
			a->cfg.state_dir, strerror(-ret));
		return ret;
	}
	ret = start_server(d);
	if (!ret)
		ret = event_stream_new(&a->stream);
	if (!ret)
		ret = watch_signals(d);
	if (ret)
		goto out;
	a->locks = calloc(a->cfg.n_locks, sizeof(*a->locks));
	if (!a->locks) {
		ret = -ENOMEM;
		goto out;
	}
	a->n_locks = a->cfg.n_locks;
	for (i = 0; i < a->n_locks; i++)
		lock_init(a, &a->locks[i], &a->cfg.locks[i]);
	/* Endpoints first: they are owed every event from here on. */
	ret = webhooks_start(a);
	if (!ret)
		ret = device_link_start(a);
	if (ret)
		goto out;
	d->watchdog_us = sd_notify_watchdog_usec();
	if (d->watchdog_us)
		watchdog_ping(&d->watchdog);
	log_info("serving %zu lock%s on %s port %u", a->n_locks,
		 a->n_locks == 1 ? "" : "s", a->cfg.address, a->cfg.port);
	sd_notify_send("READY=1\nSTATUS=serving %zu locks on %s:%u",
		       a->n_locks, a->cfg.address, a->cfg.port);
	while (!d->stop && lws_service(a->ctx, 0) >= 0)
		;
	ret = 0;
out:
	a->stopping = true;
	webhooks_stop(a);
	device_link_stop(a);
	/* Closing the connections calls back into the locks and the stream. */
	if (a->ctx)
		lws_context_destroy(a->ctx);
	conn_limit_free(a->conns);
	auth_throttle_free(a->throttle);
	for (i = 0; i < a->n_locks; i++)
		lock_exit(&a->locks[i]);
	free(a->locks);
	event_stream_free(a->stream);
	store_close(a->store);
	if (d->sigfd > 0)
		close(d->sigfd);
	log_info("stopped");
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *config = NULL, *state_dir = NULL;
	struct daemon d = { .sigfd = -1 };
	bool check = false;
	char err[512];
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:s:kh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			state_dir = optarg;
			break;
		case 'k':
			check = true;
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (!config || optind != argc)
		return usage(stderr, 2);
	if (config_load(&d.agent.cfg, config, err, sizeof(err))) {
		log_err("configuration %s: %s", config, err);
		return 1;
	}
	if (state_dir) {
		free(d.agent.cfg.state_dir);
		d.agent.cfg.state_dir = strdup(state_dir);
	}
	if (check) {
		printf("%s: valid\n", config);
		config_free(&d.agent.cfg);
		return 0;
	}
	log_set_level(d.agent.cfg.log_level);
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	if (mkdir(d.agent.cfg.state_dir, 0750) && errno != EEXIST) {
		log_err("state directory %s: %s", d.agent.cfg.state_dir,
			strerror(errno));
		config_free(&d.agent.cfg);
		return 1;
	}
	ret = run(&d);
	config_free(&d.agent.cfg);
	return ret ? 1 : 0;
}
