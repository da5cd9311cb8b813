#!/usr/bin/env bash
# Refreshes the vendored charting library (vendor/echarts/) from npm at the version package.json
# names, updating package-lock.json to match. Needs npm; the build does not (it embeds
# vendor/echarts/echarts.min.js). Commit what it rewrites.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work"/
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
cp "$work/package-lock.json" package-lock.json
package="$work/node_modules/echarts"
cp "$package/dist/echarts.min.js" "$package/LICENSE" "$package/NOTICE" vendor/echarts/
version=$(node -p "require('$package/package.json').version")
sed -i "s/^# Apache ECharts .*, vendored$/# Apache ECharts $version, vendored/; s/echarts@[0-9.]*/echarts@$version/" vendor/echarts/README.md
echo "vendor/echarts/ now holds echarts $version"
