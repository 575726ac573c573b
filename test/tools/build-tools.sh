#!/usr/bin/env bash
# Builds the pinned upstream tools that the tests run: helm for the chart tests; Prometheus for the
# integration tests and the custom-metrics worlds of the end-to-end suite; etcd, the
# Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler) and kwok for
# the end-to-end cluster (test/e2e); metrics-server and prometheus-adapter as the peers scaleplane
# is compared with.
#
# Usage: test/tools/build-tools.sh [TOOL|GROUP...]   (no argument: every tool)
#   GROUP control-plane = etcd kubernetes kwok; peers = metrics-server prometheus-adapter
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
# list the tool in KNOWN_TOOLS (a '-' in the tool's name is '_' in its function names). A module
# whose go.mod has replace directives cannot be built with `go install pkg@version`; such tools
# build inside a throwaway wrapper module (new_wrapper_module).
set -euo pipefail

TOOLS_DIR="${SCALEPLANE_TOOLS_DIR:-$HOME/.cache/scaleplane-tools}"
# The Go tarball's usual place, for callers (`npm test` on a fresh shell) without it on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi

# Pins. Bump a version here; the new binary gets its own folder, so old and new never mix.
HELM_VERSION=v3.21.4
ETCD_VERSION=v3.5.35
# One Kubernetes release for the whole cluster, matching the kubectl.1.32 the tests run. v1.32.2:
# the module proxy these machines use serves every staging module it needs at v0.32.2, but not
# k8s.io/kube-scheduler, kube-controller-manager, endpointslice or csi-translation-lib at v0.32.13.
KUBERNETES_VERSION=v1.32.2
KWOK_VERSION=v0.7.0
METRICS_SERVER_VERSION=v0.8.0
PROMETHEUS_ADAPTER_VERSION=v0.12.0
# Prometheus 3.5, the long-term-support line. The Go module github.com/prometheus/prometheus tags
# release 3.M.P as v0.3MM.P (prometheus_module_version).
PROMETHEUS_VERSION=v3.5.1
# h1: hash of the metrics-server module zip, pinned because sum.golang.org has no record of it.
METRICS_SERVER_SUM='h1:Zlsi3sBWEtFKCD3+xSysThvXyLQ363rUAlqpnsY5JwI='

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

# ---- prometheus -------------------------------------------------------------------------------
# The server the tests scrape exporters with and query over its HTTP API. Built as its .promu.yml
# does (static, netgo, the release and build date in github.com/prometheus/common/version, which
# --version prints), with two differences:
# - no builtinassets tag: the web UI's compiled assets are not in the module (they come from an npm
#   build), and the HTTP API the tests use does not need them;
# - no optional service-discovery plugins, as upstream's README describes (an empty plugins.yml
#   regenerates plugins/plugins.go as a bare package; here a `go build -overlay` puts that file in
#   place of the module's copy). The tests use static_configs; file and HTTP discovery stay (they
#   are registered by plugins/minimum.go); the cloud and Kubernetes clients, most of the compile
#   time, are not built.
# The build runs in a throwaway main module that replaces the release with a copy of its module
# folder (whose plugins/plugins.go is the regenerated one: Go refuses overlays of files in the
# module cache) and restates the release's own replace (fsnotify) and exclude directives, which
# apply only in a main module; `-mod=mod` resolves, and checks against the checksum database, only
# the modules the packages built need, at the versions the release's go.mod pins.
prometheus_version() { echo "$PROMETHEUS_VERSION"; }
# promtool checks and unit-tests the chart's PrometheusRule; prometheus stays last, the path a
# caller that asks for the tool by name gets.
prometheus_binaries() { echo promtool prometheus; }
prometheus_reported_version() {
  "$1/prometheus" --version 2>/dev/null | sed -n 's/^prometheus, version \([^ ]*\) .*$/v\1/p'
}
# v3.5.1 -> v0.305.1
prometheus_module_version() {
  local v="${PROMETHEUS_VERSION#v}" major minor patch
  IFS=. read -r major minor patch <<<"$v"
  printf 'v0.%d%02d.%s\n' "$major" "$minor" "$patch"
}
prometheus_build() {
  local gobin="$1" pkg=github.com/prometheus/prometheus mv upstream moddir date src ldflags
  local common=github.com/prometheus/common/version
  mv="$(prometheus_module_version)"
  upstream="$(module_gomod "$pkg@$mv")" && [ -n "$upstream" ] || return 1
  moddir="$(go mod download -json "$pkg@$mv" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  [ -f "$moddir/plugins/plugins.go" ] || { log "no plugins/plugins.go in $moddir"; return 1; }
  date="$(module_field "$pkg@$mv" Time)"
  date="$(date -u -d "$date" +%Y%m%d-%H:%M:%S)" || return 1
  ldflags="-s -w -X $common.Version=${PROMETHEUS_VERSION#v} -X $common.Revision=$mv"
  ldflags="$ldflags -X $common.Branch=HEAD -X $common.BuildUser=scaleplane-build-tools"
  ldflags="$ldflags -X $common.BuildDate=$date"
  src="$(mktemp -d "$TOOLS_DIR/.prometheus-$PROMETHEUS_VERSION-src.XXXXXX")" || return 1
  {
    echo "module scaleplane.invalid/prometheus-build"
    grep -m 1 '^go ' "$upstream"
    echo "require $pkg $mv"
    # Every exclude and replace directive, single-line or block, as written upstream.
    awk '/^(exclude|replace)[[:space:]]*\($/ { block = 1 }
      block || /^(exclude|replace)[[:space:]]/ { print }
      block && /^\)/ { block = 0 }' "$upstream"
  } >"$src/go.mod"
  echo "replace $pkg => ./prometheus" >>"$src/go.mod"
  cp -R "$moddir" "$src/prometheus" && chmod -R u+w "$src/prometheus" || return 1
  printf '// Regenerated from an empty plugins.yml (see prometheus_build).\n\npackage plugins\n' \
    >"$src/prometheus/plugins/plugins.go"
  build_in_module "$src" -mod=mod -tags netgo -ldflags "$ldflags" \
    -o "$gobin/" "$pkg/cmd/prometheus" "$pkg/cmd/promtool"
}

