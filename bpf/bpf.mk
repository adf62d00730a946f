# Build rules for BPF objects, shared by every module that ships BPF programs.
#
#   make -f bpf/bpf.mk SRC_DIR=<dir with *.bpf.c> OUT_DIR=<dir for *.bpf.o> [EXTRA_INCLUDE_DIR=<dir>]
#
# vmlinux.h is generated from the running kernel's BTF on first use and never committed.

BPF_DIR   := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
GEN_DIR   := $(BPF_DIR)/build
VMLINUX_H := $(GEN_DIR)/vmlinux.h
BTF       ?= /sys/kernel/btf/vmlinux
CLANG     ?= clang-19
BPFTOOL   ?= bpftool

CFLAGS := -target bpf -O2 -g -mcpu=v3 -Wall -Werror -Wno-unused-function \
          -I$(GEN_DIR) -I$(BPF_DIR)/include -I$(SRC_DIR) $(if $(EXTRA_INCLUDE_DIR),-I$(EXTRA_INCLUDE_DIR))

SOURCES := $(wildcard $(SRC_DIR)/*.bpf.c)
OBJECTS := $(patsubst $(SRC_DIR)/%.bpf.c,$(OUT_DIR)/%.bpf.o,$(SOURCES))
HEADERS := $(wildcard $(BPF_DIR)/include/ffkx/*.h) $(wildcard $(SRC_DIR)/*.h) \
           $(if $(EXTRA_INCLUDE_DIR),$(wildcard $(EXTRA_INCLUDE_DIR)/*.h) $(wildcard $(EXTRA_INCLUDE_DIR)/*.bpf.c))

.PHONY: all vmlinux
all: $(OBJECTS)
vmlinux: $(VMLINUX_H)

$(VMLINUX_H):
	@command -v $(BPFTOOL) >/dev/null || { echo "bpf.mk: $(BPFTOOL) not found (apt-get install bpftool)" >&2; exit 1; }
	@test -r $(BTF) || { echo "bpf.mk: $(BTF) missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y" >&2; exit 1; }
	@mkdir -p $(GEN_DIR)
	$(BPFTOOL) btf dump file $(BTF) format c > $@.$$$$.tmp && mv $@.$$$$.tmp $@

$(OUT_DIR)/%.bpf.o: $(SRC_DIR)/%.bpf.c $(HEADERS) $(VMLINUX_H)
	@command -v $(CLANG) >/dev/null || { echo "bpf.mk: $(CLANG) not found (apt-get install clang-19)" >&2; exit 1; }
	@mkdir -p $(OUT_DIR)
	$(CLANG) $(CFLAGS) -c $< -o $@
