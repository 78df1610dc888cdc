#!/bin/sh
# The image's entrypoint: one image, five processes and their one-shot tasks.
#
#   applications | exams | supervision | gateway | web   serve that process on :8000 (extra args go to uvicorn)
#   migrate <service|all>                          apply that service's Alembic migrations
#   healthcheck [path]                             exit 0 if this container's server answers
#                                                  2xx on path (default /healthz)
#   certboard <args>                               any certboard command (e.g. token, for development)
#   anything else                                  run as given (e.g. sh, python)
#
# With no arguments the process named by CERTBOARD_PROCESS is started.
set -eu

usage() {
    echo "usage: entrypoint.sh applications|exams|supervision|gateway|web [uvicorn args]" >&2
    echo "       entrypoint.sh migrate applications|exams|supervision|all" >&2
    echo "       entrypoint.sh healthcheck [/healthz|/readyz]" >&2
    echo "       entrypoint.sh certboard <command> [args]" >&2
    echo "   or set CERTBOARD_PROCESS to one of the process names" >&2
}

if [ "$#" -eq 0 ]; then
    if [ -z "${CERTBOARD_PROCESS:-}" ]; then
        usage
        exit 64
    fi
    set -- "$CERTBOARD_PROCESS"
fi

command="$1"
shift

case "$command" in
    applications | exams | supervision | gateway | web)
        # exec: uvicorn becomes PID 1 and receives SIGTERM itself, so shutdown is graceful.
        exec uvicorn --factory "${command}.main:create_app" \
            --host 0.0.0.0 --port "${CERTBOARD_PORT:-8000}" "$@"
        ;;
    migrate)
        if [ "$#" -ne 1 ]; then
            usage
            exit 64
        fi
        exec certboard migrate "$1"
        ;;
    healthcheck)
        # The image has no curl, but it has python. urlopen raises on any answer but 2xx, or
        # none within the timeout; sys.exit prints one line (not a traceback) and exits 1.
        exec python -c '
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=3)
except Exception as exc:
    sys.exit(f"{sys.argv[1]}: {exc}")
' "http://127.0.0.1:${CERTBOARD_PORT:-8000}${1:-/healthz}"
        ;;
    certboard)
        exec certboard "$@"
        ;;
    -h | --help | help)
        usage
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
