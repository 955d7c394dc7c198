// SPDX-License-Identifier: GPL-2.0
/* Descriptors in the lws loop through raw-file adoption; see fdwatch.h. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdwatch.h"
#include "log.h"

struct fdwatch {
	struct lws *wsi;
	fdwatch_read_fn on_read;
	fdwatch_closed_fn on_closed;
	void *arg;
};

static int fdwatch_callback(struct lws *wsi, enum lws_callback_reasons reason,
			    void *user, void *in, size_t len)
{
	struct fdwatch *w = lws_get_opaque_user_data(wsi);

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* Not a protocol a client may ask the server for. */
		return 1;
	case LWS_CALLBACK_RAW_RX_FILE:
		if (w && w->on_read && w->on_read(w->arg) < 0)
			return -1;
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!w)
			return 0;
		lws_set_opaque_user_data(wsi, NULL);
		if (w->on_closed)
			w->on_closed(w->arg);
		free(w);
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols fdwatch_protocol = {
	.name = "doorlockd-fdwatch",
	.callback = fdwatch_callback,
};

int fdwatch_add(struct lws_vhost *vh, int fd, fdwatch_read_fn on_read,
		fdwatch_closed_fn on_closed, void *arg, struct fdwatch **out)
{
	lws_sock_file_fd_type desc;
	struct fdwatch *w;
	int ret;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->on_read = on_read;
	w->on_closed = on_closed;
	w->arg = arg;
	desc.filefd = dup(fd);
	if (desc.filefd < 0) {
		ret = -errno;
		goto err;
	}
	w->wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, desc,
					    fdwatch_protocol.name, NULL);
	if (!w->wsi) {
		ret = -ENOMEM;
		goto err_fd;
	}
	lws_set_opaque_user_data(w->wsi, w);
	if (out)
		*out = w;
	return 0;

err_fd:
	/* lws 4.1 leaves a raw file it failed to adopt open. */
	close(desc.filefd);
err:
	free(w);
	return ret;
}

void fdwatch_remove(struct fdwatch *w)
{
	if (!w)
		return;
	w->on_read = NULL;
	w->on_closed = NULL;
	lws_set_timeout(w->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT,
			LWS_TO_KILL_ASYNC);
}
