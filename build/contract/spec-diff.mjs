#!/usr/bin/env node
// Breaking-change report: each specs/*.yaml at a git ref against the working tree.
//
//   node build/contract/spec-diff.mjs [<git-ref>]      (default ref: HEAD)
//   npm run --silent contract:diff -- [<git-ref>]
//
// The classification is Optic's (@useoptic/openapi-utilities compareSpecs + the
// "breaking-changes" standard ruleset of @useoptic/standard-rulesets); this script
// only gets the two versions, runs it, and prints the report. See README.md here.
//
// Exit: 0 nothing breaking, 1 something breaking, 2 usage or tool error (takes precedence).

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC_DIR = 'specs';
const SPEC_FILE = /\.ya?ml$/i;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const USAGE = `usage: npm run --silent contract:diff -- [<git-ref>]
       node build/contract/spec-diff.mjs [<git-ref>]

Compares each ${SPEC_DIR}/*.yaml at <git-ref> (default HEAD) with the working tree and
prints breaking changes, then non-breaking ones, per spec.
Exit: 0 nothing breaking, 1 something breaking, 2 usage or tool error.`;

class UsageError extends Error {}

function git(args, opts = {}) {
  return execFileSync('git', args, {
    cwd: ROOT,
    encoding: opts.encoding ?? 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function parseArgs(argv) {
  const positional = [];
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--') continue;
    if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    positional.push(arg);
  }
  if (positional.length > 1) throw new UsageError(`expected at most one git ref, got: ${positional.join(' ')}`);
  return { ref: positional[0] ?? 'HEAD' };
}

// ---------- which specs, and their two versions ----------

function specsAtRef(ref) {
  const out = git(['ls-tree', '--name-only', `${ref}:${SPEC_DIR}`]).split('\n');
  return out.filter((n) => SPEC_FILE.test(n));
}

function specsInWorkingTree() {
  const dir = path.join(ROOT, SPEC_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => SPEC_FILE.test(n) && fs.statSync(path.join(dir, n)).isFile());
}

// Writes every file under specs/ at the ref to a temp dir, so relative $refs between
// spec files resolve the way they did at that ref.
function extractRefTree(ref, tmp) {
  const files = git(['ls-tree', '-r', '--name-only', ref, '--', SPEC_DIR]).split('\n').filter(Boolean);
  for (const f of files) {
    const dest = path.join(tmp, f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, git(['show', `${ref}:${f}`], { encoding: 'buffer' }));
  }
}

// ---------- Optic, loaded only when some spec differs ----------

let optic;
function loadOptic() {
  if (!optic) {
    optic = {
      io: require('@useoptic/openapi-io'),
      utils: require('@useoptic/openapi-utilities'),
      RuleRunner: require('@useoptic/rulesets-base').RuleRunner,
      BreakingChangesRuleset: require('@useoptic/standard-rulesets').BreakingChangesRuleset,
    };
  }
  return optic;
}

// Same steps as `optic diff`: parse with a sourcemap (refs dereferenced), validate,
// denormalize (path-level parameters copied into operations).
async function loadSpec(file, strict) {
  const { io } = loadOptic();
  const parsed = await io.parseOpenAPIWithSourcemap(file);
  const version = io.checkOpenAPIVersion(parsed.jsonLike);
  if (version === '2.x.x') throw new Error('Swagger 2.0 is not supported by this report');
  io.validateOpenApiV3Document(parsed.jsonLike, parsed.sourcemap, { strictOpenAPI: strict });
  const result = io.denormalize({ ...parsed, version }, version, []);
  return { ...result, version, isEmptySpec: false };
}

function emptySpec() {
  const { io, utils } = loadOptic();
  const jsonLike = { ...utils.defaultEmptySpec, openapi: '3.0.3', 'x-optic-ci-empty-spec': true };
  const sourcemap = new io.JsonSchemaSourcemap('empty.json');
  sourcemap.addFileIfMissingFromContents('empty.json', JSON.stringify(jsonLike, null, 2), 0);
  return { jsonLike, sourcemap, version: '3.0.x', isEmptySpec: true };
}

async function compare(from, to) {
  const { utils, RuleRunner, BreakingChangesRuleset } = loadOptic();
  const runner = new RuleRunner([new BreakingChangesRuleset()]);
  return utils.compareSpecs(from, to, runner, {});
}

// ---------- describing JSON pointers ----------

const unescapeToken = (t) => t.replace(/~1/g, '/').replace(/~0/g, '~');
const tokensOf = (pointer) => (pointer === '' ? [] : pointer.split('/').slice(1).map(unescapeToken));
const isUnder = (pointer, ancestor) => pointer === ancestor || pointer.startsWith(ancestor + '/');

function at(doc, tokens) {
  let node = doc;
  for (const t of tokens) {
    if (node == null || typeof node !== 'object') return undefined;
    node = node[t];
  }
  return node;
}

function describeSchemaPath(tokens) {
  let out = '';
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === 'properties' && i + 1 < tokens.length) {
      out += (out ? '.' : '') + tokens[i + 1];
      i += 2;
    } else if (t === 'items') {
      out += '[]';
      i += 1;
    } else {
      break;
    }
  }
  const rest = tokens.slice(i);
  const prop = out ? `property ${out}` : '';
  const attr = rest.length ? (out ? '/' : 'schema /') + rest.join('/') : '';
  return [prop, attr].filter(Boolean).join(' ') || 'schema';
}

