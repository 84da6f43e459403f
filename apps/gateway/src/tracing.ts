import { startTracing } from '@oversight/observability/tracing';

// Imported first by main.ts: the instrumentations patch modules as they load, so this runs before any of them.
startTracing('gateway');
