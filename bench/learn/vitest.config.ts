// Measurements of the style learner in Node (not tests: `npx vitest run --config bench/learn/vitest.config.ts`).
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['bench/learn/*.measure.ts'], environment: 'node', testTimeout: 3_600_000, pool: 'forks' } });
