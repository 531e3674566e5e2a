#!/usr/bin/env bash
# The published package as a user gets it (issue 17): `npm pack`, install the tarball into an empty
# project, run the CLI there (`init`, `check`), and compile a TypeScript file that imports the
# library in a strict project with skipLibCheck off, so the declarations must stand on their own.
#
#   scripts/package-smoke.sh            (from the repository root, after `npm ci`)
#
# Dependencies come from the npm registry (or npm's cache): nothing else is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "-- npm pack"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
test -s "$work/$tarball"
# No source maps (they would point at sources that are not shipped), no tests, no example outputs.
listing="$(tar -tzf "$work/$tarball")"
if grep -E '\.map$|^package/(src|test|examples|bench)/' <<<"$listing"; then
  echo "the package holds files it should not (above)"; exit 1
fi
grep -qx 'package/LICENSE' <<<"$listing" || { echo "the package has no LICENSE"; exit 1; }
# The validation kit (docs/validation.md): the acceptance suite and Dossier's own validation records.
grep -qx 'package/validation/acceptance/acceptance.test.mjs' <<<"$listing" || { echo "the package has no acceptance suite"; exit 1; }
grep -qx 'package/validation/dossier.yaml' <<<"$listing" || { echo "the package has no validation project"; exit 1; }

echo "-- install the tarball into an empty project"
mkdir "$work/user"
cd "$work/user"
npm init -y >/dev/null
# Offline here: compile the SQLite binding instead of trying its download (README, "Install").
printf '{ "buildFromSource": true }\n' > .prebuild-installrc
# npm 11.16+ asks each project to approve the install scripts it runs (README, "Install").
npm pkg set allowScripts.better-sqlite3=true --json
npm install --no-audit --no-fund --prefer-offline "$work/$tarball" >"$work/install.log" 2>&1 || {
  cat "$work/install.log"; exit 1; }
# Installing prints no warnings (deprecations, unknown configuration).
if grep -i 'warn' "$work/install.log"; then echo "npm install printed warnings (above)"; exit 1; fi

echo "-- the CLI from the installed package"
npx --no-install dossier --version
npx --no-install dossier init p >/dev/null
npx --no-install dossier check p --format json >/dev/null   # a fresh project checks clean: exit 0

echo "-- dossier self-validate from the installed package (the acceptance suite, the Tool Validation Report)"
npx --no-install dossier self-validate --out tvr >"$work/self-validate.log" 2>&1 || { cat "$work/self-validate.log"; exit 1; }
test -s tvr/tool-validation-report.md
test -s tvr/tool-validation-report.html
grep -q 'Result: \*\*PASS\*\*' tvr/tool-validation-report.md

echo "-- the library's types in a strict TypeScript project (skipLibCheck off)"
npm install --no-audit --no-fund --prefer-offline --save-dev "@types/node@$(node -p "require('$repo/node_modules/@types/node/package.json').version")" >/dev/null 2>&1
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true,
    "types": ["node"]
  },
  "files": ["use.ts"]
}
JSON
cat > use.ts <<'TS'
import { analyze, loadProject } from 'dossier';

const loaded = loadProject('p');
if (loaded.ok) {
  const analysis = analyze(loaded.project);
  const errors: number = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(errors);
}
TS
node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json
echo "-- package smoke passed"
