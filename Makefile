# SPDX-License-Identifier: GPL-2.0
#
# vntb: build the module against a kernel tree, and drive the test rig.
#
#   make [KDIR=/path/to/kernel/build]   build pci-epf-vntb.ko
#   make demo                           boot the rig and show vntb working
#   make check                          build everything and run all tests
#   make soak                           the lifecycle and reliability tests, long
#   make tests T="vntb_poll.sh ..."     one boot of the tests named
#   make bench                          ours beside the in-tree driver
#   make install / uninstall            install into updates/ of KDIR's kernel
#
# KVERSION (6.12 unless given) picks the rig's kernel, VERSION/arm64 its
# arm64 guest: make tests KVERSION=6.12/arm64 T=vntb_seed.sh

KDIR ?= /lib/modules/$(shell uname -r)/build
KVERSION ?= 6.12
KRELEASE = $(shell cat $(KDIR)/include/config/kernel.release)
DEPMOD = depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KRELEASE)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .rig

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	$(DEPMOD)

uninstall:
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)/updates/pci-epf-vntb.ko
	$(DEPMOD)

check:
	selftests/rig/run.sh check $(KVERSION)

demo:
	selftests/rig/run.sh demo $(KVERSION)

soak:
	selftests/rig/run.sh soak $(KVERSION)

bench:
	selftests/rig/run.sh bench $(KVERSION)

tests:
	selftests/rig/run.sh tests $(KVERSION) $(T)

.PHONY: all modules clean install uninstall check demo soak bench tests
