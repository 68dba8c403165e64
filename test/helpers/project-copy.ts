import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/paths.js';
import { tempDir } from './hub.js';

/**
 * A throwaway copy of the project for tests that write into the project tree
 * (the plugin generator). Test files run two at a time, and every hub started
 * from the real tree loads whatever is in src/plugins at that moment, so a
 * half-written or just-deleted plugin there breaks an unrelated test.
 * Sources, views, guides, migrations and the test helpers are copied; the
 * read-only parts are linked.
 */
export const copyProject = (): string => {
  const root = tempDir('switchyard-project-');
  for (const dir of ['src', 'views', 'user_guides', 'migrations', path.join('test', 'helpers')]) fs.cpSync(projectPath(dir), path.join(root, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) fs.copyFileSync(projectPath(file), path.join(root, file));
  for (const dir of ['node_modules', 'static']) fs.symlinkSync(projectPath(dir), path.join(root, dir), 'dir');
  return root;
};
