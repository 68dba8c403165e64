import type { Context } from 'hono';
import { Hono } from 'hono';
import { isAppError, type FieldErrors } from '../../../errors.js';
import type { AppEnv } from '../../../web/app-env.js';
import { setFlash } from '../../../web/flash.js';
import { field, readForm, type FormFields } from '../../../web/form.js';
import { redirect, triggerMessage, wantsFragment } from '../../../web/htmx.js';
import { timedAction } from '../../../web/middleware/latency.js';
import { requireRole } from '../../../web/middleware/access.js';
import type { Engine } from '../engine.js';
import { WEBHOOK_TOPICS } from '../peopleforce/webhook-parser.js';
import { OPERATOR_DEFS } from '../rules/operators.js';
import { payloadPaths } from '../rules/payload-paths.js';
import { applyRowOp, formValuesOf, newRuleValues, parseRowOp, readRuleForm, withoutBlankRows, type RuleFormValues } from '../rules/rule-form.js';
import type { PreviewResult, SampleChoice } from '../rules/rule-preview.js';
import { OPERATORS, SOURCE_TYPES, type Rule } from '../rules/rule-types.js';
import { local, pfRoutes } from './pf-routes.js';

/** Enough recent payloads to suggest the paths events really carry, few enough to keep the editor quick to open. */
const SUGGESTION_PAYLOADS = 5;
const HELP_TOPIC = 'pf-jira-rule-editor';

interface SampleForm {
  choice: string;
  json: string;
  type: string;
}

interface EditorState {
  values: RuleFormValues;
  rule: Rule | undefined;
  /** The version the admin started from (kept through errors, so a stale save still conflicts). */
  version: number | undefined;
  errors: FieldErrors;
  formError: string | undefined;
  conflict: string | undefined;
  preview: PreviewResult | undefined;
  sample: SampleForm;
  /** Shown in the dashboard's modal (htmx), not as a page of its own. */
  inModal: boolean;
}

const parseId = (value: string | undefined): number | undefined => (value && /^\d{1,12}$/.test(value) ? Number(value) : undefined);

const sampleFormOf = (form: FormFields | undefined, firstEventId: number | undefined): SampleForm => ({
  choice: (form && field(form, 'sample')) || (firstEventId === undefined ? 'json' : String(firstEventId)),
  json: form ? field(form, 'sampleJson') : '',
  type: (form && field(form, 'sampleType')) || 'employee_create',
});

const sampleChoiceOf = (sample: SampleForm): SampleChoice => {
  const id = parseId(sample.choice);
  return id === undefined ? { kind: 'json', text: sample.json, type: sample.type } : { kind: 'event', eventId: id };
};

/**
 * The rule editor: a Bulma modal for htmx (the dashboard's "New rule" and
 * "Edit" buttons load it into #sy-modal-root), and the same form as a full
 * page without JavaScript. Only the database is read to open it; Jira's
 * projects, issue types, fields and boards arrive as separate fragments.
 */
