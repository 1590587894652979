# shellcheck shell=bash
# The built package, statically, for scripts/test-deb.sh (sourced, not run): its fields and
# dependencies, the binary's linking and version, the conffile, the files against make install's
# layout for /usr, the maintainer scripts, lintian, and the man pages (scripts/man --check,
# mandoc, man). Uses the package test's variables ($deb1, $version, $upstream, $arch, $env_file,
# $unit, $tmp) and scripts/lib/checks.sh.

# field NAME: a control field of the package; ships 'MODE ./PATH': the package holds that file.
field() { dpkg-deb -f "$deb1" "$1"; }
ships() { grep -qxF -- "$1" <<<"$contents"; }
# The env file in the package is the env example, mode 0640.
env_in_package() { cmp -s systemd/persona-registry.env.example "$tmp/unpacked$env_file" && ships '-rw-r----- ./etc/persona-registry/env'; }

# check_package_statically: the checks, one line each.
check_package_statically() {
    contents=$(dpkg-deb -c "$deb1" | awk '{ print $1, $6 }')
    check "Version $version, Architecture $arch" test "$(field Version) $(field Architecture)" = "$version $arch"
    depends=$(field Depends)
    note "Depends: $depends"
    check "Depends: libpq5 and libyaml-0-2 (found by dh_shlibdeps)" \
        bash -c "grep -qE '(^|, )libpq5( |,|$)' <<<'$depends' && grep -qE '(^|, )libyaml-0-2( |,|$)' <<<'$depends'"
    # Every dependency is a package this Debian knows (the Swift runtime is linked in).
    unknown=$(tr ',|' '\n\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | grep . | sort -u |
        while read -r package; do apt-cache show "$package" >/dev/null 2>&1 || echo "$package"; done)
    check "every dependency is a Debian package${unknown:+ (unknown: $unknown)}" test -z "$unknown"
    dpkg-deb -x "$deb1" "$tmp/unpacked"
    check "the binary loads no Swift runtime library (linked in statically)" \
        bash -c "! readelf -d '$tmp/unpacked/usr/bin/persona-registry' | grep -q 'NEEDED.*libswift'"
    check "the binary is linked with full RELRO (-z relro -z now)" \
        bash -c "readelf -d '$tmp/unpacked/usr/bin/persona-registry' | grep -qE 'FLAGS.*BIND_NOW' &&
            readelf -lW '$tmp/unpacked/usr/bin/persona-registry' | grep -q GNU_RELRO"
    check "the packaged binary's --version is the upstream version $upstream" \
        test "$("$tmp/unpacked/usr/bin/persona-registry" --version)" = "$upstream"
    dpkg-deb -e "$deb1" "$tmp/control"
    check "conffile: $env_file" grep -qxF "$env_file" "$tmp/control/conffiles"
    check "$env_file in the package: the env example, mode 0640" env_in_package
    for file in migrations/*.sql migrations/headspace/*.sql; do
        check "ships $file in /usr/share/persona-registry (for dbmate users and DBAs)" \
            cmp -s "$file" "$tmp/unpacked/usr/share/persona-registry/$file"
    done
    # The package is make install's layout for /usr (debian/rules), plus what dpkg and debhelper
    # add: the conffile, the Debian changelog and copyright, the lintian overrides; the man page
    # compressed.
    if make install DESTDIR="$tmp/make-install" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system \
        SYSUSERSDIR=/usr/lib/sysusers.d ZSHCOMPDIR=/usr/share/zsh/vendor-completions >"$tmp/make-install.log" 2>&1; then
        (cd "$tmp/make-install" && find . -type f ! -name install-manifest | sed 's|^\.||' | sort) >"$tmp/files.make-install"
        (cd "$tmp/unpacked" && find . -type f | sed -e 's|^\.||' -e 's|^\(/usr/share/man/.*\)\.gz$|\1|' | sort |
            grep -vxF -e "$env_file" -e /usr/share/doc/persona-registry/changelog.Debian.gz \
                -e /usr/share/doc/persona-registry/copyright -e /usr/share/lintian/overrides/persona-registry) >"$tmp/files.package"
        if cmp -s "$tmp/files.make-install" "$tmp/files.package"; then
            pass "the package ships what make install installs for /usr ($(wc -l <"$tmp/files.package") files), and the conffile"
        else
            diff "$tmp/files.make-install" "$tmp/files.package" | sed 's/^/      /'
            fail "the package ships what make install installs for /usr, and the conffile"
        fi
    else
        tail -5 "$tmp/make-install.log" | sed 's/^/      /'
        fail "make install DESTDIR=... PREFIX=/usr"
    fi
    check "the unit: /lib/systemd/system/$unit with ExecStart=/usr/bin/persona-registry serve" \
        grep -qx 'ExecStart=/usr/bin/persona-registry serve' "$tmp/unpacked/lib/systemd/system/$unit"
    check "the sysusers entry: /usr/lib/sysusers.d/persona-registry.conf" \
        cmp -s systemd/persona-registry.sysusers "$tmp/unpacked/usr/lib/sysusers.d/persona-registry.conf"
    check "postinst: sysusers (dh_installsysusers), then enable and start (dh_installsystemd)" \
        bash -c "grep -v '^[[:space:]]*#' '$tmp/control/postinst' |
            grep -o 'systemd-sysusers\|deb-systemd-helper enable\|deb-systemd-invoke' | paste -sd, | grep -qx 'systemd-sysusers,deb-systemd-helper enable,deb-systemd-invoke'"
    check "no install-manifest in the package (dpkg keeps the list)" not grep -q install-manifest <<<"$contents"

    # lintian: no errors, no warnings (each one left is fixed or overridden with a reason in
    # debian/persona-registry.lintian-overrides).
    lintian --no-tag-display-limit "$deb1" >"$tmp/lintian.txt" 2>&1
    grep -E '^[EW]: ' "$tmp/lintian.txt" | sed 's/^/      /'
    check "lintian: no errors" bash -c "! grep -q '^E: ' '$tmp/lintian.txt'"
    check "lintian: no warnings" bash -c "! grep -q '^W: ' '$tmp/lintian.txt'"

    # The man pages: the committed persona-registry.1 is the generated one, all three are lint
    # clean (scripts/man --check: mandoc -Tlint, groff -ww), render without warnings, and are what
    # is shipped.
    if scripts/man --check >"$tmp/man-check.txt" 2>&1; then
        pass "man/ is up to date with the command definitions and lint clean (scripts/man --check)"
    else
        sed 's/^/      /' "$tmp/man-check.txt" | tail -20
        fail "man/ is up to date and lint clean (run scripts/man)"
    fi
    for page in man1/persona-registry.1 man5/persona-registry.env.5 man8/persona-registry-serve.8; do
        file=man/${page#*/}
        check "mandoc -Tlint: no warnings or errors in $file" bash -c "[ -z \"\$(mandoc -Tlint -Wwarning $file 2>&1)\" ]"
        check "man --warnings renders $file without warnings" \
            bash -c "[ -z \"\$(MANWIDTH=80 man --warnings -l $file 2>&1 >/dev/null)\" ]"
        check "the package ships $file" \
            bash -c "zcat '$tmp/unpacked/usr/share/man/$page.gz' | cmp -s - $file"
    done
}
