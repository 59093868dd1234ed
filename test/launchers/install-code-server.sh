#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 in a browser) once into a cache folder that the offline
# integration and UI tests reuse. Pinned: newer code-server releases need Node 22+.
# The postinstall of @vscode/ripgrep would download a binary; we hand it Debian's `rg` through the
# cache it checks first (see ../shared/reference/vscode-offline-tests.md).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
version="4.100.3"
dest="${WAFERSCOPE_CODE_SERVER_DIR:-$here/.vscode-test/code-server-$version}"
entry="$dest/node_modules/code-server/out/node/entry.js"
if [ -f "$entry" ] && [ -f "$dest/.installed" ]; then
  echo "code-server $version already installed in $dest"
  exit 0
fi
rg_bin="$(command -v rg || true)"
if [ -z "$rg_bin" ]; then
  echo "install-code-server: ripgrep is missing; install it with: apt-get install -y ripgrep" >&2
  exit 3
fi
if ! dpkg -s libkrb5-dev >/dev/null 2>&1 && [ ! -f /usr/include/gssapi/gssapi.h ]; then
  echo "install-code-server: gssapi headers are missing; install them with: apt-get install -y libkrb5-dev" >&2
  exit 3
fi
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  work="$(mktemp -d)"
  cp "$rg_bin" "$work/rg"
  tar -czf "$tarball" -C "$work" rg
  rm -rf "$work"
fi
mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"waferscope-code-server-cache","private":true}' > package.json
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --foreground-scripts "code-server@$version" 2>&1 | tail -20
if [ ! -f "$entry" ]; then
  echo "install-code-server: code-server did not install (no $entry)" >&2
  exit 1
fi
touch "$dest/.installed"
echo "code-server $version installed in $dest"