// Readable name for a pointer into a (dereferenced) spec document.
function describePointer(pointer, doc) {
  const tk = tokensOf(pointer);
  if (tk[0] !== 'paths') return tk.length ? tk.join('.') : '(document)';
  if (tk.length === 1) return 'paths';
  const route = tk[1];
  if (tk.length === 2) return `path ${route}`;
  const method = tk[2];
  if (!HTTP_METHODS.includes(method)) return `path ${route} /${tk.slice(2).join('/')}`;
  const op = `${method.toUpperCase()} ${route}`;
  const rest = tk.slice(3);
  if (rest.length === 0) return op;
  if (rest[0] === 'parameters' && rest.length >= 2) {
    const param = at(doc, tk.slice(0, 5));
    const name = param && typeof param === 'object' ? `${param.in} parameter '${param.name}'` : `parameter #${rest[1]}`;
    const sub = rest.slice(2);
    if (sub[0] === 'schema') return `${op} ${name}: ${describeSchemaPath(sub.slice(1))}`;
    return sub.length ? `${op} ${name}: /${sub.join('/')}` : `${op} ${name}`;
  }
  if (rest[0] === 'requestBody') {
    if (rest[1] === 'content' && rest.length >= 3) {
      const base = `${op} request body ${rest[2]}`;
      if (rest[3] === 'schema') return `${base}: ${describeSchemaPath(rest.slice(4))}`;
      return rest.length > 3 ? `${base}: /${rest.slice(3).join('/')}` : base;
    }
    return `${op} request body${rest.length > 1 ? ': /' + rest.slice(1).join('/') : ''}`;
  }
  if (rest[0] === 'responses' && rest.length >= 2) {
    const base = `${op} response ${rest[1]}`;
    if (rest[2] === 'content' && rest.length >= 4) {
      const media = `${base} ${rest[3]}`;
      if (rest[4] === 'schema') return `${media}: ${describeSchemaPath(rest.slice(5))}`;
      return rest.length > 4 ? `${media}: /${rest.slice(4).join('/')}` : media;
    }
    if (rest[2] === 'headers' && rest.length >= 4) {
      return `${base} header ${rest[3]}${rest.length > 4 ? ': /' + rest.slice(4).join('/') : ''}`;
    }
    return rest.length > 2 ? `${base}: /${rest.slice(2).join('/')}` : base;
  }
  return `${op}: /${rest.join('/')}`;
}

function shortValue(v) {
  if (v === undefined) return '';
  let s = JSON.stringify(v);
  if (s === undefined) return '';
  if (s.length > 70) s = s.slice(0, 67) + '...';
  return s;
}

// ---------- one spec ----------

function locate(reader, pointer, label, line0) {
  try {
    const hit = reader.findFileAndLines(pointer);
    if (hit && hit.startLine) return `${label(hit.filePath)}:${hit.startLine}`;
  } catch {
    /* no position known */
  }
  return line0;
}

const isOperationPointer = (p) => {
  const tk = tokensOf(p);
  return tk[0] === 'paths' && tk.length === 3 && HTTP_METHODS.includes(tk[2]);
};

