#!/usr/bin/env bash
# Configures the unpacked WildFly offline and deploys the EAR. Idempotent: the configuration is always
# rebuilt from the pristine standalone-full.xml, so running the build twice gives the same server.
set -euo pipefail
home=$1 cli=$2 ear=$3
cfg=$home/standalone/configuration
cp "$cfg/standalone-full.xml" "$cfg/merpati.xml"
rm -rf "$cfg/standalone_xml_history"
# JBOSS_HOME must point at this server, whatever the caller's environment says
# A failed batch leaves jboss-cli in batch mode with exit status 0: look at what it said.
log=$home/../configure-cli.log
if ! JBOSS_HOME=$home "$home/bin/jboss-cli.sh" --file="$cli" >"$log" 2>&1 \
   || grep -qE 'batch failed|WFLYCTL0062|Failed to|ERROR' "$log"; then
  cat "$log"; echo "Server configuration failed: $cli" >&2; exit 1
fi
rm -f "$home/standalone/deployments/"merpati.ear*
cp "$ear" "$home/standalone/deployments/merpati.ear"
echo "Merpati server ready in $home"
