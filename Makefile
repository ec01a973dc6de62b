# The two commands a new user types (see README.md): `make run` and `make test`.
SWIFT       ?= swift
LAB         ?= Labs/003-vae-elbo-fashion.md
BIN         := .build/release/swift-lab

# Tests read MNIST from the shared data folder beside the repository when there is one, and
# otherwise from the subset the repository carries in Tests/Data (the first 3,000 training and
# 1,000 test images). The product itself only looks where docs/lab-format.md says
# (SWIFT_LAB_DATA, ./data, the cache, /usr/share/datasets).
SHARED_DATA ?= $(abspath $(CURDIR)/../shared/data)
TEST_DATA   ?= $(SHARED_DATA):$(CURDIR)/Tests/Data

.PHONY: setup setup-tests build quick run labs check test slurm-test docs bench fuzz clean

# What building and running need; the tests need a browser and strace as well.
setup:
	@scripts/setup

setup-tests:
	@scripts/setup --tests

build: setup
	$(SWIFT) build -c release --product swift-lab

# The default lab in its --quick form first (a first look, seconds), then for real.
quick: build
	$(BIN) run $(LAB) --quick

run: build
	$(BIN) run $(LAB)

# Every lab for real (not --quick), one after another, each with its wall time and peak memory,
# reading MNIST from the shared data folder unless SWIFT_LAB_DATA says otherwise: never from the
# tests' subset, whose numbers are not the labs'.
# Trained models go to the cache, so a second `make labs` only re-renders (seconds per lab).
labs: build
	@mkdir -p Output
	@if [ -x /usr/bin/time ]; then timer='/usr/bin/time -f "%C: %e s, peak %M KB"'; else timer=; fi; \
	export SWIFT_LAB_DATA="$${SWIFT_LAB_DATA:-$(SHARED_DATA)}"; \
	for lab in Labs/*.md; do eval $$timer $(BIN) run $$lab || exit 1; done

check: build
	$(BIN) check Labs

# The end-to-end test runs every lab with --quick through the release binary.
test: setup-tests
	$(SWIFT) build -c release --product swift-lab
	SWIFT_LAB_DATA="$${SWIFT_LAB_DATA:-$(TEST_DATA)}" SWIFT_LAB_BINARY=$(BIN) $(SWIFT) test

# A lab's challenge sweep (--quick) as a Slurm array job and a merge job on a one-node Slurm
# started here (installed from Debian when missing), compared with a one-process run: see
# scripts/slurm-test and docs/scale-out.md. Runs as root.
SLURM_LAB    ?= Labs/001-autoencoder-rotated-digits.md
SLURM_SHARDS ?= 4
slurm-test: build
	SWIFT_LAB_DATA="$${SWIFT_LAB_DATA:-$(TEST_DATA)}" scripts/slurm-test $(SLURM_LAB) $(SLURM_SHARDS)

# Regenerates the key reference in docs/lab-format.md from the schema the checker uses.
docs: build
	$(BIN) schema --markdown > docs/.lab-format-reference.md
	scripts/splice-reference docs/lab-format.md docs/.lab-format-reference.md
	rm -f docs/.lab-format-reference.md

# Training speed of every seed architecture (the median of BENCH_REPEAT one-epoch runs, synthetic
# data), with the raw sgemm ceiling on the same shapes and, when Keras is installed (pip install
# tensorflow-cpu), Keras's epochs on this machine, alternating with ours epoch by epoch
# (bench/keras_reference.py --interleave), so that each ratio compares epochs run next to each
# other. BENCH_SCALE shrinks the data for a quick look.
BENCH_SCALE ?= 1
BENCH_REPEAT ?= 5
bench: setup
	$(SWIFT) build -c release --product swift-lab-bench
	@mkdir -p Output
	@: > Output/bench-swift.jsonl; : > Output/bench-keras.jsonl; \
	if [ -x /usr/bin/time ]; then timer='/usr/bin/time -f "swift-lab-bench peak memory: %M KB"'; else timer=; fi; \
	if python3 -c "import keras" 2>/dev/null; then \
		for model in $$(.build/release/swift-lab-bench --list); do \
			python3 bench/keras_reference.py --samples-scale $(BENCH_SCALE) --repeat $(BENCH_REPEAT) \
				--interleave "$$timer .build/release/swift-lab-bench" --swift-log Output/bench-swift.jsonl $$model 2>/dev/null \
				| tee -a Output/bench-keras.jsonl; \
		done; \
	else \
		for model in $$(.build/release/swift-lab-bench --list); do \
			eval $$timer .build/release/swift-lab-bench $$model --samples-scale $(BENCH_SCALE) --repeat $(BENCH_REPEAT) | tee -a Output/bench-swift.jsonl; \
		done; \
		echo "Keras not installed: no reference times" > Output/bench-keras.jsonl; \
	fi
	@python3 bench/compare.py Output/bench-swift.jsonl Output/bench-keras.jsonl

# Fuzzing, FUZZ_SECONDS per target (scripts/fuzz says what runs). Lab mutants that crash are saved
# to Tests/FuzzCorpus/lab, libFuzzer's crashing inputs to .build-fuzz/crashes/TARGET; `make test`
# replays what is in Tests/FuzzCorpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= lab idx gzip csv report rubric
fuzz: setup
	SWIFT=$(SWIFT) scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build Output/*.html Output/*.json
