# Sourced by the launchers: makes sure loxilb/target/loxilb.jar is built and current.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/loxilb/target/loxilb.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/loxilb/src/main" "$root/loxilb/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  command -v mvn >/dev/null || { echo "$(basename "$0"): Maven is needed to build $jar (apt-get install maven)" >&2; exit 1; }
  echo "$(basename "$0"): building $jar ..." >&2
  (cd "$root" && mvn -q -B -pl loxilb -am package -DskipTests -Dmaven.test.skip=true) >&2 || {
    echo "$(basename "$0"): build failed" >&2; exit 1; }
fi
