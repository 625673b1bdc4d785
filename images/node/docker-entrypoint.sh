#!/bin/sh
# Same contract as the upstream node image: `docker run IMAGE -e '...'` or `docker run IMAGE app.js` run node,
# any other command runs as given.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && [ ! -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
