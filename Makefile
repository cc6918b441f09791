# portrait: the two commands of the README, plus the long checks.
#   make run    install missing Debian packages, build release, open the studio
#   make test   install missing Debian packages, run the whole test suite (release build)

SWIFT ?= swift
PACKAGES := libopenblas-dev libncurses-dev libpng-dev libsixel-dev zlib1g-dev pkg-config tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE := -c release
TESTFLAGS := -c release -Xswiftc -enable-testing

.PHONY: run test deps build bench bench-official asan fuzz parity-full sixel-check

## Install only the packages that are missing (apt-get update once first, as package lists may be empty).
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(RELEASE)

## `make run MODEL=path/to/model.portrait` opens the studio on another model (default: builtin once it is trained, else synthetic).
MODEL ?=
run: build
	.build/release/portrait studio $(MODEL)

test: deps
	$(SWIFT) test $(TESTFLAGS)

bench: build
	$(SWIFT) run $(RELEASE) portrait bench --kernels

## The generator at the official SSHQ512_inf shape: builds the formula-weights bundle of the reference's
## official-shape folder once (into .build/, never into the reference) and runs `portrait bench` on it.
## BENCH_FLAGS passes options (e.g. BENCH_FLAGS="--runs 5 --profile").
REFERENCE ?= $(or $(PORTRAIT_REFERENCE),../shared/reference)
OFFICIAL_BUNDLE ?= .build/official-shape.portrait
$(OFFICIAL_BUNDLE): $(REFERENCE)/official-shape/manifest.json $(REFERENCE)/official-shape/config.json
	$(SWIFT) build $(RELEASE) --product portrait
	.build/release/portrait formula-weights $(REFERENCE)/official-shape/manifest.json -o $@ \
	  --smpl $(REFERENCE)/ref-tiny/body/SMPL_NEUTRAL.pkl.gz --knn-index $(REFERENCE)/ref-tiny/valid_smpl_knn_index.npy
bench-official: build $(OFFICIAL_BUNDLE)
	.build/release/portrait bench $(OFFICIAL_BUNDLE) $(BENCH_FLAGS)

## The test suite under the address sanitizer (debug build: slower, catches out-of-bounds access).
## LeakSanitizer stays on for our code; the 144 bytes XCTest's own runner leaks at exit are suppressed.
## `make asan FILTER=NumericsTests` runs one test target.
asan: deps
	@mkdir -p .build && printf 'leak:libXCTest.so\n' > .build/lsan-suppressions.txt
	LSAN_OPTIONS=suppressions=$(CURDIR)/.build/lsan-suppressions.txt \
	  $(SWIFT) test -Xswiftc -enable-testing --sanitize=address $(if $(FILTER),--filter $(FILTER))

## Long parity and size checks that do not fit the CI budget (official-shape identity stage, ...).
parity-full: deps
	PORTRAIT_PARITY_FULL=1 $(SWIFT) test $(TESTFLAGS) --filter OfficialShape

## libFuzzer + AddressSanitizer on every file parser, FUZZ_SECONDS each, one after another, at nice 19.
## Corpora and crash artifacts go to fuzz-corpus/ (git-ignored); the build to .build-fuzz/.
## Replay an input without the fuzzer: .build/release/PortraitFuzz TARGET FILE...
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= safetensors npy zip torch pickle bundle-json bundle json controls trajectory
fuzz: deps
	$(SWIFT) build -c release --product PortraitFuzz --scratch-path .build-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DPORTRAIT_FUZZ -Xlinker --allow-multiple-definition
	$(SWIFT) build $(RELEASE) --product PortraitFuzz
	.build/release/PortraitFuzz --seeds fuzz-corpus/seeds
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz-corpus/$$t; echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  PORTRAIT_FUZZ_TARGET=$$t nice -n 19 .build-fuzz/release/PortraitFuzz fuzz-corpus/$$t fuzz-corpus/seeds/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=fuzz-corpus/$$t- || exit 1; \
	done

## The studio in `xterm -ti vt340` (sixel) under Xvfb: screenshot, then find the preview in it by matching
## `portrait render` of the same controls. Installs xvfb, xterm, x11-apps and imagemagick for this target only.
## SIXEL_MODEL: a .portrait bundle (default: ref-tiny imported from ../shared/reference into .build/sixel-check).
SIXEL_PACKAGES := xvfb xterm x11-apps imagemagick
SIXEL_MODEL ?=
sixel-check: build
	@missing=""; for p in $(SIXEL_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	Tests/StudioTests/Scripts/sixel-check.sh .build/release/portrait .build/sixel-check $(SIXEL_MODEL)
