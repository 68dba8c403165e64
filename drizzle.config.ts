import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  // Plugins keep their tables beside their code; migrations stay in one numbered folder.
  schema: ['./src/db/schema/index.ts', './src/plugins/*/db/schema.ts'],
  out: './migrations',
});
