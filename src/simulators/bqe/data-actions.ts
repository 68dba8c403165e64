import { wholeSecond } from './bqe-time.js';
import { clientChangesSchema, clientInputSchema, projectChangesSchema, projectInputSchema, type ClientChanges, type ClientInput, type ProjectChanges, type ProjectInput } from './data-inputs.js';
import { childrenOf, MAX_PROJECT_LEVEL, type ClientRecord, type ProjectRecord, type SimData } from './sim-data.js';
import { parseInput, SimError } from './sim-error.js';

/**
 * Changes to the tenant's data from tests and the demo. Every change touches
 * lastUpdated (to now unless given), which is what delta sync follows.
 * Deletions are refused while something depends on the record, as BQE does.
 */
export interface DataContext {
  data: SimData;
  now(): number;
}

const projectOf = (data: SimData, id: string): ProjectRecord => {
  const project = data.projects.get(id.toLowerCase());
  if (!project) throw new SimError(404, `Project ${id} was not found.`);
  return project;
};

const clientOf = (data: SimData, id: string): ClientRecord => {
  const client = data.clients.get(id.toLowerCase());
  if (!client) throw new SimError(404, `Client ${id} was not found.`);
  return client;
};

const checkClientExists = (data: SimData, clientId: string | null | undefined): void => {
  if (clientId) clientOf(data, clientId);
};

export const addProject = ({ data, now }: DataContext, input: ProjectInput): ProjectRecord => {
  const parsed = parseInput(projectInputSchema, input);
  const parent = parsed.parentId ? projectOf(data, parsed.parentId) : null;
  if (parent && parent.level >= MAX_PROJECT_LEVEL) throw new SimError(409, `Project ${parent.code} is at level ${parent.level}; BQE allows ${MAX_PROJECT_LEVEL + 1} levels.`);
  checkClientExists(data, parsed.clientId);
  const stamp = wholeSecond(now());
  const id = data.random.guid();
  const code = parsed.code ?? (parent ? `${parent.code}.${String(childrenOf(data, parent.id).length + 1).padStart(2, '0')}` : `P-${data.nextRootNumber++}`);
  const project: ProjectRecord = {
    id,
    name: parsed.name,
    code,
    status: parsed.status ?? 0,
    type: parsed.type ?? 0,
    level: parent ? parent.level + 1 : 0,
    parentId: parent?.id ?? null,
    rootProjectId: parent?.rootProjectId ?? id,
    clientId: parsed.clientId !== undefined ? parsed.clientId : (parent?.clientId ?? null),
    managerId: parsed.managerId ?? parent?.managerId ?? null,
    contractType: parsed.contractType ?? parent?.contractType ?? 1,
    contractAmount: parsed.contractAmount ?? 0,
    startDate: parsed.startDate ?? null,
    endDate: parsed.endDate ?? null,
    legacyId: parsed.legacyId ?? null,
    customFields: parsed.customFields ?? [],
    createdOn: parsed.createdOn ?? stamp,
    lastUpdated: parsed.lastUpdated ?? stamp,
  };
  data.projects.set(id, project);
  return project;
};

export const updateProject = ({ data, now }: DataContext, id: string, changes: ProjectChanges): ProjectRecord => {
  const project = projectOf(data, id);
  const parsed = parseInput(projectChangesSchema, changes);
  checkClientExists(data, parsed.clientId);
  Object.assign(project, parsed, { lastUpdated: parsed.lastUpdated ?? wholeSecond(now()) });
  return project;
};

export const deleteProject = ({ data }: DataContext, id: string): void => {
  const project = projectOf(data, id);
  const children = childrenOf(data, project.id).length;
  if (children > 0) throw new SimError(409, `Project ${project.code} has ${children} sub-project(s); delete those first.`);
  data.projects.delete(project.id);
};

export const addClient = ({ data, now }: DataContext, input: ClientInput): ClientRecord => {
  const parsed = parseInput(clientInputSchema, input);
  const stamp = wholeSecond(now());
  const client: ClientRecord = {
    id: data.random.guid(),
    name: parsed.name,
    company: parsed.company ?? parsed.name,
    number: parsed.number ?? `C-${data.nextClientNumber++}`,
    email: parsed.email ?? null,
    phone: parsed.phone ?? null,
    status: parsed.status ?? 0,
    legacyId: parsed.legacyId ?? null,
    createdOn: parsed.createdOn ?? stamp,
    lastUpdated: parsed.lastUpdated ?? stamp,
  };
  data.clients.set(client.id, client);
  return client;
};

export const updateClient = ({ data, now }: DataContext, id: string, changes: ClientChanges): ClientRecord => {
  const client = clientOf(data, id);
  const parsed = parseInput(clientChangesSchema, changes);
  Object.assign(client, parsed, { lastUpdated: parsed.lastUpdated ?? wholeSecond(now()) });
  return client;
};

export const deleteClient = ({ data }: DataContext, id: string): void => {
  const client = clientOf(data, id);
  const projects = [...data.projects.values()].filter((p) => p.clientId === client.id).length;
  if (projects > 0) throw new SimError(409, `Client ${client.name} is used by ${projects} project(s); move or delete those first.`);
  data.clients.delete(client.id);
};
