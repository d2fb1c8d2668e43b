import type { App } from '../../http/context';

/** Server-rendered citizen pages (Spanish by default, English on request). */
export function registerCitizenPages(app: App): void {
  void app;
}
