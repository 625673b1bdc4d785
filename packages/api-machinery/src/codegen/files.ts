// Where the generated types live and what they should contain now; shared by the CLI (main.ts) and the staleness test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allKinds, allSchemaModules } from '../types/index.js';
import { generateTypeScript, type GeneratedFile } from './typescript.js';

const PACKAGE_NAME = '@k8ts/api-machinery';

/** The package directory, found upwards from this file: it runs from src/codegen (tsx) or dist/src/codegen (tsc). */
export function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function generatedDir(): string {
  return join(packageDir(), 'src', 'generated');
}

/**
 * The files the generator produces from the registered schemas today. Flat names avoid the package index's runtime
 * exports (the generated types themselves are erased, so importing the index here sees only the other modules).
 */
export async function expectedGeneratedFiles(): Promise<GeneratedFile[]> {
  const index: Record<string, unknown> = await import('../index.js');
  return generateTypeScript({ modules: allSchemaModules, kinds: allKinds, reservedNames: new Set(Object.keys(index)) });
}
