#!/usr/bin/env bash
# Bootstrap only: restore the pinned PowerShell and hand every argument to build.ps1, the one build entry point.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
set +e
dotnet pwsh -NoProfile -NonInteractive -File ./build.ps1 "$@"
exit $?
