#!/usr/bin/env bash
# Lints deploy/ with Debian's tools: yamllint for the manifests, systemd-analyze for
# the unit (when systemd's analyzer can run here). Installs yamllint if missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v yamllint >/dev/null || { apt-get update -qq && apt-get install -y -qq yamllint >/dev/null; }
yamllint -d '{extends: default, rules: {line-length: {max: 140}, document-start: disable, comments: {min-spaces-from-content: 1}}}' \
  "${root}/deploy/k8s" "${root}/deploy/envoy"
if systemd-analyze --version >/dev/null 2>&1; then
  # verify wants the binary to exist; point it at a stand-in copy of the unit.
  tmp="$(mktemp -d)"
  trap 'rm -rf "${tmp}"' EXIT
  sed "s|/usr/local/bin/jscored|/bin/true|" "${root}/deploy/jscored.service" > "${tmp}/jscored.service"
  systemd-analyze verify "${tmp}/jscored.service"
fi
echo "lint-deploy: ok"
