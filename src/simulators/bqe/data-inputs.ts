import { z } from 'zod';
import { NAIVE_EXAMPLE, parseNaive, wholeSecond } from './bqe-time.js';
import { GUID_PATTERN } from './seeded-random.js';

/**
 * What /__sim and the sim's methods accept to change the tenant's data. The
 * legacy id is always `legacyId` here, whatever name the API shows it under.
 * `createdOn`/`lastUpdated` are UTC instants (with Z or an offset), for tests
 * that need records sharing one timestamp; left out, they are "now".
 */
const guid = z.string().regex(GUID_PATTERN, 'must be a GUID').transform((s) => s.toLowerCase());
const naive = z.string().refine((v) => parseNaive(v) !== undefined, `must look like ${NAIVE_EXAMPLE}`);
const instant = z.iso.datetime({ offset: true }).transform((v) => wholeSecond(Date.parse(v)));
const name = z.string().trim().min(1).max(200);
const legacyId = z.number().int().positive().nullable();

const projectFields = {
  name,
  code: z.string().trim().min(1).max(65),
  status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  type: z.number().int().min(0).max(20),
  clientId: guid.nullable(),
  managerId: guid.nullable(),
  contractType: z.number().int().min(0).max(20),
  contractAmount: z.number().min(0).max(1e12),
  startDate: naive.nullable(),
  endDate: naive.nullable(),
  legacyId,
  customFields: z.array(z.object({ definitionId: guid, value: z.string().max(500) }).strict()).max(50),
  lastUpdated: instant,
};

const atLeastOne = (changes: object) => Object.keys(changes).length > 0;

export const projectInputSchema = z
  .object({ ...projectFields, parentId: guid.nullable(), createdOn: instant })
  .partial()
  .required({ name: true })
  .strict();
export type ProjectInput = z.input<typeof projectInputSchema>;

export const projectChangesSchema = z.object(projectFields).partial().strict().refine(atLeastOne, 'Give at least one field to change');
export type ProjectChanges = z.input<typeof projectChangesSchema>;

const clientFields = {
  name,
  company: z.string().trim().min(1).max(200),
  number: z.string().trim().min(1).max(40),
  email: z.email().nullable(),
  phone: z.string().trim().max(40).nullable(),
  status: z.union([z.literal(0), z.literal(1)]),
  legacyId,
  lastUpdated: instant,
};

export const clientInputSchema = z
  .object({ ...clientFields, createdOn: instant })
  .partial()
  .required({ name: true })
  .strict();
export type ClientInput = z.input<typeof clientInputSchema>;

export const clientChangesSchema = z.object(clientFields).partial().strict().refine(atLeastOne, 'Give at least one field to change');
export type ClientChanges = z.input<typeof clientChangesSchema>;
