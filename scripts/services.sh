#!/usr/bin/env bash
# Makes sure MariaDB/MySQL (127.0.0.1:3306, root, empty password) and Redis (127.0.0.1:6379) answer,
# starting them if they are down, and creates the utf8mb4 databases the tests use.
set -euo pipefail
MYSQL=(mariadb -h127.0.0.1 -P3306 -uroot)
command -v mariadb >/dev/null || MYSQL=(mysql -h127.0.0.1 -P3306 -uroot)
if ! "${MYSQL[@]}" -e 'SELECT 1' >/dev/null 2>&1; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do "${MYSQL[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
fi
"${MYSQL[@]}" -e 'SELECT 1' >/dev/null
"${MYSQL[@]}" -e 'CREATE DATABASE IF NOT EXISTS union_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis"
  redis-server --daemonize yes --port 6379 --save ""
fi