# ---- shared recipe pieces ----------------------------------------------------------------------
# Build functions run where `set -e` is suspended (inside `if !` in ensure_tool), so every step
# checks its own status.

# The cached go.mod of MODULE@VERSION, downloading it if needed.
module_gomod() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p'
}

# One string field (Version, Time) of the proxy's record of MODULE@VERSION. The proxy records no
# commit (no Origin), so the recipes set no git commit variables.
module_field() {
  go list -m -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",*$/\1/p" | head -n 1
}

# `go install pkg@version` refuses a module whose go.mod has replace directives (etcd's server
# module points at its sibling folders, Kubernetes at ./staging). Such a release is built inside a
# throwaway main module that requires it (restating replacements as released versions where
# needed): minimal version selection over the release's own pinned requirements picks its
# dependency versions, and `go mod tidy` over a tools.go that imports the commands fills go.sum
# from the proxy and the checksum database.
# Usage: new_wrapper_module NAME GO_MOD_TEXT PACKAGE...   prints the module's folder.
new_wrapper_module() {
  local name="$1" gomod="$2" dir pkg
  shift 2
  dir="$(mktemp -d "$TOOLS_DIR/.$name-src.XXXXXX")" || return 1
  printf '%s\n' "$gomod" >"$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for pkg in "$@"; do printf '\t_ "%s"\n' "$pkg"; done
    printf ')\n'
  } >"$dir/tools.go"
  if ! (cd "$dir" && go mod tidy >&2); then rm -rf "$dir"; return 1; fi
  echo "$dir"
}

# Usage: build_in_module DIR GO_BUILD_ARGS...   runs `go build` in DIR, then removes DIR.
build_in_module() {
  local dir="$1" status=0
  shift
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath "$@") || status=$?
  rm -rf "$dir"
  return "$status"
}

# The checksum database does not know every release the proxy serves (it answers 404 for
# metrics-server v0.8.0). Such a module is fetched with the database skipped for it alone and
# must then match the h1: hash pinned here, recorded from the proxy when the pin was set.
# Usage: verify_pinned_sum MODULE@VERSION H1HASH
verify_pinned_sum() {
  local module="${1%@*}" got
  got="$(GONOSUMDB="$module" go mod download -json "$1" |
    sed -n 's/^[[:space:]]*"Sum": "\(.*\)",*$/\1/p')"
  [ "$got" = "$2" ] || { log "$1 has hash '$got', pinned '$2'"; return 1; }
}