const escapeToken = (t) => String(t).replace(/~/g, '~0').replace(/\//g, '~1');
const joinPointer = (tokens) => tokens.map((t) => '/' + escapeToken(t)).join('');

// Parameters are addressed by list index, which moves when one is added or removed.
// Name them by `in` and `name` instead, so the two versions line up.
function canonical(pointer, doc) {
  const tk = tokensOf(pointer);
  if (tk[0] === 'paths' && tk[3] === 'parameters' && /^\d+$/.test(tk[4] ?? '')) {
    const param = at(doc, tk.slice(0, 5));
    if (param && typeof param === 'object' && param.name) tk[4] = `{${param.in}:${param.name}}`;
  }
  return joinPointer(tk);
}

// Optic 1.0.9 sometimes reports a parameter rule's "after" location with the
// parameter's index in the old version. Its `where` names the parameter, so re-find it.
function fixParameterLocation(r, doc) {
  const tk = tokensOf(r.location.jsonPath);
  const m = /(query|header|path|cookie) parameter: (.+)$/.exec(r.where ?? '');
  if (!m || tk[0] !== 'paths' || tk[3] !== 'parameters' || !/^\d+$/.test(tk[4] ?? '')) return r.location.jsonPath;
  const list = at(doc, tk.slice(0, 4));
  if (!Array.isArray(list)) return r.location.jsonPath;
  const idx = list.findIndex((p) => p && p.in === m[1] && p.name === m[2]);
  if (idx < 0 || String(idx) === tk[4]) return r.location.jsonPath;
  tk[4] = String(idx);
  return joinPointer(tk);
}

function buildReport(from, to, result, labels) {
  const { utils } = loadOptic();
  const docs = { before: from.jsonLike, after: to.jsonLike };
  const readers = {
    before: utils.sourcemapReader(from.sourcemap),
    after: utils.sourcemapReader(to.sourcemap),
  };
  const where = (side, pointer) => locate(readers[side], pointer, labels[side], labels[side](null));

  const failed = result.results
    .filter((r) => !r.passed && !r.exempted)
    .map((r) => {
      const pointer = fixParameterLocation(r, docs[r.location.spec]);
      return { ...r, pointer, side: r.location.spec, key: canonical(pointer, docs[r.location.spec]) };
    });

  // Removing an operation or a response status code also fails a rule for every
  // parameter, response and property inside it: keep the outer line, count the rest.
  const removals = failed.filter((r) => r.type === 'removed' && r.side === 'before');
  const breaking = [];
  for (const r of failed) {
    const outer = removals
      .filter((o) => o !== r && r.side === 'before' && isUnder(r.key, o.key) && r.key !== o.key)
      .sort((a, b) => a.key.length - b.key.length)[0];
    if (outer) {
      outer.folded = (outer.folded ?? 0) + 1;
      continue;
    }
    breaking.push(r);
  }
  const breakingLines = breaking.map((r) => {
    const sev = r.severity === utils.Severity.Error ? '' : ` (severity ${utils.sevToText(r.severity)})`;
    const folded = r.folded ? ` (+${r.folded} dependent check${r.folded > 1 ? 's' : ''} inside it)` : '';
    return `${r.where}: ${r.error}${sev} [rule: ${r.name}]${folded}  at ${where(r.side, r.pointer)}`;
  });

  // Changes that no failing rule points at are the non-breaking ones. Changes under
  // components/ are skipped: the spec is dereferenced, so each one also shows up at
  // every operation that uses it.
  //
  // A change belongs to a breaking finding when it is at, inside or around the failing
  // rule's location. Once dereferenced (and parameters named, see canonical()),
  // pointers under /paths are the same in both versions. An entry of a schema's
  // `required` list belongs to the property it names.
  const keysFor = (pointer, doc) => {
    const tk = tokensOf(pointer);
    const out = [canonical(pointer, doc)];
    if (tk.length >= 2 && tk[tk.length - 2] === 'required' && /^\d+$/.test(tk[tk.length - 1])) {
      const name = at(doc, tk);
      if (typeof name === 'string') out.push(canonical(joinPointer([...tk.slice(0, -2), 'properties', name]), doc));
    }
    return out;
  };
  const explained = (key) =>
    failed.some((r) => {
      if (isUnder(r.key, key)) return true; // the change is the rule's subject or contains it
      if (isUnder(key, r.key)) return !isOperationPointer(r.pointer) || r.type === 'removed' || r.type === 'added';
      return false;
    });
  const nonBreaking = [];
  const seen = new Set();
  const add = (line) => {
    if (!seen.has(line)) {
      seen.add(line);
      nonBreaking.push(line);
    }
  };
  for (const d of result.diffs) {
    const kind = utils.typeofDiff(d);
    const side = kind === 'removed' ? 'before' : 'after';
    const pointer = side === 'before' ? d.before : d.after;
    const doc = docs[side];
    const tk = tokensOf(pointer);
    if (tk[0] === 'components' && !isUnder(pointer, '/components/securitySchemes')) continue;
    // For a whole new or removed spec, only its operations matter.
    if ((from.isEmptySpec || to.isEmptySpec) && tk[0] !== 'paths') continue;
    const keys = [...keysFor(pointer, doc), ...(kind === 'changed' ? keysFor(d.before, docs.before) : [])];
    if (keys.some(explained)) continue;
    // A whole path item added or removed: one line per operation in it.
    if (tk[0] === 'paths' && tk.length === 2 && kind !== 'changed') {
      const item = at(doc, tk) ?? {};
      const ops = HTTP_METHODS.filter((m) => item[m]);
      for (const m of ops) add(`${m.toUpperCase()} ${tk[1]} ${kind}  at ${where(side, `${pointer}/${m}`)}`);
      if (ops.length) continue;
    }
    let detail = '';
    if (kind === 'changed') {
      detail = `: ${shortValue(at(docs.before, tokensOf(d.before)))} -> ${shortValue(at(docs.after, tokensOf(d.after)))}`;
    } else {
      const v = at(doc, tk);
      if (v === null || typeof v !== 'object') detail = ` (${shortValue(v)})`;
    }
    add(`${describePointer(pointer, doc)} ${kind}${detail}  at ${where(side, pointer)}`);
  }
  nonBreaking.sort();
  return { breakingLines, nonBreakingLines: nonBreaking };
}

async function diffOne(file, state, ref, tmp) {
  const rel = `${SPEC_DIR}/${file}`;
  const oldPath = path.join(tmp, SPEC_DIR, file);
  const newPath = path.join(ROOT, SPEC_DIR, file);
  const labels = {
    before: (p) => (p && path.resolve(p).startsWith(tmp) ? `${ref}:${path.relative(tmp, p)}` : `${ref}:${rel}`),
    after: (p) => (p && path.resolve(p).startsWith(ROOT) ? path.relative(ROOT, p) : rel),
  };
  const from = state === 'new' ? emptySpec() : await loadSpec(oldPath, false);
  const to = state === 'removed' ? emptySpec() : await loadSpec(newPath, true);
  const result = await compare(from, to);
  return buildReport(from, to, result, labels);
}

// ---------- main ----------

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`spec-diff: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { ref } = args;
  try {
    git(['rev-parse', '--is-inside-work-tree']);
  } catch {
    console.error(`spec-diff: ${ROOT} is not a git work tree`);
    return 2;
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    console.error(`spec-diff: '${ref}' is not a commit in this repository\n\n${USAGE}`);
    return 2;
  }

  let atRef;
  try {
    atRef = new Set(specsAtRef(ref));
  } catch {
    atRef = new Set(); // no specs/ folder at that ref
  }
  const inTree = new Set(specsInWorkingTree());
  const files = [...new Set([...atRef, ...inTree])].sort();
  if (files.length === 0) {
    console.error(`spec-diff: no ${SPEC_DIR}/*.yaml at ${ref} nor in the working tree`);
    return 2;
  }

  console.log(`Contract diff: ${SPEC_DIR}/*.yaml at ${ref} -> working tree`);
  let tmp;
  let breakingTotal = 0;
  let nonBreakingTotal = 0;
  let errors = 0;
  try {
    for (const file of files) {
      const rel = `${SPEC_DIR}/${file}`;
      const state = !atRef.has(file) ? 'new' : !inTree.has(file) ? 'removed' : 'both';
      if (state === 'both') {
        const before = git(['show', `${ref}:${rel}`], { encoding: 'buffer' });
        const after = fs.readFileSync(path.join(ROOT, rel));
        if (before.equals(after)) {
          console.log(`\n${rel}: unchanged`);
          continue;
        }
      }
      if (!tmp) {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-diff-')));
        extractRefTree(ref, tmp);
      }
      let report;
      try {
        report = await diffOne(file, state, ref, tmp);
      } catch (e) {
        errors += 1;
        const msg = (e && (e.message || String(e))) || 'unknown error';
        console.log(`\n${rel}: ERROR, could not compare: ${msg.split('\n').slice(0, 8).join('\n    ')}`);
        continue;
      }
      const { breakingLines, nonBreakingLines } = report;
      if (state === 'removed') breakingLines.unshift(`removed spec: ${rel} no longer exists in the working tree`);
      const heading =
        state === 'new' ? 'new spec (not at the ref)' : state === 'removed' ? 'removed spec' : 'changed';
      breakingTotal += breakingLines.length;
      nonBreakingTotal += nonBreakingLines.length;
      console.log(`\n${rel}: ${heading}: ${breakingLines.length} breaking, ${nonBreakingLines.length} non-breaking`);
      if (breakingLines.length) {
        console.log('  BREAKING');
        for (const l of breakingLines) console.log(`    x ${l}`);
      }
      if (nonBreakingLines.length) {
        console.log('  NON-BREAKING');
        for (const l of nonBreakingLines) console.log(`    + ${l}`);
      }
      if (!breakingLines.length && !nonBreakingLines.length) {
        console.log('  (file text differs, but no change under paths or securitySchemes: formatting, comments or components no operation uses)');
      }
    }
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }

  const verdict = errors ? 'ERROR' : breakingTotal ? 'BREAKING' : 'OK';
  console.log(
    `\nResult: ${verdict}: ${breakingTotal} breaking, ${nonBreakingTotal} non-breaking` +
      (errors ? `, ${errors} spec(s) could not be compared` : '') +
      ` (${files.length} spec file(s), ${ref} -> working tree)`,
  );
  return errors ? 2 : breakingTotal ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`spec-diff: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 2;
  },
);
