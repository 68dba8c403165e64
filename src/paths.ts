import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root: this file sits in src/ (sources) or dist/ (build), one level below it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const projectPath = (...parts: string[]): string => path.join(projectRoot, ...parts);
