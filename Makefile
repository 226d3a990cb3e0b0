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
#   make demo            the demo in QEMU (KERNEL=6.1 by default)
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
KSRC := Kbuild $(shell cd $(TOP) && find kmod selftests/modules selftests/kpatches -type f \
	   \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) 2>/dev/null)

.PHONY: all modules test-modules tools test-progs setup check demo clean help

all: tools modules

help:
	@sed -n '3,14p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

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

tools:
	$(MAKE) -C $(TOP)/tools OUT=$(HOSTBIN)

# Static helper programs that tests run inside the guest.
test-progs:
	$(MAKE) -C $(TOP)/selftests/progs OUT=$(HOSTBIN)

setup:
	$(TOP)/scripts/setup

# 'make setup check' / 'make setup demo' order setup first.
check: $(filter setup,$(MAKECMDGOALS))
	@$(TOP)/scripts/check $(KERNELS)

demo: $(filter setup,$(MAKECMDGOALS)) tools
	@$(TOP)/scripts/demo $(KERNEL)

clean:
	rm -rf $(TOP)/build
	$(MAKE) -C $(TOP)/tools clean OUT=$(HOSTBIN)
