import type { Express } from 'express';
import type { ApiRouter } from '../src/api-router';
import { createServiceApp } from '../src/create-service-app';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

/** A service app around one route table, as the unit tests drive it with supertest. */
export function serve(api: ApiRouter, bodyLimit?: string): Express {
  return createServiceApp({
    logger: createLogger({ name: 'test', level: 'silent' }),
    metrics: createMetrics('test'),
    readiness: {},
    openapi: { title: 'Test', version: '1' },
    apis: [api],
    bodyLimit,
  });
}
