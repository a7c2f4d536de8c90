#!/usr/bin/env bash
# Configures the unpacked WildFly offline and deploys the EAR. Idempotent: the configuration is always
# rebuilt from the pristine standalone-full.xml, so running the build twice gives the same server.
set -euo pipefail
home=$1 cli=$2 ear=$3
cfg=$home/standalone/configuration
cp "$cfg/standalone-full.xml" "$cfg/merpati.xml"
rm -rf "$cfg/standalone_xml_history"
# JBOSS_HOME must point at this server, whatever the caller's environment says
JBOSS_HOME=$home "$home/bin/jboss-cli.sh" --file="$cli" >"$home/../configure-cli.log" 2>&1 || {
  cat "$home/../configure-cli.log"; exit 1; }
rm -f "$home/standalone/deployments/"merpati.ear*
cp "$ear" "$home/standalone/deployments/merpati.ear"
echo "Merpati server ready in $home"
