// `pnpm gen:types`: (re)writes src/generated/ from the schemas. Runs compiled (dist/src/codegen/main.js) or under tsx.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GENERATED_HEADER } from './typescript.js';
import { expectedGeneratedFiles, generatedDir } from './files.js';

async function main(): Promise<void> {
  const dir = generatedDir();
  mkdirSync(dir, { recursive: true });
  const files = await expectedGeneratedFiles();
  const wanted = new Set(files.map((f) => f.name));
  let changed = 0;
  for (const f of files) {
    const path = join(dir, f.name);
    let old: string | undefined;
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === f.text) continue;
    writeFileSync(path, f.text);
    changed++;
  }
  // A schema namespace that disappeared leaves a generated file behind; remove only files we generated.
  for (const name of readdirSync(dir)) {
    if (wanted.has(name) || !name.endsWith('.ts')) continue;
    const path = join(dir, name);
    if (readFileSync(path, 'utf8').startsWith(GENERATED_HEADER)) {
      rmSync(path);
      changed++;
    }
  }
  process.stdout.write(`gen:types: ${files.length} files in ${relative(process.cwd(), dir) || '.'}, ${changed} changed\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`gen:types: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
