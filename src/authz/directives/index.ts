import { authDirective } from './auth.js';
import { hasPermissionDirective } from './has-permission.js';
import { ownerOrPermissionDirective } from './owner-or-permission.js';
import { publicDirective } from './public.js';

export { DECISION_DIRECTIVES, effectiveDecision, fieldDecisions, type AuthDirective, type DecisionDirective } from './decision.js';

/** Every auth directive, in the order their transformers are applied. */
export const authDirectives = () => [publicDirective(), authDirective(), hasPermissionDirective(), ownerOrPermissionDirective()];
