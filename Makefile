# persona-registry: build, install, uninstall.
#
#   make build                         release binary (Swift runtime linked in statically, full RELRO)
#   sudo make install                  into PREFIX (default /usr/local); DESTDIR for packaging
#   sudo make uninstall                removes exactly what install put there
#   make test-systemd                  unit, hardening and install checks (scripts/test-systemd.sh)
#   make deb                           Debian package in dist/ (scripts/deb: dpkg-buildpackage -b)
#   make man                           regenerate man/persona-registry.1, date the other pages (scripts/man)
#   make test-deb                      the package in a booted systemd container (scripts/test-deb.sh)
#
# Variables: PREFIX, DESTDIR, SYSTEMDUNITDIR (default $(PREFIX)/lib/systemd/system),
# SYSUSERSDIR (default $(PREFIX)/lib/sysusers.d), ZSHCOMPDIR (default
# $(PREFIX)/share/zsh/site-functions), RELEASE_BIN (default
# .build/release/persona-registry). `install` does not build: run `make build` as yourself
# first, so that `sudo make install` does not write into .build as root.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# The Swift runtime linked in statically; full RELRO (-z relro -z now), as Debian's hardening asks.
SWIFT_RELEASE_FLAGS ?= -c release --static-swift-stdlib -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now
RELEASE_BIN ?= .build/release/persona-registry

export PREFIX DESTDIR
ifdef SYSTEMDUNITDIR
export SYSTEMDUNITDIR
endif
ifdef SYSUSERSDIR
export SYSUSERSDIR
endif
ifdef ZSHCOMPDIR
export ZSHCOMPDIR
endif

.PHONY: build install uninstall test test-systemd bench deb man test-deb

build:
	$(SWIFT) build $(SWIFT_RELEASE_FLAGS) --product persona-registry

install:
	BIN="$(RELEASE_BIN)" scripts/install.sh install

uninstall:
	scripts/install.sh uninstall

test:
	scripts/test

test-systemd:
	scripts/test-systemd.sh

deb:
	scripts/deb

man:
	scripts/man

test-deb:
	scripts/test-deb.sh

# Benchmarks (not part of the tests): scripts/bench [--quick|--smoke]; writes bench/results/latest.md
bench:
	scripts/bench
