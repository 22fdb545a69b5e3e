import { authDirective } from './auth.js';
import { hasPermissionDirective } from './has-permission.js';
import { ownerOrPermissionDirective } from './owner-or-permission.js';
import { publicDirective } from './public.js';

export { DECISION_DIRECTIVES, decisionsOn, type AuthorizationDirective, type DecisionDirective } from './decision.js';

/** Every authorization directive, in the order their transformers are applied. */
export const authorizationDirectives = () => [publicDirective(), authDirective(), hasPermissionDirective(), ownerOrPermissionDirective()];
