import type { ComponentType } from 'preact';
import { DeadLettersPage } from './pages/dead-letters-page.js';
import { EventPage } from './pages/event-page.js';
import { EventsPage } from './pages/events-page.js';
import { RejectedPage } from './pages/rejected-page.js';
import { RouteTesterPage } from './pages/route-tester-page.js';
import { RulesPage } from './pages/rules-page.js';
import { SessionPage } from './pages/session-page.js';
import { SessionsPage } from './pages/sessions-page.js';

export interface PageDef {
  /** `/events`, or with one `:param` (`/events/:id`). */
  path: string;
  /** In the navigation when set. */
  nav?: string;
  component: ComponentType<{ param?: string }>;
}

/**
 * Every page, in navigation order. A new page is one entry here and one file under pages/.
 */
export const PAGES: PageDef[] = [
  { path: '/events', nav: 'Events', component: EventsPage },
  { path: '/events/:id', component: EventPage },
  { path: '/sessions', nav: 'Sessions', component: SessionsPage },
  { path: '/sessions/:key', component: SessionPage },
  { path: '/dead-letters', nav: 'Dead letters', component: DeadLettersPage },
  { path: '/rules', nav: 'Rules', component: RulesPage },
  { path: '/route-tester', nav: 'Route tester', component: RouteTesterPage },
  { path: '/rejected', nav: 'Rejected', component: RejectedPage },
];

export function matchPage(path: string): { page: PageDef; param?: string } | null {
  for (const page of PAGES) {
    const [base, param] = page.path.split('/:');
    if (!param && path === base) return { page };
    if (param && path.startsWith(`${base}/`) && path.length > base!.length + 1 && !path.slice(base!.length + 1).includes('/')) return { page, param: path.slice(base!.length + 1) };
  }
  return null;
}
