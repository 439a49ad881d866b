// A small program against the client types openapi-typescript generates from /openapi/v1.json: it calls every
// endpoint and reads typed fields. Only type-checked (tsc --noEmit): a number typed number-or-string, a field
// not marked required, or an operation missing would fail to compile here.
import type { paths, components } from "./api";

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: infer R } ? (R extends Record<S, { content: { "application/json": infer B } }> ? B : never) : never;
type Problem = components["schemas"]["ProblemDetails"];

const base = "http://127.0.0.1:5080";

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

async function main(): Promise<void> {
  const request: components["schemas"]["PageLoadRequest"] = { url: "https://example.com/", strategy: "persistent", maxConnectionsPerHost: 2, pageTimeoutMs: 60000, insecure: false };
  const created = await call<Json<"/api/page-loads", "post", 201>>("POST", "/api/page-loads", request);
  const actual: number = created.metrics.actualMs;
  const perceived: number = created.metrics.perceivedMs;
  const firstWait: number = created.objects[0].timings.wait;
  const objects: number = created.metrics.objectCount;
  const localPort: number = created.connections[0].localPort;

  const list = await call<Json<"/api/page-loads", "get", 200>>("GET", "/api/page-loads?host=127.0.0.1:8081&limit=10");
  const firstId: number = list.items[0].id;
  const cursor: string | null | undefined = list.nextCursor;

  const doc = await call<Json<"/api/page-loads/{id}", "get", 200>>("GET", `/api/page-loads/${firstId}`);
  const status: string = doc.status;
  const har = await call<Json<"/api/page-loads/{id}/har", "get", 200>>("GET", `/api/page-loads/${doc.id}/har`);
  const entries: number = har.log.entries.length;
  const resourceType: string = har.log.entries[0]._resourceType;
  const imported = await call<Json<"/api/hars", "post", 201>>("POST", "/api/hars", har);
  const importedFrom: string | null | undefined = imported.importedFrom;
  const events: Response = await fetch(`${base}/api/page-loads/${doc.id}/events`);
  const notFound = await call<Problem>("GET", "/api/page-loads/999999");
  const problemStatus: number | null | undefined = notFound.status;
  const deleted: Response = await fetch(`${base}/api/page-loads/${imported.id}`, { method: "DELETE", headers: { "Content-Type": "application/json" } });

  const comparisonRequest: components["schemas"]["ComparisonRequest"] = { url: "https://example.com/", strategies: ["serial", "persistent"], runs: 3 };
  const comparison = await call<Json<"/api/comparisons", "post", 201>>("POST", "/api/comparisons", comparisonRequest);
  const median: number = comparison.summary[0].medianActualMs;
  const medianLoad: number | null | undefined = comparison.summary[0].medianPageLoadId;
  const again = await call<Json<"/api/comparisons/{id}", "get", 200>>("GET", `/api/comparisons/${comparison.id}`);
  const rows: number = again.rows.length;
  const past = await call<Json<"/api/comparisons", "get", 200>>("GET", "/api/comparisons?limit=5");
  const strategies: string[] = past.items[0].strategies;

  const trends = await call<Json<"/api/trends", "get", 200>>("GET", `/api/trends?url=${encodeURIComponent(doc.url)}`);
  const trendActual: number = trends.strategies[0].medianActualMs;
  const pointActual: number = trends.points[0].actualMs;
  const health = await call<Json<"/healthz", "get", 200>>("GET", "/healthz");

  console.log(actual, perceived, firstWait, objects, localPort, cursor, status, entries, resourceType, importedFrom, events.status,
    problemStatus, deleted.status, median, medianLoad, rows, strategies, trendActual, pointActual, health);
}

void main();
