# zizhu — the two commands on a fresh machine: `make demo` and `make test`.
SWIFT ?= swift
OUT ?= demo-out

.PHONY: deps build release demo serve serve-load-test browser-test test check-imports bench sample-data declaration-pdf ledger-pdf screenshots fuzz fuzz-ci fuzz-seeds clean

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Validate the bundled sample data and show where the reports are.
demo: release
	@scripts/demo.sh .build/release/zizhu $(OUT)

## The workbench (zizhu serve) on the sample data: one demo account per role, printed on start.
LISTEN ?= 127.0.0.1:8080
serve: build
	@scripts/serve-demo.sh .build/debug/zizhu $(OUT)/serve-data $(LISTEN)

## The workbench under load on loopback (bounded, stops by itself; not part of make test): 400 schools'
## packages uploaded within a minute (none lost or duplicated, p50/p99 printed), then a kill -9 mid-upload.
serve-load-test: build
	@scripts/serve-load-test.sh .build/debug/zizhu

## The workbench in real headless Chromium (Selenium into .build/selenium-venv): a school uploads and
## downloads its package, its principal submits, the province merges. Skips when unavailable.
browser-test: build
	@scripts/serve-browser-test.sh .build/debug/zizhu

## Print a school's 申报数据真实性声明 (from the demo) to PDF + PNG with headless Chromium; fails
## unless it is exactly one A4 page. Installs chromium, fonts-noto-cjk, poppler-utils when missing.
DECLARATION ?= $(OUT)/submit-3701J001/declaration.html
declaration-pdf: demo
	@scripts/render-declaration.sh $(DECLARATION) $(basename $(DECLARATION))

## Print the demo's 发放台账.xlsx to PDF with LibreOffice headless and render pages 1 and 2 to PNG; fails
## unless the pages are A4 landscape with every column and the header repeated on page 2.
## Installs libreoffice-calc-nogui, fonts-noto-cjk, poppler-utils when missing.
LEDGER ?= $(OUT)/reconcile/发放台账.xlsx
ledger-pdf: demo
	@scripts/render-ledger.sh $(LEDGER) $(basename $(LEDGER))

## Print every job's report.html and the declarations (the demo's, a 16-city merge's, a school with a
## 44-character name) with headless Chromium to screenshots/*.pdf and *.png; fails unless each PDF has
## the expected page count and no table is wider than its page. Uses $(OUT) when present.
screenshots: release
	@scripts/screenshots.sh .build/release/zizhu $(OUT)

## The test suite (Swift Testing), after checking that Package.swift declares what each target imports.
test: deps check-imports
	$(SWIFT) test
	@# The reading tests again with zlib doing all inflating: the fallback where ISA-L is absent.
	ZIZHU_INFLATE=zlib $(SWIFT) test --skip-build --filter 'GzipTests|ZipTests|FileInputTests|InflateEngineTests'

## Fails when a target imports a module Package.swift does not declare for it, or declares one it never imports.
check-imports:
	@scripts/check-imports.sh

## Benchmarks: figures side by side with references measured in the same run.
bench: release
	@scripts/bench.sh

## Fuzzing (Fuzz/README.md): each libFuzzer harness in turn for FUZZ_SECONDS; crashes land in
## Fuzz/artifacts/. `fuzz-ci` runs each for FUZZ_RUNS inputs (CI). Built in .build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 20000
fuzz: deps
	@Fuzz/run.sh --seconds $(FUZZ_SECONDS)

fuzz-ci: deps
	@Fuzz/run.sh --runs $(FUZZ_RUNS)

## Regenerate the committed seed corpora Fuzz/corpus/ from sample-data/ and pipelines/.
fuzz-seeds: deps
	@Fuzz/make-seeds.sh

## Regenerate the committed sample-data/ (deterministic).
## The .xls bank file is LibreOffice's (scripts/sample-xls.sh), kept as committed while its .xlsx is unchanged.
sample-data: release
	rm -rf sample-data.new && .build/release/zizhu sample --out sample-data.new --students 300 --seed 1 --quiet \
	  && scripts/sample-xls.sh sample-data.new sample-data \
	  && rm -rf sample-data && mv sample-data.new sample-data \
	  && python3 scripts/second-batch.py sample-data

clean:
	rm -rf .build $(OUT)
