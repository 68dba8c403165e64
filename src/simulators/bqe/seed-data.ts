import { renderNaive, wholeSecond } from './bqe-time.js';
import { emptyData, type ClientRecord, type ProjectRecord, type SimData } from './sim-data.js';
import type { SeededRandom } from './seeded-random.js';
import { ACTIVITIES, CLIENT_KINDS, DISCIPLINES, FACILITIES, MARKET_SECTORS, NAMED_CLIENTS, PACKAGES, PHASES, PLACES, SCOPES } from './seed-names.js';

export interface SeedOptions {
  seed: number;
  /** Epoch ms; every seeded date lies before it. */
  now: number;
  projects: number;
  clients: number;
}

const DAY = 86_400_000;
/** Records created more than a year before "now" predate the GUID migration and carry a legacy numeric id. */
const LEGACY_BEFORE_DAYS = 365;
/** Share of records whose lastUpdated is one of a few shared bulk-edit instants, so delta sync meets ties. */
const SHARED_STAMP_SHARE = 0.45;

interface Stamper {
  /** A lastUpdated at or after createdOn and before now; often shared with other records. */
  lastUpdated(createdOn: number): number;
  legacy(createdOn: number): boolean;
}

const stamper = (random: SeededRandom, now: number, records: number): Stamper => {
  const shared = Array.from({ length: Math.max(4, Math.ceil(records / 15)) }, () => now - random.int(1, 120) * DAY - random.int(0, 86_399) * 1_000);
  return {
    lastUpdated: (createdOn) => {
      if (random.chance(SHARED_STAMP_SHARE)) {
        const stamp = random.pick(shared);
        if (stamp >= createdOn) return stamp;
      }
      return wholeSecond(createdOn + random.next() * (now - createdOn));
    },
    legacy: (createdOn) => createdOn < now - LEGACY_BEFORE_DAYS * DAY,
  };
};

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

const seedClients = (data: SimData, count: number, now: number, stamps: Stamper): ClientRecord[] => {
  const { random } = data;
  const added: ClientRecord[] = [];
  for (let i = 0; i < count; i++) {
    const named = NAMED_CLIENTS[i];
    const generatedName = `${PLACES[i % PLACES.length] ?? 'Central'} ${CLIENT_KINDS[Math.floor(i / PLACES.length) % CLIENT_KINDS.length] ?? 'Group'}`;
    const name = named?.name ?? (i < NAMED_CLIENTS.length + PLACES.length * CLIENT_KINDS.length ? generatedName : `${generatedName} ${i + 1}`);
    const createdOn = now - random.int(30, 1_800) * DAY - random.int(0, 86_399) * 1_000;
    const legacy = stamps.legacy(createdOn);
    const client: ClientRecord = {
      id: random.guid(),
      name,
      company: named?.company ?? name,
      number: `C-${data.nextClientNumber++}`,
      email: random.chance(0.85) ? `projects@${slug(name)}.example.com` : null,
      phone: random.chance(0.8) ? `(555) ${random.int(200, 989)}-${String(random.int(0, 9_999)).padStart(4, '0')}` : null,
      status: random.chance(0.85) ? 0 : 1,
      legacyId: legacy ? data.nextLegacyClientId++ : null,
      createdOn,
      lastUpdated: stamps.lastUpdated(createdOn),
    };
    data.clients.set(client.id, client);
    added.push(client);
  }
  return added;
};

const seedActivities = (data: SimData, now: number, stamps: Stamper): void => {
  for (const activity of ACTIVITIES) {
    const createdOn = now - data.random.int(400, 2_600) * DAY;
    const id = data.random.guid();
    data.activities.set(id, { id, ...activity, status: 0, createdOn, lastUpdated: stamps.lastUpdated(createdOn) });
  }
};

const ROOT_STATUSES = [0, 0, 0, 0, 0, 0, 2, 2, 3, 4] as const;

/**
 * Root projects with phases, discipline sub-phases and packages (levels 0–3)
 * until `count` is reached. The first root always reaches level 3, so even a
 * small tenant has the deepest hierarchy.
 */
