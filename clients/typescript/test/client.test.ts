// Runs against a running system: JX_API_BASE_URL, JX_API_KEY (a tenant's key with the default scopes) and
// JX_JIRA_BASE_URL (the Jira simulator) are given by the integration test that starts it (TypeScriptClientTests).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createJiraExportClient } from "../src/index.ts";

const baseUrl = required("JX_API_BASE_URL");
const client = createJiraExportClient(baseUrl, { apiKey: required("JX_API_KEY") });

test("creates a connection, runs an export and downloads the file", async () => {
  const created = await client.POST("/api/v2/connections", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: {
      name: "Simulator via TypeScript",
      baseUrl: required("JX_JIRA_BASE_URL"),
      deployment: "cloud",
      auth: { type: "basic", email: "demo@example.com", apiToken: "sim-api-token" },
    },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const connection = created.data!;

  const listed = await client.GET("/api/v2/connections", { params: { query: { limit: 200 } } });
  assert.ok(listed.data!.items.some((c) => c.id === connection.id));
  assert.ok(listed.data!.links.items.includes(`/api/v2/connections/${connection.id}`));

  const accepted = await client.POST("/api/v2/exports", {
    body: { connectionId: connection.id, jql: "project = ALPHA ORDER BY key", format: "csv", title: "Alpha from TypeScript" },
  });
  assert.equal(accepted.response.status, 202, JSON.stringify(accepted.error));
  const id = accepted.data!.id;
  assert.equal(accepted.response.headers.get("Location"), `/api/v2/exports/${id}`);

  let exported = (await client.GET("/api/v2/exports/{id}", { params: { path: { id } } })).data!;
  for (let polls = 0; (exported.status === "queued" || exported.status === "running") && polls < 120; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    exported = (await client.GET("/api/v2/exports/{id}", { params: { path: { id } } })).data!;
  }
  assert.equal(exported.status, "succeeded", exported.error ?? "no error given");

  const file = await client.GET("/api/v2/exports/{id}/file", { params: { path: { id } }, parseAs: "text" });
  assert.equal(file.response.status, 200);
  assert.match(file.response.headers.get("Content-Type") ?? "", /^text\/csv/);
  const lines = (file.data as unknown as string).trim().split(/\r?\n/);
  assert.ok(lines.length > 1, "the CSV holds a header and rows");
  assert.equal(lines.length - 1, exported.issueCount);
});

test("a refused request answers a typed problem", async () => {
  const missing = await client.GET("/api/v2/exports/{id}", { params: { path: { id: randomUUID() } } });
  assert.equal(missing.response.status, 404);
  assert.equal(missing.error?.type, "/problems/not-found");
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this test through TypeScriptClientTests, which starts the system.`);
  }
  return value;
}
