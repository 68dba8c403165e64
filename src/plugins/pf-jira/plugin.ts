import path from 'node:path';
import { Hono } from 'hono';
import { defineTask } from '../../jobs/index.js';
import { projectPath } from '../../paths.js';
import type { AppEnv } from '../../web/app-env.js';
import type { Plugin } from '../plugin-api.js';
import { createEngine, POLL_NOW_TASK, PRUNE_EVENTS_TASK, REFRESH_CACHE_TASK, SWEEP_STATE, VALIDATE_ALL_TASK, VALIDATE_RULE_TASK } from './engine.js';
import { ROUTE_TASK } from './events/intake.js';
import { DOMAIN, pfJiraDeclaration } from './settings.js';
import { SWEEP_TASK } from './sync/reverse-sweep.js';
import { SYNC_TASK } from './sync/route-task.js';
import { pfJiraApiRoutes } from './web/api-routes.js';
import { connectionRoutes } from './web/connection-routes.js';
import { deadLetterRoutes } from './web/dead-letter-routes.js';
import { eventRoutes } from './web/event-routes.js';
import { jiraFragmentRoutes } from './web/jira-fragment-routes.js';
import { pfRoutes } from './web/pf-routes.js';
import { ruleEditorRoutes } from './web/rule-editor-routes.js';
import { ruleRoutes } from './web/rule-routes.js';
import { webhookRoutes } from './web/webhook-routes.js';

const DAY_MS = 86_400_000;

const pfJira: Plugin = {
  name: DOMAIN,
  title: 'PeopleForce → Jira',
  register(ctx) {
    ctx.declareSettings(pfJiraDeclaration);
    const engine = createEngine(ctx);

    ctx.addTasks({
      [ROUTE_TASK]: engine.route,
      [SYNC_TASK]: defineTask(engine.sync, { timeoutMs: 5 * 60_000 }),
      [REFRESH_CACHE_TASK]: async (payload) => {
        await engine.createmeta.refresh((payload as { key: string }).key);
      },
      [VALIDATE_RULE_TASK]: async (payload) => {
        await engine.validation.validateOne((payload as { ruleId: number }).ruleId);
      },
      [VALIDATE_ALL_TASK]: async () => {
        await engine.validation.validateAll();
      },
      [SWEEP_TASK]: async (_payload, helpers) => {
        const summary = await engine.sweep(helpers.logger);
        if (summary) engine.state.set(SWEEP_STATE, summary, ctx.clock.now());
      },
      [PRUNE_EVENTS_TASK]: (_payload, helpers) => {
        const removed = engine.eventRepo.prune(ctx.clock.now() - engine.reader.settings().eventRetentionDays * DAY_MS);
        helpers.logger.info({ removed }, 'old events pruned');
      },
      [POLL_NOW_TASK]: async (_payload, helpers) => {
        await engine.poller.poll({ signal: helpers.abortSignal, log: helpers.logger });
      },
    });
    ctx.addCrontab([`30 2 * * * ${VALIDATE_ALL_TASK} ?max=3`, `23 * * * * ${SWEEP_TASK} ?max=3`, `47 3 * * * ${PRUNE_EVENTS_TASK} ?max=1`].join('\n'));
    ctx.addTickYield(async ({ helpers, signal }) => {
      await engine.poller.poll({ signal, log: helpers.logger });
    });

    ctx.addWebhookRoutes(webhookRoutes({ intake: engine.intake, webhookSecret: () => engine.reader.secret('peopleforceWebhookSecret'), clock: ctx.clock, logger: ctx.logger }));
    const admin = new Hono<AppEnv>();
    // The editor's /rules/new and /rules/form come before any /rules/:id the dashboard routes declare.
    admin.route('/', ruleEditorRoutes(engine));
    admin.route('/', jiraFragmentRoutes(engine));
    // Rule routes first: they own Sync now (POST /poll), which the events page used to.
    admin.route('/', ruleRoutes(engine, ctx.events));
    admin.route('/', eventRoutes(engine));
    admin.route('/', deadLetterRoutes(engine));
    admin.route('/', connectionRoutes(engine, ctx.config.baseUrl));
    ctx.addAdminRoutes(admin);
    ctx.addApiRoutes(pfJiraApiRoutes(engine));

    ctx.addMenuItem({ label: 'Events', href: pfRoutes.events, role: 'viewer' });
    ctx.addMenuItem({ label: 'Dead letters', href: pfRoutes.deadLetters, role: 'viewer' });
    ctx.addMenuItem({ label: 'Routing rules', href: pfRoutes.rules, role: 'viewer' });
    ctx.addMenuItem({ label: 'Connections', href: pfRoutes.connections, role: 'viewer' });
    ctx.addHelpTopics(path.join(projectPath('user_guides'), 'plugins', DOMAIN));
  },
};

export default pfJira;
