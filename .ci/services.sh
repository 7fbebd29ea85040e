#!/usr/bin/env bash
# Starts the local services Courier's tests use (MariaDB, PostgreSQL) when they are not
# running, with the start commands of this machine kind, and waits until each answers.
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port
  for _ in $(seq 1 60); do up "$2" && { echo "services: $1 is up on port $2"; return 0; }; sleep 1; done
  echo "services: $1 did not come up on port $2" >&2
  return 1
}

if ! up 3306; then
  echo "services: starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
if ! up 5432; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
status=0
wait_for MariaDB 3306 || status=1
wait_for PostgreSQL 5432 || status=1
exit $status
