#!/usr/bin/env node
// Rendered HTML reference of each spec, fully offline.
//
//   npm run --silent contract:html            -> artifacts/api-reference/<spec>.html + index.html
//   node build/contract/build-html.mjs [--out <dir>]
//
// Each page is `redocly build-docs --inlineBundle` (Redoc's script embedded, so the page
// needs no network to open or to build), with Redocly telemetry off at build time and
// in the page. Every page is checked after the build: it exists, embeds no CDN script,
// has telemetry disabled and carries every operation summary of its spec.
//
// Exit: 0 all pages built and checked, 1 a build or a check failed, 2 usage error.

import { spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC_DIR = path.join(ROOT, 'specs');
const SPEC_FILE = /\.ya?ml$/i;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const USAGE = `usage: npm run --silent contract:html [-- --out <dir>]
Writes one self-contained HTML page per specs/*.yaml and an index.html
to <dir> (default artifacts/api-reference).`;

function parseArgs(argv) {
  let out = path.join(ROOT, 'artifacts', 'api-reference');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { help: true };
    if (a === '--') continue;
    if (a === '--out' && argv[i + 1]) {
      out = path.resolve(argv[++i]);
      continue;
    }
    throw new Error(`unexpected argument ${a}`);
  }
  return { out };
}

const escapeHtml = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// The page embeds the spec as JSON (with `<` escaped), so look for the JSON form.
const asEmbedded = (s) => JSON.stringify(s).slice(1, -1).replace(/</g, '\\u003c');

function operationsOf(doc) {
  const ops = [];
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const m of HTTP_METHODS) {
      const op = item?.[m];
      if (op) ops.push({ method: m.toUpperCase(), route, summary: op.summary ?? '', operationId: op.operationId ?? '' });
    }
  }
  return ops;
}

function redoclyCli() {
  const pkgPath = require.resolve('@redocly/cli/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.redocly;
  return { script: path.join(path.dirname(pkgPath), bin), version: pkg.version };
}

function sourceLabel() {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown revision';
  }
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`build-html: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const outDir = args.out;
  const specs = fs.existsSync(SPEC_DIR) ? fs.readdirSync(SPEC_DIR).filter((f) => SPEC_FILE.test(f)).sort() : [];
  if (specs.length === 0) {
    console.error('build-html: no specs/*.yaml found');
    return 2;
  }
  const { loadYaml } = require('@useoptic/openapi-io');
  const cli = redoclyCli();
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) if (f.endsWith('.html')) fs.rmSync(path.join(outDir, f));

  const env = {
    ...process.env,
    REDOCLY_TELEMETRY: 'off', // no usage report from the CLI, and `disableTelemetry: true` in the page
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NO_UPDATE_NOTIFIER: '1',
  };
  const entries = [];
  let failures = 0;
  for (const file of specs) {
    const name = file.replace(SPEC_FILE, '');
    const specPath = path.join(SPEC_DIR, file);
    const outFile = path.join(outDir, `${name}.html`);
    const rel = path.relative(ROOT, outFile);
    const doc = loadYaml(fs.readFileSync(specPath, 'utf8'));
    const ops = operationsOf(doc);
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [cli.script, 'build-docs', path.relative(ROOT, specPath), '--inlineBundle', '--output', outFile],
      { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    const problems = [];
    if (run.status !== 0) problems.push(`redocly build-docs exited ${run.status ?? run.signal}`);
    let size = 0;
    if (fs.existsSync(outFile)) {
      const html = fs.readFileSync(outFile, 'utf8');
      size = Buffer.byteLength(html);
      if (size < 100 * 1024) problems.push(`page is only ${size} bytes`);
      if (/<script[^>]+\bsrc=/i.test(html) || /<link[^>]+rel="modulepreload"/i.test(html) || html.includes('cdn.redocly.com/redoc/'))
        problems.push('page loads Redoc from a CDN (not self-contained)');
      if (!html.includes('"disableTelemetry":true')) problems.push('page does not have Redoc telemetry disabled');
      const missing = ops.filter((o) => o.summary && !html.includes(asEmbedded(o.summary)));
      if (missing.length) problems.push(`operation summaries missing: ${missing.map((o) => o.summary).join('; ')}`);
    } else if (run.status === 0) {
      problems.push('no page written');
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length) {
      failures += 1;
      console.log(`FAIL ${rel}: ${problems.join('; ')}`);
      const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
      if (log) console.log(log.split('\n').map((l) => `    ${l}`).join('\n'));
    } else {
      console.log(`ok   ${rel}  ${(size / 1024).toFixed(0)} KiB, ${ops.length} operation(s), ${secs}s`);
    }
    entries.push({ file: `${name}.html`, spec: `specs/${file}`, size, ok: problems.length === 0, info: doc.info ?? {}, ops });
  }

  const source = sourceLabel();
  const rows = entries
    .map((e) => {
      const ops = e.ops
        .map(
          (o) =>
            `        <li><code>${escapeHtml(o.method)} ${escapeHtml(o.route)}</code> ${escapeHtml(o.summary)}` +
            (o.operationId ? ` <span class="id">(${escapeHtml(o.operationId)})</span>` : '') +
            `</li>`,
        )
        .join('\n');
      return `    <section>
      <h2><a href="${escapeHtml(encodeURIComponent(e.file))}">${escapeHtml(e.info.title ?? e.spec)}</a> <span class="ver">${escapeHtml(e.info.version ?? '')}</span></h2>
      <p class="meta">${escapeHtml(e.spec)} &middot; ${(e.size / 1024).toFixed(0)} KiB${e.ok ? '' : ' &middot; <strong>build failed</strong>'}</p>
      <ul>
${ops}
      </ul>
    </section>`;
    })
    .join('\n');
  const index = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>API reference</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
    h2 { margin-bottom: .2rem; } .ver, .meta, .id { color: #666; font-weight: normal; } .meta { margin-top: 0; }
    code { background: #f3f3f3; padding: 0 .25rem; } li { margin: .2rem 0; }
  </style>
</head>
<body>
  <h1>API reference</h1>
  <p>Rendered from <code>specs/*.yaml</code> at <code>${escapeHtml(source)}</code> with Redocly CLI ${escapeHtml(cli.version)}
  (<code>npm run contract:html</code>). Each page is self-contained and works offline.</p>
${rows}
</body>
</html>
`;
  fs.writeFileSync(path.join(outDir, 'index.html'), index);
  console.log(`ok   ${path.relative(ROOT, path.join(outDir, 'index.html'))}  ${entries.length} spec(s)`);
  if (failures) {
    console.log(`\n${failures} page(s) failed`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`build-html: ${e && e.stack ? e.stack : e}`);
  process.exitCode = 1;
}
