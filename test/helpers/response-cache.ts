/** Reads the response cache's counters, as Prometheus would scrape them. */
import type { TestServer } from './server.js';

export async function cacheLookups(server: TestServer): Promise<{ hit: number; miss: number }> {
  const metric = server.server.metrics.registry.getSingleMetric('response_cache_lookups_total');
  const values = (await metric!.get()).values;
  const count = (result: string) => values.find((value) => value.labels.result === result)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}

/** The operations both response-cache suites send (in memory, and across two instances sharing Redis). */
export const MENU = 'query Menu { menuItems { edges { node { id name price } } } }';
export const MENU_AND_ADMIN_MESSAGE = 'query MenuAndAdmin { menuItems { edges { node { id name } } } adminMessage { text } }';
export const MY_TASKS = 'query MyTasks { myTasks { edges { node { title } } } }';
export const CREATE_TASK = 'mutation CreateTask($title: String!) { createTask(input: { title: $title }) { id } }';
export const CREATE = 'mutation Create($input: CreateMenuItemInput!) { createMenuItem(input: $input) { id } }';
