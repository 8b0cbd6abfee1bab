#!/usr/bin/env node
// Updates each package's PublicAPI.Unshipped.txt from what the compiler sees, generated code
// included (dotnet format's "add to public API" fix skips generated files, so it cannot do this).
//
//   node build/public-api.mjs          (or: npm run --silent public-api)
//
// Builds the solution, takes every RS0016 ("not part of the declared public API": add the line)
// and RS0017 ("part of the declared API, but ... could not be found": remove the line) from the
// output, edits PublicAPI.Unshipped.txt beside the reporting project, and repeats until the build
// reports neither. Review the resulting diff: it is the C# effect of your spec or code change.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const diagnostic = /error (RS0016|RS0017): Symbol '(.+?)' (?:is not part of the declared public API|is part of the declared API, but is either not public or could not be found).*\[(.+?\.csproj)\]/;

for (let round = 1; round <= 4; round++) {
  const build = spawnSync('dotnet', ['build', 'Generated.sln', '-nologo', '-clp:NoSummary'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const edits = new Map(); // project file -> { add: Set, remove: Set }
  for (const line of (build.stdout + build.stderr).split('\n')) {
    const match = diagnostic.exec(line);
    if (!match) continue;
    const [, rule, symbol, project] = match;
    const edit = edits.get(project) ?? { add: new Set(), remove: new Set() };
    (rule === 'RS0016' ? edit.add : edit.remove).add(symbol);
    edits.set(project, edit);
  }

  if (edits.size === 0) {
    if (build.status !== 0) {
      process.stderr.write(build.stdout + build.stderr);
      console.error('public-api: the build fails for other reasons (above); fix those first.');
      process.exit(2);
    }
    console.log(`public-api: listings match the code (round ${round}).`);
    process.exit(0);
  }

  for (const [project, { add, remove }] of edits) {
    const file = path.join(path.dirname(project), 'PublicAPI.Unshipped.txt');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0 && l !== '#nullable enable');
    const kept = lines.filter((l) => !remove.has(l) && !remove.has(l.replace(/^\*REMOVED\*/, '')));
    const merged = [...new Set([...kept, ...add])].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'variant' }));
    fs.writeFileSync(file, ['#nullable enable', ...merged].join('\n') + '\n');
    console.log(`public-api: ${path.relative(root, file)}: +${add.size} -${remove.size}`);
  }
}

console.error('public-api: still changing after 4 rounds; inspect the build output.');
process.exit(1);
