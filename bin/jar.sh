# Sourced by the launchers: makes sure loxilb/target/loxilb.jar is built and current. Inside a
# network namespace (the harness runs the launchers there) nothing can be downloaded, so a stale
# jar is only reported there; bin/build in the root namespace rebuilds it.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/loxilb/target/loxilb.jar"
if [ -n "$(ip netns identify $$ 2>/dev/null)" ]; then
  [ -f "$jar" ] || { echo "$(basename "$0"): $jar is not built; run bin/build first" >&2; exit 1; }
else
  "$root/bin/build" || { echo "$(basename "$0"): build failed" >&2; exit 1; }
fi
