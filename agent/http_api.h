/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP API (README.md, API) on libwebsockets, and the WebSocket
 * event stream on the same port. One protocol serves both.
 */
#ifndef _DOORLOCKD_HTTP_API_H
#define _DOORLOCKD_HTTP_API_H

#include <libwebsockets.h>

/* Also the WebSocket subprotocol of the event stream, if a client names one. */
#define HTTP_API_PROTOCOL	"doorlock-events"

extern const struct lws_protocols http_api_protocol;
extern const struct lws_http_mount http_api_mount;

#endif /* _DOORLOCKD_HTTP_API_H */
