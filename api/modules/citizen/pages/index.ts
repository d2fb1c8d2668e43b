import type { App } from '../../../http/context';
import { registerAccessLogPages } from './access-log';
import { registerAvisoPages } from './avisos';
import { registerDelegationPages } from './delegations';
import { registerHomePages } from './home';
import { registerProcedurePages } from './procedures';
import { registerRequestPages } from './request';

export { safeReturnPath, signInHref } from './shared';

/** Server-rendered citizen pages (Spanish by default, English on request). Not part of the API document. */
export function registerCitizenPages(app: App): void {
  registerHomePages(app);
  registerRequestPages(app);
  registerDelegationPages(app);
  registerProcedurePages(app);
  registerAccessLogPages(app);
  registerAvisoPages(app);
}
