import createClient from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

export type { components, paths };
export type Problem = components["schemas"]["ProblemDetails"];

/**
 * A client of the JiraExport API v2 for one credential: an API key (`X-Api-Key`) or an access token (`Bearer`).
 * Every path, parameter, body and answer is typed from the OpenAPI document the server publishes.
 */
export function createJiraExportClient(baseUrl: string, credential: { apiKey: string } | { accessToken: string }) {
  const headers = "apiKey" in credential ? { "X-Api-Key": credential.apiKey } : { Authorization: `Bearer ${credential.accessToken}` };
  return createClient<paths>({ baseUrl, headers });
}
