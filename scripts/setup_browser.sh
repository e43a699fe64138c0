#!/usr/bin/env bash
# Set up what the real-browser test (tests/test_browser.py) needs: Debian's chromium, installed with apt-get when
# missing and we may (root, or passwordless sudo), and playwright-core from npm, pinned by
# tests/browser/package-lock.json. No browser is ever downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, Debian's
# /usr/bin/chromium is driven instead). Idempotent, and fast (well under a second) when already set up.
# Best effort: exits 0 when everything is ready, else prints why and exits 1; the test then skips with a reason.
# CHROMIUM=/path/to/chromium uses another binary (the test reads the same variable).
set -uo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup_browser: $*"; }
t0=$SECONDS
chromium=${CHROMIUM:-/usr/bin/chromium}
ok=1

can_root() { [[ $(id -u) == 0 ]] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo -n "$@"; fi; }

apt_install() {   # apt_install PACKAGE...: install Debian packages, updating the package lists only if needed
  if ! command -v apt-get >/dev/null; then say "no apt-get here: cannot install $*"; return 1; fi
  if ! can_root; then say "not root and no passwordless sudo: cannot install $*"; return 1; fi
  local log; log=$(mktemp /tmp/setup_browser.apt.XXXXXX)
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
  say "apt-get install $* ..."
  if ! as_root "${apt[@]}" install --no-install-recommends "$@" >"$log" 2>&1; then
    say "first try failed; apt-get update, then again"
    if ! { as_root "${apt[@]}" update && as_root "${apt[@]}" install --no-install-recommends "$@"; } >>"$log" 2>&1; then
      tail -n 15 "$log" | sed 's/^/  apt: /'; say "apt-get could not install $* (log: $log)"; return 1
    fi
  fi
  rm -f "$log"
}

# 1. the browser: Debian's chromium
if [[ ! -x $chromium ]]; then
  if [[ -n ${CHROMIUM:-} ]]; then say "CHROMIUM=$CHROMIUM is not an executable"; ok=0
  elif ! apt_install chromium; then ok=0
  fi
fi

# 2. node (>= 20, what playwright-core 1.65 needs) and npm
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ $node_major == 0 ]] || ! command -v npm >/dev/null; then
  apt_install nodejs npm || true
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
fi
if (( node_major < 20 )) || ! command -v npm >/dev/null; then
  say "need node >= 20 and npm (have node major '$node_major', npm: $(command -v npm || echo none))"; ok=0
fi

# 3. playwright-core, exactly as pinned by the lock file; a stamp skips npm when nothing changed
dir=tests/browser
stamp=$dir/node_modules/.setup-stamp
if (( ok )) || (( node_major >= 20 )); then
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" || ! -f $dir/node_modules/playwright-core/package.json ]]; then
    say "npm ci in $dir (playwright-core, no browser download) ..."
    if PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund \
         --loglevel=error >/dev/null 2>/tmp/setup_browser.npm.log; then
      echo "$want" > "$stamp"
    else
      sed 's/^/  npm: /' /tmp/setup_browser.npm.log | grep -v 'Unknown user config' | tail -n 15
      say "npm ci failed"; ok=0
    fi
  fi
fi

if (( ok )); then
  say "ready: $("$chromium" --version 2>/dev/null | head -n1), node $(node --version)," \
      "playwright-core $(node -p "require('./$dir/node_modules/playwright-core/package.json').version") ($((SECONDS - t0)) s)"
  exit 0
fi
say "not ready: tests/test_browser.py will skip ($((SECONDS - t0)) s)"
exit 1