const seedProjects = (data: SimData, count: number, now: number, stamps: Stamper, clients: ClientRecord[]): void => {
  const { random } = data;
  const managers = Array.from({ length: 6 }, () => random.guid());
  const sectorField = random.guid();
  const room = () => data.projects.size < count;

  const add = (parent: ProjectRecord | null, name: string, code: string, fields: Partial<ProjectRecord>): ProjectRecord => {
    const createdOn = parent
      ? Math.min(parent.createdOn + random.int(0, 90) * DAY + random.int(0, 86_399) * 1_000, now - DAY)
      : now - random.int(20, 2_400) * DAY - random.int(0, 86_399) * 1_000;
    const id = random.guid();
    const start = renderNaive(createdOn + random.int(0, 30) * DAY, 0).slice(0, 10);
    const project: ProjectRecord = {
      id,
      name,
      code,
      status: 0,
      type: 0,
      level: parent ? parent.level + 1 : 0,
      parentId: parent?.id ?? null,
      rootProjectId: parent?.rootProjectId ?? id,
      clientId: parent?.clientId ?? null,
      managerId: parent?.managerId ?? random.pick(managers),
      contractType: parent?.contractType ?? random.int(1, 4),
      contractAmount: parent ? Math.round((parent.contractAmount * (0.1 + random.next() * 0.3)) / 100) * 100 : random.int(40, 4_000) * 500,
      startDate: `${start}T00:00:00`,
      endDate: null,
      legacyId: stamps.legacy(createdOn) ? data.nextLegacyProjectId++ : null,
      customFields: [{ definitionId: sectorField, value: parent?.customFields[0]?.value ?? random.pick(MARKET_SECTORS) }],
      createdOn,
      lastUpdated: stamps.lastUpdated(createdOn),
      ...fields,
    };
    if (project.status === 2) project.endDate = `${renderNaive(Math.min(createdOn + random.int(60, 700) * DAY, now), 0).slice(0, 10)}T00:00:00`;
    data.projects.set(id, project);
    return project;
  };

  const childStatus = (root: ProjectRecord): number => (root.status === 0 ? random.pick([0, 0, 0, 2]) : root.status);

  while (room()) {
    const first = data.projects.size === 0;
    const rootName = `${random.pick(PLACES)} ${random.pick(FACILITIES)} ${random.pick(SCOPES)}`;
    const client = clients.length > 0 && random.chance(0.92) ? random.pick(clients) : null;
    const root = add(null, rootName, `P-${data.nextRootNumber++}`, { status: first ? 0 : random.pick(ROOT_STATUSES), clientId: client?.id ?? null });
    const phases = first ? 3 : random.int(0, 4);
    for (let p = 0; p < phases && room(); p++) {
      const phase = add(root, PHASES[p] ?? 'Additional Services', `${root.code}.${String(p + 1).padStart(2, '0')}`, { status: childStatus(root) });
      const subPhases = first && p === 0 ? 2 : random.chance(0.35) ? random.int(1, 3) : 0;
      for (let s = 0; s < subPhases && room(); s++) {
        const sub = add(phase, random.pick(DISCIPLINES), `${phase.code}.${String(s + 1).padStart(2, '0')}`, { status: phase.status });
        const packages = first && s === 0 ? 2 : random.chance(0.2) ? random.int(1, 2) : 0;
        for (let k = 0; k < packages && room(); k++) {
          add(sub, PACKAGES[k] ?? random.pick(PACKAGES), `${sub.code}.${String(k + 1).padStart(2, '0')}`, { status: sub.status });
        }
      }
    }
  }
};

/** A repeatable tenant: the same seed and "now" always give the same records, in the same order. */
export const seedData = (options: SeedOptions): SimData => {
  const data = emptyData(options.seed);
  const now = wholeSecond(options.now);
  const stamps = stamper(data.random, now, options.projects + options.clients);
  const clients = seedClients(data, options.clients, now, stamps);
  seedActivities(data, now, stamps);
  seedProjects(data, options.projects, now, stamps, clients);
  return data;
};
