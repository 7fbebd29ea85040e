# Sourced by the launchers: sets JAVA_HOME and JAVA to a JDK >= 21, looking at JAVA_HOME, then the
# java on PATH, then /usr/lib/jvm/*. Prints what it found wanting and exits when there is none.
courier_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

courier_find_java() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(readlink -f "$(command -v java)")")
  for c in /usr/lib/jvm/*/bin/java; do [ -x "$c" ] && candidates+=("$c"); done
  local seen=""
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(courier_java_major "$c")
    seen="$seen\n  $c (Java ${major:-unknown})"
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      JAVA="$c"
      JAVA_HOME="$(cd "$(dirname "$c")/.." && pwd)"
      export JAVA_HOME
      return 0
    fi
  done
  echo "courier: Courier needs a JDK 21 or newer and found none." >&2
  if [ -n "$seen" ]; then printf "Looked at:$seen\n" >&2; else echo "No java was found at all." >&2; fi
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  exit 1
}

courier_find_java