export const ruleEditorRoutes = (engine: Engine): Hono<AppEnv> => {
  const app = new Hono<AppEnv>();
  const { ruleEditor: editor, rulePreview: previewer } = engine;
  const admin = requireRole('admin', 'change routing rules');

  const viewData = (c: Context<AppEnv>, state: EditorState) => {
    const sampleList = previewer.samples();
    return {
      ...state,
      routes: pfRoutes,
      action: state.rule ? pfRoutes.rule(state.rule.id) : pfRoutes.rules,
      operators: OPERATORS.map((o) => ({ value: o, label: OPERATOR_DEFS[o].label, needsValue: OPERATOR_DEFS[o].needsValue })),
      sourceTypes: SOURCE_TYPES,
      topics: [...WEBHOOK_TOPICS.keys()],
      suggestions: payloadPaths(engine.eventRepo.recentPayloads([], SUGGESTION_PAYLOADS)),
      samples: sampleList,
      fieldInfo: editor.fieldInfo(state.values),
      helpTopic: HELP_TOPIC,
      htmx: wantsFragment(c),
    };
  };

  const title = (state: EditorState): string => (state.rule ? `Edit rule “${state.rule.name}”` : 'New routing rule');

  /** The whole page without JavaScript; for htmx the modal (on open) or the form alone (after a post swaps it). */
  const render = (c: Context<AppEnv>, state: EditorState, status: number, part: 'modal' | 'form') => {
    const data = viewData(c, state);
    if (!wantsFragment(c)) {
      return c.var.renderer.page(c, 'plugins/pf-jira/rule-editor-page', data, {
        title: title(state),
        breadcrumbs: [{ label: 'PeopleForce → Jira' }, { label: 'Routing rules', href: pfRoutes.rules }, { label: state.rule ? `Edit “${state.rule.name}”` : 'New rule' }],
        helpTopic: HELP_TOPIC,
        helpLabel: 'Rule editor',
        active: pfRoutes.rules,
        status,
      });
    }
    return c.var.renderer.fragment(c, part === 'modal' ? 'plugins/pf-jira/rule-editor-modal' : 'plugins/pf-jira/rule-form', { ...data, modalTitle: title(state) }, status);
  };

  const freshState = (values: RuleFormValues, rule: Rule | undefined, inModal: boolean): EditorState => ({
    values,
    rule,
    version: rule?.version,
    errors: {},
    formError: undefined,
    conflict: undefined,
    preview: undefined,
    sample: sampleFormOf(undefined, engine.eventRepo.list({ limit: 1 })[0]?.id),
    inModal,
  });

  /** The rule a form posted for, and the version it was opened at. */
  const postedState = (form: FormFields, values: RuleFormValues): EditorState => {
    const ruleId = parseId(field(form, 'ruleId'));
    const rule = ruleId === undefined ? undefined : engine.rules.get(ruleId);
    const version = parseId(field(form, 'version'));
    return { ...freshState(values, rule, field(form, '_modal') === '1'), version: version ?? rule?.version, sample: sampleFormOf(form, undefined) };
  };

  app.get(local(pfRoutes.ruleNew), admin, timedAction('Modal open'), (c) => render(c, freshState(newRuleValues(engine.rules.nextPriority()), undefined, wantsFragment(c)), 200, 'modal'));

  app.get('/rules/:id{[0-9]+}/edit', admin, timedAction('Modal open'), (c) => {
    const rule = engine.rules.get(Number(c.req.param('id')));
    return render(c, freshState(formValuesOf(rule), rule, wantsFragment(c)), 200, 'modal');
  });

  // Adds or removes a row and shows the form again; nothing is saved.
  app.post(local(pfRoutes.ruleForm), admin, async (c) => {
    const form = await readForm(c);
    const op = parseRowOp(field(form, '_op'));
    const values = readRuleForm(form);
    return render(c, postedState(form, op ? applyRowOp(values, op) : values), 200, 'form');
  });

  app.post(local(pfRoutes.rulePreview), admin, timedAction('Preview'), async (c) => {
    const form = await readForm(c);
    const values = withoutBlankRows(readRuleForm(form));
    const state = postedState(form, values);
    const preview = await previewer.preview(values, state.rule?.id, sampleChoiceOf(state.sample));
    if (wantsFragment(c)) return c.var.renderer.fragment(c, 'plugins/pf-jira/rule-preview', { preview });
    return render(c, { ...state, preview, errors: preview.draftErrors }, 200, 'form');
  });

  /** After a save or delete: in the modal, close it and say what happened; elsewhere back to the rules with the message. */
  const done = (c: Context<AppEnv>, form: FormFields, text: string): Response => {
    if (wantsFragment(c) && field(form, '_modal') === '1') {
      triggerMessage(c, 'success', text);
      c.header('HX-Retarget', '#sy-modal-root');
      c.header('HX-Reswap', 'innerHTML');
      return c.body('', 200);
    }
    setFlash(c, { kind: 'success', text });
    return redirect(c, pfRoutes.rules);
  };

  const save = async (c: Context<AppEnv>, existing: Rule | undefined) => {
    const form = await readForm(c);
    const values = withoutBlankRows(readRuleForm(form));
    const state = postedState(form, values);
    const version = existing ? (parseId(field(form, 'version')) ?? existing.version) : undefined;
    let rule: Rule;
    try {
      rule = editor.save(values, c.get('actor'), existing && version !== undefined ? { id: existing.id, version } : undefined);
    } catch (err) {
      if (!isAppError(err) || (err.status !== 422 && err.status !== 409)) throw err;
      if (err.status === 409) return render(c, { ...state, conflict: err.message }, 409, 'form');
      return render(c, { ...state, errors: err.fieldErrors ?? {}, formError: err.message }, 422, 'form');
    }
    const text = `Rule “${rule.name}” saved as version ${rule.version}${rule.action === 'SYNC' ? '; checking it against Jira…' : '.'}`;
    return done(c, form, text);
  };

  app.post(local(pfRoutes.rules), admin, timedAction('Rule save'), (c) => save(c, undefined));

  app.post('/rules/:id{[0-9]+}', admin, timedAction('Rule save'), (c) => save(c, engine.rules.get(Number(c.req.param('id')))));

  app.post('/rules/:id{[0-9]+}/delete', admin, async (c) => {
    const form = await readForm(c);
    const rule = engine.rules.get(Number(c.req.param('id')));
    engine.rules.remove(rule.id, c.get('actor'));
    return done(c, form, `Rule “${rule.name}” was deleted; events it decided still show which rule that was.`);
  });

  return app;
};
