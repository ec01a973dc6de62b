# The two commands a new user types (see README.md): `make run` and `make test`.
SWIFT       ?= swift
LAB         ?= Labs/003-vae-elbo-fashion.md
BIN         := .build/release/swift-lab

# Tests and CI read MNIST from the shared data folder beside the repository; the product itself
# only looks where docs/lab-format.md says (SWIFT_LAB_DATA, ./data, the cache, /usr/share/datasets).
TEST_DATA   ?= $(abspath $(CURDIR)/../shared/data)

.PHONY: setup build run check test docs clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c release --product swift-lab

run: build
	$(BIN) check Labs

check: build
	$(BIN) check Labs

test: setup
	SWIFT_LAB_DATA="$${SWIFT_LAB_DATA:-$(TEST_DATA)}" $(SWIFT) test

# Regenerates the key reference in docs/lab-format.md from the schema the checker uses.
docs: build
	$(BIN) schema --markdown > docs/.lab-format-reference.md
	scripts/splice-reference docs/lab-format.md docs/.lab-format-reference.md
	rm -f docs/.lab-format-reference.md

clean:
	rm -rf .build Output/*.html Output/*.json