# ---- etcd -------------------------------------------------------------------------------------
# The etcd binary's main package is the root of go.etcd.io/etcd/server/v3 (server/main.go calls
# etcdmain.Main); its go.mod replaces the sibling etcd modules with folders, hence the wrapper
# module, which needs no replacements of its own since the server requires the siblings at the
# same release. The go line is the release's (its GODEBUG defaults follow it); its toolchain line
# is dropped so the local Go is used. Static, as etcd's build script; the version is a constant
# in go.etcd.io/etcd/api/v3/version.
etcd_version() { echo "$ETCD_VERSION"; }
etcd_binaries() { echo etcd; }
etcd_reported_version() { "$1/etcd" --version 2>/dev/null | sed -n 's/^etcd Version: \(.*\)$/v\1/p'; }
etcd_build() {
  local gobin="$1" pkg=go.etcd.io/etcd/server/v3 upstream src
  upstream="$(module_gomod "$pkg@$ETCD_VERSION")" && [ -n "$upstream" ] || return 1
  src="$(new_wrapper_module "etcd-$ETCD_VERSION" "module scaleplane.invalid/etcd-build
$(grep -m 1 '^go ' "$upstream")
require $pkg $ETCD_VERSION" "$pkg")" || return 1
  build_in_module "$src" -ldflags "-s -w" -o "$gobin/etcd" "$pkg"
}

# ---- kubernetes (kube-apiserver, kube-controller-manager, kube-scheduler) ----------------------
# k8s.io/kubernetes replaces every k8s.io staging module with ./staging/src/k8s.io/<name>; each is
# published as its own module at v0.<minor>.<patch>, so the wrapper module restates that replace
# block with released versions. One `go build` compiles the three commands, sharing packages. The
# flags follow hack/lib/golang.sh and hack/lib/version.sh (kube::version::ldflags): static, the
# selinux,notest tags, and the version variables in both k8s.io/component-base/version and
# k8s.io/client-go/pkg/version, so /version and discovery report the release (gitMajor/gitMinor
# included, which `kubectl version` and the version skew checks read). kube-scheduler binds the
# Deployments' pods to the kwok nodes.
kubernetes_version() { echo "$KUBERNETES_VERSION"; }
kubernetes_binaries() { echo kube-apiserver kube-controller-manager kube-scheduler; }
kubernetes_reported_version() { "$1/kube-apiserver" --version 2>/dev/null | sed -n 's/^Kubernetes //p'; }
kubernetes_build() {
  local gobin="$1" v="$KUBERNETES_VERSION" upstream replaces date minor ldflags key val src
  local cmd=k8s.io/kubernetes/cmd
  upstream="$(module_gomod "k8s.io/kubernetes@$v")" && [ -n "$upstream" ] || return 1
  replaces="$(sed -n "s#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/src/.*#\t\1 => \1 v0${v#v1}#p" \
    "$upstream")"
  [ -n "$replaces" ] || { log "no staging replacements in $upstream"; return 1; }
  date="$(module_field "k8s.io/kubernetes@$v" Time)"
  minor="$(echo "$v" | cut -d. -f2)"
  ldflags="-s -w"
  for key in gitVersion=$v gitMajor=1 gitMinor=$minor buildDate=$date; do
    val="${key#*=}"
    key="${key%%=*}"
    ldflags="$ldflags -X k8s.io/client-go/pkg/version.$key=$val"
    ldflags="$ldflags -X k8s.io/component-base/version.$key=$val"
  done
  src="$(new_wrapper_module "kubernetes-$v" "module scaleplane.invalid/kubernetes-build
$(grep -m 1 '^go ' "$upstream")
$(grep '^godebug ' "$upstream")
require k8s.io/kubernetes $v
replace (
$replaces
)" "$cmd/kube-apiserver" "$cmd/kube-controller-manager" "$cmd/kube-scheduler")" || return 1
  build_in_module "$src" -tags selinux,notest -ldflags "$ldflags" -o "$gobin/" \
    "$cmd/kube-apiserver" "$cmd/kube-controller-manager" "$cmd/kube-scheduler"
}

