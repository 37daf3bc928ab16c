# Sourced by ./sluice and .ci/run: exports JAVA_HOME pointing at a JDK >= 21 (Sluice targets Java 21;
# Lucene 10 needs it). Looks at JAVA_HOME, then `java` on the PATH, then the JDKs under /usr/lib/jvm.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
      local major; major=$(java_major "$home")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        echo "$home"
        return 0
      fi
    fi
  done
  return 1
}
if ! JAVA_HOME=$(pick_jdk); then
  echo "Sluice needs a JDK >= 21 and found none (looked at JAVA_HOME, java on the PATH and /usr/lib/jvm/*)." >&2
  echo "Install one, e.g. Temurin 21 (https://adoptium.net) or 'apt install temurin-21-jdk', and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
