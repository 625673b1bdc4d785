#!/usr/bin/env bash
# Creates the local images k8ts uses, only when they are missing, tagged like the public ones so Dockerfiles,
# compose files and pod specs stay unchanged (hosts with a registry keep their real images):
#   busybox:1.36              Debian's busybox-static + applet symlinks, via `docker import`
#   debian:bookworm-slim      debootstrap minbase, slimmed, via `docker import` (no-network fallback if that fails)
#   node:20-bookworm-slim     the host's node + npm + corepack in the upstream layout, on that base
#   k8ts/test-app:0.1/latest  images/test-app (rebuilt whenever its sources or its base image change)
# Prints one line per image: "exists" or "built in N s".
# Env: IMAGES_ONLY="busybox test-app" ensures only those (plus missing bases); IMAGES_FORCE=1 rebuilds the selected
# ones; BUSYBOX_TAG / DEBIAN_TAG / NODE_TAG / TEST_APP_TAG override tags (tests build into throwaway tags);
# DEBIAN_MIRROR overrides the mirror found in /etc/apt.
# See docs/docker-environment.md "Images with no registry" for measurements and pitfalls.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# There is no buildx: only the legacy builder works, and nothing can be pulled (so never `--pull`).
export DOCKER_BUILDKIT=0

BUSYBOX_TAG=${BUSYBOX_TAG:-busybox:1.36}
DEBIAN_TAG=${DEBIAN_TAG:-debian:bookworm-slim}
NODE_TAG=${NODE_TAG:-node:20-bookworm-slim}
TEST_APP_TAG=${TEST_APP_TAG:-k8ts/test-app:0.1}
TEST_APP_LATEST_TAG=${TEST_APP_LATEST_TAG:-${TEST_APP_TAG%:*}:latest}
IMAGES_ONLY=${IMAGES_ONLY:-busybox debian node test-app}
IMAGES_FORCE=${IMAGES_FORCE:-0}
SUITE=bookworm
SOURCE_HASH_LABEL=io.k8ts.source-hash

log() { printf 'images: %s\n' "$*"; }
die() { printf 'images: error: %s\n' "$*" >&2; exit 1; }
has_image() { docker image inspect "$1" >/dev/null 2>&1; }
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
# After a rebuild the previous image keeps no tag: delete it, but only if nothing else still names it.
drop_if_dangling() {
  [ -n "$1" ] && [ "$(docker image inspect -f '{{len .RepoTags}}' "$1" 2>/dev/null)" = 0 ] &&
    docker rmi "$1" >/dev/null 2>&1 || true
}
selected() { [[ " $IMAGES_ONLY " == *" $1 "* ]]; }

# Every temporary directory goes through here, so one EXIT trap can clean them all.
TMP_DIRS=()
new_tmp() { local d; d=$(mktemp -d "${TMPDIR:-/var/tmp}/k8ts-images.XXXXXX"); TMP_DIRS+=("$d"); printf '%s' "$d"; }
cleanup() {
  local d m
  for d in "${TMP_DIRS[@]}"; do
    # A failed debootstrap can leave /proc or /sys mounted inside its target: unmount before deleting anything,
    # and never let rm cross into another file system.
    while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v p="$d/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r)
    rm -rf --one-file-system "$d" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Runs "$@" with its output in a log file, shown only if it fails (the script stays quiet on success).
quietly() {
  local out; out=$(mktemp); local rc=0
  "$@" >"$out" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then tail -n 40 "$out" >&2; fi
  rm -f "$out"
  return "$rc"
}

# Imports a root file system directory as an image with the given CMD (numeric owners: the host's names don't matter).
import_rootfs() {
  local dir=$1 tag=$2 cmd=$3
  tar --numeric-owner -C "$dir" -c . | docker import -c "CMD $cmd" - "$tag" >/dev/null
}

apt_install() {
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

# --- busybox -------------------------------------------------------------------------------------------------------

build_busybox() {
  # A dynamically linked busybox would need the host's libc in the image: insist on Debian's static build.
  if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then apt_install busybox-static; fi
  local root; root=$(new_tmp)/rootfs
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var,proc,sys,dev}
  cp /bin/busybox "$root/bin/busybox"
  # `--list-full` gives each applet's install path (bin/sh, sbin/ifconfig, usr/bin/wget, ...), as busybox would.
  local applet
  while read -r applet; do
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  import_rootfs "$root" "$BUSYBOX_TAG" '["sh"]'
}

# --- debian:bookworm-slim ------------------------------------------------------------------------------------------

# The Debian mirror this host's apt uses (deb822 .sources or one-line .list); deb.debian.org if none is configured.
debian_mirror() {
  local url
  url=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
    grep -E '/debian/?$' | head -n 1 || true)
  if [ -z "$url" ]; then
    url=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' |
      grep -E '/debian/?$' | head -n 1 || true)
  fi
  printf '%s' "${url:-http://deb.debian.org/debian}" | sed 's#/$##'
}

