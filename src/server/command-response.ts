import type { FastifyReply, FastifyRequest } from "fastify";
import type { HostResult } from "./command-host.ts";
import { problem, sendProblem } from "./problem-details.ts";

/*
 * How a command's outcome is answered: accepted (or a retry of an accepted command) is a 200
 * with the sequence range of its events; a business rejection is a 422 problem carrying the
 * engine's reason code (`insufficient_margin`, `oracle_stale`, ...), which clients branch on.
 */

/** Sends the HTTP answer for a command outcome. */
export function sendCommandResult(
  request: FastifyRequest,
  reply: FastifyReply,
  result: HostResult,
): FastifyReply {
  if (result.status === "rejected") {
    return sendProblem(
      reply,
      problem(422, `rejected/${result.reason}`, result.message, request.url, [], {
        reason: result.reason,
        commandId: result.commandId,
      }),
    );
  }
  if (result.status === "duplicate") {
    return reply.send({
      status: "duplicate",
      commandId: result.commandId,
      firstSeq: result.firstSeq,
      lastSeq: result.lastSeq,
      events: [],
    });
  }
  const first = result.events[0]?.seq ?? null;
  const last = result.events.at(-1)?.seq ?? null;
  return reply.send({
    status: "accepted",
    commandId: result.commandId,
    firstSeq: first,
    lastSeq: last,
    events: result.events,
  });
}
