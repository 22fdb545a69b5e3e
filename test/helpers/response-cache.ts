/** Reads the response cache's counters, as Prometheus would scrape them. */
import type { TestServer } from './server.js';

export async function cacheLookups(server: TestServer): Promise<{ hit: number; miss: number }> {
  const metric = server.server.metrics.registry.getSingleMetric('response_cache_lookups_total');
  const values = (await metric!.get()).values;
  const count = (result: string) => values.find((value) => value.labels.result === result)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}
