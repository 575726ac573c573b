#!/usr/bin/env bash
# Builds the pinned upstream tools that the tests run (helm today; etcd, kube-apiserver,
# kube-controller-manager, kwok, metrics-server and prometheus-adapter join as one function each).
#
# Usage: test/tools/build-tools.sh [TOOL...]     (no TOOL: all of them)
#   stdout: the absolute path of each binary, one per line, in argument order
#   stderr: progress
#
# Binaries go to ${SCALEPLANE_TOOLS_DIR:-$HOME/.cache/scaleplane-tools}/<tool>-<version>/, outside
# the repository; modules and build cache use Go's own defaults (go env GOMODCACHE / GOCACHE).
# Each tool is built once: a binary whose --version output matches the pin is reused. A flock per
# tool and version serialises parallel callers (several vitest workers), and a build lands in a
# temporary folder that is renamed into place only when complete, so an interrupted build never
# leaves a half-written binary behind.
set -euo pipefail

TOOLS_DIR="${SCALEPLANE_TOOLS_DIR:-$HOME/.cache/scaleplane-tools}"

# Pins. Bump a version here; the new binary gets its own folder, so old and new never mix.
HELM_VERSION=v3.21.4

log() { printf 'build-tools: %s\n' "$*" >&2; }

# ---- helm -------------------------------------------------------------------------------------
# helm's Makefile stamps the release into internal/version.version with -X; `go install` alone
# would report only the minor ("v3.21"), so the version check below could not tell patches apart.
helm_version() { echo "$HELM_VERSION"; }
helm_binaries() { echo helm; }
helm_reported_version() { "$1/helm" version --template '{{.Version}}' 2>/dev/null; }
helm_build() {
  local gobin="$1"
  GOBIN="$gobin" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v3/internal/version.metadata=" \
    "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
}

KNOWN_TOOLS=(helm)

# ---- generic driver ---------------------------------------------------------------------------
is_known() {
  local t
  for t in "${KNOWN_TOOLS[@]}"; do [ "$t" = "$1" ] && return 0; done
  return 1
}

is_current() {
  local tool="$1" dir="$2" bin
  for bin in $("${tool}_binaries"); do [ -x "$dir/$bin" ] || return 1; done
  [ "$("${tool}_reported_version" "$dir")" = "$("${tool}_version")" ]
}

ensure_tool() {
  local tool="$1" version dir lock tmp started bin
  version="$("${tool}_version")"
  dir="$TOOLS_DIR/$tool-$version"
  lock="$TOOLS_DIR/.$tool-$version.lock"
  mkdir -p "$TOOLS_DIR"
  exec {fd}>"$lock"
  flock "$fd"
  if ! is_current "$tool" "$dir"; then
    command -v go >/dev/null || { log "go is required to build $tool"; exit 1; }
    log "building $tool $version into $dir (first run only; this can take minutes)"
    started=$SECONDS
    tmp="$(mktemp -d "$TOOLS_DIR/.$tool-$version.XXXXXX")"
    if ! "${tool}_build" "$tmp"; then rm -rf "$tmp"; log "building $tool $version failed"; exit 1; fi
    rm -rf "$dir"
    mv "$tmp" "$dir"
    is_current "$tool" "$dir" || { log "$tool in $dir does not report version $version"; exit 1; }
    log "built $tool $version in $((SECONDS - started))s"
  fi
  flock -u "$fd"
  exec {fd}>&-
  for bin in $("${tool}_binaries"); do echo "$dir/$bin"; done
}

main() {
  local tools=("$@") tool
  [ ${#tools[@]} -gt 0 ] || tools=("${KNOWN_TOOLS[@]}")
  for tool in "${tools[@]}"; do
    is_known "$tool" || { log "unknown tool '$tool' (known: ${KNOWN_TOOLS[*]})"; exit 2; }
  done
  for tool in "${tools[@]}"; do ensure_tool "$tool"; done
}

main "$@"
