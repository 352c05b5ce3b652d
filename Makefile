# Ruche - the two commands of the README, and a few helpers.
#
#   make run    install what is missing, build, create a demo instance, serve it
#   make test   install what is missing, run every test (unit, sanitizers, HTTP, browser)
#
# Dependencies come from Debian packages (tools/install-deps) and, for the
# browser tests only, from npm (tests/e2e/package-lock.json).

BUILD ?= build
DEMO ?= var/demo
LISTEN ?= 127.0.0.1:8080

.PHONY: all build run test bench clean deps deps-test

all: build

deps:
	@tools/install-deps build

deps-test:
	@tools/install-deps test

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(DEMO)/ruche.db:
	@mkdir -p $(dir $(DEMO))
	$(BUILD)/ruche init --data $(DEMO)
	$(BUILD)/ruche demo --data $(DEMO)

run: build $(DEMO)/ruche.db
	@tools/show-demo-credentials $(DEMO) $(LISTEN)
	exec $(BUILD)/ruche serve --data $(DEMO) --listen $(LISTEN)

test: deps-test
	@tools/run-tests

# Release build (its own directory), then every bench script; writes BENCHMARKS.md (~5 min).
bench: deps-test
	@test -f build-release/build.ninja || meson setup build-release --buildtype=release -Db_ndebug=true
	ninja -C build-release
	RUCHE_BIN=build-release/ruche bench/run.sh

clean:
	rm -rf $(BUILD) build-asan build-release
