import { z } from '@hono/zod-openapi';
import { pageSchema, pagingQuery } from './paging.js';

const SettingDefinitionSchema = z
  .looseObject({
    key: z.string(),
    label: z.string(),
    help: z.string(),
    type: z.enum(['string', 'integer', 'boolean', 'select', 'list', 'url', 'secret']),
  })
  .openapi('SettingDefinition', { description: 'A declared setting: its type and, by type, default, min/max, options, pattern or item pattern.' });

export const DomainSettingsSchema = z
  .object({
    domain: z.string().openapi({ example: 'pf-jira' }),
    title: z.string(),
    description: z.string(),
    enabled: z.boolean().openapi({ description: 'The master switch: while off, the domain does no background work.' }),
    pollIntervalSeconds: z.number().int().openapi({ description: 'Seconds between polling rounds (0 when the domain does not poll).' }),
    polling: z
      .object({ minIntervalSeconds: z.number().int(), maxIntervalSeconds: z.number().int(), defaultIntervalSeconds: z.number().int(), defaultEnabled: z.boolean() })
      .nullable()
      .openapi({ description: 'The allowed polling interval; null when the domain does not poll.' }),
    hasFallbackProjects: z.boolean(),
    fallbackProjects: z.array(z.string()),
    settings: z.record(z.string(), z.unknown()).openapi({ description: 'Declared settings by key; a secret shows only whether a value is stored (true/false).' }),
    definitions: z.array(SettingDefinitionSchema),
    version: z.number().int().openapi({ description: 'Send it back as `version` when updating, so a change made meanwhile is not overwritten.' }),
    updatedAt: z.number().int().openapi({ description: 'Epoch milliseconds.' }),
    updatedBy: z.string().nullable(),
  })
  .openapi('DomainSettings');

export const DomainSettingsPageSchema = pageSchema(DomainSettingsSchema, 'DomainSettingsPage');

export const DomainParamSchema = z.object({
  domain: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, 'A domain is a plugin name or "platform".')
    .openapi({ param: { name: 'domain', in: 'path' }, example: 'pf-jira' }),
});

export const SettingsListQuerySchema = z.strictObject({ ...pagingQuery });

export const SettingsUpdateSchema = z
  .strictObject({
    enabled: z.boolean().optional().openapi({ description: 'Turns the master switch on or off.' }),
    pollIntervalSeconds: z.number().int().optional().openapi({ description: 'Within the domain’s polling bounds.' }),
    fallbackProjects: z.array(z.string()).optional().openapi({ description: 'Jira project keys, for domains that route into Jira.' }),
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Declared settings to change, by key; each is checked against its definition. An empty secret keeps the stored one.' }),
    version: z.number().int().positive().optional().openapi({ description: 'The version you read; a different stored version answers 409.' }),
  })
  .openapi('SettingsUpdate');
