# SPDX-License-Identifier: GPL-2.0
#
# clp - cumulative live patching.
#
#   make                 userspace tools and clp.ko for the running kernel
#   make KVER=REL        ... for another kernel (KDIR defaults to the tree
#                        unpacked by scripts/setup, else /lib/modules/REL/build)
#   make setup           install everything (Debian packages, test kernels)
#   make check           host tests, then selftests in QEMU on every kernel
#                        of the matrix (KERNELS="6.1 6.12" by default)
#   make check-system    the Debian packages and clp.service in a Debian 12
#                        system guest (debootstrap, systemd), every kernel
#                        of the matrix (not part of check)
#   make stress          1000 switches under 2 x nproc callers in QEMU, on
#                        every kernel of the matrix (not part of check)
#   make bench           clp against the kernel's livepatch in QEMU, on every
#                        kernel of the matrix: a table, build/bench/*.json;
#                        clp build from diffs against compiling twice
#                        (scripts/bench-diffs, build/bench/diffs.txt)
#                        and *.svg (not part of check)
#   make demo            the demo in QEMU (KERNEL=6.1 by default)
#   make kselftest KVER=REL  the guest selftests as the kselftest collection
#                        "clp", installed with that kernel's own framework
#                        into build/REL/kselftest (or INSTALL_PATH=DIR)
#   make man             the man pages into build/man/ (rst2man)
#   make install         clp, its headers, man pages, bash completion, the
#                        boot service and the DKMS source of clp.ko
#                        (DESTDIR, PREFIX=/usr/local); make uninstall
#   make deb             Debian packages clp and clp-dkms into build/deb/
#                        (dpkg-buildpackage, lintian; scripts/debian/)
#   make clean

TOP      := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE    ?= $(TOP)/.cache
KVER     ?= $(shell uname -r)
KDIR     ?= $(firstword $(wildcard $(CACHE)/kernels/$(KVER)/build) /lib/modules/$(KVER)/build)
BUILD    ?= $(TOP)/build/$(KVER)
HOSTBIN  := $(TOP)/build/host/bin
KERNELS  ?= 6.1 6.12
KERNEL   ?= 6.1
V        ?= 0

# Sources kbuild compiles; they are mirrored into $(BUILD)/src so that
# builds for several kernels never share object files.
KSRC := Kbuild $(shell cd $(TOP) && find kmod selftests/modules selftests/kpatches selftests/bench -type f \
	   \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) 2>/dev/null)

.PHONY: all modules test-modules bench-modules tools test-progs setup check check-system stress bench demo kselftest clean help \
	man deb install uninstall install-bin install-headers install-man \
	install-completion install-service install-dkms

all: tools modules

help:
	@sed -n '3,29p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

$(BUILD)/src/.stamp: $(addprefix $(TOP)/,$(KSRC))
	@mkdir -p $(BUILD)/src
	@# sources removed from the tree must not linger in the mirror
	@find $(BUILD)/src -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' -delete
	@cd $(TOP) && cp --parents -p $(KSRC) $(BUILD)/src/
	@touch $@

modules: $(BUILD)/src/.stamp
	@test -f $(KDIR)/Makefile || { echo "no kernel build tree at $(KDIR) (KVER=$(KVER)); run 'make setup' or install linux-headers-$(KVER)" >&2; exit 2; }
	$(MAKE) -C $(KDIR) M=$(BUILD)/src V=$(V) modules
	@mkdir -p $(BUILD)/kmod && sed 's/\.o$$/.ko/' $(BUILD)/src/modules.order | \
		(cd $(BUILD)/src && xargs cp -t $(BUILD)/kmod/)

# Test modules, then the selftest patch modules made by 'clp build'.
test-modules: $(BUILD)/src/.stamp tools
	$(MAKE) modules CLP_TESTS=1 KVER=$(KVER) KDIR=$(KDIR) BUILD=$(BUILD)
	$(TOP)/selftests/build-patches $(KDIR) $(BUILD)/kmod

# The modules of make bench (selftests/bench); its clp patches are made by
# scripts/bench.
bench-modules: $(BUILD)/src/.stamp
	$(MAKE) modules CLP_BENCH=1 KVER=$(KVER) KDIR=$(KDIR) BUILD=$(BUILD)

tools:
	$(MAKE) -C $(TOP)/tools OUT=$(HOSTBIN)

