export * from './meta.js';
export * from './users.js';
export * from './audit.js';
export * from './domain-config.js';
export * from './jobs.js';
export * from './cache.js';
export * from './api-credentials.js';
