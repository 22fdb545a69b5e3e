/** Reads the authorization denials out of an operation's errors (`extensions.authorization`), for metrics and spans alike. */

export interface Denial {
  /** Schema coordinate of the denied field, e.g. `Query.users`. */
  coordinate: string;
  /** The rule that denied it, e.g. `hasPermission`. */
  rule: string;
}

interface ErrorLike {
  extensions?: Record<string, unknown> | undefined;
}

export function authorizationDenials(errors: readonly ErrorLike[] | undefined): Denial[] {
  const denials: Denial[] = [];
  for (const error of errors ?? []) {
    const authorization = error.extensions?.authorization as Partial<Denial> | undefined;
    if (typeof authorization?.coordinate === 'string' && typeof authorization.rule === 'string') {
      denials.push({ coordinate: authorization.coordinate, rule: authorization.rule });
    }
  }
  return denials;
}
