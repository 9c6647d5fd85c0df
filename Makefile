# whosaid: front door. `make run` installs what is missing, builds, compiles
# the default model and runs the pipeline on the bundled sample; `make test`
# builds and passes every test. See README.md.

SHARED ?= ../shared
CC ?= cc
PKGS := icu-uc icu-i18n msgpack jansson
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla
# pkg-config runs only after `deps` (below) made sure it exists.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) \
	-MMD -MP -I$(B)/gen $(PKG_CFLAGS) $(CFLAGS) $(XCFLAGS)
LIBS = $(PKG_LIBS) -lstemmer -lpthread -lm
B := build
# Sanitizer builds live in their own trees, so they never mix with build/:
# `make asan` (AddressSanitizer + UBSan) or `make ubsan` builds everything
# and the tests there, and with `test` on the same line (`make asan test`)
# runs the whole test suite there. `make tsan` builds a ThreadSanitizer
# tree and runs `run -j 4` on the bench corpus (tests/tsan_run.sh).
# UBSan is not detectable from the source with gcc: SLOWDOWN (tests/spec.h)
# scales the tests' time bounds for it (ASan is, and scales by 6).
SAN := $(firstword $(filter asan ubsan tsan,$(MAKECMDGOALS)))
ifeq ($(SAN),asan)
B := build-asan
OPT := -O1
XCFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
endif
ifeq ($(SAN),ubsan)
B := build-ubsan
OPT := -O1
XCFLAGS += -fsanitize=undefined -fno-sanitize-recover=undefined -DSLOWDOWN=3.0
endif
ifeq ($(SAN),tsan)
B := build-tsan
OPT := -O1
XCFLAGS += -fsanitize=thread -DSLOWDOWN=10.0
endif

LIB_SRC := $(filter-out pipeline/main.c,$(wildcard pipeline/*.c)) $(wildcard stages/*.c) $(wildcard models/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
EVAL_SRC := $(wildcard eval/*.c)
GEN := $(patsubst models/src/%.txt,$(B)/gen/%.inc,$(wildcard models/src/lists/*.txt))
MODEL_SRC := $(shell find models/src -type f 2>/dev/null)
MODEL := $(B)/whosaid.model

.DELETE_ON_ERROR:
.PHONY: all run models test asan ubsan tsan fuzz bench peers eval format clean deps train

all: deps $(B)/whosaid $(MODEL) $(if $(EVAL_SRC),$(B)/whosaid-eval)

deps:
	@scripts/install-deps.sh

$(B)/gen/%.inc: models/src/%.txt scripts/gen-list.sh
	@mkdir -p $(dir $@)
	scripts/gen-list.sh $< > $@

$(B)/obj/%.o: %.c | gen
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

gen: $(GEN)
.PHONY: gen

$(B)/libwhosaid.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/whosaid: $(B)/obj/pipeline/main.o $(B)/libwhosaid.a
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS)

$(B)/whosaid-eval: $(EVAL_SRC:%.c=$(B)/obj/%.o) $(B)/libwhosaid.a
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS)

# The scorer's unit tests also link the scorer (eval/*.c but its main).
EVAL_LIB_OBJ := $(filter-out $(B)/obj/eval/main.o,$(EVAL_SRC:%.c=$(B)/obj/%.o))
$(B)/tests/test_eval: $(B)/obj/tests/test_eval.o $(EVAL_LIB_OBJ) $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS) -lcmocka

models: $(MODEL)
$(MODEL): $(B)/whosaid $(MODEL_SRC)
	$(B)/whosaid model build -o $@ models/src

$(B)/tests/%: $(B)/obj/tests/%.o $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(B)/bench/%: $(B)/obj/bench/%.o $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS)

# Tools that are not part of the product (trainers): tools/NAME.c -> build/tools/NAME.
$(B)/tools/%: $(B)/obj/tools/%.o $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS)

# Trains the quote taggers on PolNeAR train into models/src/quote/*.tagger
# and scores them on dev. Never run by `make test`.
train: $(B)/tools/quote_train
	$(B)/tools/quote_train -s models/src $(SHARED)/data/eval/polnear-train.jsonl $(SHARED)/data/eval/polnear-dev.jsonl

run: all
	@echo "== who said what in sample/articles.jsonl =="
	@$(B)/whosaid run sample/articles.jsonl | $(B)/whosaid dump --table quotes --format table

test: all $(TEST_BIN)
	@SHARED=$(SHARED) B=$(B) tests/run_all.sh

# The sanitizer trees (see SAN above): `make asan test`, `make ubsan test`.
asan ubsan: all $(TEST_BIN)
	@echo "$@: built in $(B)$(if $(filter test,$(MAKECMDGOALS)),; the tests run there,; make $@ test runs the tests there)"
# ThreadSanitizer on the pipeline's threads: TSAN_MB of the bench corpus
# (PolNeAR train+dev repeated) through `run -j 4`; any report fails it.
TSAN_MB ?= 50
tsan: all
	@SHARED=$(SHARED) B=$(B) TSAN_MB=$(TSAN_MB) tests/tsan_run.sh

bench: all $(BENCH_BIN)
	@SHARED=$(SHARED) B=$(B) bench/run.sh

peers: all
	@SHARED=$(SHARED) B=$(B) bench/peers.sh

# libFuzzer targets tests/fuzz_*.c, built with clang into build-fuzz/ (the
# library with coverage, AddressSanitizer and UBSan), then each run for
# FUZZ_SECONDS (0: build only) on build-fuzz/corpus/NAME, seeded from the
# sample and the golden inputs. Never part of `make test`.
FUZZ_SRC := $(wildcard tests/fuzz_*.c)
FUZZ_SECONDS ?= 20
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	$(MAKE) B=build-fuzz CC=clang OPT="-O1" \
		XCFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		$(FUZZ_SRC:tests/%.c=build-fuzz/%)
	@set -e; for f in $(FUZZ_SRC:tests/%.c=%); do \
		c=build-fuzz/corpus/$$f; mkdir -p $$c; \
		cp -n sample/articles.jsonl tests/golden/*.in.* $$c/ 2>/dev/null || true; \
		[ "$(FUZZ_SECONDS)" = 0 ] && continue; \
		echo "== $$f for $(FUZZ_SECONDS) s on $$c =="; \
		st=0; build-fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
			-artifact_prefix=build-fuzz/$$f- $$c > build-fuzz/$$f.log 2>&1 || st=$$?; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' build-fuzz/$$f.log; \
		if [ $$st != 0 ]; then tail -n 40 build-fuzz/$$f.log; echo "fuzz: $$f failed (build-fuzz/$$f.log)"; exit 1; fi; \
	done

$(B)/fuzz_%: $(B)/obj/tests/fuzz_%.o $(B)/libwhosaid.a
	$(CC) $(CFLAGS) $(XCFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

eval: all $(filter $(B)/tests/test_golden_rules,$(TEST_BIN))
	@SHARED=$(SHARED) B=$(B) eval/run.sh

format:
	clang-format -i $(wildcard pipeline/*.[ch] stages/*.[ch] models/*.[ch] tests/*.[ch] bench/*.[ch] eval/*.[ch])

clean:
	rm -rf build build-asan build-ubsan build-tsan build-fuzz build-fuzz-fast

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
