# Sanfang: the two commands a newcomer needs are `make run` and `make test`.
.DEFAULT_GOAL := help
.PHONY: help run test fuzz bench soak spa release api-types fmt clean

help:
	@echo "make run        build the SPA and the server, serve the demo on http://127.0.0.1:8080"
	@echo "make test       every check: fmt, clippy, Rust tests on SQLite and PostgreSQL, SPA, browser tests"
	@echo "make fuzz       schemathesis over every API operation as every demo role (a step of make test)"
	@echo "make bench      cast 2,000 ballots over 200 connections against the release server; time sanfang tally"
	@echo "make soak       kill -9 the release server 20 times while owners vote (SQLite, PostgreSQL); abuse it"
	@echo "make api-types  regenerate openapi.json and the SPA's API types after changing the API"

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

spa: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

release:
	cargo build --release --locked

run: spa release
	./target/release/sanfang serve --demo

test:
	scripts/test.sh

fuzz:
	scripts/fuzz.sh

bench: release
	cargo bench --locked --bench cast
	cargo bench --locked --bench live

soak: release
	cargo bench --locked --bench soak

api-types: frontend/node_modules/.package-lock.json
	cargo run --quiet --locked -- openapi > openapi.json
	cd frontend && npm run gen:api

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf frontend/dist frontend/node_modules
