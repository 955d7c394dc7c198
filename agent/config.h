/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlockd's configuration, one JSON file (README.md, Configuration).
 * Loading checks every field and refuses the file with a message naming
 * the first one that is wrong, missing or unknown.
 */
#ifndef _DOORLOCKD_CONFIG_H
#define _DOORLOCKD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "retry.h"

#define CONFIG_ID_MAX		64
#define CONFIG_URL_MAX		512
#define CONFIG_SECRET_MAX	128
#define CONFIG_EVENT_TYPES_MAX	16
#define CONFIG_SHA256_LEN	32

/* The contract's example token is six characters; a real one is far longer. */
#define CONFIG_TOKEN_MIN	6

/*
 * What the HTTP listener gives its clients unless told otherwise: room for
 * an integrator, a few event streams and a house's devices, well under
 * the unit's LimitNOFILE=; and the time a request has to arrive.
 */
#define CONFIG_MAX_CONNECTIONS			128
#define CONFIG_MAX_CONNECTIONS_PER_ADDRESS	16
#define CONFIG_MAX_CONNECTIONS_LIMIT		4000
#define CONFIG_REQUEST_TIMEOUT_S		10

struct config_token {
	char name[CONFIG_ID_MAX];
	unsigned char sha256[CONFIG_SHA256_LEN];
	char performed_via[CONFIG_ID_MAX];
};

/* The line's pull; "as-is" leaves whatever the firmware or overlay set. */
enum config_bias {
	CONFIG_BIAS_AS_IS,
	CONFIG_BIAS_DISABLED,
	CONFIG_BIAS_PULL_UP,
	CONFIG_BIAS_PULL_DOWN,
};

struct config_door_sensor {
	bool present;
	char chip[CONFIG_ID_MAX];	/* GPIO chip label, never gpiochipN */
	unsigned int line;
	bool active_low;
	enum config_bias bias;
};

struct config_lock {
	char lock_id[CONFIG_ID_MAX];
	char device[CONFIG_ID_MAX];	/* doorlockN or the driver's label */
	struct config_door_sensor door;
};

struct config_webhook {
	char url[CONFIG_URL_MAX];
	char secret[CONFIG_SECRET_MAX];
	/* Event types to deliver; none listed means every type. */
	char events[CONFIG_EVENT_TYPES_MAX][CONFIG_ID_MAX];
	size_t n_events;
};

struct config {
	char address[CONFIG_ID_MAX];
	unsigned int port;
	char *tls_cert;
	char *tls_key;
	unsigned int max_connections;
	unsigned int max_connections_per_address;
	unsigned int request_timeout_s;
	char *state_dir;
	int log_level;			/* LOG_* */
	struct retry_schedule retry;
	struct config_token *tokens;
	size_t n_tokens;
	struct config_lock *locks;
	size_t n_locks;
	struct config_webhook *webhooks;
	size_t n_webhooks;
};

/*
 * Reads @path into @cfg. On -EINVAL, @err says what is wrong, naming the
 * field ("locks[1].door_sensor.line: ...").
 */
int config_load(struct config *cfg, const char *path, char *err,
		size_t errlen);
/* The same from a JSON text (tests). */
int config_parse(struct config *cfg, const char *text, char *err,
		 size_t errlen);
void config_free(struct config *cfg);

/* Whether @s is a performed_via value the API lists. */
bool config_performed_via_known(const char *s);

#endif /* _DOORLOCKD_CONFIG_H */
