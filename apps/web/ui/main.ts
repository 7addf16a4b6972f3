import './styles.css';
import { ApiError, isAbort, session } from './api';
import { h, stateMessage } from './dom';
import { renderActivityPage } from './pages/activity.page';
import { renderAnalyticsPage } from './pages/analytics.page';
import { renderMyActivityPage } from './pages/my-activity.page';
import { renderSignInPage } from './pages/sign-in.page';

/** A page draws itself into `main`; the signal aborts its requests and streams when the page is left. */
export type Page = (main: HTMLElement, signal: AbortSignal) => Promise<void> | void;

const routes: Record<string, { title: string; page: Page; signedIn: boolean }> = {
  '/sign-in': { title: 'Sign in', page: renderSignInPage, signedIn: false },
  '/activity': { title: 'Activity', page: renderActivityPage, signedIn: true },
  '/analytics': { title: 'Analytics', page: renderAnalyticsPage, signedIn: true },
  '/me': { title: 'My activity', page: renderMyActivityPage, signedIn: true },
};

let current: AbortController | null = null;

/** Client-side navigation: a new history entry, then the page of the path. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render();
}

/** Shows a failure in place of the page: what went wrong and what to do about it. */
export function showFailure(main: HTMLElement, error: unknown): void {
  if (isAbort(error)) return;
  const failure = error instanceof ApiError ? error.failure : null;
  const message = failure?.message ?? 'Something went wrong while drawing this page.';
  if (!failure) console.error(error);
  const action =
    failure?.kind === 'signed-out'
      ? h(
          'a',
          {
            href: `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`,
            'data-link': true,
          },
          'Sign in again',
        )
      : failure?.kind === 'forbidden'
        ? h('a', { href: '/me', 'data-link': true }, 'Go to my activity')
        : h('button', { type: 'button', onclick: () => void render() }, 'Try again');
  main.replaceChildren(stateMessage('error', message, action));
}

function renderNav(path: string): void {
  const nav = document.getElementById('nav');
  if (!nav) return;
  const link = (href: string, label: string) =>
    h('a', { href, 'data-link': true, ...(path === href ? { 'aria-current': 'page' } : {}) }, label);
  nav.replaceChildren(
    ...(session.token
      ? [
          ...(session.isAdmin() ? [link('/activity', 'Activity'), link('/analytics', 'Analytics')] : []),
          link('/me', 'My activity'),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                session.signOut();
                navigate('/sign-in');
              },
            },
            'Sign out',
          ),
        ]
      : [link('/sign-in', 'Sign in')]),
  );
}

async function render(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const main = document.getElementById('main') as HTMLElement;
  let path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') {
    path = session.token ? (session.isAdmin() ? '/activity' : '/me') : '/sign-in';
    history.replaceState(null, '', path);
  }
  const route = routes[path];
  renderNav(path);
  if (!route) {
    document.title = 'Not found · Chronicle';
    main.replaceChildren(
      stateMessage(
        'error',
        'There is no page here.',
        h('a', { href: '/', 'data-link': true }, 'Go to the start page'),
      ),
    );
    return;
  }
  if (route.signedIn && !session.token) {
    navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    return;
  }
  document.title = `${route.title} · Chronicle`;
  main.replaceChildren(stateMessage('loading', 'Loading…'));
  try {
    await route.page(main, controller.signal);
  } catch (error) {
    if (!controller.signal.aborted) showFailure(main, error);
  }
}

document.addEventListener('click', (event) => {
  const anchor = (event.target as Element).closest?.('a[data-link]');
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey
  )
    return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
});
window.addEventListener('popstate', () => void render());
void render();