# What the official slim images do: keep docs, man pages and translations out, now and for every later apt-get.
slim_debian_rootfs() {
  local root=$1 mirror=$2
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
# Keep images small: no documentation, manuals or translations (copyright files stay).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/{man,groff,info,lintian,linda}/* 2>/dev/null || true
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true

  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
# Downloaded packages and package lists are not worth keeping in image layers.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Acquire::GzipIndexes "true";\n' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"

  local security=${mirror%/debian}/debian-security
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  mkdir -p "$root/var/lib/apt/lists/partial"
  rm -f "$root"/var/log/dpkg.log "$root"/var/log/bootstrap.log "$root"/var/log/alternatives.log
  rm -rf "$root"/var/log/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
  # Per-container identity comes from the runtime, never from the image.
  : >"$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id" "$root/etc/hostname"
  : >"$root/etc/resolv.conf"
  # Device nodes come from the runtime too.
  find "$root/dev" -mindepth 1 -delete 2>/dev/null || true
}

build_debian_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local root mirror; root=$(new_tmp)/rootfs; mirror=${DEBIAN_MIRROR:-$(debian_mirror)}
  quietly debootstrap --variant=minbase "$SUITE" "$root" "$mirror" || return 1
  slim_debian_rootfs "$root" "$mirror"
  import_rootfs "$root" "$DEBIAN_TAG" '["bash"]'
}

