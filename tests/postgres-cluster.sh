# Sourced by test.sh (and by hand: `source tests/postgres-cluster.sh; postgres_cluster_start`): a throwaway
# PostgreSQL cluster for the tests, on a free loopback port, in a temp folder; postgres_cluster_stop removes it.
# Exports FETCHAGENT_TEST_POSTGRES, the connection string of its `postgres` database (superuser, trust auth).

postgres_cluster_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "postgres-cluster: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2
    return 1
  fi
  local run=()
  # postgres will not run as root: run it as the postgres user Debian's package made.
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  POSTGRES_CLUSTER_DIR=$(mktemp -d /tmp/fetchagent-pg.XXXXXX)
  chmod 0755 "$POSTGRES_CLUSTER_DIR"
  mkdir -p "$POSTGRES_CLUSTER_DIR/data" "$POSTGRES_CLUSTER_DIR/socket"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$POSTGRES_CLUSTER_DIR"; fi
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    ss -ltnH "sport = :$port" 2>/dev/null | grep -q . || break
  done
  "${run[@]}" "$bin/initdb" -D "$POSTGRES_CLUSTER_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$POSTGRES_CLUSTER_DIR/initdb.log" 2>&1 \
    || { cat "$POSTGRES_CLUSTER_DIR/initdb.log" >&2; return 1; }
  # fsync off: a throwaway cluster need not survive a power cut, and the tests write a lot.
  "${run[@]}" "$bin/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" -l "$POSTGRES_CLUSTER_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $POSTGRES_CLUSTER_DIR/socket -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$POSTGRES_CLUSTER_DIR/server.log" >&2; return 1; }
  POSTGRES_CLUSTER_BIN=$bin
  export FETCHAGENT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "postgres-cluster: PostgreSQL ($bin) on 127.0.0.1:$port, data in $POSTGRES_CLUSTER_DIR" >&2
}

postgres_cluster_stop() {
  [ -n "${POSTGRES_CLUSTER_DIR:-}" ] || return 0
  local run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  "${run[@]}" "$POSTGRES_CLUSTER_BIN/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_CLUSTER_DIR"
  POSTGRES_CLUSTER_DIR=
}
