// SPDX-License-Identifier: GPL-2.0
/*
 * The test board on a Device Tree machine (the arm64 test VM). Its tree
 * holds, disabled, the node the Pi overlay makes: dts-overlays/
 * doorlock-overlay.dts applied with fdtoverlay to a base whose gpio-sim
 * bank is labelled "gpio", as the Pi's tree labels its GPIO controller.
 *
 * Each lock is a copy of that node attached at the root by an OF
 * changeset. The copy keeps the overlay's GPIO specifiers, lines and flags
 * (active-low end-stops and fault, as on a Pi), moved to the lock's own
 * gpio-sim bank; what config.txt's parameters would set (label, timeouts)
 * is what this module's parameters say. The OF core makes the copy's
 * platform device, the driver binds it through its of_match_table, and
 * reverting the changeset unbinds and removes it, as unloading the board
 * does on a machine without Device Tree.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "doorlock_board_of.h"

struct doorlock_board_of {
	struct of_changeset cs;
	struct device_node *np;
};

static const char * const doorlock_board_of_strings[] = {
	"compatible", "label", "pinctrl-names",
};

static const char * const doorlock_board_of_timeouts[] = {
	"start-timeout-ms", "travel-timeout-ms", "debounce-ms",
};

bool doorlock_board_of_machine(void)
{
	struct device_node *np;
	bool found;

	np = of_find_node_by_path(DOORLOCK_BOARD_OF_TEMPLATE);
	found = np && of_device_is_compatible(np, DOORLOCK_DRIVER_NAME);
	of_node_put(np);
	return found;
}

/* The gpio-sim bank labelled DOORLOCK_SIM_LABEL_PREFIX "<n>", referenced. */
static struct device_node *doorlock_board_of_bank(unsigned int n)
{
	struct device_node *sim, *bank;
	const char *label;
	char want[32];

	snprintf(want, sizeof(want), DOORLOCK_SIM_LABEL_PREFIX "%u", n);
	for_each_compatible_node(sim, NULL, "gpio-simulator") {
		for_each_child_of_node(sim, bank) {
			if (!of_property_read_string(bank, "gpio-sim,label",
						     &label) &&
			    !strcmp(label, want)) {
				of_node_put(sim);
				return bank;
			}
		}
	}
	return NULL;
}

static bool doorlock_board_of_is_gpios(const char *name)
{
	size_t len = strlen(name);

	return len > 6 && !strcmp(name + len - 6, "-gpios");
}

/*
 * Copies @prop of @tmpl to @np. A GPIO specifier's controller @from
 * becomes @to; the binding's specifiers are <&controller line flags>.
 */
static int doorlock_board_of_copy(struct of_changeset *cs,
				  struct device_node *np,
				  const struct device_node *tmpl,
				  const struct property *prop, phandle from,
				  phandle to)
{
	const char *strs[4];
	size_t i, n;
	u32 *cells;
	int ret;

	if (match_string(doorlock_board_of_strings,
			 ARRAY_SIZE(doorlock_board_of_strings),
			 prop->name) >= 0) {
		ret = of_property_count_strings(tmpl, prop->name);
		if (ret < 0)
			return ret;
		if (ret > ARRAY_SIZE(strs))
			return -EOVERFLOW;
		ret = of_property_read_string_array(tmpl, prop->name, strs,
						    ret);
		if (ret < 0)
			return ret;
		return of_changeset_add_prop_string_array(cs, np, prop->name,
							  strs, ret);
	}
	if (!prop->length)
		return of_changeset_add_prop_bool(cs, np, prop->name);
	if (prop->length % sizeof(u32))
		return -EINVAL;
	n = prop->length / sizeof(u32);
	cells = kcalloc(n, sizeof(*cells), GFP_KERNEL);
	if (!cells)
		return -ENOMEM;
	ret = of_property_read_u32_array(tmpl, prop->name, cells, n);
	if (ret)
		goto out;
	if (doorlock_board_of_is_gpios(prop->name))
		for (i = 0; i + 2 < n; i += 3)
			if (cells[i] == from)
				cells[i] = to;
	ret = of_changeset_add_prop_u32_array(cs, np, prop->name, cells, n);
out:
	kfree(cells);
	return ret;
}

