import { SeededRandom } from './seeded-random.js';

/**
 * The tenant's records as the simulator keeps them: instants as UTC epoch ms
 * (rendered per request in the caller's X-UTC-OFFSET), date-only values such
 * as startDate as naive strings (BQE does not shift them), and the legacy
 * numeric id under a neutral name (its public name is configurable).
 */
export interface CustomFieldValue {
  definitionId: string;
  value: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  code: string;
  /** 0 active, 2 complete, 3 on hold, 4 inactive (contract §5). */
  status: number;
  type: number;
  /** 0 for a root project; phases and sub-phases go down to 3. */
  level: number;
  parentId: string | null;
  rootProjectId: string;
  clientId: string | null;
  managerId: string | null;
  contractType: number;
  contractAmount: number;
  startDate: string | null;
  endDate: string | null;
  legacyId: number | null;
  customFields: CustomFieldValue[];
  createdOn: number;
  lastUpdated: number;
}

export interface ClientRecord {
  id: string;
  name: string;
  company: string;
  number: string;
  email: string | null;
  phone: string | null;
  status: number;
  legacyId: number | null;
  createdOn: number;
  lastUpdated: number;
}

export interface ActivityRecord {
  id: string;
  code: string;
  name: string;
  description: string;
  billRate: number;
  costRate: number;
  status: number;
  createdOn: number;
  lastUpdated: number;
}

export interface SimData {
  /** Maps keep insertion order, which is the order of a list without orderBy. */
  projects: Map<string, ProjectRecord>;
  clients: Map<string, ClientRecord>;
  activities: Map<string, ActivityRecord>;
  /** Feeds GUIDs and codes for records added later, so a seeded run stays repeatable. */
  random: SeededRandom;
  nextRootNumber: number;
  nextClientNumber: number;
  nextLegacyProjectId: number;
  nextLegacyClientId: number;
}

export const MAX_PROJECT_LEVEL = 3;

export const emptyData = (seed: number): SimData => ({
  projects: new Map(),
  clients: new Map(),
  activities: new Map(),
  random: new SeededRandom(seed),
  nextRootNumber: 1001,
  nextClientNumber: 101,
  nextLegacyProjectId: 20_001,
  nextLegacyClientId: 701,
});

export const childrenOf = (data: SimData, projectId: string): ProjectRecord[] => [...data.projects.values()].filter((p) => p.parentId === projectId);
