import type { App } from '../../../http/context';

export function registerProcedurePages(_app: App): void {}
