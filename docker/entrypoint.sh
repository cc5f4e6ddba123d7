#!/bin/sh
# No keychain in a container: provider keys come from SHIMMY_KEY_<PROVIDER> variables, or from
# mounted secrets named shimmy_key_<provider> (e.g. /run/secrets/shimmy_key_openai), read here into
# those variables so they never sit in the compose file or the image.
set -eu
secrets=${SHIMMY_SECRETS_DIR:-/run/secrets}
if [ -d "$secrets" ]; then
  for f in "$secrets"/shimmy_key_*; do
    [ -f "$f" ] || continue
    name=$(basename "$f" | tr '[:lower:]-' '[:upper:]_')
    export "$name=$(cat "$f")"
  done
fi
exec shimmy "$@"