/* Fills @np from @tmpl, with @p's label, timeouts and fault line. */
static int doorlock_board_of_fill(struct of_changeset *cs,
				  struct device_node *np,
				  const struct device_node *tmpl,
				  const struct doorlock_board_props *p,
				  phandle from, phandle to)
{
	int timeouts[] = {
		p->start_timeout_ms, p->travel_timeout_ms, p->debounce_ms,
	};
	struct property *prop;
	int i, ret;

	for_each_property_of_node(tmpl, prop) {
		if (!strcmp(prop->name, "name") ||
		    !strcmp(prop->name, "phandle") ||
		    !strcmp(prop->name, "status"))
			continue;
		if (!strcmp(prop->name, "fault-gpios") && !p->fault_line)
			continue;
		if (!strcmp(prop->name, "label")) {
			ret = of_changeset_add_prop_string(cs, np, "label",
							   p->label);
			if (ret)
				return ret;
			continue;
		}
		i = match_string(doorlock_board_of_timeouts,
				 ARRAY_SIZE(doorlock_board_of_timeouts),
				 prop->name);
		if (i >= 0 && timeouts[i] >= 0)
			continue;
		ret = doorlock_board_of_copy(cs, np, tmpl, prop, from, to);
		if (ret)
			return ret;
	}
	for (i = 0; i < ARRAY_SIZE(timeouts); i++) {
		if (timeouts[i] < 0)
			continue;
		ret = of_changeset_add_prop_u32(cs, np,
						doorlock_board_of_timeouts[i],
						timeouts[i]);
		if (ret)
			return ret;
	}
	return 0;
}

struct doorlock_board_of *
doorlock_board_of_add(unsigned int n, const struct doorlock_board_props *p)
{
	struct device_node *tmpl, *bank0, *bank, *root;
	struct doorlock_board_of *ol;
	char name[32];
	int ret;

	ol = kzalloc(sizeof(*ol), GFP_KERNEL);
	if (!ol)
		return ERR_PTR(-ENOMEM);
	of_changeset_init(&ol->cs);
	tmpl = of_find_node_by_path(DOORLOCK_BOARD_OF_TEMPLATE);
	bank0 = doorlock_board_of_bank(0);
	bank = doorlock_board_of_bank(n);
	root = of_find_node_by_path("/");
	if (!tmpl || !bank0 || !bank || !root) {
		ret = -ENODEV;
		goto out;
	}
	snprintf(name, sizeof(name), "doorlock-lock%u", n);
	ol->np = of_changeset_create_node(&ol->cs, root, name);
	if (!ol->np) {
		ret = -ENOMEM;
		goto out;
	}
	ret = doorlock_board_of_fill(&ol->cs, ol->np, tmpl, p,
				     bank0->phandle, bank->phandle);
	if (ret)
		goto out;
	ret = of_changeset_apply(&ol->cs);
out:
	of_node_put(root);
	of_node_put(bank);
	of_node_put(bank0);
	of_node_put(tmpl);
	if (ret) {
		of_changeset_destroy(&ol->cs);
		of_node_put(ol->np);
		kfree(ol);
		return ERR_PTR(ret);
	}
	return ol;
}

struct platform_device *doorlock_board_of_pdev(struct doorlock_board_of *ol)
{
	return of_find_device_by_node(ol->np);
}

void doorlock_board_of_remove(struct doorlock_board_of *ol)
{
	if (IS_ERR_OR_NULL(ol))
		return;
	WARN_ON(of_changeset_revert(&ol->cs));
	of_changeset_destroy(&ol->cs);
	of_node_put(ol->np);
	kfree(ol);
}
