#!/usr/bin/env bash
# A fresh Maven project depends on the Java client by its coordinates
# (dev.jscore:jscore-client:0.1.0) and evaluates against a real jscored ($JSCORED).
# The client is packaged with clients/java/build.sh and placed in a temporary local
# repository as `mvn install` would; every other artifact comes from Debian's Maven
# repository through a settings.xml mirror (no network).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jscored="${JSCORED:?set JSCORED to the jscored binary}"
work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  [ -n "${daemon_pid}" ] && kill "${daemon_pid}" 2>/dev/null && wait "${daemon_pid}" 2>/dev/null
  rm -rf "${work}"
}
trap cleanup EXIT

echo "java_consumer: packaging the client"
JSCORE_JAVA_BUILD="${work}/client" bash "${root}/clients/java/build.sh" >/dev/null
coords="${work}/repo/dev/jscore/jscore-client/0.1.0"
mkdir -p "${coords}"
cp "${work}/client/jscore-client-0.1.0.jar" "${coords}/"
cp "${root}/clients/java/pom.xml" "${coords}/jscore-client-0.1.0.pom"

cat > "${work}/settings.xml" <<XML
<settings>
  <localRepository>${work}/repo</localRepository>
  <mirrors>
    <mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file:///usr/share/maven-repo</url></mirror>
  </mirrors>
</settings>
XML

app="${work}/app"
mkdir -p "${app}/src/main/java/example"
cat > "${app}/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>uses-jscore</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>dev.jscore</groupId>
      <artifactId>jscore-client</artifactId>
      <version>0.1.0</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.10.1</version></plugin>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.0</version></plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId>
        <version>3.1.0</version>
      </plugin>
    </plugins>
  </build>
</project>
XML
cat > "${app}/src/main/java/example/Main.java" <<'JAVA'
package example;

import dev.jscore.JsCoreClient;

public final class Main {
  record Pair(long n, String s) {}

  public static void main(String[] args) throws Exception {
    try (JsCoreClient client = JsCoreClient.builder().target(args[0]).build()) {
      Object value = client.evaluate("[1 + 2, 'ok']");
      System.out.println("java_consumer: evaluate answered " + value);
      if (!String.valueOf(value).equals("[3, ok]")) throw new AssertionError(value);
      Pair pair = client.evaluate(Pair.class, "({n: 6 * 7, s: 'ok', extra: true})");
      System.out.println("java_consumer: typed evaluate answered " + pair);
      if (!pair.equals(new Pair(42, "ok"))) throw new AssertionError(pair);
    }
  }
}
JAVA

: > "${work}/daemon.out"  # exists before the loop reads it (the daemon may not have opened it yet)
"${jscored}" --listen=127.0.0.1:0 --workers=1 > "${work}/daemon.out" 2> "${work}/daemon.err" &
daemon_pid=$!
address=""
for _ in $(seq 1 200); do  # the first stdout line names the port; at most 10 s
  address="$(sed -n 's/^jscored listening on //p' "${work}/daemon.out" | head -n 1)"
  [ -n "${address}" ] && break
  kill -0 "${daemon_pid}" 2>/dev/null || { cat "${work}/daemon.err" >&2; exit 1; }
  sleep 0.05
done
[ -n "${address}" ] || { echo "java_consumer: jscored did not start" >&2; exit 1; }

echo "java_consumer: building a fresh project that depends on dev.jscore:jscore-client:0.1.0"
cd "${app}"
mvn -B -q -s "${work}/settings.xml" compile exec:java \
  -Dexec.mainClass=example.Main -Dexec.args="${address}" -Dexec.cleanupDaemonThreads=false