# Copies a host binary with every library `ldd` lists, at the same paths.
copy_with_libs() {
  local root=$1 bin=$2 lib
  mkdir -p "$root$(dirname "$bin")"
  cp -L "$bin" "$root$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+' || true); do
    mkdir -p "$root$(dirname "$lib")"
    [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
  done
}

# No network at all: busybox for the tools, the host's bash, the libraries node needs, CA certificates, passwd.
# Not a real Debian (no dpkg/apt), but enough for the node image and everything k8ts runs on it.
build_debian_offline() {
  local root; root=$(new_tmp)/rootfs
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,etc/ssl/certs,root,home,tmp,var/tmp,proc,sys,dev,lib64}
  ln -s usr/lib "$root/lib" 2>/dev/null || true
  [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || die "offline fallback needs a static /bin/busybox"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  while read -r applet; do
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  rm -f "$root/bin/bash"
  copy_with_libs "$root" "$(readlink -f "$(command -v bash)")"
  [ -e "$root/bin/bash" ] || ln -s "$(readlink -f "$(command -v bash)")" "$root/bin/bash"
  copy_with_libs "$root" "$(readlink -f "$(command -v node)")"
  rm -f "$root$(readlink -f "$(command -v node)")" # only its libraries: the node image adds node itself
  cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
  cp /etc/debian_version /etc/os-release "$root/etc/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  import_rootfs "$root" "$DEBIAN_TAG" '["bash"]'
}

build_debian() {
  build_debian_debootstrap && return 0
  log "$DEBIAN_TAG: debootstrap failed; using the offline fallback"
  build_debian_offline
}

# --- node:20-bookworm-slim -----------------------------------------------------------------------------------------

build_node() {
  local node_bin prefix ctx
  node_bin=$(readlink -f "$(command -v node)") || die "no node on this host"
  # npm and corepack live next to node's prefix: /usr/lib/node_modules (Debian/NodeSource) or lib/node_modules.
  prefix=$(dirname "$(dirname "$node_bin")")
  [ -d "$prefix/lib/node_modules/npm" ] || die "npm not found under $prefix/lib/node_modules"
  ctx=$(new_tmp)
  cp "$node_bin" "$ctx/node"
  mkdir -p "$ctx/node_modules"
  cp -a "$prefix/lib/node_modules/npm" "$ctx/node_modules/"
  [ -d "$prefix/lib/node_modules/corepack" ] && cp -a "$prefix/lib/node_modules/corepack" "$ctx/node_modules/"
  mkdir -p "$ctx/node_modules/corepack" # keeps COPY and the symlink valid even when the host has no corepack
  cp "$ROOT/images/node/docker-entrypoint.sh" "$ROOT/images/node/Dockerfile" "$ctx/"
  quietly docker build --build-arg "BASE=$DEBIAN_TAG" --build-arg "NODE_VERSION=$("$node_bin" --version | tr -d v)" \
    -t "$NODE_TAG" "$ctx"
}

# --- k8ts/test-app -------------------------------------------------------------------------------------------------

# The app's identity: its sources and the base image it sits on. A different hash means a stale image.
test_app_hash() {
  { cat "$ROOT"/images/test-app/*; docker image inspect -f '{{.Id}}' "$NODE_TAG" 2>/dev/null || true; } |
    sha256sum | cut -c1-16
}

test_app_current() {
  local want=$1 have
  have=$(docker image inspect -f "{{index .Config.Labels \"$SOURCE_HASH_LABEL\"}}" "$TEST_APP_TAG" 2>/dev/null) || return 1
  [ "$have" = "$want" ] && has_image "$TEST_APP_LATEST_TAG"
}

build_test_app() {
  quietly docker build --build-arg "BASE=$NODE_TAG" --label "$SOURCE_HASH_LABEL=$1" \
    -t "$TEST_APP_TAG" -t "$TEST_APP_LATEST_TAG" "$ROOT/images/test-app"
}

# --- driver --------------------------------------------------------------------------------------------------------

# ensure NAME TAG BUILDER: builds TAG when missing (or forced and selected), timing it and saying what happened.
ensure() {
  local name=$1 tag=$2 builder=$3 start old
  if has_image "$tag" && ! { [ "$IMAGES_FORCE" = 1 ] && selected "$name"; }; then
    selected "$name" && log "$tag exists"
    return 0
  fi
  start=$SECONDS; old=$(image_id "$tag")
  "$builder" || die "building $tag failed"
  drop_if_dangling "$old"
  log "$tag built in $((SECONDS - start)) s"
}

docker version >/dev/null 2>&1 || die "the Docker engine does not answer"
for name in $IMAGES_ONLY; do
  case $name in busybox|debian|node|test-app) ;; *) die "unknown image '$name' in IMAGES_ONLY (busybox debian node test-app)";; esac
done

selected busybox && ensure busybox "$BUSYBOX_TAG" build_busybox
# Bases are created when missing even if not selected: each image needs the one below it.
if selected debian || { selected node && ! has_image "$NODE_TAG"; } || { selected test-app && ! has_image "$NODE_TAG"; }; then
  ensure debian "$DEBIAN_TAG" build_debian
fi
if selected node || { selected test-app && ! has_image "$NODE_TAG"; }; then
  ensure node "$NODE_TAG" build_node
fi
if selected test-app; then
  hash=$(test_app_hash)
  if [ "$IMAGES_FORCE" = 1 ] || ! test_app_current "$hash"; then
    start=$SECONDS; old=$(image_id "$TEST_APP_TAG")
    build_test_app "$hash" || die "building $TEST_APP_TAG failed"
    drop_if_dangling "$old"
    log "$TEST_APP_TAG built in $((SECONDS - start)) s"
  else
    log "$TEST_APP_TAG exists"
  fi
fi
