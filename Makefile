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
# Each libFuzzer target tests/fuzz_NAME.c also builds, with tests/replay.c
# as its main, into $(B)/tests/test_fuzz_NAME: make test replays the seeds
# and the regression inputs (tests/fuzz/) through it, with any compiler.
FUZZ_SRC := $(wildcard tests/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz_%.c=$(B)/tests/test_fuzz_%)
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

$(B)/obj/tests/replay_%.o: tests/replay.c | gen
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_NAME='"$*"' -c $< -o $@

$(B)/tests/test_fuzz_%: $(B)/obj/tests/fuzz_%.o $(B)/obj/tests/replay_%.o $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -o $@ $^ $(LIBS)

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

# In a sanitizer tree a report exits 86 (ASan) or 87 (UBSan), never 1 or
# 2, which the tests read as whosaid's own statuses.
test: all $(TEST_BIN) $(REPLAY_BIN)
	@ASAN_OPTIONS=$${ASAN_OPTIONS:-exitcode=86} UBSAN_OPTIONS=$${UBSAN_OPTIONS:-exitcode=87:print_stacktrace=1} \
		SHARED=$(SHARED) B=$(B) tests/run_all.sh

# The sanitizer trees (see SAN above): `make asan test`, `make ubsan test`.
asan ubsan: all $(TEST_BIN) $(REPLAY_BIN)
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

# libFuzzer targets tests/fuzz_*.c (tok sent gaz quote pipe: one text
# through the stages; json rec: the readers and writers; model: the model
# loader on hostile model bytes), built with clang into $(FUZZ_B)/ (the
# library with coverage, AddressSanitizer and UBSan), then each run for
# FUZZ_SECONDS (0: build only) on $(FUZZ_B)/corpus/fuzz_NAME (grows; not
# in git), seeded from tests/fuzz/corpus/NAME (and .../text for the text
# targets) and tests/fuzz/regress/NAME. FUZZ_TARGETS picks targets. The
# targets read the model build/whosaid.model, so `all` comes first. Never
# part of `make test` (which replays the seeds and regressions instead).
# Long runs (tests/fuzz/README.md) used FUZZ_B=build-fuzz-fast
# FUZZ_OPT=-O2 FUZZ_COV=-fno-sanitize-coverage=trace-cmp: ten times the
# executions per second on the stage targets.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz_%.c=%)
FUZZ_B ?= build-fuzz
FUZZ_OPT ?= -O1
FUZZ_COV ?=
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz: all
	@scripts/install-deps.sh fuzz
	$(MAKE) B=$(FUZZ_B) CC=clang OPT="$(FUZZ_OPT)" \
		XCFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_COV) $(FUZZ_SAN)" \
		$(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz_%)
	@set -e; for f in $(FUZZ_TARGETS); do \
		c=$(FUZZ_B)/corpus/fuzz_$$f; mkdir -p $$c; seeds=""; \
		for d in tests/fuzz/corpus/$$f tests/fuzz/regress/$$f; do [ -d $$d ] && seeds="$$seeds $$d"; done; \
		case " tok sent gaz quote pipe " in *" $$f "*) seeds="$$seeds tests/fuzz/corpus/text" ;; esac; \
		[ "$(FUZZ_SECONDS)" = 0 ] && continue; \
		ml=$$(case $$f in model) echo 16384 ;; gaz|quote|pipe) echo 512 ;; *) echo 4096 ;; esac); \
		echo "== fuzz_$$f for $(FUZZ_SECONDS) s, max_len $$ml, on $$c$$seeds =="; \
		st=0; $(FUZZ_B)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=$$ml -timeout=30 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_B)/fuzz_$$f- $$c $$seeds \
			> $(FUZZ_B)/fuzz_$$f.log 2>&1 || st=$$?; \
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $(FUZZ_B)/fuzz_$$f.log; \
		if [ $$st != 0 ]; then tail -n 40 $(FUZZ_B)/fuzz_$$f.log; echo "fuzz: fuzz_$$f failed ($(FUZZ_B)/fuzz_$$f.log)"; exit 1; fi; \
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
