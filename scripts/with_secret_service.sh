#!/usr/bin/env bash
# Runs a command where a Secret Service (the Linux OS keychain) answers on the session bus.
#
#   bash scripts/with_secret_service.sh deno test -A tests/secrets
#
# 1. A Secret Service already answers on $DBUS_SESSION_BUS_ADDRESS (a desktop session): run the
#    command as it is.
# 2. Otherwise, with dbus-run-session and gnome-keyring-daemon installed (Debian: dbus
#    gnome-keyring libsecret-tools): run it on a private session bus with a fresh, unlocked
#    gnome-keyring whose data and runtime dirs are a throwaway temp dir, removed afterwards. The user's real
#    keyring is never touched.
# 3. Otherwise run the command as it is; keychain tests then skip themselves with a reason
#    (and fail under CI=true).
#
# The command's exit code is preserved in every case.
set -u

secret_service_answers() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || return 1
  command -v dbus-send >/dev/null 2>&1 || return 1
  timeout 5 dbus-send --session --print-reply --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Service string:Collections >/dev/null 2>&1
}

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# Inside the private bus (re-entered through dbus-run-session): start the keyring, then run.
if [ "${1:-}" = "--inside-private-bus" ]; then
  shift
  # The throwaway password unlocks (and on first use creates) the login keyring in the temp
  # HOME, so writes need no interactive prompt.
  if ! printf 'janus-throwaway-keyring\n' |
    gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; then
    echo "with_secret_service: gnome-keyring-daemon failed to start" >&2
  fi
  exec "$@"
fi

if secret_service_answers; then
  exec "$@"
fi

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with_secret_service: no Secret Service and no dbus-run-session/gnome-keyring-daemon;" \
    "running without a keychain (apt-get install -y dbus gnome-keyring libsecret-tools)" >&2
  exec "$@"
fi

tmp_home="$(mktemp -d "${TMPDIR:-/tmp}/janus-keyring.XXXXXXXX")" || exit 1
cleanup() { rm -rf "$tmp_home"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$tmp_home/runtime"

# Only the keyring's own directories move to the throwaway dir. HOME and the caches stay: the
# tests start child processes (upstream servers under deno) that must find the usual caches.
XDG_RUNTIME_DIR="$tmp_home/runtime" \
  XDG_DATA_HOME="$tmp_home/.local/share" \
  XDG_CONFIG_HOME="$tmp_home/.config" \
  dbus-run-session -- bash "$0" --inside-private-bus "$@"
status=$?
exit "$status"
