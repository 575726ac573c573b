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
#
# Adding a tool: define <tool>_version, <tool>_binaries (names built into the folder),
# <tool>_reported_version DIR (what the binary says its version is) and <tool>_build GOBIN, then
# list the tool in KNOWN_TOOLS.
set -euo pipefail

TOOLS_DIR="${SCALEPLANE_TOOLS_DIR:-$HOME/.cache/scaleplane-tools}"

# Pins. Bump a version here; the new binary gets its own folder, so old and new never mix.
HELM_VERSION=v3.21.4

log() { printf 'build-tools: %s\n' "$*" >&2; }

# ---- helm -------------------------------------------------------------------------------------
# Mirrors the ldflags of helm's Makefile: the release goes into internal/version.version (`go
# install` alone reports only the minor, "v3.21", so patches could not be told apart), and the
# Kubernetes version that `helm template`/`helm lint` assume without a cluster is derived from the
# k8s.io/client-go version helm is built with (v0.N -> 1.N); without it helm assumes 1.20.
helm_version() { echo "$HELM_VERSION"; }
helm_binaries() { echo helm; }
helm_reported_version() { "$1/helm" version --template '{{.Version}}' 2>/dev/null; }
helm_build() {
  local gobin="$1" gomod client_go k8s_minor pkg=helm.sh/helm/v3
  gomod="$(go mod download -json "$pkg@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"
  k8s_minor="$(echo "$client_go" | cut -d. -f2)"
  [ -n "$k8s_minor" ] || { log "cannot read the k8s.io/client-go version from $gomod"; return 1; }
  GOBIN="$gobin" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w \
    -X $pkg/internal/version.version=$HELM_VERSION -X $pkg/internal/version.metadata= \
    -X $pkg/pkg/lint/rules.k8sVersionMajor=1 -X $pkg/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
    -X $pkg/pkg/chartutil.k8sVersionMajor=1 -X $pkg/pkg/chartutil.k8sVersionMinor=$k8s_minor" \
    "$pkg/cmd/helm@$HELM_VERSION"
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
    chmod 755 "$tmp"
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
