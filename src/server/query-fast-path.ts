/**
 * The compiled-query fast path. A query whose text and operation name Apollo has already parsed and
 * validated once is answered before Apollo's request pipeline, through the executor's own steps:
 * the caller's depth, alias and cost limits, the authorization plan for this viewer and these
 * variables, the input boundary, and graphql-jit's compiled query. The answer carries the log
 * line, `x-request-id` and counters Apollo's plugins give any other.
 *
 * Only the plain case is answered here: an answer with data and no error. An operation the steps
 * refuse, a plan with denials, an input the boundary refuses, bad credentials and every
 * response-cache miss go on to Apollo, which answers (and reports) them as it always does. An
 * execution that ended with errors (a data-dependent denial, a resolver's error) goes on to Apollo
 * with its result, which the executor answers, formats and reports instead of executing again.
 */
import type { Request, RequestHandler, Response } from 'express';
import { getOperationAST, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Context } from '../kernel/context.js';
import type { Viewer } from '../kernel/viewer.js';
import type { OperationSpanRunner } from '../observability/spans.js';
import type { ExecutionEngine } from './execution-engine.js';
import type { FastPathHandoff, OperationSteps } from './executor.js';
import { inputBoundaryRefusal } from './input-boundary.js';
import type { JsonListPath } from './json-lists.js';
import { jsonOperationOf, sendJsonAnswer, sendResultAnswer, type JsonOperation } from './json-operation.js';

/** A query Apollo validated: its document, its operation, and the operation's name as Apollo resolved it. */
interface KnownQuery {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  /** sha256 of the text (Apollo's queryHash): the planner's key and the trusted-documents tier. */
  queryHash: string;
}

export interface FastAnswer {
  viewer: Viewer | null;
  operationName: string | null;
  requestId: string;
  /** Written by the JSON-list path (json-lists.ts); its log line says so. */
  jsonList?: true;
}

export interface QueryFastPathParts {
  steps: OperationSteps;
  execute: ExecutionEngine;
  /** Absent: list reads execute like any query (GRAPHQL_EXECUTOR=graphql-js, or to measure what it saves). */
  jsonLists?: JsonListPath;
  operationSpan: OperationSpanRunner;
  /** The context Apollo's context function would build for this request and viewer. */
  contextFor(req: Request, viewer: Viewer | null): Context;
  viewerOf(req: Request, res: Response): Promise<Viewer | null>;
  /** The log line and counters of an answered operation. */
  answered(answer: FastAnswer, started: number): void;
}

/** Distinct query texts remembered; each is at most GRAPHQL_MAX_QUERY_LENGTH characters. */
const KNOWN_QUERIES = 1000;

const keyOf = (query: string, operationName: string | null) => `${operationName ?? ''}\n${query}`;

/** An execution with errors, from the fast path's middleware to the executor through the context. */
interface Executed {
  document: DocumentNode;
  result: ExecutionResult;
}
/** Or an answer the JSON-list path wrote (json-lists.ts): always data without errors. */
type Answered = Executed | { body: string };
const EXECUTED = Symbol('executed by the fast path');

export class QueryFastPath implements FastPathHandoff {
  private readonly known = new LRUCache<string, KnownQuery>({ max: KNOWN_QUERIES });

  constructor(private readonly parts: QueryFastPathParts) {}

  /** For the executor: a query Apollo parsed and validated, under the operation name the client sent. */
  learn(source: string, requestedName: string | null, known: Omit<KnownQuery, 'operation'>): void {
    const key = keyOf(source, requestedName);
    if (this.known.has(key)) return;
    const operation = getOperationAST(known.document, known.operationName ?? undefined);
    if (operation?.operation === 'query') this.known.set(key, { ...known, operation });
  }

  middleware(): RequestHandler {
    return async (req, res, next) => {
      const started = performance.now();
      // The executor stores a response-cache miss's answer.
      if (res.locals.responseCacheMiss) return next();
      const request = jsonOperationOf(req);
      const known = request && this.known.get(keyOf(request.query, request.operationName));
      if (!request || !known) return next();
      let viewer: Viewer | null;
      try {
        viewer = await this.parts.viewerOf(req, res);
      } catch {
        return next();
      }
      if (inputBoundaryRefusal(known.document, known.operation, request.variables ?? {})) return next();
      const context = this.parts.contextFor(req, viewer);
      let executed: Answered | undefined;
      try {
        executed = await this.parts.operationSpan({ type: 'query', name: known.operationName, document: known.document }, () => this.run(known, request, context));
      } catch {
        executed = undefined;
      }
      if (!executed) return next();
      if ('body' in executed) {
        this.parts.answered({ viewer, operationName: known.operationName, requestId: context.requestId, jsonList: true }, started);
        return sendJsonAnswer(res, executed.body, context.requestId, '\n');
      }
      const { result } = executed;
      if (result.errors?.length || !result.data) {
        res.locals.fastPathExecuted = executed;
        return next();
      }
      this.parts.answered({ viewer, operationName: known.operationName, requestId: context.requestId }, started);
      sendResultAnswer(res, result, context.requestId);
    };
  }

  /** For the context function: hands an execution with errors on to the executor. */
  carry(locals: Record<string, unknown>, context: Context): void {
    const executed = locals.fastPathExecuted as Executed | undefined;
    // On the context itself: Apollo hands the executor a shallow copy of it, which keeps symbol-keyed properties.
    if (executed) (context as { [EXECUTED]?: Executed })[EXECUTED] = executed;
  }

  executed(context: Context, document: DocumentNode): ExecutionResult | undefined {
    const executed = (context as { [EXECUTED]?: Executed })[EXECUTED];
    // The same plan (its document is the plan's own object) for the same viewer and variables: the same execution.
    return executed?.document === document ? executed.result : undefined;
  }

  /** The plan's execution, or undefined when the steps refuse the operation or the plan has denials. */
  private async run(known: KnownQuery, request: JsonOperation, context: Context): Promise<Answered | undefined> {
    const { document, operationName, queryHash } = known;
    const prepared = this.parts.steps.decide({ document, operationName, queryHash, context, variables: request.variables });
    if ('refused' in prepared || !prepared.plan || prepared.planned.length > 0) return undefined;
    const { plan } = prepared;
    // Nothing left to the data: no resolver has a check to run, so the database may write the answer.
    if (plan.dataChecks.size === 0 && this.parts.jsonLists) {
      const body = await this.parts.jsonLists.answer(plan.document, operationName, request.variables);
      if (body !== undefined) return { body };
    }
    context.dataChecks = plan.dataChecks;
    const result = await this.parts.execute({ document: plan.document, contextValue: context, variableValues: request.variables, operationName });
    return { document: plan.document, result };
  }
}
