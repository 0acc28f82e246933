# SPDX-License-Identifier: GPL-2.0
#
# kipsec: `make` builds kipsec.ko (+ kipsec_kunit.ko) and the kipsec tool.
# KDIR defaults to the running kernel's build tree; where there is none (as
# on the build machines, whose kernel has no module support) to the test
# kernel that selftests/vm/kernel.sh builds and caches.

KVER ?= $(shell uname -r)
KDIR ?= $(shell if [ -d /lib/modules/$(KVER)/build ]; then \
		echo /lib/modules/$(KVER)/build; \
	else selftests/vm/kernel.sh; fi)
KSRC ?= $(HOME)/.cache/kipsec/linux-source-6.12
DEBUG ?= 0
export DEBUG

.PHONY: all module tool clean install deps check demo bench regen fuzz

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/kipsec

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER) || true
	$(MAKE) -C tools/kipsec install

clean:
	$(MAKE) -C tools/kipsec clean
	$(MAKE) -C tools/kipsec/bench clean
	rm -rf .tmp_versions Module.symvers modules.order \
		$(addprefix net/kipsec/,*.o *.ko *.mod *.mod.c .*.cmd modules.order)

deps:
	scripts/deps.sh

regen: $(KSRC)/.kipsec-unpacked
	KSRC=$(KSRC) scripts/regen.sh

$(KSRC)/.kipsec-unpacked:
	selftests/vm/kernel.sh >/dev/null

check: deps
	selftests/check.sh

demo: deps
	selftests/demo.sh

bench: deps
	selftests/bench.sh

fuzz: deps
	$(MAKE) -C tools/kipsec/fuzz fuzz
