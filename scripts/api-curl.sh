#!/bin/sh
# Calls Switchyard's REST API with an HMAC-signed request (help topic "API", /admin/help/api).
#
#   api-curl.sh METHOD PATH [BODY|@file|-] [extra curl flags...]
#
# Reads SWITCHYARD_URL (scheme, host and port, e.g. https://hub.example.com), SWITCHYARD_CLIENT_ID and
# SWITCHYARD_SECRET from the environment. BODY is sent as application/json exactly as given; @file sends a
# file's bytes, - sends standard input. Leave the body out (or pass "") for a request without one; a third
# argument that starts with "-" (other than "-" itself) is taken as the first curl flag.
#
# The signature covers these bytes, hashed with HMAC-SHA256 keyed by the secret:
#   METHOD \n PATH-WITH-QUERY \n TIMESTAMP \n NONCE \n BODY
# Note: openssl gets the secret as an argument, so other users of this machine could see it in `ps`.
set -eu

me=api-curl.sh

fail() {
  printf '%s: %s\n' "$me" "$1" >&2
  exit 2
}

usage() {
  printf 'usage: %s METHOD PATH [BODY|@file|-] [extra curl flags...]\n' "$me" >&2
  printf 'example: %s GET /api/v1/debug/whoami\n' "$me" >&2
  printf '         %s POST /api/v1/jobs/retry '"'"'{"ids":[12]}'"'"' --fail-with-body\n' "$me" >&2
  exit 2
}

[ "$#" -ge 2 ] || usage

[ -n "${SWITCHYARD_URL:-}" ] || fail 'SWITCHYARD_URL is not set: export the hub address, for example SWITCHYARD_URL=https://hub.example.com'
[ -n "${SWITCHYARD_CLIENT_ID:-}" ] || fail 'SWITCHYARD_CLIENT_ID is not set: export the client id shown on the API credentials page (it starts with sy_)'
[ -n "${SWITCHYARD_SECRET:-}" ] || fail 'SWITCHYARD_SECRET is not set: export the secret shown once when the credential was created or rotated (it starts with sys_)'
command -v openssl >/dev/null 2>&1 || fail 'openssl is not installed; it computes the signature'
command -v curl >/dev/null 2>&1 || fail 'curl is not installed'

method=$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')
path=$2
shift 2

case $method in
  '' | *[!A-Z]*) fail "METHOD must be a word such as GET, POST, PUT, PATCH or DELETE, not \"$method\"" ;;
esac
case $path in
  /*) ;;
  *) fail "PATH must start with /, for example /api/v1/debug/whoami (got \"$path\")" ;;
esac
case $path in
  *'
'*) fail 'PATH must not contain a line break' ;;
esac

body_file=
cleanup() {
  if [ -n "$body_file" ]; then rm -f "$body_file"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The body goes through a file so its bytes are signed and sent exactly, trailing newlines included.
if [ "$#" -gt 0 ]; then
  case $1 in
    '') shift ;;
    -)
      body_file=$(mktemp)
      cat >"$body_file"
      shift
      ;;
    @*)
      source_file=${1#@}
      [ -r "$source_file" ] || fail "cannot read the body file \"$source_file\""
      body_file=$(mktemp)
      cat "$source_file" >"$body_file"
      shift
      ;;
    -*) ;;
    *)
      body_file=$(mktemp)
      printf '%s' "$1" >"$body_file"
      shift
      ;;
  esac
fi

timestamp=$(date +%s)
nonce=$(openssl rand -hex 16)

signature=$(
  {
    printf '%s\n%s\n%s\n%s\n' "$method" "$path" "$timestamp" "$nonce"
    if [ -n "$body_file" ]; then cat "$body_file"; fi
  } | openssl dgst -sha256 -hmac "$SWITCHYARD_SECRET" | sed 's/^.*= *//'
)
case $signature in
  '' | *[!0-9a-f]*) fail 'openssl did not produce a hex signature' ;;
esac

base=${SWITCHYARD_URL%/}

# --path-as-is: curl would otherwise tidy "/./" and "/../" and the server would see a path other than the one signed.
if [ -n "$body_file" ]; then
  set -- -X "$method" -H 'Content-Type: application/json' --data-binary "@$body_file" "$@"
elif [ "$method" = HEAD ]; then
  set -- --head "$@"
else
  set -- -X "$method" "$@"
fi
status=0
curl -sS --path-as-is \
  -H "X-Client-Id: $SWITCHYARD_CLIENT_ID" -H "X-Timestamp: $timestamp" -H "X-Nonce: $nonce" -H "X-Signature: $signature" \
  "$@" "$base$path" || status=$?
exit "$status"