# ---- kwok -------------------------------------------------------------------------------------
# Fake nodes and pods with emulated kubelet metrics. An ordinary module; the version variable is
# the one kwok's hack/releases.sh sets.
kwok_version() { echo "$KWOK_VERSION"; }
kwok_binaries() { echo kwok; }
kwok_reported_version() { "$1/kwok" --version 2>/dev/null | sed -n 's/^kwok version \([^ ]*\).*$/\1/p'; }
kwok_build() {
  GOBIN="$1" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

# ---- metrics-server ---------------------------------------------------------------------------
# The peer scaleplane's resource metrics are compared with. An ordinary module, built as its
# Makefile does (static, the release in k8s.io/client-go/pkg/version, which --version prints), with
# its module hash pinned (verify_pinned_sum).
metrics_server_version() { echo "$METRICS_SERVER_VERSION"; }
metrics_server_binaries() { echo metrics-server; }
metrics_server_reported_version() { "$1/metrics-server" --version 2>/dev/null; }
metrics_server_build() {
  local pkg=sigs.k8s.io/metrics-server
  verify_pinned_sum "$pkg@$METRICS_SERVER_VERSION" "$METRICS_SERVER_SUM" || return 1
  GOBIN="$1" GONOSUMDB="$pkg" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "$pkg/cmd/metrics-server@$METRICS_SERVER_VERSION"
}

# ---- prometheus-adapter -----------------------------------------------------------------------
# The peer for custom and external metrics. `go install pkg@version` would work on its go.mod, but
# it also reads the module's version list for deprecation notices, which the module proxy these
# machines use refuses (403) for this module; the wrapper module needs only the pinned version.
# The binary has no --version flag, so the version check reads the version of the module holding
# the main package from the build info Go records (`go version -m`). The command is cmd/adapter,
# installed under the project's name.
prometheus_adapter_version() { echo "$PROMETHEUS_ADAPTER_VERSION"; }
prometheus_adapter_binaries() { echo prometheus-adapter; }
prometheus_adapter_reported_version() {
  go version -m "$1/prometheus-adapter" 2>/dev/null |
    awk '$2 == "sigs.k8s.io/prometheus-adapter" { print $3; exit }'
}
prometheus_adapter_build() {
  local gobin="$1" pkg=sigs.k8s.io/prometheus-adapter v="$PROMETHEUS_ADAPTER_VERSION" upstream src
  upstream="$(module_gomod "$pkg@$v")" && [ -n "$upstream" ] || return 1
  src="$(new_wrapper_module "prometheus-adapter-$v" "module scaleplane.invalid/adapter-build
$(grep -m 1 '^go ' "$upstream")
require $pkg $v" "$pkg/cmd/adapter")" || return 1
  build_in_module "$src" -ldflags "-s -w" -o "$gobin/prometheus-adapter" "$pkg/cmd/adapter"
}

# The order of a full build: the tools `npm test` needs first (helm, prometheus), so a CI run that
# builds everything in the background while `npm test` runs waits for them only.
KNOWN_TOOLS=(helm prometheus etcd kubernetes kwok metrics-server prometheus-adapter)

# ---- generic driver ---------------------------------------------------------------------------
is_known() {
  local t
  for t in "${KNOWN_TOOLS[@]}"; do [ "$t" = "$1" ] && return 0; done
  return 1
}

is_current() {
  local tool="$1" dir="$2" bin
  for bin in $("${tool//-/_}_binaries"); do [ -x "$dir/$bin" ] || return 1; done
  [ "$("${tool//-/_}_reported_version" "$dir")" = "$("${tool//-/_}_version")" ]
}

ensure_tool() {
  local tool="$1" version dir lock tmp started bin
  version="$("${tool//-/_}_version")"
  dir="$TOOLS_DIR/$tool-$version"
  lock="$TOOLS_DIR/.$tool-$version.lock"
  mkdir -p "$TOOLS_DIR"
  exec {fd}>"$lock"
  flock "$fd"
  # Leftovers of an interrupted build (the lock is ours, so no build of this version is running).
  find "$TOOLS_DIR" -maxdepth 1 -name ".$tool-$version[.-]*" ! -name '*.lock' -exec rm -rf {} +
  if ! is_current "$tool" "$dir"; then
    command -v go >/dev/null || { log "go is required to build $tool"; exit 1; }
    log "building $tool $version into $dir (first run only; this can take minutes)"
    started=$SECONDS
    tmp="$(mktemp -d "$TOOLS_DIR/.$tool-$version.XXXXXX")"
    if ! "${tool//-/_}_build" "$tmp"; then rm -rf "$tmp"; log "building $tool $version failed"; exit 1; fi
    chmod 755 "$tmp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    is_current "$tool" "$dir" || { log "$tool in $dir does not report version $version"; exit 1; }
    log "built $tool $version in $((SECONDS - started))s"
  fi
  flock -u "$fd"
  exec {fd}>&-
  for bin in $("${tool//-/_}_binaries"); do echo "$dir/$bin"; done
}

# Groups name the tools one test suite needs.
expand_group() {
  case "$1" in
    control-plane) echo etcd kubernetes kwok ;;
    peers) echo metrics-server prometheus-adapter ;;
    *) echo "$1" ;;
  esac
}

main() {
  local tools=() arg tool
  for arg in "$@"; do
    for tool in $(expand_group "$arg"); do tools+=("$tool"); done
  done
  [ ${#tools[@]} -gt 0 ] || tools=("${KNOWN_TOOLS[@]}")
  for tool in "${tools[@]}"; do
    is_known "$tool" || { log "unknown tool '$tool' (known: ${KNOWN_TOOLS[*]})"; exit 2; }
  done
  for tool in "${tools[@]}"; do ensure_tool "$tool"; done
}

main "$@"
