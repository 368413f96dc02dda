# exitstat: the guest-side client.  See README.md.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
COMPLETIONSDIR ?= $(PREFIX)/share/bash-completion/completions
PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g

# ncursesw first, then ncurses, then a bare -lncurses.
CURSES_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null || \
		   $(PKG_CONFIG) --cflags ncurses 2>/dev/null)
CURSES_LIBS ?= $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || \
		 $(PKG_CONFIG) --libs ncurses 2>/dev/null || echo -lncurses)

# BUILD and VARIANT_CFLAGS change for the sanitizer build of `make check`.
BUILD ?= build
VARIANT_CFLAGS ?=
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -DEXITSTAT_VERSION='"$(VERSION)"' \
	-Iinclude -Wall -Wextra -Werror $(CURSES_CFLAGS) $(CFLAGS) $(VARIANT_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(VARIANT_CFLAGS)

CORE = cli command cpus delta exit_reasons figures history host hostfile hostview list \
	metrics parse percpu percpu_panel percpu_report ratio \
	report snapshot spark table terminal tsc units view watch
CORE_OBJS = $(CORE:%=$(BUILD)/%.o)
HEADERS = $(wildcard include/*.h)
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)

SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

all: exitstat

exitstat: $(BUILD)/exitstat
	cp $< $@

tests/exitstat-sim: $(BUILD)/exitstat-sim
	cp $< $@

# CPUIDs straight to the simulated host, for the tests of the host itself.
tests/sim-cpuid: $(BUILD)/sim_cpuid.o $(BUILD)/sim_host.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Preloaded by tests/percpu.sh: a CPU taken away while exitstat runs.
tests/cpu-gone.so: tests/cpu_gone.c Makefile
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -ldl

$(BUILD)/exitstat: $(CORE_OBJS) $(BUILD)/main.o $(BUILD)/cpuid_hw.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(LDLIBS)

$(BUILD)/exitstat-sim: $(CORE_OBJS) $(BUILD)/main.o $(BUILD)/sim_host.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(LDLIBS)

$(BUILD)/unit-tests: $(UNIT_OBJS) $(CORE_OBJS) $(BUILD)/sim_host.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(LDLIBS)

$(BUILD)/bench: $(BUILD)/bench.o $(CORE_OBJS) $(BUILD)/cpuid_hw.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(LDLIBS)

$(BUILD)/%.o: src/%.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sim_host.o: tests/sim_host.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/sim_cpuid.o: tests/sim_cpuid.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/bench.o: tests/bench.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c $(HEADERS) tests/unit/unit.h Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

# What the client's suites run; make check and make test build it alike.
SUITE_PROGRAMS = exitstat tests/exitstat-sim tests/sim-cpuid tests/cpu-gone.so \
	$(BUILD)/unit-tests

# The suite runs three times: plain, under ASan/UBSan, under valgrind;
# then the unit, command-line and live-view suites built for 32-bit x86.
check: $(SUITE_PROGRAMS)
	$(MAKE) BUILD=build/san VARIANT_CFLAGS='$(SAN_CFLAGS)' \
		build/san/exitstat build/san/exitstat-sim build/san/unit-tests
	$(MAKE) m32
	tests/run-all.sh

# 32-bit x86 guests (gcc-multilib, lib32ncurses-dev): no 128-bit integers.
m32:
	$(MAKE) BUILD=build/m32 VARIANT_CFLAGS=-m32 \
		build/m32/exitstat build/m32/exitstat-sim build/m32/unit-tests

check-m32: m32
	tests/run-all.sh m32

# The client's suites and the host patch's compile checks (6.1 and 6.12).
test: $(SUITE_PROGRAMS)
	scripts/install-deps.sh e2e
	$(MAKE) BUILD=build/san VARIANT_CFLAGS='$(SAN_CFLAGS)' \
		build/san/exitstat build/san/exitstat-sim build/san/unit-tests
	$(MAKE) m32
	EXITSTAT_KERNEL=1 EXITSTAT_E2E=1 tests/run-all.sh

# The patched host booted under QEMU, exitstat run in a nested guest.
check-e2e: tests/exitstat-sim
	tests/e2e/e2e.sh

# Instructions per CPUID exit round trip under Bochs: accounting on/off.
bench-kernel:
	tests/e2e/e2e.sh bench

# The main job here: Debian's own kernel with the installer's modules,
# under QEMU's SVM, and what exitstat sees in a nested guest.
demo:
	tests/e2e/e2e.sh demo

# The installer and DKMS against Debian's stock kernel, unpacked (part of
# make test; the first run downloads it and builds the modules twice).
check-installer:
	scripts/install-deps.sh e2e
	tests/installer.sh
	tests/e2e/dkms.sh

check-kernel:
	scripts/install-deps.sh kernel
	kernel-patch/check.sh 6.1
	kernel-patch/check.sh 6.12
	tests/kernel-apply.sh

bench: $(BUILD)/bench tests/exitstat-sim
	tests/bench.sh $(BUILD)/bench

# make deps demo installs what the demo needs; with any other goal, or
# alone, make deps installs everything.
deps:
	scripts/install-deps.sh $(if $(filter-out deps demo,$(MAKECMDGOALS)),e2e,$(if $(filter demo,$(MAKECMDGOALS)),demo,e2e))

# The main job on a machine with a patched host: the report of every reason.
run: exitstat
	./exitstat --all

install: exitstat
	install -m 0755 -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
		$(DESTDIR)$(MANPREFIX)/man7
	install -m 0755 exitstat $(DESTDIR)$(BINDIR)/exitstat
	install -m 0644 man/exitstat.1 $(DESTDIR)$(MANPREFIX)/man1/exitstat.1
	install -m 0644 man/exitstat-cpuid.7 \
		$(DESTDIR)$(MANPREFIX)/man7/exitstat-cpuid.7
	install -m 0755 -d $(DESTDIR)$(COMPLETIONSDIR)
	install -m 0644 completion/exitstat.bash \
		$(DESTDIR)$(COMPLETIONSDIR)/exitstat

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/exitstat \
		$(DESTDIR)$(MANPREFIX)/man1/exitstat.1 \
		$(DESTDIR)$(MANPREFIX)/man7/exitstat-cpuid.7 \
		$(DESTDIR)$(COMPLETIONSDIR)/exitstat

# The host patch under DKMS: rebuilt for each new kernel of a supported
# series (kernel-patch/dkms.conf).  DKMS_SOURCE_TREE is DKMS's source tree.
DKMS_SOURCE_TREE ?= $(DESTDIR)/usr/src
DKMS_SOURCE = $(DKMS_SOURCE_TREE)/exitstat-$(VERSION)
# What DKMS builds from.  VERSION stays the same across a git pull, so the
# source carries this hash: a registered build of other sources is removed
# and built again rather than kept as "already installed".
DKMS_INPUTS = kernel-patch/dkms.conf kernel-patch/install-modules.sh $(sort $(wildcard kernel-patch/*/*.patch))
DKMS_SOURCE_HASH = $(shell cat $(DKMS_INPUTS) | sha256sum | cut -d ' ' -f 1)

# Emptied first: a renamed or dropped patch must not stay behind, or the
# next kernel's build applies both.
dkms-source:
	rm -rf $(DKMS_SOURCE)
	install -m 0755 -d $(DKMS_SOURCE)/6.1 $(DKMS_SOURCE)/6.12
	install -m 0755 kernel-patch/install-modules.sh $(DKMS_SOURCE)/
	install -m 0644 kernel-patch/6.1/*.patch $(DKMS_SOURCE)/6.1/
	install -m 0644 kernel-patch/6.12/*.patch $(DKMS_SOURCE)/6.12/
	sed 's/@VERSION@/$(VERSION)/' kernel-patch/dkms.conf >$(DKMS_SOURCE)/dkms.conf
	echo $(DKMS_SOURCE_HASH) >$(DKMS_SOURCE)/source.sha256

# Registers the source, then builds and installs for the running kernel
# when its series is supported (DKMS skips it otherwise).  The modules
# load at the next boot, or at once after `modprobe -r kvm_intel kvm_amd
# kvm`.
dkms-install:
	if dkms status -m exitstat -v $(VERSION) | grep -q . && \
		[ "$$(cat $(DKMS_SOURCE)/source.sha256 2>/dev/null)" != "$(DKMS_SOURCE_HASH)" ]; then \
		echo "dkms-install: exitstat $(VERSION) is registered with other sources: removing it to build again"; \
		dkms remove -m exitstat -v $(VERSION) --all; \
	fi
	$(MAKE) dkms-source
	dkms status -m exitstat -v $(VERSION) | grep -q . || dkms add -m exitstat -v $(VERSION)
	dkms install -m exitstat -v $(VERSION) || { status=$$?; [ $$status -eq 77 ] || exit $$status; \
		echo "dkms-install: Linux $$(uname -r) has no series here; DKMS builds for the next 6.1 or 6.12 kernel"; }

dkms-uninstall:
	dkms remove -m exitstat -v $(VERSION) --all
	rm -rf $(DKMS_SOURCE)

clean:
	rm -rf build exitstat tests/exitstat-sim tests/sim-cpuid tests/cpu-gone.so

.PHONY: all check check-m32 m32 test check-kernel check-e2e check-installer demo bench bench-kernel deps run install uninstall \
	dkms-source dkms-install dkms-uninstall clean
