#!/usr/bin/env node
// Project lint on top of `tsc -b` (strict type checking): no `any` in our TypeScript, no focused/only tests,
// no console.log left in library code (components log through pino).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = readdirSync('packages').map((p) => join('packages', p));
const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(full).isDirectory()) walk(full);
    else if (full.endsWith('.ts')) check(full);
  }
}
function check(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/(:\s*any\b|\bas any\b|<any>|\bany\[\])/.test(code)) problems.push(`${file}:${i + 1}: uses the any type`);
    if (/\b(t\.only|describe\.only|it\.only)\(/.test(code)) problems.push(`${file}:${i + 1}: focused test`);
    if (/\/src\//.test(file) && !/\/cli\//.test(file) && /console\.log\(/.test(code)) problems.push(`${file}:${i + 1}: console.log in library code (use the pino logger)`);
  });
}
for (const r of roots) for (const sub of ['src', 'test', 'bench']) { try { walk(join(r, sub)); } catch { /* folder absent */ } }
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
