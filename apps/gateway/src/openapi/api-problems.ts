import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { Problem } from '../http/problem.schema';

/** An error status and what it means on the route it is documented on. */
export type ProblemResponses = Partial<Record<400 | 401 | 403 | 404 | 413 | 429 | 503, string>>;

/** Each status answered with the Problem body. */
export const ApiProblems = (responses: ProblemResponses) =>
  applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: Problem }),
    ),
  );

/** The errors of every route behind a user token. */
export const USER_ROUTE_PROBLEMS = {
  400: 'A parameter is invalid; `field` names it.',
  401: 'The bearer token is missing, malformed, expired or wrongly signed.',
  429: 'Too many requests for this token; retry after the `Retry-After` seconds.',
} as const satisfies ProblemResponses;

/** The errors of the admin routes: a user token without the admin role is refused too. */
export const ADMIN_ROUTE_PROBLEMS = {
  ...USER_ROUTE_PROBLEMS,
  403: 'The token has no admin role.',
} as const satisfies ProblemResponses;