# Static helper programs that tests run inside the guest.
test-progs:
	$(MAKE) -C $(TOP)/selftests/progs OUT=$(HOSTBIN)

setup:
	$(TOP)/scripts/setup

# 'make setup check' / 'make setup demo' order setup first.
# Without KERNELS given, scripts/check adds the previous 6.1 and 6.12 ABIs
# (6.1-prev, 6.12-prev) to 6.1 and 6.12 for its real-fix tests.
check: $(filter setup,$(MAKECMDGOALS))
	@$(TOP)/scripts/check $(if $(filter command line environment%,$(origin KERNELS)),$(KERNELS))

kselftest:
	@$(TOP)/scripts/kselftest $(KVER) $(INSTALL_PATH)

check-system: $(filter setup,$(MAKECMDGOALS))
	@$(TOP)/scripts/check-system $(KERNELS)

stress: $(filter setup,$(MAKECMDGOALS))
	@$(TOP)/scripts/stress $(KERNELS)

bench: $(filter setup,$(MAKECMDGOALS))
	@$(TOP)/scripts/bench $(KERNELS)
	@$(TOP)/scripts/bench-diffs

demo: $(filter setup,$(MAKECMDGOALS)) tools
	@$(TOP)/scripts/demo $(KERNEL)

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/tools clean OUT=$(HOSTBIN)

