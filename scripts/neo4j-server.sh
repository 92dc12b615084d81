#!/usr/bin/env bash
# A real Neo4j 5.26 LTS Community test server, assembled from Maven Central (no tarball, no Docker).
#
#   scripts/neo4j-server.sh build            jars into .neo4j/home/lib (skips when already built)
#   scripts/neo4j-server.sh start [--fresh]  start the instance, wait until `RETURN 1` answers over Bolt
#   scripts/neo4j-server.sh stop             SIGTERM, wait, then SIGKILL
#   scripts/neo4j-server.sh status           running / stopped (exit 0 / 3)
#   scripts/neo4j-server.sh uri              bolt://127.0.0.1:PORT of the instance
#   scripts/neo4j-server.sh import-csv DIR   neo4j-admin database import full of a `polgraph export
#                                            --format neo4j-csv` folder into the (stopped) instance
#   scripts/neo4j-server.sh logs             last lines of the instance's logs
#
# Environment:
#   NEO4J_INSTANCE   instance name (default "test"); each has its own conf/data/logs/pid/port under
#                    .neo4j/<instance>/, so a second server (e.g. over an imported store) never touches
#                    the main test server
#   NEO4J_BOLT_PORT  Bolt port (default 7687, or a free one when 7687 is taken)
#   NEO4J_HTTP_PORT  turn HTTP on, on 127.0.0.1:PORT (default: HTTP off)
#   NEO4J_HEAP       JVM heap (default 2g); NEO4J_PAGECACHE page cache (default 256m)
#   NEO4J_JVM_EXTRA  more JVM flags for the server, space-separated (experiments)
#   NEO4J_VERSION    5.26.x to assemble (default: the highest of NEO4J_VERSIONS that resolves)
#   NEO4J_JAVA       java 17 binary (5.26 does not support Java 25)
#   NEO4J_START_TIMEOUT seconds to wait for Bolt (default 180)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE="${NEO4J_DIR:-$ROOT/.neo4j}"
HOME_DIR="$BASE/home"
LIB="$HOME_DIR/lib"
INSTANCE="${NEO4J_INSTANCE:-test}"
[[ "$INSTANCE" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "neo4j-server: bad NEO4J_INSTANCE '$INSTANCE'" >&2; exit 2; }
RUN="$BASE/$INSTANCE"
PIDFILE="$RUN/neo4j.pid"
PORTFILE="$RUN/bolt.port"
JAVA="${NEO4J_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
HEAP="${NEO4J_HEAP:-2g}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
# newest first; `build` takes the first one Maven Central serves
NEO4J_VERSIONS="${NEO4J_VERSIONS:-5.26.31 5.26.30 5.26.29 5.26.28}"
if [[ -x "$ROOT/.venv/bin/python" ]]; then PY="${NEO4J_PYTHON:-$ROOT/.venv/bin/python}"; else PY="${NEO4J_PYTHON:-python3}"; fi

# Flags the stock neo4j.conf passes through server.jvm.additional; without the --add-opens, 5.x dies at
# start with "Cannot to link java.nio.DirectByteBuffer". No -XX:+AlwaysPreTouch: it commits the whole heap.
# The parallel collector instead of the stock G1, and 2g of heap instead of 1g: loading the 109k-relationship
# synthetic graph (bench/neo4j_load.py) costs the server 6.6-7.0 s of CPU instead of 8.1-8.9 s, and half the GC
# pause time (a load is throughput work; a test server has no latency target).
JVM_FLAGS=(
  -XX:+UseParallelGC -XX:-OmitStackTraceInFastThrow -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
  -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
)

die() { echo "neo4j-server: $*" >&2; exit 1; }

built_version() { [[ -f "$HOME_DIR/VERSION" ]] && cat "$HOME_DIR/VERSION" || true; }

build() {
  if [[ -n "$(built_version)" && -d "$LIB" ]] && ls "$LIB"/neo4j-[0-9]*.jar >/dev/null 2>&1; then
    echo "neo4j-server: Neo4j $(built_version) already built in $LIB ($(du -sh "$LIB" | cut -f1), $(ls "$LIB" | wc -l) jars)"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  local versions="${NEO4J_VERSION:-$NEO4J_VERSIONS}" v t0=$SECONDS
  for v in $versions; do
    if mvn -B -q -Dstyle.color=never dependency:get -Dartifact="org.neo4j:neo4j:$v:pom" -Dtransitive=false >/dev/null 2>&1; then
      rm -rf "$LIB.tmp" && mkdir -p "$HOME_DIR" "$BASE"
      if ! mvn -B -q -Dstyle.color=never -f "$ROOT/scripts/neo4j/pom.xml" -Dneo4j.version="$v" \
          -Dneo4j.lib="$LIB.tmp" dependency:copy-dependencies > "$BASE/maven.log" 2>&1; then
        tail -n 40 "$BASE/maven.log" >&2
        die "mvn copy-dependencies of org.neo4j:neo4j:$v failed (log: $BASE/maven.log)"
      fi
      rm -rf "$LIB" && mv "$LIB.tmp" "$LIB"
      echo "$v" > "$HOME_DIR/VERSION"
      echo "neo4j-server: built Neo4j $v in $((SECONDS - t0))s: $LIB ($(du -sh "$LIB" | cut -f1), $(ls "$LIB" | wc -l) jars)"
      return 0
    fi
    echo "neo4j-server: org.neo4j:neo4j:$v not on Maven Central, trying the next" >&2
  done
  die "no Neo4j version of [$versions] resolves from Maven Central"
}

pid_alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  if [[ -n "${NEO4J_BOLT_PORT:-}" ]]; then
    port_free "$NEO4J_BOLT_PORT" || die "NEO4J_BOLT_PORT=$NEO4J_BOLT_PORT is already in use"
    echo "$NEO4J_BOLT_PORT"; return
  fi
  if [[ "$INSTANCE" == test ]] && port_free 7687; then echo 7687; return; fi
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

write_conf() {
  local port=$1
  mkdir -p "$RUN/conf" "$RUN/data" "$RUN/logs" "$RUN/run" "$RUN/import" "$RUN/plugins"
  # strict_validation stays on (the default): a misspelt key stops the server instead of being ignored
  {
    echo "# generated by scripts/neo4j-server.sh; rewritten on every start"
    echo "dbms.security.auth_enabled=false"
    echo "dbms.usage_report.enabled=false"
    echo "server.config.strict_validation.enabled=true"
    echo "server.default_listen_address=127.0.0.1"
    echo "server.default_advertised_address=127.0.0.1"
    echo "server.bolt.enabled=true"
    echo "server.bolt.listen_address=127.0.0.1:$port"
    echo "server.bolt.advertised_address=127.0.0.1:$port"
    if [[ -n "${NEO4J_HTTP_PORT:-}" ]]; then
      echo "server.http.enabled=true"
      echo "server.http.listen_address=127.0.0.1:$NEO4J_HTTP_PORT"
      echo "server.http.advertised_address=127.0.0.1:$NEO4J_HTTP_PORT"
    else
      echo "server.http.enabled=false"
    fi
    echo "server.https.enabled=false"
    echo "server.directories.data=$RUN/data"
    echo "server.directories.logs=$RUN/logs"
    echo "server.directories.run=$RUN/run"
    echo "server.directories.import=$RUN/import"
    echo "server.directories.plugins=$RUN/plugins"
    echo "server.directories.transaction.logs.root=$RUN/data/transactions"
    echo "server.memory.pagecache.size=$PAGECACHE"
    echo "db.transaction.timeout=300s"
    # a test server: keep little transaction log (checkpoint often so old files are pruned)
    echo "db.tx_log.rotation.retention_policy=1 files"
    echo "db.tx_log.rotation.size=64M"
    echo "db.tx_log.preallocate=false"
    echo "db.checkpoint.interval.time=60s"
  } > "$RUN/conf/neo4j.conf"
}

last_logs() {
  local f
  for f in "$RUN/console.log" "$RUN/logs/neo4j.log" "$RUN/logs/debug.log"; do
    [[ -s "$f" ]] && { echo "--- last lines of $f" >&2; tail -n "${1:-30}" "$f" >&2; }
  done
  return 0
}

bolt_ready() {
  "$PY" - "$1" <<'PY' 2>/dev/null
import sys
from neo4j import GraphDatabase
with GraphDatabase.driver(f"bolt://127.0.0.1:{sys.argv[1]}", auth=None, connection_timeout=2,
                           connection_acquisition_timeout=2, max_transaction_retry_time=2) as d:
    records, _, _ = d.execute_query("RETURN 1 AS one", database_="neo4j")
    sys.exit(0 if records[0]["one"] == 1 else 1)
PY
}

# The server started by this run of `start`, killed if the script ends before it answers (timeout, Ctrl-C, an
# error): a failed start never leaves a server behind.
STARTING_PID=""
kill_unready() {
  [[ -n "$STARTING_PID" ]] || return 0
  kill -TERM "$STARTING_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 20); do kill -0 "$STARTING_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$STARTING_PID" 2>/dev/null || true
  rm -f "$PIDFILE"
  STARTING_PID=""
}

start() {
  # the readiness probe needs the neo4j driver: without it every probe fails and the start would wait its
  # whole timeout in silence
  "$PY" -c 'import neo4j' 2>/dev/null \
    || die "$PY cannot import the neo4j driver: create the project venv (python3 -m venv .venv && .venv/bin/pip install -e .) or set NEO4J_PYTHON"
  [[ -x "$JAVA" ]] || die "Java 17 not found at $JAVA (set NEO4J_JAVA)"
  ls "$LIB"/neo4j-[0-9]*.jar >/dev/null 2>&1 || die "not built: run scripts/neo4j-server.sh build"
  if pid_alive; then
    echo "neo4j-server: instance '$INSTANCE' already running (pid $(cat "$PIDFILE")) at $(uri)"
    return 0
  fi
  if [[ "${1:-}" == --fresh ]]; then rm -rf "$RUN/data" "$RUN/logs"; fi
  local port t0=$SECONDS pid
  port=$(pick_port)
  write_conf "$port"
  echo "$port" > "$PORTFILE"
  : > "$RUN/console.log"
  # setsid: the server survives the shell (and CI step) that started it, and gets no terminal signals
  local extra=()
  read -r -a extra <<< "${NEO4J_JVM_EXTRA:-}"
  setsid "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" "${JVM_FLAGS[@]}" ${extra[@]+"${extra[@]}"} \
    -cp "$LIB/*:$RUN/plugins/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$HOME_DIR" --config-dir="$RUN/conf" --console-mode \
    > "$RUN/console.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PIDFILE"
  STARTING_PID=$pid
  trap kill_unready EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  while (( SECONDS - t0 < TIMEOUT )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      STARTING_PID=""
      echo "neo4j-server: Neo4j exited during start (instance '$INSTANCE', port $port)" >&2
      last_logs 40; exit 1
    fi
    # the probe runs in the background and is waited for: bash runs a signal's trap at once during `wait`,
    # but only after a foreground command ends
    bolt_ready "$port" &
    if wait $!; then
      STARTING_PID=""
      trap - EXIT INT TERM
      echo "neo4j-server: Neo4j $(built_version) ready at bolt://127.0.0.1:$port in $((SECONDS - t0))s (pid $pid, instance '$INSTANCE')"
      return 0
    fi
    sleep 1
  done
  echo "neo4j-server: Bolt on 127.0.0.1:$port did not answer RETURN 1 within ${TIMEOUT}s; stopping it" >&2
  last_logs 40
  kill_unready
  exit 1
}

stop() {
  if ! pid_alive; then
    rm -f "$PIDFILE"; echo "neo4j-server: instance '$INSTANCE' not running"; return 0
  fi
  local pid i
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid"
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "neo4j-server: stopped instance '$INSTANCE' (pid $pid)"; return 0; }
    sleep 1
  done
  echo "neo4j-server: pid $pid ignored SIGTERM for 60s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

status() {
  if pid_alive; then echo "running: instance '$INSTANCE' pid $(cat "$PIDFILE") at $(uri)"; return 0; fi
  echo "stopped: instance '$INSTANCE'"; return 3
}

uri() {
  [[ -f "$PORTFILE" ]] || die "instance '$INSTANCE' was never started (no $PORTFILE)"
  echo "bolt://127.0.0.1:$(cat "$PORTFILE")"
}

# neo4j-admin database import full of the folder written by `polgraph export --format neo4j-csv`:
# every nodes*.csv / *nodes*.csv is a --nodes source, every *relationships*.csv / rels*.csv a
# --relationships source; headers are the files' first lines. The instance must be stopped (Community
# has one user database), so tests use a separate NEO4J_INSTANCE and start it afterwards to count.
import_csv() {
  local dir=${1:-}
  [[ -n "$dir" && -d "$dir" ]] || die "import-csv needs a folder written by 'polgraph export --format neo4j-csv'"
  dir=$(cd "$dir" && pwd)
  ls "$LIB"/neo4j-[0-9]*.jar >/dev/null 2>&1 || die "not built: run scripts/neo4j-server.sh build"
  pid_alive && die "instance '$INSTANCE' is running; stop it first (or use another NEO4J_INSTANCE)"
  local args=() f n_nodes=0 n_rels=0
  shopt -s nullglob
  for f in "$dir"/*.csv; do
    case "$(basename "$f")" in
      *rel*|*edge*|*cite*) args+=("--relationships=$f"); n_rels=$((n_rels + 1)) ;;
      *) args+=("--nodes=$f"); n_nodes=$((n_nodes + 1)) ;;
    esac
  done
  (( n_nodes > 0 )) || die "no node CSV files in $dir"
  mkdir -p "$RUN"
  [[ -f "$PORTFILE" ]] || pick_port > "$PORTFILE"
  write_conf "$(cat "$PORTFILE")"
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$RUN/conf" JAVA_HOME="$(dirname "$(dirname "$JAVA")")" \
  JAVA_OPTS="-Xmx${HEAP} ${JVM_FLAGS[*]}" \
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$LIB/*" org.neo4j.server.startup.Neo4jAdminCommand \
      database import full neo4j --overwrite-destination=true --array-delimiter=';' \
      --threads=2 --high-parallel-io=off --report-file="$RUN/logs/import.report" "${args[@]}"
}

cmd=${1:-}
shift || true
case "$cmd" in
  build) build ;;
  start) start "$@" ;;
  stop) stop ;;
  restart) stop; start "$@" ;;
  status) status ;;
  uri) uri ;;
  import-csv) import_csv "$@" ;;
  logs) last_logs "${1:-60}" 2>&1 ;;
  *) echo "usage: $0 build|start [--fresh]|stop|restart|status|uri|import-csv DIR|logs [N]" >&2; exit 2 ;;
esac
