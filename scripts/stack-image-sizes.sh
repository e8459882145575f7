#!/usr/bin/env bash
# Prints the size of every image scripts/stack-images.sh builds and fails when one exceeds its
# budget in deploy/docker/image-budgets.json (uncompressed, as `docker image inspect` reports).
# Images not built (yet) are listed as missing, not failed.
set -euo pipefail
# shellcheck source=scripts/stack-env.sh
source "$(dirname "$0")/stack-env.sh"

over=0
while IFS=$'\t' read -r image budget; do
  if ! size=$(docker image inspect -f '{{.Size}}' "$image" 2>/dev/null); then
    printf '%-34s %8s   budget %4s MB\n' "$image" missing "$budget"
    continue
  fi
  mb=$((size / 1000000))
  verdict=ok
  if [ "$mb" -gt "$budget" ]; then verdict="OVER BUDGET"; over=1; fi
  printf '%-34s %5s MB   budget %4s MB   %s\n' "$image" "$mb" "$budget" "$verdict"
done < <(node -e '
  const { budgets } = require(process.argv[1]);
  for (const [image, mb] of Object.entries(budgets)) console.log(`${image}\t${mb}`);
' "$REPO_ROOT/deploy/docker/image-budgets.json")
exit "$over"