# ---- installation (Documentation/packaging.rst) --------------------------
# The installed clp is built apart (build/install/bin) with the headers'
# installed path compiled in; a different CLPINCDIR rebuilds it.
VERSION     ?= 0.1
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
CLPINCDIR   ?= $(DATADIR)/clp/include
MANDIR      ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
UNITDIR     ?= $(PREFIX)/lib/systemd/system
DKMSDIR     ?= /usr/src
STATEDIR    ?= /var/lib/clp
RST2MAN     ?= rst2man
INSTBIN     := $(TOP)/build/install/bin
PKGBUILD    := $(TOP)/build/pkg
DKMSSRC     := $(DESTDIR)$(DKMSDIR)/clp-$(VERSION)
# What the DKMS tree carries: the core and the patch API headers.
DKMS_FILES  := $(shell cd $(TOP) && find kmod/core kmod/include -type f \
		 \( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c' 2>/dev/null | sort)
MANSRC      := $(sort $(wildcard $(TOP)/Documentation/man/clp*.rst))
MANPAGES    := $(patsubst $(TOP)/Documentation/man/%.rst,$(TOP)/build/man/%.8,$(MANSRC))
SUBST        = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g' \
		   -e 's|@VERSION@|$(VERSION)|g'

man: $(MANPAGES)

# Any docutils warning fails the page.
$(TOP)/build/man/%.8: $(TOP)/Documentation/man/%.rst $(wildcard $(TOP)/Documentation/man/*.inc)
	@command -v $(RST2MAN) >/dev/null || { echo "$(RST2MAN) not found: install python3-docutils (make setup)" >&2; exit 2; }
	@mkdir -p $(@D)
	$(RST2MAN) --halt=warning --exit-status=warning --no-generator --no-datestamp $< $@.tmp
	@mv $@.tmp $@

$(INSTBIN)/clp: FORCE
	@mkdir -p $(INSTBIN)
	@echo '$(CLPINCDIR)' | cmp -s - $(INSTBIN)/.include || \
		{ rm -rf $(INSTBIN); mkdir -p $(INSTBIN); echo '$(CLPINCDIR)' > $(INSTBIN)/.include; }
	$(MAKE) -C $(TOP)/tools OUT=$(INSTBIN) CLP_DEFAULT_INCLUDE=$(CLPINCDIR) $(INSTBIN)/clp

$(PKGBUILD)/clp.service: $(TOP)/scripts/systemd/clp.service.in FORCE
	@mkdir -p $(@D)
	@$(SUBST) $< > $@.tmp && mv $@.tmp $@

$(PKGBUILD)/dkms.conf: $(TOP)/scripts/dkms/dkms.conf.in FORCE
	@mkdir -p $(@D)
	@$(SUBST) $< > $@.tmp && mv $@.tmp $@

install: install-bin install-headers install-man install-completion install-service install-dkms
	install -d -m 0755 $(DESTDIR)$(STATEDIR)

install-bin: $(INSTBIN)/clp
	install -d -m 0755 $(DESTDIR)$(BINDIR)
	install -m 0755 $(INSTBIN)/clp $(DESTDIR)$(BINDIR)/clp

install-headers:
	install -d -m 0755 $(DESTDIR)$(CLPINCDIR)/clp
	install -m 0644 $(wildcard $(TOP)/kmod/include/clp/*.h) $(DESTDIR)$(CLPINCDIR)/clp/

install-man: $(MANPAGES)
	install -d -m 0755 $(DESTDIR)$(MANDIR)/man8
	set -e; for p in $(notdir $(MANPAGES)); do \
		rm -f $(DESTDIR)$(MANDIR)/man8/$$p; \
		gzip -9n < $(TOP)/build/man/$$p > $(DESTDIR)$(MANDIR)/man8/$$p.gz; \
		chmod 0644 $(DESTDIR)$(MANDIR)/man8/$$p.gz; done

install-completion:
	install -d -m 0755 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 $(TOP)/scripts/bash-completion/clp $(DESTDIR)$(BASHCOMPDIR)/clp

install-service: $(PKGBUILD)/clp.service
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	install -m 0644 $(PKGBUILD)/clp.service $(DESTDIR)$(UNITDIR)/clp.service

# The whole DKMS tree is replaced, so no file of an older copy lingers.
install-dkms: $(PKGBUILD)/dkms.conf
	rm -rf $(DKMSSRC)
	install -d -m 0755 $(DKMSSRC)
	cd $(TOP) && for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DKMSSRC)/$$f || exit 1; done
	install -m 0644 $(TOP)/scripts/dkms/Kbuild $(DKMSSRC)/Kbuild
	install -m 0644 $(PKGBUILD)/dkms.conf $(DKMSSRC)/dkms.conf

# Leaves $(STATEDIR) when patches are installed in it, and the modules
# DKMS built ('dkms remove clp/$(VERSION) --all' first).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/clp
	rm -rf $(DESTDIR)$(CLPINCDIR)/clp
	rmdir $(DESTDIR)$(CLPINCDIR) $(DESTDIR)$(DATADIR)/clp 2>/dev/null || true
	rm -f $(foreach p,$(MANSRC),$(DESTDIR)$(MANDIR)/man8/$(basename $(notdir $(p))).8 \
		$(DESTDIR)$(MANDIR)/man8/$(basename $(notdir $(p))).8.gz)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/clp
	rm -f $(DESTDIR)$(UNITDIR)/clp.service
	rm -rf $(DKMSSRC)
	rmdir $(DESTDIR)$(STATEDIR) 2>/dev/null || true

# ---- Debian packages (Documentation/packaging.rst) -----------------------
# A copy of the source tree with scripts/debian as its debian/, built by
# dpkg-buildpackage; the .debs land in build/deb/, then lintian checks them
# (an error fails the build).  VERSION is the changelog's.
DEBDIR     ?= $(TOP)/build/deb
DEBVERSION  = $(shell dpkg-parsechangelog -l $(TOP)/scripts/debian/changelog -SVersion)
DEBTREE     = $(DEBDIR)/clp-$(DEBVERSION)

deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "dpkg-buildpackage/debhelper not found: run 'make setup'" >&2; exit 2; }
	@test "$(DEBVERSION)" = "$(VERSION)" || \
		{ echo "scripts/debian/changelog is at $(DEBVERSION), the Makefile's VERSION at $(VERSION)" >&2; exit 2; }
	rm -rf $(DEBDIR)
	mkdir -p $(DEBTREE)
	cd $(TOP) && tar -c --exclude=build --exclude=.cache --exclude=.git \
		Kbuild Makefile README kmod tools scripts Documentation | tar -x -C $(DEBTREE)
	cp -r $(TOP)/scripts/debian $(DEBTREE)/debian
	cd $(DEBTREE) && dpkg-buildpackage -us -uc -b > $(DEBDIR)/build.log 2>&1 || \
		{ tail -n 40 $(DEBDIR)/build.log >&2; exit 1; }
	lintian --fail-on error $(DEBDIR)/clp_$(DEBVERSION)_*.changes > $(DEBDIR)/lintian.log 2>&1; \
		rc=$$?; grep -v 'root privileges' $(DEBDIR)/lintian.log; exit $$rc
	@ls $(DEBDIR)/*.deb

FORCE:
