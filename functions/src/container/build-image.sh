#!/usr/bin/env bash
# Builds the local runner's container image without a registry, a Docker daemon or a base image: an image of three
# layers, written as a docker-archive tarball (`podman load -i` / `docker load -i` read it):
#   1. base:    the C libraries the JVM and the app's native libraries link against, copied from this (glibc,
#               x86_64 Linux) build machine, found with ldd; /etc/passwd with the user bulwark (1000); /tmp; /data
#   2. runtime: a Java runtime made here by jlink from the JDK that builds (/opt/java)
#   3. app:     target/bulwark-container.jar (/app/bulwark.jar): the app and its dependencies, flat, with only linux
#               x86_64 native libraries and no WireMock, chaos or command-line tools (functions/pom.xml)
# Every file has time 0 and numeric owners, so the same inputs give the same layers.
#   build-image.sh TARGET_DIR IMAGE_NAME        (JAVA_HOME: the JDK whose jlink makes the runtime)
set -euo pipefail
target=$(cd "$1" && pwd)
name=$2
jar="$target/bulwark-container.jar"
work="$target/image"
out="$target/bulwark-image.tar"
[ -f "$jar" ] || { echo "build-image.sh: $jar is missing" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "build-image.sh: the image is linux/amd64; build it on x86_64" >&2; exit 1; }
rm -rf "$work" "$out"
mkdir -p "$work/base" "$work/runtime/opt" "$work/app/app" "$work/natives" "$work/archive"

# 2. The runtime: all of Java SE plus the JDK modules that libraries reach for (Unsafe, com.sun.management, zipfs, EC
# keys, DNS), without the tools, debug symbols and man pages. The Dockerfile reads the same list.
modules=$(tr -d '[:space:]' <"$(dirname "$0")/jlink-modules")
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$work/runtime/opt/java"

# 1. The base: what ldd says the runtime and the app's native libraries need, from /lib and /usr/lib only.
(cd "$work/natives" && "$JAVA_HOME/bin/jar" tf "$jar" | grep -E '[.]so([.][0-9]+)*$' | xargs -r "$JAVA_HOME/bin/jar" xf "$jar")
libs=$(find "$work/runtime/opt/java" "$work/natives" -type f \( -name '*.so*' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\/(usr\/)?lib/ {print $3} $1 ~ /^\/lib64\// {print $1}' | sort -u)
for lib in $libs; do
  # Debian merges /lib into /usr/lib: copy the file a link points at, under the name the loader looks for.
  dest="$work/base/lib/x86_64-linux-gnu/$(basename "$lib")"
  case "$lib" in /lib64/*) dest="$work/base$lib" ;; esac
  mkdir -p "$(dirname "$dest")"
  cp -L "$lib" "$dest"
done
mkdir -p "$work/base/etc" "$work/base/tmp" "$work/base/data"
chmod 1777 "$work/base/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nbulwark:x:1000:1000:bulwark:/data:/sbin/nologin\n' >"$work/base/etc/passwd"
printf 'root:x:0:\nbulwark:x:1000:\n' >"$work/base/etc/group"
printf 'hosts: files dns\n' >"$work/base/etc/nsswitch.conf"
cp "$jar" "$work/app/app/bulwark.jar"

layer() { # DIR -> the layer's tarball name in the archive; /data belongs to the user that runs the app
  local dir=$1 tmp="$work/archive/layer.tar"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --exclude=./data -C "$dir" -cf "$tmp" .
  if [ -d "$dir/data" ]; then
    tar --mtime=@0 --owner=1000 --group=1000 --numeric-owner -C "$dir" -rf "$tmp" ./data
  fi
  local sum
  sum=$(sha256sum "$tmp" | cut -d' ' -f1)
  mkdir -p "$work/archive/$sum"
  mv "$tmp" "$work/archive/$sum/layer.tar"
  echo "$sum"
}
base=$(layer "$work/base")
runtime=$(layer "$work/runtime")
app=$(layer "$work/app")

# The Dockerfile's ENTRYPOINT is the same (DockerfileTest).
entrypoint='["/opt/java/bin/java","-XX:MaxRAMPercentage=75","-jar","/app/bulwark.jar"]'
cat >"$work/archive/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"1000:1000","WorkingDir":"/data","ExposedPorts":{"8080/tcp":{}},
  "Env":["PATH=/opt/java/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8","HOME=/data"],
  "Entrypoint":$entrypoint,
  "Cmd":[],
  "Labels":{"org.opencontainers.image.title":"bulwark","org.opencontainers.image.description":"Bulwark's local runner: every function over HTTP on 8080"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$base","sha256:$runtime","sha256:$app"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"build-image.sh: C libraries (ldd), passwd, /tmp, /data"},
            {"created":"1970-01-01T00:00:00Z","created_by":"build-image.sh: jlink $modules"},
            {"created":"1970-01-01T00:00:00Z","created_by":"build-image.sh: /app/bulwark.jar"}]}
JSON
config=$(sha256sum "$work/archive/config.json" | cut -d' ' -f1)
mv "$work/archive/config.json" "$work/archive/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar","%s/layer.tar","%s/layer.tar"]}]\n' \
  "$config" "$name" "$base" "$runtime" "$app" >"$work/archive/manifest.json"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/archive" -cf "$out" .
rm -rf "$work"
echo "build-image.sh: $out ($name; layers: base $(printf %.12s "$base"), runtime $(printf %.12s "$runtime"), app $(printf %.12s "$app"))"
