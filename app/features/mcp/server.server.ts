import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { ASK_DESCRIPTION, askInput, askOutput, askTool } from "./ask-tool.server.ts";
import type { McpContext } from "./context.ts";
import { FIND_EXPERTS_DESCRIPTION, findExpertsInput, findExpertsOutput, findExpertsTool } from "./experts-tool.server.ts";
import {
  isNotFound,
  READ_PAGE_DESCRIPTION,
  READ_QUESTION_DESCRIPTION,
  readPageInput,
  readPageOutput,
  readPageTool,
  readQuestionInput,
  readQuestionOutput,
  readQuestionTool,
} from "./read-tools.server.ts";
import { SEARCH_DESCRIPTION, searchInput, searchOutput, searchTool } from "./search-tool.server.ts";
import { refusal } from "./text.ts";

/**
 * The MCP server of one request (the router makes a new one per HTTP request: the server is
 * stateless, so any instance can answer any call). Its tools act as the token's owner.
 */

export const SERVER_INFO = { name: "commons", title: "Commons", version: "1.0.0" };

const INSTRUCTIONS = `Commons is the company's internal Q&A and knowledge community: questions and answers, wiki pages, articles and ideas, organised in spaces. Everything you reach through these tools is what the signed-in user may see, no more.

How to help the user:
1. search first; read_question or read_page on the promising results before relying on them.
2. Answer from what you read and cite every source you use by its number and URL, e.g. [1] with its link. Don't present knowledge that isn't in Commons as if it came from there.
3. When search finds nothing relevant, or you are not confident, call find_experts with the topic and name those people to the user, with how to ask them: people are the fallback, not guesses.
4. ask_question posts a question under the user's name: only with their explicit agreement, and only with a token that has the write scope.`;

/**
 * A tool's handler with the app's typed errors turned into tool errors the assistant can act on.
 * Anything else is logged and answered with a message that holds no details of the failure.
 */
function guarded<A>(ctx: McpContext, tool: string, run: (ctx: McpContext, input: A) => Promise<CallToolResult>) {
  return async (input: A): Promise<CallToolResult> => {
    try {
      return await run(ctx, input);
    } catch (error) {
      if (isNotFound(error)) return refusal("Not found: nothing with that id or URL that the user can see in Commons.");
      if (error instanceof ForbiddenError || error instanceof InputError) return refusal(error.message);
      ctx.log.error({ err: error, tool }, "MCP tool failed");
      return refusal(`Commons could not complete this call (request ${ctx.requestId}). Try again later.`);
    }
  };
}

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;
  server.registerTool(
    "search",
    { title: "Search Commons", description: SEARCH_DESCRIPTION, inputSchema: searchInput, outputSchema: searchOutput, annotations: readOnly },
    guarded(ctx, "search", searchTool),
  );
  server.registerTool(
    "read_question",
    { title: "Read a question", description: READ_QUESTION_DESCRIPTION, inputSchema: readQuestionInput, outputSchema: readQuestionOutput, annotations: readOnly },
    guarded(ctx, "read_question", readQuestionTool),
  );
  server.registerTool(
    "read_page",
    { title: "Read a wiki page or article", description: READ_PAGE_DESCRIPTION, inputSchema: readPageInput, outputSchema: readPageOutput, annotations: readOnly },
    guarded(ctx, "read_page", readPageTool),
  );
  server.registerTool(
    "find_experts",
    { title: "Find the people who know a topic", description: FIND_EXPERTS_DESCRIPTION, inputSchema: findExpertsInput, outputSchema: findExpertsOutput, annotations: readOnly },
    guarded(ctx, "find_experts", findExpertsTool),
  );
  server.registerTool(
    "ask_question",
    {
      title: "Ask a question in Commons",
      description: ASK_DESCRIPTION,
      inputSchema: askInput,
      outputSchema: askOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx, "ask_question", askTool),
  );
  return server;
}
