# doorlock: the developer's entry points.
#
#   make                 build doorlock.ko against the running kernel (on a Pi)
#   make demo            run doorlock with a simulated lock in the test VM
#                        (DEMO=tour: the integration guide's story, checked)
#   make check           install what is missing, build everything, run every test
#   make deps            install the Debian packages the build and tests need
#
# KDIR= points the plain build at another kernel tree (DKMS does).

KDIR ?= /lib/modules/$(shell uname -r)/build
BUILD := build
TOP := $(CURDIR)

# The kernels the module is built for: Linux 6.1 (Debian 12, Raspberry Pi
# OS bookworm's first) and 6.12 (Debian 13, Raspberry Pi OS trixie and
# bookworm's current). For each, the x86_64 test kernel (build/kernel-V),
# Debian's stock headers, and an arm64 defconfig tree prepared from the
# same source (build/arm64-V); and the arm64 test kernel (6.12) that the
# Device Tree rig boots (build/kernel-arm64).
KVERS := 6.1 6.12
ARM64_ARGS := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# The headers metapackage of each version, and the release it depends on.
STOCK_HEADERS_6.1 := linux-headers-amd64
STOCK_HEADERS_6.12 := linux-headers-6.12-amd64
stock_kver = $(shell dpkg-query -W -f='$${Depends}' $(STOCK_HEADERS_$(1)) 2>/dev/null | \
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
# A test kernel by name (6.1, 6.12, arm64): its tree and make arguments.
test_kdir = $(TOP)/$(BUILD)/kernel-$(1)
test_kargs = $(if $(filter arm64,$(1)),$(ARM64_ARGS))

DEPS := build-essential linux-source-6.1 linux-source-6.12 flex bison bc \
	libelf-dev libssl-dev cpio xz-utils kmod rsync qemu-system-x86 \
	qemu-system-arm busybox-static device-tree-compiler \
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross \
	libc6-dev-armhf-cross linux-headers-amd64 linux-headers-6.12-amd64 \
	sparse libwebsockets-dev libjansson-dev libnl-genl-3-dev libgpiod-dev \
	gpiod libsqlite3-dev pkg-config curl python3 dt-schema wrk openssl \
	dkms python3-yaml python3-jsonschema debootstrap

MODULE_SRC := Kbuild $(wildcard driver/*.[ch]) include/uapi/linux/doorlock.h

NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0)

# Userspace: doorlockctl and doorlockd.
TOOL_CFLAGS = -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude/uapi \
	-Iagent
DOORLOCKCTL := $(BUILD)/agent/doorlockctl
NL_HDRS := tests/lib/doorlock_nl.h include/uapi/linux/doorlock.h
DOORLOCKD := $(BUILD)/agent/doorlockd
# lws callbacks take arguments most of them do not use.
DAEMON_CFLAGS = $(TOOL_CFLAGS) -Wno-unused-parameter
# libgpiod's API changed with 2.0: one door sensor for each.
GPIOD_MAJOR = $(firstword $(subst ., ,$(shell pkg-config --modversion libgpiod 2>/dev/null)))
DOOR_SENSORS := $(wildcard agent/door_sensor_gpiod*.c)
# doorlockctl speaks the API's words for states and results.
DOORLOCKCTL_SRC = agent/doorlockctl.c agent/api_error.c
DAEMON_SRC = $(filter-out agent/doorlockctl.c $(DOOR_SENSORS),$(wildcard agent/*.c)) \
	$(filter agent/door_sensor_gpiod$(GPIOD_MAJOR).c,$(DOOR_SENSORS))
DAEMON_HDRS := $(wildcard agent/*.h) include/uapi/linux/doorlock.h
DAEMON_LIBS = -lwebsockets -ljansson -lgpiod -lsqlite3

TEST_CFLAGS = -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -D_GNU_SOURCE \
	-isystem $(KSFT_INC) -Iinclude/uapi -Itests/board -Itests/lib \
	-Itests/plant -Iagent $(NL_CFLAGS) -pthread
TEST_LIB := $(wildcard tests/lib/*.c) tests/plant/plant_client.c
TEST_HDRS := $(wildcard tests/lib/*.h tests/driver/*.h) tests/plant/plant.h \
	tests/board/doorlock_board.h $(NL_HDRS)
# devicetree_test is for a Device Tree machine: the arm64 rig's alone.
DT_TESTS := tests/driver/devicetree_test.c
# These need the board's outputs chip, which only lookup tables can wire.
BOARD_TABLE_TESTS := tests/driver/atomic_outputs_test.c \
	tests/driver/failing_outputs_test.c
TEST_PROGS := $(patsubst tests/driver/%.c,$(BUILD)/tests/%, \
	$(filter-out $(DT_TESTS),$(wildcard tests/driver/*_test.c)))
PLANT := $(BUILD)/plant/doorlock-plant
WITH_LOCKS := $(BUILD)/tests/with-locks
# Run alone, by tests/vm/run --panic: it panics the VM.
PANIC_PROG := $(BUILD)/tests/panic_with_motor_on
BENCH := $(BUILD)/bench/edge-latency
STOP_BENCH := $(BUILD)/bench/stop-latency

.PHONY: all module overlay clean deps kernel check install install-module \
	install-agent dkms-install demo module-matrix tests headers tools bench \
	bench-api agent-unit help tests-arm64

all: module overlay

help:
	@echo 'doorlock: make TARGET'
	@echo ''
	@echo '  (none)         doorlock.ko for the running kernel and the overlay (on a Pi)'
	@echo '  demo           one simulated lock in the test VM; DEMO=tour plays the guide'
	@echo '  check          install what is missing, build everything, run every test'
	@echo '  install        the module, overlay, doorlockd, doorlockctl, unit (on a Pi)'
	@echo '  dkms-install   register the module with DKMS, rebuilt for each new kernel'
	@echo '  deps           install the Debian packages the build and tests need'
	@echo '  tools          doorlockd and doorlockctl only'
	@echo '  module-matrix  the module for every kernel of the test matrix'
	@echo '  bench, bench-api  benchmarks (figures, not tests)'
	@echo '  clean          remove what the build made (not the kernel cache)'
	@echo ''
	@echo '  KDIR=DIR       build the module against that kernel tree'
	@echo '  DEMO_PORT=N    the host port the demo forwards to its API (8080)'

# Without the kernel's headers Kbuild has nothing to build against: say
# what to install, or what to run on a machine that is not the Pi.
module:
	@test -f "$(KDIR)/Makefile" || { \
		echo "doorlock: no kernel build tree at $(KDIR)."; \
		echo "  On a Raspberry Pi: sudo apt install linux-headers-rpi-v8 (Pi 3, 4, Zero 2 W)"; \
		echo "  or linux-headers-rpi-2712 (Pi 5) and run make again; README.md, \"On a Raspberry Pi\"."; \
		echo "  For another kernel: make KDIR=/path/to/its/build/tree"; \
		echo "  No Pi? make demo runs doorlock in a test VM; make help lists the rest."; \
		exit 2; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# An override named "label" is what a Pi owner expects to write, though dtc
# would rather every property called label were a string. A node's unit
# address is its lock pin, set by the firmware's "reg" pseudo-override,
# which renames the node and adds no reg property (one lock per dtoverlay
# line); the Pi's own overlays are built with the same exemption.
DTC_FLAGS := -@ -Wno-label_is_string -Wno-unit_address_vs_reg
# doorlock.dtbo for the BCM2835 family (Pi 3, 4, Zero 2 W), doorlock-pi5.dtbo
# for the Pi 5's RP1: one body (doorlock-overlay.dtsi), through cpp as the
# kernel's dtc rules do.
OVERLAYS := dts-overlays/doorlock.dtbo dts-overlays/doorlock-pi5.dtbo
OVERLAY := dts-overlays/doorlock.dtbo

overlay: $(OVERLAYS)

dts-overlays/doorlock.dtbo: dts-overlays/doorlock-overlay.dts dts-overlays/doorlock-overlay.dtsi
dts-overlays/doorlock-pi5.dtbo: dts-overlays/doorlock-pi5-overlay.dts dts-overlays/doorlock-overlay.dtsi
$(OVERLAYS):
	cpp -nostdinc -undef -x assembler-with-cpp -P -o $@.dts $<
	dtc $(DTC_FLAGS) -I dts -O dtb -o $@ $@.dts
	@# The fault fragment is labelled only for its overrides, which name
	@# nodes by phandle; its symbol would point at an __overlay__ node,
	@# which libfdt before 1.7 (fdtoverlay, U-Boot) cannot apply.
	fdtput -d $@ /__symbols__ doorlock_fault
	@rm -f $@.dts

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS    installing:" $$missing; \
		apt-get update -q || \
			echo "  DEPS    apt-get update failed in part; installing from the lists it has"; \
		DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $$missing; \
	fi

kernel:
	@tests/vm/build-kernel

# Each target builds in its own copy so their objects never mix; the copy
# keeps its objects, so a second build only recompiles what changed, unless
# the kernel tree behind it changed (a new test kernel): then it starts over.
# $(1) copy, $(2) kernel tree
define fresh_copy
	@k=$$(readlink -f $(2)); \
	[ "$$(cat $(BUILD)/mod/$(1)/.kdir 2>/dev/null)" = "$$k" ] || \
		rm -rf $(BUILD)/mod/$(1); \
	mkdir -p $(BUILD)/mod/$(1) && echo "$$k" > $(BUILD)/mod/$(1)/.kdir
endef

# Kbuild takes seconds to find nothing to do. A copy skips it when it was
# last built the same way (the key: kernel tree, its config and symbols,
# the variables Kbuild reads, the extra arguments) and each module in it is
# newer than every source (rsync keeps their times). $(1) copy, $(2) the
# modules' path in it (a glob), $(3) kernel tree, $(4) extra arguments
kbuild_key = $(3) $(4) C=$(C) W=$(W) KCFLAGS=$(KCFLAGS) LLVM=$(LLVM) CC=$(CC) \
	$$(stat -c %Y $(3)/.config $(3)/Module.symvers 2> /dev/null)
built = [ "$$(cat $(1)/.built 2> /dev/null)" = "$(kbuild_key)" ] && \
	for ko in $(1)/$(2); do [ -e "$$ko" ] && \
	[ -z "$$(find $(1) \( -name '*.[ch]' -o -name Kbuild \) -newer "$$ko" -print -quit)" ] || \
	exit 1; done

# $(1) name, $(2) kernel tree, $(3) extra make arguments
define build_module
	$(call fresh_copy,$(1),$(2))
	@rsync -a --relative $(MODULE_SRC) $(BUILD)/mod/$(1)/
	@($(call built,$(BUILD)/mod/$(1),doorlock.ko,$(2),$(3))) || { \
		$(MAKE) -C $(2) M=$(TOP)/$(BUILD)/mod/$(1) W=1 $(3) modules && \
		echo "$(call kbuild_key,,,$(2),$(3))" > $(BUILD)/mod/$(1)/.built; }
endef

# The module against each test kernel, each set of stock headers, each
# prepared arm64 tree: module-test-V (V: 6.1, 6.12, arm64),
# module-stock-V, module-arm64-V (V: 6.1, 6.12).
module-test-%:
	@tests/vm/build-kernel test-$*
	$(call build_module,test-$*,$(call test_kdir,$*),$(call test_kargs,$*))

module-stock-%:
	@kd=/lib/modules/$(call stock_kver,$*)/build; test -d "$$kd" || \
		{ echo "no stock $* headers ($(STOCK_HEADERS_$*)) at $$kd: make deps"; exit 1; }
	$(call build_module,stock-$*,/lib/modules/$(call stock_kver,$*)/build)

# A prepared tree has no Module.symvers: since 6.12 modpost stops on the
# symbols it cannot resolve unless told to only warn.
module-arm64-%:
	@tests/vm/build-kernel arm64-$*
	$(call build_module,arm64-$*,$(TOP)/$(BUILD)/arm64-$*,$(ARM64_ARGS) KBUILD_MODPOST_WARN=1)

# The release of stock kernel V's headers (tests/check asks).
print-stock-kver-%:
	@echo $(call stock_kver,$*)

module-matrix: $(foreach v,$(KVERS) arm64,module-test-$(v)) \
	$(foreach v,$(KVERS),module-stock-$(v) module-arm64-$(v))

# Test-only modules, against a test kernel. $(1) name, $(2) source dir,
# $(3) test kernel
define build_test_module
	$(call fresh_copy,$(1),$(call test_kdir,$(3)))
	@rsync -a --relative $(2) include/uapi/linux/doorlock.h $(BUILD)/mod/$(1)/
	@($(call built,$(BUILD)/mod/$(1),$(2)/*.ko,$(call test_kdir,$(3)),$(call test_kargs,$(3)))) || { \
		$(MAKE) -C $(call test_kdir,$(3)) M=$(TOP)/$(BUILD)/mod/$(1)/$(2) W=1 \
			$(call test_kargs,$(3)) modules && \
		echo "$(call kbuild_key,,,$(call test_kdir,$(3)),$(call test_kargs,$(3)))" > $(BUILD)/mod/$(1)/.built; }
endef

# board-V and splat-V: the test board and the splat module for test
# kernel V.
board-%:
	@tests/vm/build-kernel test-$*
	$(call build_test_module,board-$*,tests/board,$*)

splat-%:
	@tests/vm/build-kernel test-$*
	$(call build_test_module,splat-$*,tests/vm/splat,$*)

# The kselftest harness comes from Linux 6.12's source.
KSFT_INC ?= $(BUILD)/include
headers:
	@tests/vm/build-kernel source-6.12
	@mkdir -p $(KSFT_INC)
	@cp $(BUILD)/linux/tools/testing/selftests/kselftest_harness.h \
		$(BUILD)/linux/tools/testing/selftests/kselftest.h $(KSFT_INC)/

tests: headers $(TEST_PROGS) $(PLANT) $(DOORLOCKCTL) $(DOORLOCKD) $(WITH_LOCKS) \
	$(PANIC_PROG)

$(BUILD)/tests/%: tests/driver/%.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) $(NL_LIBS)

$(PLANT): tests/plant/doorlock-plant.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) $(NL_LIBS)

$(WITH_LOCKS): tests/vm/with-locks.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) $(NL_LIBS)

$(BENCH): tests/bench/edge_latency.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) $(NL_LIBS) -lgpiod

$(STOP_BENCH): tests/bench/stop_latency.c $(TEST_LIB) $(TEST_HDRS) $(PLANT)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LIB) $(NL_LIBS)

# The arm64 rig's programs: the driver's tests, the plant and doorlockctl
# for arm64, and the tests that make ioctls for 32-bit ARM, which run on the
# arm64 kernel through its compat_ioctl. Static, against Debian's arm64
# and armhf libnl (tests/cross/sysroot), so the guest needs no libraries.
CROSS_arm64 := aarch64-linux-gnu
CROSS_armhf := arm-linux-gnueabihf
# Looked up once per architecture and make run; no sysroot is an error here,
# not a link that quietly used the host's headers.
sysroot = $(or $(SYSROOT_$(1)),$(eval SYSROOT_$(1) := $(shell tests/cross/sysroot $(1)))$(SYSROOT_$(1)),$(error no $(1) sysroot: tests/cross/sysroot $(1) failed))
cross_cflags = -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -D_GNU_SOURCE \
	-static -isystem $(KSFT_INC) -Iinclude/uapi -Itests/board -Itests/lib \
	-Itests/plant -Iagent -I$(call sysroot,$(1))/usr/include/libnl3 -pthread
cross_libs = -L$(call sysroot,$(1))/lib/$(CROSS_$(1)) -lnl-genl-3 -lnl-3
CROSS_TESTS_arm64 := $(patsubst tests/driver/%.c,$(BUILD)/arm64/tests/%, \
	$(filter-out $(BOARD_TABLE_TESTS),$(wildcard tests/driver/*_test.c)))
CROSS_TESTS_armhf := $(BUILD)/armhf/tests/chardev_test $(BUILD)/armhf/tests/fsm_test

define cross_rules
$(BUILD)/$(1)/tests/%: tests/driver/%.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $$(dir $$@)
	$(CROSS_$(1))-gcc $$(call cross_cflags,$(1)) -o $$@ $$< $(TEST_LIB) $$(call cross_libs,$(1))

$(BUILD)/$(1)/plant/doorlock-plant: tests/plant/doorlock-plant.c $(TEST_LIB) $(TEST_HDRS)
	@mkdir -p $$(dir $$@)
	$(CROSS_$(1))-gcc $$(call cross_cflags,$(1)) -o $$@ $$< $(TEST_LIB) $$(call cross_libs,$(1))

$(BUILD)/$(1)/agent/doorlockctl: $(DOORLOCKCTL_SRC) agent/api_error.h \
		include/uapi/linux/doorlock.h
	@mkdir -p $$(dir $$@)
	$(CROSS_$(1))-gcc $$(call cross_cflags,$(1)) -o $$@ $(DOORLOCKCTL_SRC)
endef
$(foreach a,arm64 armhf,$(eval $(call cross_rules,$(a))))

tests-arm64: headers $(CROSS_TESTS_arm64) $(CROSS_TESTS_armhf) \
	$(BUILD)/arm64/plant/doorlock-plant $(BUILD)/arm64/agent/doorlockctl

MIN_HTTP := $(BUILD)/bench/min-http-server
LOG_RATE := $(BUILD)/bench/log-rate

$(MIN_HTTP): tests/bench/min_http_server.c
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -o $@ $< -lwebsockets

$(LOG_RATE): tests/bench/log_rate.c $(UNIT_LIB) $(DAEMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -o $@ $< $(UNIT_LIB) $(UNIT_LIBS)

# Benchmarks, not tests: they print figures and judge nothing.
bench-api: $(DOORLOCKD) $(MIN_HTTP) $(LOG_RATE)
	tests/bench/agent-bench $(DOORLOCKD) $(MIN_HTTP) $(LOG_RATE)

bench: module-test-6.12 board-6.12 $(BENCH) $(STOP_BENCH)
	tests/vm/run -- $(BENCH) 200 5
	tests/vm/run -- $(BENCH) 50 20
	tests/vm/run -- $(STOP_BENCH) 20 20
	tests/vm/run -- $(STOP_BENCH) 20 1000

tools: $(DOORLOCKCTL) $(DOORLOCKD)

# Host unit tests of the agent: its pure parts, and the lock model with
# test doubles for the driver (tests/agent/unit/lock_test.c).
AGENT_UNIT := $(patsubst tests/agent/unit/%.c,$(BUILD)/agent/unit/%, \
	$(wildcard tests/agent/unit/*_test.c))
UNIT_LIB := $(addprefix agent/,api_error.c api_request.c config.c event.c \
	ids.c log.c retry.c sha256.c store.c webhook_sign.c)
UNIT_LIBS = -lwebsockets -ljansson -lsqlite3
$(BUILD)/agent/unit/lock_test: UNIT_EXTRA := agent/lock.c

$(BUILD)/agent/unit/%: tests/agent/unit/%.c $(UNIT_LIB) agent/lock.c $(DAEMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -isystem $(KSFT_INC) -o $@ $< $(UNIT_LIB) \
		$(UNIT_EXTRA) $(UNIT_LIBS)

agent-unit: headers
	@$(MAKE) -s agent-unit-progs

# Without the harness step, for a userland without the kernel source
# (tests/userland/run): KSFT_INC names a copy made beforehand.
agent-unit-progs: $(AGENT_UNIT)

$(DOORLOCKD): $(DAEMON_SRC) $(DAEMON_HDRS)
	@test -n "$(GPIOD_MAJOR)" || { echo "pkg-config finds no libgpiod: make deps (libgpiod-dev)"; exit 1; }
	@mkdir -p $(dir $@)
	$(CC) $(DAEMON_CFLAGS) -o $@ $(DAEMON_SRC) $(DAEMON_LIBS)

$(DOORLOCKCTL): $(DOORLOCKCTL_SRC) agent/api_error.h \
		include/uapi/linux/doorlock.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -o $@ $(DOORLOCKCTL_SRC)

# Installing, on a Pi (or into DESTDIR for a package). The module goes with
# the kernel KDIR points at; the overlay where the firmware reads them.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# The release modules of the tree load into, as the kernel reports it
# (Debian's headers: 6.1.0-N-arch, where "make kernelrelease" says 6.1.x).
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
PREFIX ?= /usr/local
MODULESDIR ?= /lib/modules
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
UDEVRULESDIR ?= /lib/udev/rules.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
OVERLAYDIR ?= $(firstword $(wildcard /boot/firmware/overlays /boot/overlays) \
	/boot/firmware/overlays)
DKMS_SRC := Kbuild Makefile dkms.conf $(wildcard driver/*.[ch]) \
	include/uapi/linux/doorlock.h

install: install-module install-agent

install-module: module overlay
	@test -n "$(KVER)" || { echo "cannot tell the kernel version of $(KDIR)"; exit 1; }
	install -D -m 0644 doorlock.ko $(DESTDIR)$(MODULESDIR)/$(KVER)/extra/doorlock.ko
	install -D -m 0644 -t $(DESTDIR)$(OVERLAYDIR) $(OVERLAYS)
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

install-agent: tools
	install -D -m 0755 $(DOORLOCKD) $(DESTDIR)$(SBINDIR)/doorlockd
	install -D -m 0755 $(DOORLOCKCTL) $(DESTDIR)$(BINDIR)/doorlockctl
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/doorlock
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		agent/doorlockd.service.in > $(DESTDIR)$(UNITDIR)/doorlockd.service
	install -D -m 0644 agent/doorlock.sysusers $(DESTDIR)$(SYSUSERSDIR)/doorlock.conf
	install -D -m 0644 agent/60-doorlock.rules $(DESTDIR)$(UDEVRULESDIR)/60-doorlock.rules
	install -D -m 0644 agent/doorlock.modules-load $(DESTDIR)$(MODULESLOADDIR)/doorlock.conf
	install -m 0644 agent/doorlockd.example.json $(DESTDIR)$(SYSCONFDIR)/doorlock/
	@# An existing configuration is the owner's: never overwritten.
	[ -e $(DESTDIR)$(SYSCONFDIR)/doorlock/doorlockd.json ] || \
		install -m 0640 agent/doorlockd.example.json \
			$(DESTDIR)$(SYSCONFDIR)/doorlock/doorlockd.json
	[ -n "$(DESTDIR)" ] || { systemd-sysusers && \
		chgrp doorlock $(SYSCONFDIR)/doorlock/doorlockd.json && \
		udevadm control --reload && udevadm trigger -s doorlock && \
		systemctl daemon-reload; }

# DKMS builds the module again for each new kernel (dkms.conf). Run again
# after an update: the old registration goes first, and so does the copy
# "make install" put in extra/, so that one doorlock.ko is left to load.
DKMS_SRCTREE ?= /usr/src
DKMS_TREE ?= /var/lib/dkms
DKMS_TREES = --sourcetree $(DKMS_SRCTREE) --dkmstree $(DKMS_TREE) \
	--installtree $(MODULESDIR)
dkms-install:
	rm -rf $(DESTDIR)$(DKMS_SRCTREE)/doorlock-$(VERSION)
	mkdir -p $(DESTDIR)$(DKMS_SRCTREE)/doorlock-$(VERSION)
	cp --parents $(DKMS_SRC) $(DESTDIR)$(DKMS_SRCTREE)/doorlock-$(VERSION)/
	[ -n "$(DESTDIR)" ] || { \
		test -n "$(KVER)" || { echo "cannot tell the kernel version of $(KDIR)"; exit 1; }; \
		rm -f $(MODULESDIR)/$(KVER)/extra/doorlock.ko; \
		dkms remove -m doorlock -v $(VERSION) --all $(DKMS_TREES) > /dev/null 2>&1; \
		dkms add -m doorlock -v $(VERSION) $(DKMS_TREES) && \
		dkms install -m doorlock -v $(VERSION) -k $(KVER) $(DKMS_TREES); }

# The demo: everything built before the VM starts (tests/vm/run finds it
# done). Its clock starts first: the cold start it prints is all of it.
DEMO ?= console
DEMO_PORT ?= 8080
DEMO_RECEIVER := $(BUILD)/demo/demo-receiver

$(DEMO_RECEIVER): tests/demo/demo_receiver.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -o $@ $< -lcrypto -ljansson

demo: deps
	@export DEMO_T0=$$(date +%s%N) && mkdir -p $(BUILD) && \
	echo "demo: building what changed (on a new machine the 6.12 test kernel too: about 6 minutes)" && \
	$(MAKE) -s module-test-6.12 board-6.12 tests $(DEMO_RECEIVER) > $(BUILD)/demo-build.log 2>&1 || \
		{ cat $(BUILD)/demo-build.log; exit 1; } && \
	tests/demo/run $(DEMO) $(DEMO_PORT)

check: deps
	@tests/check

clean:
	rm -rf $(BUILD)
	rm -rf *.o *.ko *.mod *.mod.c *.mod.o .*.cmd modules.order Module.symvers \
		driver/*.o driver/.*.cmd .tmp_versions $(OVERLAYS)
