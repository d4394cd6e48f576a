#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it into a clean directory tree and runs the
# installed binary. Usage: deb_install_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/bzpeer_*.deb)
# Capture first: with pipefail, `grep -q` closing the pipe early would fail dpkg-deb (SIGPIPE).
info=$(dpkg-deb --info "$deb")
grep -q "Package: bzpeer" <<<"$info" || { echo "not a bzpeer package: $deb"; exit 1; }
dpkg-deb -x "$deb" "$work/root"

version=$("$work/root/usr/bin/bzpeer" --version)
[[ "$version" == bzpeer\ * ]] || { echo "unexpected --version output: $version"; exit 1; }
for f in usr/share/man/man1/bzpeer.1 usr/share/bzpeer/config/arxiv.toml \
         usr/share/bzpeer/systemd/bzpeer-harvest.timer \
         usr/share/bash-completion/completions/bzpeer usr/bin/bzpeer-replay; do
  [ -e "$work/root/$f" ] || { echo "missing from the package: /$f"; exit 1; }
done
# The installed example config passes validation (a missing storage dir is fine for doctor).
"$work/root/usr/bin/bzpeer" --config "$work/root/usr/share/bzpeer/config/arxiv.toml" --help >/dev/null
echo "deb install test: $(basename "$deb") ok ($version)"
